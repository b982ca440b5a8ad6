"""The report printed from the browser, and its charts' text on small screens.

Printing the HTML report gives the report only: none of the service's header, menu, footer, back
link or skip link, and none of the report's links and buttons for acting on it. Chart text is at
least 12 px on screen at every width, the 320 px of WCAG 1.4.10 included.
"""

import pytest

from assessments.models import token_new
from reports.models import ShareLink
from tests.browser import test_report_pages
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_pages import base, sign_in
from tests.reports.test_pdf import pdf_text

report_round = test_report_pages.report_round  # the same round: open, with an earlier one

# Everything a printout must leave out, by what a reader would see on screen.
NOT_PRINTED = {
    "skip link": ".govuk-skip-link",
    "header": ".govuk-header",
    "menu": ".govuk-service-navigation",
    "footer": ".govuk-footer",
    "back link": ".govuk-back-link",
    "downloads and share link": ".app-report-downloads",
    "Change and Delete links": ".app-report-change a",
    "add an action button": "a.govuk-button",
}
PRINTED = ["h1", "#summary-heading", "#summary table", "#principle-1-heading", "#actions table"]


def assert_prints_the_report_only(page, tmp_path) -> str:
    page.emulate_media(media="print")
    for what, selector in NOT_PRINTED.items():
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"the {what} would be printed"
    for selector in PRINTED:
        assert page.locator(selector).first.is_visible(), f"{selector} would not be printed"
    assert page.locator("#chart-radar").is_visible()  # the wide charts, at the paper's width
    assert not page.locator("#chart-radar-narrow").is_visible()
    text = " ".join(pdf_text(page.pdf(format="A4"), tmp_path, layout=False).split())
    for absent in ("Skip to main content", "Accessibility statement", "Download the report"):
        assert absent not in text
    assert "How to read this report" in text
    return text


def test_printing_the_coordinators_report_gives_the_report_only(
    page, live_server, report_round, tmp_path
):
    sign_in(page, live_server, report_round)
    page.goto(f"{base(report_round)}/report/")
    assert page.locator(".app-report-change a").count() == 2  # on screen: Change and Delete
    text = assert_prints_the_report_only(page, tmp_path)
    assert "Send papers ten working days ahead." in text  # the action plan, without its links
    assert "Add an action" not in text and "Back to the round" not in text


def test_printing_the_shared_report_gives_the_report_only(page, report_round, tmp_path):
    token, hashed = token_new()
    ShareLink.objects.create(round=report_round, token_hash=hashed)
    page.goto(f"/shared/{token}/")
    assert_prints_the_report_only(page, tmp_path)


# Each chart's smallest text as it is drawn on screen: its font size in the SVG's units times
# the scale the SVG is drawn at, for every chart on show.
SMALLEST_TEXT = """() => [...document.querySelectorAll("svg.app-chart")]
  .filter(svg => svg.getClientRects().length)
  .map(svg => {
    const sizes = [...svg.querySelectorAll("text")]
      .map(text => parseFloat(text.getAttribute("font-size")));
    return [svg.id, Math.min(...sizes) * svg.getScreenCTM().a];
  })"""


@pytest.mark.parametrize("width", [320, 375, 768, 769, 1280])
def test_chart_text_is_at_least_12_px_on_screen(page, live_server, report_round, width):
    sign_in(page, live_server, report_round)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{base(report_round)}/report/")
    smallest = page.evaluate(SMALLEST_TEXT)
    assert len(smallest) == 9  # the radar, seven principles' bars, the trend: one layout each
    assert all(size >= 12 for _, size in smallest), smallest
    # And measured as drawn: a count on a bar (the smallest kind of text) is 12 px or taller.
    count = page.locator("#principle-1 svg.app-chart text[font-weight=bold]").locator(
        "visible=true"
    )
    assert count.first.bounding_box()["height"] >= 12


def test_the_narrow_charts_have_no_axe_violations(page, live_server, report_round):
    sign_in(page, live_server, report_round)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base(report_round)}/report/")
    assert page.locator("#chart-radar-narrow").is_visible()
    assert (
        page.get_by_role(
            "img", name="Radar chart of each principle's mean score", exact=False
        ).count()
        == 1
    )
    assert_accessible(page)
