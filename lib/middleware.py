"""Request logging without personal data, and a clear page when the database is unavailable."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .logs import redact_path

logger = logging.getLogger("lsp.requests")


class RequestLogMiddleware:
    """One log line per request (JSON, by logs.JsonFormatter): method, path (tokens
    redacted), view, status, duration and whether someone was signed in.

    No query strings, no user names, no IP addresses, no form data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        path = redact_path(request.path)
        fields = {
            "method": request.method,
            "path": path,
            "view": match.view_name if match else None,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "signed_in": bool(getattr(request, "user", None) and request.user.is_authenticated),
        }
        logger.info(
            "%s %s %s", request.method, path, response.status_code, extra={"fields": fields}
        )
        return response


class DatabaseUnavailableMiddleware:
    """A locked or unreachable database gives a "try again" page (503), not a 500.

    Every write runs in a transaction, so whatever the request was doing is rolled back whole;
    what the person saved before is still there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        fields = {
            "event": "database_unavailable",
            "path": redact_path(request.path),
            "error": type(exception).__name__,
        }
        logger.warning("The database is unavailable", extra={"fields": fields})
        # The page below touches no database; Django closes a broken connection when the
        # request ends (close_old_connections), so the next request gets a fresh one.
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "10"
        return response


# Pages about people or their answers: a coordinator's pages, a report and its downloads, share
# links, respondents' pages and invitations to a team. `/r/`, `/shared/` and `/team/` pages need
# no sign-in, so they are named.
PRIVATE_PATHS = ("/r/", "/shared/", "/team/", "/partnerships/", "/admin/", "/accounts/")


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every page a browser or proxy must not keep: a
    shared office computer's browser would otherwise keep a report, a download or a member list
    for the next person to find in its history or cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) and request.user.is_authenticated
        if signed_in or request.path.startswith(PRIVATE_PATHS):
            patch_cache_control(response, private=True, no_store=True)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for sign-in lockouts (django-axes).

    With TRUSTED_PROXIES = n, each of our n proxies appended the address it was reached from to
    X-Forwarded-For, so the n-th entry from the right is the client as our outermost proxy saw
    it; anything to its left was sent by the client and is not trusted.
    """
    trusted = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if trusted and len(forwarded) >= trusted:
        return forwarded[-trusted][:45]
    return request.META.get("REMOTE_ADDR")
