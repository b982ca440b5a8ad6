"""The report's data, HTML page, PDF and CSV each run a fixed number of queries, whatever the number
of respondents: the same with 10 as with 200."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Round, token_new
from reports.models import PrincipleReview, ShareLink
from reports.report import report_build
from tests.factories import make_partnership, make_user, members_create, round_with_responses

pytestmark = pytest.mark.django_db

# report_build: the round's snapshot and those of the earlier rounds (publications: the key of
# the figures in the cache, see REPORT_QUERIES_CACHED); invitations and responses by the members'
# sector; the snapshot's respondents by sector; the round's questions; its answers counted by
# question and score; its comments; the earlier rounds with a snapshot (title, dates, size, k);
# their questions' principles; their answers counted by question and score,
# everyone and the third sector (the trend); their snapshots' respondents by sector (so the trend
# compares the groups only where each round's own gate did); the action plan (with earlier
# rounds' open actions and their rounds); what the meeting agreed about each principle. The
# scale and bands come with the round, frozen when it opened.
REPORT_QUERIES = 12
# Once they are cached, and until a snapshot they come from changes, what it counts in the
# snapshots is not counted again: the respondents by sector, the answers, the comments and the
# trend's four are not run. (tests/reports/test_report_cache.py: none of the others aggregates.)
REPORT_QUERIES_CACHED = REPORT_QUERIES - 7
# A coordinator's request: the session, the user, the partnership (checked against the user),
# the round.
COORDINATOR_QUERIES = 4
# The team's page and PDF (not the share link's, nor the CSVs) ask for the benchmark against the
# partnership's network: which network it is in, here none. In a network it takes 4 in all
# (tests/networks/test_benchmark.py and test_report_benchmark.py pin them).
BENCHMARK_QUERIES = 1
# A signed-in person's view or download is one entry of the audit trail: one insert. The shared
# (forum's) pages record nothing.
AUDIT_QUERIES = 1
# The report page looks first whether the same person viewed it in the last half hour: a reload,
# or coming back from its own forms, is the same visit (audit.record_read).
VISIT_QUERIES = 1


@pytest.fixture(scope="module", params=[10, 200], ids=["10 respondents", "200 respondents"])
def round_pk(request, kept_for_the_module) -> int:
    """With 200 respondents come more earlier rounds, and more actions carried from them and
    reviews: none of it may add a query. Made once for the module's tests (a few seconds)."""
    with kept_for_the_module():
        call_command("load_principles", verbosity=0)
        partnership = make_partnership(
            make_user("coordinator"), name="Riverside Partnership", slug="riverside"
        )
        rng = random.Random(1)
        members = members_create(partnership, request.param, rng)
        earlier_rounds = 1 if request.param == 10 else 3
        for days_ago in range(earlier_rounds):
            at = timezone.now() - datetime.timedelta(days=100 * (days_ago + 1))
            earlier = round_with_responses(partnership, members, rng, at, f"Earlier {days_ago}")
            for number in range(1, request.param // 20 + 2):
                earlier.actions.create(
                    description=f"Still to do {number}.",
                    principle=earlier.principles.get(number=number % 7 + 1),
                )
        round = round_with_responses(partnership, members, rng, timezone.now(), "This round")
        round.actions.create(description="Fund expenses.")
        for principle in round.principles.all()[: earlier_rounds * 2]:
            PrincipleReview.objects.create(round=round, principle=principle, agreed_score=3)
        yield round.pk


@pytest.fixture
def round(round_pk, db) -> Round:
    return Round.objects.select_related("partnership").get(pk=round_pk)


@pytest.fixture
def coordinator(round):
    return round.partnership.coordinators.get()


def url(name: str, round: Round) -> str:
    return reverse(f"reports:{name}", args=[round.partnership.slug, round.pk])


def test_report_data(round, django_assert_num_queries):
    with django_assert_num_queries(REPORT_QUERIES):
        report = report_build(round)
    assert report.respondents in (10, 200)
    with django_assert_num_queries(REPORT_QUERIES_CACHED):
        assert report_build(round) == report


def test_html_page(round, coordinator_client, django_assert_num_queries):
    queries = COORDINATOR_QUERIES + REPORT_QUERIES + BENCHMARK_QUERIES
    with django_assert_num_queries(queries + VISIT_QUERIES + AUDIT_QUERIES):
        response = coordinator_client.get(url("round-report", round))
    assert response.status_code == 200
    queries = COORDINATOR_QUERIES + REPORT_QUERIES_CACHED + BENCHMARK_QUERIES
    with django_assert_num_queries(queries + VISIT_QUERIES):  # again: the same visit
        assert coordinator_client.get(url("round-report", round)).status_code == 200


def test_pdf_rendered_and_from_the_cache(round, coordinator_client, django_assert_num_queries):
    # The second comes from the cache, and so do the figures it is keyed by.
    for report_queries in (REPORT_QUERIES, REPORT_QUERIES_CACHED):
        queries = COORDINATOR_QUERIES + report_queries + BENCHMARK_QUERIES + AUDIT_QUERIES
        with django_assert_num_queries(queries):
            response = coordinator_client.get(url("round-report-pdf", round))
        assert response.content.startswith(b"%PDF")


def test_csv(round, coordinator_client, django_assert_num_queries):
    services.round_close(round=round)  # the answers are offered once it has closed
    # The report's data (what the gate offers, and the sector groups), the questions, the
    # answers (streamed in chunks of 2,000).
    with django_assert_num_queries(COORDINATOR_QUERIES + REPORT_QUERIES + 2 + AUDIT_QUERIES):
        response = coordinator_client.get(url("round-answers-csv", round))
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + round.questions.count() * round.responses.count()


def test_shared_page(round, client, django_assert_num_queries):
    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed)
    # The share link with its round and partnership, then the report.
    with django_assert_num_queries(1 + REPORT_QUERIES):
        response = client.get(reverse("reports:shared-report", args=[token]))
    assert response.status_code == 200


def test_summary_csv(round, coordinator_client, django_assert_num_queries):
    # The report's data and nothing else: the summary is written from it.
    with django_assert_num_queries(COORDINATOR_QUERIES + REPORT_QUERIES + AUDIT_QUERIES):
        response = coordinator_client.get(url("round-summary-csv", round))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 7 + round.questions.count()
