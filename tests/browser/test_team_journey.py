"""A partnership's team in a real browser: a coordinator invites a co-coordinator, who joins with
the e-mailed link and opens a round; a reader of the reports reads one and is refused the rest.
axe on each page, and each fits 320 px."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from assessments.models import Partnership, Round
from tests.browser.test_coordinator_journey import PASSWORD, follow, riverside_coordinator
from tests.browser.test_round_management_journey import check_page
from tests.factories import make_response, make_round, make_user


@pytest.fixture
def riverside(transactional_db) -> Partnership:
    riverside_coordinator()
    return Partnership.objects.get(slug="riverside")


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    follow(page.get_by_role("button", name="Sign in"))


def test_a_coordinator_invites_a_co_coordinator_who_joins_and_opens_a_round(
    page, riverside, browser, live_server
):
    draft = make_round(riverside, open=False, title="Autumn 2026")
    sign_in(page, "coordinator")
    follow(page.get_by_role("link", name="Riverside Partnership"))
    follow(page.get_by_role("link", name="See and change the team"))
    assert page.locator("h1").inner_text() == "Team"
    check_page(page)

    follow(page.get_by_role("link", name="Invite a colleague"))
    follow(page.get_by_role("button", name="Send invitation"))
    assert page.title().startswith("Error: ")
    check_page(page)
    page.fill("#id_email", "Sam.Colleague@Example.org")
    page.get_by_label("Co-coordinator").check()
    follow(page.get_by_role("button", name="Send invitation"))
    assert "We have e-mailed an invitation to sam.colleague@example.org" in page.content()
    assert "sam.colleague@example.org" in page.locator("table").nth(1).inner_text()
    check_page(page)

    # The colleague: their own browser, the link from their e-mail.
    (message,) = mail.outbox
    link = re.search(r"http\S+/team/join/[\w-]+/", message.body).group(0)
    colleague = browser.new_context(base_url=live_server.url).new_page()
    colleague.goto(urlsplit(link).path)  # SITE_URL names the real site, not the test server
    assert colleague.locator("h1").inner_text() == "Join the team of Riverside Partnership"
    check_page(colleague)
    colleague.fill("#id_name", "Sam Colleague")
    colleague.fill("#id_password1", "short")
    colleague.fill("#id_password2", "short")
    follow(colleague.get_by_role("button", name="Create account and join the team"))
    assert colleague.title().startswith("Error: ")
    check_page(colleague)
    colleague.fill("#id_password1", "a-long-river-bank-7")
    colleague.fill("#id_password2", "a-long-river-bank-7")
    follow(colleague.get_by_role("button", name="Create account and join the team"))
    assert "You have joined the team of Riverside Partnership as a co-coordinator." in (
        colleague.content()
    )
    follow(colleague.get_by_role("link", name="Autumn 2026"))
    follow(colleague.get_by_role("link", name="Open round"))
    follow(colleague.get_by_role("button", name="Open round"))
    draft.refresh_from_db()
    assert draft.status == Round.Status.OPEN
    colleague.goto(urlsplit(link).path)  # used: it works once
    assert colleague.locator("h1").inner_text() == "This link does not work"
    colleague.context.close()

    page.reload()
    people = page.locator("table").first.inner_text()
    assert re.search(r"Sam Colleague\s+Coordinator", people), people


def test_a_reader_reads_a_report_and_is_refused_the_rounds_edit_page(page, riverside):
    round = make_round(riverside, title="Spring 2026", invite_all_members=False)
    for _ in range(5):
        make_response(round)
    draft = make_round(riverside, open=False, title="Autumn 2026")
    riverside.readers.add(make_user("chair", password=PASSWORD, first_name="Chris"))
    sign_in(page, "chair")
    assert "Read only" in page.locator("main").inner_text()
    check_page(page)
    follow(page.get_by_role("link", name="Riverside Partnership"))
    assert "Autumn 2026" not in page.content()  # a draft is the coordinators' work
    check_page(page)
    follow(page.get_by_role("link", name="Report: Spring 2026"))
    assert page.locator("h1").inner_text() == "Report: Spring 2026"
    assert page.get_by_role("link", name="Download the report as a PDF").is_visible()
    assert (
        page.get_by_role("link", name="Share the report with the third sector forum").count() == 0
    )
    check_page(page)

    for edit in (round, draft):
        response = page.goto(f"/partnerships/riverside/rounds/{edit.pk}/edit/")
        assert response.status == 403
        assert page.locator("h1").inner_text() == "You cannot see this page"
    check_page(page)
