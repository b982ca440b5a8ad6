"""Joining and leaving a network, and sharing a closed round's results with it: each the act of
the partnership's coordinator (`user`), and each one entry of the partnership's audit trail."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from assessments import audit
from assessments.audit import Kind
from assessments.models import Partnership, Round

from .models import Network, NetworkMembership, SharedRound


class NetworkError(Exception):
    """The change cannot be made as things are; the message says why in plain words."""


@transaction.atomic
def network_join(
    *, partnership: Partnership, network: Network, user: AbstractBaseUser
) -> NetworkMembership:
    existing = NetworkMembership.objects.filter(partnership=partnership).select_related("network")
    if current := existing.first():
        raise NetworkError(
            f"{partnership.name} is already in {current.network.name}: leave it first to join "
            "another network."
        )
    try:
        with transaction.atomic():  # a join sent twice at once: the second finds the first
            membership = NetworkMembership.objects.create(
                partnership=partnership, network=network, joined_by=user
            )
    except IntegrityError:
        raise NetworkError(f"{partnership.name} has just joined a network.") from None
    audit.record(
        user, Kind.NETWORK_JOINED, partnership, network=network.pk, network_name=network.name
    )
    return membership


@transaction.atomic
def network_leave(*, partnership: Partnership, user: AbstractBaseUser) -> Network:
    """Leave the partnership's network. Its shares go with the membership (CASCADE): the network
    sees none of the partnership's rounds any more, and its benchmark leaves them out."""
    membership = (
        NetworkMembership.objects.select_for_update()
        .filter(partnership=partnership)
        .select_related("network")
        .first()
    )
    if membership is None:
        raise NetworkError(f"{partnership.name} is not in a network.")
    network, shares = membership.network, membership.shared_rounds.count()
    membership.delete()
    audit.record(
        user,
        Kind.NETWORK_LEFT,
        partnership,
        network=network.pk,
        network_name=network.name,
        shares_removed=shares,
    )
    return network


@transaction.atomic
def round_share(*, round: Round, user: AbstractBaseUser) -> tuple[SharedRound, bool]:
    """Share a closed round's report with the partnership's network; True if it was not shared
    already (sharing twice changes nothing)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_closed:
        raise NetworkError("Only a closed round’s results can be shared with the network.")
    membership = NetworkMembership.objects.filter(partnership_id=round.partnership_id).first()
    if membership is None:
        raise NetworkError("The partnership is not in a network: join one first.")
    share, created = SharedRound.objects.get_or_create(
        round=round, defaults={"membership": membership, "shared_by": user}
    )
    if created:
        audit.record(
            user, Kind.ROUND_SHARED, round.partnership_id, round, network=membership.network_id
        )
    return share, created


@transaction.atomic
def round_unshare(*, round: Round, user: AbstractBaseUser) -> bool:
    """Stop sharing the round with the network; True if it was shared."""
    deleted, _ = SharedRound.objects.filter(round=round).delete()
    if deleted:
        audit.record(user, Kind.ROUND_UNSHARED, round.partnership_id, round)
    return bool(deleted)
