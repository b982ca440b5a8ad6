"""What the pages and e-mails say: real counts, a "saved" message, no pre-selected role, curly
apostrophes in whatever people read."""

import html as html_lib
import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import Member, Question
from assessments.tasks import invitation_email_send
from principles.models import Statement
from tests.factories import make_invitation, make_member, make_response

pytestmark = pytest.mark.django_db


def respond_url(token: str, name: str, **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


def page_data(response, number: int, value: str = "4", comment: str = "") -> dict:
    questions = Question.objects.filter(round=response.round, principle__number=number)
    return {f"q{q.pk}": value for q in questions} | {"comment": comment}


def text_people_read(page: str) -> str:
    """The page's text: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


# Counts


def test_the_home_page_counts_the_statements_a_round_would_ask(client, principles):
    html = client.get(reverse("pages:home")).content.decode()
    assert "answer about" not in html
    assert "rate 29 statements from a personal link" in html
    Statement.objects.filter(pk=Statement.objects.first().pk).update(is_active=False)
    html = client.get(reverse("pages:home")).content.decode()
    assert "rate 28 statements from a personal link" in html


def test_the_home_page_reads_well_before_any_principles_are_loaded(client, db):
    assert "rate the statements from a personal link" in client.get("/").content.decode()


def test_the_resume_page_counts_principles_not_sections(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=invitation.member.sector)
    client.post(respond_url(token, "principle", number=1), page_data(response, 1))
    html = client.get(respond_url(token, "start")).content.decode()
    assert "You have answered 1 of 7 principles." in html
    assert "section" not in text_people_read(html).lower()


def test_check_your_answers_says_no_comment_never_none(client, open_round):
    response = make_response(open_round, comments={2: "Papers come late."})
    token = services.invitation_link(invitation=response.invitation)
    text = text_people_read(client.get(respond_url(token, "check")).content.decode())
    assert "None" not in text
    assert text.count("No comment") == 6
    assert "Papers come late." in text


# The "saved" message


def test_changing_a_submitted_answer_says_the_change_is_saved(client, open_round):
    response = make_response(open_round)
    token = services.invitation_link(invitation=response.invitation)
    url = respond_url(token, "principle", number=3) + "?return=check"
    page = client.post(url, page_data(response, 3, value="2"), follow=True)
    assert page.redirect_chain[-1][0] == respond_url(token, "check")
    html = page.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Your changes have been saved" in html
    # Once: the message does not come back on the next page.
    again = client.get(respond_url(token, "check")).content.decode()
    assert "Your changes have been saved" not in again


def test_answering_before_submitting_shows_no_saved_message(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=invitation.member.sector)
    page = client.post(
        respond_url(token, "principle", number=1), page_data(response, 1), follow=True
    )
    assert page.redirect_chain[-1][0] == respond_url(token, "principle", number=2)
    assert "Your changes have been saved" not in page.content.decode()


# The role radios


def test_adding_a_member_starts_with_no_role_selected(coordinator_client, partnership):
    url = reverse("assessments:member-add", args=[partnership.slug])
    html = coordinator_client.get(url).content.decode()
    assert "Board member" in html
    assert "checked" not in html


def test_a_new_member_without_a_role_is_asked_for_one(coordinator_client, partnership):
    url = reverse("assessments:member-add", args=[partnership.slug])
    data = {"name": "Ada", "email": "ada@example.org", "sector": "third_sector"}
    html = coordinator_client.post(url, data).content.decode()
    assert '<a href="#id_role_1">Select the member’s role on the partnership</a>' in html
    assert not Member.objects.exists()


def test_changing_a_member_shows_their_role(coordinator_client, partnership):
    member = make_member(partnership, role=Member.Role.BOARD)
    url = reverse("assessments:member-edit", args=[partnership.slug, member.pk])
    html = coordinator_client.get(url).content.decode()
    assert re.search(r'value="board"\s*checked', html)


# Apostrophes


def respondent_pages(client, open_round) -> dict[str, str]:
    response = make_response(open_round, comments={1: "Fine."})
    token = services.invitation_link(invitation=response.invitation)
    names = {"start": {}, "principle": {"number": 1}, "check": {}, "done": {}}
    return {
        name: client.get(respond_url(token, name, **kwargs)).content.decode()
        for name, kwargs in names.items()
    }


def test_respondent_pages_use_curly_apostrophes(client, open_round):
    for name, page in respondent_pages(client, open_round).items():
        text = text_people_read(page)
        assert "’" in text or name == "done", name
        assert "'" not in text, (name, re.findall(r".{30}'.{30}", text))


def test_the_invitation_e_mail_uses_curly_apostrophes(open_round):
    invitation, _ = make_invitation(open_round)
    for reminder in (False, True):
        mail.outbox.clear()
        invitation_email_send.call(invitation.pk, reminder=reminder)
        message = mail.outbox[0]
        html, _ = message.alternatives[0]
        for text in (message.subject, message.body, text_people_read(html)):
            assert "'" not in text, re.findall(r".{30}'.{30}", text)
