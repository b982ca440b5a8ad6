"""Signal receivers of the networks app, connected by NetworksConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

SESSION_KEY = "network_staff"  # read by templates/includes/_account_navigation.html


@receiver(user_logged_in)
def _remember_network_staff(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # The menu offers "Your networks" to their staff. Asked once at sign-in and kept in the
    # session, so that no page pays a query for it; /networks/ itself always checks afresh.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user.is_superuser or user.networks.exists()
