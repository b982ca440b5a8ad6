"""What every form shares, laid out with crispy-forms-gds and worded as the GOV.UK Design
System asks: one crispy helper, one date field, one way to link the error summary to the fields.

Every form page shows its errors with templates/includes/_error_summary.html, given
`links=form.error_links`.
"""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name


def gov_helper(*fields, submit: str | None = None, form_tag: bool = True) -> FormHelper:
    """The fields, then a submit button if `submit` names it.

    With form_tag=False the page's template writes the <form>, its CSRF token and any other
    buttons (the respondent's start button has an icon), so crispy renders only the fields.
    """
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.disable_csrf = not form_tag
    # The server checks everything and says so in GOV.UK words; the browser's own checks
    # (of type="email", say) would stop the form with a message in another style.
    helper.attrs = {"novalidate": ""}
    helper.layout = Layout(*fields, *([Submit("submit", submit)] if submit else []))
    return helper


class GovFormMixin:
    """Browser validation off, and error summary links that land on the input the GOV.UK
    pattern says to focus, in the order of the fields."""

    use_required_attribute = False  # a browser's pop-up would come before the error summary

    def full_clean(self) -> None:
        # Here rather than in __init__, so that labels and messages a form sets in its own
        # __init__ (after this mixin's) are the ones read.
        for name, field in self.fields.items():
            gov_error_messages(field, name)
        super().full_clean()

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) for each error: "#id" of the field, or of its first radio or box."""
        links: list[tuple[str, str]] = []
        names = [NON_FIELD_ERRORS, *self.fields]
        for name in sorted(self.errors, key=lambda n: names.index(n) if n in names else 0):
            href = f"#{self._error_target(name)}"
            links.extend((href, str(e)) for e in self.errors[name] if (href, str(e)) not in links)
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


def gov_error_messages(field: forms.Field, name: str) -> None:
    """GOV.UK wording in place of Django's for the messages a form did not word itself: too
    long ("Title must be 150 characters or fewer", not "Ensure this value has at most…") and a
    choice not offered, which only a tampered post can send ("Select a valid choice").

    A label that is a question reads badly as the subject ("What will be done must be…"): such
    a field's form words its own messages."""
    subject = str(field.label or pretty_name(name)).removesuffix(" (optional)").rstrip("?")
    messages = field.error_messages
    max_length = getattr(field, "max_length", None)
    if max_length and "max_length" not in messages:
        messages["max_length"] = f"{subject} must be {max_length:,} characters or fewer"
    defaults: dict = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    if "invalid_choice" in messages and str(messages["invalid_choice"]) == str(
        defaults.get("invalid_choice")
    ):
        # A choice not offered is, to the person, a choice not made: the same words, where the
        # form has some.
        required = messages.get("required")
        if required and str(required) != str(defaults.get("required")):
            messages["invalid_choice"] = required
        else:
            messages["invalid_choice"] = f"Select {subject[:1].lower()}{subject[1:]}"


# Unicode's direction overrides and isolates, U+202A to U+202E and U+2066 to U+2069.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi_controls(text: str) -> str:
    """The text without direction controls: invisible, they make what follows read backwards
    in the report and the PDF (U+202E then "RTL" shows as "LTR")."""
    return text.translate(BIDI_CONTROLS)


class GovDateField(DateInputField):
    """A day, month and year date input with the Design System's error messages.

    crispy-forms-gds reports one message per empty box ("Enter the month"); GOV.UK asks for one
    message naming what is missing ("Opening date must include a month and year"), and marks
    only the boxes at fault, which this does through each box's `widget.errors`. An optional
    date (required=False) is all three boxes blank for "no date".
    """

    PARTS = ("day", "month", "year")

    def __init__(self, *, name: str, required: bool = True, **kwargs):
        super().__init__(require_all_fields=False, required=required, **kwargs)
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
        if not all(text.isascii() and text.isdigit() for text in parts):
            message = f"{self.name} must be a real date"
            self._flag(boxes, [0, 1, 2], message)
            raise ValidationError(message, code="invalid")
        if len(parts[2]) != 4:  # "27" for 2027: GOV.UK's message says what to put right
            message = "Year must include 4 numbers"
            self._flag(boxes, [2], message)
            raise ValidationError(message, code="invalid")
        try:
            day, month, year = (int(text) for text in parts)
            return datetime.date(year, month, day)
        except (ValueError, OverflowError):  # a day or month too big for C: 2147483648
            message = f"{self.name} must be a real date"
            self._flag(boxes, [0, 1, 2], message)
            raise ValidationError(message, code="invalid") from None

    @staticmethod
    def _flag(boxes, indexes: list[int], message: str) -> None:
        for index in indexes:
            boxes[index].errors.append(message)
