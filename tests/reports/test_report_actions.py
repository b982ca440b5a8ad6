"""The action plan: coordinators add, change and delete actions from the report page."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Round
from reports.models import Action
from tests.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(partnership, principles) -> Round:
    return make_round(partnership)


def url(name: str, round: Round, *extra) -> str:
    return reverse(f"reports:{name}", args=[round.partnership.slug, round.pk, *extra])


def form(round: Round, **changes) -> dict:
    data = {
        "principle": round.principles.get(number=6).pk,
        "description": "Agree a budget for representatives' expenses.",
        "owner": "LSP support team",
        "due_on_0": "31",
        "due_on_1": "7",
        "due_on_2": "2027",
        "status": Action.Status.PLANNED,
    }
    return data | changes


def test_adding_an_action_puts_it_in_the_plan(coordinator_client, round):
    response = coordinator_client.post(url("action-add", round), form(round))
    assert response.status_code == 302
    assert response["Location"].endswith("/report/#actions")
    action = round.actions.get()
    assert (action.principle.number, action.due_on) == (6, datetime.date(2027, 7, 31))
    page = coordinator_client.get(url("round-report", round)).content.decode()
    assert "Agree a budget for representatives&#x27; expenses." in page


def test_an_action_may_be_about_the_whole_partnership_with_no_date(coordinator_client, round):
    data = form(round, principle="", due_on_0="", due_on_1="", due_on_2="")
    coordinator_client.post(url("action-add", round), data)
    action = round.actions.get()
    assert (action.principle, action.due_on) == (None, None)


def test_a_missing_description_is_explained_and_nothing_else_is_lost(coordinator_client, round):
    response = coordinator_client.post(url("action-add", round), form(round, description=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add an action" in page
    assert "There is a problem" in page
    assert "Enter what will be done" in page
    assert 'value="LSP support team"' in page
    assert not round.actions.exists()


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("31", "2", "2027", "Due date must be a real date"),
        ("1", "1", "99999999999999999999", "Year must include 4 numbers"),
        ("1", "", "2027", "Due date must include a month"),
        ("x", "1", "2027", "Due date must be a real date"),
        ("1", "1", "27", "Year must include 4 numbers"),
        ("1", "1", "1800", "Due date must be in 2000 or later"),
        ("1", "1", "2999", "Due date must be within 10 years from today"),
        ("٣", "1", "2027", "Due date must be a real date"),  # an Arabic-Indic digit
    ],
)
def test_an_impossible_due_date_is_refused_with_a_message(
    coordinator_client, round, day, month, year, message
):
    data = form(round, due_on_0=day, due_on_1=month, due_on_2=year)
    response = coordinator_client.post(url("action-add", round), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not round.actions.exists()


def test_a_principle_of_another_round_is_refused(coordinator_client, round, partnership):
    other = make_round(partnership)
    data = form(round, principle=other.principles.get(number=1).pk)
    response = coordinator_client.post(url("action-add", round), data)
    assert response.status_code == 200
    assert not round.actions.exists()


def test_changing_an_action(coordinator_client, round):
    action = Action.objects.create(round=round, description="Old words.")
    data = form(round, description="New words.", status=Action.Status.DONE)
    coordinator_client.post(url("action-edit", round, action.pk), data)
    action.refresh_from_db()
    assert (action.description, action.status) == ("New words.", Action.Status.DONE)


def test_deleting_an_action_asks_first(coordinator_client, round):
    action = Action.objects.create(round=round, description="To go.")
    page = coordinator_client.get(url("action-delete", round, action.pk)).content.decode()
    assert "Delete this action?" in page
    assert round.actions.exists()
    coordinator_client.post(url("action-delete", round, action.pk))
    assert not round.actions.exists()


def test_an_action_of_another_round_is_404(coordinator_client, round, partnership):
    other = Action.objects.create(round=make_round(partnership), description="Elsewhere.")
    assert coordinator_client.get(url("action-edit", round, other.pk)).status_code == 404
    assert coordinator_client.post(url("action-delete", round, other.pk)).status_code == 404
    assert Action.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"description": "x" * 1001}, "Description must be 1,000 characters or fewer"),
        ({"owner": "x" * 151}, "Who leads it must be 150 characters or fewer"),
        ({"principle": "999999"}, "Select which principle it is about"),
        ({"status": "done-ish"}, "Select the action’s status"),
    ],
)
def test_too_long_or_tampered_answers_get_govuk_messages_not_djangos(
    coordinator_client, round, changes, message
):
    response = coordinator_client.post(url("action-add", round), form(round, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert [text for _, text in response.context["form"].error_links()] == [message]
    assert "Ensure this value" not in page and "Select a valid choice" not in page
    assert not round.actions.exists()
