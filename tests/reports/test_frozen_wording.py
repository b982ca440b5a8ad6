"""Wording is frozen per round: a site admin's later rewording or deleting of a principle changes
rounds opened afterwards only. A round's report, and its respondents' pages, keep the words the
round asked, and its answers stay."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Round
from principles.models import Principle
from tests.factories import make_invitation, make_response, make_round

pytestmark = pytest.mark.django_db

ASKED_TITLE = "Accountability"
ASKED_TEXT = (
    "Third sector representatives report back to the wider sector after each partnership board "
    "meeting."
)
NEW_TITLE = "Answerability"
NEW_TEXT = "Representatives write to the forum within a week of every board."


@pytest.fixture
def closed_round(partnership, principles) -> Round:
    """Six responses (enough for figures), closed, with a comment on principle 1."""
    round = make_round(partnership, title="Spring 2026", invite_all_members=False)
    for _ in range(6):
        make_response(round, scores=4, comments={1: "Reports come back late."})
    return services.round_close(round=round)


@pytest.fixture
def admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def report(client, round: Round) -> str:
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = client.get(address).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def first_page(round: Round) -> str:
    """The first principle's page, as one of the round's respondents opens it."""
    invitation, token = make_invitation(round)
    services.response_start(invitation=invitation, sector=invitation.member.sector)
    return Client().get(reverse("respond:principle", args=[token, 1])).content.decode()


def heading(title: str) -> str:
    return f'<h1 class="govuk-heading-l">{title}</h1>'


def admin_reword_accountability(admin: Client) -> None:
    """Through the admin's change form, as a site admin does it: the principle's title and its
    first statement."""
    principle = Principle.objects.get(slug="accountability")
    statements = list(principle.statements.order_by("order"))
    data = {
        "number": principle.number,
        "slug": principle.slug,
        "title": NEW_TITLE,
        "summary": principle.summary,
        "guidance": principle.guidance,
        "statements-TOTAL_FORMS": len(statements),
        "statements-INITIAL_FORMS": len(statements),
        "statements-MIN_NUM_FORMS": 0,
        "statements-MAX_NUM_FORMS": 1000,
    }
    for i, statement in enumerate(statements):
        data |= {
            f"statements-{i}-id": statement.pk,
            f"statements-{i}-principle": principle.pk,
            f"statements-{i}-order": statement.order,
            f"statements-{i}-text": NEW_TEXT if i == 0 else statement.text,
            f"statements-{i}-hint": statement.hint,
            f"statements-{i}-is_active": "on",
        }
    address = reverse("admin:principles_principle_change", args=[principle.pk])
    assert admin.post(address, data).status_code == 302
    assert Principle.objects.get(pk=principle.pk).statements.get(order=1).text == NEW_TEXT


def test_after_rewording_a_report_shows_the_words_its_respondents_saw(
    coordinator_client, admin, closed_round
):
    assert ASKED_TEXT in report(coordinator_client, closed_round)
    admin_reword_accountability(admin)

    page = report(coordinator_client, closed_round)
    assert ASKED_TEXT in page
    assert f"1. {ASKED_TITLE}" in page
    assert NEW_TEXT not in page and NEW_TITLE not in page


def test_after_rewording_an_open_round_still_asks_its_words_and_a_new_round_the_new_ones(
    admin, partnership, principles
):
    opened_before = make_round(partnership, title="Opened before", invite_all_members=False)
    admin_reword_accountability(admin)
    opened_after = make_round(partnership, title="Opened after", invite_all_members=False)

    before, after = first_page(opened_before), first_page(opened_after)
    assert ASKED_TEXT in before and heading(ASKED_TITLE) in before
    assert NEW_TEXT not in before and NEW_TITLE not in before
    assert NEW_TEXT in after and heading(NEW_TITLE) in after
    assert ASKED_TEXT not in after and ASKED_TITLE not in after


def test_deleting_a_principle_in_the_admin_keeps_its_answers_and_the_report(
    coordinator_client, admin, closed_round
):
    answers = list(
        Answer.objects.filter(response__round=closed_round)
        .order_by("pk")
        .values_list("question__principle__number", "question__text", "score")
    )
    before = report(coordinator_client, closed_round)
    principle = Principle.objects.get(slug="accountability")

    address = reverse("admin:principles_principle_delete", args=[principle.pk])
    assert admin.post(address, {"post": "yes"}).status_code == 302
    assert not Principle.objects.filter(slug="accountability").exists()

    after = list(
        Answer.objects.filter(response__round=closed_round)
        .order_by("pk")
        .values_list("question__principle__number", "question__text", "score")
    )
    assert after == answers
    assert report(coordinator_client, closed_round) == before
    assert "Reports come back late." in before and ASKED_TEXT in before
