"""The report's figures come from the shared cache until a snapshot they are counted from changes:
a report seen again runs no aggregate query, and a new snapshot, of the round or of an earlier
round in its trend, is on the page, the PDF and the summary CSV at once."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Round, Sector
from reports.disclosure import snapshot_take
from reports.report import report_build
from tests.factories import make_report_round, make_response, make_round
from tests.reports.test_report_queries import (
    BENCHMARK_QUERIES,
    COORDINATOR_QUERIES,
    REPORT_QUERIES,
    REPORT_QUERIES_CACHED,
    VISIT_QUERIES,
)

pytestmark = pytest.mark.django_db

AGGREGATE = re.compile(r"\b(COUNT|SUM|AVG|MIN|MAX)\s*\(|\bGROUP BY\b", re.IGNORECASE)
# The database's cache table, as the site has it without REDIS_URL: reading the figures is one
# query; storing them, five (its size, for culling; a savepoint; the key; the insert; release).
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": settings.CACHE_TABLE,
    }
}
CACHE_GET, CACHE_SET = 1, 5


@pytest.fixture(params=["tests' cache", "database cache"])
def database_cache(request) -> bool:
    """Each test twice: with the tests' own cache (local memory, or Redis with REDIS_URL), and
    with the database's cache table, as the site runs without REDIS_URL."""
    if request.param == "tests' cache":
        yield False
        return
    with override_settings(CACHES=DATABASE_CACHE):
        yield True


def report_url(round: Round, name: str = "round-report") -> str:
    return reverse(f"reports:{name}", args=[round.partnership.slug, round.pk])


def aggregates(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if AGGREGATE.search(query["sql"])]


def seen(client, round: Round, *, counted: bool):
    """The report on the coordinator's page, checking whether its figures were counted for it
    (aggregate queries) or came from the cache."""
    with CaptureQueriesContext(connection) as captured:
        report = client.get(report_url(round)).context["report"]
    assert bool(aggregates(captured)) is counted
    return report


def test_a_report_seen_again_runs_no_aggregate_query(
    partnership, principles, coordinator_client, database_cache
):
    round = make_report_round(partnership)
    get, set_ = (CACHE_GET, CACHE_SET) if database_cache else (0, 0)
    page = COORDINATOR_QUERIES + BENCHMARK_QUERIES + VISIT_QUERIES
    with CaptureQueriesContext(connection) as cold:
        first = coordinator_client.get(report_url(round))
    # The first view counts (and records the visit in the audit trail: one insert more).
    assert len(cold) == page + 1 + REPORT_QUERIES + get + set_
    assert aggregates(cold)
    with CaptureQueriesContext(connection) as warm:
        again = coordinator_client.get(report_url(round))
    assert len(warm) == page + REPORT_QUERIES_CACHED + get
    assert aggregates(warm) == []
    assert again.context["report"] == first.context["report"]


def test_a_new_snapshot_of_the_round_is_shown_at_once(
    partnership, principles, coordinator_client, database_cache
):
    round = make_report_round(partnership)  # snapshots of 5 and 10: 2 more are waiting
    before = seen(coordinator_client, round, counted=True)
    assert seen(coordinator_client, round, counted=False) == before
    summary_before = coordinator_client.get(report_url(round, "round-summary-csv")).content
    for _ in range(3):  # with the 2 waiting, 5 new: a snapshot
        make_response(round, scores=5, sector=Sector.THIRD_SECTOR)
    after = seen(coordinator_client, round, counted=True)
    assert (before.respondents, after.respondents) == (10, 15)
    assert after.principles[0].figures.n > before.principles[0].figures.n
    assert after.principles[0].figures.mean > before.principles[0].figures.mean
    caches["default"].clear()
    assert after == report_build(Round.objects.select_related("partnership").get(pk=round.pk))
    summary = coordinator_client.get(report_url(round, "round-summary-csv")).content
    assert summary != summary_before
    assert f"{after.principles[0].figures.mean:.2f}".encode() in summary


def test_a_new_snapshot_of_an_earlier_round_is_in_the_trend_at_once(
    partnership, principles, coordinator_client, database_cache
):
    earlier = make_round(partnership, title="Spring 2026", invite_all_members=False)
    for _ in range(5):
        make_response(earlier, scores=3)  # published: a snapshot of 5
    round = make_round(partnership, title="Autumn 2026", invite_all_members=False)
    for _ in range(5):
        make_response(round, scores=4)
    before = seen(coordinator_client, round, counted=True)
    assert seen(coordinator_client, round, counted=False) == before
    assert [entry.means[1] for entry in before.trend] == [3.0, 4.0]
    # The earlier round, still open, takes five more, all strongly agreeing: a new snapshot.
    for _ in range(5):
        make_response(earlier, scores=5)
    after = seen(coordinator_client, round, counted=True)
    assert [entry.means[1] for entry in after.trend] == [4.0, 4.0]
    assert after.principles == before.principles  # this round's own figures, unchanged


def test_an_earlier_round_renamed_is_renamed_in_the_trend(
    partnership, principles, coordinator_client
):
    round = make_report_round(partnership)
    before = seen(coordinator_client, round, counted=True)
    assert seen(coordinator_client, round, counted=False) == before
    Round.objects.filter(title="Spring 2026").update(title="Spring 2026 (pilot)")
    after = seen(coordinator_client, round, counted=True)
    assert [entry.title for entry in before.trend] == ["Spring 2026", round.title]
    assert [entry.title for entry in after.trend] == ["Spring 2026 (pilot)", round.title]


def test_a_snapshot_taken_directly_is_shown_at_once(partnership, principles):
    """The benchmark and the tests publish with snapshot_take, past the gate's rule: the same."""
    round = make_round(partnership, invite_all_members=False)
    for _ in range(5):
        make_response(round, scores=2)
    assert report_build(round).principles[0].figures.mean == 2.0
    make_response(round, scores=5)  # one: not yet published
    with CaptureQueriesContext(connection) as captured:
        assert report_build(round).respondents == 5
    assert aggregates(captured) == []
    snapshot_take(round)
    assert report_build(round).principles[0].figures.mean == 2.5


@pytest.mark.django_db(transaction=True)
def test_the_cache_table_comes_and_goes_with_the_migrations():
    from django.core.management import call_command

    def tables() -> set[str]:
        return set(connection.introspection.table_names())

    assert settings.CACHE_TABLE in tables()
    call_command("migrate", "reports", "0003", verbosity=0)
    assert settings.CACHE_TABLE not in tables()
    call_command("migrate", "reports", verbosity=0)
    assert settings.CACHE_TABLE in tables()
    with override_settings(CACHES=DATABASE_CACHE):
        caches["default"].set("shared", "by every process", 60)
        assert caches["default"].get("shared") == "by every process"


def settings_caches(**environ) -> str:
    """The cache back end the settings choose for an environment, read in a fresh process."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    code = "from lsp_framework import settings; print(settings.CACHES['default']['BACKEND'])"
    # Our own interpreter and code: nothing untrusted is run.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**env, "DEBUG": "1", **environ},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return result.stdout.strip()


def test_redis_url_chooses_redis_and_its_absence_the_database():
    assert settings_caches() == "django.core.cache.backends.db.DatabaseCache"
    redis = settings_caches(REDIS_URL="redis://127.0.0.1:6379/15")
    assert redis == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_with_redis_url_the_figures_are_kept_in_redis(partnership, principles):
    round = make_report_round(partnership)
    report_build(round)
    client = caches["default"]._cache.get_client()
    assert any(b"report-figures" in key for key in client.scan_iter())
