"""Members from a CSV file: every bad row is reported with its line number, or all are imported.

Sector and role may be given as their code or their label, in any case, since people type
labels into spreadsheets; the file may be UTF-8 (with or without Excel's byte order mark) or
Windows-1252, the two encodings British spreadsheets save in.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django import forms
from django.core.files.uploadedfile import UploadedFile

from .models import Member, Partnership, Sector

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
COLUMNS = ("name", "email", "organisation", "sector", "role")
REQUIRED_COLUMNS = ("name", "email", "sector")
EXAMPLE_ROW = (
    "Sam Patel",
    "sam.patel@example.org",
    "Riverside Council for Voluntary Service",
    Sector.THIRD_SECTOR.label,
    Member.Role.BOARD.label,
)
# Spreadsheet users write the column as it reads in a sentence.
HEADER_ALIASES = {"e-mail": "email", "e-mail address": "email", "email address": "email"}


class CsvFileError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str


@dataclass
class MemberImport:
    members: list[Member]
    problems: list[RowProblem]


def template_csv() -> str:
    """The downloadable template: the header row and one example member."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    # The byte order mark makes Excel open the file as UTF-8, so accents survive a round trip.
    return "\ufeff" + out.getvalue()


def members_from_csv(
    upload: UploadedFile, partnership: Partnership, *, form_class: type[forms.ModelForm]
) -> MemberImport:
    """Unsaved members from the file, and every problem found, each with its line number.

    Each row is checked by `form_class`, the member form (forms.coordinator passes it in: the
    forms import this module, not the reverse).
    """
    text = _decoded(upload.read(MAX_BYTES + 1))
    checker = _RowChecker(partnership, form_class)
    members: list[Member] = []
    for line, row in _records(text):
        member = checker.member(line, row)
        if member is not None:
            members.append(member)
    return MemberImport(members=members, problems=checker.problems)


def _decoded(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise CsvFileError("The selected file must be smaller than 1 MB")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CsvFileError("The selected file must be a CSV saved as UTF-8")
    if "\x00" in text:
        raise CsvFileError("The selected file must be a CSV: this one looks like another format")
    if not text.strip():
        raise CsvFileError("The selected file is empty")
    return text


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row as a dict) for each non-blank record after the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [_column(name) for name in next(reader)]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise CsvFileError(
                f"The first row of the file must name the columns {', '.join(COLUMNS)}. "
                f"The {' and '.join(missing)} column{'s are' if len(missing) > 1 else ' is'} "
                "missing"
            )
        count, start = 0, reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            count += 1
            if count > MAX_ROWS:
                raise CsvFileError(
                    f"The file has more than {MAX_ROWS:,} members: split it into smaller files"
                )
            yield line, dict(zip(header, (value.strip() for value in values), strict=False))
    except csv.Error as error:
        raise CsvFileError(
            f"The file could not be read as CSV on line {reader.line_num}"
        ) from error
    if count == 0:
        raise CsvFileError("The file has no members in it, only the row of column names")


def _column(name: str) -> str:
    name = " ".join(name.strip().lower().split())
    return HEADER_ALIASES.get(name, name)


def _lookup(choices: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Code or label, in any case, to code; a label's words before a bracket are enough,
    since people write "Third sector" for "Third sector (voluntary and community)"."""
    found = {}
    for code, label in choices:
        found[code.casefold()] = code
        found[label.casefold()] = code
        found[label.split(" (")[0].casefold()] = code
    return found


class _RowChecker:
    """Checks one row at a time with the member form (so a row obeys every rule the "Add a
    member" page does, in its words), and remembers the addresses earlier rows gave."""

    SECTORS = _lookup(Sector.choices)
    ROLES = _lookup(Member.Role.choices)

    def __init__(self, partnership: Partnership, form_class: type[forms.ModelForm]):
        self.partnership = partnership
        self.form_class = form_class
        self.problems: list[RowProblem] = []
        self.lines_by_email: dict[str, int] = {}

    def member(self, line: int, row: dict[str, str]) -> Member | None:
        sector, role = row.get("sector", ""), row.get("role") or Member.Role.BOARD
        data = {
            "name": row.get("name", ""),
            "email": row.get("email", ""),
            "organisation": row.get("organisation") or "",
            "sector": self.SECTORS.get(sector.casefold(), ""),
            "role": self.ROLES.get(role.casefold(), ""),
        }
        form = self.form_class(
            data, instance=Member(partnership=self.partnership), partnership=self.partnership
        )
        valid = form.is_valid()
        for name, errors in form.errors.items():
            if name == "sector":
                errors = [_choice_problem(sector, Sector.labels, "sector")]
            elif name == "role":
                errors = [_choice_problem(role, Member.Role.labels, "role")]
            self.problems += [RowProblem(line, message) for message in errors]
        if not valid:
            return None
        key = form.cleaned_data["email"].casefold()
        if key in self.lines_by_email:
            self.problems.append(
                RowProblem(
                    line,
                    f"{data['email']} is also on line {self.lines_by_email[key]}: each member "
                    "needs their own address",
                )
            )
            return None
        self.lines_by_email[key] = line
        return form.save(commit=False)


def _choice_problem(value: str, labels: list[str], noun: str) -> str:
    # The page's radios cannot be wrong; a spreadsheet's cell can, so this says what it may be.
    allowed = "; ".join(labels)
    if value:
        return f"“{value}” is not a {noun} we know. Use one of: {allowed}"
    return f"Enter the member’s {noun}, one of: {allowed}"
