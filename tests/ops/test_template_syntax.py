"""Every page of the service through the test client, as the person who reaches it: no page
shows template syntax (a multi-line `{# #}` is not a Django comment, and printed itself on five
confirmation pages), and every URL is either such a page or skipped for a reason that holds."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.every_page import DOWNLOAD, POST_ONLY, SKIP, VISITS, build_service, coverage_problems

TEMPLATE_SYNTAX = ["{#", "#}", "{%", "%}"]


@pytest.fixture
def service(db):
    return build_service()


@pytest.fixture
def clients(service) -> dict[str, Client]:
    coordinator, reader, admin = Client(), Client(), Client()
    coordinator.force_login(service.coordinator)
    reader.force_login(service.reader)
    admin.force_login(service.admin)
    network_staff = Client()
    network_staff.force_login(service.network_staff)
    return {
        "anonymous": Client(),
        "coordinator": coordinator,
        "reader": reader,
        "admin": admin,
        "network_staff": network_staff,
    }


def test_every_url_of_the_service_is_visited_or_skipped_with_a_reason(db):
    assert coverage_problems() == []


def test_no_page_shows_template_syntax(service, clients):
    problems = []
    for visit in VISITS:
        client = clients[visit.persona]
        url = visit.url(service)
        if visit.submit:
            response = client.post(url, {}, follow=True)
        else:
            response = client.get(url, follow=True)
        if response.status_code != visit.status:
            problems.append(f"{visit}: {url} answered {response.status_code}")
            continue
        text = response.content.decode()
        assert "<h1" in text, f"{visit}: {url} has no h1"
        problems += [f"{visit}: {url} shows {mark!r}" for mark in TEMPLATE_SYNTAX if mark in text]
    assert problems == []


def test_what_is_skipped_is_a_download_or_an_action(service, clients):
    for name, (reason, kwargs) in SKIP.items():
        persona = "anonymous" if name.startswith("reports:shared-") else "coordinator"
        response = clients[persona].get(reverse(name, kwargs=kwargs(service)))
        if reason == DOWNLOAD:
            assert response.status_code == 200, name
            assert not response["Content-Type"].startswith("text/html"), name
        else:
            assert reason == POST_ONLY
            assert response.status_code == 405, name
