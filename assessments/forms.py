"""Coordinator forms, laid out with crispy-forms-gds and worded as the GOV.UK Design System asks."""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from .csv_import import MAX_BYTES, CsvFileError, MemberImport, members_from_csv
from .models import MIN_GROUP_SIZE_FLOOR, Member, Partnership, Round

MIN_GROUP_SIZE_MAX = 50


class GovFormMixin:
    """Error summary links that land on the input the GOV.UK pattern says to focus."""

    def error_links(self) -> list[tuple[str, str]]:
        links: list[tuple[str, str]] = []
        for name, errors in self.errors.items():
            target = self._error_target(name)
            links.extend((target, str(error)) for error in errors if (target, error) not in links)
        return links

    def _error_target(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return self.visible_fields()[0].auto_id
        bound = self[name]
        widget = bound.field.widget
        if isinstance(widget, forms.RadioSelect):  # radios and checkboxes (a subclass)
            # crispy-forms-gds numbers the options from 1.
            return f"id_{bound.html_name}_1"
        if isinstance(widget, forms.MultiWidget):
            flagged = [bool(getattr(f.widget, "errors", None)) for f in bound.field.fields]
            return f"{bound.auto_id}_{flagged.index(True) if True in flagged else 0}"
        return bound.auto_id


class GovDateField(DateInputField):
    """A day, month and year date input with the Design System's error messages.

    crispy-forms-gds reports one message per empty box ("Enter the month"); GOV.UK asks for one
    message naming what is missing ("Opening date must include a month and year"), and marks
    only the boxes at fault, which this does through each box's `widget.errors`.
    """

    PARTS = ("day", "month", "year")

    def __init__(self, *, name: str, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.name = name
        self.error_messages["required"] = f"Enter the {name.lower()}"

    def clean(self, value):
        boxes = [f.widget for f in self.fields]
        for box in boxes:
            box.errors = []
        parts = [str(v).strip() if v is not None else "" for v in (value or [])]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [part for part, text in zip(self.PARTS, parts, strict=True) if not text]
        if missing:
            message = f"{self.name} must include a {' and '.join(missing)}"
            self._flag(boxes, [self.PARTS.index(part) for part in missing], message)
            raise ValidationError(message, code="incomplete")
        try:
            day, month, year = (int(text) for text in parts)
            if len(parts[2]) != 4:
                raise ValueError("year")
            return datetime.date(year, month, day)
        except (ValueError, OverflowError):  # a day or month too big for C: 2147483648
            message = f"{self.name} must be a real date"
            self._flag(boxes, [0, 1, 2], message)
            raise ValidationError(message, code="invalid") from None

    @staticmethod
    def _flag(boxes, indexes: list[int], message: str) -> None:
        for index in indexes:
            boxes[index].errors.append(message)


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    # The server checks everything and says so in GOV.UK words; the browser's own checks
    # (of type="email", say) would stop the form with a message in another style.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


# Members


class MemberForm(GovFormMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "organisation", "sector", "role"]
        labels = {
            "name": "Full name",
            "email": "E-mail address",
            "organisation": "Organisation (optional)",
            "sector": "Sector",
            "role": "Role on the partnership",
        }
        widgets = {
            "sector": forms.RadioSelect,
            "role": forms.RadioSelect,
            # A TextInput told to be type="email": crispy-forms-gds only marks text inputs red.
            "email": forms.TextInput(attrs={"input_type": "email"}),
        }
        error_messages = {
            "name": {
                "required": "Enter the member’s full name",
                "max_length": "Name must be 150 characters or fewer",
            },
            "organisation": {"max_length": "Organisation must be 150 characters or fewer"},
            "email": {
                "required": "Enter the member’s e-mail address",
                "max_length": "E-mail address must be 254 characters or fewer",
                "invalid": "Enter an e-mail address in the correct format, like name@example.org",
            },
            "sector": {"required": "Select the member’s sector"},
            "role": {"required": "Select the member’s role on the partnership"},
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        for name in ("sector", "role"):  # radios need no blank choice
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        self.fields["email"].help_text = "Their invitation goes to this address."
        self.helper = _helper(
            Field.text("name"),
            Field.text("email", spellcheck="false", autocomplete="off"),
            Field.text("organisation"),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.radios("role", legend_size=Size.SMALL),
            submit="Save member",
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # Mirrors assessments_member_unique_email, ignoring case: A@x.org and a@x.org are one
        # person, and the database constraint alone would only give a server error.
        clash = (
            self.partnership.members.active()
            .filter(email__iexact=email)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if clash:
            raise ValidationError(
                f"{clash.name} already has the e-mail address {email} in this partnership: "
                "each member needs their own address",
                code="duplicate",
            )
        if self.instance.pk and email.lower() != self.initial.get("email", "").lower():
            answering = self.instance.answering_rounds().first()
            if answering:
                raise ValidationError(
                    f"{self.instance.name} has started answering {answering.title} with the link "
                    "sent to their current address. Sending it to another address would let "
                    "whoever reads that address see their answers, so the address can be "
                    "changed once the round has closed",
                    code="answering",
                )
        return email


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, round: Round) -> str:
        return f"{round.title} ({round.get_status_display().lower()})"


class MemberImportForm(GovFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Up to 2,000 members and 1 MB. The first row must be the column names.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file must be a CSV",
        },
    )
    round = RoundChoiceField(
        queryset=Round.objects.none(),
        required=False,
        label="Add them to the invitation list of (optional)",
        empty_label="No round",
        error_messages={"invalid_choice": "Select a round that is still in draft or open"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.result: MemberImport | None = None
        self.fields["round"].queryset = partnership.rounds.exclude(status=Round.Status.CLOSED)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = _helper(Field("file"), Field.select("round"), submit="Import members")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(
                "The selected file must be a CSV: in your spreadsheet, choose Save as and pick CSV",
                code="not_csv",
            )
        if upload.size > MAX_BYTES:
            raise ValidationError("The selected file must be smaller than 1 MB", code="size")
        try:
            self.result = members_from_csv(upload, self.partnership)
        except CsvFileError as error:
            raise ValidationError(str(error), code="file") from None
        if self.result.problems:
            rows = len({problem.line for problem in self.result.problems})
            raise ValidationError(
                f"The file has problems in {rows} row{'s' if rows != 1 else ''}. Nothing has "
                "been imported: correct the rows listed below and upload the file again",
                code="rows",
            )
        return upload


# Rounds


class RoundForm(GovFormMixin, forms.ModelForm):
    opens_on = GovDateField(
        name="Opening date",
        label="Opening date",
        help_text="The first day members can answer. For example, 1 10 2026",
    )
    closes_on = GovDateField(
        name="Closing date",
        label="Closing date",
        help_text="Members can answer until the end of this day. For example, 31 10 2026",
    )
    min_group_size = forms.IntegerField(
        label="Minimum group size for reporting",
        help_text=(
            "A group with fewer respondents than this is not shown on its own in the report, "
            f"so nobody can be singled out. At least {MIN_GROUP_SIZE_FLOOR}."
        ),
        # GOV.UK asks for a text input with a numeric keypad rather than type="number".
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        min_value=MIN_GROUP_SIZE_FLOOR,
        max_value=MIN_GROUP_SIZE_MAX,
        initial=5,
        error_messages={
            "required": "Enter the minimum group size",
            "invalid": "Minimum group size must be a whole number, like 5",
            "min_value": f"Minimum group size must be {MIN_GROUP_SIZE_FLOOR} or more",
            "max_value": f"Minimum group size must be {MIN_GROUP_SIZE_MAX} or fewer",
        },
    )

    class Meta:
        model = Round
        fields = ["title", "opens_on", "closes_on", "min_group_size", "invite_all_members"]
        labels = {
            "title": "Title",
            "invite_all_members": "Invite every current member of the partnership",
        }
        help_texts = {
            "title": "For example, Autumn 2026",
            "invite_all_members": "Untick this to choose who to invite.",
        }
        error_messages = {"title": {"required": "Enter a title for the round"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field("opens_on"),
            Field("closes_on"),
            Field.text("min_group_size", field_width=Fixed.TWO),
            Field.checkbox("invite_all_members"),
            submit="Save round",
        )

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        # Mirrors assessments_round_closes_after_opening with a message a person can act on.
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on", "Closing date must be the same as or after the opening date"
            )
        elif closes_on and closes_on < timezone.localdate():
            # A round that has closed before it opens could never take an answer.
            self.add_error("closes_on", "Closing date must be today or in the future")
        return cleaned


class MemberChoiceField(forms.ModelMultipleChoiceField):
    # Member ids are 64-bit. Django checks each posted id's type but not its size, and its
    # `pk__in` lookup passes a larger one on to SQLite, which raises OverflowError (a 500).
    PK_RANGE = range(1, 2**63)

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                in_range = int(pk) in self.PK_RANGE
            except (TypeError, ValueError):
                continue  # not a number at all: Django's own check says so
            if not in_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)

    def label_from_instance(self, member: Member) -> str:
        details = ", ".join(filter(None, [member.organisation, member.get_sector_display()]))
        return f"{member.name} ({details})"


class RoundInviteesForm(GovFormMixin, forms.Form):
    members = MemberChoiceField(
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who do you want to invite?",
        help_text="Select all that apply.",
        error_messages={
            "required": "Select at least one member to invite",
            "invalid_choice": "Select members of this partnership who are not yet invited",
            "invalid_pk_value": "Select members of this partnership who are not yet invited",
        },
    )

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Member.objects.active()
            .filter(partnership_id=round.partnership_id)
            .exclude(invitations__round=round)
        )
        self.helper = _helper(
            Field.checkboxes("members", legend_size=Size.MEDIUM, small=True),
            submit="Add to the invitation list",
        )
