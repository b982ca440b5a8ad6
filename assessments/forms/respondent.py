"""Forms of the respondent journey (views/respondent.py): the sector question and one page of
statements."""

import functools
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from principles.models import SCORE_MAX, SCORE_MIN

from ..models import Question, Sector
from .gov import GovFormMixin, gov_helper, strip_bidi_controls

DONT_KNOW = "dont_know"
COMMENT_MAX = 2000


class SectorForm(GovFormMixin, forms.Form):
    sector = forms.ChoiceField(
        choices=Sector.choices,
        widget=forms.RadioSelect,
        label="Which sector do you represent on the partnership?",
        help_text=(
            "The report compares the third sector’s view with other partners’ views. "
            "We have selected the sector the coordinator gave us: change it if it is not right."
        ),
        error_messages={
            "required": "Select the sector you represent",
            "invalid_choice": "Select the sector you represent",
        },
    )

    def __init__(self, *args, chosen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if chosen:
            self.fields["sector"].help_text = (
                "The report compares the third sector’s view with other partners’ views. "
                "This is the sector you chose: change it if it is not right."
            )
        self.helper = gov_helper(Field.radios("sector", legend_size=Size.MEDIUM), form_tag=False)


def scale_options(labels: Mapping[int, str]) -> list[tuple[str, str]]:
    """Radio options (value, label): 1 to 5 with the admin's labels, then Don't know (the
    page puts the divider "or" before it)."""
    return [
        *((str(value), score_label(value, labels)) for value in range(SCORE_MIN, SCORE_MAX + 1)),
        (DONT_KNOW, score_label(None, labels)),
    ]


def score_label(score: int | None, labels: Mapping[int, str]) -> str:
    """How an answer reads back to the person: "4 Agree" or "Don't know"."""
    if score is None:
        return "Don’t know"
    return f"{score} {labels.get(score, '')}".strip()


def _missing_answer(question: Question) -> str:
    statement = question.text.strip().rstrip(".")
    return f"Select how much you agree that: {statement}, or select Don’t know"


@dataclass(frozen=True)
class StatementRadios:
    """One statement of a page, as templates/respond/includes/_statement_radios.html writes it.

    Ids and attributes are worked out here rather than in the template, where each variable
    costs several times more: the partial runs its inner loop some thirty times a page.
    """

    name: str  # the field's name, "q12"
    text: str
    hint: str
    errors: list[tuple[str, str]]  # (id, message)
    radios: list[tuple[str, str, str, bool]]  # (id, value, label, checked)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def described_by(self) -> str:
        # As crispy_forms_gds writes it: the hint's id, then a space and each error's id.
        hint = f"{self.id}_hint" if self.hint else ""
        return hint + "".join(f" {error_id}" for error_id, _ in self.errors)


class PrincipleForm(GovFormMixin, forms.Form):
    """One page: a radios question per frozen statement of the principle, and a comment.

    Fields exist only for this page's questions, so a posted id from another page or round is
    ignored, and a value outside the choices ("7", "0", "abc") is an error like a missing one.
    Unlike the site's other forms it has no crispy helper: the page writes its fields out
    itself, from `statements` and the comment field
    (templates/respond/includes/_statement_radios.html says why).
    """

    def __init__(
        self,
        data=None,
        *,
        questions: Iterable[Question],
        labels: Mapping[int, str],
        initial: Mapping[str, str] | None = None,
    ):
        super().__init__(data, initial=initial)
        self.questions = list(questions)
        self.options = scale_options(labels)
        for question in self.questions:
            message = _missing_answer(question)
            self.fields[self.field_name(question)] = forms.ChoiceField(
                choices=self.options,
                widget=forms.RadioSelect,
                label=question.text,
                error_messages={"required": message, "invalid_choice": message},
            )
        self.fields["comment"] = forms.CharField(
            label="Comments (optional)",
            help_text="For example, what works well or what would help. Comments appear in "
            "the report without your name, so do not name yourself or other people.",
            required=False,
            max_length=COMMENT_MAX,
            widget=forms.Textarea,
            error_messages={
                "max_length": f"Comments must be {COMMENT_MAX} characters or fewer",
            },
        )
        # GOV.UK's character count warns as people type; a maxlength would cut pasted text
        # off silently instead.
        self.fields["comment"].widget.attrs.pop("maxlength", None)

    def clean_comment(self) -> str:
        # Shown in the report and PDF beside other people's words, where a direction override
        # would turn them backwards.
        return strip_bidi_controls(self.cleaned_data["comment"]).strip()

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    @property
    def question_fields(self) -> list[str]:
        return [self.field_name(question) for question in self.questions]

    def statements(self) -> list[StatementRadios]:
        """The page's statements with what each shows: wording, hint, errors, chosen option."""
        errors = self.errors if self.is_bound else {}
        statements = []
        for question, name in zip(self.questions, self.question_fields, strict=True):
            chosen = self[name].value()  # as posted, or saved before
            statements.append(
                StatementRadios(
                    name=name,
                    text=question.text,
                    hint=question.hint,
                    errors=[
                        (f"id_{name}_{n}_error", message)
                        for n, message in enumerate(errors.get(name, []), start=1)
                    ],
                    radios=_radios(name, self.options, checked={chosen}),
                )
            )
        return statements

    def statements_html(self) -> SafeString:
        """The page's statements as the partial writes them.

        A page without errors is the partial's output for the same wording with some radios
        checked: that output is rendered once per wording (_statements_pieces) and only the
        checked attributes are put in here. A page with errors is rendered in full, as it is
        rare and each error changes its statement's markup.
        """
        statements = self.statements()
        radios = [checked for statement in statements for *_, checked in statement.radios]
        pieces = None
        if not any(statement.errors for statement in statements):
            wording = tuple((q.pk, q.text, q.hint) for q in self.questions)
            pieces = _statements_pieces(wording, tuple(self.options))
        if pieces is None or len(pieces) != len(radios) + 1:
            return render_to_string(STATEMENTS_TEMPLATE, {"statements": statements})
        html = [pieces[0]]
        for checked, piece in zip(radios, pieces[1:], strict=True):
            html.extend((CHECKED if checked else "", piece))
        return mark_safe("".join(html))  # noqa: S308 (the partial's own escaped output)

    @staticmethod
    def initial_from(scores: Mapping[int, int | None], comment: str) -> dict[str, str]:
        """Saved answers (question id to score, None for Don't know) as the form's initial
        values, so a page reopens as it was left."""
        initial = {
            f"q{question}": DONT_KNOW if score is None else str(score)
            for question, score in scores.items()
        }
        return initial | {"comment": comment}

    def scores(self) -> dict[int, int | None]:
        """Question id to score, None for Don't know; only valid after is_valid()."""
        return {
            question.pk: _score(self.cleaned_data[self.field_name(question)])
            for question in self.questions
        }


def _radios(
    name: str, options: Iterable[tuple[str, str]], checked: Container[str]
) -> list[tuple[str, str, str, bool]]:
    return [
        (f"id_{name}_{n}", value, label, value in checked)
        for n, (value, label) in enumerate(options, start=1)
    ]


STATEMENTS_TEMPLATE = "respond/includes/_statement_radios.html"
CHECKED = ' checked="checked"'


@functools.lru_cache(maxsize=512)  # a few open rounds of seven pages: a few MB at most
def _statements_pieces(
    wording: tuple[tuple[int, str, str], ...], options: tuple[tuple[str, str], ...]
) -> tuple[str, ...]:
    """The partial's output for these statements (question id, text, hint) with every radio
    checked, split at each checked attribute: no one's answers, only the frozen wording.

    Keyed by the wording itself rather than by the round, so it cannot go stale. The attribute
    cannot come from the wording, whose quotes the template escapes.
    """
    statements = [
        StatementRadios(
            name=f"q{pk}",
            text=text,
            hint=hint,
            errors=[],
            radios=_radios(f"q{pk}", options, checked={value for value, _ in options}),
        )
        for pk, text, hint in wording
    ]
    return tuple(render_to_string(STATEMENTS_TEMPLATE, {"statements": statements}).split(CHECKED))


def _score(value: str) -> int | None:
    return None if value == DONT_KNOW else int(value)
