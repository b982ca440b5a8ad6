"""The charts of a report that compares the third sector with everyone else (the perception gap,
and the trend of both groups across rounds), in a real browser at a phone's 320 px and a
desktop's 1280 px: each chart in the layout for the width, nothing scrolls sideways, and axe
finds no violation."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible
from tests.browser.test_every_page import OVERFLOW, sign_in
from tests.factories import make_partnership, make_user
from tests.reports.test_report_trend import make_group_rounds


@pytest.fixture
def compared_round(transactional_db):
    call_command("load_principles", verbosity=0)
    partnership = make_partnership(make_user("coordinator"), slug="riverside")
    return make_group_rounds(partnership)[2]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_gap_and_trend_charts_fit_the_screen_and_pass_axe(
    page, live_server, compared_round, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, compared_round.partnership.coordinators.get())
    page.goto(f"/partnerships/riverside/rounds/{compared_round.pk}/report/")
    suffix = "-narrow" if width < 769 else ""
    for chart in ("chart-gap", "chart-radar", "chart-trend"):
        assert page.locator(f"#{chart}{suffix}").is_visible()
    # The gap, the radar, seven principles' answers and the trend.
    assert page.locator("svg[role=img]").locator("visible=true").count() == 10
    assert page.evaluate(OVERFLOW) == 0
    assert_accessible(page)
