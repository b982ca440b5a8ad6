"""URLs for the load test's gunicorn only (perf.settings): the site's own, plus a bare view
rendering a trivial template, the ceiling a Django page can reach here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lsp_framework.urls import urlpatterns as site_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return render(request, "perf/bare.html", {"greeting": "Hello"})


urlpatterns = [path("_bare/", bare), *site_urlpatterns]
