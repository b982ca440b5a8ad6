"""Small factories for tests: each makes one thing with sensible defaults, overridable."""

import datetime
import itertools
import math
import random
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services
from assessments.models import (
    TEAM_INVITATION_DAYS,
    Answer,
    Comment,
    Invitation,
    Member,
    Partnership,
    Question,
    Response,
    Round,
    RoundPrinciple,
    Sector,
    TeamInvitation,
    token_new,
)

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


def _member_fields(n: int) -> dict:
    return {
        "name": f"Member {n}",
        "email": f"member{n}@example.org",
        "organisation": f"Organisation {n}",
        "role": Member.Role.BOARD,
    }


def make_member(partnership: Partnership, sector: str = Sector.THIRD_SECTOR, **fields) -> Member:
    fields = _member_fields(next(_seq)) | fields
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


def make_team_invitation(
    partnership: Partnership,
    email: str | None = None,
    role: str = TeamInvitation.Role.READER,
    **fields,
) -> tuple[TeamInvitation, str]:
    """A pending invitation to the partnership's team, without its e-mail; returns it and the
    token of its link."""
    token, hashed = token_new()
    now = timezone.now()
    fields = {
        "email": email or f"colleague{next(_seq)}@example.org",
        "created_at": now,
        "expires_at": now + datetime.timedelta(days=TEAM_INVITATION_DAYS),
    } | fields
    invitation = TeamInvitation.objects.create(
        partnership=partnership, role=role, token_hash=hashed, **fields
    )
    return invitation, token


def make_report_round(
    partnership: Partnership,
    *,
    title: str = "Autumn 2026",
    comment: Callable[[int], str | None] = lambda index: None,
    bulk: bool = False,
) -> Round:
    """An open round with 12 submitted responses (6 third sector, 4 local authority, 2 health,
    scores varied by statement) after an earlier closed round of six opened 180 days ago, for
    the trend. `comment(index)` is the comment of the index-th response on principle
    index % 7 + 1, or None for none.

    The 12 are submitted through the services, which take the round's snapshots as they come
    (at 5 and 10), unless `bulk` (`responses_bulk`: no snapshot yet, for a caller that
    publishes or closes the round itself). The earlier round is made in bulk either way: it is
    closed, which takes its one snapshot of all six."""
    earlier = make_round(partnership, title="Spring 2026", invite_all_members=False)
    responses_bulk(
        earlier, [(sector, 3, None) for sector in [Sector.THIRD_SECTOR, Sector.HEALTH] * 3]
    )
    services.round_close(round=earlier)
    Round.objects.filter(pk=earlier.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=180),
        opens_on=timezone.localdate() - datetime.timedelta(days=180),
    )
    round = make_round(partnership, title=title, invite_all_members=False)
    sectors = [Sector.THIRD_SECTOR] * 6 + [Sector.LOCAL_AUTHORITY] * 4 + [Sector.HEALTH] * 2
    questions = list(round.questions.all())
    people = []
    for index, sector in enumerate(sectors):
        scores = {q.pk: (index + q.order) % 5 + 1 for q in questions}
        text = comment(index)
        people.append((sector, scores, {index % 7 + 1: text} if text else None))
    if bulk:
        responses_bulk(round, people)
    else:
        for sector, scores, comments in people:
            make_response(round, scores, sector=sector, comments=comments)
    return round


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
            page[question.pk] = _score(scores, question)
        services.response_save_principle(
            response=response,
            principle=principle,
            scores=page,
            comment=comments.get(principle.number, ""),
        )
    if submit:
        response = services.response_submit(response=response)
    return response


def _score(scores: dict | int | None, question: Question) -> int | None:
    """make_response's `scores` for one question: one score for all, or a dict from question
    (or question id) to a score, 4 where it has none."""
    if isinstance(scores, dict):
        return scores.get(question, scores.get(question.pk, 4))
    return scores


def responses_bulk(
    round: Round, people: list[tuple[str, dict | int | None, dict[int, str] | None]]
) -> list[Response]:
    """Submitted responses made in bulk past the services, one for each (sector, scores,
    comments) of `people`, each from a new member with an invitation, as make_response leaves
    them: every question answered (`scores` as make_response takes them), comments by principle
    number, revision 1. In about a tenth of make_response's time, for fixtures that publish or
    close the round themselves: no snapshot is taken on the way (make_response's submits may
    take some), so only the final snapshot's sequence number can differ."""
    members = Member.objects.bulk_create(
        Member(partnership=round.partnership, sector=sector, **_member_fields(next(_seq)))
        for sector, _, _ in people
    )
    responses = submitted_create(round, members, revision=1)
    principles = list(round.principles.prefetch_related("questions"))
    answers, comments = [], []
    for response, (_, scores, texts) in zip(responses, people, strict=True):
        for principle in principles:
            for question in principle.questions.all():
                score = _score(scores, question)
                answers.append(Answer(response=response, question=question, score=score))
            if text := (texts or {}).get(principle.number, "").strip():
                comments.append(Comment(response=response, principle=principle, text=text))
    Answer.objects.bulk_create(answers)
    Comment.objects.bulk_create(comments)
    return responses


def publish(round: Round) -> Round:
    """Put every submitted response of the round into its published snapshot now, whatever the
    disclosure gate's snapshot rule would say: for tests of the figures themselves."""
    from reports.disclosure import snapshot_take

    snapshot_take(round)
    return round


# Rounds of many submitted responses, made in bulk past the services: for the report's query
# counts and the report benchmark (perf/), which both build them with a seeded `random.Random`.

# A partnership's mix of sectors, roughly as the demo has it.
SECTOR_WEIGHTS = {
    Sector.THIRD_SECTOR: 40,
    Sector.LOCAL_AUTHORITY: 18,
    Sector.HEALTH: 12,
    Sector.POLICE_FIRE_JUSTICE: 10,
    Sector.BUSINESS: 8,
    Sector.OTHER_PUBLIC: 8,
    Sector.OTHER: 4,
}
COMMENTS = [
    "Papers arrive too late to consult the wider sector.",
    "Reporting back works well through the forum's e-bulletin.",
    "Small groups cannot attend daytime meetings.",
    "The board listens, but decisions are made elsewhere.",
    "Funding for the representatives' expenses has made a real difference.",
    "We need a clearer description of what our representatives are there to do.",
]
BATCH = 5000


def _batched(items: Iterator, size: int = BATCH) -> Iterator[list]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def members_create(partnership: Partnership, count: int, rng: random.Random) -> list[Member]:
    sectors = rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()), k=count)
    return Member.objects.bulk_create(
        Member(
            partnership=partnership,
            name=f"Benchmark member {i}",
            email=f"member{i}@benchmark.invalid",
            sector=sector,
        )
        for i, sector in enumerate(sectors)
    )


def _answers(
    responses: list[Response], questions: dict[int, list[Question]], rng: random.Random
) -> Iterator[Answer]:
    """Random scores around a mean per principle (lower for the third sector, so there is a
    gap), about 6% "Don't know"."""
    leanings = {pk: (rng.uniform(2.3, 3.6), rng.uniform(3.0, 4.2)) for pk in questions}
    for response in responses:
        third = response.sector == Sector.THIRD_SECTOR
        for principle, principle_questions in questions.items():
            mean = leanings[principle][0 if third else 1]
            for question in principle_questions:
                score = None  # "Don't know"
                if rng.random() >= 0.06:
                    score = max(1, min(5, math.floor(rng.gauss(mean, 1.0) + 0.5)))
                yield Answer(response=response, question=question, score=score)


def _comments(
    responses: list[Response], principles: list[RoundPrinciple], rng: random.Random, rate: float
) -> Iterator[Comment]:
    for response in responses:
        for principle in principles:
            if rng.random() < rate:
                yield Comment(response=response, principle=principle, text=rng.choice(COMMENTS))


def submitted_create(round: Round, members: list[Member], revision: int = 0) -> list[Response]:
    """Each member invited to the round (with a link) and their response submitted, in the
    sector the member gave, with nothing answered yet: two inserts however many."""
    invitations = Invitation.objects.bulk_create(
        Invitation.with_link(round=round, member=member) for member in members
    )
    now = timezone.now()
    return Response.objects.bulk_create(
        Response(
            round=round,
            invitation=invitation,
            sector=member.sector,
            status=Response.Status.SUBMITTED,
            submitted_at=now,
            revision=revision,
        )
        for invitation, member in zip(invitations, members, strict=True)
    )


def responses_create(
    round: Round, members: list[Member], rng: random.Random, comment_rate: float = 0.03
) -> int:
    """Every member invited and submitted, every question answered, comments at
    `comment_rate`."""
    responses = submitted_create(round, members)
    principles = list(round.principles.prefetch_related("questions"))
    questions = {p.pk: list(p.questions.all()) for p in principles}
    for batch in _batched(_answers(responses, questions, rng)):
        Answer.objects.bulk_create(batch)
    for batch in _batched(_comments(responses, principles, rng, comment_rate)):
        Comment.objects.bulk_create(batch)
    return len(responses)


def round_with_responses(
    partnership: Partnership,
    members: list[Member],
    rng: random.Random,
    opened_at: datetime.datetime,
    title: str,
) -> Round:
    """An opened round with every member's submitted response, published, opened at
    `opened_at` (an earlier one makes the report's trend)."""
    today = timezone.localdate()
    round = Round.objects.create(
        partnership=partnership,
        title=title,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=14),
        invite_all_members=False,
    )
    round = services.round_open(round=round)
    Round.objects.filter(pk=round.pk).update(opened_at=opened_at)
    responses_create(round, members, rng)
    return publish(round)  # made in bulk, past the services: publish them all at once


# Networks of partnerships and the benchmark across them: closed rounds made in bulk past the
# services (like round_with_responses), with fixed scores so that figures can be worked out by
# hand; joining and sharing go through the networks app's services.


def make_network(name: str | None = None, staff=(), **fields):
    from networks.models import Network

    n = next(_seq)
    fields = {"name": name or f"Network {n}", "slug": f"network-{n}"} | fields
    network = Network.objects.create(**fields)
    network.staff.add(*staff)
    return network


def network_join(partnership: Partnership, network, user=None):
    from networks import services as network_services

    return network_services.network_join(partnership=partnership, network=network, user=user)


def share_round(round: Round, user=None):
    from networks import services as network_services

    return network_services.round_share(round=round, user=user)[0]


Score = int | None | Callable[[int, int], int | None]


def closed_round_bulk(
    partnership: Partnership,
    groups: list[tuple[str, int, Score]],
    *,
    title: str | None = None,
    closed_at: datetime.datetime | None = None,
    min_group_size: int = 5,
) -> Round:
    """A closed round whose final snapshot holds, for each (sector, how many, score) of
    `groups`, that many submitted responses giving `score` to every question: a number, None
    ("Don't know"), or a function of the principle's number and the statement's order."""
    today = timezone.localdate()
    round = Round.objects.create(
        partnership=partnership,
        title=title or f"Round {next(_seq)}",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=1),
        invite_all_members=False,
        min_group_size=min_group_size,
    )
    round = services.round_open(round=round)
    people = [(sector, score) for sector, count, score in groups for _ in range(count)]
    members = Member.objects.bulk_create(
        Member(
            partnership=partnership,
            name=f"Peer member {n}",
            email=f"peer{n}@benchmark.invalid",
            sector=sector,
        )
        for sector, _ in people
        for n in [next(_seq)]
    )
    responses = submitted_create(round, members)
    questions = list(round.questions.select_related("principle"))
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            score=score(question.principle.number, question.order) if callable(score) else score,
        )
        for response, (_, score) in zip(responses, people, strict=True)
        for question in questions
    )
    publish(round)
    round = services.round_close(round=round)
    if closed_at is not None:
        Round.objects.filter(pk=round.pk).update(closed_at=closed_at)
        round.closed_at = closed_at
    return round
