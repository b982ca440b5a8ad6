"""Forms of the coordinator pages (views/coordinator.py): members, the import, rounds."""

from collections.abc import Mapping

from crispy_forms_gds.layout import Div, Field, Fixed, Size
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..csv_import import (
    MAX_BYTES,
    CsvFileError,
    ImportPlan,
    MemberImport,
    members_from_csv,
    members_from_rows,
)
from ..models import MIN_GROUP_SIZE_FLOOR, Member, Partnership, Round, Sector
from ..services import round_earliest_opening, round_latest_closing
from .gov import GovDateField, GovFormMixin, gov_helper, strip_bidi_controls

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

    def __init__(
        self,
        *args,
        partnership: Partnership,
        members: Mapping[str, Member] | None = None,
        **kwargs,
    ):
        """`members`: the partnership's current members by address (casefolded), read once by
        a caller that checks many rows (the CSV import); otherwise each check asks the
        database."""
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.members = members
        for name in ("sector", "role"):  # radios need no blank choice
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if self.instance._state.adding:
            # GOV.UK asks for no radio chosen in advance: a person skimming past a chosen one
            # would keep it. The model's default serves the CSV import and admin only.
            self.initial.pop("role", None)
            self.fields["role"].initial = None
        self.fields["email"].help_text = "Their invitation goes to this address."
        if self.instance.pk and self.members is None:  # a hint no import row would show
            # Said before saving, as services.member_save does it on saving: the old link
            # stops working and the old address is told.
            # (Not for a member answering one: their address cannot change; see clean_email.)
            invited = Round.objects.open().filter(invitations__member=self.instance)
            titles = [round.title for round in invited.order_by("opens_on", "pk")]
            if titles and not self.instance.answering_rounds().exists():
                self.fields["email"].help_text = (
                    f"They are invited to {' and '.join(titles)}. If you change the address, "
                    "their link stops working and we tell their old address."
                )
        self.helper = gov_helper(
            Field.text("name"),
            Field.text("email", spellcheck="false", autocomplete="off"),
            Field.text("organisation"),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.radios("role", legend_size=Size.SMALL),
            submit="Save member",
        )

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if self.members is not None:
            # The model's own checks of these two constraints each cost a query a row; the
            # radios' choices and clean_email above already enforce them, with kinder words.
            exclude |= {"email", "sector"}
        return exclude

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # Mirrors assessments_member_unique_email, ignoring case: A@x.org and a@x.org are one
        # person, and the database constraint alone would only give a server error.
        if self.members is not None:
            clash = self.members.get(email.casefold())
            clash = None if clash is None or clash.pk == self.instance.pk else clash
        else:
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

    def clean_name(self) -> str:
        name = strip_bidi_controls(self.cleaned_data["name"]).strip()
        if not name:  # nothing but direction controls
            raise ValidationError(self.fields["name"].error_messages["required"], code="required")
        return name

    def clean_organisation(self) -> str:
        return strip_bidi_controls(self.cleaned_data["organisation"]).strip()


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
    existing = forms.TypedChoiceField(
        label="If a member is already in the partnership",
        help_text=(
            "A row is for a member already in the partnership when it has their e-mail "
            "address. Their address stays as it is."
        ),
        choices=[("update", "Update their details"), ("leave", "Leave them as they are")],
        coerce=lambda choice: choice == "update",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to update members already in the partnership",
            "invalid_choice": "Select whether to update members already in the partnership",
        },
    )
    round = RoundChoiceField(
        queryset=Round.objects.none(),
        required=False,
        label="Add them to the invitation list of (optional)",
        help_text="Everyone in the file who is not on the list yet, including members who are "
        "already in the partnership.",
        empty_label="No round",
        error_messages={"invalid_choice": "Select a round that is still in draft or open"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.result: MemberImport | None = None
        self.fields["round"].queryset = partnership.rounds.exclude(status=Round.Status.CLOSED)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = gov_helper(
            Field("file"),
            Field.radios("existing", legend_size=Size.SMALL),
            Field.select("round"),
            submit="Import members",
        )

    def plan(self) -> ImportPlan:
        return self.result.plan(update_existing=self.cleaned_data["existing"])

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


class MemberImportConfirmForm(forms.Form):
    """The preview's "Confirm import" button. The file's rows travel in a hidden field, signed,
    so that only what the coordinator checked can be imported; on confirming they are checked
    again against the members as they are then, and `stale` says if the preview is out of date.
    """

    SALT = "assessments.member-import"
    MAX_AGE = 24 * 60 * 60  # seconds: a preview left open overnight is still good

    checked = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.result: MemberImport | None = None
        self.round: Round | None = None
        self.stale = False

    @classmethod
    def signed(cls, partnership: Partnership, plan: ImportPlan, rows, round: Round | None) -> str:
        payload = {
            "rows": rows,
            "update": plan.update_existing,
            "round": round.pk if round else None,
            "digest": plan.digest(),
        }
        return signing.dumps(payload, salt=f"{cls.SALT}:{partnership.pk}", compress=True)

    def clean_checked(self) -> str:
        try:
            payload = signing.loads(
                self.cleaned_data["checked"],
                salt=f"{self.SALT}:{self.partnership.pk}",
                max_age=self.MAX_AGE,
            )
        except signing.BadSignature:  # SignatureExpired is one
            raise ValidationError(
                "This check of the file has expired: upload the file again", code="expired"
            ) from None
        if payload["round"] is not None:
            self.round = (
                self.partnership.rounds.exclude(status=Round.Status.CLOSED)
                .filter(pk=payload["round"])
                .first()
            )
            if self.round is None:
                raise ValidationError(
                    "The round you chose has closed since you checked the file: upload the file "
                    "again and choose another round, or no round",
                    code="round_closed",
                )
        self.result = members_from_rows(payload["rows"], self.partnership, form_class=MemberForm)
        if self.result.problems:  # the rules cannot change in a day, but a member's name can
            raise ValidationError(
                "Some rows cannot be imported any more: upload the file again to see why",
                code="rows",
            )
        self.update_existing = payload["update"]
        self.stale = self.plan().digest() != payload["digest"]
        return self.cleaned_data["checked"]

    def plan(self) -> ImportPlan:
        return self.result.plan(update_existing=self.update_existing)


class RoundMembersFilterForm(GovFormMixin, forms.Form):
    """Which of a round's invited members to list, and in what order, from the page's query
    string. A value the form does not offer is ignored (see `from_query`), never an error.

    ANONYMITY: the sector here is the one recorded on the member by the coordinator
    (Member.sector), never the sector the respondent chose when answering (Response.sector).
    The page already shows each member's recorded sector and response status, so filtering by
    both only counts what is on the page; filtering by the chosen sector would tell the
    coordinator which sector a named person said they answered for, which nothing shows.
    """

    STATUSES = [
        ("not_started", "Not started"),
        ("in_progress", "In progress"),
        ("submitted", "Submitted"),
    ]

    status = forms.ChoiceField(label="Response", required=False, choices=[("", "All"), *STATUSES])
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("name", "Name"), ("status", "Response, not started first")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        column = "govuk-grid-column-one-third"
        self.helper = gov_helper(
            Div(
                Div(Field.select("status"), css_class=column),
                Div(Field.select("sector"), css_class=column),
                Div(Field.select("sort"), css_class=column),
                css_class="govuk-grid-row",
            ),
            form_tag=False,
        )

    @classmethod
    def from_query(cls, query) -> "RoundMembersFilterForm":
        """The form bound to the valid values of the query string only, so always valid."""
        form = cls({name: query.get(name, "") for name in cls.base_fields})
        form.is_valid()
        valid = cls({name: value for name, value in form.cleaned_data.items() if value})
        valid.is_valid()  # it is: every value was just checked
        return valid


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
        earliest = round_earliest_opening()
        if opens_on and opens_on < earliest:  # 1999 for 2029, say
            self.add_error("opens_on", f"Opening date must be {earliest:%-d %B %Y} or later")
            opens_on = None  # nothing to compare the closing date with
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on", "Closing date must be the same as or after the opening date"
            )
        elif opens_on and closes_on and closes_on > round_latest_closing(opens_on):
            self.add_error("closes_on", "Closing date must be within a year of the opening date")
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


# Partnerships


class PartnershipContactForm(GovFormMixin, forms.ModelForm):
    """Who members contact with a question: named on every e-mail and respondent page, and the
    Reply-To of invitations."""

    class Meta:
        model = Partnership
        fields = ["contact_name", "contact_email"]
        labels = {"contact_name": "Full name", "contact_email": "E-mail address"}
        help_texts = {
            "contact_name": "The person members can ask about the assessment",
            "contact_email": (
                "Members’ replies to their invitation go to this address. It can be a shared "
                "mailbox, like partnership@example.org"
            ),
        }
        widgets = {"contact_email": forms.TextInput(attrs={"input_type": "email"})}
        error_messages = {
            "contact_name": {
                "required": "Enter the name of the person members can contact",
                "max_length": "Name must be 150 characters or fewer",
            },
            "contact_email": {
                "required": "Enter the e-mail address members can write to",
                "max_length": "E-mail address must be 254 characters or fewer",
                "invalid": "Enter an e-mail address in the correct format, like name@example.org",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # blank in the database only until first set
            field.required = True
        self.helper = gov_helper(
            Field.text("contact_name", autocomplete="name"),
            Field.text("contact_email", spellcheck="false", autocomplete="email"),
            submit="Save contact details",
        )

    def clean_contact_name(self) -> str:
        return " ".join(self.cleaned_data["contact_name"].split())

    def clean_contact_email(self) -> str:
        return self.cleaned_data["contact_email"].strip()


# Rounds: a new closing date, a copy


class RoundClosingDateForm(GovFormMixin, forms.Form):
    closes_on = GovDateField(
        name="Closing date",
        label="New closing date",
        help_text="Members can answer until the end of this day. For example, 30 11 2026",
    )

    def __init__(self, *args, round: Round, **kwargs):
        kwargs.setdefault("initial", {"closes_on": round.closes_on})
        super().__init__(*args, **kwargs)
        self.round = round
        self.helper = gov_helper(Field("closes_on"), submit="Change the closing date")

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < self.round.opens_on:
            opens = f"{self.round.opens_on:%-d %B %Y}"
            raise ValidationError(
                f"Closing date must be the same as or after the opening date, {opens}",
                code="before_opening",
            )
        if closes_on < timezone.localdate():
            raise ValidationError("Closing date must be today or in the future", code="past")
        if closes_on > round_latest_closing(self.round.opens_on):
            raise ValidationError(
                "Closing date must be within a year of the opening date", code="too_late"
            )
        return closes_on


class RoundCopyForm(RoundForm):
    """The title and dates of a copy; its group size and who it invites come from the original."""

    min_group_size = None  # copied

    class Meta(RoundForm.Meta):
        fields = ["title", "opens_on", "closes_on"]
        error_messages = {
            "title": {
                "required": "Enter a title for the round",
                "max_length": "Title must be 150 characters or fewer",
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gov_helper(
            Field.text("title"), Field("opens_on"), Field("closes_on"), submit="Copy round"
        )
