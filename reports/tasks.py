"""Background work of the reports app: a round's PDFs are rendered by the task worker (django-tasks'
database back end in production) and kept in the shared cache (settings.CACHES), which every app
process reads, so a reader never waits in the request for WeasyPrint and no PDF is rendered twice.

With tasks run at once (the immediate back end: development and tests) nothing is queued: the
PDF is rendered in the request as it always was (settings.PDF_IN_BACKGROUND is off).
"""

from django.conf import settings
from django.db import transaction
from django_tasks import task

from assessments.models import Round


@task()
def pdf_prepare(round_id: int, with_benchmark: bool = False) -> int:
    """Render the round's PDF as its report stands now into the cache, unless it is there: the
    team's (with the network's benchmark) or the forum's and network's (without). Returns its
    size in bytes, 0 for a round that has gone or has no report."""
    from networks.benchmark import benchmark_for_round

    from .pdf import report_pdf
    from .report import report_build

    round = Round.objects.select_related("partnership").filter(pk=round_id).first()
    if round is None or round.is_draft:
        return 0
    report = report_build(round)
    benchmark = benchmark_for_round(round, report) if with_benchmark else None
    return len(report_pdf(report, benchmark))


def pdfs_prepare_after_commit(round: Round) -> None:
    """Once the change commits (a new snapshot, or the round closing), queue both PDFs, so the
    first reader finds them ready. Nothing when PDFs are rendered in the request."""
    if not settings.PDF_IN_BACKGROUND:
        return
    round_id = round.pk

    def enqueue() -> None:
        for with_benchmark in (True, False):
            pdf_prepare.enqueue(round_id=round_id, with_benchmark=with_benchmark)

    transaction.on_commit(enqueue)
