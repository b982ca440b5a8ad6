"""A partnership joins a network, shares closed rounds with it and leaves it, only by its
coordinator's choice; the network sees nothing of a partnership that has not joined, and no
round's results that were not shared (or no longer are)."""

import pytest
from django.urls import reverse

from assessments.audit import Kind, entries_for
from assessments.models import Sector
from networks import services
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
    return make_network("Northshire Voluntary Action Network")


@pytest.fixture
def staff_client(client, network):
    user = make_user("network-officer")
    network.staff.add(user)
    client.force_login(user)
    return client


@pytest.fixture
def closed(partnership, principles):
    return closed_round_bulk(partnership, GROUPS, title="Spring 2026")


def join_url(partnership) -> str:
    return reverse("networks:partnership-network", args=[partnership.slug])


def leave_url(partnership) -> str:
    return reverse("networks:partnership-network-leave", args=[partnership.slug])


def share_url(round, action: str = "round-share") -> str:
    return reverse(f"networks:{action}", args=[round.partnership.slug, round.pk])


def test_the_partnership_page_offers_to_join_a_network(coordinator_client, partnership):
    page = coordinator_client.get(reverse("assessments:partnership-detail", args=["riverside"]))
    html = page.content.decode()
    assert "Riverside Partnership is not in a network" in html
    assert f'href="{join_url(partnership)}"' in html


def test_the_join_page_says_what_the_network_will_see(coordinator_client, partnership, network):
    html = coordinator_client.get(join_url(partnership)).content.decode()
    assert "What the network will see" in html
    assert "how many members were invited and how many have responded, never who" in html
    assert "the same read-only report a share link gives your third sector forum" in html
    assert "is never named in it, and it is shown only when at least 5 partnerships" in html
    assert 'type="radio"' in html and "Northshire Voluntary Action Network" in html


def test_joining_by_choosing_a_network(coordinator_client, partnership, network, coordinator):
    response = coordinator_client.post(join_url(partnership), {"network": network.pk})
    assert response.status_code == 302
    membership = NetworkMembership.objects.get(partnership=partnership)
    assert (membership.network, membership.joined_by) == (network, coordinator)
    html = coordinator_client.get(response.url).content.decode()
    assert "Riverside Partnership has joined Northshire Voluntary Action Network" in html
    assert "Leave network" in html
    assert [e.additional_data["kind"] for e in entries_for(partnership)] == [Kind.NETWORK_JOINED]


def test_joining_without_choosing_says_what_to_do(coordinator_client, partnership, network):
    response = coordinator_client.post(join_url(partnership), {"network": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "Select the network to join" in html
    # A network that does not exist (a tampered form) is the same message, never a 500.
    response = coordinator_client.post(join_url(partnership), {"network": "99999"})
    assert "Select the network to join" in response.content.decode()
    assert not NetworkMembership.objects.exists()


def test_with_no_network_to_join_the_page_says_so(coordinator_client, partnership):
    html = coordinator_client.get(join_url(partnership)).content.decode()
    assert "There are no networks to join yet" in html and 'type="radio"' not in html


def test_a_partnership_is_in_one_network_at_a_time(coordinator_client, partnership, network):
    network_join(partnership, network)
    other = make_network("Southshire Network")
    with pytest.raises(services.NetworkError, match="already in Northshire"):
        network_join(partnership, other)
    response = coordinator_client.post(join_url(partnership), {"network": other.pk})
    assert response.status_code == 302
    assert NetworkMembership.objects.get(partnership=partnership).network == network


def test_sharing_a_closed_round_and_stopping(coordinator_client, network, closed):
    network_join(closed.partnership, network)
    page = reverse("assessments:round-detail", args=["riverside", closed.pk])
    html = coordinator_client.get(page).content.decode()
    assert "Share this round’s results with Northshire Voluntary Action Network" in html
    coordinator_client.post(share_url(closed))
    assert SharedRound.objects.filter(round=closed).exists()
    html = coordinator_client.get(page).content.decode()
    assert "have been shared with Northshire Voluntary Action Network since" in html
    coordinator_client.post(share_url(closed, "round-unshare"))
    assert not SharedRound.objects.exists()
    kinds = [e.additional_data["kind"] for e in entries_for(closed.partnership)]
    assert kinds[:2] == [Kind.ROUND_UNSHARED, Kind.ROUND_SHARED]


def test_only_a_closed_round_of_a_partnership_in_a_network_can_be_shared(
    coordinator_client, partnership, principles, network, closed
):
    response = coordinator_client.post(share_url(closed), follow=True)
    assert "The partnership is not in a network: join one first." in response.content.decode()
    network_join(partnership, network)
    opened = make_round(partnership)
    response = coordinator_client.post(share_url(opened), follow=True)
    assert "Only a closed round’s results can be shared" in response.content.decode()
    assert not SharedRound.objects.exists()
    # An open round's page offers nothing to share, and costs no query for it.
    html = coordinator_client.get(
        reverse("assessments:round-detail", args=["riverside", opened.pk])
    )
    assert "Share this round" not in html.content.decode()


def test_leaving_asks_first_then_removes_the_shares(
    coordinator_client, partnership, network, closed, staff_client_factory
):
    network_join(partnership, network)
    share_round(closed)
    staff = staff_client_factory(network)
    report = reverse("networks:network-round", args=[network.slug, closed.pk])
    assert staff.get(report).status_code == 200
    html = coordinator_client.get(leave_url(partnership)).content.decode()
    assert "Leave Northshire Voluntary Action Network?" in html
    assert "You have shared the results of 1 round with it." in html
    response = coordinator_client.post(leave_url(partnership))
    assert response.status_code == 302
    assert not NetworkMembership.objects.exists() and not SharedRound.objects.exists()
    assert staff.get(report).status_code == 404
    detail = staff.get(reverse("networks:network-detail", args=[network.slug])).content.decode()
    assert "Riverside Partnership" not in detail
    kinds = [e.additional_data["kind"] for e in entries_for(partnership)]
    assert kinds[0] == Kind.NETWORK_LEFT


def test_a_network_sees_nothing_of_a_partnership_that_has_not_joined(staff_client, network, closed):
    outside = closed_round_bulk(make_partnership(name="Hillside Partnership"), GROUPS)
    joined = make_partnership(name="Lakeside Partnership")
    network_join(joined, network)
    share_round(closed_round_bulk(joined, GROUPS, title="Lakeside spring"))
    html = staff_client.get(reverse("networks:network-detail", args=[network.slug])).content
    html = html.decode()
    assert "Lakeside Partnership" in html and "Lakeside spring" in html
    assert "Riverside Partnership" not in html and "Hillside Partnership" not in html
    for round in (closed, outside):
        url = reverse("networks:network-round", args=[network.slug, round.pk])
        assert staff_client.get(url).status_code == 404


def test_a_round_not_shared_is_listed_but_its_report_is_not_found(
    staff_client, network, partnership, closed
):
    network_join(partnership, network)
    detail = staff_client.get(reverse("networks:network-detail", args=[network.slug]))
    html = detail.content.decode()
    assert "Spring 2026" in html and "Not shared" in html
    url = reverse("networks:network-round", args=[network.slug, closed.pk])
    assert url not in html
    assert staff_client.get(url).status_code == 404


def test_a_draft_is_not_shown_to_the_network(staff_client, network, partnership, principles):
    network_join(partnership, network)
    make_round(partnership, open=False, title="Draft for next year")
    html = staff_client.get(reverse("networks:network-detail", args=[network.slug])).content
    assert b"Draft for next year" not in html and b"No round has opened yet" in html


@pytest.fixture
def staff_client_factory(db):
    from django.test import Client

    def make(network):
        user = make_user()
        network.staff.add(user)
        client = Client()
        client.force_login(user)
        return client

    return make
