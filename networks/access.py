"""Who may reach what in the networks app: every such rule is here, and only here.

A network's pages are for its staff (and superusers): anyone else gets 404, never a hint that
the network exists. They reach a partnership's round only through the network, only if the
partnership is in it, and its report only if the coordinator shared it with the network.

Joining, leaving and sharing are the coordinator's (assessments.access), so a stranger gets 404
and a reader of the partnership's reports 403, as on every other coordinator page.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from assessments.models import Round

from .models import Network, NetworkQuerySet

__all__ = ["get_network_for_staff", "get_networks_for_staff", "get_shared_round_for_staff"]


def get_networks_for_staff(request: HttpRequest) -> NetworkQuerySet:
    return Network.objects.for_user(request.user)


def get_network_for_staff(request: HttpRequest, slug: str) -> Network:
    return get_object_or_404(get_networks_for_staff(request), slug=slug)


def get_shared_round_for_staff(request: HttpRequest, slug: str, pk: int) -> Round:
    """A closed round shared with the network, by a partnership in it: the share belongs to the
    partnership's current membership, so leaving the network ends it."""
    network = get_network_for_staff(request, slug)
    rounds = Round.objects.closed().filter(network_share__membership__network=network)
    round = get_object_or_404(rounds.select_related("partnership"), pk=pk)
    round.network = network
    return round
