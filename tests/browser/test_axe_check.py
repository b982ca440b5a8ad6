"""The accessibility check itself: what the browser tests rely on must find what it is for."""

from tests.browser.conftest import axe_violations


def test_axe_reports_every_violation_of_a_page_and_of_the_same_page_changed(page):
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb;background:#fff">Faint text</p>'
        '<input type="text" name="q"></main></body></html>'
    )
    found = {line.split(":")[0] for line in axe_violations(page)}
    assert found == {"image-alt", "color-contrast", "label"}

    # Checked again without a new page load (axe is already there): the fix is seen.
    page.evaluate("document.querySelector('img').alt = 'A dot'")
    found = {line.split(":")[0] for line in axe_violations(page)}
    assert found == {"color-contrast", "label"}
