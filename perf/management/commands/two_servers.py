"""Two app servers on one database: the load test's respondents, each request of a journey sent
to one of two gunicorns at random, against one PostgreSQL, one Redis and one task worker.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/13 TASK_BACKEND=database \
        python manage.py two_servers --settings=perf.settings --respondents 200

`make two-servers` runs it on a scratch PostgreSQL database and Redis database 13, and drops the
database afterwards. It starts two gunicorns on two loopback ports (as the load test starts one)
and `manage.py db_worker`, all with the same environment, as two machines behind a load balancer
would have. Every respondent keeps one cookie jar, as a browser behind one address does, but
each request (start page, start, every principle page and its save, check, submit) goes to a
server picked at random, so the session, the CSRF cookie and the form's token written by one
server must be read by the other. Then it checks, and fails unless all hold:

- no request answered with an error, and every respondent reached the "done" page;
- the database holds every answer each respondent sent, once (the load test's check);
- the report's figures are the same read through either server: the summary spreadsheet of the
  share link, from each server and as this process builds it, while the round is open and again
  after it closes (its final snapshot);
- a coordinator who signs in through one server (with the form from the other) is signed in on
  both: the team's report reads through each;
- the closed round's PDFs (the forum's, by the share link, and the team's, with the network's
  benchmark) fetched from both servers are byte-identical once ready: the task worker renders
  them into the shared cache, and a server asked before then answers 202 ("being prepared"),
  which is fine, as long as both answer 200 with the same bytes within the time;
- no background task failed (the task worker's results in the database).

It uses a cache key prefix of its own and deletes its keys from Redis at the end. Requests go
only to 127.0.0.1, bounded in number and time.
"""

import http.cookiejar
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import CommandError
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessments import services
from reports.services import share_link_create
from reports.views import _summary_csv_response

from .load_test import HOST, FormParser, NoRedirect, Respondent
from .load_test import Command as LoadTest

REDIS = "django.core.cache.backends.redis.RedisCache"


class SplitRespondent(Respondent):
    """A respondent whose every request goes to one of the servers, picked at random."""

    lock = threading.Lock()

    def __init__(self, bases: list[str], token: str, seed: int, timings, errors, served):
        super().__init__(bases[0], token, seed, timings, errors)
        self.bases, self.served = bases, served

    def request(self, step: str, url: str, data: dict | None = None) -> tuple[int, str, str]:
        base = self.rng.choice(self.bases)
        with self.lock:
            self.served[base] += 1
        parts = urllib.parse.urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        return super().request(step, base + path, data)


class Command(LoadTest):
    help = "Two gunicorns on one database and one Redis, respondents' requests split at random."

    def add_arguments(self, parser):
        parser.add_argument("--respondents", type=int, default=200)
        parser.add_argument("--workers", type=int, default=2, help="of each server")
        parser.add_argument("--threads", type=int, default=4, help="of each worker")
        parser.add_argument("--time-limit", type=int, default=600, help="seconds, whole run")
        parser.add_argument("--pdf-seconds", type=int, default=120, help="to wait for the PDF")

    def handle(self, *args, **options) -> None:
        if not 1 <= options["respondents"] <= 1000:
            raise CommandError("--respondents must be between 1 and 1000.")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Point DATABASE_URL at a scratch PostgreSQL database.")
        if settings.CACHES["default"]["BACKEND"] != REDIS or not settings.PDF_IN_BACKGROUND:
            raise CommandError(
                "Set REDIS_URL (a Redis database of its own) and TASK_BACKEND=database."
            )
        started = time.monotonic()
        self.deadline = started + options["time_limit"]
        # Keys of this run only, in this process and in every one it starts.
        prefix = f"two-servers-{secrets.token_hex(4)}"
        os.environ["CACHE_KEY_PREFIX"] = settings.CACHES["default"]["KEY_PREFIX"] = prefix
        cache.key_prefix = prefix
        # One secret key for all (serve() would give each server its own): a session signed in
        # on one server is checked against it by the other.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        round_, tokens = self.prepare(options["respondents"])
        password = secrets.token_urlsafe(16)
        user = get_user_model().objects.create_user(f"{prefix}@example.invalid", password=password)
        round_.partnership.coordinators.add(user)
        report = reverse("reports:round-report", args=[round_.partnership.slug, round_.pk])
        pdf = reverse("reports:round-report-pdf", args=[round_.partnership.slug, round_.pk])
        share = share_link_create(
            round=round_, label="Two servers", expires_at=None, created_by=user
        )
        processes = []
        try:
            self.bases = []
            for _ in range(2):
                processes.append(self.serve(dict(options, port=0)))
                self.bases.append(self.base)
            processes.append(self.worker())
            self.stdout.write(f"Servers: {', '.join(self.bases)}; one db_worker")
            respondents = self.swarm(tokens)
            wrong = self.verify(round_, tokens, respondents)
            problems = self.figures(round_, share, "open round")
            services.round_close(round=round_)  # the final snapshot; its PDFs are queued
            problems += self.figures(round_, share, "closed round")
            opener, signed_in = self.sign_in(user.username, password, report)
            problems += signed_in
            seconds = options["pdf_seconds"]
            problems += self.pdfs("Forum's PDF", f"/shared/{share}/report.pdf", seconds)
            problems += self.pdfs("Team's PDF", pdf, seconds, opener)
            problems += self.tasks()
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.forget(prefix)
        elapsed = time.monotonic() - started
        requests = sum(len(values) for values in self.timings.values())
        self.stdout.write(f"Whole run: {elapsed:.1f} s, {requests} journey requests")
        if self.errors or wrong or problems:
            for problem in problems:
                self.stdout.write(f"  inconsistent: {problem}")
            raise CommandError(
                f"{len(self.errors)} errors, {wrong} responses wrong, {len(problems)} inconsistent"
            )
        self.stdout.write(
            "OK: 0 errors, 0 answers lost or doubled; sessions, figures and PDFs the same on both"
        )

    def worker(self) -> subprocess.Popen:
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "perf.settings", "DEBUG": "0"}
        env |= {"ALLOWED_HOSTS": HOST, "LOG_LEVEL": "WARNING"}
        return subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            # Quiet (-v0 hides its failures too: `tasks` counts them from the database instead).
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5", "-v0"],
            env=env,
        )

    def tasks(self) -> list[str]:
        """The worker's tasks of this run (the PDFs queued by each snapshot and by closing): none
        failed."""
        results = Counter(DBTaskResult.objects.values_list("status", flat=True))
        self.stdout.write(f"Background tasks: {dict(sorted(results.items()))}")
        failed = results[TaskResultStatus.FAILED]
        return [f"{failed} background tasks failed"] if failed else []

    def swarm(self, tokens: list[str]) -> list[Respondent]:
        """The load test's swarm, with respondents whose requests are split across servers."""
        self.served = Counter()
        bases, served = self.bases, self.served

        def respondent(base, token, seed, timings, errors):
            return SplitRespondent(bases, token, seed, timings, errors, served)

        original = sys.modules[LoadTest.__module__].Respondent
        sys.modules[LoadTest.__module__].Respondent = respondent
        try:
            respondents = super().swarm(tokens)
        finally:
            sys.modules[LoadTest.__module__].Respondent = original
        shares = ", ".join(f"{base}: {n}" for base, n in sorted(served.items()))
        self.stdout.write(f"Requests by server: {shares}")
        return respondents

    def get(self, url: str, opener=None, data: dict | None = None) -> tuple[int, bytes]:
        """One request (a POST with `data`), redirects not followed: its status and body."""
        opener = opener or urllib.request.build_opener(NoRedirect())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            request = urllib.request.Request(url, data=body)  # noqa: S310 (http to loopback)
            with opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sign_in(self, username: str, password: str, report: str) -> tuple[object, list[str]]:
        """The coordinator gets the sign-in form from one server and signs in through the other
        (the CSRF cookie and token cross), then reads the team's report through each (the
        session crosses: a server that did not know it would send them to sign in)."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        _, page = self.get(f"{self.bases[1]}/accounts/login/", opener)
        form = FormParser()
        form.feed(page.decode())
        data = form.fields | {"username": username, "password": password}
        status, _ = self.get(f"{self.bases[0]}/accounts/login/", opener, data)
        if status != 302:
            return opener, [f"sign-in through {self.bases[0]}: HTTP {status}"]
        problems = []
        for base in self.bases:
            status, _ = self.get(f"{base}{report}", opener)
            if status != 200:
                problems.append(f"team's report through {base}: HTTP {status}, not signed in")
        if not problems:
            self.stdout.write("Coordinator: signed in on one server, the report read on both")
        return opener, problems

    def figures(self, round_, share: str, when: str) -> list[str]:
        """The summary spreadsheet through each server, twice, and as built here: all the same."""
        expected = _summary_csv_response(round_).content
        problems = []
        for _ in range(2):
            for base in self.bases:
                status, body = self.get(f"{base}/shared/{share}/summary.csv")
                if status != 200 or body != expected:
                    problems.append(f"{when}: summary from {base} ({status}) differs")
        rows = expected.decode("utf-8-sig").count("\n")
        self.stdout.write(f"Figures, {when}: {rows} summary rows, the same from both servers")
        return problems

    def pdfs(self, name: str, path: str, seconds: int, opener=None) -> list[str]:
        """The PDF from both servers in turn until both have it: 202 until ready, then 200."""
        started = time.monotonic()
        stop = started + seconds
        ready, waits, first, until_ready = {}, Counter(), None, None
        while len(ready) < len(self.bases) and time.monotonic() < stop:
            for base in self.bases:
                if base in ready:
                    continue
                asked = time.monotonic()
                status, body = self.get(f"{base}{path}", opener)
                first = first if first is not None else (status, time.monotonic() - asked)
                if status == 200 and body.startswith(b"%PDF"):
                    ready[base] = body
                    until_ready = until_ready or time.monotonic() - started
                elif status == 202:
                    waits[base] += 1
                else:
                    return [f"{name} from {base}: HTTP {status}"]
            time.sleep(0.5)
        if len(ready) < len(self.bases):
            return [f"{name} not ready from every server within {seconds} s"]
        if len(set(ready.values())) != 1:
            return [f"{name} differs between the servers"]
        size = len(next(iter(ready.values())))
        answered = ", ".join(f"{base}: {waits[base]}" for base in self.bases)
        self.stdout.write(f"{name}: {size} bytes, identical from both; 202s first ({answered})")
        asked = time.monotonic()
        self.get(f"{self.bases[0]}{path}", opener)
        self.stdout.write(
            f"{name}, a reader's wait: the first answer (HTTP {first[0]}) in "
            f"{first[1] * 1000:.0f} ms, the PDF {until_ready:.1f} s after the first request "
            f"(asking every 0.5 s), a ready PDF in {(time.monotonic() - asked) * 1000:.0f} ms"
        )
        return []

    def forget(self, prefix: str) -> None:
        """Delete this run's keys from Redis (only its own: others may share the database)."""
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        self.stdout.write(f"Removed {len(keys)} cache keys of this run from Redis.")
