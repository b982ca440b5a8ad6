"""The network's page and a report with its benchmark, in a real Chromium at 375 px (a common
phone) and 1280 px: axe finds no WCAG 2.2 AA violation and the page never scrolls sideways.
(tests/every_page.py visits them at 320 and 1280 px with every other page.)"""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible
from tests.browser.test_every_page import OVERFLOW, WIDEST, sign_in
from tests.every_page import build_service


@pytest.fixture
def service(transactional_db):
    return build_service()


def check(page, url: str) -> str:
    response = page.goto(url)
    assert response.status == 200, url
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0, f"{url} is {overflow} px too wide: {page.evaluate(WIDEST)}"
    assert_accessible(page)
    return page.locator("main").inner_text()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_network_page_and_the_report_s_benchmark(page, live_server, service, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, service.network_staff)
    text = check(page, reverse("networks:network-detail", args=[service.network.slug]))
    assert "Benchmark across the network" in text
    assert "The results of 7 partnerships in Northshire" in text
    text = check(
        page,
        reverse("networks:network-round", args=[service.network.slug, service.report_round.pk]),
    )
    assert "has shared this report with Northshire" in text

    sign_in(page, live_server, service.coordinator)
    report = reverse("reports:round-report", args=["riverside", service.report_round.pk])
    text = check(page, report)
    assert "Benchmark against other partnerships" in text
    assert "How this round compares with 6 other partnerships" in text
    assert "Eastfield" not in text  # peers are never named
    check(page, reverse("networks:partnership-network", args=["lakeside"]))
