"""The report's key findings, against a round built so that every answer is known.

This round: five third sector and five local authority respondents, everyone scoring 3 except
(third sector; local authority):
- 1 Accountability: 3; 4, 5, 4, 5, 5 (means 3.00 and 4.60: gap −1.60);
- 2 Equality: 4; 3 (gap +1.00);
- 3 Leadership: 3, 3, 3, 3, 4; 3 (gap +0.20, the fourth largest);
- 4 Openness: statement 4.1 is 1, 1, 5, 5, 3 in both groups (views split, no gap);
- 5 Clarity of purpose: 5 (mean 5.00, the strongest);
- 6 Sustainability: 1; 3 (mean 2.00, the one priority for action; gap −2.00);
- 7 Local values: 4 (mean 4.00, a strength).
The round before: five respondents whose means are the same except 2 (3.40: moved +0.10),
3 (3.00: moved +0.10), 5 (4.00: moved +1.00) and 6 (2.60: moved −0.60).
"""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Round, Sector
from reports.findings import CHANGE_THRESHOLD, findings_for
from reports.models import Action
from reports.pdf import pdf_render
from reports.report import TrendRound, report_build
from tests.factories import make_response, make_round, publish, responses_bulk
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

THIRD, COUNCIL = Sector.THIRD_SECTOR, Sector.LOCAL_AUTHORITY
NOW = {  # principle number -> (third sector's scores, local authority's), one per respondent
    1: ([3] * 5, [4, 5, 4, 5, 5]),
    2: ([4] * 5, [3] * 5),
    3: ([3, 3, 3, 3, 4], [3] * 5),
    5: ([5] * 5, [5] * 5),
    6: ([1] * 5, [3] * 5),
    7: ([4] * 5, [4] * 5),
}
SPLIT = [1, 1, 5, 5, 3]  # statement 4.1, in each group
BEFORE = {1: [4, 4, 4, 4, 3], 2: [3, 3, 3, 4, 4], 5: [4] * 5, 6: [3, 3, 3, 2, 2], 7: [4] * 5}


def scores(round: Round, by_principle: dict[int, int], split: int | None = None) -> dict:
    answers = {}
    for question in round.questions.select_related("principle"):
        answers[question] = by_principle.get(question.principle.number, 3)
        if split is not None and (question.principle.number, question.order) == (4, 1):
            answers[question] = split
    return answers


@pytest.fixture
def earlier(partnership, principles) -> Round:
    round = make_round(partnership, title="Spring 2025", invite_all_members=False)
    people = [(THIRD, scores(round, {n: s[i] for n, s in BEFORE.items()}), None) for i in range(5)]
    responses_bulk(round, people)
    round = services.round_close(round=round)
    Round.objects.filter(pk=round.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=200)
    )
    old = round.principles.get(number=6)
    round.actions.create(principle=old, description="Find a host for the forum.")  # still open
    round.actions.create(description="Write a role description.", status=Action.Status.DONE)
    return round


@pytest.fixture
def round(partnership, principles, earlier) -> Round:
    round = make_round(partnership, title="Autumn 2025", invite_all_members=False)
    people = []
    for group, sector in enumerate([THIRD, COUNCIL]):
        for index in range(5):
            answers = {n: pair[group][index] for n, pair in NOW.items()}
            people.append((sector, scores(round, answers, SPLIT[index]), None))
    responses_bulk(round, people)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    round.actions.create(description="Fund expenses.", due_on=yesterday)  # overdue
    round.actions.create(description="Meet in the evening.")
    publish(round)
    return Round.objects.select_related("partnership").get(pk=round.pk)


@pytest.fixture
def findings(round):
    return findings_for(report_build(round))


def findings_text(client, round: Round) -> str:
    """The key findings section of the report page, as text with links as [text](#anchor)."""
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = client.get(address).content.decode()
    match = re.search(r'<section id="findings".*?</section>', page, re.S)
    assert match, "no key findings section"
    text = re.sub(r'<a [^>]*href="(#[^"]+)"[^>]*>(.*?)</a>', r"[\2](\1)", match.group(0))
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).replace(" :", ":").replace(" ,", ",").replace(" .", ".")


def names(mentions) -> list[int]:
    return [mention.number for mention in mentions]


def test_the_findings_are_read_from_the_report_without_a_query(round, django_assert_num_queries):
    report = report_build(round)
    with django_assert_num_queries(0):
        findings_for(report)


def test_strengths_are_the_top_band_and_the_strongest_principle(findings):
    assert findings.top_band.name == "Strength"
    assert names(findings.strengths) == [5, 7]  # highest mean first
    assert names(findings.strongest) == [5]


def test_the_priority_is_the_principle_in_the_lowest_band(findings):
    assert findings.lowest_band.name == "Priority for action"
    assert names(findings.priorities) == [6]
    assert findings.weakest == []


def test_the_three_largest_gaps_either_way_are_named(findings):
    assert [(g.number, g.gap_shown, g.gap_words) for g in findings.gaps] == [
        (6, "−2.00", "2.00 lower than"),
        (1, "−1.60", "1.60 lower than"),
        (2, "+1.00", "1.00 higher than"),
    ]  # not 3 (+0.20): only three


def test_split_statements_are_named_by_number_and_text(findings, round):
    text = round.questions.get(principle__number=4, order=1).text
    assert [(s.number, s.text, s.principle) for s in findings.split] == [("4.1", text, 4)]


def test_changes_of_at_least_the_threshold_since_the_last_round(findings):
    assert Decimal("0.25") == CHANGE_THRESHOLD
    assert findings.previous_round == "Spring 2025"
    assert [(c.number, c.change_shown, c.rose) for c in findings.changes] == [
        (5, "+1.00", True),
        (6, "−0.60", False),
    ]  # not 2 or 3: they moved 0.10


def test_changes_compare_the_means_as_printed(round):
    """Openness, 3.00 now, against 3.245 (printed 3.25) moved 0.25, though 3.00 - 3.245 is
    -0.245; accountability, 3.80 now, against 3.555 (printed 3.56) moved 0.24."""
    report = report_build(round)
    means = {4: 3.245, 1: 3.555}
    before = TrendRound(title="Earlier", opens_on=round.opens_on, means=means, is_current=False)
    report = dataclasses.replace(report, trend=[before, report.trend[-1]])
    assert [(c.number, c.change_shown) for c in findings_for(report).changes] == [(4, "−0.25")]


def test_actions_count_this_rounds_the_open_carried_and_the_overdue(findings):
    actions = findings.actions
    assert (actions.agreed, actions.carried_open, actions.overdue) == (2, 1, 1)


ON_THE_PAGE = [
    "In the “Strength” band (a mean of 4.00 or more):",
    "[5. Clarity of purpose](#principle-5): mean 5.00",
    "[7. Local values](#principle-7): mean 4.00",
    "The strongest principle is [5. Clarity of purpose](#principle-5), with a mean of 5.00.",
    "In the “Priority for action” band (a mean of 1.00 to 2.99):",
    "[6. Sustainability](#principle-6): mean 2.00",
    "[6. Sustainability](#principle-6): −2.00, the third sector’s mean (1.00) is 2.00 lower "
    "than everyone else’s (3.00)",
    "[1. Accountability](#principle-1): −1.60, the third sector’s mean (3.00) is 1.60 lower",
    "[2. Equality](#principle-2): +1.00, the third sector’s mean (4.00) is 1.00 higher",
    "[See the gap on every principle](#comparison)",
    "Views split on 1 statement:",
    "[Statement 4.1](#principle-4):",
    "moved by 0.25 or more since the last round, Spring 2025:",
    "[5. Clarity of purpose](#principle-5): up from 4.00 to 5.00 (+1.00)",
    "[6. Sustainability](#principle-6): down from 2.60 to 2.00 (−0.60)",
    "[See the trend across rounds](#trend)",
    "2 actions agreed in this round",
    "1 action from earlier rounds still open",
    "1 action overdue: still open after its due date",
    "[See the action plan](#actions)",
]


def test_the_report_page_leads_with_the_findings(coordinator_client, round):
    text = findings_text(coordinator_client, round)
    assert text.strip().startswith("Key findings")
    missing = [words for words in ON_THE_PAGE if words not in text]
    assert missing == []
    assert "Leadership](#principle-3): +0.20" not in text  # the fourth gap
    assert "Equality](#principle-2): up" not in text  # moved 0.10


def test_the_contents_list_starts_with_the_findings(coordinator_client, round):
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = coordinator_client.get(address).content.decode()
    contents = re.search(r'<nav id="contents".*?</nav>', page, re.S).group(0)
    assert re.findall(r'href="(#[^"]+)"', contents)[:2] == ["#findings", "#summary"]
    assert page.index('id="findings"') < page.index('id="about"')


def test_a_first_round_without_a_comparison_says_why(coordinator_client, partnership, principles):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(5):  # all third sector: no one else to compare with
        make_response(round, scores=4)
    publish(round)
    findings = findings_for(report_build(round))
    assert (findings.compared, findings.gaps, findings.previous_round) == (False, [], "")
    assert names(findings.strengths) == names(findings.strongest) == [1, 2, 3, 4, 5, 6, 7]
    assert findings.priorities == [] and names(findings.weakest) == [1, 2, 3, 4, 5, 6, 7]
    text = findings_text(coordinator_client, round)
    assert (
        "The third sector’s and everyone else’s views are not shown apart in this round: each "
        "group needs at least 5 respondents."
    ) in text
    assert "No principle is in the “Priority for action” band (a mean of 1.00 to 2.99)." in text
    assert "This is the partnership’s first round with figures" in text
    assert "No actions have been agreed yet" in text


def test_fewer_than_k_respondents_show_no_findings(coordinator_client, partnership, principles):
    round = make_round(partnership, invite_all_members=False)
    for _ in range(4):
        make_response(round, scores=1)
    publish(round)
    assert not findings_for(report_build(round)).shown
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = coordinator_client.get(address).content.decode()
    assert "No figures yet" in page
    assert "Key findings" not in page and 'id="findings"' not in page


def test_the_pdf_has_the_findings_before_its_contents(round, tmp_path):
    text = " ".join(pdf_text(pdf_render(report_build(round)), tmp_path, layout=False).split())
    assert text.index("Key findings") < text.index("Contents")
    assert "The strongest principle is 5. Clarity of purpose, with a mean of 5.00." in text
    assert "6. Sustainability: −2.00, the third sector’s mean (1.00) is 2.00 lower" in text
