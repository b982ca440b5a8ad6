"""Members from a CSV file: every bad row is reported with its line number, or all are imported.

Sector and role may be given as their code or their label, in any case, since people type
labels into spreadsheets; the file may be UTF-8 (with or without Excel's byte order mark) or
Windows-1252, the two encodings British spreadsheets save in.

A row whose e-mail address (in any case) belongs to a current member is a match: the import
then either updates that member's other details or leaves them as they are, as the coordinator
chooses. Nothing is saved here: the coordinator first sees the ImportPlan.
"""

import copy
import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, field

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


# The details an import may change on a member already in the partnership, as the preview
# names them. The e-mail address is how a row is matched to a member, so it never changes here.
UPDATABLE = {"name": "Name", "organisation": "Organisation", "sector": "Sector", "role": "Role"}
# Read again, locked, just before the import saves: if any differs, someone changed the member
# after the coordinator checked the preview.
CHECKED = ("email", *UPDATABLE)

Row = tuple[int, dict[str, str]]  # the line a record starts on, and its cells by column


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class Match:
    """A row whose address belongs to a current member."""

    member: Member  # a copy with the row's details applied; unsaved
    before: dict[str, str]  # the member's details as they were read, by field (CHECKED)
    changes: list[Change]


@dataclass
class MemberImport:
    members: list[Member]  # new members, unsaved
    problems: list[RowProblem]
    matched: list[Match] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # as read from the file, to check again

    def plan(self, *, update_existing: bool) -> "ImportPlan":
        updated = [m for m in self.matched if update_existing and m.changes]
        unchanged = [m for m in self.matched if not (update_existing and m.changes)]
        return ImportPlan(self.members, updated, unchanged, update_existing)


@dataclass
class ImportPlan:
    """What confirming the import will do, as the preview shows it."""

    added: list[Member]
    updated: list[Match]
    unchanged: list[Match]  # left as they are, or already up to date
    update_existing: bool

    @property
    def everyone(self) -> list[Member]:
        """Every member the file names, for a round's invitation list (saved ones only)."""
        return [*self.added, *(m.member for m in self.updated + self.unchanged)]

    def digest(self) -> str:
        """A fingerprint of what the preview shows: if it differs when the import is confirmed,
        the members changed in between and the coordinator must look again."""
        shown = [
            self.update_existing,
            [[m.email.casefold(), *(getattr(m, f) for f in UPDATABLE)] for m in self.added],
            [[m.member.pk, m.before, [astuple(c) for c in m.changes]] for m in self.updated],
            [m.member.pk for m in self.unchanged],
        ]
        return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


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
    rows = list(_records(_decoded(upload.read(MAX_BYTES + 1))))
    return members_from_rows(rows, partnership, form_class=form_class)


def members_from_rows(
    rows: Sequence[Row], partnership: Partnership, *, form_class: type[forms.ModelForm]
) -> MemberImport:
    """The rows checked against the partnership's members as they are now: run once for the
    preview, and again when the import is confirmed."""
    checker = _RowChecker(partnership, form_class)
    result = MemberImport(members=[], problems=checker.problems, rows=list(rows))
    for line, row in rows:
        found = checker.member(line, row)
        if isinstance(found, Match):
            result.matched.append(found)
        elif found is not None:
            result.members.append(found)
    return result


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
    # Excel saves "CSV" with semicolons where the decimal separator is a comma (much of
    # Europe). The header row names columns, so it has no commas of its own to confuse this.
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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
        # One query; casefold, as MemberForm and the database compare addresses without case.
        self.existing = {m.email.casefold(): m for m in partnership.members.active()}

    def member(self, line: int, row: dict[str, str]) -> Member | Match | None:
        email = row.get("email", "")
        existing = self.existing.get(email.strip().casefold())
        # For a member already here an empty organisation or role keeps theirs: a file with no
        # role column must not make every officer a board member.
        default = existing or Member(role=Member.Role.BOARD)
        sector, role = row.get("sector", ""), row.get("role") or default.role
        data = {
            "name": row.get("name", ""),
            # A match keeps the address as stored: only its case could differ.
            "email": existing.email if existing else email,
            "organisation": row.get("organisation") or default.organisation,
            "sector": self.SECTORS.get(sector.casefold(), ""),
            "role": self.ROLES.get(role.casefold(), ""),
        }
        # The same form as the "Add a member" and "Change" pages, so the same rules; on a copy,
        # since the form writes the row's details onto its instance.
        instance = copy.copy(existing) if existing else Member(partnership=self.partnership)
        form = self.form_class(
            data, instance=instance, partnership=self.partnership, members=self.existing
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
                    f"{email.strip()} is also on line {self.lines_by_email[key]}: each member "
                    "needs their own address",
                )
            )
            return None
        self.lines_by_email[key] = line
        if existing is None:
            return form.save(commit=False)
        return _match(existing, form.save(commit=False))


def _match(existing: Member, updated: Member) -> Match:
    changes = [
        Change(label, _shown(existing, name), _shown(updated, name))
        for name, label in UPDATABLE.items()
        if getattr(existing, name) != getattr(updated, name)
    ]
    before = {name: getattr(existing, name) for name in CHECKED}
    return Match(member=updated, before=before, changes=changes)


def _shown(member: Member, name: str) -> str:
    if name in ("sector", "role"):
        return getattr(member, f"get_{name}_display")()
    return getattr(member, name) or "none"


def _choice_problem(value: str, labels: list[str], noun: str) -> str:
    # The page's radios cannot be wrong; a spreadsheet's cell can, so this says what it may be.
    allowed = "; ".join(labels)
    if value:
        return f"“{value}” is not a {noun} we know. Use one of: {allowed}"
    return f"Enter the member’s {noun}, one of: {allowed}"
