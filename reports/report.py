"""A round's report as plain data, computed in the database.

`report_build(round)` runs the same handful of aggregate queries whatever the number of
respondents: answers are counted per question and score (with a conditional count for the third
sector), never loaded one by one. Everything else is arithmetic on those few dozen rows.

Definitions the report states in words:
- Only submitted responses count. "Don't know" has no score: it is left out of every mean and
  counted on its own.
- A principle's mean is the mean of every score given to its statements.
- The perception gap is the third sector's mean minus everyone else's; negative means the third
  sector sees things less favourably.
- Views are split on a statement when at least a quarter of its scores are 1 or 2 and at least
  a quarter are 4 or 5 (SPLIT_SHARE).
- The third sector and everyone else are compared only when both groups have at least the round's
  minimum number of respondents: with one group hidden, the other's figures and the totals would
  give the hidden group's figures away by subtraction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Q

from assessments.models import Answer, Comment, Invitation, Question, Response, Round, Sector
from principles.models import SCORE_MAX, SCORE_MIN, Band, ScalePoint

from .models import Action

SCORES = tuple(range(SCORE_MIN, SCORE_MAX + 1))
SPLIT_SHARE = 0.25  # a quarter at each end of the scale
TREND_ROUNDS = 5  # the trend shows at most the five latest earlier rounds: the chart stays legible
THIRD = Sector.THIRD_SECTOR
SUBMITTED = Response.Status.SUBMITTED


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
        if self.third is None or self.others is None:
            return None
        return self.third - self.others

    @property
    def gap_shown(self) -> str:
        """The gap as the report prints it: "+0.45", "−0.45" (a real minus sign) or "0.00"."""
        if self.gap is None:
            return "No scores"
        shown = round(self.gap, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
        sign = "+" if shown > 0 else "−" if shown < 0 else ""
        return f"{sign}{abs(shown):.2f}"

    @property
    def gap_words(self) -> str:
        """How the third sector's mean compares with everyone else's, in words."""
        shown = round(self.gap or 0, 2)
        if not shown:
            return "the same as"
        return f"{abs(shown):.2f} {'higher' if shown > 0 else 'lower'} than"


@dataclass(frozen=True)
class StatementResult:
    number: str  # "1.2": principle number and statement order
    text: str
    figures: Figures
    band: BandInfo | None
    comparison: Comparison | None


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


@dataclass(frozen=True)
class Group:
    label: str
    respondents: int


@dataclass(frozen=True)
class SectorRate:
    label: str
    invited: int
    responded: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


@dataclass(frozen=True)
class TrendRound:
    title: str
    opens_on: datetime.date
    means: dict[int, float | None]  # principle number to mean
    is_current: bool


@dataclass(frozen=True)
class ActionItem:
    pk: int
    principle: str  # "6. Sustainability", or "" for the whole partnership
    description: str
    owner: str
    due_on: datetime.date | None
    status: str


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
    respondents: int
    latest_submission: datetime.datetime | None
    sectors: list[SectorRate]
    third: Group
    others: Group
    principles: list[PrincipleResult]
    bands: list[BandInfo]
    scale: list[tuple[int, str]]
    trend: list[TrendRound]
    actions: list[ActionItem]
    split_share: float = SPLIT_SHARE

    @property
    def is_interim(self) -> bool:
        return self.status == Round.Status.OPEN

    @property
    def compared(self) -> bool:
        """Both groups are big enough to be shown apart (see the module docstring)."""
        return min(self.third.respondents, self.others.respondents) >= self.min_group_size

    @property
    def invited(self) -> int:
        return sum(sector.invited for sector in self.sectors)

    @property
    def percent(self) -> int | None:
        return round(100 * self.respondents / self.invited) if self.invited else None

    @property
    def withheld_groups(self) -> list[Group]:
        return [g for g in (self.third, self.others) if g.respondents < self.min_group_size]

    @property
    def trend_rows(self) -> list[tuple[PrincipleResult, list[float | None]]]:
        """Each principle with its mean in each round of the trend, oldest first."""
        return [(p, [entry.means.get(p.number) for entry in self.trend]) for p in self.principles]

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


def report_build(round: Round) -> Report:
    """The report of a round; `round.partnership` should be loaded already (select_related)."""
    bands = bands_load()  # query 1
    respondents = _respondents_by_sector(round)  # query 2
    third = Group("Third sector", respondents["by_sector"].get(THIRD, 0))
    others = Group("Everyone else", respondents["total"] - third.respondents)
    compared = min(third.respondents, others.respondents) >= round.min_group_size
    principles = _principles(round, bands, compared)  # queries 3, 4 and 5
    return Report(
        partnership=round.partnership.name,
        partnership_slug=round.partnership.slug,
        round_pk=round.pk,
        round_title=round.title,
        opens_on=round.opens_on,
        closes_on=round.closes_on,
        status=round.status,
        status_label=round.get_status_display(),
        min_group_size=round.min_group_size,
        respondents=respondents["total"],
        latest_submission=respondents["latest"],
        sectors=_sector_rates(round, respondents["by_sector"]),  # query 6
        third=third,
        others=others,
        principles=principles,
        bands=bands,
        scale=list(ScalePoint.objects.order_by("value").values_list("value", "label")),  # 7
        trend=_trend(round, principles),  # query 8
        actions=_actions(round),  # query 9
    )


def band_for(mean: float | None, bands: list[BandInfo]) -> BandInfo | None:
    """The band a mean falls in. Means are compared as they are shown, rounded half up to two
    decimals (Django's floatformat), so that 3.995, shown as 4.00, is a strength."""
    if mean is None:
        return None
    shown = Decimal(repr(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return next((band for band in bands if band.min_mean <= shown), None)


def bands_load() -> list[BandInfo]:
    """The admin-editable bands, highest first."""
    return [
        BandInfo(band.name, band.min_mean, band.tone, band.description)
        for band in Band.objects.order_by("-min_mean")
    ]


def _respondents_by_sector(round: Round) -> dict:
    rows = (
        Response.objects.filter(round=round, status=SUBMITTED)
        .values("sector")
        .annotate(n=Count("id"), latest=Max("submitted_at"))
        .order_by()
    )
    by_sector = {row["sector"]: row["n"] for row in rows}
    latest = max((row["latest"] for row in rows), default=None)
    return {"by_sector": by_sector, "total": sum(by_sector.values()), "latest": latest}


def _answer_counts(round: Round) -> dict[int, tuple[Figures, Figures]]:
    """Per question: (everyone's figures, the third sector's figures), from one GROUP BY."""
    rows = (
        Answer.objects.filter(response__round=round, response__status=SUBMITTED)
        .values("question_id", "score")
        .annotate(total=Count("id"), third=Count("id", filter=Q(response__sector=THIRD)))
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


def _comparison(everyone: Figures, third: Figures, compared: bool) -> Comparison | None:
    if not compared:
        return None
    return Comparison(third.mean, (everyone - third).mean)


def _principles(round: Round, bands: list[BandInfo], compared: bool) -> list[PrincipleResult]:
    """Each principle with its statements, as the round froze them, and their figures."""
    questions = Question.objects.filter(round=round).select_related("principle")
    counts, comments = _answer_counts(round), _comments(round)
    grouped: dict[int, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.principle_id, []).append(question)
    results = []
    for principle_questions in grouped.values():
        principle = principle_questions[0].principle
        figures = [counts.get(q.pk, (NO_ANSWERS, NO_ANSWERS)) for q in principle_questions]
        everyone = sum((pair[0] for pair in figures), NO_ANSWERS)
        third = sum((pair[1] for pair in figures), NO_ANSWERS)
        results.append(
            PrincipleResult(
                number=principle.number,
                title=principle.title,
                summary=principle.summary,
                figures=everyone,
                band=band_for(everyone.mean, bands),
                comparison=_comparison(everyone, third, compared),
                statements=[
                    _statement(question, pair, bands, compared)
                    for question, pair in zip(principle_questions, figures, strict=True)
                ],
                comments=comments.get(principle.pk, []),
            )
        )
    return sorted(results, key=lambda result: result.number)


def _statement(
    question: Question, figures: tuple[Figures, Figures], bands: list[BandInfo], compared: bool
) -> StatementResult:
    everyone, third = figures
    return StatementResult(
        number=f"{question.principle.number}.{question.order}",
        text=question.text,
        figures=everyone,
        band=band_for(everyone.mean, bands),
        comparison=_comparison(everyone, third, compared),
    )


def _comments(round: Round) -> dict[int, list[str]]:
    """Comments per principle, in alphabetical order: never in an order that hints at who."""
    rows = (
        Comment.objects.filter(response__round=round, response__status=SUBMITTED)
        .order_by("principle_id", "text")
        .values_list("principle_id", "text")
    )
    comments: dict[int, list[str]] = {}
    for principle_id, text in rows:
        comments.setdefault(principle_id, []).append(text)
    return comments


def _sector_rates(round: Round, responded: dict[str, int]) -> list[SectorRate]:
    """Members invited (by the sector on their member record) against responses (by the sector
    respondents chose), for every sector with either."""
    invited = dict(
        Invitation.objects.filter(round=round)
        .values_list("member__sector")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        SectorRate(label, invited.get(value, 0), responded.get(value, 0))
        for value, label in Sector.choices
        if invited.get(value) or responded.get(value)
    ]


def _trend(round: Round, principles: list[PrincipleResult]) -> list[TrendRound]:
    """Each principle's mean in the partnership's earlier rounds, matched by principle number,
    then this round; empty when there is no earlier round with answers."""
    if round.opened_at is None:
        return []
    rows = (
        Answer.objects.filter(
            response__status=SUBMITTED,
            score__isnull=False,
            response__round__partnership_id=round.partnership_id,
            response__round__opened_at__lt=round.opened_at,
            response__round__status__in=[Round.Status.OPEN, Round.Status.CLOSED],
        )
        .values(
            "response__round_id",
            "response__round__title",
            "response__round__opens_on",
            "response__round__opened_at",
            "question__principle__number",
        )
        .annotate(mean=Avg("score"))
        .order_by()
    )
    earlier: dict[int, dict] = {}
    for row in rows:
        entry = earlier.setdefault(
            row["response__round_id"],
            {
                "title": row["response__round__title"],
                "opens_on": row["response__round__opens_on"],
                "opened_at": row["response__round__opened_at"],
                "means": {},
            },
        )
        entry["means"][row["question__principle__number"]] = float(row["mean"])
    if not earlier:
        return []
    latest = sorted(earlier.values(), key=lambda entry: entry["opened_at"])[-TREND_ROUNDS:]
    trend = [TrendRound(e["title"], e["opens_on"], e["means"], False) for e in latest]
    current = {principle.number: principle.figures.mean for principle in principles}
    return [*trend, TrendRound(round.title, round.opens_on, current, True)]


def _actions(round: Round) -> list[ActionItem]:
    return [
        ActionItem(
            pk=action.pk,
            principle=str(action.principle) if action.principle else "",
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            status=action.get_status_display(),
        )
        for action in Action.objects.filter(round=round).select_related("principle")
    ]


# The anonymised answers as CSV rows

CSV_HEADER = [
    "response",
    "sector",
    "principle_number",
    "principle",
    "statement_number",
    "statement",
    "score",
    "dont_know",
]
WITHHELD = "withheld"


def answers_csv_rows(round: Round):
    """One row per submitted response and question, from three queries however many answers.

    Responses are numbered 1, 2, 3... in the order of their invitation's token hash, which is
    random: neither the number nor the row order says who answered, or when. A sector is given
    only where the round has at least its minimum number of responses from that sector.
    """
    yield CSV_HEADER
    sectors = _respondents_by_sector(round)["by_sector"]
    shown = {sector for sector, n in sectors.items() if n >= round.min_group_size}
    questions = {
        question.pk: question
        for question in Question.objects.filter(round=round).select_related("principle")
    }
    answers = (
        Answer.objects.filter(response__round=round, response__status=SUBMITTED)
        .order_by(
            "response__invitation__token_hash", "question__principle__number", "question__order"
        )
        .values_list("response_id", "response__sector", "question_id", "score")
    )
    number, previous = 0, None
    for response_id, sector, question_id, score in answers.iterator(chunk_size=2000):
        if response_id != previous:
            number, previous = number + 1, response_id
        question = questions[question_id]
        yield [
            number,
            sector if sector in shown else WITHHELD,
            question.principle.number,
            csv_safe(question.principle.title),
            question.order,
            csv_safe(question.text),
            "" if score is None else score,
            "yes" if score is None else "no",
        ]


def csv_safe(text: str) -> str:
    """Stop a spreadsheet reading text as a formula (CSV injection): prefix an apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
