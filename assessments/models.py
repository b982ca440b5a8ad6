"""Partnerships, their members, assessment rounds with frozen questions, invitations, responses.

A round copies the wording of the principles and statements when it opens (RoundPrinciple and
Question), and answers point at those copies: rewording or deleting a principle later changes
nothing that a round asked or stored.
"""

import base64
import hashlib
import math
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from principles.models import SCORE_MAX, SCORE_MIN, Principle, Statement

MIN_GROUP_SIZE_FLOOR = 3
TOKEN_BYTES = 32  # 256 bits from `secrets`; only the SHA-256 of a token is stored.
# Tokens are 43 characters; anything much longer is not worth hashing.
TOKEN_MAX_LENGTH = 100


def token_new() -> tuple[str, str]:
    """A fresh URL-safe token and the hash that is stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    # The tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def token_hash_as_sent(token: str) -> str | None:
    """The hash to look a token from a URL up by; None for one that cannot be a token (empty, or
    too long to be worth hashing)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return token_hash(token)


def link_token(secret: str) -> str:
    """A respondent's link token, derived from their invitation's secret and the server's key.

    The database holds the secret and the token's hash, never the token: the link can be sent
    again (a reminder, a lost e-mail) without being kept, and without the server's key nobody
    who reads the database can make it.
    """
    digest = salted_hmac("assessments.invitation-link", secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class TokenQuerySet(models.QuerySet):
    """Rows found by a link's token (personal links and share links): the one check of a token
    as it arrives in a URL."""

    def for_token(self, token: str) -> "TokenQuerySet":
        hashed = token_hash_as_sent(token)
        return self.none() if hashed is None else self.filter(token_hash=hashed)


# About half a minute a statement, rounded up to five minutes: 29 statements take about 15.
SECONDS_PER_STATEMENT = 30


def minutes_to_answer(statements: int) -> int:
    """What the start page and the invitation e-mail say a round of this size takes."""
    return max(5, 5 * math.ceil(statements * SECONDS_PER_STATEMENT / 60 / 5))


class Sector(models.TextChoices):
    THIRD_SECTOR = "third_sector", "Third sector (voluntary and community)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    POLICE_FIRE_JUSTICE = "police_fire_justice", "Police, fire or justice"
    BUSINESS = "business", "Business"
    OTHER_PUBLIC = "other_public", "Other public body"
    OTHER = "other", "Other"


class PartnershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "PartnershipQuerySet":
        """The partnerships a signed-in person may run: their own, or all for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(coordinators=user)

    def for_team(self, user) -> "PartnershipQuerySet":
        """The partnerships a signed-in person is on the team of, as a coordinator or as a
        reader, each with `can_coordinate` saying which (all, coordinating, for a superuser).

        Annotated rather than looked up again, so a page learns both the partnership and the
        person's role from one query.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.annotate(can_coordinate=models.Value(True))
        coordinating = models.Exists(
            Partnership.coordinators.through.objects.filter(
                partnership=models.OuterRef("pk"), user=user
            )
        )
        reading = models.Exists(
            Partnership.readers.through.objects.filter(partnership=models.OuterRef("pk"), user=user)
        )
        return self.annotate(can_coordinate=coordinating).filter(coordinating | reading)


class Partnership(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True, max_length=80)
    area = models.CharField(max_length=150, help_text="The local authority area it covers.")
    # Named on every e-mail and respondent page, and the Reply-To of invitations.
    contact_name = models.CharField(
        max_length=150, blank=True, help_text="Who members contact with questions."
    )
    contact_email = models.EmailField(blank=True, help_text="Where their e-mails and replies go.")
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="partnerships", blank=True
    )
    # Read the reports of opened rounds and nothing else (the partnership's chair, say): see
    # access.py. Someone is a coordinator or a reader of a partnership, never both.
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reading_partnerships", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def team_role(self, user) -> str:
        """The person's role on the team (a TeamInvitation.Role), or "" if they are not on it."""
        if self.coordinators.filter(pk=user.pk).exists():
            return TeamInvitation.Role.COORDINATOR
        if self.readers.filter(pk=user.pk).exists():
            return TeamInvitation.Role.READER
        return ""

    def team_has_account(self, email: str) -> bool:
        """Whether an account that the address names is on the team already."""
        on_team = Q(partnerships=self) | Q(reading_partnerships=self)
        return accounts_for_email(email).filter(on_team).exists()


def accounts_for_email(email: str) -> models.QuerySet:
    """The accounts an invitation to this address is for: named by it, or with it as e-mail
    (a coordinator an admin added, say, under a username of their own)."""
    return get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))


def team_name(user) -> str:
    """How the team pages and invitations name someone: their name, else their address."""
    return user.get_full_name() or user.email or user.get_username()


TEAM_INVITATION_DAYS = 7


class TeamInvitationQuerySet(TokenQuerySet):
    def open(self) -> "TeamInvitationQuerySet":
        """Neither accepted nor cancelled (or replaced), expired or not: at most one a person."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self) -> "TeamInvitationQuerySet":
        """Open and not yet expired: the ones whose link still works."""
        return self.open().filter(expires_at__gt=timezone.now())


class TeamInvitation(models.Model):
    """A coordinator's invitation to a colleague to join the partnership's team, by e-mail.

    The link is single-use and expires after TEAM_INVITATION_DAYS; only its hash is kept, so
    the e-mail is the one place the link exists (services.team_invite sends it).
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Co-coordinator"
        READER = "reader", "Reads reports only"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="team_invitations"
    )
    # Lower-cased, and no longer than a username: it becomes the new account's username.
    email = models.EmailField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TeamInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            # Sending again replaces the earlier invitation: one open invitation per address.
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="assessments_teaminvitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["coordinator", "reader"]),
                name="assessments_teaminvitation_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to the team of {self.partnership}"

    @property
    def audit_repr(self) -> str:
        # The audit trail names it by number: the address is a person's.
        return f"Team invitation {self.pk}"

    @property
    def is_pending(self) -> bool:
        still_open = self.accepted_at is None and self.revoked_at is None
        return still_open and self.expires_at > timezone.now()


class MemberQuerySet(models.QuerySet):
    def active(self) -> "MemberQuerySet":
        return self.filter(erased_at__isnull=True)


class Member(models.Model):
    class Role(models.TextChoices):
        BOARD = "board", "Board member"
        THEME_GROUP = "theme_group", "Theme group member"
        FORUM = "forum", "Third sector forum representative"
        OFFICER = "officer", "Officer supporting the partnership"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=150, blank=True)
    sector = models.CharField(max_length=30, choices=Sector.choices)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD)
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # E-mail addresses are compared without case: Jo@x.org and jo@x.org are one person.
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                condition=Q(erased_at__isnull=True),
                name="assessments_member_unique_email",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="assessments_member_sector_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def answering_rounds(self) -> "RoundQuerySet":
        """Open rounds in which this member has started or submitted a response: their link
        opens their answers, so it must keep going to the address it went to."""
        return Round.objects.open().filter(responses__invitation__member=self)


class RoundQuerySet(models.QuerySet):
    def open(self) -> "RoundQuerySet":
        return self.filter(status=Round.Status.OPEN)

    def closed(self) -> "RoundQuerySet":
        return self.filter(status=Round.Status.CLOSED)


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=150)
    opens_on = models.DateField()
    closes_on = models.DateField()
    min_group_size = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR), MaxValueValidator(50)],
        help_text="Groups with fewer respondents than this are not shown separately.",
    )
    invite_all_members = models.BooleanField(
        default=True,
        help_text="Invite every current member of the partnership. Untick to choose members.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Recorded when the round opens, like its wording: [[1, "Strongly disagree"], ...] and
    # [{"name", "min_mean" (a string: "4.00"), "tone", "description"}, ...], highest first.
    frozen_scale = models.JSONField(default=list, blank=True, editable=False)
    frozen_bands = models.JSONField(default=list, blank=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="assessments_round_min_group_size_floor",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="assessments_round_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]),
                name="assessments_round_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def scale_labels(self) -> dict[int, str]:
        """The labels of the scale as the round froze them: {1: "Strongly disagree", ...}."""
        return {int(value): label for value, label in self.frozen_scale}

    @property
    def accepts_answers(self) -> bool:
        """Open, and its closing date (inclusive, UK time) has not passed."""
        return self.is_open and timezone.localdate() <= self.closes_on

    def closing_date_refusal(self) -> str:
        """Why the closing date cannot be changed now; empty while the round is open."""
        if self.is_closed:
            return "This round has closed: its closing date can no longer be changed."
        if self.is_draft:
            return "This round is a draft: change its dates with Change the round."
        return ""


class RoundPrinciple(models.Model):
    """A principle as worded when its round opened."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="principles")
    source = models.ForeignKey(
        Principle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=400)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"], name="assessments_roundprinciple_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Question(models.Model):
    """A statement as worded when its round opened; answers point here."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    principle = models.ForeignKey(
        RoundPrinciple, on_delete=models.CASCADE, related_name="questions"
    )
    source = models.ForeignKey(
        Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["principle__number", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "order"], name="assessments_question_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    class SendStatus(models.TextChoices):
        NOT_SENT = "not_sent", "Not sent"
        QUEUED = "queued", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invitations")
    # The link is derived from the secret (link_token); only its hash is kept, to look it up.
    link_secret = models.CharField(max_length=64, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    send_status = models.CharField(
        max_length=10, choices=SendStatus.choices, default=SendStatus.NOT_SENT
    )
    send_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the last reminder sent
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "member"], name="assessments_invitation_one_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.member} to {self.round}"

    @classmethod
    def with_link(cls, **fields) -> "Invitation":
        """A new, unsaved invitation with its link."""
        invitation = cls(**fields)
        invitation.new_link()
        return invitation

    def new_link(self) -> None:
        """Give the invitation a new secret, so a new link: the old one stops working.

        The caller saves the invitation (link_secret and token_hash).
        """
        self.link_secret = secrets.token_hex(32)
        self.token_hash = token_hash(link_token(self.link_secret))

    def link_current(self) -> bool:
        """Whether link() gives the link that works: it has a secret, and the key is the same."""
        if not self.link_secret:
            return False
        return token_hash(link_token(self.link_secret)) == self.token_hash

    def link(self) -> str:
        """The token of the invitation's personal link: the same every time it is sent."""
        if not self.link_secret:
            raise ValueError("This invitation has no link yet: call new_link() and save it.")
        return link_token(self.link_secret)

    @property
    def response_or_none(self) -> "Response | None":
        """The member's response to the round, if they have started one (no query when it was
        loaded with select_related)."""
        try:
            return self.response
        except Response.DoesNotExist:
            return None


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    sector = models.CharField(max_length=30, choices=Sector.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Counts the changes to a submitted response (its submission, then each amendment), so that
    # the report can tell which responses have changed since it last took them in.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="assessments_response_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="assessments_response_sector_valid"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One rating. A null score is "Don't know": never 0, left out of means, counted apart."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )

    class Meta:
        ordering = ["question__principle__number", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="assessments_answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="assessments_answer_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score if self.score is not None else 'Don’t know'}"


class Comment(models.Model):
    """A respondent's optional comment on one principle; reports show it without a name."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    principle = models.ForeignKey(RoundPrinciple, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["principle__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "principle"], name="assessments_comment_one_per_principle"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
