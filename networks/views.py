"""Networks: the coordinator joins one, leaves it and shares closed rounds with it; the network's
staff see its partnerships, their rounds and response rates, the benchmark across them, and the
reports of the rounds shared with them (rendered as the forum's share link renders them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import audit
from assessments.access import get_partnership_for_coordinator, get_round_for_coordinator
from assessments.audit import Kind
from assessments.models import Partnership, Round
from reports import disclosure
from reports.views import _render_report  # the report page as the forum's share link shows it

from . import services
from .access import get_network_for_staff, get_networks_for_staff, get_shared_round_for_staff
from .benchmark import MIN_PEERS, benchmark_for_network
from .forms import NetworkJoinForm
from .models import Network, NetworkMembership

# The coordinator: joining, leaving, sharing


def _membership(partnership: Partnership) -> NetworkMembership | None:
    memberships = NetworkMembership.objects.filter(partnership=partnership)
    return memberships.select_related("network").first()


def _to_partnership(partnership: Partnership) -> HttpResponse:
    return redirect("assessments:partnership-detail", partnership.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_network(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose a network and join it, having read what it will see."""
    partnership = get_partnership_for_coordinator(request, slug)
    membership = _membership(partnership)
    if membership is not None:
        name = membership.network.name
        messages.info(request, f"{partnership.name} is in {name}: leave it to join another.")
        return _to_partnership(partnership)
    networks = list(Network.objects.all())
    form = NetworkJoinForm(request.POST or None, networks=networks)
    if form.is_valid():
        network = form.cleaned_data["network"]
        try:
            services.network_join(partnership=partnership, network=network, user=request.user)
        except services.NetworkError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{partnership.name} has joined {network.name}. To share a closed round’s "
                "results with it, go to the round’s page.",
            )
        return _to_partnership(partnership)
    context = {
        "partnership": partnership,
        "form": form,
        "has_networks": bool(networks),
        "min_peers": MIN_PEERS,
    }
    return render(request, "networks/partnership_network.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_network_leave(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_partnership_for_coordinator(request, slug)
    membership = _membership(partnership)
    if membership is None:
        messages.info(request, f"{partnership.name} is not in a network.")
        return _to_partnership(partnership)
    if request.method == "POST":
        try:
            network = services.network_leave(partnership=partnership, user=request.user)
        except services.NetworkError as error:  # left a moment ago, in another tab
            messages.info(request, str(error))
        else:
            messages.success(request, f"{partnership.name} has left {network.name}.")
        return _to_partnership(partnership)
    context = {
        "partnership": partnership,
        "network": membership.network,
        "shared": membership.shared_rounds.count(),
    }
    return render(request, "networks/partnership_network_leave.html", context)


def _round_page(round: Round) -> HttpResponse:
    return redirect("assessments:round-detail", round.partnership.slug, round.pk)


@login_required
@require_POST
def round_share(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    try:
        share, _ = services.round_share(round=round, user=request.user)
    except services.NetworkError as error:
        messages.error(request, str(error))
    else:
        network = share.membership.network.name
        messages.success(request, f"The results of {round.title} are shared with {network}.")
    return _round_page(round)


@login_required
@require_POST
def round_unshare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_round_for_coordinator(request, slug, pk)
    if services.round_unshare(round=round, user=request.user):
        messages.success(request, f"The results of {round.title} are no longer shared.")
    return _round_page(round)


# The network's staff


@login_required
@require_safe
def network_list(request: HttpRequest) -> HttpResponse:
    networks = get_networks_for_staff(request).annotate(partnership_count=Count("memberships"))
    return render(request, "networks/network_list.html", {"networks": networks})


@login_required
@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The network's partnerships, their opened rounds with response rates (through the gate),
    the reports shared with it, and the benchmark across them: a fixed number of queries
    whatever the number of partnerships and rounds."""
    network = get_network_for_staff(request, slug)
    memberships = list(network.memberships.select_related("partnership"))
    rounds = list(
        Round.objects.filter(partnership__network_membership__network=network)
        .exclude(status=Round.Status.DRAFT)  # a draft is its coordinators' work in progress
        .select_related("publication", "network_share")
        .order_by("-opens_on", "-pk")
    )
    totals = disclosure.response_totals(rounds)
    by_partnership: dict[int, list[Round]] = {}
    for round in rounds:
        round.response_total = totals[round.pk]
        by_partnership.setdefault(round.partnership_id, []).append(round)
    context = {
        "network": network,
        "partnerships": [
            (membership.partnership, by_partnership.get(membership.partnership_id, []))
            for membership in memberships
        ],
        "benchmark": benchmark_for_network(network, rounds),
        "min_peers": MIN_PEERS,
    }
    return render(request, "networks/network_detail.html", context)


@login_required
@require_safe
def network_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round = get_shared_round_for_staff(request, slug, pk)
    response = _render_report(
        request, round, "networks/round_report.html", mode="shared", network=round.network
    )
    # The partnership's trail says who in the network read its shared report.
    network = round.network
    audit.record_read(
        request, Kind.REPORT_VIEWED, round.partnership_id, round, network_name=network.name
    )
    return response
