"""Spreadsheet imports (CSV, XLSX) of parents, milestones and contacts: checked, then all or nothing.

The file is untrusted (reliability-anchors §4): its size is capped before reading; CSV is decoded
as strict UTF-8 (a BOM is allowed); an XLSX archive's members are size-checked before openpyxl
(with defusedxml) reads it. Every row is validated; a file with any bad row imports nothing and
each bad row is reported with its line number. Importing the same file again changes nothing;
a row corrected since corrects the record it made (the same event as a correction in the window).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import functools
import hashlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import ParticipantStatus, Voice, label
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Contact, Job, Milestone, Participant, Record, StageChange
from journeyapp.core.text import FORMULA_STARTS
from journeyapp.core.typed import typed_values
from journeyapp.core.validation import check_typed_days, parse_date, validate

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200


class ImportRefused(JourneyError):
    """A file that cannot be imported at all (too big, not UTF-8, not a spreadsheet...)."""


@dataclass(frozen=True)
class FileKind:
    """One kind of spreadsheet we can read, recognised by its column headings."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column this kind knows."""
        return self.required + self.optional


KINDS = (
    FileKind(
        "parents",
        ("ref", "preferred_name", "locality", "joined_on"),
        ("full_name", "date_of_birth", "keyworker", "referral_source", "status"),
    ),
    FileKind("milestones", ("ref", "milestone", "achieved_on"), ("note", "whose_words")),
    FileKind("contacts", ("ref", "on", "kind"), ("minutes", "note")),
)


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    """Headings match whatever their case, spaces or underscores (asked again and again for the
    same few names: remembered)."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported, and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    """What an import found and did (or, in a dry run, would do)."""

    file: Path
    kind: str = ""
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    applied: bool = False
    sha256: str = ""
    notes: list[str] = field(default_factory=list)  # how the file was read (sheet, dates...)

    @property
    def ok(self) -> bool:
        """True when every row can be imported."""
        return not self.problems

    def summary(self) -> str:
        """One plain sentence."""
        rows = f"{self.rows:,} row{'' if self.rows == 1 else 's'}"
        if self.problems:
            n = len(self.problems)
            return (
                f"{self.file.name}: {n} of {rows} cannot be imported, so nothing "
                f"was imported. Correct {'it' if n == 1 else 'them'} and import the file again."
            )
        verb = "Imported" if self.applied else "Ready to import"
        return (
            f"{verb} {self.file.name} ({self.kind}, {rows}): {self.to_create:,} new, "
            f"{self.to_update:,} updated, {self.unchanged:,} already here."
        )


@dataclass
class _Op:
    line: int
    action: str  # "create", "update"
    # The row through the record use cases, one at a time: updates always; creates only when
    # asked (`one_by_one`, the reference the bulk write is tested against).
    apply: Callable[[], Any]
    # A create's records, checked already: written together with the other creates.
    records: tuple[Record, ...] = ()


# -- reading -------------------------------------------------------------------------------------


def _read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(f"Cannot read {path}: {exc.strerror}.") from None
    if size > max_bytes:
        raise ImportRefused(
            f"{path.name} is larger than the {max_bytes // 1_048_576} MB an import can take; "
            "split it into smaller files."
        )
    return path.read_bytes()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # Our own exports put a ' before formula-like text; take it off again.
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _csv_cell(value: str) -> str:
    """`_cell_text` for a CSV cell, which is always text (the same result, without the checks
    for numbers and dates)."""
    text = value.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _utf16_text(data: bytes, name: str) -> str:
    """A file saved as "Unicode Text" by Excel (UTF-16 with its byte-order mark, columns
    separated by tabs), as text."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f'{name} is UTF-16 text ("Unicode Text") but is damaged at byte {exc.start}. Save '
            "it as 'CSV UTF-8' in your spreadsheet program and try again."
        ) from None


def _csv_rows(data: bytes, name: str, notes: list[str]) -> Iterator[tuple[int, list[str]]]:
    try:
        text = (
            _utf16_text(data, name)
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            else data.decode("utf-8-sig")
        )
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            # Excel's "CSV" on Windows is Windows-1252: read it, and say so.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(
                f"{name} is not UTF-8 text (line {line}, byte {exc.start}). Save it as "
                "'CSV UTF-8' in your spreadsheet program and try again."
            ) from None
        notes.append(
            f"{name} is not UTF-8 (line {line}), so it was read as Windows text (cp1252); check "
            "that names with accents look right, or save it as 'CSV UTF-8' and import that."
        )
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise ImportRefused(f"{name} has a NUL character on line {line}; it is not a CSV file.")
    head = "\n".join(text.split("\n", 10)[:10])  # a title row must not decide the delimiter
    # Commas unless semicolons (Excel where a comma is the decimal point) or tabs ("Unicode
    # Text", or text copied from a sheet) are more common.
    delimiter = max((",", ";", "\t"), key=lambda d: (head.count(d), d == ","))
    if delimiter != ",":
        said = "semicolons" if delimiter == ";" else "tabs"
        notes.append(f"{name} separates its columns with {said}; read that way.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, [_csv_cell(v) for v in row]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRefused(f"{name} line {reader.line_num}: {exc}; check the quotes.") from None


def _check_zip(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(f"{name} is not an Excel workbook (.xlsx); save it again.") from None
    total = 0
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise ImportRefused(f"{name} is not an Excel workbook (.xlsx).")
        if any(n.endswith("vbaProject.bin") for n in names):
            raise ImportRefused(
                f"{name} holds macros; save it as a plain Excel workbook (.xlsx) first."
            )
        for member in members:
            if member.flag_bits & 0x1:
                raise ImportRefused(f"{name} is password-protected; save an unprotected copy.")
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if total > MAX_UNZIPPED or (member.file_size > 1_000_000 and ratio > MAX_RATIO):
                raise ImportRefused(
                    f"{name} unpacks to far more than a spreadsheet should; it may be built to "
                    "harm a computer, so it was not opened."
                )


@dataclass
class Sheet:
    """One sheet's non-empty rows (line, cells), and its formula cells with no saved value."""

    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def _open_book(data: bytes, name: str, *, values: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    except Exception as exc:  # openpyxl raises many kinds for malformed workbooks
        raise ImportRefused(
            f"{name} cannot be read as a workbook ({type(exc).__name__})."
        ) from None


def _xlsx_sheets(
    data: bytes, name: str, max_rows: int = MAX_ROWS, *, formulas: bool = True
) -> list[Sheet]:
    _check_zip(data, name)
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl only guards against XML bombs with defusedxml installed
        raise ImportRefused("Reading workbooks safely needs defusedxml; reinstall JourneyApp.")
    book = _open_book(data, name, values=True)
    # A second reading shows formulas: one with no saved value reads as empty otherwise. It
    # doubles the time, so a caller that says what an empty cell means can do without it.
    raw_book = _open_book(data, name, values=False) if formulas else None
    sheets = []
    try:
        for n, sheet in enumerate(book.worksheets):
            found = Sheet(str(sheet.title))
            written_rows = (
                raw_book.worksheets[n].iter_rows(values_only=True)
                if raw_book is not None
                else iter(lambda: (), None)  # no formulas read: an endless row of nothing
            )
            rows = zip(sheet.iter_rows(values_only=True), written_rows, strict=False)
            for number, (row, written) in enumerate(rows, start=1):
                cells = [_cell_text(v) for v in row]
                for column, (value, source) in enumerate(zip(row, written, strict=False)):
                    if value is None and isinstance(source, str) and source.startswith("="):
                        found.formulas[(number, column)] = source[:60]
                if any(cells) or any(k[0] == number for k in found.formulas):
                    found.rows.append((number, cells))
                    if len(found.rows) > max_rows + 20:
                        raise ImportRefused(
                            f"{name} has more than {max_rows:,} rows; split it into smaller files."
                        )
            sheets.append(found)
    finally:
        book.close()
        if raw_book is not None:
            raw_book.close()
    return sheets


# Microsoft's older container (OLE): an .xls, or an .xlsx that Excel saved with a password to
# open it, which is encrypted whole inside one.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_XLSX = "EncryptionInfo".encode("utf-16-le")  # a stream only such a file holds


def _refuse_other_workbooks(data: bytes, name: str, suffix: str) -> None:
    """Refuse a workbook that is not an .xlsx inside, or a caseload (read as text, either
    would be called "not UTF-8", with advice to save a CSV that misleads for them)."""
    if data.startswith(b"SQLite format 3\x00") or (suffix == ".db" and not data.isascii()):
        # A caseload (plain, or encrypted: no header to see) given where a list is wanted.
        raise ImportRefused(
            f"{name} is a caseload (or a backup of one), not a spreadsheet. To bring in the "
            "records of another laptop, send its journey log from there (Send my journey "
            "log…, or journeyapp bundle) and merge it here (Merge a journey log…, or "
            "journeyapp merge); to put a backup back, restore it (journeyapp restore)."
        )
    if data.startswith(_OLE):
        if _ENCRYPTED_XLSX in data:
            raise ImportRefused(
                f"{name} is protected with a password; open it in Excel and save an "
                "unprotected copy (File > Info > Protect Workbook > Encrypt with Password, "
                "clear the password), then import that copy."
            )
        raise ImportRefused(
            f"{name} is an older Excel workbook (.xls) inside; open it in Excel and save it "
            "as an Excel workbook (.xlsx) or as CSV UTF-8, then import that."
        )
    if suffix == ".xlsx":
        raise ImportRefused(
            f"{name} is not an Excel workbook (.xlsx), though its name says so (it may be "
            "damaged or cut short); save it again from Excel as .xlsx or CSV UTF-8."
        )


def read_sheets(
    path: Path,
    notes: list[str] | None = None,
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    formulas: bool = True,
) -> tuple[list[Sheet], str]:
    """Every sheet of a CSV (one) or XLSX file, and the file's SHA-256 (`formulas`: also note
    formula cells with no saved value, at the cost of reading a workbook twice)."""
    path = Path(path)
    notes = notes if notes is not None else []
    data = _read_bytes(path, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.casefold()
    if suffix in (".xls", ".ods", ".xlsm"):
        raise ImportRefused(f"{path.name}: save it as .xlsx or .csv (UTF-8) and import that.")
    if data[:4] == b"PK\x03\x04":
        return _xlsx_sheets(data, path.name, max_rows, formulas=formulas), digest
    _refuse_other_workbooks(data, path.name, suffix)
    sheet = Sheet(path.name)
    for line, cells in _csv_rows(data, path.name, notes):
        if any(cells):
            sheet.rows.append((line, cells))
            if len(sheet.rows) > max_rows + 20:
                raise ImportRefused(
                    f"{path.name} has more than {max_rows:,} rows; split it into smaller files."
                )
    return [sheet], digest


def read_rows(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """(line, cells) for every non-empty row of a CSV file or an XLSX's first sheet."""
    sheets, digest = read_sheets(path)
    return sheets[0].rows, digest


def recognise(
    headers: Sequence[str], name: str = "The file"
) -> tuple[FileKind, list[str], list[str]]:
    """Which kind of file this is, from its headings: the kind, the headings normalised (those
    not imported as ""), and the headings that are not imported."""
    found = _recognised(headers, name)
    if found is None:
        options = "; ".join(f"{k.name}: {', '.join(k.required)}" for k in KINDS)
        raise ImportRefused(
            f"{name} is not a list JourneyApp can import: one of its first {HEADER_ROWS} rows "
            f"must name the columns ({options})."
        )
    return found


HEADER_ROWS = 10  # how far down a sheet the headings are looked for (below a title, say)


def _recognised(headers: Sequence[str], name: str) -> tuple[FileKind, list[str], list[str]] | None:
    normal = [_norm(h) for h in headers]
    present = {h for h in normal if h}
    for kind in KINDS:
        wanted = {_norm(c) for c in kind.required}
        if wanted <= present:
            known = {_norm(c) for c in kind.columns}
            dupes = {h for h in normal if h in known and normal.count(h) > 1}
            if dupes:
                raise ImportRefused(
                    f"{name} has the same column twice: {', '.join(sorted(dupes))}; keep one."
                )
            extra = [h for h, n in zip(headers, normal, strict=True) if n and n not in known]
            return kind, [n if n in known else "" for n in normal], extra
    return None


def _find_headings(
    sheets: list[Sheet], name: str
) -> tuple[Sheet, int, FileKind, list[str], list[str]]:
    """The sheet and row (index into its rows) that name the columns, looked for in the first
    rows of every sheet."""
    for sheet in sheets:
        for index, (_line, cells) in enumerate(sheet.rows[:HEADER_ROWS]):
            found = _recognised(cells, name)
            if found is not None:
                return (sheet, index, *found)
    return (sheets[0], 0, *recognise(sheets[0].rows[0][1] if sheets[0].rows else [], name))


# -- dates: ISO, day/month or month/day (decided from the whole file), Excel's day numbers -------

_SLASHED = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
_EXCEL_DAY = re.compile(r"^\d{5}(\.0+)?$")
DATE_COLUMNS = {"joinedon", "dateofbirth", "achievedon", "on"}


def _date_order(rows: Sequence[tuple[int, dict[str, str]]], name: str) -> tuple[bool, str]:
    """Whether the file's slashed dates are month first (US), and a note saying how they were
    read; refused when some rows can only be day first and others only month first."""
    day_first = month_first = None
    slashed = 0
    for line, row in rows:
        for column, text in row.items():
            if column not in DATE_COLUMNS:
                continue
            match = _SLASHED.match(text)
            if not match:
                continue
            slashed += 1
            a, b = int(match.group(1)), int(match.group(2))
            if a > 12 and day_first is None:
                day_first = (line, text)
            if b > 12 and month_first is None:
                month_first = (line, text)
    if day_first and month_first:
        raise ImportRefused(
            f"{name} mixes date orders: line {day_first[0]} has {day_first[1]} (day first) and "
            f"line {month_first[0]} has {month_first[1]} (month first). Write every date the "
            "same way, best as 2026-03-25, and import again."
        )
    if month_first:
        return True, (
            f"Dates like {month_first[1]} (line {month_first[0]}) show this file writes the "
            "month first (US); every date with slashes was read that way."
        )
    if slashed:
        return False, "Dates with slashes were read day first (UK), as 25/03/2026."
    return False, ""


def _day(text: str, label: str, month_first: bool) -> date:
    """One date from a cell: ISO, slashed in the file's order, or an Excel day number."""
    if _EXCEL_DAY.match(text.strip()):
        number = int(float(text))
        if 20_000 <= number <= 80_000:  # 1954 to 2119: a date Excel shows as a number
            return date(1899, 12, 30) + timedelta(days=number)
    match = _SLASHED.match(text)
    if match and month_first:
        month, day, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(
                f"{label} {text!r} is not a date (month first, like the rest of the file)."
            ) from None
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(f"{label} {text!r} is not a date (day first).") from None
    return parse_date(text, label)


# -- checking and applying ------------------------------------------------------------------------


@functools.cache
@functools.cache
def _named(kind: type[StrEnum]) -> dict[str, Any]:
    """Each value of a coded kind by its key and its label, as `_norm` writes them (the first
    one wins)."""
    found: dict[str, Any] = {}
    for value in kind:
        found.setdefault(_norm(value.value), value)
        found.setdefault(_norm(label(value.value)), value)
    return found


def _one_of(kind: type[StrEnum], text: str, what: str) -> Any:
    found = _named(kind).get(_norm(text))
    if found is not None:
        return found
    known = ", ".join(v.value for v in kind)
    raise ValidationError(f"{what} {text!r} is unknown; use one of: {known}.")


def _status(text: str) -> ParticipantStatus:
    return cast(ParticipantStatus, _one_of(ParticipantStatus, text, "Status"))


def _voice(text: str) -> Voice:
    """Whose words a note is: parent (the default), together or keyworker (or their labels:
    "in their words", "agreed together", "keyworker's note")."""
    return cast(Voice, _one_of(Voice, text, "Whose words"))


def _catalogue_key(catalogue: Catalogue, list_name: str, text: str, what: str) -> str:
    found = catalogue.find_key(list_name, text)
    if found is None:
        known = ", ".join(e.label for e in getattr(catalogue, list_name))
        # The catalogue's name too: a laptop left with another catalogue than the
        # partnership's (the default) is seen for what it is on the first row.
        raise ValidationError(
            f"{what} {text!r} is not in the catalogue in use here (“{catalogue.name}”); use "
            f"one of: {known}."
        )
    return found


def _required(row: dict[str, str], column: str) -> str:
    value = row.get(_norm(column), "")
    if not value:
        raise ValidationError(f"{column} is empty; it is needed.")
    return value


def _minutes(text: str) -> int:
    try:
        return int(text) if text else 30
    except ValueError:
        raise ValidationError(f"Minutes {text!r} is not a whole number.") from None


class _Cells:
    """A row's cells read one by one, every problem kept: done() raises them all at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def read(self, reader: Callable[..., Any], *args: Any) -> Any:
        """`reader(*args)`, or None with its problem kept."""
        try:
            return reader(*args)
        except ValidationError as exc:
            self.note(exc.message)
            return None

    def note(self, problem: str) -> None:
        """A problem of the row found other than by reading a cell (a repeated reference)."""
        self.problems.append(problem)

    def done(self) -> None:
        """ValidationError naming every problem found, in the row's order, a sentence each."""
        if self.problems:
            raise ValidationError(
                " ".join(m if m.endswith((".", "?", "!")) else f"{m}." for m in self.problems)
            )


# A milestone or contact is the same one when parent, type (or kind) and date are.
_Key = tuple[str, str, date]


class _Planner:
    def __init__(self, caseload: Caseload, month_first: bool = False) -> None:
        self.month_first = month_first
        self.caseload = caseload
        self.catalogue = caseload.catalogue
        self.today = caseload.today()
        self.by_ref = {p.ref: p for p in caseload.all_records(Participant) if p.ref}
        self.refs_in_file: dict[str, int] = {}
        self.keys_in_file: Counter[_Key] = Counter()
        self._held: dict[type[Record], dict[_Key, list[Record]]] = {}

    def check(self, record: Record) -> None:
        """Validate a record as the use case writing it would (raises ValidationError)."""
        validate(record, self.catalogue, self.today, self.caseload.codes)

    def day(self, text: str, label: str) -> date:
        """A date from a cell, read the way the whole file writes its dates."""
        return _day(text, label, self.month_first)

    def parent_for(self, ref: str) -> Participant:
        found = self.by_ref.get(ref)
        if found is None:
            raise ValidationError(
                f"No parent has the reference {ref!r} here; import the parents list first."
            )
        return found

    def parents(self, line: int, row: dict[str, str]) -> _Op | None:
        # Every cell is read before any problem is raised: a row with an empty name and a
        # date that does not exist says both, so one correction fixes it.
        cells = _Cells()
        ref = cells.read(_required, row, "ref")
        if ref is not None and ref in self.refs_in_file:
            cells.note(
                f"The reference {ref!r} is also on line {self.refs_in_file[ref]}; each parent "
                "needs their own."
            )
        elif ref is not None:
            self.refs_in_file[ref] = line
        name = cells.read(_required, row, "preferred_name")
        locality = cells.read(
            lambda: _catalogue_key(
                self.catalogue, "localities", _required(row, "locality"), "Locality"
            )
        )
        joined_on = cells.read(lambda: self.day(_required(row, "joined_on"), "joined_on"))
        details: dict[str, Any] = {
            "preferred_name": name,
            "locality": locality,
            "joined_on": joined_on,
        }
        if row.get("fullname"):
            details["full_name"] = row["fullname"]
        if row.get("dateofbirth"):
            details["date_of_birth"] = cells.read(self.day, row["dateofbirth"], "date_of_birth")
        for column in ("keyworker", "referral_source"):
            if row.get(_norm(column)):
                details[column] = row[_norm(column)]
        if row.get("status"):
            details["status"] = cells.read(_status, row["status"])
        cells.done()
        # The words in its cells kept by the one rule for typed words, as the window and the
        # commands keep them (core.typed): compared with what is held as they will be kept.
        details = typed_values(Participant, details)
        existing = self.by_ref.get(ref)
        if existing is None:
            # What enrol_participant makes: the parent, and the first stage from the day they
            # joined.
            parent = Participant(
                ref=ref,
                stage=self.catalogue.stages[0].key,
                **{**details, "preferred_name": details["preferred_name"].strip()},
            )
            check_typed_days(parent, None, self.today)
            self.check(parent)
            first = StageChange(participant_id=parent.id, stage=parent.stage, on=parent.joined_on)
            self.check(first)
            return _Op(line, "create", lambda: self._enrol(ref, details), (parent, first))
        changes = {k: v for k, v in details.items() if getattr(existing, k) != v}
        if not changes:
            return None
        changed = dataclasses.replace(existing, **changes)
        check_typed_days(changed, existing, self.today)
        self.check(changed)
        return _Op(line, "update", lambda: self.caseload.update_participant(existing.id, **changes))

    def _enrol(self, ref: str, details: dict[str, Any]) -> None:
        details = dict(details)
        self.caseload.enrol_participant(
            details.pop("preferred_name"),
            details.pop("locality"),
            details.pop("joined_on"),
            ref=ref,
            **details,
        )

    def milestones(self, line: int, row: dict[str, str]) -> _Op | None:
        cells = _Cells()
        parent = cells.read(lambda: self.parent_for(_required(row, "ref")))
        kind = cells.read(
            lambda: _catalogue_key(
                self.catalogue, "milestone_types", _required(row, "milestone"), "Milestone"
            )
        )
        on = cells.read(lambda: self.day(_required(row, "achieved_on"), "achieved_on"))
        voice = Voice.PARENT
        if row.get(_norm("whose_words")):
            voice = cells.read(_voice, row[_norm("whose_words")])
        cells.done()
        note = typed_values(Milestone, {"note": row.get("note", "")})["note"]
        milestone = Milestone(
            participant_id=parent.id, type=kind, achieved_on=on, note=note, voice=voice
        )
        self.check(milestone)
        op = self._create_once(
            line,
            Milestone,
            lambda m: (m.participant_id, m.type, m.achieved_on),
            (parent.id, kind, on),
            # With its job from that day when it is "started work", as the window and the
            # milestone command record it: no parent counted in work with no job.
            lambda: self.caseload.record_milestone(
                parent.id, kind, achieved_on=on, note=note, voice=voice, with_job=True
            ),
            milestone,
            given={"note": "note", "voice": _norm("whose_words")},
            row=row,
        )
        if op is not None:  # its days, as record_milestone checks them
            check_typed_days(milestone, None, self.today, parent.joined_on)
            if op.action == "create" and kind in self.catalogue.job_entry_types:
                # Written together with it, as record_milestone(with_job=True) does one by one.
                job = Job(participant_id=parent.id, milestone_id=milestone.id, started_on=on)
                op.records = (*op.records, job)
        return op

    def contacts(self, line: int, row: dict[str, str]) -> _Op | None:
        cells = _Cells()
        parent = cells.read(lambda: self.parent_for(_required(row, "ref")))
        kind = cells.read(
            lambda: _catalogue_key(self.catalogue, "contact_kinds", _required(row, "kind"), "Kind")
        )
        on = cells.read(lambda: self.day(_required(row, "on"), "on"))
        minutes = cells.read(_minutes, row.get("minutes", ""))
        cells.done()
        note = typed_values(Contact, {"note": row.get("note", "")})["note"]
        contact = Contact(participant_id=parent.id, on=on, kind=kind, minutes=minutes, note=note)
        self.check(contact)
        op = self._create_once(
            line,
            Contact,
            lambda c: (c.participant_id, c.kind, c.on),
            (parent.id, kind, on),
            lambda: self.caseload.log_contact(parent.id, kind, on=on, minutes=minutes, note=note),
            contact,
            repeatable=True,
            given={"minutes": "minutes", "note": "note"},
            row=row,
        )
        if op is not None:  # its days, as log_contact checks them
            check_typed_days(contact, None, self.today, parent.joined_on)
        return op

    def _create_once(
        self,
        line: int,
        cls: type[Record],
        key_of: Callable[[Any], _Key],
        key: _Key,
        apply: Callable[[], Any],
        record: Record,
        *,
        repeatable: bool = False,
        given: dict[str, str],
        row: dict[str, str],
    ) -> _Op | None:
        """A create, unless the same record is held already or comes earlier in the file (so
        importing a file twice changes nothing). What is held is read once, when first needed.

        `repeatable` records (contacts: two calls on one day are two contacts) are counted: the
        n-th row with a key is new only if fewer than n such records are held.

        A row of the one record held with its key, corrected in the file (a note, the minutes,
        whose words: the fields `given` by their column), corrects it, as the window does: a
        cell left empty, or a column the file does not have, changes nothing.
        """
        held = self._held.get(cls)
        if held is None:
            held = self._held[cls] = {}
            for r in self.caseload.all_records(cls):
                held.setdefault(key_of(r), []).append(r)
        self.keys_in_file[key] += 1
        same = held.get(key, [])
        if len(same) == 1 and self.keys_in_file[key] == 1:
            return self._correct(line, same[0], record, given, row)
        if repeatable:
            if self.keys_in_file[key] <= len(same):
                return None
        elif same or self.keys_in_file[key] > 1:
            return None
        return _Op(line, "create", apply, (record,))

    def _correct(
        self, line: int, held: Record, record: Record, given: dict[str, str], row: dict[str, str]
    ) -> _Op | None:
        """An update of `held` to what the file's row says in its filled-in `given` cells, or
        None when it says the same (already here)."""
        changes = {
            name: getattr(record, name)
            for name, column in given.items()
            if row.get(column, "").strip() and getattr(record, name) != getattr(held, name)
        }
        if not changes:
            return None
        self.check(dataclasses.replace(held, **changes))
        kind, record_id = held.KIND, held.id
        return _Op(line, "update", lambda: self.caseload.update_record(kind, record_id, **changes))


def import_file(
    caseload: Caseload, path: Path, *, dry_run: bool = False, one_by_one: bool = False
) -> ImportReport:
    """Check every row of a spreadsheet and, unless a dry run or any row is bad, import it all.

    Raises ImportRefused when the file as a whole cannot be read; bad rows are in the report.
    The rows are written in one transaction, the new records together; `one_by_one` writes each
    row through its use case instead (slower; the reference the bulk write is tested against).
    """
    # Thousands of rows, records and events, and no reference cycles among them: a collection
    # pass over every live object each few hundred of them was a tenth of the import's time.
    with paused_gc():
        return _import_file(caseload, Path(path), dry_run=dry_run, one_by_one=one_by_one)


def _import_file(
    caseload: Caseload, path: Path, *, dry_run: bool, one_by_one: bool
) -> ImportReport:
    notes: list[str] = []
    sheets, digest = read_sheets(path, notes)
    report = ImportReport(file=path, sha256=digest, notes=notes)
    if not any(sheet.rows for sheet in sheets):
        raise ImportRefused(f"{path.name} is empty; the first row must name the columns.")
    sheet, at, kind, columns, extra = _find_headings(sheets, path.name)
    heading_line = sheet.rows[at][0]
    if len(sheets) > 1 or heading_line != 1:
        where = (
            f"sheet '{sheet.name}', line {heading_line}"
            if len(sheets) > 1
            else f"line {heading_line}"
        )
        notes.append(
            f"The column headings are on {where}; "
            + ("rows above them were not imported." if at else "that sheet was imported.")
        )
    if extra:
        notes.append(f"Columns not imported (JourneyApp does not use them): {', '.join(extra)}.")
    report.kind = kind.name
    data: list[tuple[int, dict[str, str]]] = []
    for line, cells in sheet.rows[at + 1 :]:
        report.rows += 1
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            report.problems.append(
                RowProblem(
                    line, "has more cells than there are columns; move them or add a heading."
                )
            )
            continue
        headings = sheet.rows[at][1]
        blank = [
            headings[c]
            for (n, c) in sheet.formulas
            if n == line and c < len(columns) and columns[c]
        ]
        if blank:
            report.problems.append(
                RowProblem(
                    line,
                    f"the {', '.join(blank)} cell holds a formula with no saved value; open the "
                    "file in Excel or LibreOffice, let it calculate, save it and import again.",
                )
            )
            continue
        data.append(
            (line, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c})
        )
    month_first, order = _date_order(data, path.name)
    if order:
        notes.append(order)
    planner = _Planner(caseload, month_first)
    check = getattr(planner, kind.name)
    ops: list[_Op] = []
    for line, row in data:
        try:
            op = check(line, row)
        except ValidationError as exc:
            report.problems.append(RowProblem(line, exc.message))
            continue
        if op is None:
            report.unchanged += 1
        else:
            ops.append(op)
            if op.action == "create":
                report.to_create += 1
            else:
                report.to_update += 1
    if report.problems or dry_run:
        return report
    if not ops:
        report.applied = True
        return report
    current = 0
    description = "import a spreadsheet"
    try:
        with caseload.batch(description):
            # In the file's order: each run of new records together (one insert per kind, their
            # journey-log events and search entries in one go: Caseload.add_records), each
            # update through its use case. (Every row was checked above as its use case checks
            # it; were a run refused after all, the report names its first row.)
            run: list[Record] = []
            for op in [*ops, None]:
                if op is not None and op.records and not one_by_one:
                    if not run:
                        current = op.line
                    run.extend(op.records)
                    continue
                if run:
                    caseload.add_records(run, description, checked=True)
                    run = []
                if op is not None:
                    current = op.line
                    op.apply()
            caseload.exchange.record_audit(
                "imports",
                {
                    # What came in, never the file's name (a name can say whose data it is).
                    "source": "a spreadsheet",
                    "sha256": digest,
                    "kind": kind.name,
                    "new": report.to_create,
                    "updated": report.to_update,
                },
            )
    except ValidationError as exc:
        report.problems.append(RowProblem(current, exc.message))
        return report
    report.applied = True
    return report
