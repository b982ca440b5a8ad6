"""The respondent journey in a real Chromium: by keyboard alone, without JavaScript, and
through axe on every page it can show."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from assessments import services
from assessments.models import Answer, Comment, Response, Sector
from tests.browser.conftest import assert_accessible
from tests.factories import make_invitation, make_response, make_round

# Keyboard presses on a statement's radios: from "1", this many ArrowDowns. Six reaches
# "Don't know" (the divider "or" is not a stop).
PRESSES = [3, 4, 0, 1, 2, 5]


def press_until(page: Page, predicate: str, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab until the focused element satisfies a JavaScript expression on `el`."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{predicate} was never focused")


def press_and_wait(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def answer_page_by_keyboard(page: Page, comment: str = "") -> None:
    statements = page.locator("fieldset.govuk-fieldset").count()
    press_until(page, "el.type === 'radio'")
    for index in range(statements):
        page.keyboard.press("Space")  # the group's first option, "1"
        for _ in range(PRESSES[index % len(PRESSES)]):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")  # leaves the group: the next group, or the comment
    assert page.evaluate("document.activeElement.id") == "id_comment"
    page.keyboard.type(comment)
    press_until(page, "el.textContent.includes('Save and continue')")
    press_and_wait(page, "Enter")


def expected_scores(response: Response) -> dict[int, int | None]:
    expected = {}
    for principle in response.round.principles.order_by("number"):
        for index, question in enumerate(principle.questions.order_by("order")):
            presses = PRESSES[index % len(PRESSES)]
            expected[question.pk] = None if presses == 5 else presses + 1
    return expected


def test_the_whole_journey_by_keyboard_alone(page, respondent):
    invitation, token = respondent
    page.goto(f"/r/{token}/")
    press_until(page, "el.name === 'sector'")  # focus lands on the selected sector
    page.keyboard.press("ArrowDown")  # third sector -> local authority
    press_until(page, "el.textContent.includes('Start now')")
    press_and_wait(page, "Enter")
    for number in range(1, 8):
        assert page.locator(".govuk-caption-l").inner_text() == f"Principle {number} of 7"
        answer_page_by_keyboard(page, comment="Papers come late." if number == 4 else "")
    assert page.locator("h1").inner_text() == "Check your answers"
    press_until(page, "el.textContent.includes('Submit your answers')")
    press_and_wait(page, "Space")
    assert page.locator("h1").inner_text() == "Answers submitted"

    response = Response.objects.get(invitation=invitation)
    assert response.is_submitted
    assert response.sector == Sector.LOCAL_AUTHORITY
    stored = dict(Answer.objects.filter(response=response).values_list("question_id", "score"))
    assert stored == expected_scores(response)
    assert list(Comment.objects.filter(response=response).values_list("text", flat=True)) == [
        "Papers come late."
    ]


def answer_page_by_pointer(page: Page, label: str = "4 Agree") -> None:
    # `all()` does not wait: after a link or button, wait for the page's statements to load,
    # or a slow machine answers nothing and saves the page as it was.
    page.locator("fieldset.govuk-fieldset").first.wait_for()
    for fieldset in page.locator("fieldset.govuk-fieldset").all():
        fieldset.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save and continue").click()


def test_the_whole_journey_without_javascript(page_without_js, respondent):
    page = page_without_js
    invitation, token = respondent
    page.goto(f"/r/{token}/")
    page.get_by_label("Health", exact=True).check()
    page.get_by_role("button", name="Start now").click()

    # A statement left out: the error summary links to its first radio, nothing is lost.
    page.locator("fieldset.govuk-fieldset").first.wait_for()
    fieldsets = page.locator("fieldset.govuk-fieldset").all()
    for fieldset in fieldsets[1:]:
        fieldset.get_by_label("2 Disagree", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    assert page.title().startswith("Error: ")
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("location.hash").endswith("_1")
    assert page.locator("input[type=radio]:checked").count() == len(fieldsets) - 1
    page.locator("fieldset.govuk-fieldset").first.get_by_label("Don’t know").check()
    page.get_by_role("button", name="Save and continue").click()

    for number in range(2, 8):
        assert f"Principle {number} of 7" in page.locator(".govuk-caption-l").inner_text()
        answer_page_by_pointer(page)
    assert page.locator("h1").inner_text() == "Check your answers"

    # Change one principle from check your answers and come straight back.
    page.get_by_role("link", name="Change your answers about Leadership").click()
    answer_page_by_pointer(page, "5 Strongly agree")
    assert page.locator("h1").inner_text() == "Check your answers"
    page.get_by_role("button", name="Submit your answers").click()
    assert page.locator("h1").inner_text() == "Answers submitted"

    response = Response.objects.get(invitation=invitation)
    assert response.is_submitted and response.sector == Sector.HEALTH
    scores = Answer.objects.filter(response=response)
    assert scores.count() == 29
    assert set(scores.filter(question__principle__number=3).values_list("score", flat=True)) == {5}
    assert scores.filter(score=None).count() == 1


# Every page the journey can show, through axe (WCAG 2.2 A and AA), error states included.


def _started(round, answered: int = 0):
    invitation, token = make_invitation(round)
    response = services.response_start(invitation=invitation, sector=Sector.HEALTH)
    for principle in round.principles.order_by("number")[:answered]:
        scores = {question.pk: 4 for question in principle.questions.all()}
        services.response_save_principle(
            response=response, principle=principle, scores=scores, comment="A comment."
        )
    return token


def _submitted(round):
    response = make_response(round, comments={1: "A comment."})
    return services.invitation_link(invitation=response.invitation)


def _closed(round):
    token = _submitted(round)
    services.round_close(round=round)
    return token


def _past_closing_date(round):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = make_round(
        round.partnership, opens_on=yesterday - datetime.timedelta(days=7), closes_on=yesterday
    )
    return make_invitation(late)[1]


def _not_open(round):
    return make_invitation(make_round(round.partnership, open=False))[1]


def _press(name: str):
    return lambda page: page.get_by_role("button", name=name).click()


PAGES = {
    "start": (lambda r: make_invitation(r)[1], "", None),
    "start, part answered": (lambda r: _started(r, 3), "", None),
    "start, submitted": (_submitted, "", None),
    "principle": (_started, "principles/1/", None),
    "principle with the error summary": (_started, "principles/2/", _press("Save and continue")),
    "principle from check your answers": (
        lambda r: _started(r, 7),
        "principles/3/?return=check",
        None,
    ),
    "check, not answered": (lambda r: _started(r, 2), "check/", None),
    "check with the error summary": (
        lambda r: _started(r, 2),
        "check/",
        _press("Submit your answers"),
    ),
    "check, submitted": (_submitted, "check/", None),
    "done": (_submitted, "done/", None),
    "closed": (_closed, "", None),
    "past its closing date": (_past_closing_date, "check/", None),
    "not open yet": (_not_open, "", None),
    "bad link": (lambda r: "no-such-link", "", None),
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_of_the_journey_has_no_axe_violations(page, open_round, name):
    make_token, path, action = PAGES[name]
    page.goto(f"/r/{make_token(open_round)}/{path}")
    if action:
        action(page)
        assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("h1").count() == 1
    assert_accessible(page)
