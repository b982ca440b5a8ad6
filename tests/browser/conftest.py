"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told that it is safe, which it is here (one thread, test database).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = (settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors (a CSP violation, say) and failed requests seen while the test ran."""


@pytest.fixture
def page(browser, live_server, transactional_db) -> Page:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.problems = PageProblems()
    # A page may answer 404 on purpose; what it loads (styles, scripts, images) must not.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and page.problems.append(m.text)
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and page.problems.append(f"{r.status} {r.url}")
        ),
    )
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server, transactional_db) -> Page:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: Page) -> list[str]:
    """Run axe-core with the WCAG 2.2 A and AA tags; return one line per violation.

    Only violations are reported in full (`resultTypes`): axe still runs every rule, but no
    longer builds a selector for each node that passes, which halves its time on a long page."""
    if not page.evaluate("typeof window.axe === 'object'"):  # not on this page yet
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)
    problems = getattr(page, "problems", [])
    assert problems == [], f"browser errors on {page.url}: {problems}"
