"""What the report app keeps of its own: the action plan a partnership agrees after reading a
round's report, and the read-only share links to the report.

Both tables were created by the assessments app and keep their names (`db_table`): the models
moved here without moving any data (migrations assessments 0003 and reports 0001).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import Round, RoundPrinciple


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


class ShareLinkQuerySet(models.QuerySet):
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
