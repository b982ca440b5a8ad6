"""Writes of the reports app. Each runs in one transaction: it happens whole or not at all."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessments import audit
from assessments.audit import Kind
from assessments.models import Round, RoundPrinciple, token_new

from .models import Action, PrincipleReview, ShareLink


@dataclass(frozen=True)
class StatusChange:
    status: str  # in words
    on: datetime.datetime
    by: str  # the person's name or username; "" when not known (a change made outside the site)


def action_history(action: Action) -> list[StatusChange]:
    """When the action's status was set and changed, and by whom, oldest first: read from its
    history (simple_history keeps every save, with the signed-in user who made it)."""
    changes: list[StatusChange] = []
    previous = None
    labels = dict(Action.Status.choices)
    for record in action.history.select_related("history_user").order_by("history_date", "pk"):
        if record.history_type == "-" or record.status == previous:
            continue
        user = record.history_user
        by = (user.get_full_name() or user.get_username()) if user else ""
        changes.append(
            StatusChange(labels.get(record.status, record.status), record.history_date, by)
        )
        previous = record.status
    return changes


@transaction.atomic
def share_link_create(
    *, round: Round, label: str, expires_at: datetime.datetime | None, created_by: AbstractBaseUser
) -> str:
    """A new share link to the round's report. Returns its token, which is shown once: only its
    hash is kept."""
    token, hashed = token_new()
    link = ShareLink.objects.create(
        round=round, token_hash=hashed, label=label, created_by=created_by, expires_at=expires_at
    )
    # Named "Share link 3" in the trail: its label may name a person, and its token is secret.
    expires = expires_at is not None
    partnership_id = round.partnership_id
    audit.record(
        created_by,
        Kind.SHARE_LINK_CREATED,
        partnership_id,
        link,
        expires=expires,
        round_title=round.title,
    )
    return token


@transaction.atomic
def share_link_revoke(*, link: ShareLink, actor=None) -> ShareLink:
    """Stop the link working at once; revoking it twice keeps the first time."""
    link = ShareLink.objects.select_for_update().select_related("round").get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        partnership_id = link.round.partnership_id
        audit.record(
            actor,
            Kind.SHARE_LINK_REVOKED,
            partnership_id,
            link,
            round=link.round_id,
            round_title=link.round.title,
        )
    return link


@transaction.atomic
def review_save(
    *,
    round: Round,
    principle: RoundPrinciple,
    agreed_score: int | None,
    learned: str,
    updated_by: AbstractBaseUser,
) -> bool:
    """Record what the meeting made of a principle (one review per round and principle), and
    say whether anything changed: saving the same again, or nothing where there is nothing yet,
    writes nothing (and so adds no history). The round's row is locked first, so that two
    coordinators saving the first review of a principle at once take turns (PostgreSQL)."""
    list(Round.objects.select_for_update().filter(pk=round.pk).values_list("pk"))
    review = (
        PrincipleReview.objects.select_for_update().filter(round=round, principle=principle).first()
    )
    if review is None:
        if agreed_score is None and not learned:
            return False
        review = PrincipleReview(round=round, principle=principle)
    elif review.agreed_score == agreed_score and review.learned == learned:
        return False
    changed = [
        field
        for field, value in (("agreed_score", agreed_score), ("learned", learned))
        if getattr(review, field) != value
    ]
    review.agreed_score, review.learned, review.updated_by = agreed_score, learned, updated_by
    review.save()
    audit.record(
        updated_by,
        Kind.REVIEW_SAVED,
        round.partnership_id,
        round,
        principle=principle.number,
        fields=changed,
    )
    return True


@transaction.atomic
def action_create(
    *,
    round: Round,
    principle: RoundPrinciple | None,
    description: str,
    owner: str = "",
    due_on: datetime.date | None = None,
    status: str = Action.Status.PLANNED,
    actor=None,
) -> tuple[Action, bool]:
    """A new action in the round's plan (planned, unless said otherwise), and True; or the same
    action already there, and False: a form sent twice (a double click, a resubmit) adds it
    once. The round's row is locked first, so two such posts take turns."""
    list(Round.objects.select_for_update().filter(pk=round.pk).values_list("pk"))
    same = Action.objects.filter(round=round, principle=principle, description=description).first()
    if same is not None:
        return same, False
    action = Action.objects.create(
        round=round,
        principle=principle,
        description=description,
        owner=owner,
        due_on=due_on,
        status=status,
    )
    audit.record(actor, Kind.ACTION_ADDED, round.partnership_id, action, round=round.pk)
    return action, True
