"""A coordinator works with a round's members in a real browser: filters the list on the round
page, downloads who has not responded, and re-imports the members with an update, checking the
preview before confirming. axe runs on each new or changed page at 1280 px, and the new pages
must not scroll sideways at 320 px."""

import csv
import io
from pathlib import Path

import pytest

from assessments.models import Member, Sector
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator_journey import follow, riverside_coordinator, sign_in
from tests.factories import make_invitation, make_member, make_response, make_round

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def round(transactional_db):
    user = riverside_coordinator()
    partnership = user.partnerships.get()
    round = make_round(partnership, title="Autumn 2026")
    make_invitation(round, make_member(partnership, name="Ann Waiting", email="ann@example.org"))
    make_invitation(
        round,
        make_member(partnership, name="Eve Waiting", email="eve@example.org", sector=Sector.HEALTH),
    )
    cat = make_member(partnership, name="Cat Answering", email="cat@example.org")
    make_response(round, member=cat, submit=False)
    make_response(round, member=make_member(partnership, name="Bob Done", email="bob@example.org"))
    return round


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def listed(page) -> list[str]:
    return page.locator("#invited-caption ~ tbody th[scope=row]").all_inner_texts()


def filter_members(page, round):
    page.goto(f"/partnerships/riverside/rounds/{round.pk}/")
    assert listed(page) == ["Ann Waiting", "Bob Done", "Cat Answering", "Eve Waiting"]
    assert page.get_by_text("Showing 4 of 4 members").is_visible()
    page.get_by_label("Response", exact=True).select_option(label="Not started")
    page.get_by_label("Sector", exact=True).select_option(
        label="Third sector (voluntary and community)"
    )
    follow(page.get_by_role("button", name="Apply"))
    assert listed(page) == ["Ann Waiting"]
    assert page.get_by_text("Showing 1 of 4 members").is_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    # The page as a whole is the phone-layout work's; the filter form must fit on its own.
    width = page.locator("form[method=get]").evaluate("form => form.scrollWidth")
    assert width <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def download_non_responders(page):
    link = page.get_by_role("link", name="Download the names and e-mail addresses of the 3")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith("-not-responded.csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "E-mail address"],
        ["Ann Waiting", "ann@example.org"],
        ["Cat Answering", "cat@example.org"],
        ["Eve Waiting", "eve@example.org"],
    ]


def reimport(page, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(
        "name,email,organisation,sector,role\n"
        "Ann Waiting,ANN@example.org,,business,\n"  # Ann moves to a business
        "Dan New,dan@example.org,Dan’s Shop,business,\n"
        "Bob Done,bob@example.org,,third sector,\n"
    )
    page.goto("/partnerships/riverside/members/import/")
    follow(page.get_by_role("button", name="Import members"))
    assert page.get_by_role(
        "link", name="Select whether to update members already in the partnership"
    ).is_visible()
    assert_accessible(page)
    page.set_input_files("#id_file", path)
    page.get_by_label("Update their details").check()
    follow(page.get_by_role("button", name="Import members"))

    assert page.locator("h1").inner_text() == "Check the changes before you import them"
    content = page.locator("main").inner_text()
    assert "1 new member will be added" in content
    assert "1 member will be updated" in content
    # Read aloud as "… changes to Business"; seen as "… → Business".
    change = page.locator("main li", has_text="Sector:")
    expected = "Sector: Third sector (voluntary and community) → changes to Business"
    assert " ".join(change.text_content().split()) == expected
    assert "1 unchanged" in content
    # The preview is reached only by uploading a file, so tests/every_page.py cannot visit it:
    # it is checked here at both widths, as every page is there.
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert fits(page), f"the preview scrolls sideways at {size['width']} px"
        assert_accessible(page)
    assert not Member.objects.filter(email="dan@example.org").exists()

    follow(page.get_by_role("button", name="Confirm import"))
    assert "1 member imported. 1 member updated." in page.content()
    assert Member.objects.get(email="ann@example.org").sector == Sector.BUSINESS


def test_a_coordinator_filters_the_members_downloads_who_to_remind_and_reimports(
    page, round, tmp_path
):
    page.set_viewport_size(DESKTOP)
    sign_in(page)
    filter_members(page, round)
    download_non_responders(page)
    reimport(page, tmp_path)


def test_the_import_page_fits_a_phone(page, round):
    sign_in(page)
    page.set_viewport_size(PHONE)
    page.goto("/partnerships/riverside/members/import/")
    assert fits(page)


def test_the_filter_works_without_javascript(page_without_js, round):
    page = page_without_js
    sign_in(page)
    page.goto(f"/partnerships/riverside/rounds/{round.pk}/")
    page.get_by_label("Sort by").select_option(label="Response, not started first")
    follow(page.get_by_role("button", name="Apply"))
    assert listed(page) == ["Ann Waiting", "Eve Waiting", "Cat Answering", "Bob Done"]
