"""Check your answers, submitting, and the confirmation page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Answer, Response, Sector
from tests.factories import make_response


def url(token: str, name: str = "check", **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


def link_for(response: Response) -> str:
    return services.invitation_link(invitation=response.invitation)


@pytest.fixture
def complete(open_round):
    """A draft response with every statement answered: (response, token)."""
    response = make_response(
        open_round, scores=4, sector=Sector.HEALTH, comments={2: "Papers <late>"}, submit=False
    )
    return response, link_for(response)


def test_check_shows_every_statement_with_its_answer_and_the_comments(client, complete):
    response, token = complete
    first = response.round.questions.order_by("principle__number", "order").first()
    Answer.objects.filter(response=response, question=first).update(score=None)
    page = client.get(url(token)).content.decode()
    assert '<h1 class="govuk-heading-l">Check your answers</h1>' in page
    for question in response.round.questions.all():
        assert escape(question.text) in page
    assert page.count("4 Agree") == 28
    assert "Don’t know" in page
    assert "Papers &lt;late&gt;" in page
    assert page.count("No comment") == 6 and "None" not in page  # six principles without
    assert "Health" in page
    assert "Not answered" not in page
    assert "Submit your answers" in page


def test_each_principle_has_a_change_link_naming_it_and_returning_here(client, complete):
    response, token = complete
    page = client.get(url(token)).content.decode()
    for principle in response.round.principles.all():
        href = url(token, "principle", number=principle.number) + "?return=check"
        assert (
            f'<a class="govuk-link" href="{href}">Change<span class="govuk-visually-hidden">'
            f" your answers about {principle.title}</span></a>"
        ) in page
    assert f'href="{url(token, "start")}">Change<span class="govuk-visually-hidden"> sector' in (
        page
    )


def test_unanswered_principles_show_not_answered_and_a_link(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR)
    principle = response.round.principles.get(number=1)
    question = principle.questions.first()
    services.response_save_principle(
        response=response, principle=principle, scores={question.pk: 5}, comment=""
    )
    page = client.get(url(token)).content.decode()
    assert page.count("Not answered") == 4 + 6  # 4 statements of page 1, 6 whole pages
    href = url(token, "principle", number=2) + "?return=check"
    assert f'href="{href}">Answer<span class="govuk-visually-hidden"> the statements about' in page


def test_submitting_an_incomplete_response_lists_the_principles_to_finish(client, complete):
    response, token = complete
    Answer.objects.filter(response=response, question__principle__number__in=[3, 6]).delete()
    reply = client.post(url(token))
    page = reply.content.decode()
    assert reply.status_code == 200
    assert "<title>Error: Check your answers" in page
    for number, title in [(3, "Leadership"), (6, "Sustainability")]:
        href = url(token, "principle", number=number) + "?return=check"
        assert f'<a href="{href}">Answer every statement about {title}</a>' in page
    assert "Answer every statement about Accountability" not in page
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_submitting_a_complete_response_confirms_it(client, complete):
    response, token = complete
    reply = client.post(url(token))
    assert reply["Location"] == url(token, "done")
    response.refresh_from_db()
    assert response.is_submitted
    page = client.get(url(token, "done")).content.decode()
    assert '<h1 class="govuk-panel__title">Answers submitted</h1>' in page
    assert "What happens next" in page
    assert response.round.closes_on.strftime("%-d %B %Y") in page
    assert "using the same link" in page


def test_a_double_click_on_submit_gives_one_submitted_response(client, complete):
    response, token = complete
    client.post(url(token))
    response.refresh_from_db()
    first_submitted_at = response.submitted_at
    assert client.post(url(token))["Location"] == url(token, "done")
    assert Response.objects.filter(invitation=response.invitation).count() == 1
    response.refresh_from_db()
    assert response.is_submitted
    assert response.submitted_at == first_submitted_at
    assert Answer.objects.filter(response=response).count() == 29


def test_after_submitting_check_says_changes_save_straight_away(client, open_round):
    response = make_response(open_round)
    page = client.get(url(link_for(response))).content.decode()
    assert "You submitted your answers on" in page
    assert "Submit your answers" not in page


def test_the_confirmation_waits_for_a_submission(client, complete, respondent):
    _, token = complete
    assert client.get(url(token, "done"))["Location"] == url(token)
    _, fresh = respondent
    assert client.get(url(fresh))["Location"] == url(fresh, "start")
    assert client.post(url(fresh))["Location"] == url(fresh, "start")
    assert Response.objects.count() == 1  # only the complete one: nothing made on the way


def test_a_round_closing_between_page_and_submit_shows_the_closed_page(client, open_round):
    from unittest import mock

    from assessments import services as services_module
    from tests.factories import make_response

    response = make_response(open_round, submit=False)
    token = services_module.invitation_link(invitation=response.invitation)

    def close_first(*, response):
        services_module.round_close(round=response.round)
        return real_submit(response=response)

    real_submit = services_module.response_submit
    with mock.patch.object(services_module, "response_submit", close_first):
        page = client.post(reverse("respond:check", args=[token]))

    assert page.status_code == 409
    assert "closed" in page.content.decode()
    response.refresh_from_db()
    assert response.status == "draft"
