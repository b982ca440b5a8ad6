"""Writes of the reports app. Each runs in one transaction: it happens whole or not at all."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessments.models import Round, token_new

from .models import ShareLink


@transaction.atomic
def share_link_create(
    *, round: Round, label: str, expires_at: datetime.datetime | None, created_by: AbstractBaseUser
) -> str:
    """A new share link to the round's report. Returns its token, which is shown once: only its
    hash is kept."""
    token, hashed = token_new()
    ShareLink.objects.create(
        round=round, token_hash=hashed, label=label, created_by=created_by, expires_at=expires_at
    )
    return token


@transaction.atomic
def share_link_revoke(*, link: ShareLink) -> ShareLink:
    """Stop the link working at once; revoking it twice keeps the first time."""
    link = ShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
