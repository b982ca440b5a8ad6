"""Who reaches the respondent pages: the personal link is the only key.

Being signed in (as a coordinator of this or another partnership, or as an admin) adds
nothing; holding a link to another round reaches only that round; without the link
everyone gets the "link does not work" page.
"""

import pytest
from django.urls import get_resolver, reverse

from assessments import services
from assessments.models import Response, Sector
from tests.factories import make_invitation, make_response, make_round

PERSONAS = ["anonymous", "respondent of another round", "other coordinator", "coordinator", "admin"]
PAGES = ["start", "principle", "check", "done"]


def url(token: str, name: str) -> str:
    kwargs = {"number": 1} if name == "principle" else {}
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


@pytest.fixture
def target(open_round):
    """A submitted response and its link: the thing every persona tries to reach."""
    response = make_response(open_round, scores=2, comments={1: "Target's private comment"})
    return response, services.invitation_link(invitation=response.invitation)


@pytest.fixture
def as_persona(
    request, client, coordinator, other_coordinator, admin_user, partnership, principles
):
    persona = request.param
    users = {"coordinator": coordinator, "other coordinator": other_coordinator}
    users["admin"] = admin_user
    if persona in users:
        client.force_login(users[persona])
    client.own_token = None
    if persona == "respondent of another round":
        other_round = make_round(partnership, title="The other round")
        invitation, client.own_token = make_invitation(other_round)
        services.response_start(invitation=invitation, sector=Sector.HEALTH)
    return client


@pytest.mark.parametrize("as_persona", PERSONAS, indirect=True)
@pytest.mark.parametrize("token", ["not-a-link", "target but one", "target and one"])
def test_without_the_link_nobody_reaches_a_response(as_persona, target, token):
    token = {"target but one": target[1][:-1], "target and one": target[1] + "x"}.get(token, token)
    for name in PAGES:
        reply = as_persona.get(url(token, name))
        assert reply.status_code == 404
        assert "This link does not work" in reply.content.decode()
        if name != "done":
            assert as_persona.post(url(token, name), {"sector": "business"}).status_code == 404
    response = target[0]
    response.refresh_from_db()
    assert response.sector == Sector.THIRD_SECTOR


@pytest.mark.parametrize("as_persona", ["respondent of another round"], indirect=True)
def test_another_rounds_link_reaches_only_that_round(as_persona, target):
    for name in PAGES:
        reply = as_persona.get(url(as_persona.own_token, name), follow=True)
        page = reply.content.decode()
        assert reply.status_code == 200
        assert "The other round" in page or "Principle 1 of 7" in page
        assert "Target&#x27;s private comment" not in page
        if name == "principle":
            assert 'checked="checked"' not in page  # nothing of the target's answers
        else:
            assert "2 Disagree" not in page


@pytest.mark.parametrize("as_persona", PERSONAS, indirect=True)
def test_with_the_link_everyone_gets_the_same_page_and_no_more(as_persona, target):
    for name in PAGES:
        reply = as_persona.get(url(target[1], name))
        assert reply.status_code == 200
        page = reply.content.decode()
        assert "Sign out" not in page and "Admin</a>" not in page
        if name == "check":
            assert "Target&#x27;s private comment" in page
    assert Response.objects.filter(invitation=target[0].invitation).count() == 1


def test_every_respondent_url_is_in_the_matrix():
    _, resolver = get_resolver().namespace_dict["respond"]
    assert {pattern.name for pattern in resolver.url_patterns} == set(PAGES)
