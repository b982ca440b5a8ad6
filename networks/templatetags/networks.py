"""The partnership's and the round's pages (assessments templates) show the partnership's network
and what it shares with it: the assessments app never imports this one."""

from django import template
from django.db.models import OuterRef, Subquery

from assessments.models import Partnership, Round

from ..models import NetworkMembership, SharedRound

register = template.Library()


@register.simple_tag
def network_membership(partnership: Partnership) -> NetworkMembership | None:
    """{% network_membership partnership as membership %}: its network, in one query."""
    memberships = NetworkMembership.objects.filter(partnership=partnership)
    return memberships.select_related("network").first()


@register.simple_tag
def network_sharing(round: Round) -> NetworkMembership | None:
    """{% network_sharing round as membership %}: for a closed round of a partnership in a
    network, the membership with `shared_at` (None while not shared), in one query; None, and
    no query, for a round that has not closed (only a closed round can be shared)."""
    if not round.is_closed:
        return None
    share = SharedRound.objects.filter(round=round, membership=OuterRef("pk"))
    return (
        NetworkMembership.objects.filter(partnership_id=round.partnership_id)
        .select_related("network")
        .annotate(shared_at=Subquery(share.values("shared_at")[:1]))
        .first()
    )
