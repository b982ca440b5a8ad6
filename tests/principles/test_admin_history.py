import re

import pytest
from django.urls import reverse

from principles.models import Principle, Statement

pytestmark = pytest.mark.django_db


def reword_first_statement(admin_client, new_text: str, reason: str = ""):
    principle = Principle.objects.get(slug="accountability")
    statements = list(principle.statements.order_by("order"))
    data = {
        "number": principle.number,
        "slug": principle.slug,
        "title": principle.title,
        "summary": principle.summary,
        "guidance": principle.guidance,
        "change_reason": reason,
        "statements-TOTAL_FORMS": len(statements),
        "statements-INITIAL_FORMS": len(statements),
        "statements-MIN_NUM_FORMS": 0,
        "statements-MAX_NUM_FORMS": 1000,
    }
    for i, statement in enumerate(statements):
        data |= {
            f"statements-{i}-id": statement.pk,
            f"statements-{i}-principle": principle.pk,
            f"statements-{i}-order": statement.order,
            f"statements-{i}-text": new_text if i == 0 else statement.text,
            f"statements-{i}-hint": statement.hint,
            f"statements-{i}-is_active": "on",
        }
    url = reverse("admin:principles_principle_change", args=[principle.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return statements[0]


def test_admin_rewording_shows_on_the_principles_page(admin_client, principles):
    reword_first_statement(admin_client, "Representatives report back within a week of each board.")
    html = admin_client.get(reverse("principles:list")).content.decode()
    assert "Representatives report back within a week of each board." in html
    assert "after each partnership board meeting" not in html


def test_admin_history_shows_who_changed_what_from_what(admin_client, admin_user, principles):
    statement = reword_first_statement(admin_client, "Representatives report back monthly.")
    old_text = statement.text

    history = Statement.history.filter(id=statement.pk).order_by("-history_date")
    assert history[0].text == "Representatives report back monthly."
    assert history[0].history_user == admin_user
    assert history[1].text == old_text

    url = reverse("admin:principles_statement_history", args=[statement.pk])
    page = admin_client.get(url).content.decode()
    assert "site-admin" in page
    assert "Representatives report back monthly." in page
    assert old_text in page


def test_principle_admin_is_searchable_by_statement_text(admin_client, principles):
    url = reverse("admin:principles_principle_changelist")
    page = admin_client.get(url, {"q": "infrastructure body"}).content.decode()
    assert "Sustainability" in page
    assert "Accountability" not in page


def test_the_statement_text_is_a_box_of_several_lines(admin_client, principles):
    principle = Principle.objects.get(slug="accountability")
    html = admin_client.get(reverse("admin:principles_principle_change", args=[principle.pk]))
    html = html.content.decode()
    statement = principle.statements.order_by("order").first()
    assert re.search(r'<textarea name="statements-0-text"[^>]*rows="3"', html)
    assert f">\n{statement.text}</textarea>" in html
    assert 'name="statements-0-order"' in html and '<textarea name="statements-0-order"' not in html


def test_a_reason_given_for_a_change_is_kept_and_shown_in_the_history(admin_client, principles):
    statement = reword_first_statement(
        admin_client, "Representatives report back monthly.", reason="Agreed at the March board"
    )
    latest = Statement.history.filter(id=statement.pk).latest("history_date")
    assert latest.history_change_reason == "Agreed at the March board"
    principle = Principle.history.filter(id=statement.principle_id).latest("history_date")
    assert principle.history_change_reason == "Agreed at the March board"

    url = reverse("admin:principles_statement_history", args=[statement.pk])
    page = admin_client.get(url).content.decode()
    assert "Agreed at the March board" in page


def test_a_change_without_a_reason_says_so_rather_than_none(admin_client, principles):
    statement = reword_first_statement(admin_client, "Representatives report back monthly.")
    latest = Statement.history.filter(id=statement.pk).latest("history_date")
    assert latest.history_change_reason is None
    url = reverse("admin:principles_statement_history", args=[statement.pk])
    page = admin_client.get(url).content.decode()
    cells = re.findall(r"<td>\s*(.*?)\s*</td>", page, flags=re.S)
    assert "No reason given" in cells
    assert "None" not in cells


def test_the_principle_form_asks_for_a_reason(admin_client, principles):
    principle = Principle.objects.get(slug="accountability")
    html = admin_client.get(reverse("admin:principles_principle_change", args=[principle.pk]))
    html = html.content.decode()
    assert '<label for="id_change_reason">Reason for the change:</label>' in html
    assert 'maxlength="100"' in html
