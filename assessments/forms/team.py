"""Forms of the team pages (views/team.py): inviting a colleague, and joining with the link."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from ..models import Partnership, TeamInvitation
from .gov import GovFormMixin, gov_helper, strip_bidi_controls

EMAIL_MAX_LENGTH = TeamInvitation._meta.get_field("email").max_length

ROLE_HINTS = {
    TeamInvitation.Role.COORDINATOR: (
        "Can do everything you can: run rounds, manage members, share reports, agree actions "
        "and change the team."
    ),
    TeamInvitation.Role.READER: (
        "Can read the report of each round and download it, and nothing else: for the "
        "partnership’s chair, say."
    ),
}


class TeamInviteForm(GovFormMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="We will e-mail them a link to join the team. It works once, for 7 days.",
        widget=forms.TextInput(attrs={"input_type": "email"}),
        error_messages={
            "required": "Enter your colleague’s e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
            "max_length": f"E-mail address must be {EMAIL_MAX_LENGTH} characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="What can they do?",
        widget=forms.RadioSelect,
        choices=[
            Choice(value, label, hint=ROLE_HINTS[value])
            for value, label in TeamInvitation.Role.choices
        ],
        error_messages={
            "required": "Select what they can do",
            "invalid_choice": "Select what they can do",
        },
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.helper = gov_helper(
            Field.text("email", spellcheck="false", autocomplete="off"),
            Field.radios("role", legend_size=Size.MEDIUM),
            submit="Send invitation",
        )

    def clean_email(self) -> str:
        # Mirrors services.team_invite's refusal, in words that say what to do instead.
        email = self.cleaned_data["email"].strip().lower()
        if self.partnership.team_has_account(email):
            raise ValidationError(
                f"{email} is already on the team. To change what they can do, remove them "
                "from the team and invite them again",
                code="on_team",
            )
        return email


class TeamJoinForm(GovFormMixin, forms.Form):
    """A new account for the invited address: a name to show the team, and a password that
    Django's validators accept (checked against the name and address too)."""

    name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="Your colleagues see this on the partnership’s team page.",
        error_messages={"required": "Enter your full name"},
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_name(self) -> str:
        return strip_bidi_controls(self.cleaned_data["name"]).strip()

    def clean(self) -> dict:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match: enter the same one twice")
        elif password1:
            user = get_user_model()(
                username=self.email, email=self.email, first_name=data.get("name", "")
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
