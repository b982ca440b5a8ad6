"""The report's charts as a reader sees them: the perception gap sorted and printed, nothing the
gate withholds drawn, the radar's scale readable, and every word escaped."""

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.urls import reverse

from reports import charts
from reports.report import Comparison, report_build
from tests.reports.test_report_trend import make_group_rounds

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
LAYOUTS = pytest.mark.parametrize("layout", [charts.WIDE, charts.NARROW], ids=["wide", "narrow"])


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the service's own chart, not outside data


def texts(svg: str) -> list[str]:
    return [element.text for element in parse(svg).iter(f"{SVG}text")]


@pytest.fixture
def rounds(partnership, principles):
    return make_group_rounds(partnership)


@LAYOUTS
def test_the_gap_chart_sorts_by_gap_most_negative_first_and_prints_each_gap(rounds, layout):
    svg = charts.gap_chart(report_build(rounds[2]), layout=layout)
    words = texts(svg)
    # In round C the third sector scores 3, 1, 4, 2, 5, 2 on principles 1 to 6 and everyone
    # else 3; principle 7 had too few third sector scores.
    named = [word for word in words if re.match(r"\d\. ", word)]
    assert named == [
        "2. Equality",
        "4. Openness",
        "6. Sustainability",
        "1. Accountability",
        "3. Leadership",
        "5. Clarity of purpose",
        "7. Local values",
    ]
    gaps = [word for word in words if re.fullmatch(r"[+−]?\d\.\d\d", word)]
    assert gaps == ["−2.00", "−1.00", "−1.00", "0.00", "+1.00", "+2.00"]
    note = next(i for i, word in enumerate(words) if word.startswith("Not compared (fewer than 5"))
    assert words.index("5. Clarity of purpose") < note < words.index("7. Local values")
    # Principle 7 has no dots: two markers for each of the six rows and the key's two.
    markers = [e for e in parse(svg).iter() if e.tag in (f"{SVG}circle", f"{SVG}rect")]
    assert len(markers) == 2 * 6 + 2
    assert "7. Local values: third sector" not in svg


def test_the_gap_chart_is_in_the_comparison_section_only_when_the_groups_are_compared(
    coordinator_client, rounds
):
    def page(round):
        address = reverse("reports:round-report", args=[round.partnership.slug, round.pk])
        return coordinator_client.get(address).content.decode()

    compared = re.search(r'<section id="comparison".*?</section>', page(rounds[2]), re.S)
    assert 'id="chart-gap"' in compared.group(0)
    assert 'id="chart-gap-narrow"' in compared.group(0)
    assert 'class="app-chart app-chart--gap app-chart--wide"' in compared.group(0)
    assert 'aria-labelledby="chart-gap-title' in compared.group(0)
    assert "chart-gap" not in page(rounds[1])  # round B: the third sector was below 5


def principle(number: int, title: str, third: float, others: float):
    """What the radar and the gap chart read of a principle."""
    return SimpleNamespace(
        number=number,
        title=title,
        comparison=Comparison(third, others),
        figures=SimpleNamespace(mean=(third + others) / 2),
    )


# The spring 2026 demo round's means, whose "3" the old radar printed under a line of data.
SPRING = [(3.20, 3.87), (2.80, 3.64), (3.42, 3.38), (3.35, 3.76), (3.69, 3.87), (2.33, 3.25)]
SPRING += [(3.63, 3.67)]


def spring(title: str = "Principle") -> SimpleNamespace:
    principles = [principle(n, f"{title} {n}", *means) for n, means in enumerate(SPRING, 1)]
    return SimpleNamespace(compared=True, principles=principles, min_group_size=5)


@LAYOUTS
def test_no_line_of_the_radar_s_data_crosses_a_ring_s_score(layout):
    root = parse(charts.radar(spring(), layout=layout))
    elements = list(root)
    data = [e for e in elements if e.tag == f"{SVG}polygon" and e.get("fill-opacity")]
    scores = [e for e in elements if e.tag == f"{SVG}text" and e.get("fill") == charts.MUTED]
    assert sorted(e.text for e in scores) == ["2", "3", "4", "5"]
    assert all(elements.index(e) > elements.index(data[-1]) for e in scores)  # drawn on top
    for polygon in data:
        points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
        for score in scores:
            x, y, size = float(score.get("x")), float(score.get("y")), float(score.get("font-size"))
            box = (x - size / 2, y - size, x + size / 2, y + 0.2 * size)  # the digit's ink
            for a, b in zip(points, points[1:] + points[:1], strict=True):
                assert not charts._crosses(a, b, box), (score.text, a, b)


def test_every_word_of_the_charts_is_escaped():
    report = spring('<script>alert("x")</script> & co')
    for svg in (charts.gap_chart(report), charts.radar(report)):
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co 1" in svg
        parse(svg)  # well-formed
