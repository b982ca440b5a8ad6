"""The benchmark: a round's figures against the other partnerships of its network, each with its
latest closed round shared with the network, as that round's own report showed it; the median
and quartiles worked out by hand here (statistics.quantiles, method "inclusive")."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Sector
from networks.benchmark import BOTTOM, MIDDLE, TOP, benchmark_for_round, spread
from networks.models import SharedRound
from reports.report import report_build
from tests.factories import (
    closed_round_bulk,
    make_network,
    make_partnership,
    make_round,
    network_join,
    share_round,
)

pytestmark = pytest.mark.django_db

THIRD, HEALTH = Sector.THIRD_SECTOR, Sector.HEALTH
# Six peers: (the third sector's score, everyone else's), five respondents each. Means 2.0,
# 2.5, 3.0, 3.5, 4.0 and 4.5; third sector 2, 2, 3, 3, 4, 4; everyone else 2, 3, 3, 4, 4, 5;
# gaps 0, -1, 0, -1, 0, -1.
SIX = [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 5)]


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def peer(network, third, others, *, third_n=5, others_n=5, closed=10, shared=True):
    """A partnership of the network with one closed round, shared unless said otherwise."""
    partnership = make_partnership()
    network_join(partnership, network)
    groups = [(THIRD, third_n, third), (HEALTH, others_n, others)]
    round = closed_round_bulk(partnership, groups, closed_at=days_ago(closed))
    if shared:
        share_round(round)
    return round


@pytest.fixture
def network(db):
    return make_network("Northshire Test Network")


@pytest.fixture
def own(partnership, principles, network):
    """The coordinator's round: the third sector scores 5, everyone else 3 (mean 4.00, gap
    +2.00)."""
    network_join(partnership, network)
    return closed_round_bulk(partnership, [(THIRD, 5, 5), (HEALTH, 5, 3)], title="Our round")


def benchmark(round):
    return benchmark_for_round(round, report_build(round))


def rows(principle) -> list[tuple]:
    return [
        (s.key, s.partnerships, s.median_shown, s.range_shown, s.own_shown, s.position)
        for s in principle.spreads
    ]


def test_median_quartiles_and_position_of_six_peers(own, network):
    for index, (third, others) in enumerate(SIX):
        peer(network, third, others, closed=10 + index)
    result = benchmark(own)
    assert result.shown and result.partnerships == 6
    assert [p.number for p in result.principles] == [1, 2, 3, 4, 5, 6, 7]
    assert result.principles[0].title == "Accountability"
    # Means 2.0 to 4.5: the lower quartile (2.5 x 3 + 3.0) / 4 = 2.625 and the upper
    # (3.5 + 4.0 x 3) / 4 = 3.875 are rounded half up, as every figure.
    expected = [
        ("mean", 6, "3.25", "2.63 to 3.88", "4.00", TOP),
        ("third", 6, "3.00", "2.25 to 3.75", "5.00", TOP),
        ("others", 6, "3.50", "3.00 to 4.00", "3.00", MIDDLE),  # on the lower quartile
        ("gap", 6, "−0.50", "−1.00 to 0.00", "+2.00", TOP),
    ]
    assert all(rows(principle) == expected for principle in result.principles)
    assert result.first_closed == timezone.localdate(days_ago(15))
    assert result.last_closed == timezone.localdate(days_ago(10))


def test_with_five_peers_the_quartiles_are_the_second_and_fourth_figures(own, network):
    for third, others in SIX[:5]:
        peer(network, third, others)
    result = benchmark(own)
    assert result.shown and result.partnerships == 5
    assert rows(result.principles[3])[0] == ("mean", 5, "3.00", "2.50 to 3.50", "4.00", TOP)


def test_with_four_peers_it_is_withheld_with_a_sentence_saying_why(own, network):
    for third, others in SIX[:4]:
        peer(network, third, others)
    result = benchmark(own)
    assert not result.shown and result.principles == []
    assert result.withheld == (
        "The benchmark is not shown: it needs at least 5 other partnerships in Northshire Test "
        "Network with a shared closed round, and 4 have one so far."
    )


def test_a_peer_whose_gate_did_not_compare_the_groups_gives_its_mean_and_no_gap(own, network):
    for third, others in SIX[:4]:
        peer(network, third, others)
    # 4 third sector respondents: its own report shows all respondents together only.
    peer(network, 1, 5, third_n=4, others_n=6)
    result = benchmark(own)
    mean, third, others, gap = result.principles[0].spreads
    # The fifth mean is (4 x 1 + 6 x 5) / 10 = 3.40: means 2.0, 2.5, 3.0, 3.4, 3.5.
    assert (mean.partnerships, mean.median_shown, mean.range_shown) == (5, "3.00", "2.50 to 3.40")
    for measure in (third, others, gap):
        assert (measure.partnerships, measure.shown, measure.range_shown) == (4, False, "")
    assert gap.own_shown == "+2.00" and gap.position == ""


def test_a_peer_compared_on_some_principles_only_gives_their_gaps_only(own, network):
    for third, others in SIX[:5]:
        peer(network, third, others)
    # The third sector answers "Don't know" to every statement of principle 7.
    peer(network, lambda number, order: None if number == 7 else 1, 5)
    result = benchmark(own)
    assert [s.partnerships for s in result.principles[0].spreads] == [6, 6, 6, 6]
    assert [s.partnerships for s in result.principles[6].spreads] == [6, 5, 5, 5]


def test_unshared_open_too_small_and_other_networks_rounds_do_not_count(own, network, principles):
    for third, others in SIX[:4]:
        peer(network, third, others)
    peer(network, 5, 5, shared=False)  # closed, not shared
    small = peer(network, 5, 5, third_n=2, others_n=1)  # 3 responses: its report shows counts
    assert small.network_share
    elsewhere = make_network("Southshire Network")
    peer(elsewhere, 5, 5)
    # An open round cannot be shared through the service; one shared by hand is still ignored.
    opened = make_round(make_partnership(), title="Still open")
    membership = network_join(opened.partnership, network)
    SharedRound.objects.create(round=opened, membership=membership)
    result = benchmark(own)
    assert result.partnerships == 4 and not result.shown


def test_each_peer_counts_once_with_its_latest_closed_shared_round(own, network):
    for third, others in SIX[:4]:  # means 2.0, 2.5, 3.0, 3.5
        peer(network, third, others)
    latest = peer(network, 5, 5, closed=20)
    earlier = closed_round_bulk(latest.partnership, [(THIRD, 5, 1), (HEALTH, 5, 1)])
    share_round(earlier)
    type(earlier).objects.filter(pk=earlier.pk).update(closed_at=days_ago(60))
    # Closed since, and not shared: the latest *shared* round is what counts.
    closed_round_bulk(latest.partnership, [(THIRD, 5, 1), (HEALTH, 5, 1)], closed_at=days_ago(5))
    result = benchmark(own)
    assert result.partnerships == 5
    # 2.0, 2.5, 3.0, 3.5 and 5.0 (not 1.0): the median is 3.00.
    assert rows(result.principles[0])[0][:4] == ("mean", 5, "3.00", "2.50 to 3.50")


def test_the_partnership_s_own_rounds_never_count_as_peers(own, network):
    share_round(own)
    earlier = closed_round_bulk(own.partnership, [(THIRD, 5, 1), (HEALTH, 5, 1)])
    share_round(earlier)
    for third, others in SIX[:4]:
        peer(network, third, others)
    assert benchmark(own).partnerships == 4


def test_a_round_showing_counts_only_has_no_benchmark(partnership, principles, network):
    network_join(partnership, network)
    for third, others in SIX:
        peer(network, third, others)
    small = closed_round_bulk(partnership, [(THIRD, 2, 5), (HEALTH, 2, 3)])
    assert benchmark(small) is None


def test_a_partnership_in_no_network_has_no_benchmark(partnership, principles):
    round = closed_round_bulk(partnership, [(THIRD, 5, 5), (HEALTH, 5, 3)])
    assert benchmark(round) is None


def test_the_position_words_follow_the_quartiles_as_printed():
    values = [Decimal(v) for v in ("2.00", "3.00", "3.50", "4.00", "4.50")]
    assert spread("mean", "", values, Decimal("2.99")).position == BOTTOM
    assert spread("mean", "", values, Decimal("3.00")).position == MIDDLE
    assert spread("mean", "", values, Decimal("4.00")).position == MIDDLE
    assert spread("mean", "", values, Decimal("4.01")).position == TOP
    assert spread("mean", "", values, None).position == ""
    assert not spread("mean", "", values[:4], Decimal("4.01")).shown


# Queries: the partnership's network, the candidate rounds, their questions' principles, their
# answers counted per question and score, their respondents per sector; whatever the number of
# partnerships.
BENCHMARK_QUERIES = 5


@pytest.mark.parametrize("peers", [6, 9])
def test_the_benchmark_takes_the_same_queries_for_any_number_of_partnerships(
    own, network, peers, django_assert_num_queries
):
    for index in range(peers):
        peer(network, *SIX[index % len(SIX)])
    report = report_build(own)
    with django_assert_num_queries(BENCHMARK_QUERIES):
        result = benchmark_for_round(own, report)
    assert result.partnerships == peers


def test_with_too_few_peers_it_stops_after_two_queries(own, network, django_assert_num_queries):
    for third, others in SIX[:3]:
        peer(network, third, others)
    report = report_build(own)
    with django_assert_num_queries(2):  # the network, the candidate rounds
        assert not benchmark_for_round(own, report).shown


def test_outside_a_network_it_takes_one_query(partnership, principles, django_assert_num_queries):
    round = closed_round_bulk(partnership, [(THIRD, 5, 5), (HEALTH, 5, 3)])
    report = report_build(round)
    with django_assert_num_queries(1):
        assert benchmark_for_round(round, report) is None
