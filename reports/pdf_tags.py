"""Repairs to the structure tree (the tags) WeasyPrint writes for a PDF/UA-1 report.

WeasyPrint 70 tags the PDF, but three things in its tag tree fail PDF/UA or mislead a screen
reader, and it offers no setting for them; `tags_fix` repairs them with pikepdf after rendering:

1. A table's header cells (TH) get no Scope attribute (WeasyPrint issue #2508). Every TH now
   has /A << /O /Table /Scope /Column >>, or /Row for `<th scope="row">`.
2. WeasyPrint builds the tree one page at a time, so an element that runs on to the next page
   (the main part, a section, a list, a table) becomes one structure element per page, and a
   table that breaks becomes two Table elements, the second without its Caption and with a
   copy of the header row; the same happens to a block that runs on into the next column of a
   multi-column element. Such pieces are merged into one element: the second one's children
   move into the first (their /P, the ParentTree and TD /Headers follow), and the repeated
   header row, drawn again only because the page broke, leaves the tree.
3. The running header and the "Page N of M" footer, drawn in @page margin boxes, are marked
   content that no structure element in the tree reaches (WeasyPrint issue #1836: an Artifact
   element would need PDF 2.0). That content, and the repeated header rows of 2., is marked
   /Artifact (of pagination: header, footer) in the page's content stream instead.

Which pieces belong together cannot be read back from the PDF (two different tables can meet
at a page break). So while WeasyPrint builds the tree, `recording()` notes for each structure
element the HTML element it came from, a th's scope, and whether it is in a page margin: a
wrapper around WeasyPrint's internal `_build_box_tree`, which is why pyproject pins WeasyPrint
below 71. It records only inside `recording()`; any other WeasyPrint call is unchanged.
"""

import contextlib
import contextvars
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasyprint_tags


@dataclass(frozen=True)
class Source:
    """Where a structure element came from."""

    element: int  # the HTML element (numbered in order of first sight; -1 for none) ...
    tag: str  # ... and its tag, with a pseudo-element's name (`a::after`)
    scope: str | None = None  # a th's scope attribute
    margin: str | None = None  # the @page margin box it is drawn in ("@top-left")


@dataclass
class Sources:
    """Each structure element's Source, by PDF object number, for one rendering."""

    by_number: dict[int, Source] = field(default_factory=dict)
    elements: dict[object, int] = field(default_factory=dict)
    margin: str | None = None

    def note(self, number: int, box) -> None:
        element = box.element  # None in a margin box: it has no HTML element
        if number in self.by_number or (element is None and self.margin is None):
            return
        key = -1 if element is None else self.elements.setdefault(element, len(self.elements))
        scope = element.get("scope") if box.element_tag == "th" else None
        self.by_number[number] = Source(key, box.element_tag, scope, self.margin)


_recording: contextvars.ContextVar[Sources | None] = contextvars.ContextVar(
    "pdf_tags_recording", default=None
)
_weasyprint_build_box_tree = weasyprint_tags._build_box_tree
_BDC = pikepdf.Operator("BDC")
# Blocks a column break can split: WeasyPrint lays out each column of a multi-column element as
# a box of that element, so a list, paragraph or table that runs on into the next column becomes
# a second structure element on the same page, as at a page break.
_BLOCKS = {"/Part", "/Sect", "/Div", "/P", "/L", "/LI", "/LBody", "/Table", "/TBody"}


def _build_box_tree(box, parent, pdf, *args, **kwargs):
    sources = _recording.get()
    if sources is None:
        yield from _weasyprint_build_box_tree(box, parent, pdf, *args, **kwargs)
        return
    if isinstance(box, boxes.MarginBox):
        sources.margin = box.at_keyword
    try:
        for element in _weasyprint_build_box_tree(box, parent, pdf, *args, **kwargs):
            # Inner calls note their own elements first; this box's is the one not yet noted.
            sources.note(element.number, getattr(box, "_box", box))  # absolute placeholders
            yield element
    finally:
        if isinstance(box, boxes.MarginBox):
            sources.margin = None


# WeasyPrint's function calls itself through the module's global name, so every level passes here.
weasyprint_tags._build_box_tree = _build_box_tree


@contextlib.contextmanager
def recording() -> Iterator[Sources]:
    """Note the sources of the structure elements of the PDFs written inside the block."""
    sources = Sources()
    token = _recording.set(sources)
    try:
        yield sources
    finally:
        _recording.reset(token)


def tags_fix(document: bytes, sources: Sources) -> bytes:
    """The PDF with its tag tree repaired (see the module's docstring)."""
    with pikepdf.open(io.BytesIO(document)) as pdf:
        tree = _Tree(pdf, sources)
        tree.merge(tree.document)
        tree.headers_fix()
        tree.artifacts_mark()
        output = io.BytesIO()
        pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return output.getvalue()


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_element(kid) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def _page(element: pikepdf.Dictionary) -> tuple[int, int] | None:
    page = element.get("/Pg")
    return None if page is None else page.objgen


def _descendants(element: pikepdf.Dictionary, tag: str) -> Iterator[pikepdf.Dictionary]:
    for kid in _kids(element):
        if _is_element(kid):
            if tag == kid.S:
                yield kid
            yield from _descendants(kid, tag)


class _Tree:
    def __init__(self, pdf: pikepdf.Pdf, sources: Sources):
        self.pdf = pdf
        self.sources = sources.by_number
        self.root = pdf.Root.StructTreeRoot
        self.document = _kids(self.root)[0]
        self.merged_into: dict[tuple[int, int], pikepdf.Dictionary] = {}
        self.header_ids: dict[bytes, pikepdf.Object] = {}

    def source(self, element: pikepdf.Dictionary) -> Source | None:
        return self.sources.get(element.objgen[0])

    def _continues(self, first, second) -> bool:
        """Whether `second` is the next piece, on the next page or in the next column, of the
        element `first` is a piece of. (Pieces of an inline element split across lines on one
        page, a Span, Link or NonStruct, stay apart.)"""
        if not self._same(first, second):
            return False
        return _page(first) != _page(second) or first.S in _BLOCKS

    def merge(self, element: pikepdf.Dictionary) -> None:
        """Merge the pieces among `element`'s children, then among theirs, and so on down:
        the pieces of a child meet at the end of one piece and the start of the next."""
        kids: list = []
        pieces = _kids(element)
        for kid in pieces:
            if kids and self._continues(kids[-1], kid):
                self._absorb(kids[-1], kid)
            else:
                kids.append(kid)
        if len(kids) < len(pieces):
            element.K = pikepdf.Array(kids)
        for kid in kids:
            if _is_element(kid):
                self.merge(kid)

    def _absorb(self, first: pikepdf.Dictionary, second: pikepdf.Dictionary) -> None:
        kids = _kids(second)
        if first.S == "/Table":
            kids = self._without_repeated_header(first, kids)
        moved = []
        for kid in kids:
            if isinstance(kid, int):  # a marked-content id, of the second piece's page
                kid = pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=second.Pg, MCID=kid)
            elif _is_element(kid):
                kid.P = first
            elif kid.get("/Type") == "/MCR" and "/Pg" not in kid:
                kid.Pg = second.Pg
            moved.append(kid)
        first.K = pikepdf.Array(_kids(first) + moved)
        self.merged_into[second.objgen] = first

    def _without_repeated_header(self, table: pikepdf.Dictionary, kids: list) -> list:
        """A continued table's kids without the header row repeated at the top of its page,
        noting which header cell of the first piece each repeated cell stands for."""
        heads = [kid for kid in _kids(table) if _is_element(kid) and kid.S == "/THead"]
        kept = []
        for kid in kids:
            repeat = next((head for head in heads if self._same(head, kid)), None)
            if repeat is None:
                kept.append(kid)
                continue
            for old, new in zip(
                _descendants(kid, "/TH"), _descendants(repeat, "/TH"), strict=False
            ):
                if "/ID" in old and "/ID" in new:
                    self.header_ids[bytes(old.ID)] = new.ID
        return kept

    def _same(self, first, second) -> bool:
        """Whether both are pieces of one HTML element, as the same kind of element."""
        if not (_is_element(first) and _is_element(second)) or first.S != second.S:
            return False
        source = self.source(first)
        return source is not None and source.element >= 0 and source == self.source(second)

    def headers_fix(self) -> None:
        """Scope on every TH; TD /Headers pointing at repeated header cells point at the
        first ones; and the IDTree those /Headers need (PDF 1.7, 14.7.2)."""
        ids = []
        for table in _descendants(self.document, "/Table"):
            for cell in _descendants(table, "/TH"):
                self._scope_set(cell)
                if "/ID" in cell:
                    ids.append((bytes(cell.ID), cell))
            for cell in _descendants(table, "/TD"):
                headers = cell.get("/A", {}).get("/Headers")
                if headers is not None:
                    cell.A.Headers = pikepdf.Array(
                        self.header_ids.get(bytes(header), header) for header in headers
                    )
        if ids:
            names = pikepdf.Array()
            for key, cell in sorted(ids, key=lambda pair: pair[0]):
                names.extend([pikepdf.String(key), cell])
            self.root.IDTree = self.pdf.make_indirect(pikepdf.Dictionary(Names=names))

    def _scope_set(self, cell: pikepdf.Dictionary) -> None:
        source = self.source(cell)
        scope = (source.scope or "").lower() if source else ""
        if scope in ("row", "rowgroup"):
            value = pikepdf.Name.Row
        elif scope in ("col", "colgroup"):
            value = pikepdf.Name.Column
        else:  # no scope: a cell of the header row heads a column, one in the body its row
            group = cell.P.get("/P")  # TH in TR in THead, TBody or Table
            in_head = isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/THead"
            value = pikepdf.Name.Column if in_head else pikepdf.Name.Row
        attributes = cell.get("/A")
        if not isinstance(attributes, pikepdf.Dictionary):
            attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
        attributes.Scope = value

    def _reached(self) -> set[tuple[int, int]]:
        reached = set()
        stack = [self.document]
        while stack:
            element = stack.pop()
            reached.add(element.objgen)
            stack.extend(kid for kid in _kids(element) if _is_element(kid))
        return reached

    def artifacts_mark(self) -> None:
        """Point the ParentTree at the merged elements, and mark as artifacts the marked
        content that no element of the tree reaches any more (or ever did)."""
        reached = self._reached()
        nums = self.root.ParentTree.Nums
        for index in range(1, len(nums), 2):
            entry = nums[index]
            if isinstance(entry, pikepdf.Array):
                nums[index] = pikepdf.Array(self._merged(ref) for ref in entry)
            else:
                nums[index] = self._merged(entry)
        parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
        for page in self.pdf.pages:
            mcids = parents.get(int(page.obj.get("/StructParents", -1)))
            if not isinstance(mcids, pikepdf.Array):
                continue
            artifacts = {}
            for mcid, element in enumerate(mcids):
                if not _is_element(element) or element.objgen not in reached:
                    artifacts[mcid] = self._artifact_kind(element)
                    mcids[mcid] = None
            if artifacts:
                self._content_mark(page, artifacts)

    def _merged(self, element):
        while _is_element(element) and element.objgen in self.merged_into:
            element = self.merged_into[element.objgen]
        return element

    def _artifact_kind(self, element) -> pikepdf.Dictionary:
        kind = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
        while _is_element(element):
            source = self.source(element)
            if source is not None and source.margin:
                top = source.margin.startswith("@top")
                kind.Subtype = pikepdf.Name.Header if top else pikepdf.Name.Footer
                break
            element = element.get("/P")
        return kind

    def _content_mark(self, page: pikepdf.Page, artifacts: dict) -> None:
        instructions = []
        for instruction in pikepdf.parse_content_stream(page):
            if getattr(instruction, "operator", None) == _BDC:  # not an inline image
                properties = instruction.operands[1]
                mcid = (
                    properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                )
                if mcid is not None and int(mcid) in artifacts:
                    operands = [pikepdf.Name.Artifact, artifacts[int(mcid)]]
                    instruction = pikepdf.ContentStreamInstruction(operands, instruction.operator)
            instructions.append(instruction)
        page.obj.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(instructions))
