"""The workshop view: the results meeting goes through the report one principle a screen and
records what it learned, the rating it agreed and the actions it commits to."""

import datetime
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round, Sector
from reports.models import Action, PrincipleReview
from reports.report import report_build
from reports.rounding import shown
from tests.factories import (
    make_report_round,
    make_response,
    make_round,
    members_create,
    publish,
    round_with_responses,
)
from tests.reports.test_report_queries import COORDINATOR_QUERIES, REPORT_QUERIES

pytestmark = pytest.mark.django_db

COMMENT = "Papers arrive two days before the meeting."


@pytest.fixture
def round(partnership, principles) -> Round:
    """12 responses in the snapshot (6 third sector, 6 others): figures, gap and comments."""
    round = make_report_round(
        partnership, comment=lambda index: COMMENT if index == 3 else None, bulk=True
    )
    return publish(round)


def url(round: Round, number: int | None = None) -> str:
    args = [round.partnership.slug, round.pk]
    if number is None:
        return reverse("reports:workshop", args=args)
    return reverse("reports:workshop-principle", args=[*args, number])


def text(html: str) -> str:
    """The page's words as a reader sees them, in one line."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def screen(client, round: Round, number: int) -> str:
    response = client.get(url(round, number))
    assert response.status_code == 200
    return response.content.decode()


def data(**changes) -> dict:
    return {
        "learned": "Reporting back reaches the forum, not the wider sector.",
        "agreed_score": "2",
        "description": "Publish a summary of every board meeting in the forum bulletin.",
        "owner": "Forum coordinator",
        "due_on_0": "31",
        "due_on_1": "3",
        "due_on_2": "2027",
    } | changes


def no_action(**changes) -> dict:
    return data(description="", owner="", due_on_0="", due_on_1="", due_on_2="", **changes)


# What the screens show


def test_the_start_screen_lists_the_principles_and_starts_at_the_first(coordinator_client, round):
    page = coordinator_client.get(url(round)).content.decode()
    words = text(page)
    assert "Workshop view: Autumn 2026" in words
    assert "right and left arrow keys, or Page Down and Page Up" in words
    for principle in round.principles.all():
        assert f'href="{url(round, principle.number)}">{principle}</a>' in page
    assert re.search(rf'href="{url(round, 1)}" rel="next"', page)


def test_a_screen_shows_its_principles_figures_from_the_report(coordinator_client, round):
    result = report_build(round).principles[2]
    words = text(screen(coordinator_client, round, 3))
    assert "Principle 3 of 7" in words
    assert f"3. {result.title}" in words
    figures = result.figures
    expected = (
        f"Mean score {shown(figures.mean)} Band {result.band.name} "
        f"Scores given {figures.n} “Don’t know” {figures.dont_know}"
    )
    assert expected in words


def test_a_screen_shows_the_perception_gap_when_the_report_compares(coordinator_client, round):
    report = report_build(round)
    assert report.compared
    comparison = report.principles[0].comparison
    words = text(screen(coordinator_client, round, 1))
    assert (
        f"Third sector {shown(comparison.third)} Everyone else {shown(comparison.others)} "
        f"Perception gap {comparison.gap_shown}"
    ) in words
    assert f"The third sector’s mean is {comparison.gap_words} everyone else’s." in words


def test_no_gap_is_shown_where_the_report_does_not_compare(
    coordinator_client, partnership, principles
):
    """Every respondent from the third sector: everyone else is too few to show apart."""
    round = make_round(partnership, invite_all_members=False)
    for _ in range(6):
        make_response(round, scores=4, sector=Sector.THIRD_SECTOR)
    publish(round)
    assert not report_build(round).compared
    words = text(screen(coordinator_client, round, 1))
    assert "Mean score 4.00" in words
    assert "Perception gap" not in words
    assert "Third sector" not in words
    assert "views are not shown apart in this round: each group needs at least 5" in words


def test_split_statements_are_listed_in_full_with_their_numbers(coordinator_client, round):
    report = report_build(round)
    principle = next(p for p in report.principles if p.split_statements)
    words = text(screen(coordinator_client, round, principle.number))
    assert "Where views are split" in words
    for statement in principle.split_statements:
        assert f"{statement.number} {statement.text}" in words
    unsplit = [s for s in principle.statements if not s.figures.split]
    for statement in unsplit:
        assert statement.text not in words


def test_comments_are_the_prompts_on_their_principles_screen_only(coordinator_client, round):
    # The fourth response (index 3) commented on principle 3 % 7 + 1 = 4.
    assert COMMENT in text(screen(coordinator_client, round, 4))
    assert "What people said (1)" in text(screen(coordinator_client, round, 4))
    assert COMMENT not in text(screen(coordinator_client, round, 5))
    assert "No comments on this principle." in text(screen(coordinator_client, round, 5))


def test_a_round_below_k_responses_shows_no_figures_and_no_comments(
    coordinator_client, partnership, principles
):
    round = make_round(partnership, invite_all_members=False)
    for sector in [Sector.THIRD_SECTOR, Sector.HEALTH] * 2:  # 4, below k = 5
        make_response(round, scores=2, sector=sector, comments={1: "Only four of us answered."})
    publish(round)
    assert not report_build(round).results_shown
    words = text(screen(coordinator_client, round, 1))
    assert "No figures yet" in words
    for withheld in ["Mean score", "2.00", "Scores given", "Perception gap", "Only four of us"]:
        assert withheld not in words
    assert "Record what the meeting agreed" in words


def test_the_screen_lists_this_principles_actions_in_the_plan(coordinator_client, round):
    spring = Round.objects.get(partnership=round.partnership, title="Spring 2026")
    Action.objects.create(
        round=spring, principle=spring.principles.get(number=6), description="Pay expenses."
    )
    Action.objects.create(
        round=round, principle=round.principles.get(number=6), description="Recruit deputies."
    )
    Action.objects.create(
        round=round, principle=round.principles.get(number=2), description="Meet in evenings."
    )
    words = text(screen(coordinator_client, round, 6))
    assert "Pay expenses. (agreed in Spring 2026; Planned)" in words
    assert "Recruit deputies. (Planned)" in words
    assert "Meet in evenings." not in words
    assert "None in this round’s action plan yet." in text(screen(coordinator_client, round, 1))


def test_previous_and_next_link_the_neighbouring_principles(coordinator_client, round):
    page = screen(coordinator_client, round, 3)
    assert re.search(rf'href="{url(round, 2)}" rel="prev"', page)
    assert re.search(rf'href="{url(round, 4)}" rel="next"', page)
    nav = text(re.search(r'<nav class="govuk-pagination.*?</nav>', page, re.S).group(0))
    assert nav == "Previous principle : 2. Equality Next principle : 4. Openness"


def test_the_first_screen_goes_back_to_the_start_and_the_last_on_to_the_plan(
    coordinator_client, round
):
    assert re.search(rf'href="{url(round)}" rel="prev"', screen(coordinator_client, round, 1))
    report = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    assert re.search(rf'href="{report}#actions" rel="next"', screen(coordinator_client, round, 7))


def test_the_report_and_the_round_page_link_to_the_workshop(coordinator_client, round):
    report = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    detail = reverse("assessments:round-detail", args=[round.partnership.slug, round.pk])
    for page in [report, detail]:
        html = coordinator_client.get(page).content.decode()
        assert f'href="{url(round)}">Open the workshop view for the results meeting' in html


# Recording what the meeting agreed


def test_saving_a_review_and_an_action(coordinator, coordinator_client, round):
    response = coordinator_client.post(url(round, 1), data())
    assert response.status_code == 302
    assert response["Location"] == url(round, 1)
    review = PrincipleReview.objects.get(round=round)
    assert (review.principle.number, review.agreed_score, review.updated_by) == (1, 2, coordinator)
    action = Action.objects.get(round=round)
    assert (action.principle.number, action.owner, action.due_on, action.status) == (
        1,
        "Forum coordinator",
        datetime.date(2027, 3, 31),
        Action.Status.PLANNED,
    )
    page = coordinator_client.get(response["Location"]).content.decode()
    words = text(page)
    assert (
        "Success What the meeting agreed is saved, and the action is added to the round’s "
        "action plan."
    ) in words
    assert "Publish a summary of every board meeting in the forum bulletin. (led by Forum" in words
    # The form shows what was agreed, ready to change, and a blank action for the next one.
    assert "Reporting back reaches the forum, not the wider sector.</textarea>" in page
    assert re.search(r'value="2"\s+checked', page)
    assert 'value="Forum coordinator"' not in page


def test_what_was_saved_is_in_the_report(coordinator_client, round):
    coordinator_client.post(url(round, 1), data())
    report = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = coordinator_client.get(report).content.decode()
    section = re.search(r'<section id="principle-1".*?</section>', page, re.S).group(0)
    assert "Agreed at the meeting: 2 (disagree)" in text(section)
    assert "Reporting back reaches the forum, not the wider sector." in text(section)
    plan = text(re.search(r'<section id="actions".*?</section>', page, re.S).group(0))
    assert (
        "Publish a summary of every board meeting in the forum bulletin. 1. Accountability "
        "This round Forum coordinator 31 March 2027 Planned"
    ) in plan


def test_a_blank_action_saves_only_the_review(coordinator_client, round):
    response = coordinator_client.post(url(round, 2), no_action())
    assert response.status_code == 302
    assert PrincipleReview.objects.filter(round=round, principle__number=2).exists()
    assert not Action.objects.exists()
    words = text(coordinator_client.get(url(round, 2)).content.decode())
    assert "What the meeting agreed about Equality is saved." in words


def test_an_action_alone_adds_it_without_a_review(coordinator_client, round):
    coordinator_client.post(url(round, 2), data(learned="", agreed_score=""))
    assert not PrincipleReview.objects.exists()
    assert Action.objects.get().principle.number == 2
    words = text(coordinator_client.get(url(round, 2)).content.decode())
    assert "The action is added to the round’s action plan." in words


def test_saving_again_changes_the_review_and_can_clear_the_rating(coordinator_client, round):
    coordinator_client.post(url(round, 1), no_action())
    coordinator_client.post(url(round, 1), no_action(agreed_score="", learned="Views differ."))
    review = PrincipleReview.objects.get()
    assert (review.agreed_score, review.learned) == (None, "Views differ.")
    page = coordinator_client.get(url(round, 1)).content.decode()
    assert re.search(r'value=""\s+checked', page)  # "No rating agreed"


def test_a_screen_sent_twice_adds_its_action_once(coordinator_client, round):
    """A double click on Save, or a resubmitted form, at the meeting."""
    coordinator_client.post(url(round, 1), data())
    coordinator_client.post(url(round, 1), data())
    assert Action.objects.filter(round=round).count() == 1
    words = text(coordinator_client.get(url(round, 1)).content.decode())
    assert "The action was already in the plan, so it is not added again." in words


def test_saving_nothing_new_writes_nothing(coordinator_client, round):
    coordinator_client.post(url(round, 1), no_action(learned="", agreed_score=""))
    assert not PrincipleReview.objects.exists()
    words = text(coordinator_client.get(url(round, 1)).content.decode())
    assert "Nothing has changed, so nothing was saved." in words


@pytest.mark.parametrize(
    "changes, message, target",
    [
        ({"description": ""}, "Enter what will be done, or clear who leads it", "id_description"),
        (
            {"description": "", "due_on_0": "", "due_on_1": "", "due_on_2": ""},
            "Enter what will be done, or clear who leads it",
            "id_description",
        ),
        ({"due_on_0": "31", "due_on_1": "2"}, "Due date must be a real date", "id_due_on_0"),
        ({"agreed_score": "9"}, "Select the rating the meeting agreed", "id_agreed_score_1"),
        ({"learned": "x" * 2001}, "must be 2,000 characters or fewer", "id_learned"),
    ],
)
def test_a_mistake_is_explained_and_nothing_typed_is_lost(
    coordinator_client, round, changes, message, target
):
    sent = data(**changes)
    response = coordinator_client.post(url(round, 1), sent)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: 1. Accountability" in page
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S).group(0)
    assert f'href="#{target}"' in summary and message in summary
    for key in ["learned", "description"]:
        if sent[key] and len(sent[key]) < 100:
            assert f"{sent[key]}</textarea>" in page
    if sent["owner"]:
        assert f'value="{sent["owner"]}"' in page
    assert not PrincipleReview.objects.exists() and not Action.objects.exists()


# Who may reach it


def test_another_partnerships_coordinator_gets_404(client, other_coordinator, round):
    client.force_login(other_coordinator)
    assert client.get(url(round)).status_code == 404
    assert client.get(url(round, 1)).status_code == 404
    assert client.post(url(round, 1), data()).status_code == 404
    assert not Action.objects.exists()


def test_a_draft_round_has_no_workshop(coordinator_client, partnership, principles):
    draft = make_round(partnership, open=False)
    assert coordinator_client.get(url(draft)).status_code == 404
    assert coordinator_client.get(url(draft, 1)).status_code == 404


def test_a_principle_not_in_the_round_is_404(coordinator_client, round):
    assert coordinator_client.get(url(round, 8)).status_code == 404
    assert coordinator_client.get(url(round, 0)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, round):
    response = client.get(url(round, 1))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_other_methods_are_not_allowed(coordinator_client, round):
    assert coordinator_client.put(url(round, 1)).status_code == 405
    assert coordinator_client.post(url(round)).status_code == 405


# Queries

# A coordinator's request (session, user, partnership, round), the round's principles (for the
# screen's title and its neighbours), and report_build's own (pinned in test_report_queries).
# What the meeting agreed and the principle's actions come from the report: no more queries.
WORKSHOP_QUERIES = COORDINATOR_QUERIES + 1 + REPORT_QUERIES


@pytest.mark.parametrize("rounds, actions", [(1, 1), (3, 12)])
def test_a_screens_queries_do_not_grow_with_rounds_or_actions(
    coordinator_client, partnership, principles, django_assert_num_queries, rounds, actions
):
    rng = random.Random(1)
    members = members_create(partnership, 10, rng)
    for n in range(rounds):
        opened = timezone.now() - datetime.timedelta(days=100 * (rounds - n))
        round_with_responses(partnership, members, rng, opened, f"Earlier {n}")
    round = round_with_responses(partnership, members, rng, timezone.now(), "This round")
    for n in range(actions):
        earlier = round if n % 2 else partnership.rounds.exclude(pk=round.pk).first()
        earlier.actions.create(principle=earlier.principles.get(number=1), description=f"A{n}")
    PrincipleReview.objects.create(round=round, principle=round.principles.get(number=1))
    screen_url = url(round, 1)
    with django_assert_num_queries(WORKSHOP_QUERIES):
        response = coordinator_client.get(screen_url)
    assert response.status_code == 200
    assert text(response.content.decode()).count("Planned)") == actions
