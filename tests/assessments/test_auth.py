"""Signing in and out, resetting a password, and the lockout after too many wrong passwords."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-9"


@pytest.fixture
def user():
    return make_user("sam", password=PASSWORD)


def sign_in(client, password, username="sam"):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_page_is_in_the_sites_look(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in – " in html
    assert 'class="govuk-input' in html and 'autocomplete="current-password"' in html
    assert reverse("password_reset") in html


def test_the_right_password_signs_in_and_goes_to_the_partnerships(client, user):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("assessments:partnership-list")
    assert is_signed_in(client)


def test_a_wrong_password_gives_the_error_summary(client, user):
    response = sign_in(client, "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – " in html
    assert "govuk-error-summary" in html
    assert "Your username or password is not right" in html
    assert not is_signed_in(client)


def test_empty_boxes_say_what_to_enter(client):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert "This field is required" not in html


def test_five_wrong_passwords_lock_out_and_the_right_one_is_then_refused(client, user):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    # The sign-in view rendered its form; axes's middleware replaced it with our lockout page.
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert "<title>Signing in is paused – " in locked.content.decode()
    assert "You can try again in 15 minutes" in locked.content.decode()

    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert not is_signed_in(client)


def test_the_lockout_ends_by_itself_after_15_minutes(client, user):
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    # Axes counts only attempts newer than the cool-off; move them into the past.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_lockout_is_for_one_username_only(client, user):
    make_user("alex", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD, username="alex").status_code == 302


def test_sign_out_is_a_post_and_says_so_on_the_home_page(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("pages:home")
    assert "You have signed out." in response.content.decode()
    assert not is_signed_in(client)


def test_the_test_clients_logout_still_works(client, user):
    client.force_login(user)
    client.get(reverse("pages:home"))  # loads the URLs, and with them the signed-out message
    client.logout()  # a bare request with no message store: the message is skipped
    assert not is_signed_in(client)


def test_navigation_offers_sign_in_to_visitors(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert ">Sign in</a>" in html
    assert "Sign out" not in html and "Your partnerships" not in html


def test_navigation_offers_partnerships_and_sign_out_to_coordinators(client, user):
    client.force_login(user)
    html = client.get(reverse("pages:home")).content.decode()
    assert "Your partnerships</a>" in html
    assert f'action="{reverse("logout")}"' in html and ">Sign out</button>" in html
    assert "Admin</a>" not in html


def test_navigation_keeps_the_admin_link_for_staff(admin_client):
    html = admin_client.get(reverse("pages:home")).content.decode()
    assert "Admin</a>" in html and "Your partnerships</a>" in html


def test_password_reset_from_request_to_signing_in_with_the_new_password(client, user):
    page = client.get(reverse("password_reset"))
    assert "Reset your password" in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.url == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()

    message = mail.outbox[-1]
    assert message.subject == "Reset your password: Principles of Representation self-assessment"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-staple-42", "new_password2": "a-new-staple-42"},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    assert sign_in(client, "a-new-staple-42").status_code == 302


def test_password_reset_form_errors_are_in_the_govuk_style(client):
    html = client.post(reverse("password_reset"), {"email": ""}).content.decode()
    assert "<title>Error: Reset your password – " in html
    assert '<a href="#id_email">Enter your e-mail address</a>' in html


def test_a_used_reset_link_says_it_does_not_work(client, user):
    html = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"])).content
    assert "This link does not work" in html.decode()


def test_new_passwords_that_differ_are_refused_with_a_message(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-new-staple-42", "new_password2": ""}
    )
    html = response.content.decode()
    assert "<title>Error: Choose a new password – " in html
    assert '<a href="#id_new_password2">Enter the new password again</a>' in html
