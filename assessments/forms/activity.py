"""The filters of the activity page (views/activity.py): what happened, between which days."""

import datetime

from crispy_forms_gds.layout import Field
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from ..audit import Kind
from .gov import GovDateField, GovFormMixin, gov_helper


class ActivityFilterForm(GovFormMixin, forms.Form):
    """Bound to the page's query string. Days are UK days: "from 3 March" starts at midnight in
    London, whatever the time of year, as the times on the page are shown."""

    kind = forms.ChoiceField(
        label="What happened", required=False, choices=[("", "Everything"), *Kind.choices]
    )
    date_from = GovDateField(
        name="Date from",
        label="From",
        required=False,
        help_text="For example, 1 3 2026",
    )
    date_to = GovDateField(
        name="Date to",
        label="To",
        required=False,
        help_text="For example, 31 3 2026",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gov_helper(
            Field.select("kind"), Field("date_from"), Field("date_to"), form_tag=False
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(
                {"date_to": "Date to must be the same as or after date from"}, code="order"
            )
        return data

    def filter(self, entries: QuerySet) -> QuerySet:
        """The entries the (valid) filters keep; by a range of the indexed timestamp, so a
        year's trail is not read to find one day."""
        data = self.cleaned_data
        if data.get("kind"):
            entries = entries.filter(additional_data__kind=data["kind"])
        if data.get("date_from"):
            entries = entries.filter(timestamp__gte=_midnight(data["date_from"]))
        if data.get("date_to") and data["date_to"] < datetime.date.max:  # 31 12 9999: no end
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(timestamp__lt=_midnight(next_day))
        return entries


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
