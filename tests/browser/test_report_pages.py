"""The report pages in a real browser: axe on the coordinator's report, the forum's shared report,
and the action plan and share link pages with their error states."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assessments.models import Round, token_new
from reports.models import Action, ShareLink
from tests.browser.conftest import assert_accessible
from tests.factories import (
    make_partnership,
    make_report_round,
    make_response,
    make_round,
    make_user,
)

COMMENTS = [
    "Papers arrive two days before the meeting.",
    "Reporting back is good, but only to the steering group.",
    '<img src="file:///etc/passwd"> is not a picture here.',
]


@pytest.fixture
def report_round(transactional_db) -> Round:
    """An earlier closed round, and an open one with 12 submitted responses and comments."""
    call_command("load_principles", verbosity=0)
    coordinator = make_user("coordinator")
    partnership = make_partnership(coordinator, name="Riverside Partnership", slug="riverside")
    round = make_report_round(
        partnership, comment=lambda index: COMMENTS[index % 3] if index % 2 == 0 else None
    )
    Action.objects.create(
        round=round,
        principle=round.principles.get(number=4),
        description="Send papers ten working days ahead.",
        owner="Partnership manager",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    return round


def sign_in(page, live_server, round: Round) -> None:
    """Sign the coordinator in by session cookie: the sign-in page has its own tests."""
    client = Client()
    client.force_login(round.partnership.coordinators.get())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def press(page, name: str, role: str = "button") -> None:
    """Press a button (or follow a link) and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def base(round: Round) -> str:
    return f"/partnerships/{round.partnership.slug}/rounds/{round.pk}"


def test_the_coordinators_report_page_has_no_axe_violations(page, live_server, report_round):
    sign_in(page, live_server, report_round)
    page.goto(f"{base(report_round)}/report/")
    assert page.locator("h1").inner_text() == "Report: Autumn 2026"
    # The radar, seven principles and the trend, each in the layout for this width.
    assert page.locator("svg[role=img]").locator("visible=true").count() == 9
    assert page.get_by_text(COMMENTS[2]).count() >= 1
    assert_accessible(page)


def test_the_shared_report_page_has_no_axe_violations(page, report_round):
    token, hashed = token_new()
    ShareLink.objects.create(round=report_round, token_hash=hashed, label="Forum")
    page.goto(f"/shared/{token}/")
    assert page.locator("h1").inner_text() == "Report: Autumn 2026"
    assert page.get_by_role("link", name="Add an action").count() == 0
    assert_accessible(page)


def test_the_action_plan_pages_have_no_axe_violations(page, live_server, report_round):
    sign_in(page, live_server, report_round)
    page.goto(f"{base(report_round)}/report/")
    press(page, "Add an action", "link")
    assert_accessible(page)
    press(page, "Save action")  # nothing entered
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("What will be done?").fill("Hold two meetings a year in the evening.")
    page.get_by_label("Planned").check()
    press(page, "Save action")
    assert page.get_by_text("Hold two meetings a year in the evening.").count() == 1
    assert_accessible(page)
    press(page, "Delete action 1", "link")
    assert page.locator("h1").inner_text() == "Delete this action?"
    assert_accessible(page)


def test_the_share_link_pages_have_no_axe_violations(page, live_server, report_round):
    sign_in(page, live_server, report_round)
    page.goto(f"{base(report_round)}/share/")
    assert_accessible(page)
    page.fill("#id_expires_on_0", "31")
    page.fill("#id_expires_on_1", "2")
    page.fill("#id_expires_on_2", "2027")
    press(page, "Create share link")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.fill("#id_expires_on_0", "")
    page.fill("#id_expires_on_1", "")
    page.fill("#id_expires_on_2", "")
    page.get_by_label("Who is it for? (optional)").fill("Forum, March")
    press(page, "Create share link")
    assert page.locator("h1").inner_text() == "Share link created"
    assert_accessible(page)
    link = page.locator("#new-share-link").input_value()
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    assert page.locator("h1").inner_text() == "Report: Autumn 2026"


def test_the_report_works_without_javascript(page_without_js, live_server, report_round):
    token, hashed = token_new()
    ShareLink.objects.create(round=report_round, token_hash=hashed)
    page_without_js.goto(f"/shared/{token}/")
    assert page_without_js.locator("#chart-radar").is_visible()
    page_without_js.locator("#contents").get_by_role("link", name="6. Sustainability").click()
    assert page_without_js.locator("#chart-principle-6").is_visible()


def test_what_the_gate_withholds_is_said_on_accessible_pages(page, live_server, report_round):
    sign_in(page, live_server, report_round)
    page.goto(f"{base(report_round)}/answers.csv")  # open: the spreadsheet waits for closing
    assert page.locator("h1").inner_text() == "The answers are not available yet"
    assert_accessible(page)
    small = make_round(report_round.partnership, title="Small", invite_all_members=False)
    make_response(small, comments={1: "Only me"})
    page.goto(f"{base(small)}/report/")
    assert page.get_by_role("heading", name="No figures yet").is_visible()
    assert "Only me" not in page.content()
    assert_accessible(page)
