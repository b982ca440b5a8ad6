"""Load test: N respondents answer a round at the same time against gunicorn on 127.0.0.1.

    python manage.py load_test --settings=perf.settings --respondents 200

It makes a throw-away partnership and round in the configured database (point DATABASE_URL at a
scratch database; `make loadtest` and `make loadtest-pg` do), starts gunicorn on a loopback port,
and lets every respondent, each in its own thread with its own cookies, start, answer all seven
pages, check and submit, all released at once. Then it checks the database: every response
submitted, every answer stored once, with the scores that were sent. Finally it measures the
throughput of a questionnaire page against a bare view rendering a trivial template, served by
the same gunicorn. Requests go only to 127.0.0.1, bounded in number and time.
"""

import http.cookiejar
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q, Sum
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Member, Partnership, Response, Round, Sector, token_hash

HOST = "127.0.0.1"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, so that each step is timed on its own."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class FormParser(HTMLParser):
    """The page's POST form: hidden and checked values, radio groups, text areas, its action."""

    def __init__(self):
        super().__init__()
        self.action, self.in_form, self.fields, self.radios, self.textareas = (
            None,
            False,
            {},
            {},
            [],
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and self.action is None:
            self.action, self.in_form = a.get("action") or "", True
        elif self.in_form and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "radio":
                self.radios.setdefault(a["name"], []).append(a.get("value", ""))
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "")
            elif kind in {"hidden", "text", "email"} or (kind == "checkbox" and "checked" in a):
                self.fields[a["name"]] = a.get("value", "")
        elif self.in_form and tag == "textarea" and a.get("name"):
            self.textareas.append(a["name"])
        elif self.in_form and tag == "button" and a.get("name"):
            self.fields.setdefault(a["name"], a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False


class Respondent:
    def __init__(self, base: str, token: str, seed: int, timings, errors):
        self.base, self.token, self.rng = base, token, random.Random(seed)
        self.timings, self.errors = timings, errors
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )
        self.scores: list[int | None] = []  # what this respondent sent, in order

    def request(self, step: str, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            request = urllib.request.Request(url, data=body)  # noqa: S310 (http to loopback)
            with self.opener.open(request, timeout=60) as r:
                status, text, location = r.status, r.read().decode(), ""
        except urllib.error.HTTPError as e:
            status, text, location = (
                e.code,
                e.read().decode(errors="replace"),
                e.headers.get("Location", ""),
            )
        self.timings[step].append(time.perf_counter() - started)
        if status >= 400:
            self.errors.append(f"{step}: HTTP {status}")
            raise RuntimeError(step)
        return status, text, urllib.parse.urljoin(url, location)

    def run(self, barrier: threading.Barrier) -> None:
        barrier.wait()
        url = f"{self.base}/r/{self.token}/"
        _, page, _ = self.request("start page", url)
        _, _, url = self.request("start", url, self.fill(page, answer=False))
        for _ in range(20):  # seven principle pages, then check your answers; bounded
            _, page, _ = self.request(
                "principle page" if "/principles/" in url else "check page", url
            )
            if "/principles/" not in url:
                break
            _, _, url = self.request("save principle", url, self.fill(page, answer=True))
        status, _, done = self.request("submit", url, self.fill(page, answer=False))
        if status != 302 or "/done/" not in done:
            self.errors.append(f"submit: ended at {done or status}")

    def fill(self, page: str, *, answer: bool) -> dict:
        form = FormParser()
        form.feed(page)
        data = dict(form.fields)
        for name, values in form.radios.items():
            if answer:
                choice = self.rng.choice(values)
                data[name] = choice
                self.scores.append(int(choice) if choice.isdigit() else None)
            else:
                data.setdefault(name, values[0])
        for name in form.textareas:
            data[name] = "Load test comment." if answer and self.rng.random() < 0.3 else ""
        return data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] * 1000


# The README's national round: 350 partnerships x 60 members, 70% responding in two weeks, 25% of
# the responses on invitation day and 15% of that day's in its busiest hour, ~35 requests each.
NATIONAL_PEAK_RPS = round(350 * 60 * 0.70 * 0.25 * 0.15 * 35 / 3600, 1)


class Command(BaseCommand):
    help = "Load test: respondents answering at the same time against gunicorn on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--respondents", type=int, default=200)
        parser.add_argument("--port", type=int, default=0, help="0: any free port")
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--time-limit", type=int, default=600, help="seconds, whole run")
        parser.add_argument("--throughput-seconds", type=float, default=10)

    def handle(self, *args, **options) -> None:
        if not 1 <= options["respondents"] <= 1000:
            raise CommandError("--respondents must be between 1 and 1000.")
        self.deadline = time.monotonic() + options["time_limit"]
        round_, tokens = self.prepare(options["respondents"])
        server = self.serve(options)
        try:
            results = self.swarm(tokens)
            lost = self.verify(round_, tokens, results)
            ratio = self.throughput(tokens[0], options["throughput_seconds"])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if self.errors or lost:
            raise CommandError(f"{len(self.errors)} errors, {lost} responses wrong")
        self.stdout.write(f"OK: 0 errors, 0 answers lost or doubled; throughput ratio {ratio:.2f}")

    def prepare(self, count: int) -> tuple[Round, list[str]]:
        call_command("load_principles", verbosity=0)
        slug = f"load-test-{secrets.token_hex(4)}"
        partnership = Partnership.objects.create(
            name=f"Load test {slug}", slug=slug, area="Loopback"
        )
        sectors = list(Sector.values)
        Member.objects.bulk_create(
            Member(
                partnership=partnership,
                name=f"Respondent {i}",
                email=f"r{i}@{slug}.invalid",
                sector=sectors[i % len(sectors)],
            )
            for i in range(count)
        )
        today = timezone.localdate()
        round_ = Round.objects.create(
            partnership=partnership, title="Load test", opens_on=today, closes_on=today
        )
        round_ = services.round_open(round=round_)
        tokens = [services.invitation_link(invitation=i) for i in round_.invitations.all()]
        self.stdout.write(f"Prepared {count} invitations to {round_.questions.count()} questions.")
        return round_, tokens

    def serve(self, options) -> subprocess.Popen:
        if not options["port"]:
            with socket.socket() as probe:
                probe.bind((HOST, 0))
                options["port"] = probe.getsockname()[1]
        self.base = f"http://{HOST}:{options['port']}"
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "perf.settings",  # the site plus the bare view
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "REQUEST_LOG_LEVEL": "WARNING",
            # As in production (README): a connection per thread, kept between requests.
            "CONN_MAX_AGE": "60",
        }
        # Production storage: hashed, compressed static files, as gunicorn would serve them.
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env=env, check=True
        )
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lsp_framework.wsgi",
                "--bind",
                f"{HOST}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--threads",
                str(options["threads"]),
                "--worker-class",
                "gthread",
                "--backlog",
                "2048",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{self.base}/health/", timeout=2):  # noqa: S310 (http to loopback)
                    return server
            except OSError:
                time.sleep(0.2)
        server.kill()
        raise CommandError("gunicorn did not start")

    def swarm(self, tokens: list[str]) -> list[Respondent]:
        self.timings, self.errors = defaultdict(list), []
        respondents = [
            Respondent(self.base, t, i, self.timings, self.errors) for i, t in enumerate(tokens)
        ]
        barrier = threading.Barrier(len(respondents))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(respondents)) as pool:
            futures = [pool.submit(r.run, barrier) for r in respondents]
            for future in futures:
                try:
                    future.result(timeout=max(1, self.deadline - time.monotonic()))
                except Exception as error:  # noqa: BLE001 (counted, not raised: the run goes on)
                    if not str(error):
                        self.errors.append(repr(error))
        elapsed = time.perf_counter() - started
        requests = sum(len(values) for values in self.timings.values())
        self.stdout.write(
            f"\n{len(tokens)} respondents in {elapsed:.1f} s; errors: {len(self.errors)}; "
            f"{requests} requests, {requests / elapsed:.0f} requests/s"
        )
        self.stdout.write(
            f"National model (README): {NATIONAL_PEAK_RPS} requests/s in the busiest hour; "
            f"headroom at this run's rate: {requests / elapsed / NATIONAL_PEAK_RPS:.0f}x"
        )
        self.stdout.write(f"{'step':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for step, values in self.timings.items():
            self.stdout.write(
                f"{step:<16}{len(values):>9}{percentile(values, 0.5):>9.0f}"
                f"{percentile(values, 0.95):>9.0f}{max(values) * 1000:>9.0f}"
            )
        for error in sorted(set(self.errors))[:10]:
            self.stdout.write(f"  error: {error}")
        return respondents

    def verify(self, round_: Round, tokens: list[str], respondents: list[Respondent]) -> int:
        """Compare what each respondent sent with what the database holds."""
        questions = round_.questions.count()
        stored = {
            row["invitation__token_hash"]: row
            for row in Response.objects.filter(round=round_)
            .values("invitation__token_hash", "status")
            .annotate(
                n=Count("answers"),
                total=Sum("answers__score"),
                dont_know=Count("answers", filter=Q(answers__score__isnull=True)),
            )
        }
        wrong = 0
        for respondent in respondents:
            row = stored.get(token_hash(respondent.token))
            sent = respondent.scores[-questions:] if respondent.scores else []
            expected = (questions, sum(s for s in sent if s), sum(s is None for s in sent))
            if (
                not row
                or row["status"] != "submitted"
                or (row["n"], row["total"] or 0, row["dont_know"]) != expected
            ):
                wrong += 1
        answers = Answer.objects.filter(response__round=round_).count()
        self.stdout.write(
            f"Database: {len(stored)} responses, {answers} answers stored of "
            f"{len(respondents) * questions} expected; {wrong} responses lost or wrong."
        )
        return wrong

    def throughput(self, token: str, seconds: float) -> float:
        rates = {}
        pages = [("bare view", "/_bare/"), ("questionnaire page", f"/r/{token}/principles/3/")]
        for name, path in pages:
            stop = min(time.monotonic() + seconds, self.deadline)
            with ThreadPoolExecutor(max_workers=16) as pool:
                done = sum(pool.map(self.hammer, [path] * 16, [stop] * 16))
            rates[name] = done / seconds
            self.stdout.write(f"Throughput, {name}: {rates[name]:.0f} requests/s")
        ratio = rates["questionnaire page"] / rates["bare view"]
        self.stdout.write(f"Questionnaire page / bare view: {ratio:.2f} (target at least 0.50)")
        return ratio

    def hammer(self, path: str, stop: float) -> int:
        """GET one page over and over until `stop`; returns how many were answered."""
        opener = urllib.request.build_opener(NoRedirect())
        count = 0
        while time.monotonic() < stop:
            with opener.open(self.base + path, timeout=30) as response:
                response.read()
            count += 1
        return count
