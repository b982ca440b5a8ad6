"""A partnership's activity: its audit trail, for its coordinators to read, never to change.

Read only, through GET: there is no view that changes or deletes an entry (audit.py says why
the trail holds what it holds).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import audit
from ..access import get_partnership_for_coordinator
from ..forms.activity import ActivityFilterForm

PER_PAGE = 50


@login_required
@require_safe
def partnership_activity(request: HttpRequest, slug: str) -> HttpResponse:
    """Newest first, 50 a page, filtered by kind and UK day. Filters that do not make sense
    (a 31 February) get the error summary and no list, rather than a list that ignores them."""
    partnership = get_partnership_for_coordinator(request, slug)
    form = ActivityFilterForm(request.GET if _filters_sent(request) else None)
    entries = audit.entries_for(partnership)
    if form.is_bound:
        entries = form.filter(entries) if form.is_valid() else entries.none()
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "who": audit.actor_name(entry),
            "what": audit.kind_label(entry),
            "sentence": audit.describe(entry),
        }
        for entry in page
    ]
    context = {
        "partnership": partnership,
        "form": form,
        "page": page,
        "rows": rows,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "filtering": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
    }
    return render(request, "assessments/partnership_activity.html", context)


def _filters_sent(request: HttpRequest) -> bool:
    # "?page=2" alone is not a filter: an unbound form shows no errors.
    return any(name != "page" for name in request.GET)
