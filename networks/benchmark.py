"""The benchmark: where a partnership's results stand among the other partnerships of its network.

For a round R of a partnership in a network, the peers are the network's other partnerships
(R's own is left out), each with its latest closed round that its coordinator shared with the
network (latest by closing time, then opening time) and whose own report shows figures: a round
of fewer than its k responses shows counts only, so it has nothing to contribute. The network's
page takes the same rounds for all its partnerships.

Each peer round contributes, for each of principles 1 to 7 (matched by the number its round
froze: benchmarks compare the seven principles only), exactly the figures its own report shows:
its principle mean and, only where its own gate compared the groups, the third sector's mean,
everyone else's and the gap. They are computed by the rule the trend uses for earlier rounds
(reports.report: `rounds_counted`, `rounds_sizes`, `round_figures`), from each round's own
snapshot and its own k, and printed by the one rounding rule.

For each principle and measure: the peers' median and lower and upper quartiles, by
`statistics.quantiles(n=4, method="inclusive")` over their figures as printed (so with five
peers the quartiles are the second and fourth values, and the median the third); how many
partnerships contribute it; and where R's own figure, as its report prints it, stands: above
the upper quartile ("top quarter"), below the lower one ("bottom quarter"), or between them or
on either ("middle half"). A measure is shown only when at least MIN_PEERS partnerships
contribute it (disclosure rule 8), so the gap counts only peers whose gate compared the groups;
the whole benchmark is withheld, with a sentence saying why, when fewer than MIN_PEERS
partnerships contribute at all. No peer is ever named.

Queries, whatever the number of partnerships: the partnership's network, the candidate rounds,
their answers counted per question and score, their respondents per sector (4). One when the
partnership is in no network; two when fewer than MIN_PEERS partnerships could contribute.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from assessments.models import Round
from principles.models import Principle
from reports import disclosure
from reports.report import Report, TrendRound, round_figures, rounds_counted, rounds_sizes
from reports.rounding import half_up, signed

from .models import Network, NetworkMembership

MIN_PEERS = disclosure.MIN_PEERS
NUMBERS = range(1, 8)  # the seven principles of the framework
MEASURES = [
    ("mean", "All respondents"),
    ("third", "Third sector"),
    ("others", "Everyone else"),
    ("gap", "Perception gap"),
]
TOP, MIDDLE, BOTTOM = "Top quarter", "Middle half", "Bottom quarter"
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Candidate:
    """A closed round shared with the network, as far as its round row tells."""

    round_pk: int
    partnership_pk: int
    title: str
    opens_on: datetime.date
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    respondents: int  # in its published snapshot
    k: int

    @classmethod
    def of(cls, round: Round) -> Candidate:
        """From a round loaded with its `publication`."""
        return cls(
            round_pk=round.pk,
            partnership_pk=round.partnership_id,
            title=round.title,
            opens_on=round.opens_on,
            opened_at=round.opened_at,
            closed_at=round.closed_at,
            respondents=_respondents(round),
            k=round.min_group_size,
        )

    @property
    def shows_figures(self) -> bool:
        return disclosure.trend_round_shown(self.respondents, self.k)

    @property
    def fields(self) -> dict:
        """What report.rounds_counted would otherwise join the round's tables for."""
        return {
            "title": self.title,
            "opens_on": self.opens_on,
            "opened_at": self.opened_at,
            "responses": self.respondents,
            "k": self.k,
        }

    @property
    def order(self) -> tuple:
        """Latest closed first, then latest opened (the demo and old data may lack a time)."""
        return (self.closed_at or EARLIEST, self.opened_at or EARLIEST, self.round_pk)


@dataclass(frozen=True)
class Spread:
    """One measure of one principle: the peers' figures, and this round's among them."""

    key: str  # "mean", "third", "others" or "gap"
    label: str
    partnerships: int  # peers that have this figure
    median: Decimal | None  # None: fewer than MIN_PEERS have it, so nothing is shown
    lower: Decimal | None
    upper: Decimal | None
    own: Decimal | None = None  # this round's figure as its report prints it, if it shows one

    @property
    def shown(self) -> bool:
        return self.median is not None

    @property
    def position(self) -> str:
        if not self.shown or self.own is None:
            return ""
        if self.own > self.upper:
            return TOP
        if self.own < self.lower:
            return BOTTOM
        return MIDDLE

    def printed(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return signed(value) if self.key == "gap" else f"{value:.2f}"

    @property
    def own_shown(self) -> str:
        return self.printed(self.own)

    @property
    def median_shown(self) -> str:
        return self.printed(self.median)

    @property
    def range_shown(self) -> str:
        """The interquartile range: "3.05 to 3.62"."""
        if not self.shown:
            return ""
        return f"{self.printed(self.lower)} to {self.printed(self.upper)}"


@dataclass(frozen=True)
class PrincipleBenchmark:
    number: int
    title: str
    spreads: list[Spread]


@dataclass(frozen=True)
class Benchmark:
    network: str
    partnerships: int  # partnerships contributing a round with figures
    first_closed: datetime.date | None  # the period of the contributing rounds' closing dates
    last_closed: datetime.date | None
    principles: list[PrincipleBenchmark]
    others: bool  # True: against the others, in one partnership's report; False: the network's

    min_peers = MIN_PEERS

    @property
    def shown(self) -> bool:
        return disclosure.benchmark_shown(self.partnerships)

    @property
    def withheld(self) -> str:
        """Why the benchmark is not shown, in a sentence; empty when it is."""
        if self.shown:
            return ""
        other = "other " if self.others else ""
        has = "has" if self.partnerships == 1 else "have"
        return (
            f"The benchmark is not shown: it needs at least {MIN_PEERS} {other}partnerships in "
            f"{self.network} with a shared closed round, and {self.partnerships} {has} one "
            "so far."
        )


# Which rounds contribute


def candidates_of(rounds: Iterable[dict]) -> list[Candidate]:
    return [
        Candidate(
            round_pk=row["pk"],
            partnership_pk=row["partnership_id"],
            title=row["title"],
            opens_on=row["opens_on"],
            opened_at=row["opened_at"],
            closed_at=row["closed_at"],
            respondents=row["publication__responses"] or 0,
            k=row["min_group_size"],
        )
        for row in rounds
    ]


def shared_candidates(network: Network, *, exclude_partnership: int | None = None):
    """The network's closed shared rounds (one query when evaluated)."""
    rounds = Round.objects.closed().filter(network_share__membership__network=network)
    if exclude_partnership is not None:
        rounds = rounds.exclude(partnership_id=exclude_partnership)
    return rounds.values(
        "pk",
        "partnership_id",
        "title",
        "opens_on",
        "opened_at",
        "closed_at",
        "min_group_size",
        "publication__responses",
    ).order_by()


def contributing(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Each partnership's latest closed shared round that shows figures."""
    latest: dict[int, Candidate] = {}
    for candidate in candidates:
        if not candidate.shows_figures:
            continue
        best = latest.get(candidate.partnership_pk)
        if best is None or candidate.order > best.order:
            latest[candidate.partnership_pk] = candidate
    return list(latest.values())


def _figures_of(rounds: list[Candidate]) -> list[TrendRound]:
    """Each round's figures as its own report shows them: three queries for all of them."""
    ids = [candidate.round_pk for candidate in rounds]
    counted = rounds_counted({c.round_pk: c.fields for c in rounds})
    sizes = rounds_sizes(ids)
    return [round_figures(entry, sizes.get(pk, {})) for pk, entry in counted.items()]


# The figures


def _as_printed(value: float | None) -> Decimal | None:
    return None if value is None else half_up(value)


def _figure(round: TrendRound, number: int, key: str) -> Decimal | None:
    """One figure of a round as its report prints it; None where its report shows none."""
    if key == "mean":
        return _as_printed(round.means.get(number))
    comparison = round.comparisons.get(number)
    if comparison is None:
        return None
    if key == "gap":
        return comparison.gap_rounded
    return _as_printed(comparison.third if key == "third" else comparison.others)


def _own_figure(report: Report, number: int, key: str) -> Decimal | None:
    principle = next((p for p in report.principles if p.number == number), None)
    if principle is None:
        return None
    if key == "mean":
        return _as_printed(principle.figures.mean)
    comparison = principle.comparison if report.compared else None
    if comparison is None:
        return None
    if key == "gap":
        return comparison.gap_rounded
    return _as_printed(comparison.third if key == "third" else comparison.others)


def spread(key: str, label: str, values: list[Decimal], own: Decimal | None = None) -> Spread:
    """The median and quartiles of the peers' figures, or nothing when fewer than MIN_PEERS."""
    if not disclosure.benchmark_shown(len(values)):
        return Spread(key, label, len(values), None, None, None, own)
    lower, median, upper = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return Spread(key, label, len(values), half_up(median), half_up(lower), half_up(upper), own)


def benchmark_of(
    network: Network,
    candidates: Iterable[Candidate],
    titles: dict[int, str],
    report: Report | None = None,
) -> Benchmark:
    """The benchmark over the candidates' contributing rounds; with `report`, that round's own
    figures placed among them (its partnership must not be among the candidates)."""
    rounds = contributing(candidates)
    shown = disclosure.benchmark_shown(len(rounds))
    figures = _figures_of(rounds) if shown else []  # two queries, only when they can be shown
    principles = []
    for number in NUMBERS if shown else []:
        spreads = []
        for key, label in MEASURES:
            values = [v for r in figures if (v := _figure(r, number, key)) is not None]
            own = _own_figure(report, number, key) if report else None
            spreads.append(spread(key, label, values, own))
        principles.append(PrincipleBenchmark(number, titles.get(number, ""), spreads))
    closed = [timezone.localdate(r.closed_at) for r in rounds if r.closed_at]
    return Benchmark(
        network=network.name,
        partnerships=len(rounds),
        first_closed=min(closed, default=None),
        last_closed=max(closed, default=None),
        principles=principles,
        others=report is not None,
    )


def benchmark_for_round(round: Round, report: Report) -> Benchmark | None:
    """The benchmark in a round's report: None when its partnership is in no network, or its
    report shows no figures to compare. Four queries at most (see the module's docstring)."""
    if not report.results_shown:
        return None
    membership = (
        NetworkMembership.objects.filter(partnership_id=round.partnership_id)
        .select_related("network")
        .first()
    )
    if membership is None:
        return None
    network = membership.network
    candidates = candidates_of(shared_candidates(network, exclude_partnership=round.partnership_id))
    titles = {p.number: p.title for p in report.principles}
    return benchmark_of(network, candidates, titles, report)


def benchmark_for_network(network: Network, rounds: Iterable[Round]) -> Benchmark:
    """The network page's benchmark, for all its partnerships, from the page's rounds (loaded
    with `publication` and `network_share`): the principles' titles, and two queries more."""
    candidates = [Candidate.of(r) for r in rounds if r.is_closed and _is_shared(r)]
    titles = dict(Principle.objects.filter(number__in=NUMBERS).values_list("number", "title"))
    return benchmark_of(network, candidates, titles)


def _is_shared(round: Round) -> bool:
    try:
        return round.network_share is not None
    except Round.network_share.RelatedObjectDoesNotExist:
        return False


def _respondents(round: Round) -> int:
    try:
        return round.publication.responses
    except Round.publication.RelatedObjectDoesNotExist:
        return 0
