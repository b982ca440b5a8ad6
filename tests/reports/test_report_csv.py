"""The anonymised answers as CSV: one row per submitted response and question, no one named."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Member, Round, Sector
from reports.disclosure import OTHER_SECTORS
from reports.models import PublishedResponse
from reports.report import csv_safe, report_build
from tests.factories import make_response, make_round, publish, responses_bulk

pytestmark = pytest.mark.django_db


THIRD_LABEL = "Third sector (voluntary and community)"


@pytest.fixture
def round(partnership, principles) -> Round:
    """A closed round: five third sector responses, five local authority, two health (below
    the minimum of 5), and a draft."""
    round = make_round(partnership, title="Spring 2026", invite_all_members=False)
    first = round.questions.get(principle__number=1, order=1)
    people = [(Sector.THIRD_SECTOR, {first: None if i == 0 else 5}, None) for i in range(5)]
    people += [(Sector.LOCAL_AUTHORITY, 3, None)] * 5
    people += [(Sector.HEALTH, 2, {1: "=cmd|' /C calc'!A0"})] * 2
    responses_bulk(round, people)
    make_response(round, scores=1, submit=False)
    publish(round)
    services.round_close(round=round)
    return round


def rows(client, round: Round) -> list[dict]:
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    response = client.get(address)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="riverside-spring-2026-answers.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # with Excel's BOM
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_submitted_response_and_question(coordinator_client, round):
    table = rows(coordinator_client, round)
    assert len(table) == 12 * round.questions.count()
    assert list(table[0]) == [
        "Response number",
        "Sector",
        "Principle number",
        "Principle",
        "Statement number",
        "Statement",
        "Score (1 to 5)",
        "Answer in words",
        "Don’t know",
    ]
    assert sorted({int(row["Response number"]) for row in table}) == list(range(1, 13))


def test_responses_are_numbered_in_a_random_order_drawn_when_published(coordinator_client, round):
    by_key = [p.sector for p in PublishedResponse.objects.filter(round=round)]  # order_key
    table = rows(coordinator_client, round)
    numbers = [int(row["Response number"]) for row in table]
    assert numbers == sorted(numbers)  # each response's rows together, in number order
    sectors = [
        next(r["Sector"] for r in table if r["Response number"] == str(n)) for n in range(1, 13)
    ]
    expected = [THIRD_LABEL if s == Sector.THIRD_SECTOR else OTHER_SECTORS for s in by_key]
    assert sectors == expected


def test_a_sector_below_the_minimum_goes_with_the_next_smallest(coordinator_client, round):
    # Health (2) alone would be two people; the local authority's five join them.
    table = rows(coordinator_client, round)
    people = {
        label: {r["Response number"] for r in table if r["Sector"] == label}
        for label in (THIRD_LABEL, OTHER_SECTORS)
    }
    assert {r["Sector"] for r in table} == {THIRD_LABEL, OTHER_SECTORS}
    assert (len(people[THIRD_LABEL]), len(people[OTHER_SECTORS])) == (5, 7)


def test_an_open_round_offers_no_answers(coordinator_client, partnership, principles):
    open_round = make_round(partnership, invite_all_members=False)
    for _ in range(5):
        make_response(open_round)
    address = reverse("reports:round-answers-csv", args=[partnership.slug, open_round.pk])
    response = coordinator_client.get(address)
    assert response.status_code == 404
    assert "once the round has closed" in response.content.decode()


def test_dont_know_has_a_blank_score(coordinator_client, round):
    first_statement = [
        row
        for row in rows(coordinator_client, round)
        if (row["Principle number"], row["Statement number"]) == ("1", "1")
    ]
    answers = sorted(
        (row["Score (1 to 5)"], row["Answer in words"], row["Don’t know"])
        for row in first_statement
    )
    assert answers == [
        ("", "Don’t know", "Yes"),
        *[("2", "Disagree", "No")] * 2,
        *[("3", "Neither agree nor disagree", "No")] * 5,
        *[("5", "Strongly agree", "No")] * 4,
    ]


def test_the_wording_respondents_saw_is_given_after_an_admin_rewords_it(coordinator_client, round):
    question = round.questions.get(principle__number=1, order=1)
    asked = question.text
    statement, principle = question.source, question.principle.source
    statement.text = "Representatives report back every month."
    statement.save()
    principle.title = "Answerability"
    principle.save()

    table = rows(coordinator_client, round)
    first = [r for r in table if (r["Principle number"], r["Statement number"]) == ("1", "1")]
    assert {(r["Principle"], r["Statement"]) for r in first} == {("Accountability", asked)}
    assert not [r for r in table if "Answerability" in r["Principle"] or "month" in r["Statement"]]


def test_no_names_addresses_organisations_or_comments(coordinator_client, round):
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    text = b"".join(coordinator_client.get(address).streaming_content).decode("utf-8-sig")
    for member in Member.objects.all():
        for personal in (member.name, member.email, member.organisation):
            assert personal not in text
    assert "calc" not in text


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(coordinator_client, round):
    round.principles.filter(number=2).update(title='=HYPERLINK("http://x")')
    row = next(r for r in rows(coordinator_client, round) if r["Principle number"] == "2")
    assert row["Principle"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_prefixes_formula_starts(text):
    assert csv_safe(text) == "'" + text


def test_csv_safe_leaves_ordinary_text_alone():
    assert csv_safe("Openness") == "Openness"
    assert csv_safe("") == ""


def test_the_file_opens_in_excel_as_utf_8(coordinator_client, round):
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    raw = b"".join(coordinator_client.get(address).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbfResponse number,")  # the byte order mark Excel looks for


# The answers for people: headings and sectors in words


def test_headings_sectors_and_answers_are_in_words(coordinator_client, round):
    table = rows(coordinator_client, round)
    assert {r["Sector"] for r in table} == {THIRD_LABEL, "Other sectors together"}
    assert not {r["Sector"] for r in table} & set(Sector.values)  # no codes
    agree = next(r for r in table if r["Score (1 to 5)"] == "5")
    assert (agree["Answer in words"], agree["Don’t know"]) == ("Strongly agree", "No")


# The summary figures: what the report shows, as it prints them


def summary(client, round: Round, name: str = "round-summary-csv", *args) -> list[list[str]]:
    address = reverse(f"reports:{name}", args=args or [round.partnership.slug, round.pk])
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


SUMMARY_HEADINGS = [
    "Principle number",
    "Principle",
    "Statement number",
    "Statement",
    "Mean score (1 to 5)",
    "Band",
    "Scores given",
    "Don’t know answers",
    "Third sector mean",
    "Everyone else’s mean",
    "Perception gap (third sector minus everyone else)",
    "Note",
]


def test_the_summary_has_a_row_per_principle_and_statement_in_plain_english(
    coordinator_client, round
):
    table = summary(coordinator_client, round)
    assert table[0] == SUMMARY_HEADINGS
    assert len(table) == 1 + 7 + round.questions.count()
    assert table[1][:4] == ["1", "Accountability", "", "All its statements"]
    first = round.questions.get(principle__number=1, order=1)
    assert table[2][:4] == ["1", "Accountability", "1", first.text]


def test_the_summary_figures_are_the_reports_rounded_as_it_prints_them(coordinator_client, round):
    from reports.rounding import shown, signed

    report = report_build(Round.objects.select_related("partnership").get(pk=round.pk))
    page = coordinator_client.get(
        reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    ).content.decode()
    by_number = {(r[0], r[2]): r for r in summary(coordinator_client, round)[1:]}
    for principle in report.principles:
        row = by_number[(str(principle.number), "")]
        figures = principle.figures
        assert row[4:8] == [
            shown(figures.mean),
            principle.band.name,
            str(figures.n),
            str(figures.dont_know),
        ]
        assert f">{row[4]}</td>" in page
        for statement in principle.statements:
            row = by_number[(str(principle.number), statement.number.split(".")[1])]
            assert row[4] == shown(statement.figures.mean)
            if statement.comparison:
                gap = statement.comparison.gap_shown  # "+0.45" or "−0.45" on the page
                assert row[8:10] == [
                    shown(statement.comparison.third),
                    shown(statement.comparison.others),
                ]
                assert signed(Decimal(row[10])) == gap  # "0.45" or "-0.45": a number
                assert f">{gap}</td>" in page


def test_a_comparison_left_out_of_the_report_is_left_out_with_its_reason(coordinator_client, round):
    # Statement 1.1 has four third sector scores (one "Don't know"): fewer than 5.
    by_number = {(r[0], r[2]): r for r in summary(coordinator_client, round)[1:]}
    assert by_number[("1", "1")][8:] == [
        "",
        "",
        "",
        "Not compared: fewer than 5 scores in a group.",
    ]
    assert by_number[("1", "")][11] == "Compared without statement 1.1."
    assert by_number[("1", "2")][8:11] == ["4.00", "2.71", "1.29"]  # 19 / 7 is 2.714


def test_a_round_where_the_groups_are_not_shown_apart_has_no_comparison(
    coordinator_client, partnership, principles
):
    closed = make_round(partnership, invite_all_members=False)
    for _ in range(6):
        make_response(closed, scores=4, sector=Sector.LOCAL_AUTHORITY)
    publish(closed)
    services.round_close(round=closed)
    table = summary(coordinator_client, closed)
    assert all(row[8:11] == ["", "", ""] for row in table[1:])
    assert "not shown apart" in table[1][11]
    assert table[1][4] == "4.00"


def test_a_round_below_the_minimum_gives_response_counts_only(
    coordinator_client, partnership, principles
):
    small = make_round(partnership, invite_all_members=False)
    for _ in range(4):
        make_response(small, scores=5, sector=Sector.THIRD_SECTOR)
    publish(small)
    services.round_close(round=small)
    table = summary(coordinator_client, small)
    assert table[0] == ["Sector", "Members invited", "Responses submitted", "Response rate (%)"]
    assert table[1] == [THIRD_LABEL, "4", "4", "100"]
    assert table[2] == ["All sectors", "4", "4", "100"]
    assert table[3] == ["Fewer than 5 people responded, so only the number of responses is shown."]
    text = "".join(",".join(row) for row in table)
    assert "5.00" not in text and "Mean" not in text and "Strength" not in text


def test_an_open_rounds_summary_is_its_interim_figures(coordinator_client, partnership, principles):
    open_round = make_round(partnership, title="Autumn 2026", invite_all_members=False)
    for _ in range(5):
        make_response(open_round, scores=3)
    address = reverse("reports:round-summary-csv", args=[partnership.slug, open_round.pk])
    response = coordinator_client.get(address)
    assert response["Content-Disposition"] == (
        'attachment; filename="riverside-autumn-2026-summary-interim.csv"'
    )
    table = summary(coordinator_client, open_round)
    assert table[1][4] == "3.00"  # the snapshot of five, as the interim report shows


def test_the_report_links_the_summary_beside_the_other_downloads(coordinator_client, round):
    page = coordinator_client.get(
        reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    ).content.decode()
    assert reverse("reports:round-summary-csv", args=[round.partnership.slug, round.pk]) in page
    assert "Download the summary figures as a spreadsheet (CSV)" in page


def test_a_share_link_gives_the_same_summary(coordinator_client, client, round):
    from assessments.models import token_new
    from reports.models import ShareLink

    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed)
    shared = summary(client, round, "shared-summary-csv", token)
    assert shared == summary(coordinator_client, round)
    page = client.get(reverse("reports:shared-report", args=[token])).content.decode()
    assert reverse("reports:shared-summary-csv", args=[token]) in page
