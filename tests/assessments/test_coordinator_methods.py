"""Every signed-in page answers only the methods it has a use for: a PUT, DELETE or PATCH gets
405 and changes nothing, where it used to render the form (or act, on a confirmation page)."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from assessments.models import Round
from reports.models import Action, ShareLink
from tests.factories import make_invitation, make_member, make_round

pytestmark = pytest.mark.django_db


def coordinator_urls() -> list[str]:
    """The names of every URL under /partnerships/, from the three apps (and the network's
    pages, whose slug is the network's)."""
    names = []
    for namespace in ("assessments", "reports", "networks"):
        patterns = get_resolver().namespace_dict[namespace][1].url_patterns
        names += [
            f"{namespace}:{p.name}"
            for p in patterns
            if isinstance(p, URLPattern) and "slug" in p.pattern.regex.groupindex
        ]
    return names


@pytest.fixture
def objects(partnership, coordinator, principles):
    round = make_round(partnership)
    member = make_member(partnership)
    invitation, _ = make_invitation(round, member)
    action = Action.objects.create(round=round, description="Report back after each meeting")
    link = ShareLink.objects.create(round=round, token_hash="x" * 64, created_by=coordinator)
    return {
        "slug": partnership.slug,
        "pk": round.pk,
        "invitation_pk": invitation.pk,
        "action_pk": action.pk,
        "link_pk": link.pk,
        "member_pk": member.pk,
        "number": 1,  # a principle's screen of the workshop view
        "user_pk": coordinator.pk,  # someone on the team
    }


def url_for(name: str, objects: dict) -> str:
    pattern = next(
        p
        for p in get_resolver().namespace_dict[name.split(":")[0]][1].url_patterns
        if isinstance(p, URLPattern) and p.name == name.split(":")[1]
    )
    wanted = pattern.pattern.regex.groupindex
    kwargs = {key: objects[key] for key in wanted if key in objects}
    if "pk" in wanted and "members/" in str(pattern.pattern):
        kwargs["pk"] = objects["member_pk"]
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", coordinator_urls())
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_a_coordinator_page_refuses_methods_it_has_no_use_for(
    coordinator_client, objects, name, method
):
    before = Round.objects.get(pk=objects["pk"]).status
    response = getattr(coordinator_client, method)(url_for(name, objects))
    assert response.status_code == 405, name
    assert Round.objects.get(pk=objects["pk"]).status == before
    assert Action.objects.filter(pk=objects["action_pk"]).exists()
