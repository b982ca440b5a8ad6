"""Faults injected during a respondent's submit: what they see, and what is stored."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Comment, Response
from reports import disclosure
from reports.models import PublishedResponse
from tests.factories import make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_round):
    """A respondent who has answered every page but not yet submitted: (response, token)."""
    response = make_response(open_round, scores=3, comments={2: "Kept"}, submit=False)
    token = services.invitation_link(invitation=response.invitation)
    return response, token


@pytest.mark.parametrize(
    "fault",
    [OperationalError("database is locked"), InterfaceError("connection already closed")],
    ids=["locked", "unavailable"],
)
def test_a_database_fault_during_submit_shows_try_again_and_keeps_the_draft(client, draft, fault):
    response, token = draft
    answers = list(Answer.objects.filter(response=response).values_list("question", "score"))

    with mock.patch("assessments.services.Response.objects.select_for_update", side_effect=fault):
        page = client.post(reverse("respond:check", args=[token]))

    assert page.status_code == 503
    assert "try again" in page.content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
    assert (
        list(Answer.objects.filter(response=response).values_list("question", "score")) == answers
    )

    # Once the database is back, the same button submits.
    page = client.post(reverse("respond:check", args=[token]))
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


def test_a_database_fault_while_saving_a_page_keeps_the_earlier_answers(client, draft):
    response, token = draft
    before = list(Answer.objects.filter(response=response).values_list("question", "score"))
    principle = response.round.principles.get(number=1)
    data = {f"q{q.pk}": "5" for q in principle.questions.all()} | {"comment": "New"}

    with mock.patch(
        "assessments.services.Answer.objects.bulk_create",
        side_effect=OperationalError("database is locked"),
    ):
        page = client.post(reverse("respond:principle", args=[token, 1]), data)

    assert page.status_code == 503
    assert list(Answer.objects.filter(response=response).values_list("question", "score")) == before


def test_a_crash_part_way_through_saving_a_page_stores_none_of_it(client, draft):
    """Answers are written before the comment: a crash on the comment rolls the answers back."""
    response, token = draft
    principle = response.round.principles.get(number=2)
    data = {f"q{q.pk}": "1" for q in principle.questions.all()} | {"comment": "Changed"}
    client.raise_request_exception = False

    with mock.patch(
        "assessments.services.Comment.objects.bulk_create", side_effect=RuntimeError("crash")
    ):
        page = client.post(reverse("respond:principle", args=[token, 2]), data)

    assert page.status_code == 500
    scores = Answer.objects.filter(response=response, question__principle=principle)
    assert set(scores.values_list("score", flat=True)) == {3}
    assert Comment.objects.get(response=response, principle=principle).text == "Kept"


def report_page(round, coordinator) -> str:
    client = Client()
    client.force_login(coordinator)
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    return client.get(address).content.decode()


def test_a_crash_part_way_through_submitting_stores_none_of_it(client, coordinator, draft):
    """The fifth submission publishes the round's first figures: a crash once they are written
    (after the response was marked submitted) undoes the submission and the figures with it."""
    response, token = draft
    for _ in range(4):
        make_response(response.round, scores=5)
    client.raise_request_exception = False
    take = disclosure.snapshot_take

    def take_then_crash(round):
        take(round)
        raise RuntimeError("crash after the snapshot was written")

    with mock.patch("reports.disclosure.snapshot_take", side_effect=take_then_crash) as taken:
        page = client.post(reverse("respond:check", args=[token]))

    assert taken.called  # the crash came after the response was marked submitted
    assert page.status_code == 500
    assert "Sorry, there is a problem with the service" in page.content.decode()
    response.refresh_from_db()
    assert (response.status, response.submitted_at) == (Response.Status.DRAFT, None)
    assert not PublishedResponse.objects.filter(round=response.round).exists()
    waiting = "Figures appear once at least 5 people have responded."
    assert waiting in report_page(response.round, coordinator)

    # The respondent presses the button again: it submits, and the figures appear.
    page = client.post(reverse("respond:check", args=[token]))
    assert page.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert PublishedResponse.objects.filter(round=response.round).count() == 5
    assert waiting not in report_page(response.round, coordinator)
