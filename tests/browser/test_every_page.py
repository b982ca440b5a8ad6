"""Every page of the service (tests/every_page.py lists them) at the 320 px that WCAG 1.4.10
names and at a 1280 px desktop: the page never scrolls sideways as a whole, and axe finds no
WCAG 2.2 AA violation. Each width is one browser context over data built once; the failures
of every page are reported together."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import axe_violations
from tests.every_page import VISITS, build_service, coverage_problems

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# What sticks out, for the failure message: the innermost elements whose box or content ends
# beyond the window.
WIDEST = """() => {
  const out = [...document.querySelectorAll('body *')].filter(
    e => e.getBoundingClientRect().left + Math.max(e.scrollWidth, e.offsetWidth) > innerWidth + 1);
  return out.filter(e => !out.some(d => d !== e && e.contains(d))).slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}"`);
}"""


def sign_in(page, live_server, user) -> None:
    """Sign in by session cookie: the sign-in pages are visited as pages in their own right."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def submit_empty(page) -> None:
    """Send the page's main form as it is, to see its error state."""
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()


def page_problems(page, visit, width: int) -> list[str]:
    # The page's own console errors (a CSP violation, say), taken before axe runs: axe adds
    # <style> elements of its own on some pages, which the CSP refuses.
    problems, page.problems[:] = list(page.problems), []
    overflow = page.evaluate(OVERFLOW)
    if overflow > 0:
        problems.append(f"{overflow} px too wide, widest: {page.evaluate(WIDEST)}")
    problems += axe_violations(page)
    page.problems.clear()
    return [f"{width} px, {visit} at {page.url}: {problem}" for problem in problems]


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_fits_the_screen_and_has_no_axe_violations(page, live_server, width):
    assert coverage_problems() == []
    service = build_service()
    page.set_viewport_size({"width": width, "height": 900})
    persona, problems = "anonymous", []
    for visit in VISITS:
        if visit.persona != persona:
            persona = visit.persona
            sign_in(page, live_server, getattr(service, persona))
        response = page.goto(visit.url(service))
        if visit.submit:
            submit_empty(page)
            if not page.title().startswith("Error: "):
                problems.append(f"{width} px, {visit}: no error state, title {page.title()!r}")
        elif response.status != visit.status:
            problems.append(f"{width} px, {visit}: answered {response.status}")
        problems += page_problems(page, visit, width)
    assert problems == [], "\n".join(problems)
