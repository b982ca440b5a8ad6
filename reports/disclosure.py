"""The disclosure gate: the one place that decides what the service may show of anyone's answers.

Every output of results (the report page, its PDF and CSV, share links, the trend in later
rounds' reports, the response counts on the round's page) takes its figures from here, or from
the published snapshot that only this module writes. With k the round's minimum group size
(`Round.min_group_size`, at least 3):

1. **Snapshots, so no differencing.** Reports never read live answers. They read the round's
   published snapshot (`PublishedResponse`, `PublishedAnswer`, `PublishedComment`), which this
   module takes when at least k responses have been newly submitted since the last one, or, with
   none newly submitted, at least k amended (`snapshot_due`). A coordinator can see who has
   submitted, so new submissions must come in groups of k or more; nobody can see who amended,
   but an amended answer set can be matched to its earlier version, so amendments ride with new
   submissions only when those alone are enough. When the round closes, the final snapshot takes
   what is pending on the same terms; if too few are pending they are left out, and the report
   says how many. A snapshot is dated by the day only, and nothing dates a response.
2. **Counts only below k.** A snapshot of fewer than k responses shows no score, distribution,
   mean or comment anywhere: `results_shown`. (The first snapshot needs k new submissions, so in
   practice a round shows counts only until then.)
3. **Groups of k.** Sectors are shown apart only in one partition of the round's respondents
   whose every cell, the "other sectors" remainder included, has at least k (`sector_cells`);
   every breakdown (the CSV's sector column, the third sector against everyone else) is a union
   of those cells, so no subtraction between outputs isolates fewer than k people.
4. **Comparisons need k scores.** The third sector and everyone else are compared on a statement
   only when each group gave it at least k scores ("Don't know" is not a score), and on a
   principle only over the statements that pass (`statement_compared`).
5. **Earlier rounds** enter a later round's trend only from their own snapshot, and only when it
   passes rule 2 (`trend_round_shown`).
6. **Response counts** (invited and submitted, by the sector on the member's record) are the one
   thing shown at any size: the coordinator sees who has responded in order to remind the
   others, and a count says nothing of what anyone answered (`response_rates`).
7. **The answers spreadsheet** (one row per response) is offered only for a closed round's final
   snapshot (`answers_offered`): rows compared across interim snapshots could be matched person
   by person. The summary spreadsheet is the report's own figures, read from the report this
   gate built (so it is offered whenever the report is, and says no more than the page).
8. **Benchmarks across a network** (networks/benchmark.py) compare a round with other
   partnerships' closed rounds that their coordinators shared with the network, each taken as
   its own report showed it (its own snapshot, k and rules 2 to 4: `report.round_figures`, the
   trend's rule), and show the spread of a figure only when at least MIN_PEERS partnerships
   contribute it (`benchmark_shown`). No partnership is named.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from assessments.models import Answer, Comment, Invitation, Response, Round, Sector

from .models import Publication, PublishedAnswer, PublishedComment, PublishedResponse
from .rounding import half_up
from .tasks import pdfs_prepare_after_commit

SUBMITTED = Response.Status.SUBMITTED
THIRD = Sector.THIRD_SECTOR
OTHER_SECTORS = "Other sectors together"


# 1. Snapshots


def snapshot_due(*, new: int, amended: int, k: int) -> bool:
    """Whether the pending changes may be published: k new submissions, or k amendments alone."""
    return new >= k or (new == 0 and amended >= k)


def _pending(round_id: int) -> tuple[int, int]:
    """(newly submitted, amended) since the round's last snapshot, in one aggregate query."""
    counts = Response.objects.filter(round_id=round_id, status=SUBMITTED).aggregate(
        new=Count("pk", filter=Q(published__isnull=True)),
        amended=Count("pk", filter=Q(published__revision__lt=F("revision"))),
    )
    return counts["new"], counts["amended"]


def snapshot_if_due(round: Round, *, final: bool = False) -> bool:
    """Take a snapshot if the rules allow it; at closing (`final`), record what is left out.

    Called by the assessments app's signals (receivers.py) inside the transaction of each change
    to a submitted response, and of closing, with the round's row locked.
    """
    new, amended = _pending(round.pk)
    taken = snapshot_due(new=new, amended=amended, k=round.min_group_size)
    if taken:
        snapshot_take(round)
    if final:
        # Left out only where there were figures to compare with; a round that never had k
        # responses shows counts only, which already include everyone.
        shown_before = Publication.objects.filter(round=round, responses__gt=0).exists()
        left_out = new + amended if shown_before and not taken else 0
        Publication.objects.update_or_create(round=round, defaults={"left_out": left_out})
    if taken or final:  # the report has changed: its PDFs are prepared for the first reader
        pdfs_prepare_after_commit(round)
    return taken


@transaction.atomic
def snapshot_take(round: Round) -> None:
    """Copy every pending response (new, or amended since it was published) into the snapshot.

    In the service only `snapshot_if_due` calls it, when the rules allow; tests and the
    benchmark call it to publish a round they have built directly.
    """
    pending = list(
        Response.objects.filter(round=round, status=SUBMITTED)
        .filter(Q(published__isnull=True) | Q(published__revision__lt=F("revision")))
        .values_list("pk", "revision", "sector")
    )
    ids = [pk for pk, _, _ in pending]
    PublishedResponse.objects.filter(response_id__in=ids).delete()  # with their answers
    published = PublishedResponse.objects.bulk_create(
        PublishedResponse(
            round=round,
            response_id=pk,
            revision=revision,
            sector=sector,
            order_key=secrets.token_hex(16),
        )
        for pk, revision, sector in pending
    )
    by_response = {row.response_id: row for row in published}
    answers = Answer.objects.filter(response_id__in=ids).values_list(
        "response_id", "question_id", "score"
    )
    PublishedAnswer.objects.bulk_create(
        (
            PublishedAnswer(
                round=round,
                published=by_response[response_id],
                question_id=question_id,
                sector=by_response[response_id].sector,
                score=score,
            )
            for response_id, question_id, score in answers.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )
    comments = Comment.objects.filter(response_id__in=ids).values_list(
        "response_id", "principle_id", "text"
    )
    PublishedComment.objects.bulk_create(
        PublishedComment(
            round=round, published=by_response[rid], principle_id=principle_id, text=text
        )
        for rid, principle_id, text in comments
    )
    total = PublishedResponse.objects.filter(round=round).count()
    publication, _ = Publication.objects.get_or_create(round=round)
    publication.sequence += 1
    publication.taken_on = timezone.localdate()
    publication.responses = total
    publication.save()


# 2. Counts only below k


def results_shown(respondents: int, k: int) -> bool:
    return respondents >= k


# 3. Groups of k


@dataclass(frozen=True)
class Cell:
    """A group of respondents the outputs may show apart: one sector, or several together."""

    label: str
    sectors: frozenset[str]
    respondents: int


def sector_cells(sizes: dict[str, int], k: int) -> list[Cell]:
    """The one partition of a round's respondents that every output uses.

    Each sector of at least k is a cell of its own; the rest go together into one remainder.
    While that remainder holds between 1 and k-1 people, the smallest named sector (the third
    sector last: its view is the point of the report) joins it.
    """
    labels = dict(Sector.choices)
    named = {sector: n for sector, n in sizes.items() if n >= k}
    rest = {sector: n for sector, n in sizes.items() if 0 < n < k}
    while rest and sum(rest.values()) < k and named:
        smallest = min(named, key=lambda sector: (sector == THIRD, named[sector], sector))
        rest[smallest] = named.pop(smallest)
    cells = [
        Cell(labels.get(sector, sector), frozenset([sector]), n)
        for sector, n in sorted(named.items(), key=lambda item: list(labels).index(item[0]))
    ]
    if rest:
        cells.append(Cell(OTHER_SECTORS, frozenset(rest), sum(rest.values())))
    return cells


def groups_compared(cells: list[Cell], k: int) -> bool:
    """The third sector against everyone else: the third sector is a cell of its own, and the
    other cells together (a union of cells, so at least k) are not empty."""
    third = any(cell.sectors == {THIRD} for cell in cells)
    others = sum(cell.respondents for cell in cells if THIRD not in cell.sectors)
    return third and others >= k


# 4. Comparisons need k scores


def statement_compared(third_scores: int, other_scores: int, k: int) -> bool:
    return third_scores >= k and other_scores >= k


# 5. Earlier rounds in the trend


def trend_round_shown(respondents: int, k: int) -> bool:
    return results_shown(respondents, k)


# 6. Response counts


@dataclass(frozen=True)
class SectorRate:
    label: str
    invited: int
    responded: int

    @property
    def percent(self) -> int | None:
        return percent(self.responded, self.invited)


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, by the one rounding rule (rounding.half_up): 12.5% is 13%."""
    return int(half_up(100 * part / whole, places=0)) if whole else None


def response_rates(round: Round) -> list[SectorRate]:
    """Members invited and members who have submitted, by the sector on their member record,
    for every sector with anyone invited; live, at any size (rule 6). One query, of one short
    row per invitation counted here rather than by a GROUP BY: the report page, whose figures
    come from the cache once computed (report.py), then runs no aggregate query at all."""
    rows: dict[str, list[int]] = {}
    invitations = Invitation.objects.filter(round=round).values_list(
        "member__sector", "response__status"
    )
    for sector, status in invitations:
        counts = rows.setdefault(sector, [0, 0])
        counts[0] += 1
        counts[1] += status == SUBMITTED
    return [SectorRate(label, *rows[value]) for value, label in Sector.choices if value in rows]


def response_totals(rounds: list[Round]) -> dict[int, SectorRate]:
    """Each round's invited and submitted, all sectors together (the totals of response_rates),
    by round id: for a list of rounds, in one query however many there are."""
    rows = (
        Invitation.objects.filter(round__in=rounds)
        .values("round_id")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=Q(response__status=SUBMITTED)))
        .order_by()
    )
    totals = {row["round_id"]: (row["invited"], row["responded"]) for row in rows}
    return {r.pk: SectorRate("All sectors", *totals.get(r.pk, (0, 0))) for r in rounds}


# 7. The answers spreadsheet


def answers_offered(round: Round, respondents: int) -> bool:
    return round.is_closed and results_shown(respondents, round.min_group_size)


# 8. Benchmarks across a network

MIN_PEERS = 5  # partnerships contributing a figure, before its spread is shown


def benchmark_shown(partnerships: int) -> bool:
    return partnerships >= MIN_PEERS
