"""Every figure of the report against values worked out by hand.

The round: 6 third sector respondents, 6 local authority and 2 health (below the minimum of 5,
but still in every total), all submitted, plus a third sector draft that must not count and two
invited police members who did not answer. Everyone scores 4 except:
- statement 1.1: third sector 1, 1, 2, 4, 5, don't know; local authority 4, 4, 5, 5, 3, don't
  know; health 5, 2;
- every statement of principle 2: 2;
- statement 6.1: don't know.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Round, Sector
from principles.models import Band
from reports.disclosure import OTHER_SECTORS, percent
from reports.models import Action
from reports.report import Comparison, Figures, band_for, bands_of, half_up, report_build
from reports.rounding import shown, signed
from tests.factories import (
    make_invitation,
    make_member,
    make_partnership,
    make_response,
    make_round,
    publish,
    responses_bulk,
)

pytestmark = pytest.mark.django_db

THIRD, COUNCIL, HEALTH = Sector.THIRD_SECTOR, Sector.LOCAL_AUTHORITY, Sector.HEALTH
Q11 = {THIRD: [1, 1, 2, 4, 5, None], COUNCIL: [4, 4, 5, 5, 3, None], HEALTH: [5, 2]}
COMMENTS = {  # (sector, index of the respondent) -> comment on principle 1
    (THIRD, 0): "Zebra: reporting back is patchy.",
    (COUNCIL, 2): "Apple: the forum briefing is useful.",
    (HEALTH, 1): "Middle: we rarely hear what was said.",
}


def scores_for(questions: dict, q11: int | None) -> dict:
    scores = {q: 2 for number, q in questions.items() if number.startswith("2.")}
    scores[questions["6.1"]] = None
    scores[questions["1.1"]] = q11
    return scores


def numbered(round: Round) -> dict:
    questions = round.questions.select_related("principle")
    return {f"{q.principle.number}.{q.order}": q for q in questions}


@pytest.fixture
def earlier_round(partnership, principles):
    """A closed round of the same partnership, opened 200 days ago: five people, all 3s."""
    round = make_round(partnership, title="Spring 2025", invite_all_members=False)
    responses_bulk(round, [(THIRD, 3, None)] * 5)
    services.round_close(round=round)
    Round.objects.filter(pk=round.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=200)
    )
    return round


@pytest.fixture
def round(partnership, principles, earlier_round):
    round = make_round(partnership, title="Autumn 2025", invite_all_members=False)
    questions = numbered(round)
    people = []
    for sector, values in Q11.items():
        for index, q11 in enumerate(values):
            comment = COMMENTS.get((sector, index))
            people.append((sector, scores_for(questions, q11), {1: comment} if comment else None))
    responses_bulk(round, people)
    make_response(round, scores=1, sector=THIRD, comments={1: "A draft's comment"}, submit=False)
    for _ in range(2):
        make_invitation(round, make_member(partnership, sector=Sector.POLICE_FIRE_JUSTICE))
    # Rounds that the trend must leave out: a later one, and another partnership's.
    later = make_round(partnership, title="Later", invite_all_members=False)
    make_response(later, scores=5)
    make_response(make_round(make_partnership(), title="Elsewhere"), scores=1)
    publish(round)  # all 14: the snapshot rule has its own tests
    return Round.objects.select_related("partnership").get(pk=round.pk)


@pytest.fixture
def report(round):
    return report_build(round)


def principle(report, number: int):
    return report.principles[number - 1]


def test_only_submitted_responses_count_and_groups_are_split_by_sector(report):
    assert report.respondents == 14
    assert (report.third.respondents, report.others.respondents) == (6, 8)
    assert report.compared


def test_a_statement_has_its_distribution_dont_knows_n_and_mean(report):
    figures = principle(report, 1).statements[0].figures
    assert figures.counts == (2, 2, 1, 3, 4)
    assert figures.dont_know == 2
    assert figures.n == 12
    assert figures.mean == pytest.approx(41 / 12)


def test_a_statement_has_the_perception_gap_between_third_sector_and_everyone_else(report):
    comparison = principle(report, 1).statements[0].comparison
    assert comparison.third == pytest.approx(13 / 5)  # 1, 1, 2, 4, 5
    assert comparison.others == pytest.approx(28 / 7)  # 4, 4, 5, 5, 3, 5, 2
    assert comparison.gap == pytest.approx(-1.4)
    assert comparison.gap_shown == "−1.40"
    assert comparison.gap_words == "1.40 lower than"


def test_a_statement_everyone_agrees_on_has_no_gap(report):
    statement = principle(report, 1).statements[1]
    assert statement.figures == Figures((0, 0, 0, 14, 0), 0)
    assert statement.comparison.gap == 0
    assert (statement.comparison.gap_shown, statement.comparison.gap_words) == (
        "0.00",
        "the same as",
    )


def test_a_principle_pools_the_answers_to_its_statements(report):
    accountability = principle(report, 1)
    # Statement 1.1 as above, and 14 scores of 4 on each of the other four statements.
    assert accountability.figures == Figures((2, 2, 1, 3 + 56, 4), 2)
    assert accountability.figures.mean == pytest.approx(265 / 68)
    assert accountability.comparison.third == pytest.approx((13 + 96) / 29)
    assert accountability.comparison.others == pytest.approx((28 + 128) / 39)
    assert accountability.comparison.gap == pytest.approx(109 / 29 - 4)


def test_statements_where_views_split_are_flagged(report):
    accountability = principle(report, 1)
    # 4 of 12 scores are 1 or 2, 7 of 12 are 4 or 5: both at least a quarter.
    assert [s.number for s in accountability.split_statements] == ["1.1"]
    assert not any(s.figures.split for p in report.principles[1:] for s in p.statements)


def test_each_mean_gets_its_band(report):
    assert principle(report, 1).band.name == "Developing"  # 3.90
    assert principle(report, 2).band.name == "Priority for action"  # 2.00
    assert principle(report, 3).band.name == "Strength"  # 4.00


def test_a_threshold_moved_in_admin_moves_only_rounds_opened_later(round, partnership):
    Band.objects.filter(name="Strength").update(min_mean=Decimal("3.85"))
    assert principle(report_build(round), 1).band.name == "Developing"  # 3.90, as frozen
    later = make_round(partnership, invite_all_members=False)
    assert band_for(3.90, bands_of(later)).name == "Strength"


def test_a_statement_nobody_could_score_has_no_mean_band_or_gap(report):
    sustainability = principle(report, 6)
    statement = sustainability.statements[0]
    assert statement.figures == Figures((0, 0, 0, 0, 0), 14)
    assert statement.figures.mean is None
    assert statement.band is None
    assert statement.comparison is None  # no scores in either group: nothing to compare
    assert [s.number for s in sustainability.statements_not_compared] == ["6.1"]
    # The principle's mean leaves the don't-knows out but counts them.
    assert sustainability.figures == Figures((0, 0, 0, 42, 0), 14)
    assert sustainability.figures.mean == 4


def test_sectors_too_small_to_show_go_together_with_the_next_smallest(report):
    # Health (2) cannot stand alone and 2 is too few for a remainder: the local authority (6)
    # joins it, so the CSV and every comparison use third sector (6) and the other 8 together.
    assert [(c.label, c.respondents) for c in report.cells] == [
        ("Third sector (voluntary and community)", 6),
        (OTHER_SECTORS, 8),
    ]


def test_a_group_below_the_minimum_is_withheld_with_its_complement(round, report):
    Round.objects.filter(pk=round.pk).update(min_group_size=7)
    round.refresh_from_db()
    withheld = report_build(round)
    assert not withheld.compared
    assert [(c.label, c.respondents) for c in withheld.cells] == [(OTHER_SECTORS, 14)]
    # Everyone else's figures would give the third sector's away, so neither is shown...
    assert all(p.comparison is None for p in withheld.principles)
    assert all(s.comparison is None for p in withheld.principles for s in p.statements)
    # ...while every answer still counts in the totals.
    assert [p.figures for p in withheld.principles] == [p.figures for p in report.principles]


def test_a_round_below_the_minimum_shows_counts_only(round):
    Round.objects.filter(pk=round.pk).update(min_group_size=15)
    round.refresh_from_db()
    withheld = report_build(round)
    assert not withheld.results_shown
    assert withheld.principles == [] and withheld.trend == [] and withheld.cells == []
    assert withheld.submitted == 14  # counts are still shown


def test_comments_are_shown_without_names_in_alphabetical_order(report):
    assert principle(report, 1).comments == [
        "Apple: the forum briefing is useful.",
        "Middle: we rarely hear what was said.",
        "Zebra: reporting back is patchy.",
    ]
    assert all(not p.comments for p in report.principles[1:])


def test_response_rates_count_invitations_and_responses_by_the_members_sector(report):
    rates = [(s.label, s.invited, s.responded, s.percent) for s in report.sectors]
    assert rates == [
        ("Third sector (voluntary and community)", 7, 6, 86),
        ("Local authority", 6, 6, 100),
        ("Health", 2, 2, 100),
        ("Police, fire or justice", 2, 0, 0),
    ]
    assert (report.invited, report.submitted, report.percent) == (17, 14, 82)


def test_the_trend_has_earlier_rounds_of_the_partnership_then_this_one(report):
    assert [(entry.title, entry.is_current) for entry in report.trend] == [
        ("Spring 2025", False),
        ("Autumn 2025", True),
    ]
    assert report.trend[0].means == {number: 3.0 for number in range(1, 8)}
    assert report.trend[1].means[1] == pytest.approx(265 / 68)
    assert report.trend_rows[1][1] == [3.0, 2.0]


def test_an_earlier_round_below_its_minimum_is_left_out_of_the_trend(round, earlier_round):
    Round.objects.filter(pk=earlier_round.pk).update(min_group_size=6)  # it had 5
    assert report_build(round).trend == []


def test_a_first_round_has_no_trend(partnership, principles):
    round = make_round(partnership, invite_all_members=False)
    make_response(round)
    assert report_build(round).trend == []


def test_the_action_plan_is_listed(round):
    Action.objects.create(
        round=round,
        principle=round.principles.get(number=6),
        description="Fund representatives' expenses.",
        owner="LSP support team",
    )
    actions = report_build(round).actions
    assert [(a.principle, a.description, a.status) for a in actions] == [
        ("6. Sustainability", "Fund representatives' expenses.", "Planned")
    ]


def test_an_open_round_is_interim_and_a_closed_one_is_not(round):
    assert report_build(round).is_interim
    services.round_close(round=round)
    round.refresh_from_db()
    assert not report_build(round).is_interim


@pytest.mark.parametrize(
    "counts, split",
    [
        ((1, 0, 2, 0, 1), True),  # exactly a quarter at each end
        ((0, 3, 0, 0, 1), True),
        ((1, 0, 3, 0, 1), False),  # a fifth at each end
        ((0, 0, 4, 4, 4), False),  # nobody disagrees
        ((0, 0, 0, 0, 0), False),  # only "Don't know"
    ],
)
def test_views_are_split_when_a_quarter_of_the_scores_sit_at_each_end(counts, split):
    assert Figures(counts, 3).split is split


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (4.0, "Strength"),
        (4.7, "Strength"),
        (3.99, "Developing"),
        (3.0, "Developing"),
        (2.99, "Priority for action"),
        (1.0, "Priority for action"),
    ],
)
def test_a_mean_falls_in_the_band_of_design_md(partnership, principles, mean, band):
    assert band_for(mean, bands_of(make_round(partnership))).name == band


def test_a_mean_on_a_threshold_once_shown_is_in_the_band_above(partnership, principles):
    Band.objects.filter(name="Developing").update(min_mean=Decimal("2.68"))
    bands = bands_of(make_round(partnership))
    assert band_for(107 / 40, bands).name == "Developing"  # 2.675 is shown as 2.68
    assert band_for(2.674, bands).name == "Priority for action"


def test_halves_are_rounded_away_from_zero_as_the_report_prints_them():
    assert str(half_up(-0.125)) == "-0.13"
    assert str(half_up(0.125)) == "0.13"
    assert str(half_up(3.995)) == "4.00"
    assert str(half_up(-0.001)) == "0.00"  # never "-0.00"
    assert Comparison(third=3.125, others=3.0).gap_shown == "+0.13"
    assert Comparison(third=3.0, others=3.125).gap_shown == "−0.13"
    assert half_up(-0.125) == Decimal("-0.13") and signed(half_up(-0.125)) == "−0.13"
    assert shown(0.125) == "0.13" and shown(2.675) == "2.68"  # round() and format() say 2.67
    assert shown(None) == ""
    assert (percent(1, 8), percent(7, 8), percent(1, 3), percent(0, 4)) == (13, 88, 33, 0)
    assert half_up(12.5, places=0) == 13 and half_up(-12.5, places=0) == -13


def test_the_gap_shown_is_the_difference_of_the_means_shown_beside_it():
    # 3.125 is shown as 3.13 and 3.114 as 3.11: the gap shown is 0.02, so the figures add up,
    # though the unrounded difference, 0.011, would be shown as 0.01.
    comparison = Comparison(third=3.125, others=3.114)
    assert comparison.gap_rounded == Decimal("0.02")
    assert comparison.gap_shown == "+0.02"
    assert comparison.gap_words == "0.02 higher than"
    assert Comparison(third=3.114, others=3.125).gap_shown == "−0.02"
    assert Comparison(third=3.004, others=2.996).gap_shown == "0.00"  # 3.00 and 3.00
    assert Comparison(third=3.004, others=2.996).gap_words == "the same as"
    assert Comparison(third=None, others=3.0).gap_shown == "No scores"


def test_bands_compare_means_as_they_are_shown_rounded_to_two_decimals(partnership, principles):
    bands = bands_of(make_round(partnership))
    assert band_for(799 / 200, bands).name == "Strength"  # 3.995 is shown as 4.00
    assert band_for(3.994, bands).name == "Developing"
    assert band_for(None, bands) is None


def test_the_page_and_the_pdf_print_these_figures(round, coordinator_client, tmp_path):
    from tests.reports.test_pdf import pdf_text

    address = f"/partnerships/{round.partnership.slug}/rounds/{round.pk}/report"
    page = coordinator_client.get(f"{address}/").content.decode()
    document = coordinator_client.get(f"{address}.pdf").content
    printed = " ".join(pdf_text(document, tmp_path).split())
    for text in (page, printed):
        assert "3.42" in text  # statement 1.1: 41 / 12
        assert "3.90" in text  # principle 1: 265 / 68
        assert "−1.40" in text  # the gap on statement 1.1
        assert "Priority for action" in text  # principle 2
        assert "Split views" in text
        assert "Apple: the forum briefing is useful." in text
        assert "Spring 2025" in text  # the trend
        assert "14 submitted from 17 members invited (82%)" in text


def test_the_round_page_and_the_report_show_the_same_response_table_and_its_rule(
    round, coordinator_client
):
    base = f"/partnerships/{round.partnership.slug}/rounds/{round.pk}/"
    tables = []
    for address in (base, f"{base}report/"):
        page = coordinator_client.get(address).content.decode()
        start = page.index("Response rate by sector")
        table = page[start : page.index("</table>", start)]
        tables.append(re.sub(r"<[^>]+>|\s+", " ", table).split())
        assert "counted by the sector on the member’s record" in page
    assert tables[0] == tables[1]
    assert "86%" in tables[0] and "82%" in tables[0]


# Half-way figures through every output: statement 1.1 has the third sector's mean at 3.125 (8
# scores) and everyone else's at 28 / 9 = 3.111; every other answer is 4.
HALVES = {THIRD: [5, 5, 3, 3, 3, 3, 2, 1], COUNCIL: [4, 4, 3, 3, 3, 3, 3, 3, 2]}


@pytest.fixture
def halves_round(partnership, principles) -> Round:
    round = make_round(partnership, invite_all_members=False)
    first = round.questions.get(principle__number=1, order=1)
    for sector, scores in HALVES.items():
        for score in scores:
            make_response(round, {first: score}, sector=sector)
    publish(round)
    return services.round_close(round=round)


def test_the_page_the_pdf_and_the_summary_csv_round_halves_alike(
    halves_round, coordinator_client, tmp_path
):
    import csv
    import io

    from tests.reports.test_pdf import pdf_text

    base = f"/partnerships/{halves_round.partnership.slug}/rounds/{halves_round.pk}/"
    page = coordinator_client.get(f"{base}report/").content.decode()
    document = coordinator_client.get(f"{base}report.pdf").content
    printed = " ".join(pdf_text(document, tmp_path).split())
    summary = coordinator_client.get(f"{base}summary.csv").content.decode("utf-8-sig")
    row = next(
        r
        for r in csv.DictReader(io.StringIO(summary))
        if (r["Principle number"], r["Statement number"]) == ("1", "1")
    )
    assert (row["Third sector mean"], row["Everyone else’s mean"]) == ("3.13", "3.11")
    assert row["Perception gap (third sector minus everyone else)"] == "0.02"  # "+0.02" on the page
    assert row["Mean score (1 to 5)"] == "3.12"  # 53 / 17 = 3.1176
    cells = r"3\.13</td>\s*<td[^>]*>3\.11</td>\s*<td[^>]*>\+0\.02</td>"
    assert re.search(cells, page)  # statement 1.1 in the table of gaps
    assert re.search(r"3\.13 +3\.11 +\+0\.02", printed)
    # The method is printed in two columns: read it in reading order.
    reading = " ".join(pdf_text(document, tmp_path, layout=False).split())
    for text in (page, reading):
        assert "halves are rounded up (away from zero): 0.125 is shown as 0.13" in text
    # The radar's text alternative prints the means by the same rule.
    assert re.search(r"1\. Accountability: Third sector 3\.\d\d, Everyone else 3\.\d\d", page)
