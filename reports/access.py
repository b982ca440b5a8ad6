"""Who may reach what in the reports app: every such rule is here, and only here.

Coordinators reach a round's report, action plan and share links through the round
(assessments.access: a partnership they run, else 404). A reader of the partnership's reports
reaches what a share link gives the forum, the report of an opened round and its downloads,
through the `for_reader` getters; everything else here answers them 403. The forum reaches a
report through a live share link only: unknown, revoked and expired links, and links to a
draft, are all a plain 404 that says nothing of why.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from assessments.access import get_round_for_coordinator, get_round_for_reader
from assessments.models import Round

from .models import Action, ShareLink

__all__ = [
    "get_action_for_coordinator",
    "get_opened_round_for_coordinator",
    "get_opened_round_for_reader",
    "get_round_for_coordinator",
    "get_round_for_reader",
    "get_round_for_share_link",
    "get_share_link_for_coordinator",
]


def get_opened_round_for_reader(request: HttpRequest, slug: str, pk: int) -> Round:
    """A round that has opened, for anyone on the partnership's team: its report's downloads."""
    round = get_round_for_reader(request, slug, pk)
    if round.is_draft:
        raise Http404("This round has not opened, so it has no report yet.")
    return round


def get_opened_round_for_coordinator(request: HttpRequest, slug: str, pk: int) -> Round:
    """A round that has opened: a draft has no report or answers to download (its report page
    says so instead)."""
    round = get_round_for_coordinator(request, slug, pk)
    if round.is_draft:
        raise Http404("This round has not opened, so it has no report yet.")
    return round


def get_action_for_coordinator(
    request: HttpRequest, slug: str, pk: int, action_pk: int
) -> tuple[Round, Action]:
    """An action in the round's action plan (its own, or carried from an earlier round of the
    same partnership), with the round it is reached through."""
    round = get_round_for_coordinator(request, slug, pk)
    action = get_object_or_404(
        Action.objects.in_plan_of(round).select_related("round"), pk=action_pk
    )
    return round, action


def get_share_link_for_coordinator(
    request: HttpRequest, slug: str, pk: int, link_pk: int
) -> ShareLink:
    round = get_round_for_coordinator(request, slug, pk)
    link = get_object_or_404(round.share_links, pk=link_pk)
    link.round = round
    return link


def get_round_for_share_link(token: str) -> Round:
    link = (
        ShareLink.objects.active()
        .for_token(token)
        .select_related("round__partnership")
        .exclude(round__status=Round.Status.DRAFT)
        .first()
    )
    if link is None:
        raise Http404
    return link.round
