"""The audit trail: who did what, when, to which object of a partnership.

Stored in django-auditlog's LogEntry, a maintained package with an admin and the who/what/when
fields we need, but written only explicitly, one entry per thing a person did, through `record`:

- Not auditlog's automatic model registration: its diffs would copy members' names and e-mail
  addresses into the trail, and an erasure must leave none behind. So an entry names a member
  only by number ("Member 12"), and its details are counts and field names, never the values of
  personal data, never answers or comments, tokens or passwords.
- Not its middleware either: that stores the IP address of every request.

Each entry carries its kind and its partnership's pk in `additional_data`, which is how a
partnership's trail is found (`entries_for`). The service offers no way to change or delete an
entry; the admin shows them read-only (see admin.py).
"""

import datetime
from collections.abc import Mapping

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Model
from django.utils import timezone

from .models import Member, Partnership, Round

__all__ = ["Kind", "LogEntry", "describe", "entries_for", "record", "record_read"]


class Kind(models.TextChoices):
    ROUND_CREATED = "round.created", "Round created"
    ROUND_CHANGED = "round.changed", "Round changed"
    ROUND_OPENED = "round.opened", "Round opened"
    ROUND_CLOSED = "round.closed", "Round closed"
    ROUND_EXTENDED = "round.extended", "Closing date changed"
    ROUND_COPIED = "round.copied", "Round copied"
    ROUND_DELETED = "round.deleted", "Round deleted"
    INVITATIONS_SENT = "invitations.sent", "Invitations sent"
    REMINDERS_SENT = "reminders.sent", "Reminders sent"
    LINK_SENT = "link.sent", "Personal link sent"
    MEMBER_ADDED = "member.added", "Member added"
    MEMBER_CHANGED = "member.changed", "Member changed"
    MEMBERS_IMPORTED = "members.imported", "Members imported"
    MEMBER_ERASED = "member.erased", "Member erased"
    MEMBER_DELETED = "member.deleted", "Member deleted"
    PARTNERSHIP_CREATED = "partnership.created", "Partnership created"
    PARTNERSHIP_CHANGED = "partnership.changed", "Partnership changed"
    CONTACT_CHANGED = "contact.changed", "Contact details changed"
    REPORT_VIEWED = "report.viewed", "Report viewed"
    PDF_DOWNLOADED = "pdf.downloaded", "PDF downloaded"
    CSV_DOWNLOADED = "csv.downloaded", "CSV downloaded"
    SHARE_LINK_CREATED = "share_link.created", "Share link created"
    SHARE_LINK_REVOKED = "share_link.revoked", "Share link revoked"
    ACTION_ADDED = "action.added", "Action added"
    ACTION_CHANGED = "action.changed", "Action changed"
    ACTION_DELETED = "action.deleted", "Action deleted"
    REVIEW_SAVED = "review.saved", "Principle review saved"
    TEAM_INVITED = "team.invited", "Colleague invited to the team"
    TEAM_INVITATION_CANCELLED = "team.invitation_cancelled", "Team invitation cancelled"
    TEAM_JOINED = "team.joined", "Joined the team"
    TEAM_REMOVED = "team.removed", "Removed from the team"
    NETWORK_JOINED = "network.joined", "Joined a network"
    NETWORK_LEFT = "network.left", "Left a network"
    ROUND_SHARED = "round.shared", "Round shared with the network"
    ROUND_UNSHARED = "round.unshared", "Round no longer shared with the network"


# auditlog's own action, so its admin filter means something; UPDATE unless said here.
_ACTIONS = {
    Kind.ROUND_CREATED: LogEntry.Action.CREATE,
    Kind.ROUND_COPIED: LogEntry.Action.CREATE,
    Kind.PARTNERSHIP_CREATED: LogEntry.Action.CREATE,
    Kind.MEMBER_ADDED: LogEntry.Action.CREATE,
    Kind.SHARE_LINK_CREATED: LogEntry.Action.CREATE,
    Kind.ACTION_ADDED: LogEntry.Action.CREATE,
    Kind.TEAM_INVITED: LogEntry.Action.CREATE,
    Kind.MEMBER_ERASED: LogEntry.Action.DELETE,
    Kind.MEMBER_DELETED: LogEntry.Action.DELETE,
    Kind.ROUND_DELETED: LogEntry.Action.DELETE,
    Kind.ACTION_DELETED: LogEntry.Action.DELETE,
    Kind.SHARE_LINK_REVOKED: LogEntry.Action.DELETE,
    Kind.TEAM_INVITATION_CANCELLED: LogEntry.Action.DELETE,
    Kind.TEAM_REMOVED: LogEntry.Action.DELETE,
    Kind.REPORT_VIEWED: LogEntry.Action.ACCESS,
    Kind.PDF_DOWNLOADED: LogEntry.Action.ACCESS,
    Kind.CSV_DOWNLOADED: LogEntry.Action.ACCESS,
}

_SCALARS = (int, float, bool, str, type(None))


def record(
    actor, kind: Kind, partnership: Partnership | int, target: Model | None = None, **details
) -> LogEntry:
    """Write one entry of the partnership's trail, after the change it records has succeeded
    (call it inside the service's transaction, so both are kept or neither).

    `actor` is the signed-in user (None or an anonymous user for the system); `partnership`
    the partnership or its pk (a service holding only `round.partnership_id` saves a query);
    `target` the object acted on (the partnership itself if None). `details` are counts,
    flags, dates and field names: never what a person typed, so an erasure has nothing to
    remove from here.
    """
    if target is None:
        if not isinstance(partnership, Partnership):
            raise TypeError("Give the partnership itself when it is the object acted on")
        target = partnership
    partnership_pk = partnership.pk if isinstance(partnership, Partnership) else int(partnership)
    user = actor if getattr(actor, "is_authenticated", False) else None
    data = {"kind": str(Kind(kind)), "partnership": partnership_pk}
    if user is not None:
        # Kept so a trail still says "a removed user" rather than "System" once they are gone.
        data["actor"] = user.pk
    for key, value in details.items():
        data[key] = _plain(key, value)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        object_id=target.pk if isinstance(target.pk, int) else None,
        object_repr=safe_repr(target),
        action=_ACTIONS.get(kind, LogEntry.Action.UPDATE),
        actor=user,
        additional_data=data,
    )


# A report page seen again by the same person within this time (a reload, or back from its own
# action forms) is the same visit: one entry.
VISIT = datetime.timedelta(minutes=30)


def record_read(request, kind: Kind, partnership: Partnership | int, round: Round, **details):
    """A report viewed, or a PDF or CSV downloaded, by a signed-in person: one entry. Nothing
    for a HEAD request (no page or file was sent), nor for the same person's report page again
    within VISIT (one more query, to look)."""
    if request.method == "HEAD":
        return None
    if kind == Kind.REPORT_VIEWED:
        seen = LogEntry.objects.filter(
            actor_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(Round),
            object_pk=str(round.pk),
            additional_data__kind=str(Kind.REPORT_VIEWED),
            timestamp__gte=timezone.now() - VISIT,
        )
        if seen.exists():
            return None
    return record(request.user, kind, partnership, round, **details)


def safe_repr(target: Model) -> str:
    """How the trail names an object: a round by its title, a partnership by its name, anything
    else, members above all, by kind and number ("Member 12", "Action 5")."""
    if isinstance(target, Round):
        return target.title
    if isinstance(target, Partnership):
        return target.name
    label = getattr(target, "audit_repr", None)
    if isinstance(label, str) and not isinstance(target, Member):
        return label
    return f"{target._meta.verbose_name.capitalize()} {target.pk}"


def _plain(key: str, value):
    """JSON-safe scalars and lists of them only: a model instance or a dict in the details
    would be one step from copying someone's name into the trail."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else list(value)
        if all(isinstance(item, _SCALARS) for item in items):
            return items
    elif isinstance(value, _SCALARS):
        return value
    raise TypeError(f"Audit detail {key!r} must be a number, flag, date, word or list of them")


def entries_for(partnership: Partnership) -> models.QuerySet:
    """The partnership's trail, newest first, with who did each thing."""
    return (
        LogEntry.objects.filter(additional_data__partnership=partnership.pk)
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )


# Reading the trail


def kind_label(entry: LogEntry) -> str:
    value = (entry.additional_data or {}).get("kind", "")
    try:
        return Kind(value).label
    except ValueError:
        return value


def actor_name(entry: LogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    if (entry.additional_data or {}).get("actor"):
        return "A user who has since been removed"
    return "System"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# Field names as the forms call them, where the name itself would puzzle.
_FIELD_NAMES = {
    "email": "e-mail address",
    "opens_on": "opening date",
    "closes_on": "closing date",
    "min_group_size": "minimum group size",
    "invite_all_members": "who is invited",
    "contact_email": "contact e-mail address",
    "due_on": "due date",
    "agreed_score": "agreed rating",
    "learned": "what the partnership learned",
    "principle": "principle",
}
_ROLES = {"coordinator": "As a co-coordinator", "reader": "As a reader of the reports"}
_FILES = {
    "answers": "Anonymised answers",
    "summary": "Summary figures",
    "not_responded": "Who has not responded",
}


def _fields(value) -> str:
    names = [_FIELD_NAMES.get(str(name), str(name).replace("_", " ")) for name in value]
    return ", ".join(names)


def _date(value) -> str:
    try:
        return datetime.date.fromisoformat(value).strftime("%-d %B %Y")
    except (TypeError, ValueError):
        return str(value)


def _in_round(data: Mapping, text: str) -> str:
    """The sentence with the round it was about, where the entry kept its title."""
    title = data.get("round_title")
    if not isinstance(title, str) or not title:
        return text
    return f"{text} ({title})" if text else title


def describe(entry: LogEntry) -> str:
    """A short sentence from the entry's details ("Invitations sent to 12 members"), saying so
    when it was done in the site admin."""
    data: Mapping = entry.additional_data or {}
    text = _describe(data)
    if data.get("in_admin"):
        return f"{text}. In the site admin" if text else "In the site admin"
    return text


def _describe(data: Mapping) -> str:
    kind = data.get("kind")
    count = data.get("count")
    if kind == Kind.INVITATIONS_SENT and isinstance(count, int):
        return f"Invitations sent to {_plural(count, 'member')}"
    if kind == Kind.REMINDERS_SENT and isinstance(count, int):
        return f"Reminders sent to {_plural(count, 'member')}"
    if kind == Kind.LINK_SENT:
        text = "A new link, and the old one stopped working" if data.get("new_link") else ""
        return _in_round(data, text)
    if kind == Kind.MEMBERS_IMPORTED:
        text = f"{data.get('added', 0)} added, {data.get('updated', 0)} updated"
        invited = data.get("invited")
        return f"{text}, {invited} put on the invitation list" if invited else text
    if data.get("invited") or data.get("invitees_added"):  # opened, or invitees chosen
        count = data.get("invited") or data.get("invitees_added")
        return f"{_plural(count, 'member')} added to the invitation list"
    if kind == Kind.ROUND_EXTENDED and data.get("closes_on"):
        was = f" (was {_date(data['was'])})" if data.get("was") else ""
        return f"Closes on {_date(data['closes_on'])}{was}"
    if kind == Kind.ROUND_COPIED and data.get("copied_from"):
        return f"Copied from {data['copied_from']}"
    if kind == Kind.SHARE_LINK_CREATED and "expires" in data:
        return _in_round(data, "With an expiry date" if data["expires"] else "With no expiry date")
    if kind == Kind.SHARE_LINK_REVOKED:
        return _in_round(data, "")
    if kind == Kind.REPORT_VIEWED and data.get("network_name"):
        return f"By the staff of {data['network_name']}"
    if data.get("file") in _FILES:
        return _FILES[data["file"]]
    if data.get("role") in _ROLES:  # the team's changes
        text = _ROLES[data["role"]]
        if data.get("replaced"):
            text += ", in place of an earlier invitation"
        return text + (", at their own request" if data.get("themselves") else "")
    if kind in (Kind.NETWORK_JOINED, Kind.NETWORK_LEFT) and data.get("network_name"):
        text = data["network_name"]
        if kind == Kind.NETWORK_LEFT and data.get("shares_removed"):
            text += f": {_plural(data['shares_removed'], 'shared round')} no longer shared"
        return text
    if kind == Kind.NETWORK_LEFT and data.get("shares_removed"):
        return f"{_plural(data['shares_removed'], 'shared round')} no longer shared"
    changed = f"Changed: {_fields(data['fields'])}" if data.get("fields") else ""
    if kind == Kind.REVIEW_SAVED and data.get("principle"):
        return f"Principle {data['principle']}" + (f". {changed}" if changed else "")
    return changed or _other_details(data)


def _other_details(data: Mapping) -> str:
    # Whatever else a caller recorded, plainly: it is only ever counts, flags and names of fields.
    # The numbers of related objects (a round, a network) are kept for reference, not shown.
    parts = []
    for key, value in data.items():
        if key in _NOT_SHOWN or value in (None, "", [], False):
            continue
        shown = _fields(value) if isinstance(value, list) else "yes" if value is True else value
        parts.append(f"{key.replace('_', ' ').capitalize()}: {shown}")
    return "; ".join(parts)


_NOT_SHOWN = {
    "kind",
    "partnership",
    "actor",
    "round",
    "network",
    "round_title",
    "network_name",
    "in_admin",
}
