import json
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from assessments.models import token_new
from lib.logs import JsonFormatter, redact_path, redact_text

pytestmark = pytest.mark.django_db


def test_request_log_is_one_json_line_without_tokens_or_personal_data(client, caplog):
    with caplog.at_level(logging.INFO, logger="lsp.requests"):
        client.get("/r/SeCrEtToKeN0123456789abcdef/principles/2/?email=someone@example.org")
    written = JsonFormatter().format(caplog.records[-1])
    assert "\n" not in written
    line = json.loads(written)
    assert line["level"] == "INFO"
    assert line["message"] == "GET /r/[token]/principles/2/ 404"
    assert line["path"] == "/r/[token]/principles/2/"
    assert line["status"] == 404
    assert "SeCrEtToKeN" not in written + caplog.text
    assert "someone@example.org" not in written + caplog.text
    assert "127.0.0.1" not in written


def test_the_configured_log_handler_writes_json_lines():
    formatters = [handler.formatter for handler in logging.getLogger().handlers]
    assert any(isinstance(formatter, JsonFormatter) for formatter in formatters)


def test_paths_of_share_links_are_redacted_too():
    assert redact_path("/shared/abcDEF123_-xyz/report.pdf") == "/shared/[token]/report.pdf"
    assert redact_path("/partnerships/riverside/") == "/partnerships/riverside/"


def test_djangos_own_error_lines_and_tracebacks_lose_their_tokens():
    try:
        raise ValueError("while serving /shared/AbCdEfGhIjKlMnOpQrStUv/report.pdf")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/r/AbCdEfGhIjKlMnOpQrStUv/check/",),
        exc_info,
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Internal Server Error: /r/[token]/check/"
    assert "/shared/[token]/report.pdf" in line["exception"]
    assert "AbCdEf" not in json.dumps(line)


def test_a_locked_database_gives_a_try_again_page_not_a_500(client):
    with mock.patch(
        "principles.views.Principle.objects.with_active_statements",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get(reverse("principles:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Nothing you saved before has been lost" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/r//{t}/", "/R/{t}/", "/r/x/../{t}/", "/r/%20{t}/", "/shared//{t}/report.pdf", "/{t}"],
)
def test_a_mistyped_link_keeps_its_token_out_of_the_request_log(client, caplog, path):
    # A token pasted into a wrong path (a doubled slash, a capital R) is still a live token.
    token = token_new()[0]
    with caplog.at_level(logging.INFO, logger="lsp.requests"):
        client.get(path.format(t=token))
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert lines and not [line for line in lines if token in line]
    assert redact_text(f"GET {path.format(t=token)} 404").count(token) == 0
