import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from assessments import access, services
from assessments.models import Member, Round
from tests.factories import make_member, make_response, make_round

pytestmark = pytest.mark.django_db


def database_contains(text: str) -> list[str]:
    """Every table.column in the whole database whose value contains `text`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                sql = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                sql += f"WHERE CAST({name} AS TEXT) LIKE %s"
                try:
                    with transaction.atomic():
                        cursor.execute(sql, [f"%{text}%"])
                        if cursor.fetchone()[0]:
                            found.append(f"{table}.{column.name}")
                except DatabaseError:
                    continue  # a column that cannot be read as text holds no name
    return found


def test_erasing_a_member_leaves_the_results_and_removes_the_person(partnership, principles):
    round = make_round(partnership)
    person = make_member(
        partnership,
        name="Winifred Quarterman",
        email="winifred.q@example.org",
        organisation="Quarterman Trust",
    )
    make_response(round, scores=2, member=person, comments={1: "Fine by me"})
    make_response(round, scores=5)
    before = list(round.responses.values_list("sector", "answers__score"))
    assert database_contains("Quarterman")

    services.member_erase(member=person)

    assert list(round.responses.values_list("sector", "answers__score")) == before
    assert database_contains("Quarterman") == []
    assert database_contains("winifred.q@example.org") == []
    assert access.invitation_for_link("anything") is None


def test_an_erased_member_can_be_added_again_with_the_same_email(partnership):
    person = make_member(partnership, email="back@example.org")
    services.member_erase(member=person)
    make_member(partnership, email="back@example.org")
    assert Member.objects.active().filter(email="back@example.org").count() == 1


def test_purge_erases_members_of_rounds_closed_longer_ago_than_the_retention(
    partnership, principles
):
    old = make_round(partnership)
    stale = make_response(old).invitation.member
    services.round_close(round=old)
    Round.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    recent = make_round(partnership, invite_all_members=False)
    current = make_response(recent).invitation.member
    never_invited = Member.objects.create(
        partnership=partnership, name="New Member", email="new@example.org", sector="health"
    )

    out = StringIO()
    call_command("purge_personal_data", "--months", "12", stdout=out)

    assert "1 member(s)" in out.getvalue()
    stale.refresh_from_db()
    assert stale.erased_at and stale.name == services.ERASED_NAME
    assert Member.objects.active().filter(pk__in=[current.pk, never_invited.pk]).count() == 2


def test_purge_keeps_members_of_rounds_closed_within_the_retention(partnership, principles):
    old = make_round(partnership)
    make_response(old)
    services.round_close(round=old)
    Round.objects.filter(pk=old.pk).update(closed_at=timezone.now() - datetime.timedelta(days=200))
    call_command("purge_personal_data", "--months", "12", stdout=StringIO())
    assert not Member.objects.filter(erased_at__isnull=False).exists()


def test_purge_removes_failed_sign_in_records_over_a_day_old(db):
    from axes.models import AccessAttempt

    old = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=2)
    )
    recent = AccessAttempt.objects.create(
        username="y", ip_address="10.0.0.2", failures_since_start=1
    )
    call_command("purge_personal_data", stdout=StringIO())
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
