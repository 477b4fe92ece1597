"""Exports for coordinators: every table plus the journey log as CSV, JSON Lines or one XLSX.

Every record type is exported, with the columns its registry (FIELDS in core.records) decides.
Pseudonymised by default (core.pseudonymise): no names, contact details, exact ages (age bands
instead) or free text (dropped, or coded to a catalogue key), and participant ids replaced by a
keyed pseudonym (HMAC-SHA256 with the partnership's key), so exports from two laptops line up but
cannot be turned back into ids without the key. Spreadsheet cells that a spreadsheet would run as
a formula are neutralised (reliability-anchors §4.1).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import IO, Any

from journeyapp import __version__, paths
from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.file_names import not_a_file
from journeyapp.core.file_trouble import Trouble, advice, os_error_of, storage_error
from journeyapp.core.private_files import (
    create_private,
    in_progress,
    private_dir,
    private_file,
    private_tree,
    temporary_files_beside,
)
from journeyapp.core.pseudonymise import Outgoing, event_fields_to_drop
from journeyapp.core.records import (
    AUDIT_EVENTS,
    EVENT_COLUMNS,
    RECORD_TYPES,
    Participant,
    Record,
    belongs_to_a_parent,
    field_specs,
    period_field,
)
from journeyapp.core.text import defuse

FORMATS = ("csv", "jsonl", "xlsx")
# Every record type, in the registry's order: nothing is left out because a list was not updated.
TABLES: tuple[type[Record], ...] = RECORD_TYPES
JOURNAL = "journey_log"
# The journey log's columns, with the parent's column named for what it holds in an export.
JOURNAL_COLUMNS = tuple("participant" if c == "participant_id" else c for c in EVENT_COLUMNS)
# A leading = + - @ (or TAB, CR, NUL) makes a spreadsheet treat a cell as a formula: CWE-1236.
# Every place core.text.defuse puts a ' is named, so a reader knows which are not the words'.
NEUTRALISATION = (
    "a ' is put before = + - @ at the start of a cell (after any spaces or line breaks) or "
    "after a ; , | or TAB in it (where a spreadsheet may split a cell), and before a TAB CR "
    "or NUL that starts a cell; nothing else is changed"
)
XLSX_MAX_CELL = 32_767
XLSX_MAX_ROWS = 1_048_576
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

Progress = Callable[[int, int], None]


class ExportError(JourneyError):
    """An export that cannot be written; nothing was left half-written."""


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def neutralise(text: str) -> str:
    """The cell text a spreadsheet will show as text, never run as a formula (in any locale:
    see core.text.defuse)."""
    return defuse(text)


class Pseudonyms:
    """Stable keyed pseudonyms for participant ids: HMAC-SHA256(partnership key, id)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[str, str] = {}

    def __call__(self, participant_id: str | None) -> str | None:
        if participant_id is None:
            return None
        found = self._cache.get(participant_id)
        if found is None:
            digest = hmac.new(self._key, participant_id.encode(), hashlib.sha256).hexdigest()
            found = self._cache[participant_id] = "P-" + digest[:20]
        return found

    @property
    def fingerprint(self) -> str:
        """A short check that two exports used the same key (reveals nothing about the key)."""
        return hashlib.sha256(b"journeyapp-key-check" + self._key).hexdigest()[:12]


KEY_FILE_MOST = 64 * 1024  # bytes: a key file holds one line of hex


def read_key_file(path: Path) -> bytes:
    """The partnership's pseudonym key from the file the coordinator shares (hex text)."""
    what = not_a_file(path)
    if what is not None:  # a folder, or a pipe or device that would never end or wait
        raise ValidationError(
            f"{path} is {what}, not a JourneyApp key file; choose the key file the "
            "coordinator gave you."
        )
    try:
        # At most a little more than a key file holds: anything bigger (a device, a big file
        # named by mistake) is not one, and is not read until memory runs out.
        with Path(path).open("rb") as handle:
            raw = handle.read(KEY_FILE_MOST + 1)
        if len(raw) > KEY_FILE_MOST:
            raise ValueError("too big for a key file")
        key = bytes.fromhex(raw.decode("ascii").strip())
        if not key:
            raise ValueError("an empty key file")
    except OSError as exc:
        raise ValidationError(f"Cannot read the key file {path}: {exc.strerror}.") from None
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(
            f"{path} {_what_it_holds(raw)}, not a JourneyApp key file (one line of letters "
            "and digits); ask the coordinator for the key file again."
        ) from None
    if len(key) < 16:
        raise ValidationError(f"{path} holds too short a key; ask the coordinator for it again.")
    return key


def _what_it_holds(raw: bytes) -> str:
    """What a file that is no key file is, from its first bytes ("is empty", "is a caseload
    or a backup"), to say with the refusal."""
    if not raw.strip():
        return "is empty"
    if raw.startswith(b"SQLite format 3\0"):
        return "is a caseload or a backup"
    if len(raw) > KEY_FILE_MOST:
        return "is far too big to be a key"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "is not text (a bundle, a picture or a document, perhaps)"
    return "holds words or other text"


def refuse_existing_key_file(path: Path) -> None:
    """A key file is never written over: refused before anything is made or opened."""
    if path.exists():
        raise ValidationError(f"{path} already exists; choose a new file name.")


def write_key_file(key: bytes | Callable[[], bytes], path: Path) -> None:
    """Write the pseudonym key for sharing with the partnership's other laptops. `key` may be
    how to get it (a caseload makes its key the first time it is asked): asked only once the
    file is known not to be there, so a refusal makes no key."""
    refuse_existing_key_file(path)
    if callable(key):
        key = key()
    # The key links pseudonyms to ids: readable by this user only, from the first byte.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
    except OSError as exc:
        raise storage_error(exc, path, "save the partnership key") from None


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how."""

    format: str = "csv"
    since: date | None = None
    until: date | None = None
    locality: str | None = None
    keyworker: str | None = None
    identifiable: bool = False
    key: bytes | None = None
    tables: tuple[str, ...] | None = None  # None: every table and the journey log


@dataclass
class ExportResult:
    """What an export wrote."""

    out: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    neutralised: int = 0
    cleaned: int = 0
    truncated: int = 0
    pseudonymised: bool = True

    def summary(self) -> str:
        """One plain sentence."""
        kind = "a pseudonymised" if self.pseudonymised else "an IDENTIFIABLE"
        text = (
            f"Wrote {kind} export to {self.out}: {sum(self.rows.values()):,} rows in "
            f"{len(self.rows)} tables"
        )
        if self.neutralised:
            text += f"; {self.neutralised:,} formula-like cells neutralised"
        if self.cleaned:
            text += f"; control characters removed from {self.cleaned:,} cells"
        if self.truncated:
            text += (
                f"; {self.truncated:,} cells longer than a spreadsheet cell allows were cut "
                "(the CSV export keeps them whole)"
            )
        return text + "."


@dataclass
class _Table:
    name: str
    columns: list[str]
    rows: Iterable[Sequence[Any]]
    count: int
    # Writes the table as finished CSV lines instead (handle, scratch file name, progress).
    write_lines: Callable[[IO[bytes], Path, Callable[[int], None]], int] | None = None


class _Builder:
    """Turns records into export rows, pseudonymised unless asked otherwise."""

    def __init__(self, caseload: Caseload, options: ExportOptions) -> None:
        self.caseload = caseload
        self.options = options
        self.today = caseload.today()
        key = options.key if options.key is not None else caseload.exchange.pseudonym_key()
        self.pseudonyms = Pseudonyms(key)
        self.selected: set[str] | None = None
        self._participants: list[Participant] | None = None
        if options.locality or options.keyworker:
            self.selected = {
                p.id
                for p in self.participants
                if (not options.locality or p.locality == options.locality)
                and (not options.keyworker or p.keyworker == options.keyworker)
            }
        # The parents the export is about: those selected who had joined by the end of the
        # period. A record of anyone else (a child, a goal or an answer has no day of its own
        # to leave it out by) is left out with them.
        self.in_scope: set[str] | None = self.selected
        if options.until is not None:
            self.in_scope = {
                p.id
                for p in self.participants
                if (self.selected is None or p.id in self.selected)
                and self._in_range(Participant, p)
            }

    @property
    def participants(self) -> list[Participant]:
        """Every parent, read when first needed (a journey-log-only export never needs them)."""
        if self._participants is None:
            self._participants = self.caseload.all_records(Participant)
        return self._participants

    def pid(self, participant_id: str | None) -> str | None:
        if self.options.identifiable:
            return participant_id
        return self.pseudonyms(participant_id)

    def _in_range(self, cls: type[Record], record: Record) -> bool:
        since, until = self.options.since, self.options.until
        if isinstance(record, Participant):
            # Everyone who had joined by the end of the period.
            return until is None or record.joined_on <= until
        name = period_field(cls)
        if name is None:
            return True
        value = getattr(record, name)
        if value is None:
            return since is None and until is None
        return (since is None or value >= since) and (until is None or value <= until)

    def _owned(self, record: Record) -> bool:
        if self.in_scope is None:
            return True
        if isinstance(record, Participant):
            return self.selected is None or record.id in self.selected
        if not belongs_to_a_parent(type(record)):
            return True  # group sessions belong to no one parent
        owner = getattr(record, "participant_id", None)
        if owner is None:
            # Feedback about the programme, no one parent: in unless parents were chosen.
            return self.selected is None
        return owner in self.in_scope

    def table(self, cls: type[Record]) -> _Table:
        outgoing = Outgoing(
            cls,
            identifiable=self.options.identifiable,
            catalogue=self.caseload.catalogue,
            today=self.today,
            pseudonym=self.pseudonyms,
        )
        options = self.options
        if self.selected is None and options.since is None and options.until is None:
            # Every record: streamed from the caseload as it is written, a batch at a time
            # (read whole, the tables of 10,000 parents held about 400 MiB at once).
            count = self.caseload.record_count(cls)
            return _Table(
                cls.KIND,
                outgoing.columns,
                map(outgoing.row, self.caseload.iter_records(cls)),
                count,
            )
        records = self.participants if cls is Participant else self.caseload.all_records(cls)
        records = [r for r in records if self._owned(r) and self._in_range(cls, r)]
        return _Table(cls.KIND, outgoing.columns, map(outgoing.row, records), len(records))

    def journal(self) -> _Table:
        since = self.options.since.isoformat() if self.options.since else None
        until = (self.options.until + timedelta(days=1)).isoformat() if self.options.until else None
        selected = sorted(self.selected) if self.selected is not None else None
        count = self.caseload.exchange.journal_count(
            since=since, until=until, participant_ids=selected
        )
        neutral = self.options.format != "jsonl"
        query: dict[str, Any] = {
            "since": since,
            "until": until,
            "participant_ids": selected,
            "neutralise": neutral,
        }
        if not self.options.identifiable:
            kinds = [(cls.KIND, field_specs(cls)) for cls in TABLES]
            omit: dict[str, Sequence[str]] = event_fields_to_drop([*kinds, *AUDIT_EVENTS.items()])
            query.update(
                omit=omit,
                omit_everywhere=("participant_id",),
                only_known=True,  # a kind the registry does not know may hold anything
                pseudonym=self.pseudonyms,
            )
        # SQLite pseudonymises and neutralises these rows itself (a million stay fast).
        if self.options.format == "csv":
            caseload = self.caseload

            def write(handle: IO[bytes], scratch: Path, progress: Callable[[int], None]) -> int:
                return caseload.exchange.write_journal_csv(
                    handle, scratch=scratch, progress=progress, **query
                )

            return _Table(JOURNAL, list(JOURNAL_COLUMNS), (), count, write_lines=write)
        batches = self.caseload.exchange.journal_rows(**query)
        return _Table(JOURNAL, list(JOURNAL_COLUMNS), (r for b in batches for r in b), count)


def export(
    caseload: Caseload,
    out: Path,
    options: ExportOptions,
    *,
    progress: Progress | None = None,
) -> ExportResult:
    """Write an export: a folder of files (csv, jsonl) or one workbook (xlsx).

    An identifiable export is noted in the journey log before anything is written.
    """
    if options.format not in FORMATS:
        raise ValidationError(
            f"Export format {options.format!r} is unknown; use csv, jsonl or xlsx."
        )
    if options.since and options.until and options.since > options.until:
        raise ValidationError("The --from date is after the --to date; swap them.")
    wanted = set(options.tables) if options.tables is not None else None
    unknown = (wanted or set()) - {cls.KIND for cls in TABLES} - {JOURNAL}
    if unknown:
        raise ValidationError(f"There is no table called {', '.join(sorted(unknown))} to export.")
    out = Path(out)
    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise ExportError(f"{out} already exists; choose a new name so nothing is overwritten.")
    if options.format == "xlsx" and out.is_dir():
        # Said now, before the journey log notes an export or the pseudonym key is made.
        raise ExportError(advice(Trouble.IS_FOLDER, out, "write the export"))
    if options.identifiable:
        caseload.exchange.record_identifiable_export(
            {
                # What happened, never the file's name (a name can say whose data it is).
                "format": options.format,
                "what": "every table" if options.tables is None else ",".join(options.tables),
                "from_date": options.since.isoformat() if options.since else None,
                "to_date": options.until.isoformat() if options.until else None,
                "locality": options.locality,
                "keyworker": options.keyworker,
            }
        )
    # From the first count to the last line, each page is read about once: a small page cache.
    with caseload.exchange.reading_once():
        return _write_export(caseload, out, options, wanted, progress)


def _write_export(
    caseload: Caseload,
    out: Path,
    options: ExportOptions,
    wanted: set[str] | None,
    progress: Progress | None,
) -> ExportResult:
    builder = _Builder(caseload, options)
    tables = [builder.table(cls) for cls in TABLES if wanted is None or cls.KIND in wanted]
    if wanted is None or JOURNAL in wanted:
        tables.append(builder.journal())
    total = sum(t.count for t in tables)
    result = ExportResult(out=out, pseudonymised=not options.identifiable)
    manifest = {
        "made_by": f"JourneyApp {__version__}",
        "made_at": caseload.clock().astimezone(UTC).isoformat(timespec="seconds"),
        "pseudonymised": not options.identifiable,
        "pseudonym_key_check": None if options.identifiable else builder.pseudonyms.fingerprint,
        "from": options.since.isoformat() if options.since else None,
        "to": options.until.isoformat() if options.until else None,
        "locality": options.locality,
        "keyworker": options.keyworker,
        "dates": "ISO 8601 (YYYY-MM-DD)",
        "left_out": None
        if options.identifiable
        else (
            "names, contact details, references and people's words (notes, reasons, venues); "
            "who a referral went to, providers, who does a step and group activities are shown "
            "as the partnership's catalogue key ('other' when they name none); dates of birth "
            "and children's birth years as age bands"
        ),
        "formula_cells": NEUTRALISATION if options.format != "jsonl" else "left as they are",
    }
    counter = _Counter(total, progress)
    with paused_gc():
        if options.format == "xlsx":
            _write_xlsx(out, tables, manifest, result, counter)
        else:
            _write_folder(out, tables, manifest, result, counter, options.format)
    return result


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.done, self.progress = total, 0, progress
        self._next = 0

    def add(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and self.done >= self._next:
            self.progress(self.done, self.total)
            self._next = self.done + max(1, self.total // 200)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _write_folder(
    out: Path,
    tables: list[_Table],
    manifest: dict[str, Any],
    result: ExportResult,
    counter: _Counter,
    fmt: str,
) -> None:
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with _writing(out), in_progress(partial, paths.in_progress_register()):
        _write_folder_files(partial, out, tables, manifest, result, counter, fmt)
    counter.finish()


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """A file that cannot be written (no such folder, no permission, a full disk) is named as
    the export the person chose, not as the half-written copy beside it, which is gone."""
    try:
        yield
    except Exception as exc:
        trouble = os_error_of(exc)
        if trouble is None:
            raise
        raise storage_error(
            trouble, out, "write the export", after="Nothing was exported."
        ) from None


def _write_folder_files(
    partial: Path,
    out: Path,
    tables: list[_Table],
    manifest: dict[str, Any],
    result: ExportResult,
    counter: _Counter,
    fmt: str,
) -> None:
    partial.parent.mkdir(parents=True, exist_ok=True)
    private_dir(partial, parents=False)  # 0700: only this account can read the export
    try:
        for table in tables:
            path = partial / f"{table.name}.{fmt}"
            if fmt == "csv" and table.write_lines is not None:
                # A large buffer: hundreds of MB in 1 MB writes rather than 8 KB ones.
                with path.open("wb", buffering=1 << 20) as binary:
                    n = _write_csv_lines(binary, table, partial, counter)
            elif fmt == "csv":
                # The BOM by hand, then plain UTF-8 (which Python encodes on its fast path).
                with path.open("w", encoding="utf-8", newline="") as handle:
                    handle.write("\ufeff")
                    n = _write_csv(handle, table, result, counter)
            else:
                with path.open("w", encoding="utf-8", newline="\n") as handle:
                    n = _write_jsonl(handle, table, counter)
            result.rows[table.name] = n
            result.files.append(out / path.name)
        manifest["rows"] = result.rows
        (partial / "about-this-export.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        result.files.append(out / "about-this-export.json")
        private_tree(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        out.rmdir()  # checked empty above
    os.replace(partial, out)


def _write_csv(handle: IO[str], table: _Table, result: ExportResult, counter: _Counter) -> int:
    # Every cell quoted: a delimiter inside a text never splits it, whatever the locale.
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
    writer.writerow(table.columns)
    n = 0
    neutralised = 0
    for row in table.rows:
        cells = []
        for value in row:
            if value is None:
                cells.append("")
            elif type(value) is str:
                safe = defuse(value)
                if safe is not value:
                    neutralised += 1
                    value = safe
                cells.append(value)
            elif type(value) is bool:
                cells.append("yes" if value else "no")
            else:
                cells.append(value)
        writer.writerow(cells)
        n += 1
        if n % 1000 == 0:
            counter.add(1000)
    counter.add(n % 1000)
    result.neutralised += neutralised
    return n


def _write_csv_lines(handle: IO[bytes], table: _Table, folder: Path, counter: _Counter) -> int:
    """Write a table that makes its own CSV lines as UTF-8 bytes (the journey log)."""
    assert table.write_lines is not None
    header = io.StringIO()
    csv.writer(header).writerow(table.columns)
    handle.write(b"\xef\xbb\xbf" + header.getvalue().encode("utf-8"))
    return table.write_lines(handle, folder / f".{table.name}.part", counter.add)


def _write_jsonl(handle: IO[str], table: _Table, counter: _Counter) -> int:
    columns = table.columns
    n = 0
    for row in table.rows:
        item = dict(zip(columns, row, strict=True))
        if table.name == JOURNAL:
            item["fields"] = json.loads(item["fields"])
        handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        n += 1
        if n % 1000 == 0:
            counter.add(1000)
    counter.add(n % 1000)
    return n


def _xlsx_cell(value: Any, result: ExportResult) -> Any:
    if type(value) is bool:
        return "yes" if value else "no"
    if type(value) is not str:
        return value
    text = neutralise(value)
    if text is not value:
        result.neutralised += 1
        value = text
    if _ILLEGAL.search(value):
        result.cleaned += 1
        value = _ILLEGAL.sub("", value)
    if len(value) > XLSX_MAX_CELL:
        result.truncated += 1
        value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def _new_sheet(workbook: Any, title: str, columns: list[str]) -> Any:
    """A write-only sheet with its heading row frozen and columns wide enough to read."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for n, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = _column_width(name)
    sheet.append(columns)
    return sheet


def _column_width(name: str) -> int:
    """A column's width in characters: wide for people's words and the log's fields."""
    return max(40 if name in ("fields", "words", "said") else 12, len(name) + 2)


# A row's height per line of text, in points (the default row's), and the most a row may be.
_LINE_HEIGHT = 15
_TALLEST_ROW = 409


def _lines(text: str, width: int) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide."""
    return sum(max(1, -(-len(line) // max(1, width - 1))) for line in text.split("\n"))


def _write_xlsx(
    out: Path,
    tables: list[_Table],
    manifest: dict[str, Any],
    result: ExportResult,
    counter: _Counter,
) -> None:
    # Each sheet is written to a temporary file first: beside the export, not in /tmp.
    from openpyxl import Workbook

    with _writing(out), temporary_files_beside(out, paths.in_progress_register()):
        workbook = Workbook(write_only=True)
        try:
            _fill_and_save_xlsx(workbook, out, tables, manifest, result, counter)
        except BaseException:
            _let_go_of_sheets(workbook)
            raise
    result.files.append(out)
    counter.finish()


def _let_go_of_sheets(workbook: Any) -> None:
    """Close each sheet's half-written stream now, its error unheard: left to the garbage
    collector, a stream stopped by a full disk tries to write again and prints a traceback
    ("Exception ignored in ...") under the message that says the disk is full."""
    for sheet in workbook.worksheets:
        for stream in (getattr(sheet, "_rows", None), getattr(sheet._writer, "xf", None)):
            if stream is not None:
                with suppress(Exception):
                    stream.close()


def _fill_and_save_xlsx(
    workbook: Any,
    out: Path,
    tables: list[_Table],
    manifest: dict[str, Any],
    result: ExportResult,
    counter: _Counter,
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    wrapped = Alignment(wrap_text=True, vertical="top")
    about = workbook.create_sheet("about")
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 70
    for name, value in manifest.items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v:,}" for k, v in value.items())
        about.append([name, _xlsx_cell(str(value) if value is not None else "", result)])
    for table in tables:
        sheet = _new_sheet(workbook, table.name, table.columns)
        n = 0
        in_sheet = 1
        part = 1
        widths = [_column_width(name) for name in table.columns]
        for row in table.rows:
            if in_sheet >= XLSX_MAX_ROWS:
                part += 1
                sheet = _new_sheet(workbook, f"{table.name}_{part}", table.columns)
                in_sheet = 1
            cells = []
            lines = 1
            for column, value in enumerate(row):
                value = _xlsx_cell(value, result)
                if type(value) is str and _ISO_DAY.match(value):
                    # A date as a real date (a number the spreadsheet formats), not text.
                    cell = WriteOnlyCell(sheet, date.fromisoformat(value))
                    cell.number_format = "yyyy-mm-dd"
                    cells.append(cell)
                elif type(value) is str and ("'" in value or "\n" in value):
                    cell = WriteOnlyCell(sheet, value)
                    if "'" in value:
                        # A neutralised cell: also force the text type explicitly. Forcing
                        # every cell costs about a third more time (benchmarks/bench_exchange.py)
                        # and changes nothing: openpyxl only makes formulas of text starting
                        # with "=", which neutralisation has already prefixed.
                        cell.data_type = "s"
                    if "\n" in value:
                        # Words over several lines: wrapped, in a row tall enough for them all
                        # (spreadsheets keep a row one line high when it is opened, so the
                        # lines ran over the rows below, or only the first showed).
                        cell.alignment = wrapped
                        lines = max(lines, _lines(value, widths[column]))
                    cells.append(cell)
                else:
                    cells.append(value)
            if lines > 1:
                height = min(_TALLEST_ROW, lines * _LINE_HEIGHT)
                sheet.row_dimensions[in_sheet + 1].height = height
            sheet.append(cells)
            n += 1
            in_sheet += 1
            if n % 1000 == 0:
                counter.add(1000)
        counter.add(n % 1000)
        result.rows[table.name] = n
    partial = out.with_name(out.name + ".partial")
    with in_progress(partial, paths.in_progress_register()):
        try:
            if not partial.exists():
                create_private(partial)
            workbook.save(partial)
            private_file(partial)
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
