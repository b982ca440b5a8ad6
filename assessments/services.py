"""Writes that span models. Each public function runs in one transaction, so it happens
whole or not at all; the one exception is personal_data_purge, which erases each member in a
transaction of their own (one failure keeps the erasures before it). Reads live with the
models (QuerySet methods) and the access modules, except invitations_due: the count a
confirmation page asks about is kept beside the send that it counts.

Every change to a submitted response (its submission, and each amendment) ends by sending
`signals.response_changed` inside its transaction: the report app's disclosure gate then locks
the round's row and decides whether the published figures move on. Drafts are in no figure.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, FilteredRelation, Q, Subquery
from django.utils import timezone

from principles.models import Band, Principle, ScalePoint

from . import audit, signals
from .audit import Kind
from .csv_import import Match
from .models import (
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
    TeamInvitation,
    accounts_for_email,
    token_new,
)


class RoundStateError(Exception):
    """The round is not in the state this action needs; the message says so in plain words."""


class IncompleteResponse(Exception):
    """Submitting before every statement has an answer; carries the principles left to answer."""

    def __init__(self, principles: list[RoundPrinciple]):
        super().__init__("Some statements have not been answered.")
        self.principles = principles


# Rounds


@transaction.atomic
def round_open(*, round: Round, actor=None) -> Round:
    """Open a draft round: freeze the wording it asks, and invite every current member.

    `actor` here and below is the signed-in user the audit trail names (None: the system)."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_draft:
        raise RoundStateError("This round has already been opened.")
    for principle in Principle.objects.with_active_statements():
        if not principle.active_statements:
            continue
        frozen = RoundPrinciple.objects.create(
            round=round,
            source=principle,
            number=principle.number,
            title=principle.title,
            summary=principle.summary,
        )
        Question.objects.bulk_create(
            Question(
                round=round,
                principle=frozen,
                source=statement,
                order=position,
                text=statement.text,
                hint=statement.hint,
            )
            for position, statement in enumerate(principle.active_statements, start=1)
        )
    round.frozen_scale = list(ScalePoint.objects.order_by("value").values_list("value", "label"))
    round.frozen_bands = [
        {"name": b.name, "min_mean": str(b.min_mean), "tone": b.tone, "description": b.description}
        for b in Band.objects.order_by("-min_mean")
    ]
    round.status = Round.Status.OPEN
    round.opened_at = timezone.now()
    round.save(update_fields=["status", "opened_at", "frozen_scale", "frozen_bands"])
    invited = invitations_create(round=round) if round.invite_all_members else 0
    audit.record(actor, Kind.ROUND_OPENED, round.partnership_id, round, invited=invited)
    return round


@transaction.atomic
def round_close(*, round: Round, actor=None) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_open:
        raise RoundStateError("Only an open round can be closed.")
    round.status = Round.Status.CLOSED
    round.closed_at = timezone.now()
    round.save(update_fields=["status", "closed_at"])
    signals.round_closed.send(sender=Round, round=round)
    audit.record(actor, Kind.ROUND_CLOSED, round.partnership_id, round)
    return round


ROUND_MAX_DAYS = 366  # from opening to closing: a round runs for a year at most


def round_latest_closing(opens_on: datetime.date) -> datetime.date:
    """The last closing date a round opening on `opens_on` may have: a date far off (31 12
    9999, a typing slip) would leave a round open, and its links working, for ever."""
    return opens_on + datetime.timedelta(days=ROUND_MAX_DAYS)


def round_earliest_opening() -> datetime.date:
    """The earliest opening date a new or changed round may have: a year ago today."""
    return timezone.localdate() - datetime.timedelta(days=365)


@transaction.atomic
def round_extend(*, round: Round, closes_on: datetime.date, actor=None) -> Round:
    """Change an open round's closing date (most often, to give people longer).

    Respondents' pages and e-mails read the date from the round, and every write checks it in
    the database (`_ensure_accepting`), so the new date holds from this commit on.
    """
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.closing_date_refusal():
        raise RoundStateError(round.closing_date_refusal())
    if closes_on < max(round.opens_on, timezone.localdate()):
        raise RoundStateError("The closing date must be today or later, and not before it opens.")
    if closes_on > round_latest_closing(round.opens_on):
        raise RoundStateError("The closing date must be within a year of the opening date.")
    was, round.closes_on = round.closes_on, closes_on
    round.save(update_fields=["closes_on"])
    audit.record(
        actor, Kind.ROUND_EXTENDED, round.partnership_id, round, closes_on=closes_on, was=was
    )
    return round


@transaction.atomic
def round_copy(
    *, round: Round, title: str, opens_on: datetime.date, closes_on: datetime.date, actor=None
) -> Round:
    """A new draft like `round`: its group size and who it invites, with a new title and dates.

    A round that invited every member makes a copy that does too; otherwise the copy invites
    the original's invitees who are still current members. Nothing of the answers is copied.
    """
    copy = Round.objects.create(
        partnership_id=round.partnership_id,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group_size=round.min_group_size,
        invite_all_members=round.invite_all_members,
    )
    if not round.invite_all_members:
        invitees = Member.objects.active().filter(invitations__round=round)
        invitations_create(round=copy, members=invitees)
    audit.record(actor, Kind.ROUND_COPIED, round.partnership_id, copy, copied_from=round.title)
    return copy


# Invitations


@transaction.atomic
def invitations_create(*, round: Round, members: Iterable[Member] | None = None) -> int:
    """Add members to the round's invitation list, once each: the given ones, or every
    current member of the partnership."""
    missing = _members_not_invited(round)
    if members is not None:
        missing = missing.filter(pk__in=[member.pk for member in members])
    created = Invitation.objects.bulk_create(
        Invitation.with_link(round=round, member=member) for member in missing
    )
    return len(created)


class MemberAnswering(Exception):
    """The member's e-mail address cannot change: they are answering an open round."""


@transaction.atomic
def member_save(*, member: Member, email_changed: bool) -> Member:
    """Save a member's details. A new e-mail address gets new links in every open round (the
    old ones, sent to the old address, stop working), and is refused once the member has
    started answering one: the link to their answers must not go to another address.

    The old address is then told, after the commit (tasks.address_changed_email_send): else
    whoever changed the address could answer as the member without them ever knowing."""
    from .tasks import address_changed_email_send

    if email_changed and member.pk:
        invitations = list(
            Invitation.objects.select_for_update().filter(
                member=member, round__status=Round.Status.OPEN
            )
        )
        if member.answering_rounds().exists():
            raise MemberAnswering
        for invitation in invitations:
            invitation.new_link()
            invitation.save(update_fields=["link_secret", "token_hash"])
        if invitations:
            old_email = Member.objects.values_list("email", flat=True).get(pk=member.pk)
            round_ids = [invitation.round_id for invitation in invitations]
            transaction.on_commit(
                lambda: address_changed_email_send.enqueue(
                    member_id=member.pk, old_email=old_email, round_ids=round_ids
                )
            )
    member.save()
    return member


class MembersChanged(Exception):
    """A member the import would update was changed or erased after the preview was made."""


@transaction.atomic
def members_import(
    *,
    partnership: Partnership,
    members: Sequence[Member],
    updates: Sequence[Match] = (),
    round: Round | None = None,
    invite: Sequence[Member] = (),
    actor=None,
) -> list[Member]:
    """Save imported members and the updates of existing ones (all or none), and add them, and
    `invite` (members of the file left as they are), to a round's invitation list.

    Each member to update is locked and read again: if their details are no longer those the
    preview was made from, MembersChanged, and nothing is saved. A new member whose address
    someone has just added breaks the unique constraint (IntegrityError), also saving nothing.
    """
    current = Member.objects.select_for_update().filter(
        partnership=partnership, erased_at__isnull=True, pk__in=[m.member.pk for m in updates]
    )
    current = {member.pk: member for member in current}
    for update in updates:
        stored = current.get(update.member.pk)
        if stored is None or any(getattr(stored, f) != v for f, v in update.before.items()):
            raise MembersChanged
        # The address is how the row was matched, so it is the same: no link changes.
        member_save(member=update.member, email_changed=False)
    created = Member.objects.bulk_create(members)
    invited = 0
    if round is not None:
        everyone = [*created, *(update.member for update in updates), *invite]
        invited = invitations_create(round=round, members=everyone)
    audit.record(
        actor,
        Kind.MEMBERS_IMPORTED,
        partnership,
        added=len(created),
        updated=len(updates),
        invited=invited,
        round=round.pk if round else None,
    )
    return created


@transaction.atomic
def invitation_send_again(*, invitation: Invitation, new_link: bool = False, actor=None) -> None:
    """E-mail the member their personal link again, to their own address.

    The link is the same one unless `new_link`: then the old one stops working first (for a
    link that has been forwarded to someone else). Either way nobody but the member sees it.
    """
    from .tasks import invitation_email_send

    round = invitation.round  # the caller's, with its partnership
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if new_link:
        invitation.new_link()
    invitation.send_status = Invitation.SendStatus.QUEUED
    invitation.save(update_fields=["send_status", "link_secret", "token_hash"])
    member = Member(pk=invitation.member_id)  # the trail names them by number only
    audit.record(
        actor,
        Kind.LINK_SENT,
        round.partnership_id,
        member,
        round=round.pk,
        round_title=round.title,
        new_link=new_link,
    )
    # Queued after the commit, so that the worker sees QUEUED and not the old state.
    transaction.on_commit(
        lambda: invitation_email_send.enqueue(
            invitation_id=invitation.pk, reminder=False, new_link=new_link
        )
    )


@transaction.atomic
def invitation_link(*, invitation: Invitation) -> str:
    """The token of the invitation's personal link (for its e-mails, and for tests)."""
    if not invitation.link_current():  # see tasks.invitation_email_send
        invitation_new_link(invitation=invitation)
    return invitation.link()


@transaction.atomic
def invitation_new_link(*, invitation: Invitation) -> str:
    """A new personal link for the invitation; the previous one stops working at once."""
    invitation.new_link()
    invitation.save(update_fields=["link_secret", "token_hash"])
    return invitation.link()


@transaction.atomic
def invitations_send(*, round: Round, reminder: bool = False, actor=None) -> int:
    """Queue e-mails: invitations to everyone not yet sent one, or reminders to non-respondents.

    Every e-mail to a member carries the same personal link: a reminder never stops the link
    someone is using, and a refused e-mail changes nothing but its status.
    """
    from .tasks import invitation_email_send

    if not round.accepts_answers:
        raise RoundStateError("Invitations can only be sent while the round is open.")
    if round.invite_all_members:
        invitations_create(round=round)
    ids = list(_invitations_due(round, reminder=reminder).values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=ids).update(send_status=Invitation.SendStatus.QUEUED)

    def enqueue() -> None:
        for pk in ids:
            invitation_email_send.enqueue(invitation_id=pk, reminder=reminder)

    transaction.on_commit(enqueue)
    if ids:  # one entry for the lot; sending to nobody changed nothing
        kind = Kind.REMINDERS_SENT if reminder else Kind.INVITATIONS_SENT
        audit.record(actor, kind, round.partnership_id, round, count=len(ids))
    return len(ids)


def invitations_due(*, round: Round, reminder: bool = False) -> int:
    """How many e-mails invitations_send would queue now, for its confirmation page: a read,
    kept beside the send so that the number asked about is the number sent."""
    due = _invitations_due(round, reminder=reminder).count()
    if round.invite_all_members and not reminder:
        due += _members_not_invited(round).count()  # invitations_send adds them first
    return due


def _invitations_due(round: Round, *, reminder: bool) -> models.QuerySet[Invitation]:
    """Reminders: everyone invited who has not submitted. Invitations: everyone not yet sent."""
    invitations = round.invitations.filter(member__erased_at__isnull=True)
    if reminder:
        return invitations.exclude(response__status=Response.Status.SUBMITTED)
    return invitations.exclude(send_status=Invitation.SendStatus.SENT)


def _members_not_invited(round: Round) -> models.QuerySet[Member]:
    return (
        Member.objects.active()
        .filter(partnership_id=round.partnership_id)
        .exclude(invitations__round=round)
    )


# Responses


class LinkReplaced(Exception):
    """The link was replaced (a new link, an erasure) while the page was being answered."""


@transaction.atomic
def response_start(*, invitation: Invitation, sector: str) -> Response:
    """The invitation's response, made on first use; two tabs or a double click give one.

    The invitation's row is locked and its link checked again: a coordinator changing the
    member's e-mail address (which replaces the link) cannot slip in between.
    """
    _ensure_accepting(invitation.round_id)
    current = Invitation.objects.select_for_update().filter(
        pk=invitation.pk, token_hash=invitation.token_hash
    )
    if not current.exists():
        raise LinkReplaced
    response, created = Response.objects.get_or_create(
        invitation=invitation, defaults={"round_id": invitation.round_id, "sector": sector}
    )
    if not created and response.sector != sector:
        response.sector = sector
        response.save(update_fields=["sector", "updated_at"])
        _changed(response)
    return response


@transaction.atomic
def response_save_principle(
    *,
    response: Response,
    principle: RoundPrinciple,
    scores: Mapping[int, int | None],
    comment: str,
) -> None:
    """Store one page of answers (question id to score, None for "Don't know") and its comment.

    An upsert on the unique (response, question) pair, so a second tab or a repeated post
    overwrites rather than doubles, and concurrent saves cannot lose each other's rows.

    A save that changes nothing (the page sent again as it was) is not an amendment: only a
    real change counts towards the k amendments that move the report's snapshot on, so nobody
    can make up the count by pressing "Save and continue" on unchanged pages.
    """
    _ensure_accepting(response.round_id)
    comment = comment.strip()
    # One query: the page's questions, with this response's saved score and comment beside each.
    saved_comment = Comment.objects.filter(response=response, principle=principle).values("text")
    rows = list(
        principle.questions.alias(
            saved=FilteredRelation("answers", condition=Q(answers__response=response))
        ).values_list("pk", "saved__pk", "saved__score", Subquery(saved_comment[:1]))
    )
    if not set(scores) <= {pk for pk, *_ in rows} or principle.round_id != response.round_id:
        raise ValueError("Those questions are not on this page of this round.")
    saved = {pk: score for pk, answer, score, _ in rows if answer is not None}  # None: Don't know
    saved_text = (rows[0][3] if rows else None) or ""
    unchanged = saved_text == comment and all(
        question in saved and saved[question] == score for question, score in scores.items()
    )
    Answer.objects.bulk_create(
        [Answer(response=response, question_id=qid, score=score) for qid, score in scores.items()],
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["score"],
    )
    if comment:
        Comment.objects.bulk_create(
            [Comment(response=response, principle=principle, text=comment)],
            update_conflicts=True,
            unique_fields=["response", "principle"],
            update_fields=["text"],
        )
    else:
        Comment.objects.filter(response=response, principle=principle).delete()
    Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())
    if not unchanged:
        _changed(response)


def _changed(response: Response) -> None:
    """If the response is submitted (in the database: it may have been submitted in another
    tab since this page was shown), count the change and tell the report."""
    submitted = Response.objects.filter(pk=response.pk, status=Response.Status.SUBMITTED)
    if submitted.update(revision=models.F("revision") + 1):
        signals.response_changed.send(sender=Response, round_id=response.round_id)


def _principles_unanswered(response: Response) -> list[RoundPrinciple]:
    """The round's principles with at least one statement this response has not answered."""
    # Only this response's answers are looked at: a join over the whole round's answers would
    # grow with every respondent, and this runs while the write lock is held during submit.
    answered = Answer.objects.filter(response=response).values("question_id")
    return list(
        RoundPrinciple.objects.filter(round_id=response.round_id)
        .annotate(unanswered=Count("questions", filter=~Q(questions__in=answered)))
        .filter(unanswered__gt=0)
        .order_by("number")
    )


def _ensure_accepting(round_id: int) -> None:
    """Re-check inside the write's transaction: the round may have closed since the page
    was shown."""
    accepting = Round.objects.filter(
        pk=round_id, status=Round.Status.OPEN, closes_on__gte=timezone.localdate()
    )
    if not accepting.exists():
        raise RoundStateError("This assessment has closed.")


@transaction.atomic
def response_submit(*, response: Response) -> Response:
    """Submit, or resubmit after amending; refused unless every statement has an answer."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    _ensure_accepting(response.round_id)
    missing = _principles_unanswered(response)
    if missing:
        raise IncompleteResponse(missing)
    if response.is_submitted:
        return response  # amendments were counted as they were saved
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at", "updated_at"])
    _changed(response)
    return response


# Personal data (UK GDPR)


ERASED_NAME = "Erased member"


@transaction.atomic
def member_erase(*, member: Member, actor=None) -> Member:
    """Remove a member's name, e-mail and organisation, and kill their personal links.

    Their anonymous answers stay in every round's results: the response keeps its sector and
    answers, and points at an invitation that no longer says whose it was. The audit trail
    has nothing to erase: it only ever named them "Member <pk>".
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.erased_at:
        return member
    member.name = ERASED_NAME
    member.email = f"erased-{member.pk}@erased.invalid"
    member.organisation = ""
    member.erased_at = timezone.now()
    member.save(update_fields=["name", "email", "organisation", "erased_at"])
    for invitation in member.invitations.all():
        invitation.new_link()  # nobody is told the new one: the link is gone
        invitation.send_error = ""
        invitation.save(update_fields=["link_secret", "token_hash", "send_error"])
    audit.record(actor, Kind.MEMBER_ERASED, member.partnership_id, member)
    return member


def personal_data_purge(*, months: int) -> int:
    """Erase members whose every invitation is to a round closed more than `months` ago.

    Members never invited, or invited to a round still open or more recently closed, stay.
    Returns how many members were erased.
    """
    cutoff = timezone.now() - datetime.timedelta(days=_round_up_days(months))
    recent = Q(invitations__round__closed_at__gt=cutoff) | ~Q(
        invitations__round__status=Round.Status.CLOSED
    )
    stale = (
        Member.objects.active()
        .filter(invitations__isnull=False)
        .exclude(pk__in=Member.objects.filter(recent).values("pk"))
        .distinct()
    )
    erased = 0
    for member in stale:
        member_erase(member=member)
        erased += 1
    return erased


def _round_up_days(months: int) -> int:
    # A month is taken as 31 days: data is never removed early.
    return months * 31


# The team: who may sign in to a partnership, as a coordinator or a reader of its reports.
# Each change locks the partnership's row first, so that two coordinators changing the team at
# once cannot, between them, leave it with no coordinator.


class TeamError(Exception):
    """A change the team's rules refuse; the message says why in plain words."""


class TeamInvitationNotSent(Exception):
    """The e-mail server refused the invitation: nothing was kept, as its link is gone."""


class TeamLinkNotWorking(Exception):
    """The invitation was accepted, cancelled, replaced or expired while its page was open."""


def _lock(partnership_id: int) -> None:
    # Always the partnership first, then any invitation: one order, so no deadlock.
    Partnership.objects.select_for_update().only("pk").get(pk=partnership_id)


@transaction.atomic
def team_invite(*, actor, partnership: Partnership, email: str, role: str) -> TeamInvitation:
    """Invite a colleague by e-mail to join as a co-coordinator or a reader of reports.

    An open invitation to the same address is replaced: its link stops working. The link is
    made here and goes only into the e-mail, which is sent before the transaction ends: if the
    server refuses it, TeamInvitationNotSent undoes everything, as nobody could use the link.
    """
    from .tasks import team_invitation_email_send

    _lock(partnership.pk)
    email = email.strip().lower()
    if partnership.team_has_account(email):
        raise TeamError(f"{email} is already on the team")
    now = timezone.now()
    earlier = partnership.team_invitations.open().filter(email__iexact=email)
    replaced = earlier.update(revoked_at=now)
    token, hashed = token_new()
    invitation = TeamInvitation.objects.create(
        partnership=partnership,
        email=email,
        role=role,
        token_hash=hashed,
        invited_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=TEAM_INVITATION_DAYS),
    )
    audit.record(actor, Kind.TEAM_INVITED, partnership, invitation, role=role, replaced=replaced)
    if not team_invitation_email_send(invitation=invitation, token=token):
        raise TeamInvitationNotSent(email)
    return invitation


@transaction.atomic
def team_invitation_revoke(*, actor, invitation: TeamInvitation) -> TeamInvitation:
    """Cancel an invitation that has not been accepted: its link stops working."""
    _lock(invitation.partnership_id)
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise TeamError(f"{invitation.email} has already accepted the invitation")
    if invitation.revoked_at:
        raise TeamError(f"The invitation to {invitation.email} had already been cancelled")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, Kind.TEAM_INVITATION_CANCELLED, invitation.partnership_id, invitation)
    return invitation


@transaction.atomic
def team_join(*, actor, invitation: TeamInvitation, name: str = "", password: str = ""):
    """Accept an invitation: as `actor`, signed in to the account it is for, or, when `actor` is
    not signed in, as a new account named by the invitation's address with `password` (which
    the caller has validated). Returns the account, on the team and the invitation used.

    An IntegrityError means that account was made a moment ago (the link opened twice): the
    caller asks the person to sign in.
    """
    _lock(invitation.partnership_id)
    invitation = (
        TeamInvitation.objects.select_for_update()
        .select_related("partnership")
        .filter(pk=invitation.pk)
        .pending()
        .first()
    )
    if invitation is None:
        raise TeamLinkNotWorking
    if getattr(actor, "is_authenticated", False):
        if not accounts_for_email(invitation.email).filter(pk=actor.pk).exists():
            raise TeamError(f"This invitation is for {invitation.email}, not for you")
        user = actor
    else:
        email = invitation.email
        user = get_user_model().objects.create_user(
            username=email, email=email, password=password, first_name=name
        )
    partnership = invitation.partnership
    # Someone is a coordinator or a reader, never both; joining never takes coordination away.
    if invitation.role == TeamInvitation.Role.COORDINATOR:
        partnership.readers.remove(user)
        partnership.coordinators.add(user)
    elif not partnership.coordinators.filter(pk=user.pk).exists():
        partnership.readers.add(user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(user, Kind.TEAM_JOINED, partnership, user, role=invitation.role)
    return user


@transaction.atomic
def team_remove(*, actor, partnership: Partnership, user) -> str:
    """Take someone off the team (the actor themselves, too); returns the role they had.

    The last coordinator cannot be removed: nobody would be left to run the partnership.
    """
    _lock(partnership.pk)
    role = partnership.team_role(user)
    if not role:
        raise TeamError("They are no longer on the team")
    if role == TeamInvitation.Role.COORDINATOR:
        if partnership.coordinators.count() == 1:
            raise TeamError(team_last_coordinator_refusal(actor, user))
        partnership.coordinators.remove(user)
    else:
        partnership.readers.remove(user)
    audit.record(actor, Kind.TEAM_REMOVED, partnership, user, role=role, themselves=actor == user)
    return role


def team_last_coordinator_refusal(actor, user) -> str:
    if actor == user:
        return (
            "You are the only coordinator, so you cannot leave the team. Invite a "
            "co-coordinator first"
        )
    return "They are the only coordinator: invite a co-coordinator before removing them"
