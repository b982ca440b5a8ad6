"""The response-rate page of a round, and sending invitations, reminders and new links."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import access, services
from assessments.models import Invitation, Member, Response, Sector, token_new
from tests.factories import make_invitation, make_member, make_response, make_round

pytestmark = pytest.mark.django_db


def url(name, round, *args):
    return reverse(f"assessments:{name}", args=[round.partnership.slug, round.pk, *args])


def page(client, round) -> str:
    return client.get(url("round-detail", round)).content.decode()


def test_the_page_shows_status_dates_and_how_many_have_responded(coordinator_client, open_round):
    make_response(open_round, sector=Sector.THIRD_SECTOR)
    make_response(open_round, sector=Sector.HEALTH, submit=False)
    make_invitation(open_round, make_member(open_round.partnership, sector=Sector.HEALTH))
    html = page(coordinator_client, open_round)
    assert "Open</strong>" in html
    assert open_round.closes_on.strftime("%-d %B %Y") in html
    assert "<strong>1 of 3</strong> invited members have responded." in html


def test_counts_by_sector_use_the_members_sector(coordinator_client, open_round):
    for _ in range(3):
        make_response(open_round, sector=Sector.THIRD_SECTOR)
    make_invitation(open_round, make_member(open_round.partnership, sector=Sector.THIRD_SECTOR))
    make_invitation(open_round, make_member(open_round.partnership, sector=Sector.BUSINESS))
    response = coordinator_client.get(url("round-detail", open_round))
    rows = [(s.label, s.invited, s.responded, s.percent) for s in response.context["sectors"]]
    assert rows == [
        ("Third sector (voluntary and community)", 4, 3, 75),
        ("Business", 1, 0, 0),
    ]
    total = response.context["total"]
    assert (total.invited, total.responded, total.percent) == (5, 3, 60)


def test_each_invited_member_shows_e_mail_and_response_status_never_answers(
    coordinator_client, open_round
):
    make_response(open_round, comments={1: "A secret view on accountability"})
    invitation, _ = make_invitation(open_round)
    Invitation.objects.filter(pk=invitation.pk).update(
        send_status=Invitation.SendStatus.FAILED,
        send_error="The e-mail server refused the message (SMTPRecipientsRefused).",
        reminders_sent=2,
    )
    html = page(coordinator_client, open_round)
    assert "Submitted</strong>" in html and "Not started</strong>" in html
    assert "Failed</strong>" in html and "(SMTPRecipientsRefused)" in html
    assert "A secret view on accountability" not in html
    assert url("invitation-resend", open_round, invitation.pk) in html
    assert ">Send again<" in html


def test_a_draft_round_that_chooses_invitees_links_to_choosing_them(
    coordinator_client, partnership
):
    round = make_round(partnership, open=False, invite_all_members=False)
    html = page(coordinator_client, round)
    assert url("round-invitees", round) in html
    assert url("round-open", round) in html and url("round-edit", round) in html
    assert url("round-send-invitations", round) not in html


def test_an_open_round_offers_sending_reminders_and_closing(coordinator_client, open_round):
    html = page(coordinator_client, open_round)
    for name in ["round-send-invitations", "round-send-reminders", "round-close"]:
        assert url(name, open_round) in html
    assert url("round-open", open_round) not in html


def test_the_report_is_linked_once_the_round_has_opened(coordinator_client, open_round):
    report = reverse("reports:round-report", args=[open_round.partnership.slug, open_round.pk])
    assert report in page(coordinator_client, open_round)


def bulk_invited(round, count: int) -> None:
    """`count` members, all invited, a third started and a third submitted: fast, in bulk."""
    sectors = Sector.values
    members = Member.objects.bulk_create(
        Member(
            partnership=round.partnership,
            name=f"Member {n}",
            email=f"bulk{n}@example.org",
            sector=sectors[n % len(sectors)],
        )
        for n in range(count)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(round=round, member=member, token_hash=token_new()[1]) for member in members
    )
    Response.objects.bulk_create(
        Response(
            round=round,
            invitation=invitation,
            sector=invitation.member.sector,
            status=Response.Status.SUBMITTED if n % 3 == 0 else Response.Status.DRAFT,
            submitted_at=timezone.now() if n % 3 == 0 else None,
        )
        for n, invitation in enumerate(invitations)
        if n % 3 != 2
    )


@pytest.mark.parametrize("members", [10, 500])
def test_the_page_takes_the_same_queries_for_10_or_500_members(
    coordinator_client, open_round, django_assert_num_queries, members
):
    bulk_invited(open_round, members)
    # session, user, partnership, round, invitations with their members and responses, the
    # current members and how many are invited ("Who is invited"), the counts by sector
    # (through the disclosure gate)
    with django_assert_num_queries(7):
        response = coordinator_client.get(url("round-detail", open_round))
    assert response.context["total"].invited == members


# Sending


def test_sending_invitations_e_mails_each_member_a_personal_link_that_works(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    members = [make_member(open_round.partnership) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("round-send-invitations", open_round))
    assert response.url == url("round-detail", open_round)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)

    message = mail.outbox[0]
    assert message.subject == f"Riverside Partnership self-assessment: {open_round.title}"
    token = message.body.split("/r/")[1].split("/")[0]
    invitation = access.invitation_for_link(token)
    assert invitation.member.email == message.to[0]
    assert "This link is personal to you" in message.body
    assert "the same link in every e-mail" in message.body
    statements = open_round.questions.count()
    assert f"{statements} statements on 7 short pages" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f"/r/{token}/" in html and "personal to you" in html
    assert set(open_round.invitations.values_list("send_status", flat=True)) == {"sent"}
    assert "<strong>0 of 3</strong>" in page(coordinator_client, open_round)


def test_sending_again_skips_those_already_sent(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    make_member(open_round.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("round-send-invitations", open_round))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("round-send-invitations", open_round), follow=True)
    assert len(mail.outbox) == 1
    assert "already been sent an invitation" in response.content.decode()


def test_a_refused_e_mail_shows_as_failed_with_a_send_again_button(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    make_member(open_round.partnership, name="Bounce Person")
    refused = smtplib.SMTPRecipientsRefused({"bounce@example.org": (550, b"No such user")})
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        coordinator_client.post(url("round-send-invitations", open_round))
    invitation = open_round.invitations.get()
    assert invitation.send_status == Invitation.SendStatus.FAILED
    html = page(coordinator_client, open_round)
    assert "Failed</strong>" in html and "SMTPRecipientsRefused" in html
    assert 'Send again<span class="govuk-visually-hidden"> to Bounce Person' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("invitation-resend", open_round, invitation.pk))
    assert response.url == url("round-detail", open_round)
    invitation.refresh_from_db()
    assert invitation.send_status == Invitation.SendStatus.SENT
    assert len(mail.outbox) == 1


def test_send_again_is_only_for_failed_invitations(coordinator_client, open_round):
    invitation, _ = make_invitation(open_round)
    response = coordinator_client.post(
        url("invitation-resend", open_round, invitation.pk), follow=True
    )
    assert "has not failed" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.send_status == Invitation.SendStatus.NOT_SENT


def test_reminders_go_only_to_those_who_have_not_submitted(
    coordinator_client, open_round, django_capture_on_commit_callbacks
):
    done = make_response(open_round)
    waiting, _ = make_invitation(open_round)
    started = make_response(open_round, submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("round-send-reminders", open_round), follow=True)
    assert "2 reminders sent." in response.content.decode()
    assert {m.to[0] for m in mail.outbox} == {
        waiting.member.email,
        started.invitation.member.email,
    }
    assert all(m.subject.startswith("Reminder: ") for m in mail.outbox)
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1
    assert done.invitation.member.email not in {m.to[0] for m in mail.outbox}


def test_sending_from_a_draft_round_is_a_message_not_an_error(coordinator_client, partnership):
    round = make_round(partnership, open=False)
    response = coordinator_client.post(url("round-send-invitations", round), follow=True)
    assert response.status_code == 200
    assert "Invitations can only be sent while the round is open." in response.content.decode()
    assert mail.outbox == []


# Sending one member their link again


def test_sending_a_link_again_asks_first_and_shows_no_link(coordinator_client, respondent):
    invitation, token = respondent
    html = coordinator_client.get(url("invitation-send-link", invitation.round, invitation.pk))
    page = html.content.decode()
    assert f"We will e-mail their personal link to {invitation.member.email}" in page
    assert "/r/" not in page
    assert access.invitation_for_link(token) == invitation  # nothing changed yet


def test_the_same_link_goes_to_the_members_own_address_and_keeps_working(
    coordinator_client, respondent, django_capture_on_commit_callbacks
):
    """Even for someone who has started answering: the coordinator never sees the link."""
    invitation, token = respondent
    services.response_start(invitation=invitation, sector="health")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("invitation-send-link", invitation.round, invitation.pk), follow=True
        )
    assert "/r/" not in response.content.decode()
    assert [m.to for m in mail.outbox] == [[invitation.member.email]]
    assert f"/r/{token}/" in mail.outbox[0].body
    assert access.invitation_for_link(token) == invitation


def test_a_new_link_instead_stops_the_old_one(
    coordinator_client, respondent, django_capture_on_commit_callbacks
):
    invitation, old = respondent
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            url("invitation-send-link", invitation.round, invitation.pk), {"new_link": "yes"}
        )
    new = mail.outbox[0].body.split("/r/")[1].split("/")[0]
    assert new != old
    assert access.invitation_for_link(old) is None
    assert access.invitation_for_link(new) == invitation
    # The e-mail says so, rather than that it is the same link as in every other e-mail.
    body = " ".join(mail.outbox[0].body.split())
    assert "It is a new link: the one in earlier e-mails about this round no longer works" in body
    assert "the same link in every e-mail" not in body
    # And the old link's page does not say every e-mail brings a new one.
    page = coordinator_client.get(reverse("respond:start", args=[old])).content.decode()
    assert "the coordinator can send you a new one, and then earlier links stop working" in page


def test_no_link_is_sent_for_a_closed_round(coordinator_client, respondent):
    invitation, token = respondent
    services.round_close(round=invitation.round)
    response = coordinator_client.post(
        url("invitation-send-link", invitation.round, invitation.pk), follow=True
    )
    assert "Links can only be sent while the round is open." in response.content.decode()
    assert mail.outbox == []
    assert access.invitation_for_link(token) == invitation


def test_an_invitation_of_another_round_is_not_found(coordinator_client, open_round, partnership):
    other_round = make_round(partnership, title="Other")
    invitation, _ = make_invitation(other_round)
    response = coordinator_client.get(url("invitation-send-link", open_round, invitation.pk))
    assert response.status_code == 404
