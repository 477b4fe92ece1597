"""Importing the partnership's postcode lookup (postcode -> SIMD quintile, urban/rural class).

Any CSV or XLSX with a postcode column and a quintile column will do (the Scottish Government's
SIMD postcode lookup, or the partnership's extract of it); an urban/rural column is optional.
The headings are looked for in the first rows of every sheet, as for spreadsheet imports. Every
row is checked; a file with any bad row changes nothing and each bad row is named by its line.
A good file replaces the lookup held, whole. Postcodes are compared upper case with one space
before the last three characters, however the file writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.core.areas import URBAN_RURAL_SCHEMES, Area, normalise_postcode
from journeyapp.exchange.spreadsheet import (
    HEADER_ROWS,
    ImportRefused,
    RowProblem,
    Sheet,
    read_sheets,
)

# Scotland has about 230,000 postcodes (live and retired): a whole lookup fits under these.
MAX_ROWS = 400_000
MAX_BYTES = 64 * 1024 * 1024
_SHOWN_PROBLEMS = 20
_SCHEME_IN_HEADING = re.compile(r"(?:urbanrural|^ur)(2|3|6|8)|(2|3|6|8)fold")


def _norm(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass
class LookupReport:
    """What a lookup import found and did."""

    file: Path
    rows: int = 0
    areas: list[Area] = field(default_factory=list)
    scheme: int | None = None
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False
    sha256: str = ""

    @property
    def ok(self) -> bool:
        """True when every row can be imported."""
        return not self.problems

    def problem_lines(self) -> list[str]:
        """The first problems, one a line, and how many more there are."""
        lines = [str(p) for p in self.problems[:_SHOWN_PROBLEMS]]
        if len(self.problems) > _SHOWN_PROBLEMS:
            lines.append(f"… and {len(self.problems) - _SHOWN_PROBLEMS:,} more.")
        return lines

    def summary(self) -> str:
        """One plain sentence."""
        if self.problems:
            n = len(self.problems)
            return (
                f"{self.file.name}: {n:,} of {self.rows:,} rows cannot be used, so the postcode "
                f"lookup was not changed. Correct {'it' if n == 1 else 'them'} and import the "
                "file again."
            )
        verb = "Imported" if self.applied else "Ready to import"
        urban = (
            f", urban/rural in {self.scheme} classes" if self.scheme else ", no urban/rural column"
        )
        return (
            f"{verb} the postcode lookup {self.file.name}: {len(self.areas):,} postcodes with "
            f"their SIMD quintile{urban}. It replaces any lookup held before."
        )


@dataclass(frozen=True)
class _Columns:
    postcode: int
    quintile: int
    urban_rural: int | None
    scheme: int | None
    heading_line: int
    at: int  # index of the heading row in the sheet's rows


def _pick(names: list[str], raw: Sequence[str], test: str, prefer: str, what: str) -> int | None:
    found = [i for i, n in enumerate(names) if test in n]
    if len(found) > 1:
        exact = [i for i in found if names[i] == test] or [i for i in found if prefer in names[i]]
        if len(exact) == 1:
            return exact[0]
        listed = ", ".join(raw[i] for i in found)
        raise ImportRefused(
            f"The file has more than one {what} column ({listed}); delete the ones not to use "
            "and import it again."
        )
    return found[0] if found else None


def _columns(sheets: list[Sheet], name: str) -> tuple[Sheet, _Columns]:
    """The sheet and heading row naming a postcode and a quintile column."""
    for sheet in sheets:
        for at, (line, cells) in enumerate(sheet.rows[:HEADER_ROWS]):
            names = [_norm(c) for c in cells]
            postcode = _pick(names, cells, "postcode", "postcode", "postcode")
            quintile = _pick(names, cells, "quintile", "simd", "quintile")
            if postcode is None or quintile is None:
                continue
            urban = [
                i
                for i, n in enumerate(names)
                if "urbanrural" in n or re.match(r"^ur(2|3|6|8)", n) or n in ("ur", "urclass")
            ]
            if len(urban) > 1:
                listed = ", ".join(cells[i] for i in urban)
                raise ImportRefused(
                    f"{name} has more than one urban/rural column ({listed}); delete the ones "
                    "not to use and import it again."
                )
            scheme = None
            if urban:
                match = _SCHEME_IN_HEADING.search(names[urban[0]])
                if match:
                    scheme = int(match.group(1) or match.group(2))
            return sheet, _Columns(
                postcode, quintile, urban[0] if urban else None, scheme, line, at
            )
    raise ImportRefused(
        f"{name} is not a postcode lookup: one of its first {HEADER_ROWS} rows must name a "
        "postcode column and a SIMD quintile column (for example 'Postcode' and "
        "'SIMD2020v2_Quintile'); add those headings and import it again."
    )


def _cell(cells: Sequence[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def read_lookup(path: Path) -> LookupReport:
    """Read and check a lookup file; nothing is saved. Raises ImportRefused when the file as a
    whole cannot be used; bad rows are in the report's problems."""
    path = Path(path)
    notes: list[str] = []
    # One reading of a workbook (not two to find formulas): an empty quintile says what to do.
    sheets, digest = read_sheets(
        path, notes, max_rows=MAX_ROWS, max_bytes=MAX_BYTES, formulas=False
    )
    if not any(sheet.rows for sheet in sheets):
        raise ImportRefused(f"{path.name} is empty; it needs a postcode and a quintile column.")
    sheet, cols = _columns(sheets, path.name)
    report = LookupReport(file=path, sha256=digest, notes=notes)
    if len(sheets) > 1 or cols.heading_line != 1:
        where = f"sheet '{sheet.name}', line" if len(sheets) > 1 else "line"
        notes.append(f"The column headings are on {where} {cols.heading_line}.")
    seen: dict[str, tuple[int, int, int | None]] = {}
    urban_values: list[tuple[int, int]] = []  # (line, class) to check against the scheme
    repeated = 0
    for line, cells in sheet.rows[cols.at + 1 :]:
        report.rows += 1

        text = _cell(cells, cols.postcode)
        postcode = normalise_postcode(text)
        if postcode is None:
            report.problems.append(
                RowProblem(
                    line,
                    f"{text!r} is not a postcode (like EH11 1AB); correct it or delete the row."
                    if text
                    else "the postcode is empty; fill it in or delete the row.",
                )
            )
            continue
        quintile_text = _cell(cells, cols.quintile)
        if quintile_text not in ("1", "2", "3", "4", "5"):
            report.problems.append(
                RowProblem(
                    line,
                    f"the SIMD quintile for {postcode} is {quintile_text!r}; it must be a whole "
                    "number from 1 (most deprived) to 5 (least deprived)."
                    + (
                        " (A formula with no saved value reads as empty: open the file in "
                        "Excel or LibreOffice, save it and import it again.)"
                        if not quintile_text
                        else ""
                    ),
                )
            )
            continue
        urban_text = _cell(cells, cols.urban_rural)
        urban: int | None = None
        if urban_text:
            if not urban_text.isdecimal() or not 1 <= int(urban_text) <= 8:
                report.problems.append(
                    RowProblem(
                        line,
                        f"the urban/rural class for {postcode} is {urban_text!r}; it must be "
                        "the class number (1 to 6 in the 6-fold classification, 1 to 8 in the "
                        "8-fold), or empty.",
                    )
                )
                continue
            urban = int(urban_text)
            urban_values.append((line, urban))
        value = (line, int(quintile_text), urban)
        earlier = seen.get(postcode)
        if earlier is not None:
            if earlier[1:] != value[1:]:
                report.problems.append(
                    RowProblem(
                        line,
                        f"{postcode} is also on line {earlier[0]} with another quintile or "
                        "class; keep the right one.",
                    )
                )
            else:
                repeated += 1
            continue
        seen[postcode] = value
    if not report.rows:
        raise ImportRefused(f"{path.name} has headings but no postcodes below them.")
    scheme = cols.scheme
    if cols.urban_rural is not None and scheme is None and urban_values:
        scheme = 8 if max(v for _, v in urban_values) > 6 else 6
        notes.append(
            f"The urban/rural column does not say its classification; read as the {scheme}-fold "
            "one. Name the column UR6 or UR8 to say which."
        )
    if scheme is not None:
        for line, number in urban_values:
            if number > len(URBAN_RURAL_SCHEMES[scheme]):
                report.problems.append(
                    RowProblem(
                        line,
                        f"urban/rural class {number} is not in the {scheme}-fold classification "
                        f"(1 to {scheme}); correct it or rename the column.",
                    )
                )
    report.problems.sort(key=lambda p: p.line)
    if repeated:
        notes.append(f"{repeated:,} rows repeat a postcode with the same values; used once.")
    report.scheme = scheme if cols.urban_rural is not None else None
    report.areas = [Area(pc, q, u) for pc, (_line, q, u) in seen.items()]
    return report


def import_lookup(
    caseload: Caseload,
    path: Path,
    *,
    dry_run: bool = False,
    checked: LookupReport | None = None,
) -> LookupReport:
    """Check a lookup file and, unless a dry run or any row is bad, make it the lookup held.
    `checked`: the same file's dry run, used as it is while the file has not changed since."""
    report = checked if checked is not None and _unchanged(checked) else read_lookup(path)
    if report.problems or dry_run:
        return report
    caseload.areas.replace(report.areas, scheme=report.scheme, sha256=report.sha256)
    report.applied = True
    return report


def _unchanged(report: LookupReport) -> bool:
    """True when the file still holds what was checked (its SHA-256 is the same)."""
    try:
        return hashlib.sha256(report.file.read_bytes()).hexdigest() == report.sha256
    except OSError:
        return False
