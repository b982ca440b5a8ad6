"""The report of a round: for its coordinators (with the action plan and share links) and,
read-only, for the readers on the partnership's team and, through a share link, for the third
sector forum. HTML, PDF and CSV all come from report.py."""

import csv
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import audit
from assessments.audit import Kind
from assessments.models import Round, RoundPrinciple
from networks.benchmark import benchmark_for_round  # the one import from the app built on this

from . import services
from .access import (
    get_action_for_coordinator,
    get_opened_round_for_coordinator,
    get_opened_round_for_reader,
    get_round_for_coordinator,
    get_round_for_reader,
    get_round_for_share_link,
    get_share_link_for_coordinator,
)
from .charts import charts_for
from .findings import findings_for
from .forms import ActionForm, ShareLinkForm, WorkshopForm
from .pdf import pdf_if_ready
from .report import answers_csv_rows, report_build, summary_csv_rows

NEW_LINK_SESSION_KEY = "reports:new-share-link"


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _filename(round: Round, suffix: str) -> str:
    """`northbridge-spring-2026-report.pdf`: the round by its title, or by its number when the
    title has nothing a file name can keep (all punctuation, say)."""
    return f"{round.partnership.slug}-{slugify(round.title) or f'round-{round.pk}'}-{suffix}"


def _pdf_response(
    request: HttpRequest, round: Round, report_url: str, *, with_benchmark=False
) -> HttpResponse:
    """The PDF; or, while the task worker prepares it, a page that says so (202 Accepted) and
    moves to the download when it is ready (static/app/pdf-wait.js asks with HEAD requests),
    with a link for a browser without JavaScript."""
    report = report_build(round)
    benchmark = benchmark_for_round(round, report) if with_benchmark else None
    pdf = pdf_if_ready(round.pk, report, benchmark, with_benchmark=with_benchmark)
    if pdf is None:
        context = {"report": report, "pdf_url": request.get_full_path(), "report_url": report_url}
        response = render(request, "reports/pdf_preparing.html", context, status=202)
        response["Retry-After"] = "2"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    # An open round's PDF is interim, and its name says so: it is not mistaken for the final one.
    name = "interim-report.pdf" if report.is_interim else "report.pdf"
    response["Content-Disposition"] = f'attachment; filename="{_filename(round, name)}"'
    return response


def _csv_lines(round: Round, report):
    # A byte order mark first: without it, Excel reads UTF-8 (curly apostrophes) as Windows-1252.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in answers_csv_rows(round, report):
        yield writer.writerow(row)


def _csv_response(request: HttpRequest, round: Round) -> HttpResponse:
    report = report_build(round)
    if not report.answers_offered:
        # The report links the spreadsheet only when it is offered; this says why it is not.
        context = {"report": report, "round": round}
        return render(request, "reports/answers_not_offered.html", context, status=404)
    lines = _csv_lines(round, report)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(round, "answers.csv")}"'
    return response


def _summary_csv_response(round: Round) -> HttpResponse:
    """The report's summary figures, offered whenever the report is (the gate built them):
    figures once the report shows them, counts only before, as on the page."""
    report = report_build(round)
    writer = csv.writer(_Echo())
    lines = ["\ufeff", *(writer.writerow(row) for row in summary_csv_rows(report))]
    response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    name = "summary-interim.csv" if report.is_interim else "summary.csv"
    response["Content-Disposition"] = f'attachment; filename="{_filename(round, name)}"'
    return response


def _render_report(
    request: HttpRequest, round: Round, template: str, *, with_benchmark: bool = False, **context
) -> HttpResponse:
    """The report page. `with_benchmark`: for the partnership's own team, the benchmark against
    the other partnerships of its network (networks/benchmark.py), if it is in one; the forum's
    share link and the network's staff read the report without it."""
    if round.is_draft:
        return render(request, "reports/not_open.html", {"round": round, **context})
    report = report_build(round)
    context = {**charts_for(report), "findings": findings_for(report), "round": round, **context}
    if with_benchmark:
        context["benchmark"] = benchmark_for_round(round, report)
    return render(request, template, context)


# Coordinators


@login_required
@require_safe
def round_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # A reader of the partnership's reports gets the page without its changes and links to
    # the coordinators' pages: the shared report's content, with the same downloads.
    round = get_round_for_reader(request, slug, pk)
    mode = "coordinator" if round.partnership.can_coordinate else "reader"
    response = _render_report(
        request, round, "reports/round_report.html", mode=mode, with_benchmark=True
    )
    if not round.is_draft:  # a draft's page says only that it has no report yet
        audit.record_read(request, Kind.REPORT_VIEWED, round.partnership, round)
    return response


# Each download by a signed-in person is one entry of the trail; the forum's, through a share
# link, are not: they have no account to name, and the link's creation is recorded.


@login_required
@require_safe
def round_report_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_opened_round_for_reader(request, slug, pk)
    report_url = reverse("reports:round-report", args=[slug, pk])
    response = _pdf_response(request, round, report_url, with_benchmark=True)
    if response.status_code == 200:  # not the page saying it is being prepared
        audit.record_read(request, Kind.PDF_DOWNLOADED, round.partnership, round)
    return response


@login_required
@require_safe
def round_answers_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_opened_round_for_reader(request, slug, pk)
    response = _csv_response(request, round)
    if response.status_code == 200:  # else a page saying why the answers are not offered
        audit.record_read(request, Kind.CSV_DOWNLOADED, round.partnership, round, file="answers")
    return response


@login_required
@require_safe
def round_summary_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_opened_round_for_reader(request, slug, pk)
    response = _summary_csv_response(round)
    audit.record_read(request, Kind.CSV_DOWNLOADED, round.partnership, round, file="summary")
    return response


def _report_url(round: Round, anchor: str = "actions") -> str:
    url = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    return f"{url}#{anchor}"


def _action_form_page(request: HttpRequest, round: Round, action=None) -> HttpResponse:
    """Add an action to the round's plan, or change one in it: a carried action keeps the round
    that agreed it (and that round's principles)."""
    agreed_in = action.round if action else round
    form = ActionForm(request.POST or None, instance=action, round=agreed_in)
    if request.method == "POST" and form.is_valid():
        if action is None:
            fields = ("principle", "description", "owner", "due_on", "status")
            values = {name: form.cleaned_data[name] for name in fields}
            _, added = services.action_create(round=round, **values, actor=request.user)
            message = "Action saved." if added else "That action was already in the plan."
        else:
            with transaction.atomic():
                form.save()
                if form.changed_data:
                    _action_audit(request, Kind.ACTION_CHANGED, round, action, form.changed_data)
            message = "Action saved."
        messages.success(request, message)
        return redirect(_report_url(round))
    context = {
        "round": round,
        "form": form,
        "action": action,
        "history": services.action_history(action) if action else [],
        "back_url": _report_url(round),
    }
    return render(request, "reports/action_form.html", context)


def _action_audit(request: HttpRequest, kind: Kind, round: Round, action, fields=()) -> None:
    # `round` is the one the action was reached through: a carried action's is a later round of
    # the same partnership. An action's words may name people, so the trail says "Action 5".
    details = {"fields": list(fields)} if fields else {}
    audit.record(request.user, kind, round.partnership, action, round=action.round_id, **details)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # A draft has no report, so no action plan to add to.
    round = get_opened_round_for_coordinator(request, slug, pk)
    return _action_form_page(request, round)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: HttpRequest, slug: str, pk: int, action_pk: int) -> HttpResponse:
    round, action = get_action_for_coordinator(request, slug, pk, action_pk)
    return _action_form_page(request, round, action)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_delete(request: HttpRequest, slug: str, pk: int, action_pk: int) -> HttpResponse:
    round, action = get_action_for_coordinator(request, slug, pk, action_pk)
    if request.method == "POST":
        with transaction.atomic():  # recorded first, while it still has its number
            _action_audit(request, Kind.ACTION_DELETED, round, action)
            action.delete()
        messages.success(request, "Action deleted.")
        return redirect(_report_url(round))
    context = {"round": round, "action": action, "back_url": _report_url(round)}
    return render(request, "reports/action_delete.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_links(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = services.share_link_create(
            round=round,
            label=form.cleaned_data["label"],
            expires_at=form.expires_at(),
            created_by=request.user,
        )
        # Shown once, on the page we redirect to; only the hash is kept.
        request.session[NEW_LINK_SESSION_KEY] = token
        return redirect("reports:share-links", slug=slug, pk=pk)
    token = request.session.pop(NEW_LINK_SESSION_KEY, None)
    new_link = settings.SITE_URL + reverse("reports:shared-report", args=[token]) if token else ""
    context = {
        "round": round,
        "form": form,
        "links": round.share_links.select_related("created_by"),
        "new_link": new_link,
        "now": timezone.now(),
    }
    return render(request, "reports/share_links.html", context)


@login_required
@require_POST
def share_link_revoke(request: HttpRequest, slug: str, pk: int, link_pk: int) -> HttpResponse:
    link = services.share_link_revoke(
        link=get_share_link_for_coordinator(request, slug, pk, link_pk), actor=request.user
    )
    messages.success(request, f"Share link “{link}” revoked: it no longer works.")
    return redirect("reports:share-links", slug=slug, pk=pk)


# The forum, through a share link


def _shared(view):
    """Read-only, and kept out of search engines: its address is the only key. Like every
    private page it is kept out of caches too (middleware.PrivatePagesMiddleware)."""

    @functools.wraps(view)
    @require_safe
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        response = view(request, token)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


@_shared
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    round = get_round_for_share_link(token)
    return _render_report(request, round, "reports/shared_report.html", mode="shared", token=token)


@_shared
def shared_report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    report_url = reverse("reports:shared-report", args=[token])
    return _pdf_response(request, get_round_for_share_link(token), report_url)


@_shared
def shared_answers_csv(request: HttpRequest, token: str) -> HttpResponse:
    return _csv_response(request, get_round_for_share_link(token))


@_shared
def shared_summary_csv(request: HttpRequest, token: str) -> HttpResponse:
    return _summary_csv_response(get_round_for_share_link(token))


# The workshop view: the results meeting goes through the report one principle a screen, and
# records there what it learned, the rating it agreed and the actions it commits to


def _workshop_url(round: Round, number: int | None = None) -> str:
    args = [round.partnership.slug, round.pk]
    if number is None:
        return reverse("reports:workshop", args=args)
    return reverse("reports:workshop-principle", args=[*args, number])


@login_required
@require_safe
def workshop(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_opened_round_for_coordinator(request, slug, pk)
    principles = list(round.principles.order_by("number"))
    context = {
        "round": round,
        "report": report_build(round),
        "principles": principles,
        "next": principles[0] if principles else None,
        "back_url": reverse("reports:round-report", args=[slug, round.pk]),
    }
    return render(request, "reports/workshop_start.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def workshop_principle(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    round = get_opened_round_for_coordinator(request, slug, pk)
    principles = list(round.principles.order_by("number"))
    index = next((i for i, p in enumerate(principles) if p.number == number), None)
    if index is None:
        raise Http404("This round has no principle of that number.")
    principle = principles[index]
    report = report_build(round)
    review = report.reviews.get(number)
    initial = {"learned": review.learned, "agreed_score": review.agreed_score} if review else {}
    # "" is the "No rating agreed" radio: checked when no rating has been agreed.
    initial["agreed_score"] = initial.get("agreed_score") or ""
    form = WorkshopForm(request.POST or None, initial=initial, round=round, principle=principle)
    if request.method == "POST" and form.is_valid():
        _workshop_save(request, round, principle, form)
        return redirect(_workshop_url(round, number))
    context = {
        "round": round,
        "report": report,
        "principle": principle,
        "result": next((p for p in report.principles if p.number == number), None),
        "actions": [a for a in report.actions if a.principle_number == number],
        "form": form,
        "position": index + 1,
        "total": len(principles),
        "previous": principles[index - 1] if index else None,
        "next": principles[index + 1] if index + 1 < len(principles) else None,
        "back_url": _report_url(round, f"principle-{number}" if report.results_shown else "about"),
        "plan_url": _report_url(round),
    }
    return render(request, "reports/workshop_principle.html", context)


def _workshop_save(
    request: HttpRequest, round: Round, principle: RoundPrinciple, form: WorkshopForm
) -> None:
    data, action = form.cleaned_data, form.action()
    with transaction.atomic():  # what the meeting agreed and its new action, or neither
        changed = services.review_save(
            round=round,
            principle=principle,
            agreed_score=data["agreed_score"],
            learned=data["learned"],
            updated_by=request.user,
        )
        added = False
        if action:
            added = services.action_create(
                round=round, principle=principle, **action, actor=request.user
            )[1]
    if action and not added:
        saved = "What the meeting agreed is saved. The" if changed else "The"
        messages.info(request, f"{saved} action was already in the plan, so it is not added again.")
    elif action:
        saved = "What the meeting agreed is saved, and the" if changed else "The"
        messages.success(request, f"{saved} action is added to the round’s action plan.")
    elif changed:
        messages.success(request, f"What the meeting agreed about {principle.title} is saved.")
    else:
        messages.info(request, "Nothing has changed, so nothing was saved.")
