"""The coordinators' report page: who may see it, what it shows, and that it shows words as text."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone

from assessments import services
from assessments.models import Member, Partnership, Round, Sector, token_new
from reports.management.commands import create_demo as demo
from reports.models import Action, PrincipleReview, Publication, PublishedResponse, ShareLink
from tests.factories import make_response, make_round, publish, responses_bulk

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="file:///etc/passwd"><script>alert(1)</script>'


@pytest.fixture
def round(partnership, principles) -> Round:
    """Six third sector and six local authority responses, one with a hostile comment."""
    round = make_round(partnership, title="Autumn 2026", invite_all_members=False)
    people = []
    for i in range(6):
        people.append((Sector.THIRD_SECTOR, 2, {2: f"Third {i}"}))
        people.append((Sector.LOCAL_AUTHORITY, 4, None))
    responses_bulk(round, [*people, (Sector.HEALTH, 3, {1: HOSTILE})])
    Action.objects.create(round=round, description="Hold evening meetings.", owner="Forum")
    publish(round)
    return services.round_close(round=round)


def url(name: str, round: Round, *extra) -> str:
    return reverse(f"reports:{name}", args=[round.partnership.slug, round.pk, *extra])


# Who may see what: every URL of the report, for each persona. The coordinator's pages by GET
# and POST; the forum's shared pages, whose only key is a live share link.

GET_PAGES = [
    ("round-report", ()),
    ("round-report-pdf", ()),
    ("round-answers-csv", ()),
    ("round-summary-csv", ()),
    ("action-add", ()),
    ("action-edit", ("action",)),
    ("action-delete", ("action",)),
    ("share-links", ()),
    ("workshop", ()),
    ("workshop-principle", ("number",)),
]
POST_PAGES = [
    ("action-add", ()),
    ("action-edit", ("action",)),
    ("action-delete", ("action",)),
    ("share-links", ()),
    ("share-link-revoke", ("link",)),
    ("workshop-principle", ("number",)),
]
REQUESTS = [("get", *page) for page in GET_PAGES] + [("post", *page) for page in POST_PAGES]
REQUEST_IDS = [f"{method}-{name}" for method, name, _ in REQUESTS]
SHARED_PAGES = [
    "shared-report",
    "shared-report-pdf",
    "shared-answers-csv",
    "shared-summary-csv",
]
# Valid for every form here: a request that got past the checks would add or change something.
FORM = {"description": "Taken over.", "status": Action.Status.PLANNED, "label": "Taken over"}


def resolve(round: Round, name: str, extra: tuple) -> str:
    ids = {
        "action": lambda: round.actions.get().pk,
        "link": lambda: link_for(round).pk,
        "number": lambda: 1,  # a principle's screen in the workshop view
    }
    return url(name, round, *(ids[part]() for part in extra))


def link_for(round: Round) -> ShareLink:
    return round.share_links.first() or ShareLink.objects.create(
        round=round, token_hash=token_new()[1]
    )


def send(client, method: str, address: str):
    return client.get(address) if method == "get" else client.post(address, FORM)


def everything() -> list[list[dict]]:
    """Every row a report URL could change."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Round, Action, PrincipleReview, ShareLink, Publication, PublishedResponse)
    ]


@pytest.mark.parametrize("method, name, extra", REQUESTS, ids=REQUEST_IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, round, method, name, extra):
    address = resolve(round, name, extra)
    before = everything()
    response = send(client, method, address)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={address}"
    assert everything() == before


@pytest.mark.parametrize("method, name, extra", REQUESTS, ids=REQUEST_IDS)
def test_another_partnerships_coordinator_gets_404(
    client, other_coordinator, round, method, name, extra
):
    client.force_login(other_coordinator)
    address = resolve(round, name, extra)
    before = everything()
    assert send(client, method, address).status_code == 404
    assert everything() == before


@pytest.mark.parametrize("name, extra", GET_PAGES)
def test_the_coordinator_and_a_site_admin_may_open_every_page(
    client, coordinator, admin_user, round, name, extra
):
    for user in (coordinator, admin_user):
        client.force_login(user)
        assert client.get(resolve(round, name, extra)).status_code == 200


# A reader of the partnership's reports (on its team, the chair say) gets what a share link gives
# the forum: the report of an opened round and its downloads. Every other URL is 403.
READER_PAGES = {"round-report", "round-report-pdf", "round-answers-csv", "round-summary-csv"}


@pytest.mark.parametrize("method, name, extra", REQUESTS, ids=REQUEST_IDS)
def test_a_reader_gets_the_report_and_its_downloads_and_403_for_the_rest(
    client, reader, round, method, name, extra
):
    client.force_login(reader)
    address = resolve(round, name, extra)
    before = everything()
    response = send(client, method, address)
    if method == "get" and name in READER_PAGES:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()
    assert everything() == before


def test_a_readers_report_is_the_forums_with_its_downloads_and_nothing_to_change(
    client, reader, round
):
    client.force_login(reader)
    page = client.get(url("round-report", round)).content.decode()
    for name in ("round-report-pdf", "round-summary-csv", "round-answers-csv"):
        assert url(name, round) in page
    action = round.actions.get()
    hidden = [
        url("share-links", round),
        url("workshop", round),
        url("action-add", round),
        url("action-edit", round, action.pk),
        reverse("assessments:round-detail", args=[round.partnership.slug, round.pk]),
    ]
    assert [address for address in hidden if f'href="{address}"' in page] == []
    assert "Hold evening meetings." in page  # the action plan is read, not changed
    assert reverse("assessments:partnership-detail", args=[round.partnership.slug]) in page
    # The report itself, from its first section to the end, is the share link's to the letter.
    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed)
    shared = client.get(reverse("reports:shared-report", args=[token])).content.decode()

    def body(html: str) -> str:
        main = html[html.index("<main") : html.index("</main>")]
        return main[main.index("<section") :]

    assert body(page) == body(shared)


def test_a_reader_cannot_reach_a_draft_round(client, reader, partnership, principles):
    client.force_login(reader)
    draft = make_round(partnership, open=False)
    for name in sorted(READER_PAGES):
        assert client.get(url(name, draft)).status_code == 404


# Another partnership's round, action or share link, asked for through this partnership's URLs
# (a principle's number is the same in every round: the round is what is checked).
CHILDREN = [
    (*request, part) for request in REQUESTS for part in ("round", *request[2]) if part != "number"
]


@pytest.fixture
def hillside_round(other_coordinator, principles) -> Round:
    """A closed round of the other partnership, with figures, answers, an action and a link."""
    round = make_round(Partnership.objects.get(slug="hillside"), invite_all_members=False)
    responses_bulk(round, [(Sector.THIRD_SECTOR, 4, None)] * 5)
    Action.objects.create(round=round, description="Hillside's own action.")
    link_for(round)
    return services.round_close(round=round)


@pytest.mark.parametrize(
    "method, name, extra, part", CHILDREN, ids=[f"{m}-{n}:{p}" for m, n, _, p in CHILDREN]
)
def test_another_partnerships_child_through_this_partnership_is_404_and_changes_nothing(
    coordinator_client, round, hillside_round, method, name, extra, part
):
    ours = {"round": round.pk, "action": round.actions.get().pk, "link": link_for(round).pk}
    ours["number"] = 1
    theirs = {
        "round": hillside_round.pk,
        "action": hillside_round.actions.get().pk,
        "link": hillside_round.share_links.get().pk,
    }
    ids = ours | {part: theirs[part]}
    args = [round.partnership.slug, ids["round"], *(ids[e] for e in extra)]
    before = everything()
    response = send(coordinator_client, method, reverse(f"reports:{name}", args=args))
    assert response.status_code == 404
    assert everything() == before


@pytest.mark.parametrize("name", SHARED_PAGES)
@pytest.mark.parametrize("reader", ["anonymous", "other_coordinator", "coordinator", "admin_user"])
def test_a_live_share_link_is_the_only_key_to_the_shared_pages(
    request, client, round, reader, name
):
    if reader != "anonymous":
        client.force_login(request.getfixturevalue(reader))
    token, hashed = token_new()
    link = ShareLink.objects.create(round=round, token_hash=hashed)
    address = reverse(f"reports:{name}", args=[token])
    assert client.get(address).status_code == 200
    assert client.post(address, FORM).status_code == 405
    assert client.get(reverse(f"reports:{name}", args=[token[:-1]])).status_code == 404
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    assert client.get(address).status_code == 404


def test_every_report_url_is_in_the_matrix():
    _, resolver = get_resolver().namespace_dict["reports"]
    names = {pattern.name for pattern in resolver.url_patterns}
    assert names == {name for _, name, _ in REQUESTS} | set(SHARED_PAGES)


# What the page shows


def test_the_page_has_every_section_of_the_report(coordinator_client, round):
    page = coordinator_client.get(url("round-report", round)).content.decode()
    for anchor in ("about", "contents", "summary", "comparison", "trend", "actions", "method"):
        assert f'id="{anchor}"' in page
    for number in range(1, 8):
        assert f'id="principle-{number}"' in page
        assert f'id="chart-principle-{number}"' in page
    assert 'id="chart-radar"' in page
    assert "Hold evening meetings." in page


def test_an_open_round_is_marked_interim(coordinator_client, partnership, principles, round):
    open_round = make_round(partnership, invite_all_members=False)
    for _ in range(6):
        make_response(open_round)
    page = coordinator_client.get(url("round-report", open_round)).content.decode()
    assert "Interim report" in page
    assert "The figures are a snapshot of 5 responses" in page
    assert "1 response has come in since" in page
    assert (
        "Interim report" not in coordinator_client.get(url("round-report", round)).content.decode()
    )


def test_comments_and_wording_are_shown_as_text_never_as_markup(coordinator_client, round):
    round.principles.filter(number=3).update(title='Leadership <b onmouseover="x()">')
    page = coordinator_client.get(url("round-report", round)).content.decode()
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;&lt;script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src" not in page
    assert "Leadership &lt;b onmouseover=&quot;x()&quot;&gt;" in page
    assert "<b onmouseover" not in page


def test_the_page_names_no_respondent(coordinator_client, round):
    page = coordinator_client.get(url("round-report", round)).content.decode()
    for member in Member.objects.filter(partnership=round.partnership):
        assert member.name not in page
        assert member.email not in page
        assert member.organisation not in page


def test_the_coordinator_page_offers_downloads_sharing_and_action_editing(
    coordinator_client, round
):
    page = coordinator_client.get(url("round-report", round)).content.decode()
    assert url("round-report-pdf", round) in page
    assert url("round-answers-csv", round) in page
    assert url("share-links", round) in page
    assert url("action-add", round) in page
    assert url("action-edit", round, round.actions.get().pk) in page


def test_a_draft_round_has_no_report_yet(coordinator_client, partnership, principles):
    draft = make_round(partnership, open=False)
    response = coordinator_client.get(url("round-report", draft))
    assert response.status_code == 200
    assert "No report yet" in response.content.decode()
    assert coordinator_client.get(url("round-report-pdf", draft)).status_code == 404
    assert coordinator_client.get(url("round-answers-csv", draft)).status_code == 404


def test_a_round_without_answers_still_renders(coordinator_client, partnership, principles):
    empty = make_round(partnership)
    page = coordinator_client.get(url("round-report", empty)).content.decode()
    assert "Figures appear once at least 5 people have responded." in page
    assert "No responses are in the figures so far." in page


def test_the_demo_rounds_have_full_reports(client):
    call_command("create_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username=demo.COORDINATOR))
    rounds = Round.objects.filter(partnership__slug=demo.SLUG)
    assert rounds.count() == 3
    for round in rounds:
        page = client.get(url("round-report", round)).content.decode()
        assert 'id="principle-7"' in page
    closed = rounds.filter(status=Round.Status.CLOSED).first()
    assert client.get(url("round-report-pdf", closed)).content.startswith(b"%PDF")


def test_a_closed_round_below_the_minimum_says_so_and_leaves_nobody_out(
    coordinator_client, partnership, principles
):
    small = make_round(partnership, invite_all_members=False)
    for _ in range(3):
        make_response(small, comments={1: "Only three of us"})
    services.round_close(round=small)
    page = coordinator_client.get(url("round-report", small)).content.decode()
    assert "Fewer than 5 people responded to this round" in page
    assert "3 submitted" in page and "Only three of us" not in page
    assert "not included" not in page


def test_responses_after_the_last_snapshot_are_left_out_at_closing_and_counted(
    coordinator_client, partnership, principles
):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(7):  # a snapshot at 5; two more
        make_response(round, comments={1: "Late"} if round.responses.count() >= 5 else None)
    services.round_close(round=round)
    page = coordinator_client.get(url("round-report", round)).content.decode()
    assert "2 responses were submitted or changed after the last interim figures" in page
    assert "Late" not in page
