"""Respondent pages run a fixed number of queries, however large the partnership.

Counts are taken inside the test's transaction, so each service's transaction.atomic shows
as a SAVEPOINT and a RELEASE SAVEPOINT (BEGIN and COMMIT in production, which Django does not
count).
"""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Member, Response, Sector
from tests.factories import make_response


def url(token: str, name: str, **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


@pytest.fixture(params=[10, 500], ids=["10 members", "500 members"])
def crowded(request, open_round):
    """A respondent half-way through, in a partnership of many invited members, some of whom
    have answered: (response, token)."""
    sectors = Sector.values
    Member.objects.bulk_create(
        Member(
            partnership=open_round.partnership,
            name=f"Bulk member {n}",
            email=f"bulk{n}@example.org",
            sector=sectors[n % len(sectors)],
        )
        for n in range(request.param)
    )
    services.invitations_create(round=open_round)
    for sector in [Sector.THIRD_SECTOR, Sector.HEALTH, Sector.BUSINESS]:
        make_response(open_round, sector=sector, comments={3: "Another person's comment"})
    response = make_response(open_round, submit=False)
    token = services.invitation_link(invitation=response.invitation)
    assert open_round.invitations.count() >= request.param
    return response, token


def page_data(response: Response, number: int, value: str = "2") -> dict[str, str]:
    questions = response.round.questions.filter(principle__number=number)
    return {f"q{q.pk}": value for q in questions} | {"comment": "Mine"}


def test_start_page(client, crowded, django_assert_num_queries):
    _, token = crowded
    with django_assert_num_queries(3):
        # 1 the invitation by its token's hash, with its round, partnership, member and
        #   response
        # 2 the round's principles, each with its number of statements
        # 3 this response's answers counted per principle
        reply = client.get(url(token, "start"))
    assert "You have answered 7 of 7 principles" in reply.content.decode()


def test_principle_page_get(client, crowded, django_assert_num_queries):
    _, token = crowded
    with django_assert_num_queries(2):
        # 1 the invitation by its token's hash, with its round (and the scale it froze),
        #   partnership, member and response
        # 2 the round's principles ("Principle 3 of 7", the back link) with their questions,
        #   and this response's saved answers and comments joined on (one row a question)
        reply = client.get(url(token, "principle", number=3))
    assert "Principle 3 of 7" in reply.content.decode()
    assert "Another person" not in reply.content.decode()
    with django_assert_num_queries(2):
        # 1 the invitation, as above (its SQL written once per process)
        # 2 this response's answers and comment on page 4 (the round's wording was read with
        #   page 3, once per process: it is frozen)
        reply = client.get(url(token, "principle", number=4))
    assert "Principle 4 of 7" in reply.content.decode()


def test_principle_page_post(client, crowded, django_assert_num_queries):
    response, token = crowded
    data = page_data(response, 3)
    with django_assert_num_queries(10):
        # 1 the invitation by its token's hash, with its round, partnership, member and
        #   response
        # 2 the round's principles (which page comes next) with their questions (the form's
        #   fields), and saved answers and comments joined on (one query, as for GET)
        # 3 SAVEPOINT of response_save_principle's transaction
        # 4 the round still open, checked inside the transaction
        # 5 the page's question ids, checked again by the service
        # 6 upsert of the page's answers
        # 7 upsert of the comment
        # 8 the response's updated_at
        # 9 its revision, if it is submitted (it is not: a draft's changes are in no figure)
        # 10 RELEASE SAVEPOINT
        reply = client.post(url(token, "principle", number=3), data)
    assert reply["Location"] == url(token, "principle", number=4)


def test_principle_page_post_with_an_error(client, crowded, django_assert_num_queries):
    response, token = crowded
    data = page_data(response, 3, value="7")
    with django_assert_num_queries(2):
        # 1 invitation with its response (and the round's frozen scale), 2 principles with
        # their questions (and saved answers); nothing written
        reply = client.post(url(token, "principle", number=3), data)
    assert "There is a problem" in reply.content.decode()


def test_check_answers(client, crowded, django_assert_num_queries):
    _, token = crowded
    with django_assert_num_queries(5):
        # 1 the invitation by its token's hash, with its round (and its frozen scale),
        #   partnership, member and response
        # 2 this response's answers
        # 3 this response's comments
        # 4 the round's principles
        # 5 their questions (prefetched)
        reply = client.get(url(token, "check"))
    assert reply.content.decode().count("Change<span") == 8  # sector and seven principles


def test_submit(client, crowded, django_assert_num_queries):
    _, token = crowded
    with django_assert_num_queries(10):
        # 1 the invitation by its token's hash, with its round, partnership, member and
        #   response
        # 2 SAVEPOINT of response_submit's transaction
        # 3 the response again, locked for update
        # 4 the round still open, checked inside the transaction
        # 5 the principles with a statement unanswered (none)
        # 6 the response marked submitted
        # 7 its revision counted
        # 8 the disclosure gate: the round locked, with its minimum group size
        # 9 the gate: responses submitted or amended since the last snapshot (too few to
        #   take a new one)
        # 10 RELEASE SAVEPOINT
        reply = client.post(url(token, "check"))
    assert reply["Location"] == url(token, "done")
