"""Remove members' personal data a set number of months after the rounds they were in closed.

Run it daily (cron or a scheduled job). Answers stay, anonymous, for the trend across rounds.
"""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments import services


class Command(BaseCommand):
    help = "Erase names, e-mails, organisations and links of members of long-closed rounds."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=settings.RETENTION_MONTHS,
            help="Months after a round closes (default: RETENTION_MONTHS, %(default)s).",
        )

    def handle(self, *args, months: int, **options) -> None:
        if months < 1:
            self.stderr.write("--months must be at least 1.")
            raise SystemExit(2)
        erased = services.personal_data_purge(months=months)
        self.stdout.write(f"Erased the personal data of {erased} member(s) ({months} months).")
        # Failed sign-in attempts hold an address and a username; a day covers any lockout.
        day_ago = timezone.now() - datetime.timedelta(days=1)
        attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=day_ago).delete()
        self.stdout.write(f"Removed {attempts} record(s) of failed sign-ins over a day old.")
