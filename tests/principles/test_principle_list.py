import pytest
from django.urls import reverse
from django.utils.html import escape

from principles.models import Statement

pytestmark = pytest.mark.django_db


def test_principles_page_lists_the_seven_in_order_with_their_statements(client, principles):
    response = client.get(reverse("principles:list"))
    html = response.content.decode()
    positions = [html.index(f">{p.title}</h2>") for p in principles]
    assert positions == sorted(positions)
    for statement in Statement.objects.all():
        assert escape(statement.text) in html


def test_inactive_statements_are_not_shown(client, principles):
    statement = Statement.objects.get(principle__slug="equality", order=4)
    statement.is_active = False
    statement.save()
    response = client.get(reverse("principles:list"))
    assert escape(statement.text) not in response.content.decode()


def test_principles_page_uses_two_queries_however_many_statements(
    client, principles, django_assert_num_queries
):
    # 1: principles; 2: their active statements (prefetched); 3: scale labels.
    with django_assert_num_queries(3):
        client.get(reverse("principles:list"))


@pytest.mark.parametrize("name", ["pages:home", "pages:accessibility", "pages:privacy"])
def test_public_pages_answer(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_unknown_address_gets_the_services_own_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_privacy_notice_states_the_configured_retention(client, settings):
    settings.RETENTION_MONTHS = 18
    html = client.get(reverse("pages:privacy")).content.decode()
    assert "removed 18 months after the last round they were invited to closes" in html
