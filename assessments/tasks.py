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

from .models import Invitation

logger = logging.getLogger(__name__)


@task()
def invitation_email_send(invitation_id: int, reminder: bool = False) -> str:
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

    context = {
        "invitation": invitation,
        "member": invitation.member,
        "round": invitation.round,
        "partnership": invitation.round.partnership,
        "reminder": reminder,
        "statements": invitation.round.questions.count(),
        "pages": invitation.round.principles.count(),
        "link": settings.SITE_URL + reverse("respond:start", args=[token]),
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/invitation_body.txt", context),
        to=[invitation.member.email],
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
