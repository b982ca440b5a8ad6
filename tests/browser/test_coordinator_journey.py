"""A coordinator's journey in a real browser, with axe on every page and error state on the way."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Invitation, Member, Round
from tests.browser.conftest import assert_accessible
from tests.factories import make_partnership, make_user

PASSWORD = "correct-horse-9"


def riverside_coordinator():
    """The principles, and a coordinator of the Riverside partnership who signs in with PASSWORD."""
    call_command("load_principles", verbosity=0)
    user = make_user("coordinator", password=PASSWORD)
    make_partnership(user, name="Riverside Partnership", slug="riverside")
    return user


@pytest.fixture
def coordinator(transactional_db):
    return riverside_coordinator()


def follow(locator) -> None:
    """Click something that loads a new page, and wait until it has."""
    with locator.page.expect_navigation():
        locator.click()


def sign_in(page, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", password)
    follow(page.get_by_role("button", name="Sign in"))


def members_csv(tmp_path):
    path = tmp_path / "members.csv"
    rows = [
        f"Person {n},person{n}@example.org,Org {n},{sector},Board member"
        for n, sector in enumerate(["Third sector", "health", "Local authority"] * 3 + ["business"])
    ]
    path.write_text("name,email,organisation,sector,role\n" + "\n".join(rows) + "\n")
    return path


def add_round(page):
    follow(page.get_by_role("link", name="Add a round"))
    follow(page.get_by_role("button", name="Save round"))
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    today = timezone.localdate()
    closes = today + datetime.timedelta(days=30)
    page.fill("#id_title", "Autumn 2026")
    for prefix, day in (("opens_on", today), ("closes_on", closes)):
        page.fill(f"#id_{prefix}_0", str(day.day))
        page.fill(f"#id_{prefix}_1", str(day.month))
        page.fill(f"#id_{prefix}_2", str(day.year))
    page.get_by_label("Invite every current member of the partnership").uncheck()
    follow(page.get_by_role("button", name="Save round"))
    assert page.locator("h1").inner_text() == "Autumn 2026"
    assert_accessible(page)


def import_members(page, tmp_path):
    page.goto("/partnerships/riverside/members/import/")
    follow(page.get_by_role("button", name="Import members"))
    assert page.get_by_role("link", name="Select a CSV file").is_visible()
    assert_accessible(page)
    page.set_input_files("#id_file", members_csv(tmp_path))
    page.get_by_label("Update their details").check()
    page.select_option("#id_round", label="Autumn 2026 (draft)")
    follow(page.get_by_role("button", name="Import members"))
    assert "10 new members will be added" in page.content()  # the preview: nothing saved yet
    follow(page.get_by_role("button", name="Confirm import"))
    assert "10 members imported." in page.content()


def test_a_coordinator_sets_up_a_round_imports_members_and_sends_invitations(
    page, coordinator, tmp_path
):
    sign_in(page)
    assert page.locator("h1").inner_text() == "Your partnerships"
    assert_accessible(page)
    follow(page.get_by_role("link", name="Riverside Partnership"))
    assert_accessible(page)

    follow(page.get_by_role("link", name="Add a member"))
    follow(page.get_by_role("button", name="Save member"))
    assert page.get_by_role("link", name="Enter the member’s full name").is_visible()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Back"))

    add_round(page)
    import_members(page, tmp_path)
    assert page.locator("h1").inner_text() == "Autumn 2026"  # back on the round's page
    round = Round.objects.get()
    assert not round.invite_all_members and round.invitations.count() == 10

    follow(page.get_by_role("link", name="Open round"))
    assert "fixes its questions" in page.content()
    assert_accessible(page)
    follow(page.get_by_role("button", name="Open round"))
    follow(page.get_by_role("button", name="Send invitations"))  # a link to the question
    assert "10 members will get an invitation." in page.content()
    follow(page.get_by_role("button", name="Send invitations"))
    assert "10 invitations sent." in page.content()
    assert "0 of 10" in page.locator("main").inner_text()
    assert len(mail.outbox) == 10
    assert set(Invitation.objects.values_list("send_status", flat=True)) == {"sent"}
    assert_accessible(page)

    follow(page.get_by_role("link", name="Send their link again to Person 0"))
    assert "It is the same link as before" in page.content()
    assert "/r/" not in page.content()
    assert_accessible(page)
    page.get_by_label("Send a new link instead, and stop the old one working").check()
    follow(page.get_by_role("button", name="Send the link"))
    assert "Person 0’s new link is being sent to" in page.content()
    assert "/r/" not in page.content()
    assert len(mail.outbox) == 11 and mail.outbox[-1].to == [
        Member.objects.get(name="Person 0").email
    ]
    assert_accessible(page)


def test_the_sign_in_error_and_lockout_pages_are_accessible(page, coordinator):
    page.goto("/accounts/login/")
    assert_accessible(page)
    for _ in range(4):
        sign_in(page, password="wrong")
        assert page.title().startswith("Error: Sign in")
    assert_accessible(page)
    sign_in(page, password="wrong")
    assert page.locator("h1").inner_text() == "Signing in is paused for 15 minutes"
    assert_accessible(page)
    sign_in(page)  # the right password is refused while locked out
    assert page.locator("h1").inner_text() == "Signing in is paused for 15 minutes"


def test_signing_out_works_without_javascript(page_without_js, coordinator):
    page = page_without_js
    sign_in(page)
    follow(page.get_by_role("button", name="Sign out"))
    assert "You have signed out." in page.content()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_a_member_answers_from_their_e_mail_and_the_coordinator_sees_one_of_ten(
    page, coordinator, tmp_path, browser, live_server
):
    """The issue's whole story: set up, invite 10, one person answers, the coordinator sees it."""
    sign_in(page)
    follow(page.get_by_role("link", name="Riverside Partnership"))
    add_round(page)
    import_members(page, tmp_path)
    follow(page.get_by_role("link", name="Open round"))
    follow(page.get_by_role("button", name="Open round"))
    follow(page.get_by_role("button", name="Send invitations"))
    follow(page.get_by_role("button", name="Send invitations"))
    assert "0 of 10" in page.locator("main").inner_text()

    # The respondent: no account, their own browser, the link from their e-mail.
    message = next(m for m in mail.outbox if m.to == ["person3@example.org"])
    link = re.search(r"http\S+/r/[\w-]+/", message.body).group(0)
    respondent = browser.new_context(base_url=live_server.url).new_page()
    respondent.goto(urlsplit(link).path)  # SITE_URL names the real site, not the test server
    follow(respondent.get_by_role("button", name="Start now"))
    for _ in range(7):
        for fieldset in respondent.locator("fieldset.govuk-fieldset").all():
            fieldset.get_by_label("4 Agree", exact=True).check()
        follow(respondent.get_by_role("button", name="Save and continue"))
    assert respondent.locator("h1").inner_text() == "Check your answers"
    follow(respondent.get_by_role("button", name="Submit your answers"))
    assert respondent.locator("h1").inner_text() == "Answers submitted"
    respondent.context.close()

    page.reload()
    main = page.locator("main").inner_text()
    assert "1 of 10" in main
    sector = page.locator("table", has_text="Response rate by sector").first.inner_text()
    assert re.search(r"Third sector \(voluntary and community\)\s+\d+\s+1\b", sector), sector
    assert_accessible(page)
