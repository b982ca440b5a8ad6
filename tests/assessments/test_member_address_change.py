"""A member's address changed while they are invited to an open round: their link moves to the
new address, so the old address is told (and never sent a link), and the coordinator is warned
before saving. Without the notice a coordinator could take over an invitation silently."""

import logging
import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Member, Partnership
from tests.factories import make_invitation, make_member, make_response, make_round

pytestmark = pytest.mark.django_db

OLD, NEW = "pat.old@example.org", "sam.new@example.net"
MASKED = "s***@example.net"
HINT = (
    "They are invited to Autumn 2026. If you change the address, their link stops working "
    "and we tell their old address."
)


@pytest.fixture
def invited(open_round):
    """A member invited to the open round, who has not started: (member, token of their link)."""
    member = make_member(open_round.partnership, name="Pat Jones", email=OLD)
    _, token = make_invitation(open_round, member)
    return member, token


def edit_url(member: Member) -> str:
    return reverse("assessments:member-edit", args=[member.partnership.slug, member.pk])


def details(member: Member, **changes) -> dict:
    fields = {
        "name": member.name,
        "email": member.email,
        "organisation": member.organisation,
        "sector": member.sector,
        "role": member.role,
    }
    return fields | changes


def set_contact(partnership: Partnership, **fields) -> None:
    Partnership.objects.filter(pk=partnership.pk).update(**fields)


def test_a_new_address_tells_the_old_one_without_a_link(
    coordinator_client, invited, django_capture_on_commit_callbacks
):
    member, token = invited
    set_contact(member.partnership, contact_name="Ruth Okafor", contact_email="ruth@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(edit_url(member), details(member, email=NEW))
    assert response.status_code == 302

    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [OLD]
    assert notice.reply_to == ["ruth@example.org"]
    assert "Riverside Partnership" in notice.subject
    html = notice.alternatives[0][0]
    for text in (notice.body, html):
        assert "The coordinator of Riverside Partnership has changed" in text
        assert MASKED in text
        assert "no longer works" in text
        assert "contact Ruth Okafor at" in text and "ruth@example.org" in text
        # Neither the whole new address nor any personal link, old or new.
        assert NEW not in text
        assert "/r/" not in text and token not in text


def test_without_a_contact_the_notice_names_the_coordinator_and_has_no_reply_to(
    coordinator_client, invited, django_capture_on_commit_callbacks
):
    member, _ = invited
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(edit_url(member), details(member, email=NEW))
    (notice,) = mail.outbox
    assert notice.reply_to == []
    assert "contact the coordinator of Riverside Partnership." in notice.body


def test_the_old_link_then_says_it_does_not_work(
    client, coordinator_client, invited, django_capture_on_commit_callbacks
):
    member, token = invited
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(edit_url(member), details(member, email=NEW))
    page = client.get(reverse("respond:start", args=[token]))
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()


def test_the_success_message_says_the_old_address_has_been_told(
    coordinator_client, invited, django_capture_on_commit_callbacks
):
    member, _ = invited
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(edit_url(member), details(member, email=NEW), follow=True)
    html = page.content.decode()
    assert "Pat Jones has been updated." in html
    assert "We have e-mailed their old address to tell them" in html


def test_changing_only_the_name_sends_nothing(
    coordinator_client, invited, django_capture_on_commit_callbacks
):
    member, token = invited
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(
            edit_url(member), details(member, name="Pat Smith"), follow=True
        )
    assert mail.outbox == []
    assert "old address" not in page.content.decode()
    assert coordinator_client.get(reverse("respond:start", args=[token])).status_code == 200


def test_no_notice_without_an_invitation_to_an_open_round(
    coordinator_client, partnership, principles, django_capture_on_commit_callbacks
):
    draft = make_round(partnership, open=False, title="Spring 2027")
    member = make_member(partnership, email=OLD)
    make_invitation(draft, member)
    never_invited = make_member(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(edit_url(member), details(member, email=NEW), follow=True)
        coordinator_client.post(
            edit_url(never_invited), details(never_invited, email="someone@example.net")
        )
    assert mail.outbox == []
    assert "old address" not in page.content.decode()


def test_the_form_warns_before_the_address_of_an_invited_member_is_changed(
    coordinator_client, invited, partnership
):
    member, _ = invited
    html = coordinator_client.get(edit_url(member)).content.decode()
    assert HINT in html
    plain = coordinator_client.get(edit_url(make_member(partnership))).content.decode()
    assert "Their invitation goes to this address." in plain
    assert "their link stops working" not in plain


def test_no_warning_for_a_member_answering_whose_address_cannot_change(
    coordinator_client, open_round
):
    answering = make_response(open_round, submit=False).invitation.member
    html = coordinator_client.get(edit_url(answering)).content.decode()
    assert "their link stops working" not in html


def test_a_refused_notice_is_logged_without_an_address_and_changes_nothing_else(
    coordinator_client, invited, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    member, _ = invited

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({OLD: (550, b"no")})

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with (
        caplog.at_level(logging.WARNING, logger="assessments.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = coordinator_client.post(edit_url(member), details(member, email=NEW))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == NEW
    assert "not sent" in caplog.text
    assert OLD not in caplog.text and NEW not in caplog.text and "s***" not in caplog.text


def test_an_admin_changing_the_address_also_tells_the_old_one(
    admin_client, invited, django_capture_on_commit_callbacks
):
    member, _ = invited
    data = details(member, email=NEW) | {"partnership": member.partnership.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:assessments_member_change", args=[member.pk]), data
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    (notice,) = mail.outbox
    assert notice.to == [OLD] and MASKED in notice.body and "/r/" not in notice.body


@pytest.mark.parametrize(
    "address, masked",
    [
        ("sam.new@example.net", "s***@example.net"),
        ("a@example.org", "a***@example.org"),
    ],
)
def test_the_new_address_is_shown_partly_hidden(address, masked):
    from assessments.tasks import address_masked

    assert address_masked(address) == masked
