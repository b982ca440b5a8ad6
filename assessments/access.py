"""Who may reach what in the assessments app: every such rule is here, and only here.

Coordinators reach a partnership they run (any partnership, for a superuser), and its members,
rounds and invitations only through it: a stranger gets 404, never a hint that the thing exists.
Readers of a partnership's reports reach its page and its opened rounds' reports through the
`for_reader` getters, and get 403 from every other.

A colleague invited to the team follows a single-use link that works until it is used,
cancelled, replaced or expired; after that it is one plain "link does not work" page.

Respondents have no account: a personal link reaches its own invitation, and only while the
round takes answers. An unknown or replaced link gets the "link does not work" page; a draft
round the "not open yet" page; a closed round, or one past its closing date, the "closed" page.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lib.compiled import CompiledQuery

from . import services
from .models import (
    Invitation,
    Member,
    Partnership,
    PartnershipQuerySet,
    Round,
    TeamInvitation,
    token_hash_as_sent,
)

# Coordinators, and readers of the reports
#
# A partnership's team has two roles: coordinators (and superusers) may do everything; readers
# (the chair, say) may open the partnership's page in a read-only form and the reports of its
# opened rounds with their downloads, what a share link gives the forum. Safe by default:
# every getter below refuses a reader with 403 unless its name says `for_reader`, and only the
# read views use those. Someone not on the team gets 404 from all of them.


def get_partnerships_for_coordinator(request: HttpRequest) -> PartnershipQuerySet:
    return Partnership.objects.for_user(request.user)


def get_partnerships_for_reader(request: HttpRequest) -> PartnershipQuerySet:
    """Every partnership the user is on the team of; `can_coordinate` is False where they only
    read the reports."""
    return Partnership.objects.for_team(request.user)


def get_partnership_for_reader(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, if the user is on its team (or is a superuser), with `can_coordinate`;
    404 for anyone else."""
    return get_object_or_404(get_partnerships_for_reader(request), slug=slug)


def get_partnership_for_coordinator(request: HttpRequest, slug: str) -> Partnership:
    """The partnership, if the user coordinates it (or is a superuser); 403 for one of its
    readers, 404 for anyone else."""
    partnership = get_partnership_for_reader(request, slug)
    if not partnership.can_coordinate:
        raise PermissionDenied("Only the partnership's coordinators can do this.")
    return partnership


def get_round_for_reader(request: HttpRequest, slug: str, pk: int) -> Round:
    """A round of a partnership the user is on the team of. A reader reaches only rounds that
    have opened: a draft is the coordinators' work in progress, so 404 to a reader."""
    partnership = get_partnership_for_reader(request, slug)
    rounds = partnership.rounds.all()
    if not partnership.can_coordinate:
        rounds = rounds.exclude(status=Round.Status.DRAFT)
    round = get_object_or_404(rounds, pk=pk)
    round.partnership = partnership  # already loaded: saves the views a query
    return round


def get_teammate_for_coordinator(request: HttpRequest, slug: str, user_pk: int):
    """Someone on the partnership's team, with `team_role` set: 404 if they are not on it."""
    partnership = get_partnership_for_coordinator(request, slug)
    teammate = get_object_or_404(get_user_model().objects.all(), pk=user_pk)
    teammate.team_role = partnership.team_role(teammate)
    if not teammate.team_role:
        raise Http404("They are not on this partnership's team.")
    return partnership, teammate


def get_team_invitation_for_coordinator(
    request: HttpRequest, slug: str, invitation_pk: int
) -> TeamInvitation:
    partnership = get_partnership_for_coordinator(request, slug)
    invitation = get_object_or_404(partnership.team_invitations, pk=invitation_pk)
    invitation.partnership = partnership
    return invitation


def team_invitation_for_link(token: str) -> TeamInvitation | None:
    """The invitation to the team whose link this is, while it still works."""
    return (
        TeamInvitation.objects.pending()
        .for_token(token)
        .select_related("partnership", "invited_by")
        .first()
    )


def get_member_for_coordinator(request: HttpRequest, slug: str, pk: int) -> Member:
    """A current member of the partnership (an erased one has nothing left to show or change)."""
    partnership = get_partnership_for_coordinator(request, slug)
    member = get_object_or_404(partnership.members.active(), pk=pk)
    member.partnership = partnership  # already loaded: saves the views a query
    return member


def get_round_for_coordinator(request: HttpRequest, slug: str, pk: int) -> Round:
    partnership = get_partnership_for_coordinator(request, slug)
    round = get_object_or_404(partnership.rounds, pk=pk)
    round.partnership = partnership  # already loaded: saves the views a query
    return round


def get_invitation_for_coordinator(
    request: HttpRequest, slug: str, pk: int, invitation_pk: int
) -> Invitation:
    """An invitation of the round, to a member who has not been erased."""
    round = get_round_for_coordinator(request, slug, pk)
    invitation = get_object_or_404(
        round.invitations.select_related("member").filter(member__erased_at__isnull=True),
        pk=invitation_pk,
    )
    invitation.round = round
    return invitation


# Respondents, through their personal link


# Every respondent's page starts with this lookup: its SQL is built once per process.
_invitation_by_hash = CompiledQuery(
    lambda value: (
        Invitation.objects.filter(token_hash=value)
        .select_related("round__partnership", "member", "response")
        .order_by()
    )
)


def invitation_for_link(token: str) -> Invitation | None:
    """The invitation whose live personal link this is, with what its pages show."""
    hashed = token_hash_as_sent(token)
    return None if hashed is None else _invitation_by_hash.get(hashed)


@dataclass(frozen=True)
class Link:
    """The personal link a page was opened with: its token and the invitation it belongs to."""

    token: str
    invitation: Invitation

    @property
    def round(self) -> Round:
        return self.invitation.round

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"respond:{name}", kwargs={"token": self.token, **kwargs})


RespondentView = Callable[..., HttpResponse]


def respondent_page(*methods: str) -> Callable[[RespondentView], RespondentView]:
    """Resolve the token and refuse what the round's state does not allow, before the view.

    So a view only ever runs for a live link to a round that accepts answers, and is called
    with the Link in place of the token.
    """
    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)

    def decorator(view: RespondentView) -> RespondentView:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
            invitation = invitation_for_link(token)
            if invitation is None:
                return render(request, "respond/link_not_working.html", status=404)
            link = Link(token, invitation)
            refusal = _round_refusal(request, link)
            if refusal:
                return refusal
            try:
                return view(request, link, **kwargs)
            except services.RoundStateError:
                # Closed between the check above and the write: nothing was stored.
                invitation.round.refresh_from_db()
                return _round_refusal(request, link)
            except services.LinkReplaced:
                return render(request, "respond/link_not_working.html", status=404)

        # Pages show a person's answers: no shared cache or back-forward cache may keep them.
        return never_cache(require_http_methods(allowed)(wrapper))

    return decorator


def _round_refusal(request: HttpRequest, link: Link) -> HttpResponse | None:
    round = link.round
    # A refused POST stores nothing; 409 says so to anything that reads status codes.
    status = 200 if request.method in ("GET", "HEAD") else 409
    if round.is_draft:
        return render(request, "respond/not_open.html", {"round": round}, status=status)
    if not round.accepts_answers:
        context = {
            "round": round,
            "closed_on": _closed_on(round),
            "response": link.invitation.response_or_none,
        }
        return render(request, "respond/closed.html", context, status=status)
    return None


def _closed_on(round: Round) -> datetime.date:
    # Closed early by the coordinator, or at the end of its closing date.
    return timezone.localdate(round.closed_at) if round.closed_at else round.closes_on
