import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from lsp_framework.middleware import RedactTokensFilter, redact_path

pytestmark = pytest.mark.django_db


def test_request_log_is_one_json_line_without_tokens_or_personal_data(client, caplog):
    with caplog.at_level(logging.INFO, logger="lsp.requests"):
        client.get("/r/SeCrEtToKeN0123456789abcdef/principles/2/?email=someone@example.org")
    line = json.loads(caplog.records[-1].getMessage())
    assert line["path"] == "/r/[token]/principles/2/"
    assert line["status"] == 404
    assert "SeCrEtToKeN" not in caplog.text
    assert "someone@example.org" not in caplog.text


def test_paths_of_share_links_are_redacted_too():
    assert redact_path("/shared/abcDEF123_-xyz/report.pdf") == "/shared/[token]/report.pdf"
    assert redact_path("/partnerships/riverside/") == "/partnerships/riverside/"


def test_djangos_own_error_lines_lose_their_tokens():
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/r/AbCdEfGhIjKlMnOpQrStUv/check/",),
        None,
    )
    RedactTokensFilter().filter(record)
    assert record.getMessage() == "Internal Server Error: /r/[token]/check/"


def test_a_locked_database_gives_a_try_again_page_not_a_500(client):
    with mock.patch(
        "principles.views.Principle.objects.with_active_statements",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get(reverse("principles:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Nothing you saved before has been lost" in response.content.decode()
