"""PDFs off the request path: with a task queue, a reader who asks for a PDF that is not ready
gets at once a page saying it is being prepared (and it is queued once), then the PDF itself
when the worker has made it; a new snapshot or the round's closing queues both of a round's
PDFs, so the first reader does not wait. With tasks run at once, the PDF comes in the request."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_tasks import default_task_backend

from assessments import services
from assessments.audit import Kind, LogEntry
from assessments.models import token_new
from reports import pdf
from reports.models import ShareLink
from reports.tasks import pdf_prepare
from tests.factories import make_report_round, publish

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # kept, never run


@pytest.fixture
def round(partnership, principles):
    cache.clear()
    return publish(make_report_round(partnership, bulk=True))


@pytest.fixture
def queued(settings):
    """A task queue whose worker has not run yet."""
    settings.TASKS = QUEUE
    settings.PDF_IN_BACKGROUND = True
    return default_task_backend


def pdf_url(round) -> str:
    return reverse("reports:round-report-pdf", args=[round.partnership.slug, round.pk])


def pdf_tasks(backend) -> list[dict]:
    return [r.kwargs for r in backend.results if r.task.func is pdf_prepare.func]


def downloads() -> int:
    return LogEntry.objects.filter(additional_data__kind=str(Kind.PDF_DOWNLOADED)).count()


def test_a_pdf_not_ready_is_a_page_saying_so_and_is_queued_once(
    round, queued, coordinator_client, monkeypatch
):
    rendered = []
    monkeypatch.setattr(pdf, "pdf_render", lambda *a, **k: rendered.append(1) or b"%PDF-")
    response = coordinator_client.get(pdf_url(round))
    assert response.status_code == 202 and response["Retry-After"] == "2"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">The PDF is being prepared</h1>' in html
    assert f'href="{pdf_url(round)}"' in html  # without JavaScript, the button asks again
    report = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    assert f'<a class="govuk-link" href="{report}">Return to the report</a>' in html
    assert 'src="/static/app/pdf-wait.js"' in html
    assert rendered == []  # nothing rendered in the request
    assert pdf_tasks(queued) == [{"round_id": round.pk, "with_benchmark": True}]
    # Asking again (the page's script asks with HEAD) queues nothing more.
    assert coordinator_client.head(pdf_url(round)).status_code == 202
    assert coordinator_client.get(pdf_url(round)).status_code == 202
    assert len(pdf_tasks(queued)) == 1
    assert downloads() == 0  # a page saying it is not ready is not a download


def test_once_the_worker_has_made_it_the_reader_gets_the_pdf(round, queued, coordinator_client):
    coordinator_client.get(pdf_url(round))
    (task,) = pdf_tasks(queued)
    assert pdf_prepare.call(**task) > 0  # what the worker runs
    response = coordinator_client.head(pdf_url(round))
    assert response.status_code == 200  # what the waiting page's script sees
    response = coordinator_client.get(pdf_url(round))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('interim-report.pdf"')
    assert downloads() == 1


def test_the_forums_pdf_through_a_share_link_waits_the_same_way(round, queued, client):
    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed)
    url = reverse("reports:shared-report-pdf", args=[token])
    waiting = client.get(url)
    assert waiting.status_code == 202
    back = reverse("reports:shared-report", args=[token])
    assert f'href="{back}">Return to the report</a>' in waiting.content.decode()
    (task,) = pdf_tasks(queued)
    assert task == {"round_id": round.pk, "with_benchmark": False}
    pdf_prepare.call(**task)
    assert client.get(url).content.startswith(b"%PDF")


def test_closing_a_round_queues_both_its_pdfs_after_the_commit(
    round, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(round=round)
    assert sorted(t["with_benchmark"] for t in pdf_tasks(queued)) == [False, True]
    assert {t["round_id"] for t in pdf_tasks(queued)} == {round.pk}


def test_with_tasks_run_at_once_the_pdf_comes_in_the_request(round, coordinator_client, settings):
    assert settings.PDF_IN_BACKGROUND is False  # development and tests, as configured
    response = coordinator_client.get(pdf_url(round))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_closed_rounds_pdfs_are_ready_before_anyone_asks(
    round, settings, coordinator_client, monkeypatch, django_capture_on_commit_callbacks
):
    # A worker that runs each task as it is queued: the immediate back end, with PDFs in the
    # background (as in production, less the wait).
    settings.PDF_IN_BACKGROUND = True
    with django_capture_on_commit_callbacks(execute=True):
        services.round_close(round=round)
    monkeypatch.setattr(pdf, "pdf_render", lambda *a, **k: pytest.fail("rendered in the request"))
    response = coordinator_client.get(pdf_url(round))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
