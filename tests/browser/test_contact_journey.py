"""The coordinator names the contact for members; a member's start page then names them."""

from playwright.sync_api import expect

from assessments.models import Partnership
from tests.browser.conftest import assert_accessible
from tests.browser.test_coordinator_journey import follow, riverside_coordinator, sign_in
from tests.factories import make_invitation, make_round


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_coordinator_sets_the_contact_and_a_member_sees_it(page, transactional_db):
    riverside_coordinator()
    partnership = Partnership.objects.get(slug="riverside")
    _, token = make_invitation(make_round(partnership))
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page)
    follow(page.get_by_role("link", name="Riverside Partnership"))
    assert page.get_by_text("Add who members can contact with a question").is_visible()
    assert_accessible(page)

    follow(page.get_by_role("link", name="Add a contact for members"))
    assert page.title().startswith("Contact for members")
    assert_accessible(page)
    follow(page.get_by_role("button", name="Save contact details"))
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_be_focused()  # GOV.UK Frontend moves it
    assert_accessible(page)

    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("E-mail address").fill(
        "sam.patel.long-address@riverside-partnership.example.org"
    )
    page.set_viewport_size({"width": 320, "height": 700})
    assert no_sideways_scroll(page), page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    follow(page.get_by_role("button", name="Save contact details"))
    assert page.get_by_text("The contact for members has been saved.").is_visible()
    assert page.get_by_text("Sam Patel", exact=True).is_visible()

    member = page.context.new_page()
    member.set_viewport_size({"width": 320, "height": 700})
    member.goto(f"/r/{token}/")
    contact = member.get_by_role(
        "link", name="sam.patel.long-address@riverside-partnership.example.org"
    )
    assert contact.get_attribute("href") == (
        "mailto:sam.patel.long-address@riverside-partnership.example.org"
    )
    assert member.get_by_text("If you have a question, contact Sam Patel at").is_visible()
    assert no_sideways_scroll(member), member.evaluate("document.documentElement.scrollWidth")
