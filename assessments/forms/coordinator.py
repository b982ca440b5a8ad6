"""Forms of the coordinator pages (views/coordinator.py): members, the import, rounds."""

from crispy_forms_gds.layout import Field, Fixed, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..csv_import import MAX_BYTES, CsvFileError, MemberImport, members_from_csv
from ..models import MIN_GROUP_SIZE_FLOOR, Member, Partnership, Round
from .gov import GovDateField, GovFormMixin, gov_helper

MIN_GROUP_SIZE_MAX = 50


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
        self.helper = gov_helper(
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
        self.helper = gov_helper(Field("file"), Field.select("round"), submit="Import members")

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
            self.result = members_from_csv(upload, self.partnership, form_class=MemberForm)
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
        self.helper = gov_helper(
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
        self.helper = gov_helper(
            Field.checkboxes("members", legend_size=Size.MEDIUM, small=True),
            submit="Add to the invitation list",
        )
