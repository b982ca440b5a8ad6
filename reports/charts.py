"""The report's charts as SVG made on the server, the same in the browser and in WeasyPrint.

No JavaScript and no style attributes (the Content Security Policy forbids inline styles):
colours and lines are presentation attributes, which both renderers understand. Every piece of
text is escaped here. Each chart is role="img" with a <title> (WeasyPrint makes it the PDF
figure's alternative text) and a <desc>, and the report puts a table of the same numbers beside
it. Colour is never the only cue: the two groups differ in marker shape (the third sector a
circle, everyone else a square, all respondents a diamond) and, on the radar, line style; every
gap is printed; the answer bars carry patterns and counts. Each SVG has a viewBox and the classes
`app-chart app-chart--<kind> app-chart--<layout>`, so a stylesheet sizes it (print.css does).

The charts: the perception gap (`gap_chart`, a dot plot sorted by gap), the radar, each
principle's answers (`distribution_bars`) and the trend (`trend`, small multiples of both groups
and the gap per round, as each round's own gate allowed: report.TrendRound).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .report import SCORES, Comparison, PrincipleResult, Report
from .rounding import half_up, shown


def _as_shown(value: float) -> float:
    """A mean where the chart draws it: as the tables print it (the one rounding rule), so the
    drawing says no more than the figures beside it."""
    return float(half_up(value))


FONT = "Arial, 'Liberation Sans', sans-serif"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
MUTED = "#505a5f"
# Third sector and everyone else: blue and dark orange, both at least 3:1 against white.
SERIES = [("#1d70b8", None, "circle"), ("#b35100", "8 5", "square")]

# Answer bars, strongly disagree to strongly agree, then "Don't know": dark ends with white
# counts, light middles with black counts; the light ones are patterned.
SEGMENTS = [
    {"fill": "#942514", "text": "#ffffff", "pattern": None},
    {"fill": "#f4b8a6", "text": TEXT, "pattern": ("lines", "#942514", 45)},
    {"fill": "#c8c8c8", "text": TEXT, "pattern": None},
    {"fill": "#b6d3ee", "text": TEXT, "pattern": ("lines", "#12436d", -45)},
    {"fill": "#12436d", "text": "#ffffff", "pattern": None},
    {"fill": "#ffffff", "text": TEXT, "pattern": ("dots", MUTED, 0)},
]


def mean_text(value: float | None) -> str:
    """A mean as the report prints it (the one rounding rule), for labels and alternatives."""
    return shown(value) or "no scores"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, size: int = 14, **attrs: str) -> str:
    """A <text>; keyword arguments become attributes (text_anchor="end" -> text-anchor)."""
    attrs.setdefault("fill", TEXT)
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attrs.items())
    return f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}"{extra}>{escape(content)}</text>'


@dataclass(frozen=True)
class Layout:
    """How wide a chart is drawn, in its own units, and its smallest text.

    A chart scales with the column it sits in, so its text does too. Each chart is drawn twice:
    WIDE, 640 units, for screens of at least 769 px (the column is then 709 px or more, so its
    11-unit text is at least 12 px), for printing and for the PDF; NARROW, 340 units with no
    text under 15, for phones and small tablets (at 320 px the column is 290 px, so 15-unit text
    is 12.8 px). The stylesheet shows one of the two (`app-chart--wide`, `app-chart--narrow`);
    the hidden one is `display: none`, out of the accessibility tree too.
    """

    name: str
    width: int
    suffix: str  # of the chart's id, so both can be on one page


WIDE = Layout("wide", 640, "")
NARROW = Layout("narrow", 340, "-narrow")


def _svg(
    chart_id: str,
    size: tuple[int, float],
    title: str,
    desc: str,
    body: Iterable[str],
    kind: str,
    layout: Layout = WIDE,
):
    width, height = size[0], _num(size[1])
    return mark_safe(  # noqa: S308 - every piece of text above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'class="app-chart app-chart--{kind} app-chart--{layout.name}" '
        f'id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{escape(FONT)}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    if shape == "diamond":
        size *= 1.3  # as big as the square to the eye
        corners = ((x, y - size), (x + size, y), (x, y + size), (x - size, y))
        points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{_num(x - size)}" y="{_num(y - size)}" width="{_num(2 * size)}" '
            f'height="{_num(2 * size)}" fill="{colour}"/>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(size)}" fill="{colour}"/>'


def _legend_line(
    x: float, y: float, label: str, colour: str, dash, shape: str, size: int = 14
) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_num(x)}" y1="{_num(y)}" x2="{_num(x + 36)}" y2="{_num(y)}" '
        f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
        + _marker(shape, x + 18, y, colour)
        + _text(x + 44, y + 5, label, size)
    )


# Radar


def _radar_series(report: Report) -> list[tuple[str, list[float | None]]]:
    if report.compared:
        comparisons = [p.comparison for p in report.principles]
        return [
            ("Third sector", [c.third if c else None for c in comparisons]),
            ("Everyone else", [c.others if c else None for c in comparisons]),
        ]
    return [("All respondents", [p.figures.mean for p in report.principles])]


def radar(report: Report, chart_id: str = "chart-radar", layout: Layout = WIDE) -> SafeString:
    """The seven principles' means on spokes from 1 (centre) to 5 (rim). Narrow, the spokes
    carry the principles' numbers, with a key of their titles below."""
    narrow = layout is NARROW
    if narrow:
        width, height, cx, cy, radius, ring_size = layout.width, 0, 170, 210, 118, 15
    else:
        width, height, cx, cy, radius, ring_size = 640, 470, 320, 255, 150, 12
    count = len(report.principles)
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)]

    def point(angle: float, value: float) -> tuple[float, float]:
        r = radius * (_as_shown(value) - 1) / 4
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for ring in (2, 3, 4, 5):
        ring_points = " ".join(f"{_num(x)},{_num(y)}" for x, y in (point(a, ring) for a in angles))
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}"/>')
    for angle, principle in zip(angles, report.principles, strict=True):
        x, y = point(angle, 5)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{_num(x)}" y2="{_num(y)}" stroke="{GRID}"/>')
        body.append(_radar_label(angle, cx, cy, radius + 14, principle, narrow))
    series = _radar_series(report)
    outlines = []
    styled = zip(series, SERIES, strict=False)  # one or two series, two styles
    for index, ((label, values), (colour, dash, shape)) in enumerate(styled):
        outlines.append([point(a, v) for a, v in zip(angles, values, strict=True) if v is not None])
        body.append(_radar_polygon(outlines[-1], colour, dash, shape))
        if narrow:
            body.append(_legend_line(10, 20 + 28 * index, label, colour, dash, shape, 16))
        else:
            body.append(_legend_line(10 + 230 * index, 20, label, colour, dash, shape))
    body.extend(_ring_labels(angles, point, outlines, ring_size))
    if narrow:
        key, height = _radar_key(report.principles, cy + radius + 52)
        body.extend(key)
    names = " and ".join(label for label, _ in series)
    title = f"Radar chart of each principle's mean score: {names}"
    desc = "; ".join(
        f"{p.number}. {p.title}: "
        + ", ".join(f"{label} {mean_text(values[i])}" for label, values in series)
        for i, p in enumerate(report.principles)
    )
    desc = f"Scores run from 1 at the centre to 5 at the rim. {desc}."
    return _svg(chart_id + layout.suffix, (width, height), title, desc, body, "radar", layout)


def _radar_label(
    angle: float, cx: float, cy: float, r: float, principle: PrincipleResult, narrow: bool
) -> str:
    x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
    cos = math.cos(angle)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    y += 5 + (6 if math.sin(angle) > 0.5 else 0) - (4 if math.sin(angle) < -0.9 else 0)
    if narrow:
        return _text(x, y, str(principle.number), 16, text_anchor=anchor, font_weight="bold")
    return _text(x, y, f"{principle.number}. {principle.title}", 14, text_anchor=anchor)


def _radar_key(principles: list[PrincipleResult], y: float) -> tuple[list[str], float]:
    """The narrow radar's key: each spoke's number and principle, wrapped to the width."""
    body = [_text(0, y, "Principles", 16, font_weight="bold")]
    for principle in principles:
        for line in textwrap.wrap(f"{principle.number}. {principle.title}", 34) or [""]:
            y += 22
            body.append(_text(0, y, line, 16))
    return body, y + 12


def _ring_labels(angles, point, outlines, size: int) -> list[str]:
    """Each ring's score, on the ring between two spokes where no line of the data crosses it,
    as near the top as it can be: all four between the same two spokes if two have room for them
    all, else each where it has room (else where the fewest lines cross). Drawn after the data
    on a white patch, so no data ever covers a label."""
    count, pad = len(angles), size / 2 + 5  # half the label, a line's half-width, a marker
    edges = [
        (a, b) for points in outlines for a, b in zip(points, points[1:] + points[:1], strict=True)
    ]

    def spot(ring: int, index: int, share: float) -> tuple[float, float]:
        (ax, ay), (bx, by) = point(angles[index], ring), point(angles[(index + 1) % count], ring)
        return ax + share * (bx - ax), ay + share * (by - ay)

    def crossed(x: float, y: float) -> int:
        return sum(_crosses(a, b, (x - pad, y - pad, x + pad, y + pad)) for a, b in edges)

    rings = (2, 3, 4, 5)
    gaps = sorted(range(count), key=lambda i: min(i, count - 1 - i))  # the top ones first
    together = next(
        (i for i in gaps if not any(crossed(*spot(ring, i, 0.5)) for ring in rings)), None
    )
    if together is not None:
        spots = [spot(ring, together, 0.5) for ring in rings]
    else:
        choices = [(i, share) for i in gaps for share in (0.5, 0.3, 0.7)]
        spots = [
            min((spot(ring, i, share) for i, share in choices), key=lambda xy: crossed(*xy))
            for ring in rings
        ]
    body, half = [], size / 2
    for ring, (x, y) in zip(rings, spots, strict=True):
        body.append(
            f'<rect x="{_num(x - half - 1)}" y="{_num(y - half - 1)}" width="{_num(size + 2)}" '
            f'height="{_num(size + 2)}" fill="#ffffff"/>'
        )
        body.append(_text(x, y + size / 3, str(ring), size, fill=MUTED, text_anchor="middle"))
    return body


def _crosses(a: tuple[float, float], b: tuple[float, float], box: tuple) -> bool:
    """Whether the segment from a to b passes through the box (x0, y0, x1, y1): Liang-Barsky."""
    (ax, ay), (bx, by), (x0, y0, x1, y1) = a, b, box
    dx, dy = bx - ax, by - ay
    low, high = 0.0, 1.0
    for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _radar_polygon(points, colour: str, dash, shape: str) -> str:
    if not points:
        return ""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    outline = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    return (
        f'<polygon points="{outline}" fill="{colour}" fill-opacity="0.08" stroke="{colour}" '
        f'stroke-width="3"{dash_attr}/>' + "".join(_marker(shape, x, y, colour) for x, y in points)
    )


# The perception gap


def _key(entries: list[tuple[str, str, str]], layout: Layout, y: float) -> tuple[list[str], float]:
    """A key of marker shapes: side by side wide, one under another narrow. Returns the key and
    the y below it."""
    narrow = layout is NARROW
    size, body, x = (16 if narrow else 14), [], 0.0
    for shape, colour, label in entries:
        if narrow and x:
            x, y = 0.0, y + 26
        body.append(_marker(shape, x + 7, y - size / 3, colour, 5.5))
        body.append(_text(x + 20, y, label, size))
        x += 20 + _width(label, size) + 28
    return body, y + (30 if narrow else 26)


def _width(text: str, size: float) -> float:
    """About how wide a line of Arial is, to lay out a key (Arial averages about half an em)."""
    return 0.55 * size * len(text)


def _dumbbell(x_of, y: float, comparison: Comparison) -> list[str]:
    """Everyone else's mean (square) and the third sector's (circle) joined by a line."""
    third, others = x_of(comparison.third), x_of(comparison.others)
    return [
        f'<line x1="{_num(third)}" y1="{_num(y)}" x2="{_num(others)}" y2="{_num(y)}" '
        f'stroke="{MUTED}" stroke-width="2"/>',
        _marker(SERIES[1][2], others, y, SERIES[1][0], 5),
        _marker(SERIES[0][2], third, y, SERIES[0][0], 5.5),
    ]


def _grid(x_of, top: float, bottom: float) -> list[str]:
    return [
        f'<line x1="{_num(x_of(score))}" y1="{_num(top)}" x2="{_num(x_of(score))}" '
        f'y2="{_num(bottom)}" stroke="{GRID}" stroke-width="1"/>'
        for score in SCORES
    ]


def _ticks(x_of, y: float, size: int) -> list[str]:
    return [
        _text(x_of(score), y, str(score), size, fill=MUTED, text_anchor="middle")
        for score in SCORES
    ]


def _by_gap(principles: list[PrincipleResult]) -> tuple[list, list]:
    """The compared principles by gap as printed, the most negative first (ties in principle
    order), and those the gate did not compare."""
    compared = [p for p in principles if p.comparison and p.comparison.gap_rounded is not None]
    compared.sort(key=lambda p: (p.comparison.gap_rounded, p.number))
    return compared, [p for p in principles if p not in compared]


GAP_KEY = [
    (SERIES[0][2], SERIES[0][0], "Third sector"),
    (SERIES[1][2], SERIES[1][0], "Everyone else"),
]


def gap_chart(report: Report, chart_id: str = "chart-gap", layout: Layout = WIDE) -> SafeString:
    """The perception gap: a row per principle with the third sector's mean (circle) and
    everyone else's (square) on the scale of 1 to 5, joined by a line, and the gap printed at
    the row's end; sorted by gap, the most negative first, then the principles not compared
    named below. Wide, each principle is beside its row; narrow, above it."""
    narrow = layout is NARROW
    size, small = (16, 15) if narrow else (14, 13)
    plot = (12, 270) if narrow else (210, 560)

    def x_of(value: float) -> float:
        return plot[0] + (plot[1] - plot[0]) * (_as_shown(value) - 1) / 4

    body, y = _key(GAP_KEY, layout, 20)
    body.append(_text(layout.width, y + 4, "Gap", size, font_weight="bold", text_anchor="end"))
    body.extend(_ticks(x_of, y + 4, small))
    if not narrow:
        body.append(_text(0, y + 4, "Mean score (1 to 5)", small, fill=MUTED))
    y += 14
    compared, left_out = _by_gap(report.principles)
    start, top = len(body), y
    for principle in compared:
        row, y = _gap_row(principle, x_of, y, layout)
        body.extend(row)
    if not narrow and compared:  # under the rows; narrow, each row has its own
        body[start:start] = _grid(x_of, top, y)
    k = report.min_group_size
    note = f"Not compared (fewer than {k} scores in a group on every statement):"
    if left_out:
        names = [note, *(f"{p.number}. {p.title}" for p in left_out)]
        for line in (part for name in names for part in textwrap.wrap(name, 38 if narrow else 80)):
            y += 21
            body.append(_text(0, y, line, size))
        y += 8
    title = (
        "Dot plot of the third sector's and everyone else's mean score on each principle, "
        "sorted by the perception gap, most negative first"
    )
    desc = _gap_words(compared, left_out, note)
    size = (layout.width, y + 8)
    return _svg(chart_id + layout.suffix, size, title, desc, body, "gap", layout)


def _gap_row(principle: PrincipleResult, x_of, y: float, layout: Layout) -> tuple[list, float]:
    """A principle's row of the gap chart, from y down; returns it and the y below it."""
    narrow = layout is NARROW
    size, body = (16 if narrow else 14), []
    lines = textwrap.wrap(f"{principle.number}. {principle.title}", 34 if narrow else 26)
    if narrow:  # the principle on its own lines, then its dots
        for line in lines:
            y += 21
            body.append(_text(0, y, line, size))
        middle, y = y + 18, y + 30
    else:  # the principle's lines beside the dots, centred on them
        top, y = y, y + max(32, 18 * len(lines) + 12)
        middle = (top + y) / 2
        for index, line in enumerate(lines):
            body.append(_text(0, middle + 5 + (index - (len(lines) - 1) / 2) * 18, line, size))
    if narrow:  # not across the principle's name above the row
        body.extend(_grid(x_of, middle - 11, middle + 11))
    body.extend(_dumbbell(x_of, middle, principle.comparison))
    gap = principle.comparison.gap_shown
    body.append(_text(layout.width, middle + 5, gap, size, font_weight="bold", text_anchor="end"))
    return body, y


def _gap_words(compared: list[PrincipleResult], left_out: list[PrincipleResult], note: str) -> str:
    rows = "; ".join(
        f"{p.number}. {p.title}: third sector {mean_text(p.comparison.third)}, everyone else "
        f"{mean_text(p.comparison.others)}, gap {p.comparison.gap_shown}"
        for p in compared
    )
    words = "Scores run from 1 to 5; the gap is the third sector's mean minus everyone else's. "
    words += f"{rows}."
    if left_out:
        words += f" {note} " + "; ".join(f"{p.number}. {p.title}" for p in left_out) + "."
    return words


# Stacked bars


def _patterns(chart_id: str) -> str:
    defs = []
    for index, segment in enumerate(SEGMENTS):
        if not segment["pattern"]:
            continue
        kind, colour, angle = segment["pattern"]
        if kind == "lines":
            mark = f'<line x1="0" y1="0" x2="0" y2="7" stroke="{colour}" stroke-width="1.6"/>'
            transform = f' patternTransform="rotate({angle})"'
        else:
            mark = f'<circle cx="3.5" cy="3.5" r="1.3" fill="{colour}"/>'
            transform = ""
        defs.append(
            f'<pattern id="{escape(chart_id)}-p{index}" width="7" height="7" '
            f'patternUnits="userSpaceOnUse"{transform}>'
            f'<rect width="7" height="7" fill="{segment["fill"]}"/>{mark}</pattern>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _paint(chart_id: str, index: int) -> str:
    segment = SEGMENTS[index]
    return f"url(#{escape(chart_id)}-p{index})" if segment["pattern"] else segment["fill"]


def _bar_legend(chart_id: str, labels: list[str], narrow: bool) -> tuple[list[str], int]:
    """The scale's labels: three columns wide, one column narrow."""
    columns, column_width, size = (1, 0, 15) if narrow else (3, 213, 13)
    body = []
    for index, label in enumerate(labels):
        x, y = (index % columns) * column_width, (index // columns) * 24
        body.append(
            f'<rect x="{x}" y="{y + 2}" width="22" height="16" fill="{_paint(chart_id, index)}" '
            f'stroke="{MUTED}"/>'
        )
        body.append(_text(x + 28, y + 15, label, size))
    return body, 24 * math.ceil(len(labels) / columns) + 12


def distribution_bars(
    principle: PrincipleResult,
    scale: list[tuple[int, str]],
    chart_id: str,
    layout: Layout = WIDE,
):
    """One bar per statement, split into the answers at each point of the scale."""
    narrow = layout is NARROW
    chart_id += layout.suffix  # the patterns' ids too
    width, bar_height = layout.width, 30 if narrow else 28
    size, line_height, wrap = (16, 21, 36) if narrow else (14, 18, 88)
    labels = [f"{value} {label}" for value, label in scale] + ["Don't know"]
    legend, y = _bar_legend(chart_id, labels, narrow)
    body = [_patterns(chart_id), *legend]
    for statement in principle.statements:
        lines = textwrap.wrap(f"{statement.number} {statement.text}", wrap) or [""]
        for line in lines:
            y += line_height
            body.append(_text(0, y, line, size))
        y += 6
        body.extend(_bar(chart_id, statement.figures, y, width, bar_height, 15 if narrow else 13))
        y += bar_height + 16
    counts = "; ".join(_statement_words(statement, labels) for statement in principle.statements)
    title = f"Bar chart of the answers to each statement of principle {principle.number}"
    desc = f"Number of answers at each point of the scale. {counts}."
    return _svg(chart_id, (width, y), title, desc, body, "bars", layout)


def _statement_words(statement, labels: list[str]) -> str:
    values = [*statement.figures.counts, statement.figures.dont_know]
    parts = ", ".join(f"{label} {count}" for label, count in zip(labels, values, strict=True))
    return f"statement {statement.number}: {parts}"


def _bar(chart_id: str, figures, y: float, width: int, height: int, size: int) -> list[str]:
    values = [*figures.counts, figures.dont_know]
    total = sum(values)
    if not total:
        return [
            f'<rect x="0" y="{_num(y)}" width="{width}" height="{height}" fill="none" '
            f'stroke="{MUTED}"/>',
            _text(8, y + height / 2 + size / 3, "No answers yet", size),
        ]
    body, x = [], 0.0
    for index, count in enumerate(values):
        if not count:
            continue
        share = width * count / total
        body.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(share)}" height="{height}" '
            f'fill="{_paint(chart_id, index)}" stroke="#ffffff" stroke-width="1.5"/>'
        )
        if share >= 2 * size:
            label = _label_box(x + share / 2, y + height / 2, str(count), SEGMENTS[index], size)
            body.append(label)
        x += share
    return body


def _label_box(x: float, y: float, label: str, segment: dict, size: int = 13) -> str:
    """A count in the middle of a segment; on a patterned one it sits on a plain patch."""
    patch = ""
    if segment["pattern"]:
        half, tall = 4 + size * len(label) / 3.2, size + 5
        patch = (
            f'<rect x="{_num(x - half)}" y="{_num(y - tall / 2)}" width="{_num(2 * half)}" '
            f'height="{_num(tall)}" rx="3" fill="{segment["fill"]}"/>'
        )
    return patch + _text(
        x,
        y + size * 0.38,
        label,
        size,
        fill=segment["text"],
        text_anchor="middle",
        font_weight="bold",
    )


# Trend

TREND_KEY = [
    *GAP_KEY,
    ("diamond", MUTED, "All respondents (groups not compared)"),
]


def trend(report: Report, chart_id: str = "chart-trend", layout: Layout = WIDE) -> SafeString:
    """Small multiples under a key: one panel per principle, a row per round, oldest first, with
    the third sector's mean (circle) and everyone else's (square) joined by a line and the gap
    at the row's end, as in the gap chart. A round whose own gate did not compare the groups
    shows all respondents' mean (diamond) and says "Not compared". Two columns wide, one
    narrow."""
    narrow = layout is NARROW
    columns, gutter, wrap = (1, 0, 34) if narrow else (2, 24, 36)
    width = (layout.width - gutter * (columns - 1)) / columns
    notes = (
        "The gap (third sector minus everyone else) ends each row. Dates are when each round "
        "opened; this round's is in bold."
    )
    body, y = _key(TREND_KEY, layout, 20)
    for line in textwrap.wrap(notes, 42 if narrow else 84):
        body.append(_text(0, y - 4, line, 15 if narrow else 13))
        y += 20 if narrow else 18
    titles = max(len(textwrap.wrap(f"{p.number}. {p.title}", wrap)) for p in report.principles)
    row_height = 28 if narrow else 22
    height = 20 * titles + 22 + row_height * len(report.trend) + 24  # a panel and the space below
    for index, (principle, rounds) in enumerate(report.trend_groups):
        x0, y0 = (index % columns) * (width + gutter), y + (index // columns) * height
        body.extend(_trend_panel(principle, rounds, (x0, y0, width, titles), layout, wrap))
    size = (layout.width, y + math.ceil(len(report.principles) / columns) * height)
    title = (
        "Each principle's mean score in this and earlier rounds: the third sector, everyone else "
        "and the gap"
    )
    desc = f"Oldest round first. {_trend_words(report)}."
    return _svg(chart_id + layout.suffix, size, title, desc, body, "trend", layout)


def _trend_panel(principle: PrincipleResult, rounds: list, panel: tuple, layout, wrap: int):
    """A principle's panel: its title, the scale, and a row per round."""
    x0, y0, width, titles = panel
    narrow = layout is NARROW
    size, title_size, row_height = (15, 16, 28) if narrow else (12, 14, 22)
    left, right = (x0 + 80, x0 + 228) if narrow else (x0 + 68, x0 + 216)

    def x_of(value: float) -> float:
        return left + (right - left) * (_as_shown(value) - 1) / 4

    body = []
    for index, line in enumerate(textwrap.wrap(f"{principle.number}. {principle.title}", wrap)):
        body.append(_text(x0, y0 + 16 + 20 * index, line, title_size, font_weight="bold"))
    top = y0 + 20 * titles + 22
    body.extend(_ticks(x_of, top - 6, size))
    body.extend(_grid(x_of, top, top + row_height * len(rounds)))
    for index, (entry, comparison) in enumerate(rounds):
        middle = top + row_height * (index + 0.5)
        weight = "bold" if entry.is_current else "normal"
        body.append(_text(x0, middle + size / 3, _month(entry), size, font_weight=weight))
        if comparison is not None:
            body.extend(_dumbbell(x_of, middle, comparison))
            words = comparison.gap_shown
        else:
            mean = entry.means.get(principle.number)
            if mean is not None:
                body.append(_marker("diamond", x_of(mean), middle, MUTED, 5.5))
            words = "Not compared"
        body.append(_text(x0 + width, middle + size / 3, words, size, text_anchor="end"))
    return body


def _month(entry) -> str:
    return entry.opens_on.strftime("%b %Y")


def _trend_words(report: Report) -> str:
    """The trend chart's figures in words, round by round within each principle."""
    principles = []
    for principle, rounds in report.trend_groups:
        words = []
        for entry, comparison in rounds:
            name = f"{entry.title}{' (this round)' if entry.is_current else ''}"
            if comparison is not None:
                words.append(
                    f"{name}: third sector {mean_text(comparison.third)}, everyone else "
                    f"{mean_text(comparison.others)}, gap {comparison.gap_shown}"
                )
            else:
                mean = mean_text(entry.means.get(principle.number))
                words.append(f"{name}: not compared, all respondents {mean}")
        principles.append(f"{principle.number}. {principle.title}: " + "; ".join(words))
    return ". ".join(principles)


def charts_for(report: Report, phones: bool = True) -> dict:
    """The template context of the report body: the report and its charts. For the web page
    each chart comes in both layouts (the stylesheet shows one, by screen width); the PDF
    (`phones=False`) has the wide one only."""
    layouts = (WIDE, NARROW) if phones else (WIDE,)

    def both(chart, *args) -> SafeString:
        return mark_safe("".join(chart(*args, layout=layout) for layout in layouts))  # noqa: S308

    return {
        "report": report,
        "radar": both(radar, report) if report.principles else "",
        "gap": both(gap_chart, report) if report.compared and report.principles else "",
        "trend": both(trend, report) if report.trend else "",
        "trend_compared": any(entry.comparisons for entry in report.trend),
        "sections": [
            (
                principle,
                both(
                    distribution_bars,
                    principle,
                    report.scale,
                    f"chart-principle-{principle.number}",
                ),
            )
            for principle in report.principles
        ],
    }
