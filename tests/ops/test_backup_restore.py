"""The backup procedure of the README (`make backup`, `make restore`), exercised end to end:
dump the demo data, empty the database, restore, and every round's report is identical."""

import gzip
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Answer, Partnership, Response, Round, token_new
from principles.models import Statement
from reports.models import ShareLink
from reports.report import answers_csv_rows, report_build

pytestmark = pytest.mark.django_db(transaction=True)


def backup_excludes() -> list[str]:
    """The excludes the Makefile's backup target uses, so the test runs what people run."""
    makefile = (pytest.importorskip("django.conf").settings.BASE_DIR / "Makefile").read_text()
    return re.search(r"^BACKUP_EXCLUDES := (.+)$", makefile, re.M).group(1).split()


def reports(client, tokens: dict[int, str]) -> dict[int, tuple]:
    """Each round's report as a forum reader sees it (the page and the CSV), and its figures."""
    result = {}
    for round in Round.objects.select_related("partnership").order_by("pk"):
        report = report_build(round)
        page = client.get(reverse("reports:shared-report", args=[tokens[round.pk]]))
        assert page.status_code == 200
        result[round.pk] = (report, list(answers_csv_rows(round, report)), page.content.decode())
    return result


def test_a_restored_backup_gives_the_identical_report(tmp_path, client):
    call_command("create_demo", stdout=StringIO())
    tokens = {}
    for round in Round.objects.all():
        tokens[round.pk], token_hash = token_new()
        ShareLink.objects.create(round=round, token_hash=token_hash, label="Forum")
    before = reports(client, tokens)
    answers = Answer.objects.count()
    backup = tmp_path / "lsp.json.gz"

    call_command(
        "dumpdata", "--natural-foreign", *backup_excludes(), "-o", str(backup), stdout=StringIO()
    )
    call_command("flush", "--no-input")
    assert Response.objects.count() == Statement.objects.count() == 0

    call_command("loaddata", str(backup), stdout=StringIO())

    assert Answer.objects.count() == answers > 1000
    assert reports(client, tokens) == before
    assert (
        Partnership.objects.get(slug="northbridge")
        .coordinators.filter(username="demo-coordinator")
        .exists()
    )
    with gzip.open(backup, "rt") as dump:
        models = {row["model"] for row in json.load(dump)}
    assert {"assessments.answer", "principles.historicalstatement", "auth.user"} <= models
