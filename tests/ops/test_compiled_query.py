"""The personal link's lookup, whose SQL is built once per process (lib/compiled.py), finds
what the ORM finds, with the same objects along, and nothing for a link that is not live."""

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from assessments import access, services
from assessments.models import TOKEN_MAX_LENGTH, Invitation
from lib.compiled import CompiledQuery
from tests.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def by_orm(token: str) -> Invitation:
    return Invitation.objects.select_related("round__partnership", "member", "response").get(
        pk=Invitation.objects.for_token(token).get().pk
    )


def test_the_lookup_brings_what_the_orm_brings_in_one_query(open_round):
    response = make_response(open_round, submit=False)
    token = services.invitation_link(invitation=response.invitation)
    expected = by_orm(token)

    with CaptureQueriesContext(connection) as queries:
        found = access.invitation_for_link(token)
        again = access.invitation_for_link(token)  # the SQL kept from the first call
        related = [found.round, found.round.partnership, found.member, found.response_or_none]
    assert len(queries) == 2

    assert fields(found) == fields(again) == fields(expected)
    assert fields(related[0]) == fields(expected.round)  # dates and times as the ORM has them
    assert isinstance(related[0].created_at, type(expected.round.created_at))
    assert fields(related[1]) == fields(expected.round.partnership)
    assert fields(related[2]) == fields(expected.member)
    assert fields(related[3]) == fields(expected.response)
    assert not found._state.adding and found._state.db == "default"


def test_an_invitation_without_a_response_has_none(open_round):
    invitation, token = make_invitation(open_round)
    with CaptureQueriesContext(connection) as queries:
        found = access.invitation_for_link(token)
        assert found == invitation
        assert found.response_or_none is None  # known from the one query: no second
    assert len(queries) == 1


def test_the_found_objects_save_as_loaded_ones_do(open_round):
    invitation, token = make_invitation(open_round)
    found = access.invitation_for_link(token)
    found.member.name = "Renamed through the lookup"
    found.member.save()
    assert model_to_dict(by_orm(token).member)["name"] == "Renamed through the lookup"


@pytest.mark.parametrize("token", ["", "unknown", "x" * (TOKEN_MAX_LENGTH + 1)])
def test_a_link_that_is_not_live_finds_nothing(open_round, token):
    make_invitation(open_round)
    assert access.invitation_for_link(token) is None


def test_a_replaced_link_finds_nothing_and_its_new_one_the_invitation(open_round):
    invitation, old = make_invitation(open_round)
    new = services.invitation_new_link(invitation=invitation)
    assert access.invitation_for_link(old) is None
    assert access.invitation_for_link(new) == invitation


def test_a_query_that_takes_its_value_twice_or_annotates_is_refused(open_round):
    twice = CompiledQuery(
        lambda value: Invitation.objects.filter(Q(token_hash=value) | Q(link_secret=value))
    )
    annotated = CompiledQuery(
        lambda value: Invitation.objects.filter(token_hash=value).annotate(n=Count("pk"))
    )
    for query in (twice, annotated):
        with pytest.raises(ValueError, match="takes its value once"):
            query.get("anything")
