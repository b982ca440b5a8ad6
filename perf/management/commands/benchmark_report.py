"""How long the report takes for a round of a given size:
`manage.py benchmark_report --settings=perf.settings --respondents 1000`.

It builds a throw-away partnership with an earlier round (for the trend) and the measured round,
each with that many submitted responses, inside a transaction that it rolls back: the database
is left as it was. Then it measures, with queries counted and peak memory traced, the report
data (`report_build`) and the coordinator's HTML page (the view, through a RequestFactory
request), each with its figures counted in the snapshots (cold) and from the cache (warm), and
the PDF (rendered, then served from the cache). The cache is the site's (CACHES: the database's
table, or Redis with REDIS_URL); only this round's entries are removed.
"""

import datetime
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from assessments.models import Answer, Partnership, Round, token_new
from principles.models import Principle
from reports.pdf import pdf_cache_key
from reports.report import figures_cache_key, report_build
from reports.views import round_report, round_report_pdf

# The builders the report's query-count tests use too (tests.factories imports no pytest).
from tests.factories import members_create, round_with_responses


class Measure:
    """Time of one callable over `repeat` runs, then its queries and its peak memory in one more
    run each: neither is counted while it is timed, as recording queries (on SQLite, quoting
    each one's parameters by one more query) and tracing allocations both slow it down."""

    def __init__(self, label: str, function: Callable, setup: Callable = lambda: None):
        self.label, self.function, self.setup = label, function, setup

    def run(self, repeat: int = 9) -> dict:
        times = []
        for _ in range(repeat):
            self.setup()
            started = time.perf_counter()
            self.function()
            times.append(time.perf_counter() - started)
        self.setup()
        with CaptureQueriesContext(connection) as captured:
            self.function()
        self.setup()
        tracemalloc.start()
        self.function()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {
            "label": self.label,
            "first_ms": times[0] * 1000,
            "median_ms": statistics.median(times) * 1000,
            "queries": len(captured.captured_queries),
            "peak_mib": peak / 2**20,
        }


class Command(BaseCommand):
    help = (
        "Time the report data and HTML page (figures counted, then from the cache) and the PDF "
        "(rendered, then from the cache) of a throw-away round (rolled back)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--respondents", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2008)

    def handle(self, *args, respondents: int, seed: int, **options) -> None:
        with transaction.atomic():
            started = time.perf_counter()
            round, user = self.build(respondents, random.Random(seed))
            built = time.perf_counter() - started
            answers = Answer.objects.filter(response__round=round).count()
            # Timed as production runs: with DEBUG on (`make` turns it on for commands run by
            # hand), Django records every query, which on SQLite costs one more query each.
            with override_settings(DEBUG=False):
                results = self.measure(round, user)
            transaction.set_rollback(True)  # leave the database as it was
        self.stdout.write(
            f"Round of {respondents} submitted responses ({answers} answers, and as many again "
            f"in an earlier round for the trend), built in {built:.1f} s on {connection.vendor}, "
            f"with {type(caches['default']).__name__}."
        )
        self.stdout.write(f"{'':34}{'first':>9}{'median':>9}{'queries':>9}{'peak MiB':>10}")
        for r in results:
            self.stdout.write(
                f"{r['label']:34}{r['first_ms']:>7.0f}ms{r['median_ms']:>7.0f}ms"
                f"{r['queries']:>9}{r['peak_mib']:>10.1f}"
            )

    def build(self, respondents: int, rng: random.Random) -> tuple[Round, object]:
        if not Principle.objects.exists():
            call_command("load_principles", verbosity=0)
        partnership = Partnership.objects.create(
            name="Benchmark partnership", slug=f"benchmark-{token_new()[1][:12]}", area="Nowhere"
        )
        members = members_create(partnership, respondents, rng)
        now = timezone.now()
        earlier = now - datetime.timedelta(days=180)
        round_with_responses(partnership, members, rng, earlier, "Earlier round")
        round = round_with_responses(partnership, members, rng, now, "Measured round")
        user = get_user_model().objects.create_user(f"benchmark-{token_new()[1][:12]}")
        partnership.coordinators.add(user)
        return Round.objects.select_related("partnership").get(pk=round.pk), user

    def measure(self, round: Round, user) -> list[dict]:
        factory = RequestFactory()
        slug = round.partnership.slug

        def get(view, path: str):
            request = factory.get(path)
            request.user = user
            response = view(request, slug=slug, pk=round.pk)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            return response

        def forget_figures():  # only this round's: the cache may be shared
            cache.delete(figures_cache_key(round))

        def forget_pdf():
            cache.delete(pdf_cache_key(report_build(round)))

        def pdf():
            return get(round_report_pdf, "/report.pdf")

        def page():
            return get(round_report, "/report/")

        return [
            Measure("report data, counted", lambda: report_build(round), forget_figures).run(),
            Measure("report data, from the cache", lambda: report_build(round)).run(),
            Measure("HTML page, counted (view)", page, setup=forget_figures).run(),
            Measure("HTML page, from the cache (view)", page).run(),
            Measure("PDF, rendered (view)", pdf, setup=forget_pdf).run(repeat=3),
            Measure("PDF, from the cache (view)", pdf).run(),
        ]
