"""The report app listens to the assessments app (which cannot import it): each change to a
submitted response, and each closing, goes past the disclosure gate's snapshot rule."""

from django.dispatch import receiver

from assessments.models import Round
from assessments.signals import response_changed, round_closed

from . import disclosure


@receiver(response_changed)
def _response_changed(sender, round_id: int, **kwargs) -> None:
    # Locked: changes to submitted answers and snapshots of them happen one at a time.
    round = Round.objects.select_for_update().only("pk", "min_group_size").get(pk=round_id)
    disclosure.snapshot_if_due(round)


@receiver(round_closed)
def _round_closed(sender, round: Round, **kwargs) -> None:
    disclosure.snapshot_if_due(round, final=True)
