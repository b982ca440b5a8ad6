import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible


@pytest.fixture
def loaded(transactional_db):
    call_command("load_principles", verbosity=0)


@pytest.mark.parametrize(
    "path", ["/", "/principles/", "/accessibility/", "/privacy/", "/no-such-page/"]
)
def test_public_page_has_no_axe_violations(page, loaded, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_principles_page_shows_all_seven_in_a_real_browser(page, loaded):
    page.goto("/principles/")
    headings = page.locator("h2.govuk-heading-l").all_inner_texts()
    assert headings == [
        "Accountability",
        "Equality",
        "Leadership",
        "Openness",
        "Clarity of purpose",
        "Sustainability",
        "Local values",
    ]


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page, loaded):
    page.goto("/principles/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    # GOV.UK Frontend moves focus to <main>; without its script the browser follows the fragment.
    page.wait_for_function(
        "document.activeElement.id === 'main-content' || location.hash === '#main-content'"
    )


def test_narrow_screen_menu_works_without_javascript(page_without_js, loaded):
    page_without_js.set_viewport_size({"width": 360, "height": 700})
    page_without_js.goto("/")
    page_without_js.get_by_role("link", name="The principles").click()
    assert page_without_js.locator("h1").inner_text() == "The seven principles"


@pytest.mark.parametrize("width", [320, 1024])
def test_service_name_link_has_the_gov_uk_focus_state_when_tabbed_to(page, loaded, width):
    # GOV.UK's focus state: black text on a yellow background, whatever is behind the link (the
    # header is black, so black text without the yellow would vanish).
    page.set_viewport_size({"width": width, "height": 700})
    page.goto("/")
    link = page.locator("header a").first
    for _ in range(5):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    assert link.evaluate("el => el === document.activeElement")
    style = link.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {background: s.backgroundColor, color: s.color, shadow: s.boxShadow}; }"
    )
    assert style["background"] == "rgb(255, 221, 0)"
    assert style["color"] == "rgb(11, 12, 12)"
    assert "rgb(11, 12, 12)" in style["shadow"]  # the black bar under the yellow
