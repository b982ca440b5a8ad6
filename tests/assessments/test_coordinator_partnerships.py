"""The dashboard of a coordinator's partnerships and a partnership's page."""

import pytest
from django.urls import reverse

from tests.factories import make_member, make_partnership, make_round

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_only_the_partnerships_i_coordinate(
    coordinator_client, partnership, other_coordinator
):
    response = coordinator_client.get(reverse("assessments:partnership-list"))
    assert list(response.context["partnerships"]) == [partnership]
    assert "Hillside" not in response.content.decode()


def test_a_superuser_sees_every_partnership(admin_client, partnership, other_coordinator):
    response = admin_client.get(reverse("assessments:partnership-list"))
    names = [p.name for p in response.context["partnerships"]]
    assert names == ["Hillside Partnership", "Riverside Partnership"]


def test_a_coordinator_of_nothing_is_told_who_adds_partnerships(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("new", password="x-y-z-1"))
    html = client.get(reverse("assessments:partnership-list")).content.decode()
    assert "You are not on the team of any partnership yet" in html
    assert "A coordinator of your partnership can invite you" in html


def test_the_partnership_page_lists_members_rounds_and_the_buttons(coordinator_client, partnership):
    member = make_member(partnership, name="Ada Lovelace", organisation="Engine CVS")
    make_round(partnership, open=False, title="Spring 2027")
    response = coordinator_client.get(
        reverse("assessments:partnership-detail", args=[partnership.slug])
    )
    html = response.content.decode()
    shown = [member.name, member.email, "Engine CVS", "Third sector (voluntary", "Board member"]
    assert all(text in html for text in shown)
    assert reverse("assessments:member-edit", args=[partnership.slug, member.pk]) in html
    assert "Spring 2027" in html and "Draft" in html
    for name in ["member-add", "member-import", "round-add"]:
        assert reverse(f"assessments:{name}", args=[partnership.slug]) in html


def test_the_partnership_page_leaves_out_erased_members(coordinator_client, partnership):
    from assessments.services import member_erase

    member_erase(member=make_member(partnership, name="Gone Person"))
    html = coordinator_client.get(
        reverse("assessments:partnership-detail", args=[partnership.slug])
    ).content.decode()
    assert "Erased member" not in html and "0 members" not in html
    assert "There are no members yet" in html


@pytest.mark.parametrize("members", [10, 300])
def test_the_partnership_page_takes_the_same_queries_for_any_number_of_members(
    coordinator_client, partnership, django_assert_num_queries, members
):
    for _ in range(members):
        make_member(partnership)
    make_round(partnership, open=False)
    url = reverse("assessments:partnership-detail", args=[partnership.slug])
    # session, user, partnership, members, rounds, the rounds' response counts (one query for
    # all of them: tests/assessments/test_round_management.py pins it for many rounds), the
    # network it is in (none)
    with django_assert_num_queries(7):
        coordinator_client.get(url)


def test_another_partnerships_page_is_not_found(coordinator_client, other_coordinator):
    hillside = reverse("assessments:partnership-detail", args=["hillside"])
    assert coordinator_client.get(hillside).status_code == 404
    unknown = reverse("assessments:partnership-detail", args=[make_partnership().slug])
    assert coordinator_client.get(unknown).status_code == 404
