"""The PDF: tagged (PDF/UA-1) with its title and language, fonts embedded, words shown as text, a
renderer that fetches nothing but our static files, and a cache that a new answer refreshes."""

import io
import re
import shutil
import subprocess
import zlib

import pikepdf
import pytest
from django.urls import reverse
from weasyprint import HTML

from assessments import services
from assessments.models import Round, Sector, token_new
from reports import pdf
from reports.models import ShareLink
from reports.pdf import (
    BASE_URL,
    FetchRefused,
    StaticFilesFetcher,
    pdf_render,
    report_pdf,
    static_prefix,
)
from reports.report import report_build
from tests.factories import make_response, make_round, publish

pytestmark = pytest.mark.django_db

HOSTILE_COMMENT = (
    '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://10.0.0.1/a.css">'
)
HOSTILE_TITLE = "Openness url(http://10.0.0.1/x.png) <style>@import 'file:///etc/passwd';</style>"


class RecordingFetcher(StaticFilesFetcher):
    """Our fetcher, noting every address WeasyPrint asks it for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.asked: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        return super().fetch(url, headers)


@pytest.fixture
def round(partnership, principles) -> Round:
    round = make_round(partnership, title="Autumn 2026")
    round.principles.filter(number=4).update(title=HOSTILE_TITLE)
    for sector in [Sector.THIRD_SECTOR, Sector.BUSINESS] * 6:
        make_response(round, scores=4, sector=sector)
    make_response(round, scores=2, sector=Sector.HEALTH, comments={1: HOSTILE_COMMENT})
    publish(round)  # the 13th, with the comment, too
    return Round.objects.select_related("partnership").get(pk=round.pk)


def inflated(document: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to search in."""
    parts = [document]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            # A stream whose last byte is \r loses it to the pattern's "\r?\n": a decompressor
            # object inflates it anyway (only the checksum is cut short), where decompress fails.
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue  # not deflated (a font program, say)
    return b"\n".join(parts)


def pdf_text(document: bytes, tmp_path, *, layout: bool = True) -> str:
    """The PDF's text by pdftotext: laid out as on the page, or (layout=False) in reading
    order, which keeps a table cell's words together."""
    program = shutil.which("pdftotext")
    assert program, "poppler-utils is a system dependency (make system-deps)"
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    options = ["-layout"] if layout else []
    result = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
        [program, *options, str(path), "-"], capture_output=True, check=True, text=True
    )
    return result.stdout


@pytest.fixture
def rendered(round):
    fetcher = RecordingFetcher()
    return pdf_render(report_build(round), fetcher=fetcher), fetcher


def test_it_is_tagged_pdf_ua_with_title_language_embedded_fonts_and_chart_alt_text(rendered):
    document, _ = rendered
    assert document.startswith(b"%PDF-1.7")
    content = inflated(document)
    assert b"/StructTreeRoot" in content
    assert pikepdf.open(io.BytesIO(document)).Root.MarkInfo.Marked is True
    assert b"/Lang (en-GB)" in content
    assert b'pdfuaid:part="1"' in content
    assert re.search(rb"/Title \(Report: Autumn 2026, Riverside Partnership\)", content)
    assert b"/DisplayDocTitle true" in content
    assert b"/FontFile2" in content  # embedded TrueType...
    assert b"Liberation" in content  # ...the metric twin of Arial
    assert b"/Alt (Radar chart of each principle's mean score" in content
    assert b"/Alt (Bar chart of the answers to each statement of principle 1)" in content


def test_markup_in_words_is_printed_as_text_and_makes_the_renderer_fetch_nothing(
    rendered, tmp_path
):
    document, fetcher = rendered
    printed = " ".join(pdf_text(document, tmp_path).split())
    assert '<img src="file:///etc/passwd">' in printed
    assert '<link rel="stylesheet" href="http://10.0.0.1/a.css">' in printed
    assert "url(http://10.0.0.1/x.png)" in printed
    assert "root:x:0:0" not in printed
    # The one thing asked for was our style sheet.
    assert fetcher.asked == [static_prefix() + "app/print.css"]


def test_markup_that_reached_the_renderer_could_fetch_nothing_outside_static(tmp_path):
    """The second lock: even raw HTML (which the templates never let through) gets no file."""
    fetcher = RecordingFetcher()
    html = (
        '<html lang="en-GB"><title>t</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        "<style>p { background: url(data:image/png;base64,iVBORw0KGgo=) }</style>"
        '<p><img src="file:///etc/passwd" alt="x"><img src="/static/../settings.py" alt="y"></p>'
    )
    HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    assert set(fetcher.asked) >= {
        "http://127.0.0.1:9/evil.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
    }
    for url in fetcher.asked:
        with pytest.raises(FetchRefused):
            StaticFilesFetcher().fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/static/app/print.css",
        "https://report.invalid/etc/passwd",
        "data:text/css,p{}",
        "ftp://example.com/x.css",
        "{static}../../lsp_framework/settings.py",
        "{static}app/%2e%2e/%2e%2e/lsp_framework/settings.py",
        "{static}app/..%2f..%2fmanage.py",
        "{static}app/init.js",  # a static file, but not one a PDF needs
        "{static}app/missing.css",
        "{static}/etc/passwd.css",
        "{static}app//print.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(FetchRefused):
        StaticFilesFetcher().fetch(url.replace("{static}", static_prefix()))


def test_the_fetcher_serves_our_print_style_sheet():
    response = StaticFilesFetcher().fetch(static_prefix() + "app/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_the_pdf_is_cached_until_the_report_changes(round, monkeypatch):
    renders = []
    monkeypatch.setattr(
        pdf, "pdf_render", lambda report, benchmark=None: renders.append(report) or b"%PDF"
    )
    report_pdf(report_build(round))
    report_pdf(report_build(round))
    assert len(renders) == 1
    make_response(round, scores=5, sector=Sector.THIRD_SECTOR)  # a new submission
    report_pdf(report_build(round))
    assert len(renders) == 2
    action = round.actions.create(description="Meet in the evening.")
    report_pdf(report_build(round))
    action.description = "Meet in the early evening."  # an edit: Action has no updated_at
    action.save()
    report_pdf(report_build(round))
    assert len(renders) == 4


def test_a_long_word_in_a_comment_wraps_instead_of_running_off_the_page(
    partnership, principles, tmp_path
):
    # 300 characters without a space (a pasted link, say): WeasyPrint cuts off what it cannot
    # break, so without `overflow-wrap` only the first hundred or so reach the page.
    word = "".join(f"{n:03d}x" for n in range(75))
    round = make_round(partnership, title="Autumn 2026")
    for sector in [Sector.THIRD_SECTOR, Sector.BUSINESS] * 6:
        make_response(round, scores=4, sector=sector)
    make_response(round, scores=2, sector=Sector.HEALTH, comments={1: word})
    publish(round)
    round = Round.objects.select_related("partnership").get(pk=round.pk)
    text = pdf_text(pdf_render(report_build(round)), tmp_path)
    # Lines wrapped mid-word: rejoin them (the page header and footer lines do not matter here).
    assert word in "".join(line.strip() for line in text.splitlines())


def test_the_pdf_is_named_after_the_partnership_and_the_round(coordinator_client, round):
    token, hashed = token_new()
    ShareLink.objects.create(round=round, token_hash=hashed, label="Forum")
    addresses = [
        reverse("reports:round-report-pdf", args=[round.partnership.slug, round.pk]),
        reverse("reports:shared-report-pdf", args=[token]),
    ]
    for address in addresses:  # the round is open: its figures are interim, and so is the name
        assert coordinator_client.get(address)["Content-Disposition"] == (
            'attachment; filename="riverside-autumn-2026-interim-report.pdf"'
        )
    services.round_close(round=round)
    for address in addresses:
        assert coordinator_client.get(address)["Content-Disposition"] == (
            'attachment; filename="riverside-autumn-2026-report.pdf"'
        )
    Round.objects.filter(pk=round.pk).update(title="!!!")  # nothing a file name can keep
    assert coordinator_client.get(addresses[1])["Content-Disposition"] == (
        f'attachment; filename="riverside-round-{round.pk}-report.pdf"'
    )
