"""Throughput of a questionnaire page against a bare Django view, measured with wrk.

    python manage.py throughput --settings=perf.settings

It makes a throw-away partnership and round in the configured database (point DATABASE_URL at a
scratch database; `make throughput` does), with one respondent half-way through (the page
measured has some answers checked and a comment), starts gunicorn on a loopback port as the load
test does (2 workers x 4 threads here), and runs wrk (Debian package `wrk`) for a few seconds
against the bare view (perf/urls.py) and then the page. It prints each one's requests per second
and the ratio. Requests go only to 127.0.0.1.
"""

import re
import shutil
import signal
import subprocess

from django.core.management.base import CommandError

from assessments import services
from assessments.models import Sector

from .load_test import Command as LoadTest


class Command(LoadTest):
    help = "Requests per second of a questionnaire page and of a bare view, with wrk."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=0, help="0: any free port")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--seconds", type=int, default=10, help="of each wrk run")
        parser.add_argument("--connections", type=int, default=8)

    def handle(self, *args, **options) -> None:
        if not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install -y wrk")
        if not 1 <= options["seconds"] <= 60 or not 1 <= options["connections"] <= 64:
            raise CommandError("--seconds must be 1 to 60 and --connections 1 to 64.")
        round_, tokens = self.prepare(1)
        page = self.half_answered(round_, tokens[0])
        server = self.serve(options)
        try:
            rates = {
                name: self.wrk(path, options)
                for name, path in [("bare view", "/_bare/"), ("questionnaire page", page)]
            }
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        for name, rate in rates.items():
            self.stdout.write(f"{name:<20}{rate:>10.0f} requests/s")
        ratio = rates["questionnaire page"] / rates["bare view"]
        self.stdout.write(f"questionnaire page / bare view: {ratio:.2f}")

    def half_answered(self, round_, token: str, invitation=None) -> str:
        """Principle 3's page of a respondent who answered two of its statements and commented
        (the round's one invitation, unless given)."""
        invitation = invitation or round_.invitations.get()
        response = services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR)
        principle = round_.principles.get(number=3)
        questions = list(principle.questions.order_by("order"))[:2]
        services.response_save_principle(
            response=response,
            principle=principle,
            scores={questions[0].pk: 4, questions[1].pk: None},
            comment="Papers arrive late & meetings clash <sometimes>.",
        )
        return f"/r/{token}/principles/3/"

    def wrk(self, path: str, options) -> float:
        threads = str(min(2, options["connections"]))
        result = subprocess.run(  # noqa: S603 (wrk against our own loopback server)
            [
                *("wrk", "-t", threads, "-c", str(options["connections"])),
                *("-d", f"{options['seconds']}s", f"{self.base}{path}"),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=options["seconds"] + 30,
        )
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
        if errors:
            raise CommandError(f"{path}: {errors.group(1)} error responses\n{result.stdout}")
        return float(re.search(r"Requests/sec:\s*([\d.]+)", result.stdout).group(1))
