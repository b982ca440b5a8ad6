"""The anonymised answers as CSV: one row per submitted response and question, no one named."""

import csv
import io

import pytest
from django.urls import reverse

from assessments.models import Member, Response, Round, Sector
from reports.report import csv_safe
from tests.factories import make_response, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(partnership, principles) -> Round:
    """Five third sector responses, two health (below the minimum of 5), and a draft."""
    round = make_round(partnership, invite_all_members=False)
    first = round.questions.get(principle__number=1, order=1)
    for index in range(5):
        make_response(round, {first: None if index == 0 else 5}, sector=Sector.THIRD_SECTOR)
    for _ in range(2):
        make_response(round, scores=2, sector=Sector.HEALTH, comments={1: "=cmd|' /C calc'!A0"})
    make_response(round, scores=1, submit=False)
    return round


def rows(client, round: Round) -> list[dict]:
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    response = client.get(address)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="riverside-round-{round.pk}-answers.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # with Excel's BOM
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_submitted_response_and_question(coordinator_client, round):
    table = rows(coordinator_client, round)
    assert len(table) == 7 * round.questions.count()
    assert list(table[0]) == [
        "response",
        "sector",
        "principle_number",
        "principle",
        "statement_number",
        "statement",
        "score",
        "dont_know",
    ]
    assert sorted({int(row["response"]) for row in table}) == list(range(1, 8))


def test_each_response_is_numbered_in_the_random_order_of_its_link_hash(coordinator_client, round):
    submitted = Response.objects.filter(round=round, status=Response.Status.SUBMITTED)
    by_hash = [r.sector for r in submitted.order_by("invitation__token_hash")]
    table = rows(coordinator_client, round)
    numbers = [int(row["response"]) for row in table]
    assert numbers == sorted(numbers)  # each response's rows together, in number order
    sectors = [next(r["sector"] for r in table if r["response"] == str(n)) for n in range(1, 8)]
    assert sectors == ["third_sector" if s == Sector.THIRD_SECTOR else "withheld" for s in by_hash]


def test_a_sector_below_the_minimum_is_withheld(coordinator_client, round):
    sectors = {row["sector"] for row in rows(coordinator_client, round)}
    assert sectors == {"third_sector", "withheld"}


def test_dont_know_has_a_blank_score(coordinator_client, round):
    first_statement = [
        row
        for row in rows(coordinator_client, round)
        if (row["principle_number"], row["statement_number"]) == ("1", "1")
    ]
    answers = sorted((row["score"], row["dont_know"]) for row in first_statement)
    assert answers == [("", "yes"), ("2", "no"), ("2", "no")] + [("5", "no")] * 4


def test_the_frozen_wording_is_given(coordinator_client, round):
    row = rows(coordinator_client, round)[0]
    question = round.questions.get(principle__number=1, order=1)
    assert (row["principle"], row["statement"]) == ("Accountability", question.text)


def test_no_names_addresses_organisations_or_comments(coordinator_client, round):
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    text = b"".join(coordinator_client.get(address).streaming_content).decode("utf-8-sig")
    for member in Member.objects.all():
        for personal in (member.name, member.email, member.organisation):
            assert personal not in text
    assert "calc" not in text


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused(coordinator_client, round):
    round.principles.filter(number=2).update(title='=HYPERLINK("http://x")')
    row = next(r for r in rows(coordinator_client, round) if r["principle_number"] == "2")
    assert row["principle"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_prefixes_formula_starts(text):
    assert csv_safe(text) == "'" + text


def test_csv_safe_leaves_ordinary_text_alone():
    assert csv_safe("Openness") == "Openness"
    assert csv_safe("") == ""


def test_the_file_opens_in_excel_as_utf_8(coordinator_client, round):
    address = reverse("reports:round-answers-csv", args=[round.partnership.slug, round.pk])
    raw = b"".join(coordinator_client.get(address).streaming_content)
    assert raw.startswith(b"\xef\xbb\xbfresponse,")  # the byte order mark Excel looks for
