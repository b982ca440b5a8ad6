"""The trend across rounds on the report page: this round against the partnership's earlier
rounds, at most the five latest of them, so the chart stays legible."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Round
from tests.factories import make_response, make_round

pytestmark = pytest.mark.django_db

TITLES = [f"Round {word}" for word in ("one", "two", "three", "four", "five", "six", "seven")]


@pytest.fixture
def rounds(partnership, principles) -> list[Round]:
    """Seven closed rounds with figures, a year apart, oldest first; round n scores n % 5 + 1."""
    rounds = []
    for years_ago, title in zip(range(6, -1, -1), TITLES, strict=True):
        round = make_round(partnership, title=title, invite_all_members=False)
        for _ in range(5):
            make_response(round, scores=len(rounds) % 5 + 1)
        round = services.round_close(round=round)
        opened = timezone.now() - datetime.timedelta(days=365 * years_ago + 1)
        Round.objects.filter(pk=round.pk).update(opened_at=opened)
        rounds.append(round)
    return rounds


def trend_table(client, round: Round) -> list[tuple[str, str]]:
    """The trend table's columns: each round's heading, with its mean for principle 1."""
    address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
    page = client.get(address).content.decode()
    section = re.search(r'<section id="trend".*?</section>', page, re.S).group(0)
    headings = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', section)[1:]  # after "Principle"
    first_row = re.search(r"<tbody.*?</tr>", section, re.S).group(0)
    means = re.findall(r"<td[^>]*>([^<]*)</td>", first_row)
    return list(zip(headings, means, strict=True))


def test_the_trend_shows_this_round_and_the_five_latest_before_it(coordinator_client, rounds):
    assert trend_table(coordinator_client, rounds[-1]) == [
        ("Round two", "2.00"),
        ("Round three", "3.00"),
        ("Round four", "4.00"),
        ("Round five", "5.00"),
        ("Round six", "1.00"),
        ("Round seven (this round)", "2.00"),
    ]


def test_an_earlier_round_shows_only_the_rounds_before_it(coordinator_client, rounds):
    assert trend_table(coordinator_client, rounds[2]) == [
        ("Round one", "1.00"),
        ("Round two", "2.00"),
        ("Round three (this round)", "3.00"),
    ]
