"""The page a reader gets while the task worker prepares a PDF, in a real Chromium at 375 px and
1280 px: no axe violation, no sideways scrolling, and the download starts on its own once the
PDF is ready; without JavaScript its button fetches it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks import default_task_backend

from reports.tasks import pdf_prepare
from tests.browser.conftest import assert_accessible
from tests.browser.test_every_page import OVERFLOW, sign_in
from tests.factories import make_report_round, publish


@pytest.fixture
def waiting(settings, partnership, principles):
    """A round whose PDF nobody has asked for, and a queue whose worker has not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.PDF_IN_BACKGROUND = True
    cache.clear()
    round = publish(make_report_round(partnership))
    return round, reverse("reports:round-report-pdf", args=[partnership.slug, round.pk])


def run_the_worker() -> None:
    for result in list(default_task_backend.results):
        pdf_prepare.call(**result.kwargs)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_download_starts_on_its_own_when_the_pdf_is_ready(
    page, live_server, coordinator, waiting, width
):
    round, url = waiting
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, coordinator)
    response = page.goto(url)
    assert response.status == 202
    assert page.locator("h1").inner_text() == "The PDF is being prepared"
    assert page.evaluate(OVERFLOW) <= 0
    assert_accessible(page)
    # The worker renders both PDFs first: allow for a busy machine.
    with page.expect_download(timeout=60_000) as download:
        run_the_worker()
    assert download.value.suggested_filename.endswith("interim-report.pdf")
    status = page.get_by_role("status")
    assert status.inner_text() == "The PDF is ready. It is downloading now."
    assert page.locator("h1").inner_text() == "The PDF is ready"
    assert page.title().startswith("The PDF is ready – ")


def test_without_javascript_the_button_fetches_it(
    page_without_js, live_server, coordinator, waiting
):
    page = page_without_js
    round, url = waiting
    sign_in(page, live_server, coordinator)
    assert page.goto(url).status == 202
    # Without the script nothing will start by itself, and the page says what to do.
    status = page.get_by_role("status").inner_text()
    assert status == "Select ‘Download the PDF’ again in a few seconds to get it."
    run_the_worker()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith("interim-report.pdf")
