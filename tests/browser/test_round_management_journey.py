"""Running a round in a real browser: give it longer, remind those who have not responded after
seeing the e-mail, and copy it for next time; axe on each new page, and each fits 320 px."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assessments.models import Invitation, Partnership, Round
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator_journey import follow, riverside_coordinator, sign_in
from tests.factories import make_invitation, make_member, make_response, make_round


@pytest.fixture
def round(transactional_db) -> Round:
    """An open round of Riverside with five invited: two have submitted, one has started."""
    riverside_coordinator()
    partnership = Partnership.objects.get(slug="riverside")
    round = make_round(partnership, title="Autumn 2026", invite_all_members=False)
    for n, submit in enumerate([True, True, False]):
        make_response(round, submit=submit, member=make_member(partnership, name=f"Person {n}"))
    for n in (3, 4):
        make_invitation(round, make_member(partnership, name=f"Person {n}"))
    Invitation.objects.update(send_status=Invitation.SendStatus.SENT)
    return round


def check_page(page) -> None:
    """No axe violation at 1280 px, and nothing wider than the window at 320 px."""
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide at 320 px"
    page.set_viewport_size({"width": 1280, "height": 720})


def fill_date(page, prefix: str, day: datetime.date) -> None:
    for box, value in enumerate((day.day, day.month, day.year)):
        page.fill(f"#id_{prefix}_{box}", str(value))


def test_a_coordinator_gives_a_round_longer_reminds_the_others_and_copies_it(page, round):
    sign_in(page)
    page.goto(f"/partnerships/riverside/rounds/{round.pk}/")

    # Give it longer.
    follow(page.get_by_role("link", name="Change the closing date"))
    assert page.locator("h1").inner_text() == "Change the closing date"
    check_page(page)
    fill_date(page, "closes_on", timezone.localdate() - datetime.timedelta(days=1))
    follow(page.get_by_role("button", name="Change the closing date"))
    assert page.title().startswith("Error: ")
    error = page.get_by_role("link", name="Closing date must be today or in the future")
    error.click()
    assert page.evaluate("document.activeElement.id") == "id_closes_on_0"
    check_page(page)
    later = round.closes_on + datetime.timedelta(days=14)
    fill_date(page, "closes_on", later)
    follow(page.get_by_role("button", name="Change the closing date"))
    assert f"now closes at the end of {later:%-d %B %Y}" in page.content()
    round.refresh_from_db()
    assert round.closes_on == later

    # Remind those who have not submitted, having seen the e-mail.
    follow(page.get_by_role("button", name="Send reminders to those who have not responded"))
    main = page.locator("main").inner_text()
    assert "3 members will get a reminder." in main
    assert "Reminder: Riverside Partnership self-assessment: Autumn 2026" in main
    assert f"Please answer by {later:%-d %B %Y}" in main  # the new date
    assert "[their personal link]" in main and "/r/" not in page.content()
    assert mail.outbox == []
    check_page(page)
    follow(page.get_by_role("button", name="Send reminders"))
    assert "3 reminders sent." in page.content()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        i.member.email for i in round.invitations.exclude(response__status="submitted")
    )
    today = f"{timezone.localdate():%-d %B %Y}"
    rows = page.locator("table", has_text="Last reminded").locator("tbody tr")
    assert rows.filter(has_text=today).count() == 3
    assert rows.filter(has_text="Not reminded").count() == 2
    assert_accessible(page)

    # Copy it for the next round.
    follow(page.get_by_role("link", name="Copy this round"))
    assert page.input_value("#id_title") == "Autumn 2026 (copy)"
    check_page(page)
    page.fill("#id_title", "Spring 2027")
    follow(page.get_by_role("button", name="Copy round"))
    assert page.locator("h1").inner_text() == "Spring 2027"
    assert "copied from Autumn 2026" in page.content()
    copy = Round.objects.get(title="Spring 2027")
    assert copy.is_draft and copy.invitations.count() == 5
    assert "5 of 5 current members invited" in page.locator("main").inner_text()
    assert_accessible(page)
