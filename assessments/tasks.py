"""Background work: e-mails go out through django-tasks (at once by default; a queue and
`manage.py db_worker` in production)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .models import Invitation, Member, Round, minutes_to_answer, team_name

logger = logging.getLogger(__name__)


def invitation_email_context(*, round, member, link: str, reminder: bool, new_link=False) -> dict:
    """What the invitation e-mail's templates are given: here, so that the coordinator's
    preview (views.coordinator._email_preview) shows the e-mail exactly as it is sent."""
    statements = round.questions.count()
    return {
        "member": member,
        "round": round,
        "partnership": round.partnership,
        "reminder": reminder,
        "new_link": new_link,  # the coordinator sent a new link: the earlier one stopped working
        "statements": statements,
        "minutes": minutes_to_answer(statements),
        "pages": round.principles.count(),
        "link": link,
        "service_name": settings.SERVICE_NAME,
    }


@task()
def invitation_email_send(invitation_id: int, reminder: bool = False, new_link=False) -> str:
    """E-mail the member their personal link; record whether the server took it.

    The link is derived from the invitation's secret here, in the worker: the queue holds only
    the invitation's id. Sending never changes the link, so a reminder never stops the one in
    use, and a refused e-mail leaves everything as it was but its status.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("member", "round__partnership")
            .get(pk=invitation_id)
        )
        if invitation.member.erased_at:
            invitation.send_status = Invitation.SendStatus.NOT_SENT
            invitation.save(update_fields=["send_status"])
            return invitation.send_status
        if not invitation.link_current():
            # Made before links were derived from a secret, or SECRET_KEY has changed since:
            # the old link cannot be made again, so this e-mail carries a new one.
            invitation.new_link()
            invitation.save(update_fields=["link_secret", "token_hash"])
        token = invitation.link()

    context = invitation_email_context(
        round=invitation.round,
        member=invitation.member,
        link=settings.SITE_URL + reverse("respond:start", args=[token]),
        reminder=reminder,
        new_link=new_link,
    )
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    contact_email = invitation.round.partnership.contact_email
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/invitation_body.txt", context),
        to=[invitation.member.email],
        # A member who replies with a question reaches the partnership's contact, not the
        # service's own sending address.
        reply_to=[contact_email] if contact_email else None,
    )
    message.attach_alternative(
        render_to_string("emails/invitation_body.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # The coordinator sees the failure on the response-rate page and can send again.
        logger.warning("invitation %s not sent: %s", invitation_id, type(error).__name__)
        invitation.send_status = Invitation.SendStatus.FAILED
        invitation.send_error = f"The e-mail server refused the message ({type(error).__name__})."
        invitation.save(update_fields=["send_status", "send_error"])
        return invitation.send_status
    invitation.send_status = Invitation.SendStatus.SENT
    invitation.send_error = ""
    invitation.sent_at = timezone.now()
    if reminder:
        invitation.reminders_sent += 1
        invitation.reminded_at = invitation.sent_at
    invitation.save(
        update_fields=["send_status", "send_error", "sent_at", "reminders_sent", "reminded_at"]
    )
    return invitation.send_status


def address_masked(address: str) -> str:
    """The address with all but the first letter of its name hidden (s***@example.org): enough
    for its owner to recognise it, not for someone else to collect it."""
    name, _, domain = address.rpartition("@")
    return f"{name[:1]}***@{domain}"


@task()
def address_changed_email_send(member_id: int, old_email: str, round_ids: list[int]) -> str:
    """Tell a member's old address that their invitation now goes to another one (partly
    hidden), so that nobody can take over an invitation by changing the address unseen.

    The notice carries no link: the old one no longer works, and the new one goes only to the
    new address.
    """
    member = Member.objects.select_related("partnership").get(pk=member_id)
    if member.erased_at:  # no one's invitation goes anywhere now
        return "not sent"
    rounds = Round.objects.filter(pk__in=round_ids).order_by("opens_on", "pk")
    partnership = member.partnership
    context = {
        "partnership": partnership,
        "rounds": " and ".join(round.title for round in rounds),
        "new_address": address_masked(member.email),
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("emails/address_changed_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/address_changed_body.txt", context),
        to=[old_email],
        reply_to=[partnership.contact_email] if partnership.contact_email else None,
    )
    message.attach_alternative(
        render_to_string("emails/address_changed_body.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # Neither address goes into the log; the change itself stands.
        logger.warning(
            "address change notice for member %s not sent: %s", member_id, type(error).__name__
        )
        return "failed"
    return "sent"


def team_invitation_email_send(*, invitation, token: str) -> bool:
    """E-mail a colleague their link to join the team; whether the server took it.

    Sent at once, in the request, and not queued as a task: a queue would keep the token in
    the database, where only its hash may be (services.team_invite).
    """
    inviter = invitation.invited_by
    context = {
        "partnership": invitation.partnership,
        "inviter": team_name(inviter) if inviter else "A coordinator",
        "coordinator": invitation.role == invitation.Role.COORDINATOR,
        "link": settings.SITE_URL + reverse("team:join", args=[token]),
        "expires_at": invitation.expires_at,
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("emails/team_invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/team_invitation_body.txt", context),
        to=[invitation.email],
        # A question about the invitation goes to the colleague who sent it.
        reply_to=[inviter.email] if inviter and inviter.email else None,
    )
    message.attach_alternative(
        render_to_string("emails/team_invitation_body.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("team invitation %s not sent: %s", invitation.pk, type(error).__name__)
        return False
    return True
