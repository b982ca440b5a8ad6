"""The framework's seven principles, their rateable statements, the answer scale and the bands.

All of it is reference data that admins reword in Django admin; every change is kept in history
(who, when, what it was before). Rounds copy the wording when they open, so rewording here only
changes rounds opened afterwards.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

SCORE_MIN = 1
SCORE_MAX = 5


class PrincipleQuerySet(models.QuerySet):
    def with_active_statements(self) -> "PrincipleQuerySet":
        return self.prefetch_related(
            models.Prefetch(
                "statements",
                queryset=Statement.objects.filter(is_active=True),
                to_attr="active_statements",
            )
        )


class Principle(models.Model):
    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="Position in the framework: 1 is Accountability.",
    )
    slug = models.SlugField(unique=True, max_length=60)
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=400, help_text="One or two sentences shown above the principle's statements."
    )
    guidance = models.TextField(
        blank=True, help_text="Longer guidance from the framework, in plain English."
    )
    history = HistoricalRecords()

    objects = PrincipleQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="principles_principle_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Statement(models.Model):
    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    text = models.CharField(max_length=300, help_text="What respondents rate from 1 to 5.")
    hint = models.CharField(
        max_length=300, blank=True, help_text="Optional hint shown under the statement."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive statements are left out of rounds opened from now on."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["principle__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "order"], name="principles_statement_unique_order"
            ),
            models.CheckConstraint(
                condition=models.Q(order__gte=1), name="principles_statement_order_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principle.number}.{self.order} {self.text}"


class ScalePoint(models.Model):
    """A label on the 1 to 5 agreement scale ("Strongly agree")."""

    value = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    label = models.CharField(max_length=60)
    history = HistoricalRecords()

    class Meta:
        ordering = ["value"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=SCORE_MIN, value__lte=SCORE_MAX),
                name="principles_scalepoint_value_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


class Band(models.Model):
    """A reading of a mean score: a mean at or above min_mean, and below the next band, is in it."""

    class Tone(models.TextChoices):
        GOOD = "good", "Good (green)"
        MIDDLE = "middle", "Middle (yellow)"
        ACTION = "action", "Needs action (red)"

    name = models.CharField(max_length=60, unique=True)
    min_mean = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        unique=True,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal("5.00"))],
        help_text="The lowest mean score in this band, from 1.00 to 5.00.",
    )
    tone = models.CharField(max_length=10, choices=Tone.choices, default=Tone.MIDDLE)
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-min_mean"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_mean__gte=1, min_mean__lte=5),
                name="principles_band_min_mean_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (from {self.min_mean})"
