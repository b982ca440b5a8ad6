"""The report's key findings, in plain words: read from the report the gate built, never from the
database, so every figure in them is one the report already shows, as it shows it.

`findings_for(report)` picks them out by these rules:
- Strengths: the principles in the round's top band (its frozen bands, highest first), highest
  mean first; and always the strongest principle (the highest mean, ties named together).
- Priorities for action: the principles in the round's lowest band, lowest mean first; when
  there are none, the weakest principle (the lowest mean, ties named together).
- Largest perception gaps: the GAPS_SHOWN principles with the largest gap either way, only when
  the report compares the third sector with everyone else; a gap of 0.00 is not a gap.
- Where views split: every statement the report flags as split, by number.
- What changed: the principles whose mean moved by at least CHANGE_THRESHOLD since the previous
  round of the trend (the latest earlier round with figures).
- Actions: how many this round agreed, how many carried from earlier rounds are still open, and
  how many are overdue.

Means, gaps and changes are compared as they are printed (rounding.half_up): a principle shown
as 3.80 ties with another shown as 3.80, and a change is the difference of the two means shown.
Ties are listed in principle order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .report import BandInfo, PrincipleResult, Report
from .rounding import half_up, signed

GAPS_SHOWN = 3
CHANGE_THRESHOLD = Decimal("0.25")


@dataclass(frozen=True)
class Mention:
    """A principle named in a finding, with its mean."""

    number: int
    title: str
    mean: float


@dataclass(frozen=True)
class Gap:
    number: int
    title: str
    third: float
    others: float
    gap_shown: str  # "−0.91", as the report prints it
    gap_words: str  # "0.91 lower than"


@dataclass(frozen=True)
class Split:
    number: str  # "1.2"
    text: str
    principle: int


@dataclass(frozen=True)
class Change:
    number: int
    title: str
    before: float
    now: float
    change: Decimal  # the difference of the two means as printed

    @property
    def rose(self) -> bool:
        return self.change > 0

    @property
    def change_shown(self) -> str:
        return signed(self.change)


@dataclass(frozen=True)
class ActionCounts:
    agreed: int  # in this round
    carried_open: int  # agreed in an earlier round and still open
    overdue: int  # open, past their due date, whichever round agreed them

    @property
    def any(self) -> bool:
        return bool(self.agreed or self.carried_open or self.overdue)


@dataclass(frozen=True)
class Findings:
    shown: bool  # False: the report shows no figures, so no findings either
    min_group_size: int
    top_band: BandInfo | None
    top_band_range: str  # "4.00 or more"
    strengths: list[Mention]
    strongest: list[Mention]
    lowest_band: BandInfo | None
    lowest_band_range: str  # "1.00 to 2.99"
    priorities: list[Mention]
    weakest: list[Mention]  # only when there is no priority
    compared: bool
    gaps: list[Gap]
    split: list[Split]
    previous_round: str  # the title of the round compared with; "" in a first round
    change_threshold: Decimal
    changes: list[Change]
    actions: ActionCounts


def findings_for(report: Report) -> Findings:
    shown = report.results_shown
    scored = [p for p in report.principles if p.figures.mean is not None] if shown else []
    ranges = report.band_ranges
    top, top_range = ranges[0] if ranges else (None, "")
    lowest, lowest_range = ranges[-1] if len(ranges) > 1 else (None, "")
    by_mean = sorted(scored, key=lambda p: (-half_up(p.figures.mean), p.number))
    lowest_first = sorted(scored, key=lambda p: (half_up(p.figures.mean), p.number))
    priorities = [_mention(p) for p in lowest_first if lowest and p.band == lowest]
    previous, changes = _changes(report, scored)
    return Findings(
        shown=shown,
        min_group_size=report.min_group_size,
        top_band=top,
        top_band_range=top_range,
        strengths=[_mention(p) for p in by_mean if top and p.band == top],
        strongest=_extreme(scored, max),
        lowest_band=lowest,
        lowest_band_range=lowest_range,
        priorities=priorities,
        weakest=[] if priorities else _extreme(scored, min),
        compared=shown and report.compared,
        gaps=_gaps(scored) if shown and report.compared else [],
        split=[Split(s.number, s.text, p.number) for p in scored for s in p.split_statements],
        previous_round=previous,
        change_threshold=CHANGE_THRESHOLD,
        changes=changes,
        actions=_action_counts(report),
    )


def _mention(principle: PrincipleResult) -> Mention:
    return Mention(principle.number, principle.title, principle.figures.mean)


def _extreme(principles: list[PrincipleResult], pick) -> list[Mention]:
    """The principles with the highest (pick=max) or lowest (min) mean as printed."""
    if not principles:
        return []
    best = pick(half_up(p.figures.mean) for p in principles)
    return [_mention(p) for p in principles if half_up(p.figures.mean) == best]


def _gaps(principles: list[PrincipleResult]) -> list[Gap]:
    compared = [p for p in principles if p.comparison is not None and p.comparison.gap_rounded]
    compared.sort(key=lambda p: (-abs(p.comparison.gap_rounded), p.number))
    return [
        Gap(
            p.number,
            p.title,
            p.comparison.third,
            p.comparison.others,
            p.comparison.gap_shown,
            p.comparison.gap_words,
        )
        for p in compared[:GAPS_SHOWN]
    ]


def _changes(report: Report, principles: list[PrincipleResult]) -> tuple[str, list[Change]]:
    """The previous round's title, and the principles that moved by the threshold since it,
    the largest move first."""
    previous = next((entry for entry in reversed(report.trend) if not entry.is_current), None)
    if previous is None:
        return "", []
    changes = []
    for principle in principles:
        before = previous.means.get(principle.number)
        if before is None:
            continue
        change = half_up(principle.figures.mean) - half_up(before)
        if abs(change) >= CHANGE_THRESHOLD:
            changes.append(
                Change(principle.number, principle.title, before, principle.figures.mean, change)
            )
    changes.sort(key=lambda c: (-abs(c.change), c.number))
    return previous.title, changes


def _action_counts(report: Report) -> ActionCounts:
    actions = report.actions
    return ActionCounts(
        agreed=sum(1 for a in actions if not a.carried),
        carried_open=sum(1 for a in actions if a.carried and a.is_open),
        overdue=sum(1 for a in actions if a.overdue),
    )
