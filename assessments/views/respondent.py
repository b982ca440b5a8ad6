"""The respondent journey, reached through a personal link without an account.

Start page (confirm your sector) -> one page per principle of the round -> check your answers
-> submit -> confirmation. The pages show the round's frozen wording (RoundPrinciple and
Question), never the live principles app, so what people read is what the report shows.
"""

import functools
import re
import threading
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import connection
from django.db.models import Count, FilteredRelation, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from lib.context_processors import service

from .. import services
from ..access import Link, respondent_page
from ..forms.respondent import PrincipleForm, SectorForm, score_label
from ..models import Answer, Question, Response, Round, RoundPrinciple, minutes_to_answer

# Start


@respondent_page("GET", "POST")
def start(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.invitation.response_or_none
    sector = response.sector if response else link.invitation.member.sector
    data = request.POST if request.method == "POST" else None
    form = SectorForm(data, initial={"sector": sector}, chosen=response is not None)
    if form.is_valid():
        response = services.response_start(
            invitation=link.invitation, sector=form.cleaned_data["sector"]
        )
        return redirect(_resume_url(link, _progress(link.round, response)))
    progress = _progress(link.round, response)
    statements = sum(principle.asked for principle in progress)
    context = {
        "link": link,
        "round": link.round,
        "response": response,
        "form": form,
        "pages": len(progress),
        "pages_answered": sum(principle.complete for principle in progress),
        "statements": statements,
        "minutes": minutes_to_answer(statements),
    }
    return render(request, "respond/start.html", context)


def _progress(round: Round, response: Response | None) -> list[RoundPrinciple]:
    """The round's principles with `asked`, `answered` (by this response) and `complete`."""
    principles = list(round.principles.annotate(asked=Count("questions")).order_by("number"))
    answered = {}
    if response is not None:
        answered = dict(
            Answer.objects.filter(response=response)
            .order_by()
            .values_list("question__principle_id")
            .annotate(count=Count("pk"))
        )
    for principle in principles:
        principle.answered = answered.get(principle.pk, 0)
        principle.complete = principle.answered >= principle.asked
    return principles


def _resume_url(link: Link, progress: list[RoundPrinciple]) -> str:
    """Where the person left off: the first page with a statement unanswered, else the check."""
    for principle in progress:
        if not principle.complete:
            return link.url("principle", number=principle.number)
    return link.url("check")


# One page per principle


@respondent_page("GET", "POST")
def principle(request: HttpRequest, link: Link, number: int) -> HttpResponse:
    response = link.invitation.response_or_none
    if response is None:
        return redirect(link.url("start"))  # the sector is confirmed there first
    page = _page(link.round, response, number)
    if page is None:
        raise Http404("No such principle in this round.")
    returning = request.GET.get("return") == "check"  # only this word: never an open redirect
    labels = link.round.scale_labels
    if request.method == "POST":
        form = PrincipleForm(request.POST, questions=page.questions, labels=labels)
        if form.is_valid():
            services.response_save_principle(
                response=response,
                principle=page.principle,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            if response.is_submitted:
                # A submitted response's change counts at once: say so, as nothing else does.
                messages.success(request, "Your changes have been saved")
            return redirect(_after(link, page, returning))
    else:
        initial = PrincipleForm.initial_from(page.saved_scores, page.saved_comment)
        form = PrincipleForm(questions=page.questions, labels=labels, initial=initial)
    return _render_page(request, _page_context(link, page, form, returning))


@dataclass
class Page:
    """One principle's page: its statements, what this response saved there, and where the
    page sits among the round's principles."""

    principle: RoundPrinciple
    numbers: list[int]  # the numbers of all the round's principles, in order
    questions: list[Question] = field(default_factory=list)
    saved_scores: dict[int, int | None] = field(default_factory=dict)  # None: Don't know
    saved_comment: str = ""

    @property
    def position(self) -> int:
        return self.numbers.index(self.principle.number) + 1

    @property
    def previous(self) -> int | None:
        return self.numbers[self.position - 2] if self.position > 1 else None

    @property
    def following(self) -> int | None:
        return self.numbers[self.position] if self.position < len(self.numbers) else None


@dataclass(frozen=True)
class Questionnaire:
    """A round's principles and statements as its pages show them: plain values, no one's
    answers. Frozen when the round opened, so a process reads them once per round."""

    numbers: tuple[int, ...]  # the round's principle numbers, in order
    # number: (pk, title, summary, statements as (question pk, text, hint), in order)
    principles: dict[int, tuple[int, str, str, tuple[tuple[int, str, str], ...]]]


# By round, and by when it was made and opened: a database that hands a used id to another
# round (a test's, after a rollback) gives it other times, so another key. Bounded: the
# longest kept goes first.
_questionnaires: dict[tuple, Questionnaire] = {}
_questionnaires_lock = threading.Lock()
QUESTIONNAIRES_KEPT = 64  # rounds open at once in one process: each is some 10 KB


def _page(round: Round, response: Response, number: int) -> Page | None:
    """Everything a principle's page needs, in one query (the page is the hot path).

    The round's wording is read once per process (_read_round, which brings this response's
    answers along); after that, one small query reads only this response's answers and comment
    on the page (_saved).
    """
    key = (round.pk, round.created_at, round.opened_at)
    questionnaire = _questionnaires.get(key)
    saved = None
    if questionnaire is None:
        questionnaire, saved = _read_round(round, response, number)
        with _questionnaires_lock:
            if len(_questionnaires) >= QUESTIONNAIRES_KEPT:
                del _questionnaires[next(iter(_questionnaires))]
            _questionnaires[key] = questionnaire
    if number not in questionnaire.principles:
        return None
    pk, title, summary, statements = questionnaire.principles[number]
    frozen = RoundPrinciple(pk=pk, round=round, number=number, title=title, summary=summary)
    page = Page(frozen, list(questionnaire.numbers))
    page.questions = [
        Question(pk=question, round=round, principle=frozen, text=text, hint=hint)
        for question, text, hint in statements
    ]
    page.saved_scores, page.saved_comment = saved or _saved(response, pk)
    return page


def _read_round(
    round: Round, response: Response, number: int
) -> tuple[Questionnaire, tuple[dict[int, int | None], str]]:
    """The round's questionnaire, and this response's answers and comment on page `number`.

    The round's principles in order, with their questions; LEFT JOINs restricted to this
    response bring its saved answer to each question and its comment on each principle (at
    most one of each: both are unique per response). About 30 rows, whatever the round's size.
    """
    rows = (
        round.principles.alias(
            saved=FilteredRelation(
                "questions__answers", condition=Q(questions__answers__response=response)
            ),
            note=FilteredRelation("comments", condition=Q(comments__response=response)),
        )
        .order_by("number", "questions__order")
        .values_list(
            *("number", "pk", "title", "summary", "note__text"),
            *("questions__pk", "questions__text", "questions__hint", "saved__pk", "saved__score"),
        )
    )
    principles: dict[int, tuple] = {}
    scores: dict[int, int | None] = {}
    comment = ""
    for row_number, pk, title, summary, note, question, text, hint, answer, score in rows:
        statements = principles.setdefault(row_number, (pk, title, summary, []))[3]
        if question is not None:  # None: the LEFT JOIN's row for a principle without any
            statements.append((question, text, hint))
        if row_number == number:
            comment = note or ""
            if answer is not None:
                scores[question] = score
    questionnaire = Questionnaire(
        numbers=tuple(principles),
        principles={n: (*row[:3], tuple(row[3])) for n, row in principles.items()},
    )
    return questionnaire, (scores, comment)


# Written out: the ORM takes some forty times longer to build this query than SQLite to run it.
SAVED_SQL = (
    "SELECT a.question_id, a.score, NULL FROM assessments_answer a"
    " INNER JOIN assessments_question q ON q.id = a.question_id"
    " WHERE a.response_id = %s AND q.principle_id = %s"
    " UNION ALL SELECT NULL, NULL, c.text FROM assessments_comment c"
    " WHERE c.response_id = %s AND c.principle_id = %s"
)


def _saved(response: Response, principle_pk: int) -> tuple[dict[int, int | None], str]:
    """This response's answers on one page (question id to score, None for Don't know) and
    its comment there (a row without a question)."""
    with connection.cursor() as cursor:
        cursor.execute(SAVED_SQL, [response.pk, principle_pk, response.pk, principle_pk])
        rows = cursor.fetchall()
    scores = {question: score for question, score, _ in rows if question is not None}
    comments = [text for question, _, text in rows if question is None]
    return scores, comments[0] if comments else ""


def _after(link: Link, page: Page, returning: bool) -> str:
    if returning or page.following is None:
        return link.url("check")
    return link.url("principle", number=page.following)


def _page_context(link: Link, page: Page, form: PrincipleForm, returning: bool) -> dict:
    page_url = link.url("principle", number=page.principle.number)
    if returning:
        back_url = link.url("check")
    elif page.previous is None:
        back_url = link.url("start")
    else:
        back_url = link.url("principle", number=page.previous)
    return {
        "link": link,
        "round": link.round,
        "principle": page.principle,
        "position": page.position,
        "total": len(page.numbers),
        "form": form,
        "statements_html": form.statements_html(),
        "action": f"{page_url}?return=check" if returning else page_url,
        "back_url": back_url,
    }


# A principle's page as opened (not sent back with errors, and with no message to show) is the
# same for everyone but for a few slots: rendered once per wording, it is filled in per person.
PAGE_TEMPLATE = "respond/principle.html"
SLOT = "\ue000{}\ue000"  # a private-use character: no text of the page has it (checked)


def _render_page(request: HttpRequest, context: dict) -> HttpResponse:
    form = context["form"]
    partnership = context["round"].partnership
    principle = context["principle"]
    wording = (
        *(principle.title, principle.summary, context["position"], context["total"]),
        *(partnership.name, partnership.contact_name, partnership.contact_email),
    )
    # Rendered in full: a form sent back, or a message to show. (No respondent page shows
    # the account's links: respond/includes/_layout.html empties the navigation block.)
    if form.is_bound or len(messages.get_messages(request)) or "\ue000" in str(wording):
        return render(request, PAGE_TEMPLATE, context)
    comment = form["comment"].value()
    slots = {
        "back_url": conditional_escape(context["back_url"]),
        "action": conditional_escape(context["action"]),
        "csrf_token": get_token(request),
        "statements": context["statements_html"],
        "comment": conditional_escape(comment) if comment else "",
    }
    pieces = _page_pieces(wording)
    # Even pieces are the page's own text, odd ones the names of its slots.
    return HttpResponse("".join(slots[p] if n % 2 else p for n, p in enumerate(pieces)))


@functools.lru_cache(maxsize=256)  # a few open rounds of seven pages: a few MB at most
def _page_pieces(wording: tuple) -> tuple[str, ...]:
    """The page for this wording with slots in place of what is anyone's own: links (they
    hold the token), the CSRF token, the checked radios and the comment.

    Rendered from these values alone, without the request: what is not in them cannot get in.
    """
    title, summary, position, total, name, contact_name, contact_email = wording
    blank = PrincipleForm(questions=[], labels={}, initial={"comment": SLOT.format("comment")})
    context = {
        "principle": {"title": title, "summary": summary},
        "position": position,
        "total": total,
        "round": {
            "partnership": {
                "name": name,
                "contact_name": contact_name,
                "contact_email": contact_email,
            }
        },
        "form": {"errors": {}, "error_links": [], "comment": blank["comment"]},
        "statements_html": mark_safe(SLOT.format("statements")),  # noqa: S308 (our own)
        **{name: SLOT.format(name) for name in ("back_url", "action", "csrf_token")},
        "messages": [],
        **service(None),
    }
    html = render_to_string(PAGE_TEMPLATE, context)
    return tuple(re.split("\ue000(\\w+)\ue000", html))


# Check your answers, submit, done


@dataclass
class Section:
    """One principle on the check answers page: its statements with the answers given."""

    principle: RoundPrinciple
    rows: list[tuple[str, str | None]] = field(default_factory=list)  # None: not answered
    comment: str = ""

    @property
    def complete(self) -> bool:
        return all(answer is not None for _, answer in self.rows)

    @property
    def started(self) -> bool:
        return any(answer is not None for _, answer in self.rows)


@respondent_page("GET", "POST")
def check(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.invitation.response_or_none
    if response is None:
        return redirect(link.url("start"))
    missing = []
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except services.IncompleteResponse as incomplete:
            missing = incomplete.principles
        else:
            return redirect(link.url("done"))
    errors = [(_change_url(link, p), f"Answer every statement about {p.title}") for p in missing]
    context = {
        "link": link,
        "round": link.round,
        "response": response,
        "sections": _sections(link.round, response),
        "errors": errors,
    }
    return render(request, "respond/check.html", context)


def _change_url(link: Link, principle: RoundPrinciple) -> str:
    return link.url("principle", number=principle.number) + "?return=check"


def _sections(round: Round, response: Response) -> list[Section]:
    labels = round.scale_labels
    answers = dict(
        Answer.objects.filter(response=response).order_by().values_list("question_id", "score")
    )
    comments = dict(response.comments.order_by().values_list("principle_id", "text"))
    sections = []
    for principle in round.principles.order_by("number").prefetch_related("questions"):
        section = Section(principle, comment=comments.get(principle.pk, ""))
        for question in principle.questions.all():
            answered = question.pk in answers
            label = score_label(answers[question.pk], labels) if answered else None
            section.rows.append((question.text, label))
        sections.append(section)
    return sections


@respondent_page("GET")
def done(request: HttpRequest, link: Link) -> HttpResponse:
    response = link.invitation.response_or_none
    if response is None or not response.is_submitted:
        return redirect(link.url("check"))
    return render(request, "respond/done.html", {"link": link, "round": link.round})
