"""The respondent's start page, and what every personal link does when it cannot be used."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Comment, Response, Sector
from tests.factories import make_invitation, make_member, make_response, make_round


def url(token: str, name: str = "start", **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


def all_urls(token: str) -> list[str]:
    return [url(token), url(token, "principle", number=1), url(token, "check"), url(token, "done")]


def save_principles(response: Response, count: int, score: int | None = 4) -> None:
    for principle in response.round.principles.order_by("number")[:count]:
        scores = {question.pk: score for question in principle.questions.all()}
        services.response_save_principle(
            response=response, principle=principle, scores=scores, comment=""
        )


# The start page


def test_start_page_says_what_how_long_and_how_answers_are_kept_anonymous(client, respondent):
    invitation, token = respondent
    round = invitation.round
    page = client.get(url(token)).content.decode()
    assert "Riverside Partnership" in page
    assert "Autumn 2026" in page
    assert round.closes_on.strftime("%-d %B %Y") in page
    assert "about 15 minutes" in page
    assert "29 statements on 7 short pages" in page
    assert "never shows who said what" in page
    assert f"If fewer than {round.min_group_size} people from a sector answer" in page
    assert "Comments appear in the report without names" in page
    assert "never your answers" in page
    assert "Start now" in page


def test_start_page_counts_the_rounds_own_statements(client, partnership, principles):
    # A round that asks fewer statements says so; the count comes from its frozen questions.
    round = make_round(partnership)
    round.questions.filter(principle__number=1).delete()
    _, token = make_invitation(round)
    page = client.get(url(token)).content.decode()
    assert "24 statements on 7 short pages" in page


def test_start_page_selects_the_members_sector(client, open_round):
    member = make_member(open_round.partnership, sector=Sector.HEALTH)
    _, token = make_invitation(open_round, member)
    page = client.get(url(token)).content.decode()
    assert re.findall(r'value="([^"]*)"\s*checked="checked"', page) == ["health"]


def test_start_page_does_not_show_the_members_name(client, respondent):
    # Links get forwarded; the page need not tell anyone whose link it is.
    invitation, token = respondent
    page = client.get(url(token)).content.decode()
    assert invitation.member.name not in page
    assert invitation.member.email not in page


def test_respondent_pages_have_no_account_links(client, respondent, coordinator):
    # Respondents have no account; a coordinator trying their own link sees no account menu.
    _, token = respondent
    assert "Sign in" not in client.get(url(token)).content.decode()
    client.force_login(coordinator)
    assert "Sign out" not in client.get(url(token)).content.decode()


def test_starting_records_the_confirmed_sector_and_opens_the_first_principle(client, respondent):
    invitation, token = respondent
    reply = client.post(url(token), {"sector": Sector.BUSINESS})
    assert reply.status_code == 302
    assert reply["Location"] == url(token, "principle", number=1)
    response = Response.objects.get(invitation=invitation)
    assert response.sector == Sector.BUSINESS
    assert response.status == Response.Status.DRAFT


def test_starting_twice_gives_one_response_with_the_latest_sector(client, respondent):
    invitation, token = respondent
    client.post(url(token), {"sector": Sector.HEALTH})
    client.post(url(token), {"sector": Sector.THIRD_SECTOR})
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Response.objects.get(invitation=invitation).sector == Sector.THIRD_SECTOR


@pytest.mark.parametrize("sector", ["", "martians", "third_sector'--"])
def test_a_tampered_sector_is_an_error_and_nothing_is_stored(client, respondent, sector):
    _, token = respondent
    reply = client.post(url(token), {"sector": sector})
    page = reply.content.decode()
    assert reply.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#id_sector_1">Select the sector you represent' in page
    assert Response.objects.count() == 0


def test_the_link_resumes_at_the_first_page_left_unanswered(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR)
    save_principles(response, 2)
    page = client.get(url(token)).content.decode()
    assert "You have answered 2 of 7 principles" in page
    assert "Continue" in page
    assert "Start now" not in page
    reply = client.post(url(token), {"sector": Sector.THIRD_SECTOR})
    assert reply["Location"] == url(token, "principle", number=3)


def test_a_page_answered_in_part_is_where_the_link_resumes(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR)
    save_principles(response, 7)
    Answer.objects.filter(response=response, question__principle__number=5).first().delete()
    assert "You have answered 6 of 7 principles" in client.get(url(token)).content.decode()
    reply = client.post(url(token), {"sector": Sector.THIRD_SECTOR})
    assert reply["Location"] == url(token, "principle", number=5)


def test_with_every_page_answered_start_goes_to_check_your_answers(client, respondent):
    invitation, token = respondent
    response = services.response_start(invitation=invitation, sector=Sector.THIRD_SECTOR)
    save_principles(response, 7)
    reply = client.post(url(token), {"sector": Sector.THIRD_SECTOR})
    assert reply["Location"] == url(token, "check")


def test_after_submitting_the_start_page_says_so_and_links_to_check(client, open_round):
    response = make_response(open_round, sector=Sector.HEALTH)
    token = services.invitation_link(invitation=response.invitation)
    page = client.get(url(token)).content.decode()
    assert "You submitted your answers on" in page
    assert f'href="{url(token, "check")}">check and change your answers' in page
    assert open_round.closes_on.strftime("%-d %B %Y") in page
    reply = client.post(url(token), {"sector": Sector.HEALTH})
    assert reply["Location"] == url(token, "check")
    response.refresh_from_db()
    assert response.is_submitted


# Links that do not work, and rounds that do not take answers


@pytest.mark.parametrize(
    "token", ["nonsense", "x" * 43, "x" * 500, "%00", "..", "%3Cscript%3E", "é"]
)
def test_an_unknown_link_says_it_does_not_work(client, respondent, token):
    for path in [f"/r/{token}/", f"/r/{token}/principles/1/", f"/r/{token}/check/"]:
        reply = client.get(path)
        assert reply.status_code == 404
        assert "This link does not work" in reply.content.decode()
        assert "newer link" in reply.content.decode()


def test_a_replaced_link_stops_working_and_the_new_one_works(client, respondent):
    invitation, old = respondent
    new = services.invitation_new_link(invitation=invitation)
    for path in all_urls(old):
        assert client.get(path).status_code == 404
    for path in all_urls(old)[:3]:
        assert client.post(path, {"sector": Sector.HEALTH}).status_code == 404
    assert Response.objects.count() == 0
    assert client.get(url(new)).status_code == 200


def test_a_draft_round_is_not_open_yet(client, partnership, principles):
    round = make_round(partnership, open=False)
    _, token = make_invitation(round)
    for path in all_urls(token):
        reply = client.get(path)
        assert reply.status_code == 200
        assert "This assessment is not open yet" in reply.content.decode()
    reply = client.post(url(token), {"sector": Sector.HEALTH})
    assert "This assessment is not open yet" in reply.content.decode()
    assert Response.objects.count() == 0


def test_a_closed_round_says_so_on_every_page(client, respondent):
    invitation, token = respondent
    services.round_close(round=invitation.round)
    for path in all_urls(token):
        reply = client.get(path)
        assert reply.status_code == 200
        assert "This assessment has closed" in reply.content.decode()


def test_a_round_past_its_closing_date_is_closed_though_not_yet_closed_by_hand(
    client, partnership, principles
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    round = make_round(
        partnership, opens_on=yesterday - datetime.timedelta(days=10), closes_on=yesterday
    )
    _, token = make_invitation(round)
    page = client.get(url(token)).content.decode()
    assert "This assessment has closed" in page
    assert f"closed on {yesterday.strftime('%-d %B %Y')}" in page


def test_posts_to_a_closed_round_are_refused_and_store_nothing(client, open_round):
    response = make_response(open_round, scores=4, submit=False, comments={1: "before"})
    token = services.invitation_link(invitation=response.invitation)
    services.round_close(round=open_round)
    principle = open_round.principles.get(number=1)
    changed = {f"q{q.pk}": "1" for q in principle.questions.all()} | {"comment": "after"}
    posts = [
        (url(token), {"sector": Sector.BUSINESS}),
        (url(token, "principle", number=1), changed),
        (url(token, "check"), {}),
    ]
    for path, data in posts:
        reply = client.post(path, data)
        assert reply.status_code == 409
        assert "This assessment has closed" in reply.content.decode()
    response.refresh_from_db()
    assert response.sector == Sector.THIRD_SECTOR
    assert response.status == Response.Status.DRAFT
    assert set(Answer.objects.filter(response=response).values_list("score", flat=True)) == {4}
    assert Comment.objects.get(response=response, principle=principle).text == "before"


def test_the_closed_page_tells_someone_who_submitted_that_their_answers_count(client, open_round):
    response = make_response(open_round)
    token = services.invitation_link(invitation=response.invitation)
    services.round_close(round=open_round)
    assert "Your answers were submitted on" in client.get(url(token)).content.decode()


# HTTP methods and caching


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, respondent, method):
    _, token = respondent
    for path in all_urls(token):
        assert getattr(client, method)(path).status_code == 405


def test_the_confirmation_page_does_not_take_posts(client, respondent):
    _, token = respondent
    assert client.post(url(token, "done")).status_code == 405


def test_pages_with_answers_are_never_cached(client, respondent):
    _, token = respondent
    assert "no-store" in client.get(url(token))["Cache-Control"]
