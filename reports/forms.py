"""Forms for the report pages: an action of the action plan, a share link, and what the results
meeting records on the workshop view."""

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.forms.gov import GovDateField, GovFormMixin, gov_helper, strip_bidi_controls
from assessments.models import Round, RoundPrinciple

from .models import Action

SHARE_LINK_MAX_DAYS = 366


DUE_ON_EARLIEST = datetime.date(2000, 1, 1)
DUE_ON_YEARS_AHEAD = 10


def due_on_checked(due_on: datetime.date | None) -> datetime.date | None:
    """An action's due date, within reason: not before 2000 (the year 1800 is a typing slip,
    and would be flagged overdue at once), nor more than ten years away."""
    if due_on is None:
        return None
    if due_on < DUE_ON_EARLIEST:
        raise ValidationError("Due date must be in 2000 or later")
    today = timezone.localdate()
    if due_on > today.replace(year=today.year + DUE_ON_YEARS_AHEAD, day=min(today.day, 28)):
        raise ValidationError(f"Due date must be within {DUE_ON_YEARS_AHEAD} years from today")
    return due_on


class ActionForm(GovFormMixin, forms.ModelForm):
    due_on = GovDateField(
        name="Due date",
        required=False,
        label="Due by (optional)",
        help_text="For example, 31 3 2027. Leave blank if open-ended.",
    )

    class Meta:
        model = Action
        fields = ["principle", "description", "owner", "due_on", "status"]
        labels = {
            "principle": "Which principle is it about?",
            "description": "What will be done?",
            "owner": "Who will lead it? (optional)",
            "status": "Status",
        }
        help_texts = {
            "description": "Say what will change, so that the forum can see whether it happened.",
            "owner": "A person, a group or an organisation.",
        }
        widgets = {"status": forms.RadioSelect}
        # The labels are questions, which GovFormMixin's own wording cannot make a subject of.
        # A principle or status not offered only comes from a tampered post.
        error_messages = {
            "principle": {"invalid_choice": "Select which principle it is about"},
            "description": {
                "required": "Enter what will be done",
                "max_length": "Description must be 1,000 characters or fewer",
            },
            "owner": {"max_length": "Who leads it must be 150 characters or fewer"},
            "status": {
                "required": "Select the action’s status",
                "invalid_choice": "Select the action’s status",
            },
        }

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        principle = self.fields["principle"]
        principle.queryset = round.principles.order_by("number")
        principle.required = False
        principle.empty_label = "The whole partnership"
        self.helper = gov_helper(
            Field.select("principle"),
            Field.textarea("description", rows=4, max_characters=1000),
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field("due_on"),
            Field.radios("status", legend_size=Size.SMALL, small=True),
            submit="Save action",
            form_tag=False,
        )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("description", "owner"):
            if data.get(name):
                data[name] = strip_bidi_controls(data[name]).strip()
        return data

    def clean_due_on(self) -> datetime.date | None:
        return due_on_checked(self.cleaned_data["due_on"])


class ShareLinkForm(GovFormMixin, forms.Form):
    label = forms.CharField(
        label="Who is it for? (optional)",
        help_text="For example, Third sector forum, March meeting. Only you see this.",
        max_length=100,
        required=False,
        error_messages={"max_length": "Who it is for must be 100 characters or fewer"},
    )
    expires_on = GovDateField(
        name="Last day",
        required=False,
        label="Last day it works (optional)",
        help_text="For example, 31 3 2027. Leave blank for a link that works until you revoke it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gov_helper(
            Field.text("label", field_width=Fluid.TWO_THIRDS),
            Field("expires_on"),
            submit="Create share link",
            form_tag=False,
        )

    def clean_expires_on(self) -> datetime.date | None:
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on and expires_on < today:
            raise ValidationError("The last day must be today or in the future")
        if expires_on and expires_on > today + datetime.timedelta(days=SHARE_LINK_MAX_DAYS):
            raise ValidationError("The last day must be within a year from today")
        return expires_on

    def expires_at(self) -> datetime.datetime | None:
        """The end of the last day, UK time: the moment the link stops working."""
        expires_on = self.cleaned_data["expires_on"]
        if not expires_on:
            return None
        day_after = expires_on + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))


class WorkshopForm(GovFormMixin, forms.Form):
    """What the results meeting records on one principle's screen: what it learned, the rating it
    agreed (on the round's scale), and optionally one new action. A blank action means "no new
    action"; who leads it or a due date without what will be done is a mistake to point out."""

    learned = forms.CharField(
        label="What did the partnership learn? (optional)",
        help_text="For example, what surprised people, and why views differ.",
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        error_messages={
            "max_length": "What the partnership learned must be 2,000 characters or fewer"
        },
    )
    agreed_score = forms.TypedChoiceField(
        label="What rating does the meeting agree? (optional)",
        help_text="On the survey’s scale: how far the meeting agrees the partnership lives up to "
        "this principle.",
        widget=forms.RadioSelect,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select the rating the meeting agreed"},
    )
    description = forms.CharField(
        label="What will be done? (optional)",
        help_text="Leave blank if the meeting agreed no new action on this principle.",
        widget=forms.Textarea,
        max_length=1000,
        required=False,
        error_messages={"max_length": "Description must be 1,000 characters or fewer"},
    )
    owner = forms.CharField(
        label="Who will lead it? (optional)",
        help_text="A person, a group or an organisation.",
        max_length=150,
        required=False,
        error_messages={"max_length": "Who leads it must be 150 characters or fewer"},
    )
    due_on = GovDateField(
        name="Due date",
        required=False,
        label="Due by (optional)",
        help_text="For example, 31 3 2027. Leave blank if open-ended.",
    )

    def __init__(self, *args, round: Round, principle: RoundPrinciple, **kwargs):
        super().__init__(*args, **kwargs)
        title = principle.title[:1].lower() + principle.title[1:]
        self.fields["learned"].label = f"What did the partnership learn about {title}? (optional)"
        ratings = [
            Choice(value, f"{value} {label}") for value, label in sorted(round.scale_labels.items())
        ]
        ratings[-1].divider = "or"
        self.fields["agreed_score"].choices = [*ratings, Choice("", "No rating agreed")]
        self.helper = gov_helper(
            Field.textarea("learned", rows=4, max_characters=2000),
            Field.radios("agreed_score", legend_size=Size.SMALL),
            Fieldset(
                Field.textarea("description", rows=3, max_characters=1000),
                Field.text("owner", field_width=Fluid.TWO_THIRDS),
                Field("due_on"),
                legend="An action to commit to",
                legend_size=Size.MEDIUM,
            ),
            submit="Save",
            form_tag=False,
        )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("learned", "description", "owner"):
            if data.get(name):
                data[name] = strip_bidi_controls(data[name]).strip()
        # Only when the description itself is fine (blank): a too-long one has its own message.
        if data.get("description") == "" and (data.get("owner") or data.get("due_on")):
            self.add_error(
                "description",
                "Enter what will be done, or clear who leads it and the due date",
            )
        return data

    def clean_due_on(self) -> datetime.date | None:
        return due_on_checked(self.cleaned_data["due_on"])

    def action(self) -> dict | None:
        """The new action's fields, or None when the meeting agreed none here."""
        if not self.cleaned_data["description"]:  # CharField has stripped it already
            return None
        return {key: self.cleaned_data[key] for key in ("description", "owner", "due_on")}
