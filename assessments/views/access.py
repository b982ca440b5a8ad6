"""How every coordinator view reaches its objects: through a partnership the user runs."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Partnership, Round


def get_partnership_for_coordinator(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, if the user coordinates it (or is a superuser); 404 for anyone else."""
    return get_object_or_404(Partnership.objects.for_user(request.user), slug=slug)


def get_round_for_coordinator(request: HttpRequest, slug: str, pk: int) -> Round:
    partnership = get_partnership_for_coordinator(request, slug)
    round = get_object_or_404(partnership.rounds, pk=pk)
    round.partnership = partnership  # already loaded: saves the views a query
    return round
