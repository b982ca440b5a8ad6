"""The partnership's contact for members: set by its coordinator, named in every invitation and
on every respondent page, and the Reply-To of invitations."""

import email
import email.policy

import pytest
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import Partnership
from assessments.tasks import invitation_email_send
from tests.factories import make_invitation, make_response, make_round

pytestmark = pytest.mark.django_db

SAM = {"contact_name": "Sam Patel", "contact_email": "sam@example.org"}
NAMED = "contact Sam Patel at"
MAILTO = '<a class="govuk-link" href="mailto:sam@example.org">sam@example.org</a>'


def contact_url(partnership: Partnership) -> str:
    return reverse("assessments:partnership-contact", args=[partnership.slug])


def detail_url(partnership: Partnership) -> str:
    return reverse("assessments:partnership-detail", args=[partnership.slug])


def set_contact(partnership: Partnership, **fields) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(**(SAM | fields))
    partnership.refresh_from_db()
    return partnership


# The coordinator's pages


def test_until_a_contact_is_set_the_partnership_page_asks_for_one(coordinator_client, partnership):
    html = coordinator_client.get(detail_url(partnership)).content.decode()
    assert "Add who members can contact with a question" in html
    assert f'href="{contact_url(partnership)}">Add a contact for members</a>' in html


def test_the_coordinator_sets_the_contact_and_the_partnership_page_shows_it(
    coordinator_client, partnership
):
    response = coordinator_client.post(
        contact_url(partnership),
        {"contact_name": "  Sam   Patel ", "contact_email": " sam@example.org "},
    )
    assert response.url == detail_url(partnership)
    partnership.refresh_from_db()
    assert (partnership.contact_name, partnership.contact_email) == ("Sam Patel", "sam@example.org")

    html = coordinator_client.get(detail_url(partnership)).content.decode()
    assert "The contact for members has been saved." in html
    assert "Sam Patel" in html and "sam@example.org" in html
    assert "Add a contact for members" not in html
    assert 'Change<span class="govuk-visually-hidden"> the contact’s name</span>' in html


def test_the_form_shows_the_contact_already_set(coordinator_client, partnership):
    set_contact(partnership)
    html = coordinator_client.get(contact_url(partnership)).content.decode()
    assert 'value="Sam Patel"' in html and 'value="sam@example.org"' in html
    assert '<h1 class="govuk-heading-xl">Contact for members</h1>' in html


@pytest.mark.parametrize(
    "data, messages",
    [
        (
            {"contact_name": "", "contact_email": ""},
            [
                "Enter the name of the person members can contact",
                "Enter the e-mail address members can write to",
            ],
        ),
        (
            {"contact_name": "Sam Patel", "contact_email": "sam at example"},
            ["Enter an e-mail address in the correct format, like name@example.org"],
        ),
        (
            {"contact_name": "S" * 151, "contact_email": "sam@example.org"},
            ["Name must be 150 characters or fewer"],
        ),
    ],
)
def test_a_wrong_contact_is_refused_with_the_reason_and_keeps_what_was_typed(
    coordinator_client, partnership, data, messages
):
    response = coordinator_client.post(contact_url(partnership), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Contact for members" in html
    summary = html.split('class="govuk-error-summary"')[1].split("</div>")[0]
    for message in messages:
        assert message in summary
    if data["contact_email"]:
        assert f'value="{data["contact_email"]}"' in html
    partnership.refresh_from_db()
    assert partnership.contact_name == "" and partnership.contact_email == ""


def test_saving_the_contact_changes_nothing_else_of_the_partnership(
    coordinator_client, partnership
):
    form_page = coordinator_client.get(contact_url(partnership))
    assert form_page.status_code == 200
    Partnership.objects.filter(pk=partnership.pk).update(name="Renamed meanwhile in admin")
    coordinator_client.post(contact_url(partnership), SAM)
    partnership.refresh_from_db()
    assert partnership.name == "Renamed meanwhile in admin"
    assert partnership.contact_name == "Sam Patel"


def test_another_partnerships_contact_page_is_not_found_and_unchanged(
    coordinator_client, other_coordinator
):
    hillside = Partnership.objects.get(slug="hillside")
    assert coordinator_client.get(contact_url(hillside)).status_code == 404
    assert coordinator_client.post(contact_url(hillside), SAM).status_code == 404
    hillside.refresh_from_db()
    assert hillside.contact_name == ""


def test_admin_shows_and_saves_the_contact(admin_client, partnership):
    url = reverse("admin:assessments_partnership_change", args=[partnership.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="contact_name"' in html and 'name="contact_email"' in html
    assert "Contact for members" in html


# The e-mails


def send(invitation, reminder: bool = False):
    mail.outbox.clear()
    invitation_email_send.call(invitation.pk, reminder=reminder)
    (message,) = mail.outbox
    return message


@pytest.mark.parametrize("reminder", [False, True])
def test_every_invitation_names_the_contact_and_replies_reach_them(
    partnership, principles, reminder
):
    set_contact(partnership)
    invitation, _ = make_invitation(make_round(partnership))
    message = send(invitation, reminder)
    assert message.reply_to == ["sam@example.org"]
    assert (
        "If you have a question, contact Sam Patel at sam@example.org, or reply to this e-mail."
        in message.body
    )
    html, _ = message.alternatives[0]
    assert 'contact Sam Patel at <a href="mailto:sam@example.org">sam@example.org</a>' in html
    assert "contact the coordinator" not in message.body + html


def test_without_a_contact_the_invitation_says_the_coordinator_and_has_no_reply_to(
    partnership, principles
):
    invitation, _ = make_invitation(make_round(partnership))
    message = send(invitation)
    assert message.reply_to == []
    assert "Reply-To" not in message.message()
    assert (
        "If you have a question, contact the coordinator of Riverside Partnership." in message.body
    )
    assert "reply to this e-mail" not in message.body


def test_the_reply_to_header_goes_over_smtp(partnership, principles, smtp_server):
    set_contact(partnership)
    invitation, _ = make_invitation(make_round(partnership))
    invitation_email_send.call(invitation.pk)
    ((recipients, raw),) = smtp_server.messages
    assert recipients == [invitation.member.email]
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message["Reply-To"] == "sam@example.org"


def test_the_e_mail_gives_the_time_and_count_of_the_round_it_invites_to(partnership, principles):
    round = make_round(partnership)
    invitation, _ = make_invitation(round)
    assert "It takes about 15 minutes: 29 statements on 7 short pages" in send(invitation).body
    # A round asking 9 statements (half a minute each, rounded up to five minutes) says so.
    keep = list(round.questions.order_by("pk").values_list("pk", flat=True)[:9])
    round.questions.exclude(pk__in=keep).delete()
    assert "It takes about 5 minutes: 9 statements on 7 short pages" in send(invitation).body


# The respondent's pages


def page(client, token: str, name: str, **kwargs) -> str:
    url = reverse(f"respond:{name}", kwargs={"token": token, **kwargs})
    response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("name", ["start", "principle", "check", "done"])
def test_every_page_of_the_journey_names_the_contact(client, partnership, principles, name):
    set_contact(partnership)
    round = make_round(partnership)
    response = make_response(round)
    token = services.invitation_link(invitation=response.invitation)
    kwargs = {"number": 1} if name == "principle" else {}
    html = page(client, token, name, **kwargs)
    assert f"If you have a question, {NAMED} {MAILTO}." in html
    assert "contact the coordinator" not in html


def test_the_not_open_and_closed_pages_name_the_contact(client, partnership, principles):
    set_contact(partnership)
    draft = make_round(partnership, open=False)
    _, token = make_invitation(draft)
    assert f"{NAMED} {MAILTO}" in page(client, token, "start")

    round = make_round(partnership)
    _, token = make_invitation(round)
    services.round_close(round=round)
    html = page(client, token, "start")
    assert "This assessment has closed" in html
    assert f"If you have a question about the assessment or its report, {NAMED} {MAILTO}." in html


def test_until_a_contact_is_set_the_pages_say_the_coordinator_of_the_partnership(
    client, respondent
):
    _, token = respondent
    html = page(client, token, "start")
    assert "If you have a question, contact the coordinator of Riverside Partnership." in html
    assert "mailto:" not in html


def test_a_link_that_does_not_work_names_no_one(client, partnership, principles):
    set_contact(partnership, contact_name="Sam Patel-Unique", contact_email="unique@example.org")
    invitation, old_token = make_invitation(make_round(partnership))
    services.invitation_new_link(invitation=invitation)  # the old link stops working
    response = client.get(reverse("respond:start", args=[old_token]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This link does not work" in html
    for revealing in ("Sam Patel-Unique", "unique@example.org", partnership.name, "mailto:"):
        assert revealing not in html
    assert "ask the coordinator of your partnership" in html
