"""The report's charts as SVG made on the server, the same in the browser and in WeasyPrint.

No JavaScript and no style attributes (the Content Security Policy forbids inline styles):
colours and lines are presentation attributes, which both renderers understand. Every piece of
text is escaped here. Each chart is role="img" with a <title> (WeasyPrint makes it the PDF
figure's alternative text) and a <desc>, and the report puts a table of the same numbers beside
it. Colour is never the only cue: the two groups differ in line style and marker shape, and the
answer bars carry patterns and counts.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .report import SCORES, PrincipleResult, Report
from .rounding import shown

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
        r = radius * (value - 1) / 4
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = []
    for ring in (2, 3, 4, 5):
        ring_points = " ".join(f"{_num(x)},{_num(y)}" for x, y in (point(a, ring) for a in angles))
        body.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}"/>')
        # Each ring's score sits on it halfway between the first two spokes, clear of the data.
        middle, inset = angles[0] + math.pi / count, math.cos(math.pi / count)
        x, y = point(middle, 1 + (ring - 1) * inset)
        half = ring_size / 2
        backdrop = (
            f'x="{_num(x - half)}" y="{_num(y - half - 2)}" '
            f'width="{_num(2 * half)}" height="{_num(ring_size + 3)}"'
        )
        body.append(f'<rect {backdrop} fill="#ffffff"/>')
        body.append(
            _text(x, y + ring_size / 3, str(ring), ring_size, fill=MUTED, text_anchor="middle")
        )
    for angle, principle in zip(angles, report.principles, strict=True):
        x, y = point(angle, 5)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{_num(x)}" y2="{_num(y)}" stroke="{GRID}"/>')
        body.append(_radar_label(angle, cx, cy, radius + 14, principle, narrow))
    series = _radar_series(report)
    styled = zip(series, SERIES, strict=False)  # one or two series, two styles
    for index, ((label, values), (colour, dash, shape)) in enumerate(styled):
        body.append(_radar_polygon(angles, values, point, colour, dash, shape))
        if narrow:
            body.append(_legend_line(10, 20 + 28 * index, label, colour, dash, shape, 16))
        else:
            body.append(_legend_line(10 + 230 * index, 20, label, colour, dash, shape))
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


def _radar_polygon(angles, values, point, colour: str, dash, shape: str) -> str:
    points = [point(a, v) for a, v in zip(angles, values, strict=True) if v is not None]
    if not points:
        return ""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    outline = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
    return (
        f'<polygon points="{outline}" fill="{colour}" fill-opacity="0.08" stroke="{colour}" '
        f'stroke-width="3"{dash_attr}/>' + "".join(_marker(shape, x, y, colour) for x, y in points)
    )


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


def trend(report: Report, chart_id: str = "chart-trend", layout: Layout = WIDE) -> SafeString:
    """Small multiples: one panel per principle, its mean in each round, oldest first. Two
    columns wide, one narrow (with each date on two lines)."""
    narrow = layout is NARROW
    panel_width, panel_height, columns = (340, 200, 1) if narrow else (310, 170, 2)
    rows = math.ceil((len(report.principles) + 1) / columns)
    body = []
    for index, principle in enumerate(report.principles):
        x0, y0 = (index % columns) * (panel_width + 20), (index // columns) * panel_height
        panel = (x0, y0, panel_width, panel_height - 20)
        body.extend(_trend_panel(report, principle, panel, narrow))
    slot = len(report.principles)
    x0, y0 = (slot % columns) * (panel_width + 20), (slot // columns) * panel_height
    body.append(_trend_key(x0, y0, narrow))
    title = "Line charts of each principle's mean score in this and earlier rounds"
    desc = "; ".join(
        f"{p.number}. {p.title}: "
        + ", ".join(f"{r.title} {mean_text(r.means.get(p.number))}" for r in report.trend)
        for p in report.principles
    )
    size = (layout.width, rows * panel_height)
    return _svg(
        chart_id + layout.suffix, size, title, f"Oldest round first. {desc}.", body, "trend", layout
    )


def _trend_panel(report: Report, principle, panel: tuple, narrow: bool):
    x0, y0, width, height = panel
    small, title_size = (15, 16) if narrow else (11, 14)
    left, top = x0 + 30, y0 + 30
    bottom, right = y0 + height - (40 if narrow else 22), x0 + width - 20
    title = f"{principle.number}. {principle.title}"
    body = [_text(x0, y0 + 16, title, title_size, font_weight="bold")]
    for score in SCORES:
        y = bottom - (bottom - top) * (score - 1) / 4
        body.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="{1 if score in (1, 5) else 0.6}"/>'
        )
        body.append(
            _text(left - 8, y + small / 3, str(score), small, fill=MUTED, text_anchor="end")
        )
    step = (right - left - 40) / max(len(report.trend) - 1, 1)
    points = []
    for i, entry in enumerate(report.trend):
        x = left + 20 + i * step
        if narrow:  # month and year on two lines: six rounds fit in the width
            body.append(
                _text(x, bottom + 18, entry.opens_on.strftime("%b"), small, text_anchor="middle")
            )
            body.append(
                _text(x, bottom + 35, entry.opens_on.strftime("%Y"), small, text_anchor="middle")
            )
        else:
            label = entry.opens_on.strftime("%b %Y")
            body.append(_text(x, bottom + 16, label, small, text_anchor="middle"))
        value = entry.means.get(principle.number)
        if value is not None:
            points.append((x, bottom - (bottom - top) * (value - 1) / 4, value, entry.is_current))
    body.append(_trend_line(points, 15 if narrow else 12))
    return body


def _trend_line(points, size: int) -> str:
    colour = SERIES[0][0]
    outline = " ".join(f"{_num(x)},{_num(y)}" for x, y, _, _ in points)
    parts = [f'<polyline points="{outline}" fill="none" stroke="{colour}" stroke-width="2.5"/>']
    for x, y, value, current in points:
        if current:
            parts.append(_marker("circle", x, y, colour, 6))
        else:
            parts.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4.5" fill="#ffffff" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(_text(x, y - 10, mean_text(value), size, text_anchor="middle"))
    return "".join(parts)


def _trend_key(x0: float, y0: float, narrow: bool) -> str:
    colour = SERIES[0][0]
    size, gap = (15, 24) if narrow else (13, 20)
    lines = ["Dates are when each round opened.", "Scores run from 1 to 5."]
    return "".join(
        [
            _text(x0, y0 + 16, "Key", 16 if narrow else 14, font_weight="bold"),
            f'<circle cx="{_num(x0 + 8)}" cy="{_num(y0 + 40)}" r="4.5" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2"/>',
            _text(x0 + 22, y0 + 45, "Mean score in an earlier round", size),
            _marker("circle", x0 + 8, y0 + 66, colour, 6),
            _text(x0 + 22, y0 + 71, "Mean score in this round", size),
            *(_text(x0, y0 + 97 + gap * i, line, size) for i, line in enumerate(lines)),
        ]
    )


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
        "trend": both(trend, report) if report.trend else "",
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
