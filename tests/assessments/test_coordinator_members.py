"""Adding and changing members one at a time."""

import pytest
from django.urls import reverse

from assessments.models import Member, Sector
from tests.factories import make_member, make_partnership

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Ada Lovelace",
    "email": "ada@example.org",
    "organisation": "Engine CVS",
    "sector": Sector.THIRD_SECTOR,
    "role": Member.Role.FORUM,
}


def add_url(partnership):
    return reverse("assessments:member-add", args=[partnership.slug])


def test_the_add_form_offers_every_sector_and_role_as_radios(coordinator_client, partnership):
    html = coordinator_client.get(add_url(partnership)).content.decode()
    assert "<title>Add a member – " in html
    assert html.count('type="radio"') == len(Sector.choices) + len(Member.Role.choices)
    assert 'type="email"' in html
    assert "novalidate" in html  # our messages, not the browser's


def test_adding_a_member_saves_and_returns_to_the_partnership(coordinator_client, partnership):
    response = coordinator_client.post(add_url(partnership), GOOD, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:partnership-detail", args=[partnership.slug]
    )
    assert "Ada Lovelace has been added." in response.content.decode()
    member = Member.objects.get(partnership=partnership)
    assert (member.email, member.role, member.sector) == (
        "ada@example.org",
        Member.Role.FORUM,
        Sector.THIRD_SECTOR,
    )


def test_an_empty_form_names_every_missing_answer(coordinator_client, partnership):
    # A browser always sends the boxes, empty or not (and the CSRF token).
    response = coordinator_client.post(add_url(partnership), {"name": "", "email": ""})
    html = response.content.decode()
    assert "<title>Error: Add a member – " in html
    assert '<a href="#id_name">Enter the member’s full name</a>' in html
    assert '<a href="#id_email">Enter the member’s e-mail address</a>' in html
    # Radios are numbered from 1 by crispy-forms-gds: the link lands on the first one.
    assert '<a href="#id_sector_1">Select the member’s sector</a>' in html
    assert 'id="id_sector_1"' in html
    assert not Member.objects.exists()


def test_a_malformed_email_is_refused(coordinator_client, partnership):
    html = coordinator_client.post(
        add_url(partnership), GOOD | {"email": "ada at example"}
    ).content.decode()
    assert "Enter an e-mail address in the correct format, like name@example.org" in html
    assert 'value="Ada Lovelace"' in html  # nothing typed is lost


def test_a_made_up_sector_is_refused(coordinator_client, partnership):
    response = coordinator_client.post(add_url(partnership), GOOD | {"sector": "charity"})
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors


def test_an_email_already_in_the_partnership_is_refused_kindly(coordinator_client, partnership):
    make_member(partnership, name="Ada Byron", email="ADA@example.org")
    html = coordinator_client.post(add_url(partnership), GOOD).content.decode()
    assert "Ada Byron already has the e-mail address ada@example.org in this partnership" in html
    assert Member.objects.filter(partnership=partnership).count() == 1


def test_the_same_email_in_another_partnership_is_fine(coordinator_client, partnership):
    make_member(make_partnership(), email="ada@example.org")
    assert coordinator_client.post(add_url(partnership), GOOD).status_code == 302


def test_an_erased_members_address_can_be_used_again(coordinator_client, partnership):
    from assessments.services import member_erase

    member_erase(member=make_member(partnership, email="ada@example.org"))
    assert coordinator_client.post(add_url(partnership), GOOD).status_code == 302


def test_editing_a_member_keeps_their_own_address(coordinator_client, partnership):
    member = make_member(partnership, email="ada@example.org")
    url = reverse("assessments:member-edit", args=[partnership.slug, member.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Change a member’s details" in page and 'value="ada@example.org"' in page
    response = coordinator_client.post(url, GOOD | {"name": "Ada King"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Ada King"


def test_editing_to_another_members_address_is_refused(coordinator_client, partnership):
    make_member(partnership, name="Ada Byron", email="ada@example.org")
    member = make_member(partnership, email="someone@example.org")
    url = reverse("assessments:member-edit", args=[partnership.slug, member.pk])
    html = coordinator_client.post(url, GOOD).content.decode()
    assert "Ada Byron already has the e-mail address" in html
    member.refresh_from_db()
    assert member.email == "someone@example.org"


def test_another_partnerships_member_cannot_be_edited(coordinator_client, partnership):
    stranger = make_member(make_partnership())
    url = reverse("assessments:member-edit", args=[partnership.slug, stranger.pk])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, GOOD).status_code == 404


def test_direction_override_characters_are_taken_out_of_a_name_and_organisation(
    coordinator_client, partnership
):
    data = GOOD | {"name": "Ada \u202eLovelace", "organisation": "\u2067Engine\u2069 CVS\u202c"}
    coordinator_client.post(add_url(partnership), data)
    member = Member.objects.get(partnership=partnership)
    assert (member.name, member.organisation) == ("Ada Lovelace", "Engine CVS")
