"""The respondent journey, reached through a personal link without an account.

Start page (confirm your sector) -> one page per principle of the round -> check your answers
-> submit -> confirmation. The pages show the round's frozen wording (RoundPrinciple and
Question), never the live principles app, so what people read is what the report shows.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Count, FilteredRelation, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

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
    return render(request, "respond/principle.html", _page_context(link, page, form, returning))


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


def _page(round: Round, response: Response, number: int) -> Page | None:
    """Everything a principle's page needs, in one query (the page is the hot path).

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
    numbers, page = [], None
    for row_number, pk, title, summary, comment, question, text, hint, answer, score in rows:
        if not numbers or numbers[-1] != row_number:
            numbers.append(row_number)
        if row_number != number:
            continue
        if page is None:  # `numbers` goes on filling in for the principles after this one
            frozen = RoundPrinciple(pk=pk, round=round, number=number, title=title, summary=summary)
            page = Page(frozen, numbers, saved_comment=comment or "")
        if question is None:  # the LEFT JOIN's row for a principle without statements
            continue
        page.questions.append(
            Question(pk=question, round=round, principle=page.principle, text=text, hint=hint)
        )
        if answer is not None:
            page.saved_scores[question] = score
    return page


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
        "action": f"{page_url}?return=check" if returning else page_url,
        "back_url": back_url,
    }


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
