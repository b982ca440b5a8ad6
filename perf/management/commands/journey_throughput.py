"""Requests per second of the respondent journey's pages on one box, measured with wrk.

    DATABASE_URL=postgres://.../scratch python manage.py journey_throughput --settings=perf.settings

As `throughput` (its parent here), on gunicorn with 2 workers x 4 threads, but against the pages
a respondent's journey reads: the start page of a fresh invitation, a questionnaire page half
answered (principle 3, two statements and a comment), and the check page of a respondent who has
answered every statement; and the bare view (perf/urls.py), the ceiling a Django page reaches
on the machine as busy as it is. wrk sends GETs only; the journey's POSTs (start, each page's save,
submit) are measured under load by `load_test` and `two_servers`. Prints each page's requests per
second; the national capacity model in the README is built on these. Requests go only to
127.0.0.1.
"""

import signal

from django.core.management.base import CommandError

from assessments import services
from assessments.models import Invitation, Sector, token_hash

from .throughput import Command as Throughput


class Command(Throughput):
    help = "Requests per second of the respondent journey's pages (start, questionnaire, check)."

    def handle(self, *args, **options) -> None:
        if not 1 <= options["seconds"] <= 60 or not 1 <= options["connections"] <= 64:
            raise CommandError("--seconds must be 1 to 60 and --connections 1 to 64.")
        round_, (fresh, half, done) = self.prepare(3)

        def invitation(token: str) -> Invitation:
            return round_.invitations.get(token_hash=token_hash(token))

        pages = {
            "bare view": "/_bare/",  # the ceiling, to tell a slow page from a busy machine
            "start page": f"/r/{fresh}/",
            "questionnaire page": self.half_answered(round_, half, invitation(half)),
            "check page": self.all_answered(round_, invitation(done), done),
        }
        server = self.serve(options)
        try:
            rates = {name: self.wrk(path, options) for name, path in pages.items()}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        for name, rate in rates.items():
            self.stdout.write(f"{name:<20}{rate:>10.0f} requests/s")

    def all_answered(self, round_, invitation, token: str) -> str:
        """The check page of a respondent who answered every statement, one comment a page."""
        response = services.response_start(invitation=invitation, sector=Sector.LOCAL_AUTHORITY)
        for principle in round_.principles.order_by("number").prefetch_related("questions"):
            scores = {q.pk: (q.pk % 5) or None for q in principle.questions.all()}
            services.response_save_principle(
                response=response,
                principle=principle,
                scores=scores,
                comment=f"Comment on principle {principle.number}.",
            )
        return f"/r/{token}/check/"
