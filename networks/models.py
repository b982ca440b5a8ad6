"""Networks of partnerships: a county or national infrastructure body whose staff see the
partnerships that chose to join it, and the results those partnerships chose to share.

Both steps are the partnership's, by its coordinator (services.py): a network cannot add a
partnership, and sees no round's results until the partnership shares that round. A share
belongs to the membership it was made under, so ending a membership ends its shares with it
(in the database, not only in the service).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models import Partnership, Round


class NetworkQuerySet(models.QuerySet):
    def for_user(self, user) -> "NetworkQuerySet":
        """The networks a signed-in person works for: their own, or all for a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(staff=user)


class Network(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True, max_length=80)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="networks",
        blank=True,
        help_text="Who may see the network's partnerships and the results they share.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A partnership in a network, by its coordinator's consent: at most one network each."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="network_membership"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["partnership__name"]

    def __str__(self) -> str:
        return f"{self.partnership} in {self.network}"


class SharedRound(models.Model):
    """A closed round whose report the coordinator has shared with their partnership's network:
    its staff may read the report, and the round counts towards the network's benchmark."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="network_share")
    # The membership it was shared under: leaving the network (deleting the membership) ends it.
    membership = models.ForeignKey(
        NetworkMembership, on_delete=models.CASCADE, related_name="shared_rounds"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at"]

    def __str__(self) -> str:
        return f"{self.round} shared with {self.membership.network}"
