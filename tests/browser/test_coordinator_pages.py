"""Axe on the coordinator and account pages the journey does not pass through, errors included."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Invitation
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator_journey import follow, riverside_coordinator, sign_in
from tests.factories import make_invitation, make_member, make_round


@pytest.fixture
def coordinator(transactional_db):
    return riverside_coordinator()


@pytest.fixture
def riverside(coordinator):
    partnership = coordinator.partnerships.get()
    members = [make_member(partnership) for _ in range(3)]
    draft = make_round(partnership, open=False, invite_all_members=False, title="Spring")
    opened = make_round(partnership, title="Autumn")
    invitation, _ = make_invitation(opened, members[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        send_status=Invitation.SendStatus.FAILED, send_error="The e-mail server refused it."
    )
    return {"draft": draft, "open": opened, "member": members[1]}


def submit(page, name):
    follow(page.get_by_role("button", name=name))
    assert page.title().startswith("Error: ")


def test_coordinator_pages_and_their_error_states_are_accessible(page, riverside):
    sign_in(page)
    base = "/partnerships/riverside"
    draft, opened, member = riverside["draft"], riverside["open"], riverside["member"]

    page.goto(f"{base}/rounds/{opened.pk}/")  # an open round with a failed e-mail
    assert page.get_by_role("button", name="Send again to").count() == 1
    assert_accessible(page)
    page.goto(f"{base}/rounds/{opened.pk}/close/")
    assert_accessible(page)

    page.goto(f"{base}/rounds/{draft.pk}/")
    assert_accessible(page)
    page.goto(f"{base}/rounds/{draft.pk}/invitees/")
    assert_accessible(page)
    submit(page, "Add to the invitation list")
    assert_accessible(page)
    page.get_by_role("link", name="Select at least one member to invite").click()
    assert page.evaluate("document.activeElement.id") == "id_members_1"

    page.goto(f"{base}/rounds/{draft.pk}/edit/")
    page.fill("#id_opens_on_1", "13")
    submit(page, "Save round")
    assert page.get_by_role("link", name="Opening date must be a real date").is_visible()
    assert_accessible(page)

    page.goto(f"{base}/members/{member.pk}/edit/")
    page.fill("#id_email", "not an address")
    submit(page, "Save member")
    assert_accessible(page)

    page.get_by_role("link", name="Erase personal details").click()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Erase personal details"))
    assert page.get_by_text("have been erased").is_visible()
    assert_accessible(page)


def test_password_pages_and_their_error_states_are_accessible(page, coordinator):
    page.goto("/accounts/password_reset/")
    assert_accessible(page)
    submit(page, "Send the link")
    assert_accessible(page)
    page.fill("#id_email", coordinator.email)
    follow(page.get_by_role("button", name="Send the link"))
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert_accessible(page)

    uid = urlsafe_base64_encode(force_bytes(coordinator.pk))
    page.goto(f"/accounts/reset/{uid}/{default_token_generator.make_token(coordinator)}/")
    assert page.locator("h1").inner_text() == "Choose a new password"
    assert_accessible(page)
    page.fill("#id_new_password1", "short")
    submit(page, "Change password")
    assert_accessible(page)
    page.fill("#id_new_password1", "a-new-staple-42")
    page.fill("#id_new_password2", "a-new-staple-42")
    follow(page.get_by_role("button", name="Change password"))
    assert page.locator("h1").inner_text() == "Your password has been changed"
    assert_accessible(page)

    page.goto(f"/accounts/reset/{uid}/used-token/")
    assert page.locator("h1").inner_text() == "This link does not work"
    assert_accessible(page)

    sign_in(page, password="a-new-staple-42")
    page.goto("/accounts/password_change/")
    assert_accessible(page)
    submit(page, "Change password")
    assert_accessible(page)
