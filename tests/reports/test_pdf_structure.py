"""The PDF's tag tree, read back with pikepdf, as a screen reader meets it: every header cell
says what it heads, nothing drawn on a page is left outside the tree unless it is an artifact
(the running header, the page numbers), and a table that breaks across pages is still one
table. And the demo's report reads in at most 12 pages, with a results meeting's notes too, no
table row cut in two and no heading left at a page's foot."""

import re
import shutil
import subprocess
from collections.abc import Iterator
from io import BytesIO, StringIO

import pikepdf
import pytest
from django.core.management import call_command
from django.db import transaction
from weasyprint import HTML

from assessments.models import Round, Sector
from principles.models import Principle
from reports.models import Action, PrincipleReview
from reports.pdf import BASE_URL, StaticFilesFetcher, pdf_html, pdf_render
from reports.report import report_build
from tests.factories import make_partnership, make_response, make_round, publish

pytestmark = pytest.mark.django_db

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
STATEMENTS = 60  # in principle 1 of the long round: its tables cannot fit on one page


def kids(element: pikepdf.Dictionary) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def elements(pdf: pikepdf.Pdf, tag: str | None = None) -> Iterator[pikepdf.Dictionary]:
    """The structure elements reached from the root, in reading order."""
    stack = [kid for kid in reversed(kids(pdf.Root.StructTreeRoot)) if is_element(kid)]
    while stack:
        element = stack.pop()
        if tag is None or tag == element.S:
            yield element
        stack.extend(kid for kid in reversed(kids(element)) if is_element(kid))


def children(element: pikepdf.Dictionary, tag: str) -> list[pikepdf.Dictionary]:
    return [kid for kid in kids(element) if is_element(kid) and tag == kid.S]


def content(pdf: pikepdf.Pdf, element: pikepdf.Dictionary) -> Iterator[tuple[int, int]]:
    """(page index, marked-content id) of every piece of content under the element."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    for kid in kids(element):
        if isinstance(kid, int):
            yield pages[element.Pg.objgen], kid
        elif is_element(kid):
            yield from content(pdf, kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.get("/Pg", element.Pg).objgen], int(kid.MCID)


def text_outside_the_tree(pdf: pikepdf.Pdf) -> list[str]:
    """Each text-showing operator that is neither in an /Artifact nor in marked content whose
    MCID the ParentTree maps to an element of the tree holding that content."""
    tagged = {piece for element in elements(pdf) for piece in content(pdf, element)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    reached = {element.objgen for element in elements(pdf)}
    problems = []
    for number, page in enumerate(pdf.pages):
        mapping = parents.get(int(page.obj.get("/StructParents", -1)), [])
        stack: list[tuple[str, int | None]] = []
        for instruction in pikepdf.parse_content_stream(page):
            operator = str(getattr(instruction, "operator", ""))
            operands = getattr(instruction, "operands", [])
            if operator in ("BDC", "BMC"):
                properties = operands[1] if operator == "BDC" else None
                mcid = (
                    properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                )
                stack.append((str(operands[0]), None if mcid is None else int(mcid)))
            elif operator == "EMC":
                stack.pop()
            elif operator in TEXT_SHOWING and not any(tag == "/Artifact" for tag, _ in stack):
                mcids = [mcid for _, mcid in stack if mcid is not None]
                if not mcids:
                    problems.append(f"page {number + 1}: text outside marked content")
                    continue
                mcid = mcids[-1]
                parent = mapping[mcid] if mcid < len(mapping) else None
                if not (
                    is_element(parent) and parent.objgen in reached and (number, mcid) in tagged
                ):
                    problems.append(f"page {number + 1}: MCID {mcid} is in no element of the tree")
    return problems


def artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> list[str]:
    """The subtypes of the artifacts on the page that show text."""
    found, stack = [], []
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(getattr(instruction, "operator", ""))
        if operator in ("BDC", "BMC"):
            operands = instruction.operands
            properties = operands[1] if operator == "BDC" else pikepdf.Dictionary()
            stack.append((str(operands[0]), str(properties.get("/Subtype", ""))))
        elif operator == "EMC":
            stack.pop()
        elif operator in TEXT_SHOWING and stack and stack[-1][0] == "/Artifact":
            found.append(stack[-1][1])
    return found


@pytest.fixture(scope="module")
def tagged(django_db_setup, django_db_blocker) -> pikepdf.Pdf:
    """The PDF of a closed round of 13, compared, with a comment, and principle 1 given 60
    statements: its two tables run over more than a page. Rendered once for the module, its
    data rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_principles", verbosity=0)
        first = Principle.objects.get(number=1)
        first.statements.bulk_create(
            first.statements.model(principle=first, order=order, text=f"Statement number {order}.")
            for order in range(first.statements.count() + 1, STATEMENTS + 1)
        )
        partnership = make_partnership(name="Riverside Partnership", slug="riverside")
        round = make_round(partnership, title="Autumn 2026")
        for sector in [Sector.THIRD_SECTOR, Sector.BUSINESS] * 6:
            make_response(round, scores=4, sector=sector)
        make_response(round, scores=2, sector=Sector.HEALTH, comments={1: "Papers come late."})
        publish(round)
        document = pdf_render(report_build(Round.objects.get(pk=round.pk)))
        transaction.set_rollback(True)
    return pikepdf.open(BytesIO(document))


def test_every_header_cell_says_whether_it_heads_a_column_or_a_row(tagged):
    cells = list(elements(tagged, "/TH"))
    assert len(cells) > 100
    for cell in cells:
        group = cell.P.P.S  # TH in TR in THead or TBody
        expected = "/Column" if group == "/THead" else "/Row"  # as the HTML's scope says
        assert cell.A.O == "/Table"
        assert cell.A.get("/Scope") == expected, f"a TH in {group} without /Scope {expected}"


def test_nothing_on_a_page_is_left_outside_the_tag_tree_but_its_header_and_page_number(tagged):
    assert text_outside_the_tree(tagged) == []
    # The cover has neither; every other page has the running header and "Page N of M".
    assert artifacts(tagged, tagged.pages[0]) == []
    for page in tagged.pages[1:]:
        assert {"/Header", "/Footer"} <= set(artifacts(tagged, page))


def test_a_table_that_breaks_across_pages_is_one_table_with_its_caption_and_one_header(tagged):
    tables = list(elements(tagged, "/Table"))
    assert all(len(children(table, "/Caption")) == 1 for table in tables)
    broken = [table for table in tables if len({page for page, _ in content(tagged, table)}) > 1]
    assert len(broken) >= 2  # principle 1's answers and perception gap tables
    for table in broken:
        assert len(children(table, "/THead")) == 1  # the repeated header row is an artifact
        rows = [row for body in children(table, "/TBody") for row in children(body, "/TR")]
        assert len(rows) == STATEMENTS
        # Each header cell a data cell names (/Headers) is one of this table's.
        ids = {bytes(cell.ID) for cell in elements(tagged, "/TH") if "/ID" in cell}
        for row in rows:
            for cell in children(row, "/TD"):
                assert {bytes(header) for header in cell.A.Headers} <= ids
    id_tree = tagged.Root.StructTreeRoot.IDTree.Names
    assert len(id_tree) == 2 * len([cell for cell in elements(tagged, "/TH") if "/ID" in cell])


def rows_split_across_pages(pdf: pikepdf.Pdf) -> list[int]:
    """The tables (by reading order) with a row whose content lies on more than one page."""
    return [
        number
        for number, table in enumerate(elements(pdf, "/Table"))
        for row in elements_under(table, "/TR")
        if len({page for page, _ in content(pdf, row)}) > 1
    ]


def elements_under(element: pikepdf.Dictionary, tag: str) -> Iterator[pikepdf.Dictionary]:
    for kid in kids(element):
        if is_element(kid):
            if tag == kid.S:
                yield kid
            yield from elements_under(kid, tag)


def test_no_table_row_is_cut_in_two_by_a_page_break(tagged):
    assert rows_split_across_pages(tagged) == []


LEARNED = (
    "Members want board decisions reported back to the forum in writing; the partnership "
    "will start this before the autumn round."
)  # about 120 characters, as a results meeting writes them
ACTION = "Report back to the forum in writing after each board meeting."  # about 60


def meeting_record(round: Round, numbers: tuple[int, ...]) -> None:
    """What the results meeting records in the workshop view on each of these principles:
    what the partnership learned, the rating it agreed and one short action."""
    for principle in round.principles.filter(number__in=numbers):
        PrincipleReview.objects.update_or_create(
            round=round, principle=principle, defaults={"agreed_score": 3, "learned": LEARNED}
        )
        Action.objects.create(
            round=round, principle=principle, description=ACTION, owner="Forum steering group"
        )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> dict:
    """The demo's spring 2026 report as a PDF, as created and with a meeting's notes, ratings
    and actions on five principles (those the demo has no notes on), with the HTML of the
    latter; and the texts of its section headings (h2). Rendered once for the module, its data
    rolled back."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as mp:
        mp.setenv("DEMO_PASSWORD", "demo-pass-123")
        call_command("create_demo", stdout=StringIO())
        round = Round.objects.select_related("partnership").get(
            partnership__slug="northbridge", title__istartswith="Spring 2026"
        )
        as_created = pdf_render(report_build(round))
        meeting_record(round, (1, 2, 3, 4, 7))
        with_notes = pdf_render(report_build(round))
        html = pdf_html(report_build(round))
        titles = [str(principle) for principle in round.principles.all()]
        transaction.set_rollback(True)
    headings = {*SECTION_HEADINGS, *titles}  # "1. Accountability" and so on
    return {
        "as created": as_created,
        "with meeting notes": with_notes,
        "html": html,
        "headings": headings,
    }


SECTION_HEADINGS = [
    "About this round",
    "Key findings",
    "Contents",
    "Summary of the seven principles",
    "The third sector and everyone else",
    "Trend across rounds",
    "Action plan",
    "How to read this report",
]
FOOTER = re.compile(r"Page \d+ of \d+")


def last_lines(document: bytes, tmp_path) -> list[str]:
    """The last line of text on each page but for the page number ("" if none), laid out as on
    the page: a table's row is one line, which a heading alone on its line never is."""
    program = shutil.which("pdftotext")
    assert program, "poppler-utils is a system dependency (make system-deps)"
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
    text = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
        [program, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = text.split("\f")[:-1]  # each page ends with a form feed
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    return [next((line for line in page[::-1] if not FOOTER.fullmatch(line)), "") for page in lines]


@pytest.mark.parametrize("version", ["as created", "with meeting notes"])
def test_the_demo_spring_report_reads_in_at_most_twelve_pages(demo, version):
    pdf = pikepdf.open(BytesIO(demo[version]))
    assert len(pdf.pages) <= 12
    assert rows_split_across_pages(pdf) == []
    assert text_outside_the_tree(pdf) == []


@pytest.mark.parametrize("version", ["as created", "with meeting notes"])
def test_no_page_ends_with_a_section_heading_cut_off_from_its_section(demo, version, tmp_path):
    lines = last_lines(demo[version], tmp_path)
    assert len(lines) == len(pikepdf.open(BytesIO(demo[version])).pages)
    stranded = [(page, line) for page, line in enumerate(lines, 1) if line in demo["headings"]]
    assert stranded == []


@pytest.mark.parametrize(
    ("block", "heading"),
    [
        ('<section id="findings"', "Key findings"),
        ('<nav id="contents"', "Contents"),
        ('<section id="method"', "How to read this report"),
    ],
)
def test_a_heading_before_two_columns_goes_with_them_wherever_the_page_ends(
    demo, block, heading, tmp_path
):
    """The block alone on a page, pushed down so that the page ends from just below its
    heading to below its first points: the heading is never the page's last line."""
    html = demo["html"]
    start = html.index(block)
    closing = "</" + block[1 : block.index(" ")] + ">"
    end = html.index(closing, start) + len(closing)
    head, _ = html.split("<body>")
    stranded = []
    for room in range(4, 44, 4):  # mm left on the page below the spacer (A4's text is 270mm)
        spacer = f'<div style="height: {270 - room}mm"></div>'
        page = f"{head}<body><main>{spacer}{html[start:end]}</main></body></html>"
        document = HTML(string=page, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
        if last_lines(document.write_pdf(), tmp_path)[0] == heading:
            stranded.append(room)
    assert stranded == []


def test_a_table_set_in_two_columns_is_one_table_with_its_caption_and_one_header(demo):
    # The trend by group runs on from the first column into the second, header row repeated.
    pdf = pikepdf.open(BytesIO(demo["as created"]))
    grouped = [table for table in elements(pdf, "/Table") if len(children(table, "/TBody")) > 1]
    assert len(grouped) == 1
    (table,) = grouped
    assert len(children(table, "/TBody")) == 7  # a row group per principle
    assert len(children(table, "/THead")) == 1
    assert len(children(table, "/Caption")) == 1
