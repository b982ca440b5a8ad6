"""Who reaches the network pages and the coordinator's network actions, and what each page
costs in queries, whatever the number of partnerships."""

import pytest
from django.urls import reverse

from assessments.models import Sector
from networks.models import NetworkMembership, SharedRound
from tests.factories import (
    closed_round_bulk,
    make_network,
    make_partnership,
    make_round,
    make_user,
    network_join,
    share_round,
)

pytestmark = pytest.mark.django_db

GROUPS = [(Sector.THIRD_SECTOR, 5, 4), (Sector.HEALTH, 5, 3)]


@pytest.fixture
def network(db):
    return make_network("Northshire Voluntary Action Network", slug="northshire")


@pytest.fixture
def shared(network, partnership, principles):
    """The coordinator's partnership in the network, with a shared closed round."""
    network_join(partnership, network)
    round = closed_round_bulk(partnership, GROUPS, title="Spring 2026")
    share_round(round)
    return round


def staff_of(network):
    user = make_user()
    network.staff.add(user)
    return user


# The network's pages: its staff and superusers; anyone else 404


def staff_urls(network, round) -> list[str]:
    return [
        reverse("networks:network-detail", args=[network.slug]),
        reverse("networks:network-round", args=[network.slug, round.pk]),
    ]


def test_the_network_s_staff_and_a_superuser_reach_its_pages(client, network, shared, admin_user):
    for user in (staff_of(network), admin_user):
        client.force_login(user)
        assert client.get(reverse("networks:network-list")).status_code == 200
        for url in staff_urls(network, shared):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["another network's staff", "the coordinator", "someone"])
def test_anyone_else_gets_404(client, network, shared, who):
    users = {
        "another network's staff": lambda: staff_of(make_network()),
        "the coordinator": lambda: shared.partnership.coordinators.get(),
        "someone": make_user,
    }
    client.force_login(users[who]())
    for url in staff_urls(network, shared):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("networks:network-list")).content.decode()
    assert "Northshire Voluntary Action Network" not in listing
    if who != "another network's staff":
        assert "You are not on the staff of any network" in listing


def test_a_visitor_is_sent_to_sign_in(client, network, shared):
    for url in [reverse("networks:network-list"), *staff_urls(network, shared)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_another_network_s_round_is_not_found_through_this_one(client, network, shared):
    other = make_network()
    elsewhere = make_partnership()
    network_join(elsewhere, other)
    round = closed_round_bulk(elsewhere, GROUPS)
    share_round(round)
    client.force_login(staff_of(network))
    url = reverse("networks:network-round", args=[network.slug, round.pk])
    assert client.get(url).status_code == 404


def test_the_shared_report_is_the_forum_s_read_only_report(client, network, shared):
    client.force_login(staff_of(network))
    html = client.get(reverse("networks:network-round", args=[network.slug, shared.pk])).content
    html = html.decode()
    assert "has shared this report with Northshire Voluntary Action Network" in html
    assert "Summary of the seven principles" in html
    assert "Add an action" not in html and "/share/" not in html  # nothing to change
    assert 'id="benchmark"' not in html


def test_the_network_list_and_the_staff_menu(client, network, shared):
    user = staff_of(network)
    client.force_login(user)  # the menu item is decided at sign-in
    html = client.get(reverse("networks:network-list")).content.decode()
    assert "Your networks" in html and "1 partnership" in html
    assert reverse("networks:network-detail", args=["northshire"]) in html
    client.force_login(make_user())
    assert ">Your networks</a>" not in client.get(reverse("pages:home")).content.decode()


def test_a_site_admin_creates_a_network_and_names_its_staff(admin_client, network, shared):
    assert admin_client.get(reverse("admin:networks_network_changelist")).status_code == 200
    staff = make_user("county-officer")
    response = admin_client.post(
        reverse("admin:networks_network_add"),
        {
            "name": "Westshire Network",
            "slug": "westshire",
            "staff": [staff.pk],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert list(staff.networks.values_list("name", flat=True)) == ["Westshire Network"]
    # The partnerships that joined are listed, and cannot be added or removed there.
    page = admin_client.get(reverse("admin:networks_network_change", args=[network.pk]))
    html = page.content.decode()
    assert "Riverside Partnership" in html
    assert "Add another partnership" not in html and "memberships-0-DELETE" not in html


# The coordinator's actions: the coordinator and a superuser; a reader of the reports 403;
# anyone else 404


def coordinator_urls(round) -> list[tuple[str, str]]:
    slug = round.partnership.slug
    return [
        ("get", reverse("networks:partnership-network", args=[slug])),
        ("get", reverse("networks:partnership-network-leave", args=[slug])),
        ("post", reverse("networks:round-share", args=[slug, round.pk])),
        ("post", reverse("networks:round-unshare", args=[slug, round.pk])),
    ]


def test_a_reader_of_the_reports_is_refused_every_network_action(client, network, shared):
    reader = make_user()
    shared.partnership.readers.add(reader)
    client.force_login(reader)
    for method, url in coordinator_urls(shared):
        assert getattr(client, method)(url).status_code == 403, url
    assert NetworkMembership.objects.exists() and SharedRound.objects.exists()


def test_a_stranger_or_the_network_s_staff_get_404(client, network, shared, other_coordinator):
    for user in (other_coordinator, staff_of(network)):
        client.force_login(user)
        for method, url in coordinator_urls(shared):
            assert getattr(client, method)(url).status_code == 404, url
    assert SharedRound.objects.exists()


def test_sharing_is_post_only(coordinator_client, shared):
    for _, url in coordinator_urls(shared)[2:]:
        assert coordinator_client.get(url).status_code == 405


# Queries


def network_with(partnerships: int, network) -> None:
    for index in range(partnerships):
        partnership = make_partnership()
        network_join(partnership, network)
        make_round(partnership, title="Open now")
        share_round(closed_round_bulk(partnership, [(Sector.THIRD_SECTOR, 5, index % 5 + 1)]))


@pytest.mark.parametrize("partnerships", [5, 9])
def test_the_network_page_takes_the_same_queries_for_any_number_of_partnerships(
    client, network, principles, partnerships, django_assert_num_queries
):
    network_with(partnerships, network)
    client.force_login(staff_of(network))
    # session, user, the network, its memberships with their partnerships, their opened rounds
    # (with snapshot and share), the rounds' response counts, the principles' titles, then the
    # benchmark's questions with their principles, answers counted per question and score, and
    # respondents per sector
    with django_assert_num_queries(10):
        response = client.get(reverse("networks:network-detail", args=[network.slug]))
    assert response.context["benchmark"].partnerships == partnerships
    assert response.content.decode().count("Read the report") == partnerships


def test_the_other_network_pages_queries(client, network, shared, django_assert_num_queries):
    client.force_login(staff_of(network))
    with django_assert_num_queries(3):  # session, user, the networks with their partnerships
        client.get(reverse("networks:network-list"))
    # session, user, the network, the round with its partnership, then the report of a first
    # round (REPORT_QUERIES less the trend's principles, counts and sizes: there is no earlier
    # round), and the
    # partnership's trail: has this person viewed it in this visit, and if not the entry
    from tests.reports.test_report_queries import AUDIT_QUERIES, REPORT_QUERIES, VISIT_QUERIES

    with django_assert_num_queries(4 + REPORT_QUERIES - 3 + VISIT_QUERIES + AUDIT_QUERIES):
        client.get(reverse("networks:network-round", args=[network.slug, shared.pk]))


def test_the_join_page_queries(coordinator_client, partnership, network, django_assert_num_queries):
    # session, user, the partnership, its network (none), the networks to choose from
    with django_assert_num_queries(5):
        coordinator_client.get(reverse("networks:partnership-network", args=[partnership.slug]))


def test_the_partnerships_trail_says_when_the_networks_staff_read_its_report(
    client, network, shared
):
    from assessments import audit

    staff = staff_of(network)
    client.force_login(staff)
    client.get(reverse("networks:network-round", args=[network.slug, shared.pk]))
    client.get(reverse("networks:network-round", args=[network.slug, shared.pk]))  # same visit
    (entry,) = audit.entries_for(shared.partnership).filter(actor=staff)
    assert entry.additional_data["kind"] == audit.Kind.REPORT_VIEWED
    assert entry.object_repr == "Spring 2026"
    assert audit.describe(entry) == "By the staff of Northshire Voluntary Action Network"
