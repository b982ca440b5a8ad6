"""The workshop view in a real browser: the results meeting goes through it by keyboard alone
(arrow keys and Page Up/Down between screens, Tab through the form), and it works with
JavaScript off; axe finds nothing on its screens."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from assessments.models import Round
from tests.browser.conftest import assert_accessible
from tests.factories import make_partnership, make_report_round, make_user, publish

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def round(transactional_db) -> Round:
    call_command("load_principles", verbosity=0)
    partnership = make_partnership(make_user("coordinator"), slug="riverside")
    return publish(
        make_report_round(partnership, comment=lambda index: "Papers come late.", bulk=True)
    )


def sign_in(page, live_server, round: Round) -> None:
    """Sign the coordinator in by session cookie: the sign-in page has its own tests."""
    client = Client()
    client.force_login(round.partnership.coordinators.get())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def workshop(round: Round, number: int | None = None) -> str:
    url = f"/partnerships/{round.partnership.slug}/rounds/{round.pk}/workshop/"
    return url if number is None else f"{url}{number}/"


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_the_meeting_goes_through_the_workshop_by_keyboard_alone(page, live_server, round):
    sign_in(page, live_server, round)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(workshop(round))
    assert_accessible(page)

    press_and_wait(page, "ArrowRight")  # the start screen's next is the first principle
    assert page.url.endswith(workshop(round, 1))
    assert page.locator("h1").inner_text() == "1. Accountability"
    assert_accessible(page)

    tab_to(page, "#id_learned")
    page.keyboard.type("Reporting back stops at the steering group.")
    page.keyboard.press("ArrowRight")  # in a box the arrow keys move the cursor, not the screen
    tab_to(page, "input[name=agreed_score]")  # the group's checked radio: "No rating agreed"
    for _ in range(4):  # up from "No rating agreed" through 5, 4 and 3 to 2
        page.keyboard.press("ArrowUp")
    assert page.locator("#id_agreed_score_2").is_checked()
    assert page.url.endswith(workshop(round, 1))
    tab_to(page, "#id_description")
    page.keyboard.type("Report back to the whole forum after each board meeting.")
    page.keyboard.press("Tab")
    page.keyboard.type("Forum chair")
    for part in ["30", "6", "2027"]:
        page.keyboard.press("Tab")
        page.keyboard.type(part)
    tab_to(page, "main form [type=submit]")
    press_and_wait(page, "Enter")

    assert page.url.endswith(workshop(round, 1))
    banner = page.locator(".govuk-notification-banner--success")
    assert "the action is added to the round’s action plan" in banner.inner_text()
    assert (
        page.locator("#id_learned").input_value() == "Reporting back stops at the steering group."
    )
    assert page.locator("#id_description").input_value() == ""  # ready for another action
    actions = page.locator(".app-workshop__actions").inner_text()
    assert "Report back to the whole forum after each board meeting." in actions
    assert "led by Forum chair; due by 30 June 2027" in actions

    press_and_wait(page, "ArrowRight")
    assert page.url.endswith(workshop(round, 2))
    press_and_wait(page, "PageDown")  # what a presentation clicker sends
    assert page.url.endswith(workshop(round, 3))
    press_and_wait(page, "PageUp")
    assert page.url.endswith(workshop(round, 2))
    press_and_wait(page, "ArrowLeft")
    assert page.url.endswith(workshop(round, 1))

    tab_to(page, "a[rel=next]")  # and by the link: "Next principle: 2. Equality"
    assert re.sub(r"\s+", " ", page.evaluate("document.activeElement.innerText")).strip() == (
        "Next principle : 2. Equality"
    )
    press_and_wait(page, "Enter")
    assert page.locator("h1").inner_text() == "2. Equality"

    tab_to(page, "a.govuk-back-link")
    press_and_wait(page, "Enter")
    assert "/report/" in page.url
    plan = page.locator("#actions").inner_text()
    assert "Report back to the whole forum after each board meeting." in plan
    assert "Forum chair" in plan and "30 June 2027" in plan
    section = page.locator("#principle-1").inner_text()
    assert "Agreed at the meeting: 2 (disagree)" in section
    assert "Reporting back stops at the steering group." in section


def test_the_keys_do_not_move_on_from_what_is_typed_and_not_saved(page, live_server, round):
    """A presentation clicker's Page Down after typing a note keeps the note, and says so."""
    sign_in(page, live_server, round)
    page.goto(workshop(round, 5))
    page.fill("#id_learned", "The strategy is clear to everyone.")
    page.locator("h1").click()  # the focus leaves the box, as a clicker user's would
    page.keyboard.press("PageDown")
    page.wait_for_timeout(300)
    assert page.url.endswith(workshop(round, 5))
    assert page.locator("#id_learned").input_value() == "The strategy is clear to everyone."
    assert "not saved yet" in page.locator("[role=status].app-workshop__unsaved").inner_text()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    press_and_wait(page, "PageDown")  # saved: now it moves on
    assert page.url.endswith(workshop(round, 6))


@pytest.mark.parametrize("width", [320, 1280])
def test_a_mistake_keeps_what_was_typed_and_the_screen_fits(page, live_server, round, width):
    sign_in(page, live_server, round)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(workshop(round, 7))
    assert page.evaluate(OVERFLOW) <= 0
    assert_accessible(page)
    page.fill("#id_learned", "Local values are rarely named.")
    page.fill("#id_owner", "Forum chair")  # but no description
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.title().startswith("Error: 7. Local values")
    summary = page.locator(".govuk-error-summary")
    assert summary.evaluate(
        "e => e === document.activeElement || e.contains(document.activeElement)"
    )
    assert "Enter what will be done, or clear who leads it" in summary.inner_text()
    assert page.locator("#id_learned").input_value() == "Local values are rarely named."
    assert page.locator("#id_owner").input_value() == "Forum chair"
    assert page.evaluate(OVERFLOW) <= 0
    assert_accessible(page)
    # The summary's link takes the focus to the box to put right.
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_description"


def test_the_workshop_works_with_javascript_off(page_without_js, live_server, round):
    page = page_without_js
    sign_in(page, live_server, round)
    page.goto(workshop(round))
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()
    assert page.url.endswith(workshop(round, 1))
    with page.expect_navigation():
        page.get_by_role("link", name="Next principle : 2. Equality").click()
    page.fill("#id_description", "Hold one board meeting a year in the evening.")
    page.check("#id_agreed_score_3")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.url.endswith(workshop(round, 2))
    assert "Hold one board meeting a year in the evening." in page.locator("main").inner_text()
    page.keyboard.press("ArrowRight")  # nothing happens without the script
    page.wait_for_timeout(300)
    assert page.url.endswith(workshop(round, 2))
