"""The trend across rounds on the report page: this round against the partnership's earlier
rounds, at most the five latest of them, so the chart stays legible."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Round, Sector
from reports import charts
from reports.report import Comparison, report_build
from tests.factories import make_round, publish, responses_bulk
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

TITLES = [f"Round {word}" for word in ("one", "two", "three", "four", "five", "six", "seven")]


@pytest.fixture
def rounds(partnership, principles) -> list[Round]:
    """Seven closed rounds with figures, a year apart, oldest first; round n scores n % 5 + 1."""
    rounds = []
    for years_ago, title in zip(range(6, -1, -1), TITLES, strict=True):
        round = make_round(partnership, title=title, invite_all_members=False)
        responses_bulk(round, [(THIRD, len(rounds) % 5 + 1, None)] * 5)
        round = services.round_close(round=round)
        opened = timezone.now() - datetime.timedelta(days=365 * years_ago + 1)
        Round.objects.filter(pk=round.pk).update(opened_at=opened)
        rounds.append(round)
    return rounds


def trend_table(client, round: Round) -> list[tuple[str, str]]:
    """The trend table's columns: each round's heading, with its mean for principle 1."""
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = client.get(address).content.decode()
    section = re.search(r'<section id="trend".*?</section>', page, re.S).group(0)
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section)[1:]  # after "Principle"
    first_row = re.search(r"<tbody.*?</tr>", section, re.S).group(0)
    means = re.findall(r"<td[^>]*>([^<]*)</td>", first_row)
    return list(zip(headings, means, strict=True))


def test_the_trend_shows_this_round_and_the_five_latest_before_it(coordinator_client, rounds):
    assert trend_table(coordinator_client, rounds[-1]) == [
        ("Round two", "2.00"),
        ("Round three", "3.00"),
        ("Round four", "4.00"),
        ("Round five", "5.00"),
        ("Round six", "1.00"),
        ("Round seven (this round)", "2.00"),
    ]


def test_an_earlier_round_shows_only_the_rounds_before_it(coordinator_client, rounds):
    assert trend_table(coordinator_client, rounds[2]) == [
        ("Round one", "1.00"),
        ("Round two", "2.00"),
        ("Round three (this round)", "3.00"),
    ]


# The third sector and everyone else across rounds: each round compares them only where its own
# gate did. Three rounds of ten, minimum group size 5:
# - Round A (400 days ago): 5 third sector, 5 health. The third sector scores 2 and health 4,
#   except that one third sector respondent answers "Don't know" to statement 1.1 and to all of
#   principle 7, where the others score 5 (1.1) and 1 (principle 7). So statement 1.1 is left out
#   of principle 1's comparison (4 third sector scores), and principle 7 is not compared (its
#   gap would have been -3.00).
# - Round B (200 days ago): 4 third sector (all 1s), 6 local authority (all 5s): the third sector
#   is below 5, so the groups are not shown apart (the gap would have been -4.00).
# - Round C (this round): 5 third sector and 5 local authority. The local authority scores 3;
#   the third sector scores by principle as THIRD_IN_C, and two of them answer "Don't know" to
#   principle 7, which is therefore not compared.

THIRD, COUNCIL, HEALTH = Sector.THIRD_SECTOR, Sector.LOCAL_AUTHORITY, Sector.HEALTH
THIRD_IN_C = {1: 3, 2: 1, 3: 4, 4: 2, 5: 5, 6: 2, 7: 3}
WITHHELD_GAPS = ("−3.00", "−4.00")  # round A's principle 7, round B's every principle


def by_principle(round: Round, score_of) -> dict:
    questions = round.questions.select_related("principle")
    return {q: score_of(q.principle.number, q.order) for q in questions}


def earlier(round: Round, days_ago: int) -> Round:
    round = services.round_close(round=round)
    Round.objects.filter(pk=round.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=days_ago),
        opens_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    return round


def make_group_rounds(partnership) -> list[Round]:
    """Rounds A, B and C as described above, oldest first."""
    a = make_round(partnership, title="Round A", invite_all_members=False)
    people = []
    for index in range(5):
        first = index == 0  # answers "Don't know" to 1.1 and to principle 7
        scores = by_principle(
            a,
            lambda number, order, first=first: (
                None
                if first and (number == 7 or (number, order) == (1, 1))
                else 1
                if number == 7
                else 5
                if (number, order) == (1, 1)
                else 2
            ),
        )
        people += [(THIRD, scores, None), (HEALTH, 4, None)]
    responses_bulk(a, people)
    a = earlier(a, 400)
    b = make_round(partnership, title="Round B", invite_all_members=False)
    responses_bulk(b, [(THIRD, 1, None)] * 4 + [(COUNCIL, 5, None)] * 6)
    b = earlier(b, 200)
    c = make_round(partnership, title="Round C", invite_all_members=False)
    people = []
    for index in range(5):
        scores = by_principle(
            c,
            lambda number, order, index=index: (
                None if number == 7 and index < 2 else THIRD_IN_C[number]
            ),
        )
        people += [(THIRD, scores, None), (COUNCIL, 3, None)]
    responses_bulk(c, people)
    return [a, b, publish(c)]  # open: its interim snapshot of all ten


@pytest.fixture
def group_rounds(partnership, principles) -> list[Round]:
    return make_group_rounds(partnership)


def test_each_round_of_the_trend_compares_the_groups_as_its_own_report_did(group_rounds):
    a, b, c = group_rounds
    assert [r.respondents for r in map(report_build, group_rounds)] == [10, 10, 10]
    trend = report_build(c).trend
    assert [(e.title, e.round_pk, e.compared) for e in trend] == [
        ("Round A", a.pk, True),
        ("Round B", b.pk, False),
        ("Round C", c.pk, True),
    ]
    # Round A: principle 1 pooled over statements 1.2 to 1.5 only (1.1 had 4 third sector
    # scores), principles 2 to 6 in full, principle 7 not at all.
    assert trend[0].comparisons == {number: Comparison(2.0, 4.0) for number in range(1, 7)}
    assert trend[1].comparisons == {}
    assert trend[2].comparisons == {
        number: Comparison(float(score), 3.0) for number, score in THIRD_IN_C.items() if number < 7
    }
    # Each round's own report says the same.
    own = {p.number: p.comparison for p in report_build(a).principles if p.comparison}
    assert own == trend[0].comparisons
    assert not report_build(b).compared


def test_the_overall_means_of_the_trend_are_unchanged(group_rounds):
    trend = report_build(group_rounds[2]).trend
    # Round A, principle 1: 1.1 has 4 fives and 5 fours; 1.2 to 1.5 each 5 twos and 5 fours.
    assert trend[0].means[1] == pytest.approx((4 * 5 + 5 * 4 + 4 * 30) / 49)
    assert trend[0].means[7] == pytest.approx((4 * 4 * 1 + 4 * 5 * 4) / 36)
    assert trend[1].means == {number: pytest.approx(3.4) for number in range(1, 8)}


def section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}".*?</section>', page, re.S).group(0)


def group_table(page: str) -> list[list[str]]:
    """The trend's table of the groups, row by row: each row's cells' text."""
    table = re.search(r'id="trend-groups-caption".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [" ".join(cell.split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def test_the_trend_table_shows_each_round_s_groups_or_says_why_not(
    coordinator_client, group_rounds
):
    c = group_rounds[2]
    address = reverse("reports:round-report", args=[c.partnership.slug, c.pk])
    rows = group_table(coordinator_client.get(address).content.decode())
    not_respondents = "Not compared: fewer than 5 respondents in a group in that round"
    not_scores = "Not compared: fewer than 5 scores in a group on every statement"
    assert rows[:5] == [
        ["Round", "Third sector", "Everyone else", "Gap"],
        ["1. Accountability"],
        ["Round A", "2.00", "4.00", "−2.00"],
        ["Round B", not_respondents],
        ["Round C (this round)", "3.00", "3.00", "0.00"],
    ]
    assert rows[-4:] == [
        ["7. Local values"],
        ["Round A", not_scores],
        ["Round B", not_respondents],
        ["Round C (this round)", not_scores],
    ]


def test_what_the_gate_withheld_in_an_earlier_round_is_nowhere_in_the_trend(
    coordinator_client, group_rounds, tmp_path
):
    c = group_rounds[2]
    address = reverse("reports:round-report", args=[c.partnership.slug, c.pk])
    page = coordinator_client.get(address).content.decode()
    document = coordinator_client.get(address.replace("report/", "report.pdf")).content
    printed = " ".join(pdf_text(document, tmp_path, layout=False).split())
    for gap in WITHHELD_GAPS:
        assert gap not in page
        assert gap not in printed
    # Round B's rows in the chart say so, and its words name no group's figure.
    chart = charts.trend(report_build(c), layout=charts.WIDE)
    assert chart in section(page, "trend")
    assert chart.count(">Not compared<") == 7 + 2  # round B's seven, principle 7 in A and C
    assert "Round B: not compared, all respondents 3.40" in chart
    assert "Round B: third sector" not in chart
    assert "Not compared: fewer than 5 respondents in a group in that round" in printed
