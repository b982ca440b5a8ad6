"""The benchmark in a partnership's report: on the team's page and PDF when the partnership is in
a network, never on the forum's share link, and never naming another partnership."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Sector, token_new
from reports.models import ShareLink
from tests.factories import (
    closed_round_bulk,
    make_network,
    make_partnership,
    make_user,
    network_join,
    share_round,
)
from tests.networks.test_benchmark import SIX, days_ago
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

THIRD, HEALTH = Sector.THIRD_SECTOR, Sector.HEALTH


@pytest.fixture
def network(db):
    return make_network("Northshire Voluntary Action Network")


@pytest.fixture
def own(partnership, principles):
    return closed_round_bulk(partnership, [(THIRD, 5, 5), (HEALTH, 5, 3)], title="Our round")


def peers(network, count: int) -> list:
    names = []
    for index in range(count):
        third, others = SIX[index]
        partnership = make_partnership(name=f"Peer Partnership {index}")
        network_join(partnership, network)
        groups = [(THIRD, 5, third), (HEALTH, 5, others)]
        share_round(closed_round_bulk(partnership, groups, closed_at=days_ago(10 + index)))
        names.append(partnership.name)
    return names


def report_url(round) -> str:
    return reverse("reports:round-report", args=[round.partnership.slug, round.pk])


def section(html: str) -> str:
    found = re.search(r'<section id="benchmark".*?</section>', html, re.S)
    return found.group(0) if found else ""


def cells(html: str, caption: str) -> list[list[str]]:
    table = re.search(rf"{re.escape(caption)}</caption>.*?</table>", html, re.S).group(0)
    return [
        [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in row]
        for row in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        )
    ]


def test_the_report_shows_each_principle_against_the_other_partnerships(
    coordinator_client, own, network
):
    network_join(own.partnership, network)
    names = peers(network, 6)
    html = coordinator_client.get(report_url(own)).content.decode()
    benchmark = section(html)
    assert "How this round compares with 6 other partnerships in Northshire Voluntary" in benchmark
    assert "closed between" in benchmark and "The partnerships are never named." in benchmark
    assert cells(benchmark, "1. Accountability") == [
        ["Figure", "This round", "Median", "Interquartile range", "Position", "Partnerships"],
        ["All respondents", "4.00", "3.25", "2.63 to 3.88", "Top quarter", "6"],
        ["Third sector", "5.00", "3.00", "2.25 to 3.75", "Top quarter", "6"],
        ["Everyone else", "3.00", "3.50", "3.00 to 4.00", "Middle half", "6"],
        ["Perception gap", "+2.00", "−0.50", "−1.00 to 0.00", "Top quarter", "6"],
    ]
    assert benchmark.count("<table") == 7
    assert 'href="#benchmark"' in html
    assert not any(name in html for name in names)


def test_with_four_others_the_report_says_why_there_is_no_benchmark(
    coordinator_client, own, network
):
    network_join(own.partnership, network)
    peers(network, 4)
    benchmark = section(coordinator_client.get(report_url(own)).content.decode())
    assert (
        "The benchmark is not shown: it needs at least 5 other partnerships in Northshire "
        "Voluntary Action Network with a shared closed round, and 4 have one so far."
    ) in benchmark
    assert "<table" not in benchmark


def test_a_measure_too_few_have_is_not_shown(coordinator_client, own, network):
    network_join(own.partnership, network)
    peers(network, 4)
    elsewhere = make_partnership()
    network_join(elsewhere, network)  # 4 third sector: its report does not compare the groups
    share_round(closed_round_bulk(elsewhere, [(THIRD, 4, 1), (HEALTH, 6, 5)]))
    rows = cells(section(coordinator_client.get(report_url(own)).content.decode()), "2. Equality")
    assert rows[1][-1] == "5" and rows[1][2] == "3.00"
    withheld = "Not shown: fewer than 5 partnerships have this figure"
    assert rows[2:] == [
        ["Third sector", "5.00", withheld, "4"],
        ["Everyone else", "3.00", withheld, "4"],
        ["Perception gap", "+2.00", withheld, "4"],
    ]


def test_outside_a_network_there_is_no_benchmark(coordinator_client, own, network):
    peers(network, 6)
    html = coordinator_client.get(report_url(own)).content.decode()
    assert 'id="benchmark"' not in html and "#benchmark" not in html


def test_the_forum_s_share_link_has_no_benchmark(client, own, network):
    network_join(own.partnership, network)
    peers(network, 6)
    token, hashed = token_new()
    ShareLink.objects.create(round=own, token_hash=hashed)
    html = client.get(reverse("reports:shared-report", args=[token])).content.decode()
    assert "Summary of the seven principles" in html and 'id="benchmark"' not in html


def test_a_reader_on_the_team_sees_the_benchmark_too(client, own, network):
    network_join(own.partnership, network)
    peers(network, 5)
    reader = make_user()
    own.partnership.readers.add(reader)
    client.force_login(reader)
    assert "How this round compares with 5 other" in client.get(report_url(own)).content.decode()


def test_the_pdf_has_the_benchmark_and_changes_when_a_peer_shares(
    coordinator_client, own, network, tmp_path
):
    network_join(own.partnership, network)
    peers(network, 5)
    pdf = coordinator_client.get(report_url(own).replace("report/", "report.pdf")).content
    text = " ".join(pdf_text(pdf, tmp_path, layout=False).split())
    assert "Benchmark against other partnerships" in text
    assert "How this round compares with 5 other partnerships" in text
    # A sixth partnership shares a round: the cached PDF is not served again.
    sixth = make_partnership()
    network_join(sixth, network)
    share_round(closed_round_bulk(sixth, [(THIRD, 5, 4), (HEALTH, 5, 5)]))
    pdf = coordinator_client.get(report_url(own).replace("report/", "report.pdf")).content
    assert "compares with 6 other" in " ".join(pdf_text(pdf, tmp_path, layout=False).split())


def page_queries(client, round) -> int:
    client.get(report_url(round))  # the first request fills what caches keep (content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(report_url(round)).status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [5, 8])
def test_in_a_network_the_page_takes_four_queries_more_whatever_the_number_of_peers(
    coordinator_client, own, network, count
):
    outside = page_queries(coordinator_client, own)
    network_join(own.partnership, network)
    peers(network, min(count, 6))
    for _ in range(count - 6):
        peers(network, 1)
    # The candidate rounds, their questions' principles, their answers counted per question and
    # score, their respondents per sector: the network itself was asked outside it too
    # (BENCHMARK_QUERIES).
    assert page_queries(coordinator_client, own) == outside + 4
