"""Small factories for tests: each makes one thing with sensible defaults, overridable."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services
from assessments.models import Invitation, Member, Partnership, Response, Round, Sector

_seq = itertools.count(1)


def make_user(username: str | None = None, password: str = "correct-horse-9", **extra):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password, **extra
    )


def make_partnership(coordinator=None, **fields) -> Partnership:
    n = next(_seq)
    fields = {
        "name": f"Riverside Partnership {n}",
        "slug": f"riverside-{n}",
        "area": "Riverside",
    } | fields
    partnership = Partnership.objects.create(**fields)
    if coordinator is not None:
        partnership.coordinators.add(coordinator)
    return partnership


def make_member(partnership: Partnership, sector: str = Sector.THIRD_SECTOR, **fields) -> Member:
    n = next(_seq)
    fields = {
        "name": f"Member {n}",
        "email": f"member{n}@example.org",
        "organisation": f"Organisation {n}",
        "role": Member.Role.BOARD,
    } | fields
    return Member.objects.create(partnership=partnership, sector=sector, **fields)


def make_round(partnership: Partnership, *, open: bool = True, **fields) -> Round:
    """A round for the partnership; opened (questions frozen) unless open=False.

    Needs the principles loaded (the `principles` fixture) before it is opened.
    """
    today = timezone.localdate()
    fields = {
        "title": f"Assessment {next(_seq)}",
        "opens_on": today - datetime.timedelta(days=7),
        "closes_on": today + datetime.timedelta(days=21),
    } | fields
    round = Round.objects.create(partnership=partnership, **fields)
    if open:
        round = services.round_open(round=round)
    return round


def make_invitation(round: Round, member: Member | None = None) -> tuple[Invitation, str]:
    """An invitation with its link; returns it and the link's token."""
    member = member or make_member(round.partnership)
    invitation = Invitation.objects.filter(round=round, member=member).first()
    if invitation is None:
        invitation = Invitation.with_link(round=round, member=member)
        invitation.save()
    return invitation, link_token(invitation)


def link_token(invitation: Invitation) -> str:
    """The token of an invitation's personal link, as its e-mails carry it."""
    return services.invitation_link(invitation=invitation)


def make_response(
    round: Round,
    scores: dict | int | None = 4,
    *,
    sector: str = Sector.THIRD_SECTOR,
    comments: dict[int, str] | None = None,
    submit: bool = True,
    member: Member | None = None,
) -> Response:
    """A response to every question of an opened round.

    `scores` is one score for every question, or a dict from question (or question id) to a
    score; None means "Don't know". `comments` maps a principle number to a comment.
    """
    member = member or make_member(round.partnership, sector=sector)
    invitation, _ = make_invitation(round, member)
    response = services.response_start(invitation=invitation, sector=sector)
    comments = comments or {}
    for principle in round.principles.prefetch_related("questions"):
        page = {}
        for question in principle.questions.all():
            if isinstance(scores, dict):
                score = scores.get(question, scores.get(question.pk, 4))
            else:
                score = scores
            page[question.pk] = score
        services.response_save_principle(
            response=response,
            principle=principle,
            scores=page,
            comment=comments.get(principle.number, ""),
        )
    if submit:
        response = services.response_submit(response=response)
    return response


def publish(round: Round) -> Round:
    """Put every submitted response of the round into its published snapshot now, whatever the
    disclosure gate's snapshot rule would say: for tests of the figures themselves."""
    from reports.disclosure import snapshot_take

    snapshot_take(round)
    return round
