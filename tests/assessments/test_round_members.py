"""The members of a round on its page: filtered by response and sector, sorted, and the list of
who has not responded as a CSV for the coordinator's own reminders."""

import csv
import io

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Invitation, Member, Response, Sector, token_new
from tests.factories import make_invitation, make_member, make_response, make_round

pytestmark = pytest.mark.django_db


def url(name, round, **query):
    address = reverse(f"assessments:{name}", args=[round.partnership.slug, round.pk])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def names(response) -> list[str]:
    return [invitation.member.name for invitation in response.context["invitations"]]


@pytest.fixture
def crowd(open_round):
    """Five invited members: two not started, one in progress, two submitted."""
    partnership = open_round.partnership

    def member(name, sector):
        return make_member(partnership, name=name, sector=sector)

    make_invitation(open_round, member("Ann Not-started", Sector.THIRD_SECTOR))
    make_invitation(open_round, member("Eve Not-started", Sector.HEALTH))
    make_response(open_round, member=member("Cat In-progress", Sector.HEALTH), submit=False)
    make_response(open_round, member=member("Bob Submitted", Sector.THIRD_SECTOR))
    make_response(open_round, member=member("Dan Submitted", Sector.HEALTH), sector=Sector.HEALTH)
    return open_round


def test_all_invited_members_are_listed_by_name_with_the_count(coordinator_client, crowd):
    response = coordinator_client.get(url("round-detail", crowd))
    assert names(response) == [
        "Ann Not-started",
        "Bob Submitted",
        "Cat In-progress",
        "Dan Submitted",
        "Eve Not-started",
    ]
    assert "Showing 5 of 5 members" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("not_started", ["Ann Not-started", "Eve Not-started"]),
        ("in_progress", ["Cat In-progress"]),
        ("submitted", ["Bob Submitted", "Dan Submitted"]),
    ],
)
def test_members_can_be_filtered_by_response(coordinator_client, crowd, status, shown):
    response = coordinator_client.get(url("round-detail", crowd, status=status))
    assert names(response) == shown
    html = response.content.decode()
    assert f"Showing {len(shown)} of 5 members" in html
    assert f'<option value="{status}" selected>' in html  # the form says what is applied


def test_members_can_be_filtered_by_sector_and_response_together(coordinator_client, crowd):
    response = coordinator_client.get(url("round-detail", crowd, sector="health"))
    assert names(response) == ["Cat In-progress", "Dan Submitted", "Eve Not-started"]
    both = coordinator_client.get(url("round-detail", crowd, sector="health", status="submitted"))
    assert names(both) == ["Dan Submitted"]
    assert "Showing 1 of 5 members" in both.content.decode()


def test_the_sector_filter_is_the_members_recorded_sector_never_the_one_they_answered_as(
    coordinator_client, open_round
):
    # Recorded as third sector by the coordinator, answered as health: filtering by the chosen
    # sector would tell the coordinator which sector a named person said they answer for.
    member = make_member(open_round.partnership, name="Jo Recorded", sector=Sector.THIRD_SECTOR)
    make_response(open_round, member=member, sector=Sector.HEALTH)
    health = coordinator_client.get(url("round-detail", open_round, sector="health"))
    assert names(health) == []
    assert "No invited members match what you chose." in health.content.decode()
    third = coordinator_client.get(url("round-detail", open_round, sector="third_sector"))
    assert names(third) == ["Jo Recorded"]


def test_members_can_be_sorted_by_response_not_started_first(coordinator_client, crowd):
    response = coordinator_client.get(url("round-detail", crowd, sort="status"))
    assert names(response) == [
        "Ann Not-started",
        "Eve Not-started",
        "Cat In-progress",
        "Bob Submitted",
        "Dan Submitted",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "sector=charity&sort=age",
        "status=&sector=&sort=",
        "status=submitted%00&sector[]=x",
        "sort=" + "x" * 5000,
    ],
)
def test_values_the_form_does_not_offer_are_ignored_without_an_error(
    coordinator_client, crowd, query
):
    address = reverse("assessments:round-detail", args=[crowd.partnership.slug, crowd.pk])
    response = coordinator_client.get(f"{address}?{query}")
    assert response.status_code == 200
    assert len(names(response)) == 5
    html = response.content.decode()
    assert "govuk-error" not in html
    assert "Showing 5 of 5 members" in html


def test_the_filter_form_works_without_javascript(coordinator_client, crowd):
    html = coordinator_client.get(url("round-detail", crowd)).content.decode()
    action = url("round-detail", crowd)
    assert f'<form method="get" action="{action}#invited-members"' in html
    for name in ("status", "sector", "sort"):
        assert f'name="{name}"' in html
    assert ">Apply</button>" in html


def bulk_invited(round, count: int) -> None:
    partnership = round.partnership
    members = Member.objects.bulk_create(
        Member(
            partnership=partnership,
            name=f"Person {n}",
            email=f"person{n}@example.org",
            sector=Sector.HEALTH if n % 2 else Sector.BUSINESS,
        )
        for n in range(count)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(round=round, member=member, token_hash=token_new()[1]) for member in members
    )
    Response.objects.bulk_create(
        Response(round=round, invitation=invitation, sector=Sector.HEALTH)
        for n, invitation in enumerate(invitations)
        if n % 3 == 0
    )


@pytest.mark.parametrize("members", [10, 400])
def test_a_filtered_page_takes_the_same_queries_for_10_or_400_members(
    coordinator_client, open_round, django_assert_num_queries, members
):
    bulk_invited(open_round, members)
    # session, user, partnership, round, the invitations with their members and responses
    # (filtered, sorted and counted from this one list: no query per row or per filter), the
    # current members and how many are invited ("Who is invited"), the counts by sector (through
    # the disclosure gate)
    with django_assert_num_queries(7):
        response = coordinator_client.get(
            url("round-detail", open_round, status="in_progress", sector="health", sort="status")
        )
    shown = response.context["invitations"]
    assert shown and all(i.member.sector == Sector.HEALTH for i in shown)


# Who has not responded, as a CSV


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_non_responder_csv_has_names_and_e_mails_of_who_has_not_submitted(
    coordinator_client, crowd
):
    response = coordinator_client.get(url("round-not-responded", crowd))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    slug = crowd.partnership.slug
    assert response["Content-Disposition"] == (
        f'attachment; filename="{slug}-round-{crowd.pk}-not-responded.csv"'
    )
    found = rows(response)
    assert found[0] == ["Name", "E-mail address"]
    assert [name for name, _ in found[1:]] == [
        "Ann Not-started",
        "Cat In-progress",
        "Eve Not-started",
    ]
    emails = dict(Member.objects.values_list("name", "email"))
    assert all(email == emails[name] for name, email in found[1:])


def test_the_non_responder_csv_leaves_out_erased_members_and_ignores_other_rounds(
    coordinator_client, open_round
):
    partnership = open_round.partnership
    erased = make_member(partnership, name="Gone Member")
    make_invitation(open_round, erased)
    services.member_erase(member=erased)
    # Submitted in another round, not in this one: still someone to remind here.
    busy = make_member(partnership, name="Busy Elsewhere")
    make_invitation(open_round, busy)
    make_response(make_round(partnership), member=busy)
    found = rows(coordinator_client.get(url("round-not-responded", open_round)))
    assert found == [["Name", "E-mail address"], ["Busy Elsewhere", busy.email]]


def test_a_name_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    coordinator_client, open_round
):
    make_invitation(open_round, make_member(open_round.partnership, name="=HYPERLINK(1)"))
    found = rows(coordinator_client.get(url("round-not-responded", open_round)))
    assert found[1][0] == "'=HYPERLINK(1)"


def test_the_round_page_links_the_non_responder_csv_with_how_many_are_on_it(
    coordinator_client, crowd
):
    html = coordinator_client.get(url("round-detail", crowd)).content.decode()
    assert f'href="{url("round-not-responded", crowd)}" download' in html
    assert "Download the names and e-mail addresses of the 3 members who have not responded" in html


def test_the_link_is_not_offered_once_everyone_has_responded(coordinator_client, open_round):
    make_response(open_round)
    html = coordinator_client.get(url("round-detail", open_round)).content.decode()
    assert url("round-not-responded", open_round) not in html
    assert "Showing 1 of 1 member" in html


def test_another_partnerships_coordinator_gets_404_for_the_csv(client, other_coordinator, crowd):
    client.force_login(other_coordinator)
    assert client.get(url("round-not-responded", crowd)).status_code == 404
