"""Actions carried across rounds: what a round agreed stays in every later round's plan until it
is done or dropped, overdue actions are flagged, and each principle's section says what was
committed and how its mean has moved since."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Round
from reports.models import Action, PrincipleReview
from reports.report import report_build
from tests.factories import make_partnership, make_report_round, make_round, make_user, publish

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture
def autumn(partnership, principles) -> Round:
    # "Spring 2026" (closed, all 3s), then this one, open, its interim snapshot of all 12.
    return publish(make_report_round(partnership, bulk=True))


@pytest.fixture
def spring(autumn) -> Round:
    return Round.objects.get(partnership=autumn.partnership, title="Spring 2026")


def agree(round: Round, description: str, *, number: int | None = 6, **fields) -> Action:
    principle = round.principles.get(number=number) if number else None
    return Action.objects.create(
        round=round, principle=principle, description=description, **fields
    )


def report_url(round: Round) -> str:
    return reverse("reports:round-report", args=[round.partnership.slug, round.pk])


def plan(client, round: Round) -> list[list[str]]:
    """The action plan's rows as the reader sees them: each cell's text."""
    page = client.get(report_url(round)).content.decode()
    section = re.search(r'<section id="actions".*?</section>', page, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", section, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [
        [
            re.sub(r"<[^>]+>", " ", cell).split()
            and " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in row[:6]
        ]
        for row in cells
    ]


def test_an_open_action_from_the_last_round_is_in_this_rounds_plan(
    coordinator_client, spring, autumn
):
    agree(spring, "Pay representatives' expenses.", status=Action.Status.IN_PROGRESS)
    agree(autumn, "Meet in the evening.", number=2)
    rows = plan(coordinator_client, autumn)
    assert [row[:3] for row in rows] == [
        ["Pay representatives&#x27; expenses.", "6. Sustainability", "Spring 2026"],
        ["Meet in the evening.", "2. Equality", "This round"],
    ]
    page = coordinator_client.get(report_url(autumn)).content.decode()
    assert "1 action agreed in this round; 1 from earlier rounds still open." in page
    assert "No actions have been agreed yet" not in page


def test_done_or_dropped_before_this_round_opened_is_not_carried(
    coordinator_client, spring, autumn
):
    long_ago = autumn.opens_on - datetime.timedelta(days=1)
    agree(spring, "Done before.", status=Action.Status.DONE, closed_on=long_ago)
    agree(spring, "Dropped before.", status=Action.Status.DROPPED, closed_on=long_ago)
    agree(spring, "Done since.", status=Action.Status.DONE, closed_on=autumn.opens_on)
    rows = plan(coordinator_client, autumn)
    assert [(row[0], row[5]) for row in rows] == [("Done since.", "Done")]
    page = coordinator_client.get(report_url(autumn)).content.decode()
    assert (
        "No actions agreed in this round yet; 1 from earlier rounds done or dropped since this "
        "round opened."
    ) in page
    # The round that agreed them still lists all three.
    assert len(plan(coordinator_client, spring)) == 3


def test_the_next_report_says_what_the_last_round_committed_to_even_when_done(
    coordinator_client, spring, autumn
):
    long_ago = autumn.opens_on - datetime.timedelta(days=1)
    agree(spring, "Done before.", status=Action.Status.DONE, closed_on=long_ago)
    page = coordinator_client.get(report_url(autumn)).content.decode()
    section = re.search(r'<section id="principle-6".*?</section>', page, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Committed to in earlier rounds" in text
    assert "Done before. (Spring 2026; Done)." in text
    assert plan(coordinator_client, autumn) == []


def test_what_a_round_before_the_last_did_is_not_repeated_once_closed(
    coordinator_client, partnership, spring, autumn
):
    """Three rounds: the oldest's finished actions are the middle round's story, not the
    latest's; its open ones still carry."""
    latest = make_round(partnership, title="Spring 2027", invite_all_members=False)
    Round.objects.filter(pk=autumn.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=30)
    )
    long_ago = autumn.opens_on - datetime.timedelta(days=1)
    agree(spring, "Finished long ago.", status=Action.Status.DONE, closed_on=long_ago)
    agree(spring, "Still going.", status=Action.Status.IN_PROGRESS)
    report = report_build(Round.objects.select_related("partnership").get(pk=latest.pk))
    assert [action.description for action in report.committed] == ["Still going."]
    assert [row[0] for row in plan(coordinator_client, latest)] == ["Still going."]


def test_a_later_rounds_action_is_not_in_an_earlier_rounds_plan(coordinator_client, spring, autumn):
    agree(autumn, "Agreed later.")
    assert plan(coordinator_client, spring) == []


def test_another_partnerships_actions_are_never_carried(coordinator_client, autumn, principles):
    other = make_partnership(make_user())
    theirs = make_round(other, title="Their round", invite_all_members=False)
    Round.objects.filter(pk=theirs.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=400)
    )
    action = agree(theirs, "Their secret plan.")
    assert plan(coordinator_client, autumn) == []
    edit = reverse("reports:action-edit", args=[autumn.partnership.slug, autumn.pk, action.pk])
    assert coordinator_client.get(edit).status_code == 404


def test_an_open_action_past_its_due_date_is_flagged_overdue(coordinator_client, spring, autumn):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    agree(spring, "Late and planned.", due_on=yesterday)
    agree(spring, "Late but done.", due_on=yesterday, status=Action.Status.DONE)
    agree(spring, "Not due yet.", due_on=tomorrow)
    rows = {row[0]: row[5] for row in plan(coordinator_client, spring)}
    assert rows == {
        "Late and planned.": "Planned Overdue",
        "Late but done.": "Done",
        "Not due yet.": "Planned",
    }
    page = coordinator_client.get(report_url(spring)).content.decode()
    assert "1 is overdue: still open after its due date." in page


def test_a_principles_section_says_what_was_committed_and_how_it_moved(
    coordinator_client, spring, autumn
):
    agree(spring, "Pay representatives' expenses.", status=Action.Status.IN_PROGRESS)
    page = coordinator_client.get(report_url(autumn)).content.decode()
    section = re.search(r'<section id="principle-6".*?</section>', page, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    mean_now = re.search(r"Mean score ([0-9.]+)", text).group(1)
    assert "Committed to in earlier rounds" in text
    moved = float(mean_now) - 3
    change = f"{moved:+.2f}".replace("-", "−")
    since = (
        f"has moved from 3.00 to {mean_now} ({change})."
        if round(moved, 2)
        else f"has stayed at {mean_now}."
    )
    assert (
        "Pay representatives&#x27; expenses. (Spring 2026; In progress). Since then this "
        f"principle’s mean {since}"
    ) in text
    other = re.search(r'<section id="principle-2".*?</section>', page, re.S).group(0)
    assert "Committed to in earlier rounds" not in other


def test_a_carried_action_is_changed_from_the_later_report_and_keeps_its_history(
    coordinator_client, coordinator, spring, autumn
):
    action = agree(spring, "Pay representatives' expenses.", due_on=datetime.date(2026, 6, 30))
    edit = reverse("reports:action-edit", args=[autumn.partnership.slug, autumn.pk, action.pk])
    page = coordinator_client.get(edit).content.decode()
    assert "This action was agreed in Spring 2026" in page
    data = {
        "principle": action.principle_id,
        "description": action.description,
        "owner": "LSP support team",
        "due_on_0": "30",
        "due_on_1": "6",
        "due_on_2": "2026",
        "status": Action.Status.DONE,
    }
    response = coordinator_client.post(edit, data)
    assert response["Location"] == report_url(autumn) + "#actions"
    action.refresh_from_db()
    assert (action.round, action.status, action.closed_on) == (
        spring,
        Action.Status.DONE,
        timezone.localdate(),
    )
    history = coordinator_client.get(edit).content.decode()
    listed = re.search(r'<ul class="govuk-list app-action-history">(.*?)</ul>', history, re.S)
    items = [
        " ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    ]
    assert items[0].startswith("Planned: ")
    assert items[1].startswith("Done: ") and items[1].endswith(f", by {coordinator.username}")


def test_reopening_an_action_carries_it_again(coordinator_client, spring, autumn):
    action = agree(spring, "Reopened.", status=Action.Status.DONE)
    Action.objects.filter(pk=action.pk).update(closed_on=autumn.opens_on - datetime.timedelta(1))
    assert plan(coordinator_client, autumn) == []
    action.refresh_from_db()
    action.status = Action.Status.PLANNED
    action.save()
    assert action.closed_on is None
    assert [row[0] for row in plan(coordinator_client, autumn)] == ["Reopened."]


def test_what_the_meeting_agreed_is_shown_beside_the_surveys_figure(
    coordinator_client, spring, autumn
):
    PrincipleReview.objects.create(
        round=spring,
        principle=spring.principles.get(number=6),
        agreed_score=2,
        learned="Representatives cannot keep going unpaid.",
    )
    page = coordinator_client.get(report_url(spring)).content.decode()
    section = re.search(r'<section id="principle-6".*?</section>', page, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Agreed at the meeting: 2 (disagree) , beside the survey’s mean of 3.00." in text
    assert "What the partnership learned: Representatives cannot keep going unpaid." in text


def test_an_action_sent_twice_is_added_once(coordinator_client, autumn):
    add = reverse("reports:action-add", args=[autumn.partnership.slug, autumn.pk])
    data = {
        "principle": autumn.principles.get(number=6).pk,
        "description": "Pay representatives' expenses.",
        "owner": "",
        "due_on_0": "",
        "due_on_1": "",
        "due_on_2": "",
        "status": Action.Status.PLANNED,
    }
    coordinator_client.post(add, data)
    response = coordinator_client.post(add, data, follow=True)
    assert "That action was already in the plan." in response.content.decode()
    assert autumn.actions.count() == 1


def test_a_draft_round_has_no_plan_to_add_to(coordinator_client, partnership, principles):
    draft = make_round(partnership, open=False)
    add = reverse("reports:action-add", args=[partnership.slug, draft.pk])
    assert coordinator_client.get(add).status_code == 404
    assert coordinator_client.post(add, {"description": "Sneaked in."}).status_code == 404
    assert not Action.objects.exists()


def test_deleting_a_carried_action_says_it_leaves_the_round_that_agreed_it(
    coordinator_client, spring, autumn
):
    action = agree(spring, "Pay representatives' expenses.")
    delete = reverse("reports:action-delete", args=[autumn.partnership.slug, autumn.pk, action.pk])
    text = " ".join(
        re.sub(r"<[^>]+>", " ", coordinator_client.get(delete).content.decode()).split()
    )
    assert "This action was agreed in Spring 2026. Deleting it removes it from that round’s" in text
    assert "change its status to Dropped instead" in text
