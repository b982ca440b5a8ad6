"""What the report app keeps of its own: the action plan a partnership agrees after reading a
round's report (carried into later rounds until done or dropped), what its meeting agreed about
each principle, and the read-only share links to the report.

Both tables were created by the assessments app and keep their names (`db_table`): the models
moved here without moving any data (migrations assessments 0003 and reports 0001).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.models import Round, RoundPrinciple, TokenQuerySet
from principles.models import SCORE_MAX, SCORE_MIN


class ActionQuerySet(models.QuerySet):
    @staticmethod
    def _plan(round: Round) -> Q:
        """The round's action plan: the actions it agreed, and those agreed in the partnership's
        earlier rounds that are still open, or were done or dropped after this round opened (so
        its report shows what became of them). An action stays with the round that agreed it."""
        own = Q(round=round)
        if round.opened_at is None:
            return own
        earlier = Q(
            round__partnership_id=round.partnership_id, round__opened_at__lt=round.opened_at
        )
        still_open = Q(status__in=Action.OPEN) | Q(closed_on__gte=round.opens_on)
        return own | (earlier & still_open)

    def in_plan_of(self, round: Round) -> "ActionQuerySet":
        return self.filter(self._plan(round))

    def in_report_of(self, round: Round) -> "ActionQuerySet":
        """The round's plan, and every action the round just before it agreed, whatever became
        of it (the report's principle sections say what was committed then and how the figures
        moved since); each marked `in_plan`."""
        plan = self._plan(round)
        if round.opened_at is not None:
            previous = (
                Round.objects.filter(
                    partnership_id=round.partnership_id, opened_at__lt=round.opened_at
                )
                .order_by("-opened_at")
                .values("pk")[:1]
            )
            wanted = plan | Q(round=models.Subquery(previous))
        else:
            wanted = plan
        in_plan = models.ExpressionWrapper(plan, output_field=models.BooleanField())
        return self.filter(wanted).annotate(in_plan=in_plan)


class Action(models.Model):
    """An item of the action plan the partnership agrees after reading a round's report. Every
    change is kept in its history, with who made it (simple_history)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    principle = models.ForeignKey(
        RoundPrinciple, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(max_length=1000)
    owner = models.CharField(max_length=150, blank=True, help_text="Who will lead it.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The day it was done or dropped (UK time); empty while it is open.
    closed_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        db_table = "assessments_action"
        ordering = ["principle__number", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    def save(self, *args, **kwargs):
        if self.is_open:
            self.closed_on = None
        elif self.closed_on is None:
            self.closed_on = timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class PrincipleReview(models.Model):
    """What the partnership's meeting made of one principle's results (the workshop view): what
    it learned, and the rating it agreed, shown beside the survey's figure."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reviews")
    principle = models.ForeignKey(RoundPrinciple, on_delete=models.PROTECT, related_name="+")
    agreed_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    learned = models.TextField(max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "principle"], name="reports_principlereview_one_per_principle"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.principle}"


class ShareLinkQuerySet(TokenQuerySet):
    def active(self) -> "ShareLinkQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ShareLink(models.Model):
    """A read-only link to a round's report for the third sector forum; no account needed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True, help_text="Who it is for.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        db_table = "assessments_sharelink"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"Share link {self.pk}"

    @property
    def last_day(self):
        """The last day it works, UK time: it stops at the midnight that ends that day."""
        if self.expires_at is None:
            return None
        return timezone.localdate(self.expires_at - datetime.timedelta(microseconds=1))


# What the report shows: the published snapshot of each round's answers (see disclosure.py)


class Publication(models.Model):
    """A round's published snapshot: what every report, download and share link shows.

    It moves on only when the disclosure gate says so (disclosure.snapshot_if_due), and records
    nothing more precise than the day it was taken.
    """

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="publication")
    sequence = models.PositiveIntegerField(default=0, help_text="Snapshots taken so far.")
    taken_on = models.DateField(null=True, blank=True)
    responses = models.PositiveIntegerField(default=0)
    # Submitted or changed after the last snapshot, and left out of the final one (too few to
    # be shown without giving them away against the snapshot before).
    left_out = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Snapshot {self.sequence} of {self.round}"


class PublishedResponse(models.Model):
    """A response as it stood in its round's latest snapshot: its sector and revision."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(
        "assessments.Response", on_delete=models.CASCADE, related_name="published"
    )
    revision = models.PositiveIntegerField()
    sector = models.CharField(max_length=30)
    # Random, drawn when published: the CSV's order and numbers follow it, never submission.
    order_key = models.CharField(max_length=32)

    class Meta:
        ordering = ["order_key"]
        indexes = [models.Index(fields=["round", "sector"])]

    def __str__(self) -> str:
        return f"Published response {self.pk}"


class PublishedAnswer(models.Model):
    """A copy of an answer as it stood in the latest snapshot; round and sector are copied in
    too, so that the report's counts are one GROUP BY over one table."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    published = models.ForeignKey(PublishedResponse, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=30)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["round", "question", "score", "sector"])]
        constraints = [
            models.UniqueConstraint(
                fields=["published", "question"], name="reports_publishedanswer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class PublishedComment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    published = models.ForeignKey(PublishedResponse, on_delete=models.CASCADE, related_name="+")
    principle = models.ForeignKey(
        "assessments.RoundPrinciple", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["principle", "text"]

    def __str__(self) -> str:
        return self.text[:60]
