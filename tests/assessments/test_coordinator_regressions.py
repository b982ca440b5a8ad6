"""Inputs the fuzz tests (tests/fuzz/) found to crash a coordinator page or store a bad row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Member, Round
from tests.factories import make_member, make_round

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year + 1


def url(name, partnership, *args):
    return reverse(f"assessments:{name}", args=[partnership.slug, *args])


def errors(response) -> list[str]:
    return [message for _, message in response.context["form"].error_links()]


@pytest.mark.parametrize("pk", [2**63, 2**70, -1])
def test_a_member_id_beyond_64_bits_is_an_error_not_a_server_error(
    coordinator_client, partnership, pk
):
    # Found by test_round_invitees_form: {'members': ['9223372036854775808']} reached SQLite
    # in a `pk__in` lookup and raised OverflowError.
    member = make_member(partnership)
    round = make_round(partnership, open=False, invite_all_members=False)
    response = coordinator_client.post(
        url("round-invitees", partnership, round.pk), {"members": [str(member.pk), str(pk)]}
    )
    assert response.status_code == 200
    assert errors(response) == ["Select members of this partnership who are not yet invited"]
    assert not Invitation.objects.filter(round=round).exists()


@pytest.mark.parametrize("day, month", [("2147483648", "10"), ("1", str(10**20))])
def test_a_day_or_month_too_big_for_a_date_is_an_error_not_a_server_error(
    coordinator_client, partnership, day, month
):
    # Found by test_round_form: a closing day of 2147483648 made datetime.date raise
    # OverflowError, which the date field did not catch.
    data = {
        "title": "Autumn",
        "opens_on_0": "1",
        "opens_on_1": "10",
        "opens_on_2": str(YEAR),
        "closes_on_0": day,
        "closes_on_1": month,
        "closes_on_2": str(YEAR),
        "min_group_size": "5",
    }
    response = coordinator_client.post(url("round-add", partnership), data)
    assert response.status_code == 200
    assert errors(response) == ["Closing date must be a real date"]
    assert not Round.objects.exists()


def test_an_imported_email_longer_than_the_column_is_refused(coordinator_client, partnership):
    # Found by test_member_import: validate_email takes up to 320 characters, so an address of
    # 255 was stored on SQLite (which does not check lengths) and would be a DataError, a 500,
    # on PostgreSQL. The member form refuses it; the import now does too.
    longest = "a" * (254 - len("@example.org")) + "@example.org"
    too_long = "b" + longest
    text = f"name,email,sector\nAl,{longest},health\nBo,{too_long},health\n"
    upload = SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")
    response = coordinator_client.post(url("member-import", partnership), {"file": upload})
    assert response.status_code == 200
    problems = [(p.line, p.message) for p in response.context["problems"]]
    assert problems == [(3, "E-mail address must be 254 characters or fewer")]
    assert not Member.objects.filter(partnership=partnership).exists()


def test_an_over_long_e_mail_or_name_gets_a_message_in_the_services_own_words(
    coordinator_client, partnership
):
    from django.urls import reverse

    page = coordinator_client.post(
        reverse("assessments:member-add", args=["riverside"]),
        {
            "name": "N" * 151,
            "email": "a" * 250 + "@example.org",
            "sector": "health",
            "role": "board",
        },
    )
    html = page.content.decode()
    assert "E-mail address must be 254 characters or fewer" in html
    assert "Name must be 150 characters or fewer" in html
