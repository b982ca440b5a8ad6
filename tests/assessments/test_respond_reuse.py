"""A principle's page is rendered once per wording and then reused, filled in per person.

The reuse must never let anything of one person's into another's page (their answers, comment,
personal link or CSRF token), nor one round's wording into another round's page, and the page
must read exactly as the template renders it in full.
"""

import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from assessments import services
from assessments.access import Link, invitation_for_link
from assessments.forms.respondent import PrincipleForm
from assessments.models import Question, Response, Sector
from assessments.views import respondent as views
from principles.models import Statement
from tests.factories import make_invitation, make_partnership, make_round

PAGE = "respond/principle.html"
STATEMENTS = "respond/includes/_statement_radios.html"


def url(token: str, number: int = 3, **query) -> str:
    path = reverse("respond:principle", kwargs={"token": token, "number": number})
    return path + ("?return=check" if query.get("returning") else "")


def started(round, sector=Sector.HEALTH) -> tuple[Response, str]:
    invitation, token = make_invitation(round)
    return services.response_start(invitation=invitation, sector=sector), token


def questions(round, number: int = 3) -> list[Question]:
    return list(round.questions.filter(principle__number=number).order_by("order"))


def checked(page: str) -> list[tuple[str, str]]:
    return re.findall(r'name="(q\d+)"[^>]*value="([^"]*)" checked="checked"', page)


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def rendered_in_full(token: str, number: int = 3, returning: bool = False) -> str:
    """The page as the template renders it from the view's full context (no reuse)."""
    request = RequestFactory().get(url(token, number, returning=returning))
    request.session = {}
    request._messages = FallbackStorage(request)
    link = Link(token, invitation_for_link(token))
    response = link.invitation.response_or_none
    page = views._page(link.round, response, number)
    initial = PrincipleForm.initial_from(page.saved_scores, page.saved_comment)
    form = PrincipleForm(questions=page.questions, labels=link.round.scale_labels, initial=initial)
    context = views._page_context(link, page, form, returning)
    # The statements as the page included them before it reused them.
    statements = {"statements": form.statements()}
    context["statements_html"] = render_to_string(STATEMENTS, statements)
    return render(request, PAGE, context).content.decode()


@pytest.fixture
def two_people(open_round):
    """Two respondents to the same round: one who answered page 3 and commented, one who has
    not answered it yet."""
    first, first_token = started(open_round)
    on_page = questions(open_round)
    services.response_save_principle(
        response=first,
        principle=on_page[0].principle,
        scores={on_page[0].pk: 5, on_page[1].pk: None},
        comment='Papers come late & "rarely" <b>read</b>',
    )
    _, second_token = started(open_round, sector=Sector.THIRD_SECTOR)
    return first_token, second_token


@pytest.mark.parametrize("returning", [False, True], ids=["in order", "from the check page"])
def test_a_reused_page_reads_as_the_template_renders_it(client, two_people, returning):
    first_token, second_token = two_people
    for token in [second_token, first_token, second_token]:  # the last two reuse the first
        reply = client.get(url(token, returning=returning))
        assert without_csrf(reply.content.decode()) == without_csrf(
            rendered_in_full(token, returning=returning)
        )
    assert PAGE not in [t.name for t in reply.templates]  # reused, not rendered again


def test_another_persons_answers_comment_and_link_never_show(client, two_people, open_round):
    first_token, second_token = two_people
    mine = client.get(url(first_token)).content.decode()
    theirs = client.get(url(second_token))
    page = theirs.content.decode()

    assert PAGE not in [t.name for t in theirs.templates]  # the page was reused
    on_page = questions(open_round)
    assert checked(mine) == [(f"q{on_page[0].pk}", "5"), (f"q{on_page[1].pk}", "dont_know")]
    assert checked(page) == []
    assert "Papers come late &amp; &quot;rarely&quot; &lt;b&gt;read&lt;/b&gt;" in mine
    assert "Papers come late" not in page
    assert first_token not in page and second_token in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine + page)
    assert len(tokens) == 2 and tokens[0] != tokens[1]


def test_each_round_shows_its_own_wording(client, open_round, principles):
    """A later round, opened after an admin reworded a statement, asks the new words, and the
    first round's pages go on asking the words it froze, however often either is reused."""
    _, old_token = started(open_round)
    first = questions(open_round)[0]
    Statement.objects.filter(pk=first.source_id).update(text="Reworded for the next round.")
    later = make_round(make_partnership(), title="Autumn")
    _, new_token = started(later)

    for _ in range(2):  # the second time round, both pages are reused
        old = client.get(url(old_token))
        new = client.get(url(new_token))
        assert first.text in old.content.decode()
        assert "Reworded for the next round." not in old.content.decode()
        assert "Reworded for the next round." in new.content.decode()
        assert first.text not in new.content.decode()
    assert PAGE not in [t.name for t in [*old.templates, *new.templates]]


def test_a_page_sent_back_with_errors_shows_them_and_what_was_chosen(client, two_people):
    _, token = two_people
    client.get(url(token))  # the page as opened, reused from here on
    on_page = questions(invitation_for_link(token).round)
    data = {f"q{q.pk}": "2" for q in on_page[1:]} | {f"q{on_page[0].pk}": "7"}
    page = client.post(url(token), data | {"comment": "x" * 2001}).content.decode()

    assert "<title>Error: " in page
    assert page.count("Select how much you agree that:") == 2  # in the summary and the field
    assert "Comments must be 2000 characters or fewer" in page
    assert checked(page) == [(f"q{q.pk}", "2") for q in on_page[1:]]
    assert "\n" + "x" * 2001 + "</textarea>" in page  # what was typed, to put right
    again = client.get(url(token))
    assert "govuk-error-message" not in again.content.decode()
    assert PAGE not in [t.name for t in again.templates]
