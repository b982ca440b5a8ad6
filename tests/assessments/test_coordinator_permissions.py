"""Who may reach each coordinator URL, by GET and by POST.

Anyone without an account (a visitor, or a respondent holding a personal link) is sent to sign
in; the coordinator of another partnership gets 404, never a hint that the thing exists; the
coordinator and a superuser get the page or its redirect. A reader of the partnership's reports
gets its page, read-only, and 403 from every other URL here, by any method. A method a URL does
not take is 405 for everyone signed in, before anything is looked up, so it reveals nothing.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from assessments.models import Invitation, Member, Partnership, Response, Round, TeamInvitation
from tests.factories import (
    make_invitation,
    make_member,
    make_partnership,
    make_round,
    make_team_invitation,
    make_user,
)

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN, NOT_ALLOWED = 200, 302, 403, 405
# With no box filled a browser still sends the CSRF token: the forms are bound and answer 200.
POST_DATA = {"csrfmiddlewaretoken": "sent-by-every-browser"}


@dataclass
class World:
    """One of each object the coordinator URLs reach, in the `riverside` partnership."""

    slug: str
    member: int
    draft: int
    open: int
    invitation: int
    team_invitation: int
    teammate: int  # a reader of the partnership's reports, whom the coordinator may remove


@dataclass(frozen=True)
class Target:
    name: str
    args: tuple[str, ...]  # World attributes, in order
    get: int  # status for the coordinator and a superuser
    post: int

    def url(self, world: World) -> str:
        return reverse(f"assessments:{self.name}", args=[getattr(world, a) for a in self.args])


TARGETS = [
    Target("partnership-detail", ("slug",), OK, NOT_ALLOWED),
    Target("partnership-contact", ("slug",), OK, OK),
    Target("partnership-activity", ("slug",), OK, NOT_ALLOWED),  # read only: no change, no delete
    Target("member-add", ("slug",), OK, OK),
    Target("member-edit", ("slug", "member"), OK, OK),
    Target("member-erase", ("slug", "member"), OK, FOUND),
    Target("member-import", ("slug",), OK, OK),
    Target("member-import-template", ("slug",), OK, NOT_ALLOWED),
    # Posted without a signed preview: back to the import page, with a message.
    Target("member-import-confirm", ("slug",), NOT_ALLOWED, FOUND),
    Target("round-add", ("slug",), OK, OK),
    Target("round-detail", ("slug", "open"), OK, NOT_ALLOWED),
    Target("round-not-responded", ("slug", "open"), OK, NOT_ALLOWED),
    Target("round-edit", ("slug", "draft"), OK, OK),
    Target("round-invitees", ("slug", "draft"), OK, OK),
    Target("round-open", ("slug", "draft"), OK, FOUND),
    Target("round-close", ("slug", "open"), OK, FOUND),
    Target("round-closing-date", ("slug", "open"), OK, OK),
    Target("round-copy", ("slug", "open"), OK, OK),
    Target("round-send-invitations", ("slug", "open"), OK, FOUND),
    Target("round-send-reminders", ("slug", "open"), OK, FOUND),
    Target("invitation-send-link", ("slug", "open", "invitation"), OK, FOUND),
    Target("invitation-resend", ("slug", "open", "invitation"), NOT_ALLOWED, FOUND),
    Target("team", ("slug",), OK, NOT_ALLOWED),
    Target("team-invite", ("slug",), OK, OK),
    Target("team-invitation-cancel", ("slug", "team_invitation"), NOT_ALLOWED, FOUND),
    Target("team-remove", ("slug", "teammate"), OK, FOUND),
]
PERSONAS = ["anonymous", "respondent", "other_coordinator", "reader", "coordinator", "superuser"]
# What a reader of the partnership's reports may open here (its reports are in reports/).
READER_PAGES = {"partnership-detail"}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # 160 cases each make two or three users; the default hasher would take most of the time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_world(partnership: Partnership) -> World:
    draft = make_round(partnership, open=False, invite_all_members=False)
    opened = make_round(partnership)
    invitation, _ = make_invitation(opened)
    Invitation.objects.filter(pk=invitation.pk).update(send_status=Invitation.SendStatus.FAILED)
    teammate = make_user()
    partnership.readers.add(teammate)
    return World(
        slug=partnership.slug,
        member=make_member(partnership).pk,
        draft=draft.pk,
        open=opened.pk,
        invitation=invitation.pk,
        team_invitation=make_team_invitation(partnership)[0].pk,
        teammate=teammate.pk,
    )


@pytest.fixture
def world(partnership) -> World:
    return build_world(partnership)


@pytest.fixture
def hillside(other_coordinator) -> World:
    """The same objects in the other coordinator's partnership."""
    return build_world(Partnership.objects.get(slug="hillside"))


@pytest.fixture
def as_persona(request, client, partnership, django_user_model):
    def sign_in(persona: str):
        if persona == "respondent":
            # Holds a personal link to another partnership's round, and has used it.
            _, token = make_invitation(make_round(make_partnership()))
            client.get(reverse("respond:start", args=[token]))
        elif persona == "other_coordinator":
            client.force_login(request.getfixturevalue("other_coordinator"))
        elif persona == "reader":
            client.force_login(request.getfixturevalue("reader"))
        elif persona == "coordinator":
            client.force_login(partnership.coordinators.get())
        elif persona == "superuser":
            client.force_login(request.getfixturevalue("admin_user"))
        return client

    return sign_in


def expected(persona: str, target: Target, method: str) -> int:
    allowed = target.get if method == "get" else target.post
    if persona in ("anonymous", "respondent"):
        return FOUND
    if allowed == NOT_ALLOWED or persona in ("coordinator", "superuser"):
        return allowed
    if persona == "reader":
        return OK if method == "get" and target.name in READER_PAGES else FORBIDDEN
    return 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(as_persona, world, persona, target, method):
    client = as_persona(persona)
    url = target.url(world)
    before = everything()
    response = client.get(url) if method == "get" else client.post(url, POST_DATA)
    assert response.status_code == expected(persona, target, method)
    if persona in ("anonymous", "respondent"):
        assert response.url == f"{reverse('login')}?next={url}"
    if response.status_code == FORBIDDEN:
        assert "You cannot see this page" in response.content.decode()  # the project's 403 page
    if persona not in ("coordinator", "superuser"):
        assert everything() == before


# Another partnership's member, round or invitation, asked for through this partnership's URLs.
CHILDREN = [(t, i) for t in TARGETS for i in range(1, len(t.args))]


def everything() -> list[list[dict]]:
    models = (Partnership, Member, Round, Invitation, Response, TeamInvitation)
    teams = (Partnership.coordinators.through, Partnership.readers.through)
    return [list(model.objects.order_by("pk").values()) for model in (*models, *teams)]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "target, position", CHILDREN, ids=[f"{t.name}:{t.args[i]}" for t, i in CHILDREN]
)
def test_another_partnerships_child_through_this_partnership_is_404_and_changes_nothing(
    coordinator_client, world, hillside, target, position, method
):
    args = [getattr(world, a) for a in target.args]
    args[position] = getattr(hillside, target.args[position])
    url = reverse(f"assessments:{target.name}", args=args)
    before = everything()
    response = (
        coordinator_client.get(url) if method == "get" else coordinator_client.post(url, POST_DATA)
    )
    allowed = target.get if method == "get" else target.post
    assert response.status_code == (NOT_ALLOWED if allowed == NOT_ALLOWED else 404)
    assert everything() == before


def test_every_coordinator_url_is_in_the_matrix():
    from assessments import urls

    names = {pattern.name for pattern in urls.urlpatterns}
    assert names == {t.name for t in TARGETS} | {"partnership-list"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_needs_an_account_only(as_persona, persona, other_coordinator):
    client = as_persona(persona)
    url = reverse("assessments:partnership-list")
    response = client.get(url)
    if persona in ("anonymous", "respondent"):
        assert response.url == f"{reverse('login')}?next={url}"
    else:
        assert response.status_code == OK
        assert client.post(url, POST_DATA).status_code == NOT_ALLOWED
