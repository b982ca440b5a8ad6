"""Forms for the report pages: an action of the action plan, and a share link."""

import datetime

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.forms.gov import GovDateField, GovFormMixin, gov_helper
from assessments.models import Round

from .models import Action

SHARE_LINK_MAX_DAYS = 366


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
