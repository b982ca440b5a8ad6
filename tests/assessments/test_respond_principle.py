"""A principle's page of the questionnaire: frozen wording, validation, saving, resuming."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Answer, Comment, Question, Response, Sector
from principles.models import Principle, Statement
from tests.factories import make_invitation, make_response, make_round


def url(token: str, name: str = "principle", **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


@pytest.fixture
def started(respondent):
    """A respondent who has confirmed their sector: (response, token)."""
    invitation, token = respondent
    return services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR), token


def page_questions(response: Response, number: int) -> list[Question]:
    return list(response.round.questions.filter(principle__number=number).order_by("order"))


def answers(response: Response, number: int, value: str = "4", comment: str = "") -> dict:
    data = {f"q{q.pk}": value for q in page_questions(response, number)}
    return data | {"comment": comment}


def stored(response: Response) -> dict[int, int | None]:
    return dict(Answer.objects.filter(response=response).values_list("question_id", "score"))


def checked(page: str) -> list[str]:
    return re.findall(r'value="([^"]*)"\s*checked="checked"', page)


# What the page shows


def test_the_page_shows_progress_the_principle_and_each_statement_as_radios(client, started):
    response, token = started
    page = client.get(url(token, number=3)).content.decode()
    assert "Principle 3 of 7" in page
    assert '<h1 class="govuk-heading-l">Leadership</h1>' in page
    principle = response.round.principles.get(number=3)
    assert principle.summary in page
    for question in page_questions(response, 3):
        assert escape(question.text) in page
        assert f'id="id_q{question.pk}_1"' in page  # the first radio, the error link's target
    for label in ["1 Strongly disagree", "3 Neither agree nor disagree", "5 Strongly agree"]:
        assert page.count(label) == 4
    assert page.count('<div class="govuk-radios__divider">or</div>') == 4
    assert page.count("Don’t know\n") == 4
    assert "Comments (optional)" in page
    assert "You can enter up to 2000 characters" in page
    assert " maxlength=" not in page  # pasted text is warned about, never cut off


def test_the_page_shows_a_statements_hint_as_the_fieldsets_description(client, started):
    response, token = started
    question = page_questions(response, 1)[0]
    assert question.hint
    page = client.get(url(token, number=1)).content.decode()
    assert f'aria-describedby="id_q{question.pk}_hint"' in page
    assert f'<div id="id_q{question.pk}_hint" class="govuk-hint">{question.hint}</div>' in page


def test_the_page_shows_the_wording_frozen_when_the_round_opened(client, started):
    response, token = started
    Principle.objects.filter(number=2).update(title="Reworded title", summary="Reworded.")
    Statement.objects.filter(principle__number=2).update(text="Reworded statement.")
    page = client.get(url(token, number=2)).content.decode()
    assert "Reworded" not in page
    assert "Equality" in page
    assert page_questions(response, 2)[0].text in page


def test_wording_is_escaped(client, started):
    response, token = started
    question = page_questions(response, 1)[0]
    Question.objects.filter(pk=question.pk).update(text="<b>Bold</b> claim", hint="<i>hint</i>")
    page = client.get(url(token, number=1)).content.decode()
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in page
    assert "&lt;i&gt;hint&lt;/i&gt;" in page


def test_back_goes_to_the_previous_page_or_the_start(client, started):
    _, token = started
    assert f'href="{url(token, "start")}" class="govuk-back-link"' in (
        client.get(url(token, number=1)).content.decode()
    )
    assert f'href="{url(token, number=3)}" class="govuk-back-link"' in (
        client.get(url(token, number=4)).content.decode()
    )


def test_before_confirming_the_sector_the_page_sends_you_to_the_start(client, respondent):
    _, token = respondent
    assert client.get(url(token, number=1))["Location"] == url(token, "start")
    reply = client.post(url(token, number=1), {"comment": "x"})
    assert reply["Location"] == url(token, "start")
    assert Response.objects.count() == 0


@pytest.mark.parametrize("number", [0, 8, 99])
def test_a_principle_the_round_does_not_have_is_not_found(client, started, number):
    _, token = started
    assert client.get(url(token, number=number)).status_code == 404


# Saving


def test_save_and_continue_stores_the_page_and_opens_the_next(client, started):
    response, token = started
    reply = client.post(url(token, number=2), answers(response, 2, "5", comment=" Late papers. "))
    assert reply.status_code == 302
    assert reply["Location"] == url(token, number=3)
    assert set(stored(response).values()) == {5}
    assert len(stored(response)) == 4
    assert Comment.objects.get(response=response).text == "Late papers."


def test_the_last_page_continues_to_check_your_answers(client, started):
    response, token = started
    reply = client.post(url(token, number=7), answers(response, 7))
    assert reply["Location"] == url(token, "check")


def test_dont_know_is_stored_as_no_score(client, started):
    response, token = started
    client.post(url(token, number=1), answers(response, 1, "dont_know"))
    assert list(stored(response).values()) == [None] * 5


def test_saved_answers_and_comment_fill_the_page_again(client, started):
    response, token = started
    data = answers(response, 1, "2", comment="Reports back <rarely>")
    data[f"q{page_questions(response, 1)[0].pk}"] = "dont_know"
    client.post(url(token, number=1), data)
    page = client.get(url(token, number=1)).content.decode()
    assert checked(page) == ["dont_know", "2", "2", "2", "2"]
    assert "Reports back &lt;rarely&gt;</textarea>" in page


def test_saving_the_same_page_twice_keeps_one_set_of_answers(client, started):
    response, token = started
    client.post(url(token, number=1), answers(response, 1, "2", comment="first"))
    client.post(url(token, number=1), answers(response, 1, "3", comment="second"))
    assert Answer.objects.filter(response=response).count() == 5
    assert set(stored(response).values()) == {3}
    assert list(Comment.objects.filter(response=response).values_list("text", flat=True)) == [
        "second"
    ]


def test_emptying_the_comment_removes_it(client, started):
    response, token = started
    client.post(url(token, number=1), answers(response, 1, comment="first"))
    client.post(url(token, number=1), answers(response, 1, comment="   "))
    assert not Comment.objects.filter(response=response).exists()


def test_amending_a_submitted_response_saves_and_it_stays_submitted(client, open_round):
    response = make_response(open_round, scores=4)
    token = services.invitation_link(invitation=response.invitation)
    submitted_at = response.submitted_at
    client.post(url(token, number=3), answers(response, 3, "1"))
    response.refresh_from_db()
    assert response.is_submitted
    assert response.submitted_at == submitted_at
    assert sorted(stored(response).values()).count(1) == 4


# Coming back from check your answers


def test_a_page_opened_from_check_your_answers_returns_there(client, started):
    response, token = started
    page = client.get(url(token, number=2) + "?return=check").content.decode()
    assert f'action="{url(token, number=2)}?return=check"' in page
    assert f'href="{url(token, "check")}" class="govuk-back-link"' in page
    reply = client.post(url(token, number=2) + "?return=check", answers(response, 2))
    assert reply["Location"] == url(token, "check")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/admin/"])
def test_the_return_parameter_cannot_send_people_elsewhere(client, started, target):
    response, token = started
    reply = client.post(url(token, number=2) + f"?return={target}", answers(response, 2))
    assert reply["Location"] == url(token, number=3)
    page = client.get(url(token, number=2) + f"?return={target}").content.decode()
    assert "evil" not in page


# Bad input: an error on the page, nothing stored


def test_a_missing_answer_gives_the_error_summary_linked_to_its_first_radio(client, started):
    response, token = started
    questions = page_questions(response, 4)
    data = answers(response, 4)
    del data[f"q{questions[1].pk}"]
    reply = client.post(url(token, number=4), data)
    page = reply.content.decode()
    assert reply.status_code == 200
    assert page.count("<title>Error: ") == 1
    assert 'class="govuk-error-summary"' in page
    statement = questions[1].text.rstrip(".")
    message = f"Select how much you agree that: {statement}, or select Don’t know"
    assert f'<a href="#id_q{questions[1].pk}_1">{message}</a>' in page
    assert "govuk-form-group--error" in page
    assert page.count("govuk-error-message") == 1
    assert stored(response) == {}


def test_nothing_answered_lists_every_statement_in_the_error_summary(client, started):
    response, token = started
    page = client.post(url(token, number=1), {"comment": "only this"}).content.decode()
    for question in page_questions(response, 1):
        assert f'<a href="#id_q{question.pk}_1">' in page
    assert "only this</textarea>" in page  # what was typed is kept
    assert not Comment.objects.exists()


@pytest.mark.parametrize("value", ["7", "0", "-1", "abc", "", "4.0", "None", "１"])
def test_a_tampered_score_is_an_error_and_nothing_is_stored(client, started, value):
    response, token = started
    data = answers(response, 1)
    data[f"q{page_questions(response, 1)[2].pk}"] = value
    reply = client.post(url(token, number=1), data)
    assert reply.status_code == 200
    assert "There is a problem" in reply.content.decode()
    assert stored(response) == {}


def test_a_question_of_another_round_or_page_is_ignored(client, started, partnership):
    response, token = started
    other_round = make_round(partnership, title="Another round")
    foreign = other_round.questions.first()
    other_page = page_questions(response, 2)[0]
    data = answers(response, 1) | {f"q{foreign.pk}": "1", f"q{other_page.pk}": "1"}
    data |= {"q99999999": "2", "qx": "3", "q": "4", "sector": "business"}
    reply = client.post(url(token, number=1), data)
    assert reply.status_code == 302
    assert set(stored(response)) == {q.pk for q in page_questions(response, 1)}
    assert not Answer.objects.filter(question__round=other_round).exists()
    response.refresh_from_db()
    assert response.sector == Sector.THIRD_SECTOR


def test_a_question_of_another_round_does_not_stand_in_for_one_of_this_page(
    client, started, partnership
):
    response, token = started
    other_round = make_round(partnership, title="Another round")
    data = answers(response, 1)
    missing = page_questions(response, 1)[0]
    del data[f"q{missing.pk}"]
    data[f"q{other_round.questions.first().pk}"] = "4"
    reply = client.post(url(token, number=1), data)
    assert f'href="#id_q{missing.pk}_1"' in reply.content.decode()
    assert stored(response) == {}


def test_a_comment_longer_than_2000_characters_is_an_error(client, started):
    response, token = started
    reply = client.post(url(token, number=1), answers(response, 1, comment="x" * 2001))
    page = reply.content.decode()
    assert '<a href="#id_comment">Comments must be 2000 characters or fewer</a>' in page
    assert re.search(r'<textarea[^>]*class="[^"]*--error', page)
    assert stored(response) == {}
    client.post(url(token, number=1), answers(response, 1, comment="x" * 2000))
    assert len(Comment.objects.get(response=response).text) == 2000


def test_another_respondents_page_is_out_of_reach(client, started, open_round):
    # Pages are found through the link's own invitation: there is no id to swap.
    response, token = started
    other, other_token = make_invitation(open_round)
    client.post(url(other_token, "start"), {"sector": Sector.HEALTH})
    client.post(url(other_token, number=1), answers(response, 1, "1"))
    assert stored(response) == {}
    assert Answer.objects.filter(response__invitation=other).count() == 5


def test_direction_override_characters_are_taken_out_of_a_comment(client, started):
    # U+202E would make the words after it read backwards in the report and the PDF.
    response, token = started
    comment = "Minutes \u202aare\u202b late\u202c \u202d\u202eRTL\u2066 and\u2067 \u2068x\u2069"
    client.post(url(token, number=1), answers(response, 1, comment=comment))
    assert Comment.objects.get(response=response).text == "Minutes are late RTL and x"
