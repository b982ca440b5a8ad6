"""Adding, changing, opening and closing rounds, and choosing who to invite."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Round
from tests.factories import make_member, make_partnership, make_round

pytestmark = pytest.mark.django_db


# Next year, so that the closing date is never in the past.
YEAR = timezone.localdate().year + 1


def dates(prefix: str, day="1", month="10", year=str(YEAR)) -> dict:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def round_data(**changes) -> dict:
    data = {
        "title": "Autumn 2026",
        **dates("opens_on", "1", "10", str(YEAR)),
        **dates("closes_on", "31", "10", str(YEAR)),
        "min_group_size": "5",
        "invite_all_members": "on",
    }
    return {**data, **changes}


def url(name, partnership, *args):
    return reverse(f"assessments:{name}", args=[partnership.slug, *args])


def errors(response) -> list[str]:
    return [message for _, message in response.context["form"].error_links()]


def test_adding_a_round_makes_a_draft_and_shows_its_page(coordinator_client, partnership):
    response = coordinator_client.post(url("round-add", partnership), round_data())
    round = Round.objects.get(partnership=partnership)
    assert response.url == url("round-detail", partnership, round.pk)
    assert round.is_draft and round.invite_all_members
    assert (round.opens_on, round.closes_on) == (
        datetime.date(YEAR, 10, 1),
        datetime.date(YEAR, 10, 31),
    )


def test_the_add_form_starts_with_a_group_size_of_five_and_invite_all_ticked(
    coordinator_client, partnership
):
    html = coordinator_client.get(url("round-add", partnership)).content.decode()
    assert 'name="min_group_size" value="5"' in html
    assert 'name="invite_all_members"' in html and "checked" in html
    assert 'inputmode="numeric"' in html


def test_invite_all_can_be_unticked(coordinator_client, partnership):
    data = round_data()
    del data["invite_all_members"]
    coordinator_client.post(url("round-add", partnership), data)
    assert not Round.objects.get(partnership=partnership).invite_all_members


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": ""}, ["Enter a title for the round"]),
        (dates("opens_on", "", "", ""), ["Enter the opening date"]),
        (dates("opens_on", "1", "", ""), ["Opening date must include a month and year"]),
        (dates("opens_on", "", "10", str(YEAR)), ["Opening date must include a day"]),
        (dates("opens_on", "31", "2", str(YEAR)), ["Opening date must be a real date"]),
        (dates("opens_on", "1", "ten", str(YEAR)), ["Opening date must be a real date"]),
        (dates("opens_on", "1", "10", "27"), ["Year must include 4 numbers"]),
        (
            dates("closes_on", "30", "9", str(YEAR)),
            ["Closing date must be the same as or after the opening date"],
        ),
        ({"min_group_size": "2"}, ["Minimum group size must be 3 or more"]),
        ({"min_group_size": "51"}, ["Minimum group size must be 50 or fewer"]),
        ({"min_group_size": "five"}, ["Minimum group size must be a whole number, like 5"]),
        ({"min_group_size": ""}, ["Enter the minimum group size"]),
    ],
)
def test_bad_answers_get_govuk_error_messages(coordinator_client, partnership, changes, expected):
    response = coordinator_client.post(url("round-add", partnership), round_data(**changes))
    assert response.status_code == 200
    assert errors(response) == expected
    assert "<title>Error: Add an assessment round – " in response.content.decode()
    assert not Round.objects.exists()


def test_a_date_error_links_to_the_first_box_at_fault(coordinator_client, partnership):
    response = coordinator_client.post(
        url("round-add", partnership), round_data(**dates("opens_on", "1", "", str(YEAR)))
    )
    html = response.content.decode()
    assert '<a href="#id_opens_on_1">Opening date must include a month</a>' in html
    # Only the month box is marked red.
    assert html.count("govuk-input--error") == 1


def test_a_closing_date_in_the_past_is_refused(coordinator_client, partnership):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    opened = yesterday - datetime.timedelta(days=30)
    data = round_data(
        **dates("opens_on", str(opened.day), str(opened.month), str(opened.year)),
        **dates("closes_on", str(yesterday.day), str(yesterday.month), str(yesterday.year)),
    )
    response = coordinator_client.post(url("round-add", partnership), data)
    assert errors(response) == ["Closing date must be today or in the future"]


def test_closing_the_same_day_as_opening_is_allowed(coordinator_client, partnership):
    data = round_data(**dates("closes_on", "1", "10", str(YEAR)))
    assert coordinator_client.post(url("round-add", partnership), data).status_code == 302


def test_a_draft_round_can_be_changed(coordinator_client, partnership):
    round = make_round(partnership, open=False, title="Old title")
    edit = url("round-edit", partnership, round.pk)
    page = coordinator_client.get(edit).content.decode()
    assert 'value="Old title"' in page
    response = coordinator_client.post(edit, round_data(title="New title", min_group_size="7"))
    assert response.url == url("round-detail", partnership, round.pk)
    round.refresh_from_db()
    assert (round.title, round.min_group_size) == ("New title", 7)


def test_an_open_round_cannot_be_changed(coordinator_client, partnership, open_round):
    edit = url("round-edit", partnership, open_round.pk)
    response = coordinator_client.post(edit, round_data(title="Sneaky"), follow=True)
    assert "Only a draft round can be changed" in response.content.decode()
    open_round.refresh_from_db()
    assert open_round.title == "Autumn 2026"


def test_opening_asks_first_and_explains_that_the_questions_freeze(coordinator_client, partnership):
    round = make_round(partnership, open=False)
    html = coordinator_client.get(url("round-open", partnership, round.pk)).content.decode()
    assert "Opening the round fixes its questions" in html
    assert Round.objects.get(pk=round.pk).is_draft


def test_opening_freezes_the_questions_and_invites_everyone(
    coordinator_client, partnership, principles
):
    make_member(partnership)
    make_member(partnership)
    round = make_round(partnership, open=False)
    response = coordinator_client.post(url("round-open", partnership, round.pk), follow=True)
    round.refresh_from_db()
    assert round.is_open and round.questions.exists()
    assert round.invitations.count() == 2
    assert "is open and its questions are fixed" in response.content.decode()


def test_opening_an_open_round_again_is_a_message_not_an_error(
    coordinator_client, partnership, open_round
):
    response = coordinator_client.post(url("round-open", partnership, open_round.pk), follow=True)
    assert response.status_code == 200
    assert "This round has already been opened." in response.content.decode()


def test_closing_asks_first_then_closes(coordinator_client, partnership, open_round):
    close = url("round-close", partnership, open_round.pk)
    assert "Are you sure you want to close" in coordinator_client.get(close).content.decode()
    response = coordinator_client.post(close, follow=True)
    open_round.refresh_from_db()
    assert open_round.is_closed
    assert "is closed. Nobody can answer any more." in response.content.decode()


def test_closing_a_draft_round_is_a_message_not_an_error(coordinator_client, partnership):
    round = make_round(partnership, open=False)
    response = coordinator_client.post(url("round-close", partnership, round.pk), follow=True)
    assert "Only an open round can be closed." in response.content.decode()


def chosen_round(partnership):
    return make_round(partnership, open=False, invite_all_members=False)


def test_the_invitees_page_lists_members_not_yet_invited(coordinator_client, partnership):
    round = chosen_round(partnership)
    invited = make_member(partnership, name="Invited")
    waiting = make_member(partnership, name="Waiting")
    Invitation.objects.create(round=round, member=invited, token_hash="x" * 64)
    response = coordinator_client.get(url("round-invitees", partnership, round.pk))
    assert list(response.context["form"].fields["members"].queryset) == [waiting]


def test_choosing_invitees_puts_them_on_the_list(coordinator_client, partnership):
    round = chosen_round(partnership)
    a, b, c = (make_member(partnership) for _ in range(3))
    response = coordinator_client.post(
        url("round-invitees", partnership, round.pk), {"members": [a.pk, c.pk]}, follow=True
    )
    assert set(round.invitations.values_list("member", flat=True)) == {a.pk, c.pk}
    assert "2 members added to the invitation list." in response.content.decode()


def test_choosing_nobody_is_an_error_linked_to_the_first_checkbox(coordinator_client, partnership):
    round = chosen_round(partnership)
    make_member(partnership)
    # With no box ticked a browser still sends the CSRF token, so the form is bound.
    response = coordinator_client.post(
        url("round-invitees", partnership, round.pk), {"csrfmiddlewaretoken": "x"}
    )
    html = response.content.decode()
    assert '<a href="#id_members_1">Select at least one member to invite</a>' in html
    assert 'id="id_members_1"' in html


def test_another_partnerships_member_cannot_be_invited(coordinator_client, partnership):
    round = chosen_round(partnership)
    stranger = make_member(make_partnership())
    response = coordinator_client.post(
        url("round-invitees", partnership, round.pk), {"members": [stranger.pk]}
    )
    assert "Select members of this partnership who are not yet invited" in (
        response.content.decode()
    )
    assert not round.invitations.exists()


def test_a_round_inviting_everyone_has_nobody_to_choose(coordinator_client, partnership):
    round = make_round(partnership, open=False)
    response = coordinator_client.get(url("round-invitees", partnership, round.pk), follow=True)
    assert "there is nobody to choose" in response.content.decode()


def test_the_error_summary_lists_the_problems_in_the_order_of_the_fields(
    coordinator_client, partnership
):
    # The closing date's error comes from the form's clean(), after the fields' own checks:
    # the summary still lists it where the field is, between the title and the group size.
    data = round_data(title="", min_group_size="two")
    data |= {"closes_on_0": "1", "closes_on_1": "9", "closes_on_2": str(YEAR)}
    response = coordinator_client.post(url("round-add", partnership), data)
    assert errors(response) == [
        "Enter a title for the round",
        "Closing date must be the same as or after the opening date",
        "Minimum group size must be a whole number, like 5",
    ]
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary__list") :]
    hrefs = re.findall(r'<a href="#([^"]+)"', summary)[:3]
    assert hrefs == ["id_title", "id_closes_on_0", "id_min_group_size"]


def test_a_title_too_long_gets_a_govuk_message_not_djangos(coordinator_client, partnership):
    response = coordinator_client.post(url("round-add", partnership), round_data(title="x" * 151))
    assert errors(response) == ["Title must be 150 characters or fewer"]
    assert "Ensure this value" not in response.content.decode()
    assert not Round.objects.exists()


def test_a_round_may_last_a_year_and_no_longer(coordinator_client, partnership):
    opens = datetime.date(YEAR, 1, 1)
    a_year_on = opens + datetime.timedelta(days=366)
    for closes in (a_year_on + datetime.timedelta(days=1), datetime.date(9999, 12, 31)):
        data = round_data(
            **dates("opens_on", "1", "1", str(YEAR)),
            **dates("closes_on", str(closes.day), str(closes.month), str(closes.year)),
        )
        response = coordinator_client.post(url("round-add", partnership), data)
        assert errors(response) == ["Closing date must be within a year of the opening date"]
    assert not Round.objects.exists()
    data = round_data(
        **dates("opens_on", "1", "1", str(YEAR)),
        **dates("closes_on", str(a_year_on.day), str(a_year_on.month), str(a_year_on.year)),
    )
    coordinator_client.post(url("round-add", partnership), data)
    assert Round.objects.get().closes_on == a_year_on


def test_a_round_cannot_open_more_than_a_year_ago(coordinator_client, partnership):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=366)
    data = round_data(
        **dates("opens_on", str(long_ago.day), str(long_ago.month), str(long_ago.year)),
        **dates("closes_on", str(today.day), str(today.month), str(today.year)),
    )
    response = coordinator_client.post(url("round-add", partnership), data)
    earliest = today - datetime.timedelta(days=365)
    assert errors(response) == [f"Opening date must be {earliest:%-d %B %Y} or later"]
    assert not Round.objects.exists()
    data = round_data(**dates("opens_on", "1", "1", "1999"))
    assert coordinator_client.post(url("round-add", partnership), data).status_code == 200
    assert not Round.objects.exists()
