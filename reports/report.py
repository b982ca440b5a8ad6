"""A round's report as plain data, computed in the database from its published snapshot.

`report_build(round)` runs the same handful of aggregate queries whatever the number of
respondents: the snapshot's answers are counted per question and score (with a conditional count
for the third sector), never loaded one by one. What may be shown, and to whom, is decided by
the disclosure gate (disclosure.py); this module asks it at every step and computes nothing it
has not allowed. What it counts in snapshots is kept in the shared cache (settings.CACHES) under
a key made of every snapshot it comes from (`figures_cache_key`): a report seen again counts
nothing, and a new snapshot is in the next report at once.

Definitions the report states in words:
- Only submitted responses count, as the round's latest snapshot holds them. "Don't know" has
  no score: it is left out of every mean and counted on its own.
- A principle's mean is the mean of every score given to its statements.
- The perception gap is the third sector's mean minus everyone else's; negative means the third
  sector sees things less favourably. It is printed as the difference of the two means as they
  are printed (rounded first), so the figures shown add up.
- Every figure is rounded by the one rule in rounding.py (two decimals, halves away from zero).
- Views are split on a statement when at least a quarter of its scores are 1 or 2 and at least
  a quarter are 4 or 5 (SPLIT_SHARE).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Aggregate, Count, IntegerField, Q
from django.db.models.expressions import Star
from django.utils import timezone

from assessments.models import Question, Round, Sector
from principles.models import SCORE_MAX, SCORE_MIN

from . import disclosure, rounding
from .disclosure import Cell, SectorRate
from .models import (
    Action,
    PrincipleReview,
    Publication,
    PublishedAnswer,
    PublishedComment,
    PublishedResponse,
)
from .rounding import half_up, signed

SCORES = tuple(range(SCORE_MIN, SCORE_MAX + 1))
SPLIT_SHARE = 0.25  # a quarter at each end of the scale
TREND_ROUNDS = 5  # the trend shows at most the five latest earlier rounds: the chart stays legible
FIGURES_VERSION = 1  # raise when what SnapshotFigures holds, or how it is computed, changes
FIGURES_SECONDS = 7 * 24 * 60 * 60  # a new snapshot makes a new key: this only frees space
THIRD = Sector.THIRD_SECTOR


class CountRows(Aggregate):
    """COUNT(*), with a FILTER if given: Django's Count takes "*" only without one, and counting a
    column (COUNT(id)) makes the database look at each row's value. Over the 29,000 answers of a
    1,000-respondent round, SQLite's GROUP BY took 2.9 ms rather than 3.9."""

    function = "COUNT"
    output_field = IntegerField()
    empty_result_set_value = 0

    def __init__(self, filter=None):
        super().__init__(Star(), filter=filter)


@dataclass(frozen=True)
class BandInfo:
    name: str
    min_mean: Decimal
    tone: str
    description: str


@dataclass(frozen=True)
class Figures:
    """Answers to one statement, or pooled over a principle's statements."""

    counts: tuple[int, ...]  # answers scoring 1, 2, 3, 4, 5
    dont_know: int

    @property
    def n(self) -> int:
        """Answers with a score."""
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.n:
            return None
        return sum(score * count for score, count in zip(SCORES, self.counts, strict=True)) / self.n

    @property
    def split(self) -> bool:
        """At least SPLIT_SHARE of the scores at each end (1-2 and 4-5)."""
        if not self.n:
            return False
        low, high = sum(self.counts[:2]), sum(self.counts[3:])
        return low >= SPLIT_SHARE * self.n and high >= SPLIT_SHARE * self.n

    def __add__(self, other: Figures) -> Figures:
        counts = tuple(a + b for a, b in zip(self.counts, other.counts, strict=True))
        return Figures(counts, self.dont_know + other.dont_know)

    def __sub__(self, other: Figures) -> Figures:
        counts = tuple(a - b for a, b in zip(self.counts, other.counts, strict=True))
        return Figures(counts, self.dont_know - other.dont_know)


NO_ANSWERS = Figures((0,) * len(SCORES), 0)


@dataclass(frozen=True)
class Comparison:
    """The third sector's mean against everyone else's."""

    third: float | None
    others: float | None

    @property
    def gap(self) -> float | None:
        """The unrounded difference; the report prints `gap_rounded`."""
        if self.third is None or self.others is None:
            return None
        return self.third - self.others

    @property
    def gap_rounded(self) -> Decimal | None:
        """The difference of the two means as they are shown beside it, so the printed figures
        add up: 3.13 - 3.11 is 0.02, though 3.125 - 3.114 would round to 0.01."""
        if self.third is None or self.others is None:
            return None
        return half_up(self.third) - half_up(self.others)

    @property
    def gap_shown(self) -> str:
        """The gap as the report prints it: "+0.45", "−0.45" (a real minus sign) or "0.00"."""
        if self.gap_rounded is None:
            return "No scores"
        return signed(self.gap_rounded)

    @property
    def gap_words(self) -> str:
        """How the third sector's mean compares with everyone else's, in words."""
        gap = self.gap_rounded or 0
        if not gap:
            return "the same as"
        return f"{abs(gap):.2f} {'higher' if gap > 0 else 'lower'} than"


@dataclass(frozen=True)
class StatementResult:
    number: str  # "1.2": principle number and statement order
    text: str
    figures: Figures
    band: BandInfo | None
    comparison: Comparison | None  # None: not compared (see Report.compared and compared_here)
    compared_here: bool = False  # both groups gave it at least k scores


@dataclass(frozen=True)
class PrincipleResult:
    number: int
    title: str
    summary: str
    figures: Figures
    band: BandInfo | None
    comparison: Comparison | None
    statements: list[StatementResult]
    comments: list[str]

    @property
    def split_statements(self) -> list[StatementResult]:
        return [statement for statement in self.statements if statement.figures.split]

    @property
    def statements_not_compared(self) -> list[StatementResult]:
        """Statements left out of the principle's comparison: too few scores in a group."""
        return [s for s in self.statements if s.comparison is None]


@dataclass(frozen=True)
class Group:
    label: str
    respondents: int


@dataclass(frozen=True)
class TrendRound:
    title: str
    opens_on: datetime.date
    means: dict[int, float | None]  # principle number to mean, all respondents
    is_current: bool
    round_pk: int = 0
    compared: bool = False  # that round's gate showed the third sector and everyone else apart
    min_group_size: int = 0  # that round's k
    # By principle number, only where that round's gate compared the groups on it.
    comparisons: dict[int, Comparison] = field(default_factory=dict)


@dataclass(frozen=True)
class ActionItem:
    pk: int
    round_pk: int  # the round that agreed it
    round_title: str
    principle: str  # "6. Sustainability", or "" for the whole partnership
    principle_number: int | None
    description: str
    owner: str
    due_on: datetime.date | None
    status: str  # in words: "In progress"
    is_open: bool
    carried: bool  # agreed in an earlier round
    overdue: bool  # open, and its due date has passed
    in_plan: bool = True  # False: the last round's, done or dropped before this round opened


@dataclass(frozen=True)
class Commitment:
    """An earlier round's action on a principle, and the principle's mean then and now."""

    action: ActionItem
    mean_then: float | None
    mean_now: float | None

    @property
    def moved_shown(self) -> str:
        """The change as printed ("+0.22", "−0.10"), from the two means as shown."""
        if self.mean_then is None or self.mean_now is None:
            return ""
        return signed(half_up(self.mean_now) - half_up(self.mean_then))


@dataclass(frozen=True)
class Review:
    """What the partnership's meeting agreed about a principle (the workshop view)."""

    agreed_score: int | None
    agreed_words: str  # the scale's label for it: "Agree"
    learned: str


@dataclass(frozen=True)
class Report:
    partnership: str
    partnership_slug: str
    round_pk: int
    round_title: str
    opens_on: datetime.date
    closes_on: datetime.date
    status: str
    status_label: str
    min_group_size: int
    respondents: int  # in the published snapshot: the figures' base
    snapshot_on: datetime.date | None  # the day the snapshot was taken
    left_out: int  # submitted or changed after the last snapshot, not in the final figures
    sectors: list[SectorRate]  # live response counts, by the sector on each member's record
    cells: list[Cell]  # the groups of respondents the outputs may show apart
    third: Group
    others: Group
    compared: bool  # the third sector and everyone else are shown apart
    principles: list[PrincipleResult]
    bands: list[BandInfo]
    scale: list[tuple[int, str]]
    trend: list[TrendRound]
    actions: list[ActionItem]  # the plan: this round's, and earlier rounds' still open
    committed: list[ActionItem]  # what earlier rounds committed to: carried, and the last round's
    reviews: dict[int, Review]  # by principle number: what the meeting agreed
    answers_offered: bool  # the answers spreadsheet can be downloaded
    split_share: float = SPLIT_SHARE

    @property
    def is_interim(self) -> bool:
        return self.status == Round.Status.OPEN

    @property
    def results_shown(self) -> bool:
        return disclosure.results_shown(self.respondents, self.min_group_size)

    @property
    def invited(self) -> int:
        return sum(sector.invited for sector in self.sectors)

    @property
    def submitted(self) -> int:
        """Submitted now, counted live: the snapshot may hold fewer."""
        return sum(sector.responded for sector in self.sectors)

    @property
    def percent(self) -> int | None:
        return disclosure.percent(self.submitted, self.invited)

    @property
    def waiting(self) -> int:
        """Submitted since the snapshot, and not yet in the figures."""
        return max(self.submitted - self.respondents, 0) if self.is_interim else 0

    @property
    def trend_rows(self) -> list[tuple[PrincipleResult, list[float | None]]]:
        """Each principle with its mean in each round of the trend, oldest first."""
        return [(p, [entry.means.get(p.number) for entry in self.trend]) for p in self.principles]

    @property
    def trend_groups(self) -> list[tuple[PrincipleResult, list[tuple]]]:
        """Each principle with each round of the trend, oldest first, and the third sector's
        and everyone else's means in it (None where that round's gate did not compare them)."""
        return [
            (p, [(entry, entry.comparisons.get(p.number)) for entry in self.trend])
            for p in self.principles
        ]

    @property
    def actions_agreed(self) -> list[ActionItem]:
        return [action for action in self.actions if not action.carried]

    @property
    def actions_carried(self) -> list[ActionItem]:
        return [action for action in self.actions if action.carried]

    @property
    def actions_carried_open(self) -> list[ActionItem]:
        return [action for action in self.actions_carried if action.is_open]

    @property
    def actions_carried_finished(self) -> list[ActionItem]:
        """Carried from earlier rounds, and done or dropped since this round opened."""
        return [action for action in self.actions_carried if not action.is_open]

    @property
    def actions_overdue(self) -> list[ActionItem]:
        return [action for action in self.actions if action.overdue]

    def commitments(self, number: int) -> list[Commitment]:
        """The actions earlier rounds committed to on a principle, each with how the principle's
        mean has moved since the round that agreed it (None when that round's figures are not
        in the trend, or this round has no scores for it)."""
        now = next((p.figures.mean for p in self.principles if p.number == number), None)
        means = {entry.round_pk: entry.means.get(number) for entry in self.trend}
        commitments = []
        for action in self.committed:
            if action.principle_number != number:
                continue
            then = means.get(action.round_pk)
            commitments.append(Commitment(action, then if now is not None else None, now))
        return commitments

    @property
    def agreed_ratings(self) -> bool:
        """The meeting agreed a rating for at least one principle."""
        return any(review.agreed_score is not None for review in self.reviews.values())

    @property
    def band_ranges(self) -> list[tuple[BandInfo, str]]:
        """Each band with its range in words: "4.00 or more", "3.00 to 3.99", "1.00 to 2.99"."""
        ranges = []
        for index, band in enumerate(self.bands):
            if index == 0:
                words = f"{band.min_mean} or more"
            else:
                words = f"{band.min_mean} to {self.bands[index - 1].min_mean - Decimal('0.01')}"
            ranges.append((band, words))
        return ranges


@dataclass(frozen=True)
class SnapshotFigures:
    """What the report counts in published snapshots, this round's and its trend's earlier
    rounds': cached (`snapshot_figures`), as only a new snapshot changes it."""

    sizes: dict[str, int]  # this round's respondents by the sector they chose
    counts: dict[int, tuple[Figures, Figures]]  # by question: everyone's, the third sector's
    comments: dict[int, list[str]]  # by principle id
    earlier: list[TrendRound]  # the trend's earlier rounds, oldest first


def report_build(round: Round) -> Report:
    """The report of a round; `round.partnership` should be loaded already (select_related).

    What it counts in the snapshots comes from the cache when no snapshot it depends on has
    changed (queries 3 and 5 to 10 are then not run); the rest is read each time: the live
    response counts, the questions, the plan and the meeting's reviews."""
    k = round.min_group_size
    snapshots = _snapshots(round)  # query 1
    publication = snapshots.get(round.pk)
    respondents = publication["responses"] if publication else 0
    sectors = disclosure.response_rates(round)  # query 2
    shown = disclosure.results_shown(respondents, k)
    figures = snapshot_figures(round, snapshots) if shown else None  # queries 3, 5 to 10
    cells = disclosure.sector_cells(figures.sizes, k) if figures else []
    third_n = sum(cell.respondents for cell in cells if cell.sectors == {THIRD})
    compared = shown and disclosure.groups_compared(cells, k)
    bands = bands_of(round)
    principles = _principles(round, bands, compared, figures) if figures else []  # query 4
    actions = _actions(round)  # query 11
    return Report(
        partnership=round.partnership.name,
        partnership_slug=round.partnership.slug,
        round_pk=round.pk,
        round_title=round.title,
        opens_on=round.opens_on,
        closes_on=round.closes_on,
        status=round.status,
        status_label=round.get_status_display(),
        min_group_size=k,
        respondents=respondents,
        snapshot_on=publication["taken_on"] if publication else None,
        left_out=publication["left_out"] if publication else 0,
        sectors=sectors,
        cells=cells,
        third=Group("Third sector", third_n),
        others=Group("Everyone else", respondents - third_n),
        compared=compared,
        principles=principles,
        bands=bands,
        scale=sorted(round.scale_labels.items()),
        trend=_trend(round, principles, compared, figures.earlier) if figures else [],
        actions=[action for action in actions if action.in_plan],
        committed=[action for action in actions if action.carried],
        reviews=_reviews(round),  # query 12
        answers_offered=disclosure.answers_offered(round, respondents),
    )


def band_for(mean: float | None, bands: list[BandInfo]) -> BandInfo | None:
    """The band a mean falls in, compared as it is shown (half_up): 3.995, shown as 4.00, is a
    strength. The only band rule: bands are read from the round's frozen copy."""
    if mean is None:
        return None
    shown = half_up(mean)
    return next((band for band in bands if band.min_mean <= shown), None)


def _snapshots(round: Round) -> dict[int, dict]:
    """The round's snapshot, and those of the partnership's rounds opened before it (the
    trend's), each with what of its round the figures depend on, by round id: a plain read."""
    rounds = Q(round=round)
    if round.opened_at is not None:
        earlier = Q(round__partnership_id=round.partnership_id)
        rounds |= earlier & Q(round__opened_at__lt=round.opened_at)
    fields = ["pk", "sequence", "taken_on", "responses", "left_out"]
    fields += ["round__title", "round__opens_on", "round__opened_at", "round__min_group_size"]
    rows = Publication.objects.filter(rounds).order_by("round_id").values("round_id", *fields)
    return {row["round_id"]: row for row in rows}


def figures_cache_key(round: Round, snapshots: dict[int, dict] | None = None) -> str:
    """The key holds every snapshot the figures are computed from, as `_snapshots` reads them:
    a new snapshot of this round or of an earlier one (its sequence), an earlier round renamed,
    re-dated, given another k, deleted or added, each gives a new key, so a figure is never
    stale."""
    snapshots = _snapshots(round) if snapshots is None else snapshots
    digest = hashlib.sha256(repr(sorted(snapshots.items())).encode()).hexdigest()
    return f"report-figures:{FIGURES_VERSION}:{round.pk}:{digest}"


def snapshot_figures(round: Round, snapshots: dict[int, dict]) -> SnapshotFigures:
    """The round's counts, comments and trend, from the shared cache while no snapshot they
    come from has changed (`figures_cache_key`). They are read after the key: if a snapshot is
    taken in between, the old key gets the newer figures, never the new key the older ones."""
    key = figures_cache_key(round, snapshots)
    figures = cache.get(key)
    if figures is None:
        figures = SnapshotFigures(
            sizes=_published_sizes(round),  # query 3
            counts=_answer_counts(round),  # query 5
            comments=_comments(round),  # query 6
            earlier=_earlier_rounds(round),  # queries 7 to 10
        )
        cache.set(key, figures, FIGURES_SECONDS)
    return figures


def bands_of(round: Round) -> list[BandInfo]:
    """The bands as the round froze them when it opened, highest first."""
    return [
        BandInfo(band["name"], Decimal(band["min_mean"]), band["tone"], band["description"])
        for band in round.frozen_bands
    ]


def _published_sizes(round: Round) -> dict[str, int]:
    """Respondents in the snapshot, by the sector they chose."""
    return dict(
        PublishedResponse.objects.filter(round=round)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _answer_counts(round: Round) -> dict[int, tuple[Figures, Figures]]:
    """Per question: (everyone's figures, the third sector's figures), from one GROUP BY."""
    rows = (
        PublishedAnswer.objects.filter(round=round)
        .values("question_id", "score")
        .annotate(total=CountRows(), third=CountRows(filter=Q(sector=THIRD)))
        .order_by()
    )
    counts: dict[int, dict[str, list[int]]] = {}
    for row in rows:
        slot = counts.setdefault(row["question_id"], {"total": [0] * 6, "third": [0] * 6})
        index = row["score"] - SCORE_MIN if row["score"] is not None else 5
        slot["total"][index] = row["total"]
        slot["third"][index] = row["third"]
    return {
        question_id: (_figures(slot["total"]), _figures(slot["third"]))
        for question_id, slot in counts.items()
    }


def _figures(counts: list[int]) -> Figures:
    return Figures(tuple(counts[:5]), counts[5])


def _comparison(everyone: Figures, third: Figures) -> Comparison:
    return Comparison(third.mean, (everyone - third).mean)


def _principles(
    round: Round, bands: list[BandInfo], compared: bool, figures: SnapshotFigures
) -> list[PrincipleResult]:
    """Each principle with its statements, as the round froze them, and their figures."""
    questions = Question.objects.filter(round=round).select_related("principle")
    counts, comments = figures.counts, figures.comments
    grouped: dict[int, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.principle_id, []).append(question)
    results = []
    for principle_questions in grouped.values():
        principle = principle_questions[0].principle
        figures = [counts.get(q.pk, (NO_ANSWERS, NO_ANSWERS)) for q in principle_questions]
        everyone = sum((pair[0] for pair in figures), NO_ANSWERS)
        statements = [
            _statement(question, pair, bands, compared, round.min_group_size)
            for question, pair in zip(principle_questions, figures, strict=True)
        ]
        results.append(
            PrincipleResult(
                number=principle.number,
                title=principle.title,
                summary=principle.summary,
                figures=everyone,
                band=band_for(everyone.mean, bands),
                comparison=_principle_comparison(statements, figures),
                statements=statements,
                comments=comments.get(principle.pk, []),
            )
        )
    return sorted(results, key=lambda result: result.number)


def _statement(
    question: Question,
    figures: tuple[Figures, Figures],
    bands: list[BandInfo],
    compared: bool,
    k: int,
) -> StatementResult:
    everyone, third = figures
    here = compared and disclosure.statement_compared(third.n, (everyone - third).n, k)
    return StatementResult(
        number=f"{question.principle.number}.{question.order}",
        text=question.text,
        figures=everyone,
        band=band_for(everyone.mean, bands),
        comparison=_comparison(everyone, third) if here else None,
        compared_here=here,
    )


def _principle_comparison(statements, figures) -> Comparison | None:
    """The groups' means pooled over the statements the gate lets them be compared on."""
    kept = [pair for s, pair in zip(statements, figures, strict=True) if s.compared_here]
    if not kept:
        return None
    everyone = sum((pair[0] for pair in kept), NO_ANSWERS)
    third = sum((pair[1] for pair in kept), NO_ANSWERS)
    return _comparison(everyone, third)


def _comments(round: Round) -> dict[int, list[str]]:
    """Comments per principle, in alphabetical order: never in an order that hints at who."""
    rows = (
        PublishedComment.objects.filter(round=round)
        .order_by("principle_id", "text")
        .values_list("principle_id", "text")
    )
    comments: dict[int, list[str]] = {}
    for principle_id, text in rows:
        comments.setdefault(principle_id, []).append(text)
    return comments


def _earlier_rounds(round: Round) -> list[TrendRound]:
    """The partnership's earlier rounds in the trend, oldest first: from their own snapshots,
    only those the gate lets show results (`rounds_counted`), each compared as its own report
    compared it (`round_figures`): the trend shows nothing that round's report did not."""
    if round.opened_at is None:
        return []
    # The earlier rounds with a snapshot, read first (query 7) so that the GROUP BY over their
    # answers (query 9) joins no round or snapshot table for each answer: a third of a cold
    # report's time.
    rows = Round.objects.filter(
        partnership_id=round.partnership_id,
        opened_at__lt=round.opened_at,
        publication__isnull=False,
    ).values_list(
        "pk", "title", "opens_on", "opened_at", "publication__responses", "min_group_size"
    )
    known = {
        pk: {"title": title, "opens_on": opens, "opened_at": opened, "responses": n, "k": k}
        for pk, title, opens, opened, n, k in rows
    }
    if not known:
        return []
    earlier = rounds_counted(known)  # queries 8 and 9
    if not earlier:
        return []
    latest = sorted(earlier.values(), key=lambda entry: entry["opened_at"])[-TREND_ROUNDS:]
    sizes = rounds_sizes([entry["pk"] for entry in latest])  # query 10
    return [round_figures(entry, sizes.get(entry["pk"], {})) for entry in latest]


def _trend(
    round: Round, principles: list[PrincipleResult], compared: bool, earlier: list[TrendRound]
) -> list[TrendRound]:
    """Each principle's mean in the partnership's earlier rounds (`_earlier_rounds`), matched by
    principle number, then this round; empty when there is no earlier round with figures."""
    if not earlier:
        return []
    current = TrendRound(
        round.title,
        round.opens_on,
        {principle.number: principle.figures.mean for principle in principles},
        True,
        round_pk=round.pk,
        compared=compared,
        min_group_size=round.min_group_size,
        comparisons={p.number: p.comparison for p in principles if compared and p.comparison},
    )
    return [*earlier, current]


# Other rounds' figures as each round's own report showed them. The trend's earlier rounds and
# the network benchmark's rounds of other partnerships (networks/benchmark.py) share this rule.


def rounds_counted(known: dict[int, dict]) -> dict[int, dict]:
    """The rounds of `known` that the gate lets show results, each with its answers counted per
    question and score (everyone, and the third sector), from one GROUP BY over their snapshots
    however many rounds there are.

    `known`: each round's title, opens_on, opened_at, responses (its snapshot's) and k, by its
    id, as the caller has read them. The GROUP BY then reads the snapshot's index (round,
    question, score, sector) alone and joins no other table for each answer; the principle of
    each question comes from one more read of the rounds' questions (a few dozen rows a round),
    which over 29,000 answers takes a third of the time the join did."""
    numbers = dict(
        Question.objects.filter(round_id__in=list(known)).values_list("pk", "principle__number")
    )
    rows = (
        PublishedAnswer.objects.filter(round_id__in=list(known), score__isnull=False)
        .values("round_id", "question_id", "score")
        .annotate(total=CountRows(), third=CountRows(filter=Q(sector=THIRD)))
        .order_by()
    )
    counted: dict[int, dict] = {}
    for row in rows:
        about = known[row["round_id"]]
        k = about["k"]
        if not disclosure.trend_round_shown(about["responses"], k):
            continue
        entry = counted.setdefault(
            row["round_id"],
            {
                "pk": row["round_id"],
                "title": about["title"],
                "opens_on": about["opens_on"],
                "opened_at": about["opened_at"],
                "k": k,
                "counts": {},  # (principle number, question id) -> {"total": [...], "third": [...]}
            },
        )
        key = (numbers[row["question_id"]], row["question_id"])
        slot = entry["counts"].setdefault(key, {"total": [0] * 6, "third": [0] * 6})
        slot["total"][row["score"] - SCORE_MIN] = row["total"]
        slot["third"][row["score"] - SCORE_MIN] = row["third"]
    return counted


def rounds_sizes(round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Respondents in each round's snapshot, by the sector they chose: the sizes its gate's
    sector cells were made from. One query however many rounds."""
    rows = (
        PublishedResponse.objects.filter(round_id__in=round_ids)
        .values_list("round_id", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sizes: dict[int, dict[str, int]] = {}
    for round_id, sector, n in rows:
        sizes.setdefault(round_id, {})[sector] = n
    return sizes


def round_figures(entry: dict, sizes: dict[str, int]) -> TrendRound:
    """A round's principle means, and the third sector's and everyone else's means only where
    that round's own gate compared them: its own k, its own sector cells (`groups_compared`),
    and per principle pooled over the statements each group gave at least k scores
    (`statement_compared`), exactly as its own report pools them. So nothing of it is shown that
    its own report did not show. `entry` is one of `rounds_counted`, `sizes` its `rounds_sizes`."""
    k = entry["k"]
    compared = disclosure.groups_compared(disclosure.sector_cells(sizes, k), k)
    by_principle: dict[int, list[tuple[Figures, Figures]]] = {}
    for (number, _), slot in entry["counts"].items():
        pair = (_figures(slot["total"]), _figures(slot["third"]))
        by_principle.setdefault(number, []).append(pair)
    means, comparisons = {}, {}
    for number, pairs in by_principle.items():
        means[number] = sum((everyone for everyone, _ in pairs), NO_ANSWERS).mean
        kept = [
            (everyone, third)
            for everyone, third in pairs
            if compared and disclosure.statement_compared(third.n, (everyone - third).n, k)
        ]
        if kept:
            comparisons[number] = _comparison(
                sum((everyone for everyone, _ in kept), NO_ANSWERS),
                sum((third for _, third in kept), NO_ANSWERS),
            )
    return TrendRound(
        entry["title"],
        entry["opens_on"],
        means,
        False,
        round_pk=entry["pk"],
        compared=compared,
        min_group_size=k,
        comparisons=comparisons,
    )


def _actions(round: Round) -> list[ActionItem]:
    """The round's action plan (Action.objects.in_plan_of): what earlier rounds committed to and
    is still open comes first, oldest round first, then what this round agreed; and the last
    round's actions that are out of the plan (`in_plan` False), for the principle sections."""
    today = timezone.localdate()
    actions = (
        Action.objects.in_report_of(round)
        .select_related("principle", "round")
        .order_by("round__opened_at", "principle__number", "due_on", "pk")
    )
    return [
        ActionItem(
            pk=action.pk,
            round_pk=action.round_id,
            round_title=action.round.title,
            principle=str(action.principle) if action.principle else "",
            principle_number=action.principle.number if action.principle else None,
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            status=action.get_status_display(),
            is_open=action.is_open,
            carried=action.round_id != round.pk,
            overdue=action.is_open and action.due_on is not None and action.due_on < today,
            in_plan=action.in_plan,
        )
        for action in actions
    ]


def _reviews(round: Round) -> dict[int, Review]:
    words = round.scale_labels
    return {
        review.principle.number: Review(
            agreed_score=review.agreed_score,
            agreed_words=words.get(review.agreed_score, "") if review.agreed_score else "",
            learned=review.learned,
        )
        for review in PrincipleReview.objects.filter(round=round).select_related("principle")
    }


# The anonymised answers as CSV rows

DONT_KNOW = "Don’t know"
CSV_HEADER = [
    "Response number",
    "Sector",
    "Principle number",
    "Principle",
    "Statement number",
    "Statement",
    "Score (1 to 5)",
    "Answer in words",
    DONT_KNOW,
]


def answers_csv_rows(round: Round, report: Report):
    """One row per response in the final snapshot and question, from two queries however many
    answers; nothing at all unless the gate offers the answers (`report.answers_offered`).

    Responses are numbered 1, 2, 3... in a random order drawn when each was published: neither
    the number nor the row order says who answered, or when. The sector is the respondent's
    group in the gate's partition (`report.cells`), in words, so every label covers at least k
    people ("Other sectors together" for the remainder).
    """
    yield CSV_HEADER
    if not report.answers_offered:
        return
    cell_of = {sector: cell.label for cell in report.cells for sector in cell.sectors}
    words = dict(report.scale)
    questions = {
        question.pk: question
        for question in Question.objects.filter(round=round).select_related("principle")
    }
    answers = (
        PublishedAnswer.objects.filter(round=round)
        .order_by("published__order_key", "question__principle__number", "question__order")
        .values_list("published_id", "sector", "question_id", "score")
    )
    number, previous = 0, None
    for published_id, sector, question_id, score in answers.iterator(chunk_size=2000):
        if published_id != previous:
            number, previous = number + 1, published_id
        question = questions[question_id]
        yield [
            number,
            cell_of[sector],
            question.principle.number,
            csv_safe(question.principle.title),
            question.order,
            csv_safe(question.text),
            "" if score is None else score,
            DONT_KNOW if score is None else csv_safe(words.get(score, "")),
            "Yes" if score is None else "No",
        ]


# The summary figures as CSV rows: the report's own figures, and nothing else

SUMMARY_HEADER = [
    "Principle number",
    "Principle",
    "Statement number",
    "Statement",
    "Mean score (1 to 5)",
    "Band",
    "Scores given",
    "Don’t know answers",
    "Third sector mean",
    "Everyone else’s mean",
    "Perception gap (third sector minus everyone else)",
    "Note",
]
COUNTS_HEADER = ["Sector", "Members invited", "Responses submitted", "Response rate (%)"]


def summary_csv_rows(report: Report):
    """The figures the report shows, as it prints them (the one rounding rule), read from the
    report the gate built, so nothing is in the file that is not on the page. A round that shows
    counts only (fewer than k responses) gives the response counts only, as the report does."""
    if not report.results_shown:
        yield COUNTS_HEADER
        for sector in report.sectors:
            yield [sector.label, sector.invited, sector.responded, sector.percent]
        yield ["All sectors", report.invited, report.submitted, report.percent]
        yield [_withheld_note(report)]
        return
    yield SUMMARY_HEADER
    for principle in report.principles:
        note = _principle_note(report, principle)
        yield _summary_row(report, principle, "", "All its statements", principle, note)
        for statement in principle.statements:
            number = statement.number.split(".")[1]
            note = _statement_note(report, statement)
            yield _summary_row(report, principle, number, statement.text, statement, note)


def _summary_row(report, principle, number, text, result, note: str) -> list:
    figures, comparison = result.figures, result.comparison
    if report.compared and comparison is not None:
        compared = [
            rounding.shown(comparison.third),
            rounding.shown(comparison.others),
            # A number a spreadsheet can read: "-0.67" (hyphen-minus) and "0.04", no "+".
            "" if comparison.gap_rounded is None else str(comparison.gap_rounded),
        ]
    else:
        compared = ["", "", ""]
    return [
        principle.number,
        csv_safe(principle.title),
        number,
        csv_safe(text),
        rounding.shown(figures.mean) or "No scores",
        result.band.name if result.band else "",
        figures.n,
        figures.dont_know,
        *compared,
        note,
    ]


def _withheld_note(report: Report) -> str:
    k = report.min_group_size
    if report.is_interim:
        return f"No figures yet: they are shown once at least {k} people have responded."
    return f"Fewer than {k} people responded, so only the number of responses is shown."


def _principle_note(report: Report, principle: PrincipleResult) -> str:
    """Why a principle's comparison is missing or partial, in the report's words."""
    k = report.min_group_size
    if not report.compared:
        return (
            "The third sector’s and everyone else’s views are not shown apart: each group "
            f"needs at least {k} respondents."
        )
    if principle.comparison is None:
        return f"Not compared: fewer than {k} scores in a group on every statement."
    left = [statement.number for statement in principle.statements_not_compared]
    if left:
        return f"Compared without statement{'s' if len(left) > 1 else ''} {', '.join(left)}."
    return ""


def _statement_note(report: Report, statement: StatementResult) -> str:
    if report.compared and statement.comparison is None:
        return f"Not compared: fewer than {report.min_group_size} scores in a group."
    return ""


def csv_safe(text: str) -> str:
    """Stop a spreadsheet reading text as a formula (CSV injection): prefix an apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
