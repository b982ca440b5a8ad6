"""The anonymised answers as CSV: one row per submitted response and question, no one named."""

import csv
import io

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Member, Round, Sector
from reports.disclosure import OTHER_SECTORS
from reports.models import PublishedResponse
from reports.report import csv_safe
from tests.factories import make_response, make_round, publish

pytestmark = pytest.mark.django_db


THIRD_LABEL = "Third sector (voluntary and community)"


@pytest.fixture
def round(partnership, principles) -> Round:
    """A closed round: five third sector responses, five local authority, two health (below
    the minimum of 5), and a draft."""
    round = make_round(partnership, invite_all_members=False)
    first = round.questions.get(principle__number=1, order=1)
    for index in range(5):
        make_response(round, {first: None if index == 0 else 5}, sector=Sector.THIRD_SECTOR)
    for _ in range(5):
        make_response(round, scores=3, sector=Sector.LOCAL_AUTHORITY)
    for _ in range(2):
        make_response(round, scores=2, sector=Sector.HEALTH, comments={1: "=cmd|' /C calc'!A0"})
    make_response(round, scores=1, submit=False)
    publish(round)
    services.round_close(round=round)
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
    assert len(table) == 12 * round.questions.count()
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
    assert sorted({int(row["response"]) for row in table}) == list(range(1, 13))


def test_responses_are_numbered_in_a_random_order_drawn_when_published(coordinator_client, round):
    by_key = [p.sector for p in PublishedResponse.objects.filter(round=round)]  # order_key
    table = rows(coordinator_client, round)
    numbers = [int(row["response"]) for row in table]
    assert numbers == sorted(numbers)  # each response's rows together, in number order
    sectors = [next(r["sector"] for r in table if r["response"] == str(n)) for n in range(1, 13)]
    expected = [THIRD_LABEL if s == Sector.THIRD_SECTOR else OTHER_SECTORS for s in by_key]
    assert sectors == expected


def test_a_sector_below_the_minimum_goes_with_the_next_smallest(coordinator_client, round):
    # Health (2) alone would be two people; the local authority's five join them.
    table = rows(coordinator_client, round)
    people = {
        label: {r["response"] for r in table if r["sector"] == label}
        for label in (THIRD_LABEL, OTHER_SECTORS)
    }
    assert {r["sector"] for r in table} == {THIRD_LABEL, OTHER_SECTORS}
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
        if (row["principle_number"], row["statement_number"]) == ("1", "1")
    ]
    answers = sorted((row["score"], row["dont_know"]) for row in first_statement)
    assert (
        answers == [("", "yes"), ("2", "no"), ("2", "no")] + [("3", "no")] * 5 + [("5", "no")] * 4
    )


def test_the_wording_respondents_saw_is_given_after_an_admin_rewords_it(coordinator_client, round):
    question = round.questions.get(principle__number=1, order=1)
    asked = question.text
    statement, principle = question.source, question.principle.source
    statement.text = "Representatives report back every month."
    statement.save()
    principle.title = "Answerability"
    principle.save()

    table = rows(coordinator_client, round)
    first = [r for r in table if (r["principle_number"], r["statement_number"]) == ("1", "1")]
    assert {(r["principle"], r["statement"]) for r in first} == {("Accountability", asked)}
    assert not [r for r in table if "Answerability" in r["principle"] or "month" in r["statement"]]


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
