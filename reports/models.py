"""What the report app keeps of its own: the action plan a partnership agrees after reading a
round's report, and the read-only share links to the report.

Both tables were created by the assessments app and keep their names (`db_table`): the models
moved here without moving any data (migrations assessments 0003 and reports 0001).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import Round, RoundPrinciple, TokenQuerySet


class Action(models.Model):
    """An item of the action plan the partnership agrees after reading a round's report."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="actions")
    principle = models.ForeignKey(
        RoundPrinciple, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(max_length=1000)
    owner = models.CharField(max_length=150, blank=True, help_text="Who will lead it.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "assessments_action"
        ordering = ["principle__number", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


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
