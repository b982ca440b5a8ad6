"""Signal receivers of the assessments app, connected by AssessmentsConfig.ready()."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest


@receiver(user_logged_out)
def _say_signed_out(sender, request: HttpRequest | None, **kwargs) -> None:
    # Sign-out redirects to the home page (LOGOUT_REDIRECT_URL); this says why people are there.
    # fail_silently: the test client's logout() passes a bare request with no message store.
    if request is not None:
        messages.success(request, "You have signed out.", fail_silently=True)
