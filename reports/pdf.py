"""The report as a tagged PDF (PDF/UA-1), rendered by WeasyPrint from the report's own templates.

WeasyPrint fetches what a document links to (style sheets, images). Ours goes through
StaticFilesFetcher, which serves the service's own static files and refuses everything else, so
nothing typed into a comment or an admin field can make the renderer read a file or reach the
network. (Such text is escaped by the templates anyway; the fetcher is the second lock.)

WeasyPrint's tag tree is repaired after rendering (pdf_tags.py: header cells' scope, elements
split across pages, the running header and page numbers as artifacts).

PDFs are cached in the cache every process shares (settings.CACHES: the database's table, or Redis
with REDIS_URL) under a hash of the report's data: whatever changes what the PDF would show (a new
submission, an action, a renamed band, an earlier round's late answer) makes a new key, and an
unchanged report is never rendered twice.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lib.fingerprint import fingerprint

from . import pdf_tags
from .charts import charts_for
from .findings import findings_for
from .report import Report

# Relative links in the PDF template resolve against this made-up origin (.invalid never
# resolves); the fetcher maps its static paths to files on disk and nothing is ever requested.
BASE_URL = "https://report.invalid/"
STATIC_TYPES = {".css", ".svg", ".png", ".jpg", ".woff", ".woff2", ".ttf"}
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = 4  # raise when the PDF's templates or CSS change, for caches that outlive a deploy


class FetchRefused(ValueError):
    """WeasyPrint logs the refusal and renders the document without the resource."""


def static_prefix() -> str:
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_file_for(url: str) -> Path | None:
    """The file on disk behind a static URL of ours, or None for anything else."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    relative = unquote(urlsplit(url[len(prefix) :]).path)
    parts = relative.split("/")
    if not relative or "\\" in relative or "\x00" in relative or ".." in parts or "" in parts:
        return None
    if Path(relative).suffix.lower() not in STATIC_TYPES:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found and Path(found).is_file() else None


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files; refuses file:, data:, http(s): and everything else."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file_for(url)
        if path is None:
            raise FetchRefused(f"Not one of the service's static files: {url[:100]!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def pdf_html(report: Report, benchmark=None) -> str:
    """The HTML the PDF is rendered from; `benchmark` (networks.benchmark.Benchmark) only in
    the PDF of the partnership's own team."""
    return render_to_string(
        "reports/report_pdf.html",
        {
            **charts_for(report, phones=False),
            "findings": findings_for(report),
            "benchmark": benchmark,
            "mode": "pdf",
            "static_url": static_prefix(),
        },
    )


def pdf_render(report: Report, fetcher: URLFetcher | None = None, benchmark=None) -> bytes:
    return pdf_from_html(pdf_html(report, benchmark), fetcher)


def pdf_from_html(html: str, fetcher: URLFetcher | None = None) -> bytes:
    """The PDF of this HTML: the same HTML gives the same PDF but for its random file ID."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticFilesFetcher())
    with pdf_tags.recording() as sources:
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf_tags.tags_fix(pdf, sources)


def pdf_cache_key(report: Report, benchmark=None) -> str:
    # The report and the benchmark are plain, frozen data, so their fingerprint is complete
    # (another partnership sharing a round changes the benchmark's) and the same in every
    # process, as the task worker stores what the app's processes look for.
    return f"report-pdf:{CACHE_VERSION}:{report.round_pk}:{fingerprint((report, benchmark))}"


def report_pdf(report: Report, benchmark=None) -> bytes:
    """The report's PDF from the cache, rendered only when the report (or its benchmark) has
    changed."""
    key = pdf_cache_key(report, benchmark)
    pdf = cache.get(key)
    if pdf is None:
        pdf = pdf_render(report, benchmark=benchmark)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


# A rendering asked of the task worker is not asked again for this long; after it (a worker that
# failed, or is down) the next reader's request asks again.
QUEUED_SECONDS = 120


def pdf_if_ready(round_id: int, report: Report, benchmark=None, *, with_benchmark=False):
    """The report's PDF, or None while the task worker prepares it (and then it is queued, once).

    With PDFs rendered in the request (settings.PDF_IN_BACKGROUND off: tasks run at once in
    development and tests) this is `report_pdf`: never None."""
    if not settings.PDF_IN_BACKGROUND:
        return report_pdf(report, benchmark)
    key = pdf_cache_key(report, benchmark)
    pdf = cache.get(key)
    if pdf is None and cache.add(f"{key}:queued", True, QUEUED_SECONDS):
        from .tasks import pdf_prepare

        pdf_prepare.enqueue(round_id=round_id, with_benchmark=with_benchmark)
        pdf = cache.get(key)  # a back end that ran it at once has it ready now
    return pdf
