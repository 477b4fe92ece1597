"""The programme report: reach, journeys, milestones, distance travelled, without exposing anyone.

Published figures (text, csv, json, pdf) withhold counts from 1 to 4, and a few others so that
none can be worked out (exchange.disclosure), so nobody can be picked out of a small group. Each
average, median and share says how many parents it rests on ("1.6 points, 92 parents"); those
numbers of parents are counts too, withheld by the same rules (across localities as well), and a
figure resting on a withheld number is withheld with it. A share who improved is withheld when
the parents who improved, or those who did not, are withheld. Pauses are reported as the
parents' own choice to take a break.

Reports for different periods are read together too (each quarter's beside the year's): the
counts they share are withheld once for every calendar quarter, calendar and financial year
and all dates together, and each report with them as they are there (_beside_standard_periods).
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from itertools import compress, repeat
from operator import itemgetter, lt, sub
from pathlib import Path
from typing import Any, NamedTuple, cast

from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.catalogue import Catalogue, unlisted
from journeyapp.core.enums import Decision, ParticipantStatus, ReferralOutcome, label
from journeyapp.core.text import defuse
from journeyapp.exchange.disclosure import Cell, Relation, released, withhold

THRESHOLD = 5
FEWER = "withheld"
SUPPRESSION_NOTE = (
    f"Counts from 1 to 4 are shown as '{FEWER}', and so are a few larger ones, so that no small "
    "count can be worked out from totals or other rows: nobody can be picked out. Averages and "
    "shares say how many parents they rest on, and none rests on 1 to 4."
)
# What a report made with every count exact (--exact) says of itself, wherever it has words.
NOTHING_YET = "Nothing recorded yet."  # a list with no rows, in every format that shows one
EXACT_USE = "for your own use only; do not publish or share."
EXACT_NOTE = f"EXACT small counts: {EXACT_USE}"
# Sections where every parent reached is in exactly one row: their rows add up to the total.
PARTITIONS = (
    "by_locality",
    "by_keyworker",
    "by_month_joined",
    "by_status",
    "by_stage",
    "by_pipeline_stage",
)
FORMATS = ("text", "json", "csv", "xlsx", "pdf")
# In the title of a report of a demo caseload, as the window's title says it.
DEMO = "DEMO (fictional people) — "
# The widest a report workbook's column is made, in characters (a keyworker's long name, say).
_XLSX_WIDEST = 60


@dataclass(frozen=True)
class Row:
    """One line of a report section: a label, a count (or figure) and the share it is of a whole."""

    key: str
    label: str
    value: float | None
    share: float | None = None  # 0..1, for bars
    is_count: bool = True
    unit: str = ""
    basis: int | None = None  # how many parents a figure rests on (a count: withheld 1 to 4)
    withheld: bool = False  # a count or figure withheld from published figures (see _protect)
    basis_withheld: bool = False  # the number of parents behind a figure is withheld


@dataclass(frozen=True)
class Section:
    """A titled group of rows; `chart` marks those worth a bar chart."""

    key: str
    title: str
    rows: tuple[Row, ...]
    chart: bool = True
    note: str = ""


RowKey = tuple[str, str]  # (section key, row key); ("reach", "participants") is the total
ON_CASELOAD: RowKey = ("on_caseload", "parents")  # never published: see _own_sums


@dataclass
class ProgrammeReport:
    """Every figure of the programme report, exact; rendering decides what to suppress."""

    title: str
    period: str
    participants: int
    sections: list[Section] = field(default_factory=list)
    filters: dict[str, str | None] = field(default_factory=dict)
    open_decisions: int = 0  # merged edits still waiting for a decision: figures may change
    total_withheld: bool = False
    checked_note: str = ""  # for a period of its own choosing: OTHER_PERIODS_NOTE

    def suppression_note(self) -> str:
        """How small counts were treated, in plain words (and, for a period of its own
        choosing, beside which other reports it was checked)."""
        return f"{SUPPRESSION_NOTE} {self.checked_note}".strip()

    def section(self, key: str) -> Section:
        """One section by key."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    # -- rendering --------------------------------------------------------------------------------

    def shown(self, row: Row, suppress: bool = True) -> str:
        """A row's value as text, with small counts suppressed; a figure that is not a count
        says how many parents it rests on ("1.6 points, 92 parents")."""
        n = parents_behind(row, suppress)
        after = "" if n is None else f", {n:,} {'parent' if n == 1 else 'parents'}"
        if row.value is None:
            return "no data yet" + after
        if suppress and _small(row):
            return FEWER + after
        if row.is_count:
            text = f"{int(row.value):,}"
            if (
                row.share is not None
                and self.participants
                and row.key.startswith("pct:")
                and not (suppress and self._total_hidden())
            ):
                text += f" ({row.share * 100:.0f}%)"
            return text
        return f"{row.value:,.1f}{row.unit}" + after

    def total_text(self, suppress: bool = True) -> str:
        """How many parents were reached, as shown (1 to 4 suppressed)."""
        if suppress and self._total_hidden():
            return FEWER
        return f"{self.participants:,}"

    def _total_hidden(self) -> bool:
        return self.total_withheld or 0 < self.participants < THRESHOLD

    def decisions_text(self, where: str = "journeyapp decisions") -> str:
        """A line saying how many merged edits wait for a decision (figures may change), and
        `where` they are settled (the window names its own menu)."""
        n = self.open_decisions
        edits = "1 merged edit waits" if n == 1 else f"{n:,} merged edits wait"
        return f"{edits} for a decision ({where}); figures may change once settled."

    def to_json_data(self, suppress: bool = True) -> dict[str, Any]:
        """The report as plain data (json keys: participants, by_locality, milestones, ...)."""

        def count(row: Row) -> int | float | None:
            if row.value is None or (suppress and _small(row)):
                return None
            return int(row.value) if row.is_count else round(row.value, 2)

        data: dict[str, Any] = {
            "title": self.title,
            "period": self.period,
            "filters": self.filters,
            "suppressed_below": THRESHOLD if suppress else None,
            "participants": (None if suppress and self._total_hidden() else self.participants),
            "open_decisions": self.open_decisions,
            # How small counts were treated (and, for a period of its own choosing, beside
            # which reports it was checked), in the words the text and the printed report use.
            "note": self.suppression_note() if suppress else EXACT_NOTE,
        }
        for section in self.sections:
            if section.key == "milestones":
                data["milestones"] = {
                    row.key.removeprefix("pct:"): {
                        "label": row.label,
                        "participants": count(row),
                        "percent": (
                            None
                            if count(row) is None
                            or not self.participants
                            or (suppress and self._total_hidden())
                            else round(100 * (row.value or 0) / self.participants, 1)
                        ),
                    }
                    for row in section.rows
                }
            else:
                data[section.key] = {row.key: count(row) for row in section.rows}
        # How many parents each average, median and share rests on (None where withheld).
        data["parents_behind"] = {
            section.key: {row.key: parents_behind(row, suppress) for row in section.rows}
            for section in self.sections
            if any(not row.is_count for row in section.rows)
        }
        # The typical times again, unrounded, under the key earlier reports used.
        medians = next((s.rows for s in self.sections if s.key == "median_days"), ())
        data["medians_days"] = {
            row.key: (None if row.value is None or (suppress and _small(row)) else row.value)
            for row in medians
        }
        return data

    def to_json(self, suppress: bool = True) -> str:
        """JSON text."""
        return json.dumps(self.to_json_data(suppress), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, suppress: bool = True) -> str:
        """Plain text for a terminal or an email."""
        lines = [self.title, self.period, ""]
        lines.append(f"Parents reached: {self.total_text(suppress)}")
        if self.open_decisions:
            lines.append(self.decisions_text())
        for section in self.sections:
            lines += ["", section.title]
            if section.note:
                lines.append(f"  ({section.note})")
            width = max((len(r.label) for r in section.rows), default=0)
            for row in section.rows:
                lines.append(f"  {row.label.ljust(width)}  {self.shown(row, suppress)}")
            if not section.rows:  # as the PDF and the window say it, not a bare title
                lines.append(f"  {NOTHING_YET}")
        lines += ["", self.suppression_note() if suppress else EXACT_NOTE]
        return "\n".join(lines) + "\n"

    # The report's table as data: one line per figure, numbers as numbers (issue 16).
    TABLE_COLUMNS = (
        "section",
        "item",
        "label",
        "count",
        "percent",
        "value",
        "unit",
        "parents",
        "withheld",
    )

    def to_rows(self, suppress: bool = True) -> list[list[Any]]:
        """The report as rows of TABLE_COLUMNS: a count and its percent in their own columns,
        each average with the number of parents it rests on; withheld figures left empty."""
        total_hidden = suppress and self._total_hidden()
        rows: list[list[Any]] = [
            [
                "reach",
                "participants",
                "Parents reached",
                None if total_hidden else self.participants,
                None,
                None,
                "",
                None,
                "yes" if total_hidden else "",
            ]
        ]
        for section in self.sections:
            for row in section.rows:
                hidden = suppress and _small(row)
                count = percent = value = None
                if row.value is not None and not hidden:
                    if row.is_count:
                        count = int(row.value)
                        if row.share is not None and not total_hidden:
                            percent = round(100 * row.share, 1)
                    else:
                        value = round(row.value, 2)
                rows.append(
                    [
                        section.key,
                        row.key.removeprefix("pct:"),
                        row.label,
                        count,
                        percent,
                        value,
                        row.unit.strip(),
                        parents_behind(row, suppress),
                        "yes" if hidden else "",
                    ]
                )
        return rows

    def to_csv(self, suppress: bool = True) -> str:
        """The report's table (TABLE_COLUMNS) as CSV: every cell quoted, numbers as numbers; its
        first rows (section "report") give the title, the period and how small counts were treated
        (or, with exact counts, so)."""
        import csv  # only for this format (about 0.1% of a text report's work to load)

        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
        writer.writerow(self.TABLE_COLUMNS)
        # What the figures are, as the other formats say above them: the partnership, the
        # period (and locality), and whether small counts are exact (rows of the table's shape,
        # so the headings stay the first line).
        about = [("title", self.title), ("period", self.period)]
        about.append(("exact", EXACT_NOTE) if not suppress else ("note", self.suppression_note()))
        blank = [""] * (len(self.TABLE_COLUMNS) - 3)
        for item, words in about:
            writer.writerow(["report", item, _safe(words), *blank])
        for row in self.to_rows(suppress):
            writer.writerow(
                [_safe(c) if isinstance(c, str) else ("" if c is None else c) for c in row]
            )
        return buffer.getvalue()

    def write_xlsx(self, out: Path, suppress: bool = True) -> None:
        """The report's table as a workbook: numbers as numbers, text never run as a formula."""
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        book = Workbook()
        sheet = book.active
        sheet.title = "report"
        sheet.append([self.title])
        # The period, and how small counts were treated (the text's last line) or that they are
        # exact, on the line under the title (wrapped across the table's width, below).
        about = f"{self.period}. {self.suppression_note() if suppress else EXACT_NOTE}"
        sheet.append([about])
        sheet.append(list(self.TABLE_COLUMNS))
        sheet.freeze_panes = "A4"  # the headings stay in sight below the title
        widest = [len(name) for name in self.TABLE_COLUMNS]
        for row in self.to_rows(suppress):
            sheet.append(row)
            for n, cell in enumerate(sheet[sheet.max_row]):
                if isinstance(cell.value, str):
                    cell.value = _safe(cell.value)
                    cell.data_type = "s"
                widest[n] = max(widest[n], len(str(cell.value or "")))
        # Columns wide enough for their labels and figures (the title runs on across them).
        for n, wide in enumerate(widest, start=1):
            sheet.column_dimensions[get_column_letter(n)].width = min(_XLSX_WIDEST, wide + 2)
        # The line under the title wraps within the table's width: left to run on, its few
        # hundred characters made a printed page shrink the whole table to fit them.
        across = sum(min(_XLSX_WIDEST, wide + 2) for wide in widest)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(widest))
        sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[2].height = 15 * (1 + len(about) * 11 // (10 * across))
        # Printed as a table: every column on one page across (landscape A4, made smaller to
        # fit), the headings on every page and in bold. Left to the defaults, the labels and
        # the figures came out on different pages.
        for cell in (*sheet[1], *sheet[3]):
            cell.font = Font(bold=True)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "3:3"
        write_report_file(out, _workbook_bytes(book))

    def pdf_footnote(self, suppress: bool = True) -> str:
        """The printed report's footnote: no names, and how small counts were treated."""
        if suppress:
            return f"No names are shown. {self.suppression_note()}"
        return EXACT_NOTE

    def pdf_sections(
        self, suppress: bool = True
    ) -> list[tuple[str, list[tuple[str, str, float | None]], str]]:
        """Plain (title, [(label, value text, bar share)], note) sections for the printed
        report and the window; the note (a sentence, or "") goes under the title, not in it (a
        long one made a heading of four lines, and the window's report wider than itself)."""
        reach: list[tuple[str, str, float | None]] = [
            ("Parents reached", self.total_text(suppress), None)
        ]
        if self.open_decisions:
            reach.append(("Merged edits waiting for a decision", f"{self.open_decisions:,}", None))
        result: list[tuple[str, list[tuple[str, str, float | None]], str]] = [("Reach", reach, "")]
        for section in self.sections:
            rows = [
                (
                    row.label,
                    self.shown(row, suppress),
                    None
                    if not section.chart or (suppress and _small(row)) or row.share is None
                    else row.share,
                )
                for row in section.rows
            ]
            note = f"{section.note[:1].upper()}{section.note[1:]}." if section.note else ""
            result.append((section.title, rows, note))
        return result


def _safe(text: str) -> str:
    """Text a spreadsheet shows as text in any locale (see core.text.defuse)."""
    return defuse(text)


def _small(row: Row) -> bool:
    """Whether a row's figure is withheld from published figures."""
    if row.is_count:
        return row.withheld or (row.value is not None and 0 < row.value < THRESHOLD)
    return row.withheld or _basis_hidden(row) or any(0 < n < THRESHOLD for n in _parts(row))


def _basis_hidden(row: Row) -> bool:
    return row.basis_withheld or (row.basis is not None and 0 < row.basis < THRESHOLD)


def parents_behind(row: Row, suppress: bool = True) -> int | None:
    """How many parents a figure that is not a count rests on, as published: None for a count,
    a figure with no such number, or one withheld (1 to 4, or so that none can be worked out);
    0 is shown as 0."""
    if row.is_count or row.basis is None or (suppress and _basis_hidden(row)):
        return None
    return row.basis


def _parts(row: Row) -> tuple[int, ...]:
    """The counts a share who improved is made of: the parents who improved and who did not
    (the share is improved / basis, so both follow from a published share and its basis)."""
    if row.unit != "%" or row.share is None or row.basis is None:
        return ()
    improved = round(row.share * row.basis)
    return (improved, row.basis - improved)


# statistics.median and statistics.fmean, as they work them out (the module and its C part
# cost about 10 ms to load on every report, for two lines each).
def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    half = len(ordered) // 2
    return float(ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2)


def _fmean(values: list[int]) -> float:
    return math.fsum(values) / len(values)


def nobody_yet(
    report: ProgrammeReport, since: date | None, until: date | None, locality: str | None
) -> str:
    """What to do first when a report of every date and locality counts nobody (a new
    caseload: every count 0, every list empty); "" otherwise (0 in a period is an answer)."""
    if report.participants or since is not None or until is not None or locality:
        return ""
    return (
        "No parents in this caseload yet, so every count is 0. A coordinator's report counts "
        "the parents merged from the keyworkers' laptops: merge their bundles first "
        "(Partnership > Merge a journey log…, or journeyapp merge --db coordinator.db "
        "aileen.jlb ben.jlb). A keyworker's counts the parents enrolled on their laptop."
    )


def refuse_period_to_come(since: date | None, today: date, what: str = "The period") -> None:
    """ValidationError for a period a person asked for that starts after today: none of it
    has happened, so a report of it would count nobody as if nobody had come (or count breaks
    still going as reaching parents in it: 26 of them in a report "from 2099-01-01 to
    today"). The report, the window's report and the funder's return ask it first."""
    if since is not None and since > today:
        from journeyapp.core.dates import long_date
        from journeyapp.core.errors import ValidationError

        raise ValidationError(
            f"{what} starts on {long_date(since)}, after today ({long_date(today)}): none "
            "of it has happened yet, so there is nothing to count. Choose a period that starts "
            "today or earlier. Nothing was done."
        )


def build_report(
    caseload: Caseload,
    *,
    since: date | None = None,
    until: date | None = None,
    locality: str | None = None,
) -> ProgrammeReport:
    """The programme report for the period (and locality, if given), with the counts to withhold
    from published figures marked: worked out across the whole partnership's report and every
    locality's for the same period, since a coordinator can publish all of them."""
    return build_report_set(caseload, since=since, until=until)[locality]


def build_report_set(
    caseload: Caseload, *, since: date | None = None, until: date | None = None
) -> dict[str | None, ProgrammeReport]:
    """The whole partnership's report (key None) and each locality's, for one period, with
    withheld counts marked consistently across them all."""
    return protected_report_set(caseload, since=since, until=until)[0]


def protected_report_set(
    caseload: Caseload, *, since: date | None = None, until: date | None = None
) -> tuple[dict[str | None, ProgrammeReport], Disclosure]:
    """build_report_set's reports, and the counts and sums their withholding worked over (for
    a document published beside them: the funder's return, exchange.returns)."""
    # Tens of thousands of small rows and no reference cycles: the collector would only walk
    # them (and every module's objects) again and again (core.bulk).
    with paused_gc():
        period = _Period(caseload, since, until)
        reports: dict[str | None, ProgrammeReport] = {}
        disclosure = _protected_set(
            caseload,
            lambda place: _build(period, locality=place),
            reports,
            since,
            until,
            period.shared_months,
        )
        return reports, disclosure


def _report_set(
    caseload: Caseload,
    build: Callable[[str | None], ProgrammeReport],
    since: date | None = None,
    until: date | None = None,
) -> dict[str | None, ProgrammeReport]:
    """The whole report and each locality's, from `build(locality)`, protected together."""
    reports: dict[str | None, ProgrammeReport] = {}
    _protected_set(caseload, build, reports, since, until)
    return reports


def _protected_set(
    caseload: Caseload,
    build: Callable[[str | None], ProgrammeReport],
    reports: dict[str | None, ProgrammeReport],
    since: date | None,
    until: date | None,
    months: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None,
) -> Disclosure:
    """Fill `reports` with the whole report and each locality's, protected together and
    beside the reports for the standard periods (_beside_standard_periods; `months`: the
    caseload's report_months, when read already)."""
    whole = build(None)
    places = list(caseload.catalogue.keys("localities"))
    places += [r.key for r in whole.section("by_locality").rows if r.key not in places]
    # And any other a parent is recorded in (one the catalogue no longer lists, with nobody
    # reached in the period): the report can be asked for any locality parents are in.
    places += [k for k in caseload.localities() if k not in places]
    reports[None] = whole
    for place in places:
        reports[place] = build(place)
    settled = _beside_standard_periods(caseload, since, until, months)
    if not is_standard_period(since, until):
        for report in reports.values():
            report.checked_note = OTHER_PERIODS_NOTE
    return _protect(reports, caseload.catalogue, settled)


class _Parent(NamedTuple):
    """What the report uses of a parent."""

    id: str
    locality: str
    keyworker: str | None
    joined_on: date
    month: str  # the month they joined, "2026-04"
    status: ParticipantStatus | None
    stage: str
    added: str  # the day they were recorded, as ISO text


class _Group(NamedTuple):
    """What a report adds up over its parents one by one, worked out once per locality (the
    whole partnership's report puts its localities' together: every parent reached is in
    exactly one). Each figure made of them is a count, a sum of whole numbers, an exact sum
    (math.fsum) or a median, so the order the parents come in does not change it."""

    to_first: list[int]  # days from joining to a first milestone, per parent with one
    to_work: list[int]  # days from joining to starting work, per parent who started
    contacts: list[int]  # contacts in the period, per parent (0 for none)
    minutes: int  # minutes together in the period, all of them
    paused: int  # parents who chose a break that touches the period
    ongoing: int  # of them, on a break that has not ended
    returned: int  # of them, back from a break and not on another
    started: int  # parents who joined in the period
    left: Counter[ParticipantStatus]  # moves on and closures in the period


_STATUSES = frozenset(str(s) for s in ParticipantStatus)
_LEFT = frozenset((ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED))
# Said under "Starts and moves on in the period" when a parent was added already moved on or
# closed, so the section and "Where journeys stand" can be read together.
ADDED_LEFT_NOTE = (
    "a parent added already moved on or closed, by an import for example, has no date for the "
    "move: it counts here in a period that takes in both the day they joined and the day they "
    "were added"
)
_BITS = 60  # milestone types reached, as bits of one number per 60 types (store.figures)
_NOT_COUNTED = object()  # a parent no report of the period counts (not reached in it)


def _total(counters: Iterable[Counter[Any]]) -> Counter[Any]:
    whole: Counter[Any] = Counter()
    for counter in counters:
        whole.update(counter)
    return whole


class _Days:
    """ISO dates read once each (a caseload has a few hundred distinct days, and many rows)."""

    def __init__(self) -> None:
        self.dates: dict[str, date] = {}  # what each text read so far is
        self.months: dict[str, str] = {}

    def __call__(self, text: str) -> date:
        found = self.dates.get(text)
        if found is None:
            found = self.dates[text] = date.fromisoformat(text)
        return found

    def month(self, text: str) -> str:
        """The month of a date, as date.strftime("%Y-%m") writes it."""
        found = self.months.get(text)
        if found is None:
            found = self.months[text] = self(text).strftime("%Y-%m")
        return found


def _json_or_empty(texts: list[str | None]) -> str:
    """Stored JSON texts joined with commas, an empty object for a missing one (store.records
    reads NULL as {})."""
    if None in texts:  # rare: only then look at each text
        return ",".join("{}" if t is None else t for t in texts)
    return ",".join(cast(list[str], texts))


class _ParentCounts:
    """A report's parents counted by locality, keyworker, month joined, status and stage at the
    period's end, and its keyworkers' active caseloads (a break is still on the caseload)."""

    def __init__(self) -> None:
        self.locality: Counter[str] = Counter()
        self.keyworker: Counter[str] = Counter()
        self.month: Counter[str] = Counter()
        self.status: Counter[str] = Counter()
        self.stage: Counter[str] = Counter()
        self.active: Counter[str] = Counter()

    @classmethod
    def of(
        cls,
        parents: list[_Parent],
        status_at: Mapping[str, ParticipantStatus | None],
        stage_at: Mapping[str, str],
    ) -> _ParentCounts:
        """One locality's parents (by_place) counted, each count made in C over them all
        (issue 18)."""
        counts = cls()
        ids = list(map(itemgetter(0), parents))
        keyworkers = [k or "" for k in map(itemgetter(2), parents)]
        statuses = list(map(status_at.__getitem__, ids))
        if parents:  # a locality's parents (by_place), all in that one
            counts.locality[parents[0].locality] = len(parents)
        counts.keyworker.update(keyworkers)
        counts.month.update(map(itemgetter(4), parents))
        for status, n in Counter(statuses).items():  # each status written once
            counts.status[str(status)] += n
        counts.stage.update(map(stage_at.__getitem__, ids))
        counts.active.update(compress(keyworkers, map(_ON_CASELOAD.__contains__, statuses)))
        return counts

    @classmethod
    def of_all(cls, parts: Iterable[_ParentCounts]) -> _ParentCounts:
        """Several groups of parents' counts added up (each parent in one group)."""
        parts = list(parts)
        whole = cls()
        for name in ("locality", "keyworker", "month", "status", "stage", "active"):
            setattr(whole, name, _total(getattr(part, name) for part in parts))
        return whole


_ON_CASELOAD = frozenset((ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED))


class _Tally:
    """What a report adds up from records other than the parents': one per locality, and the
    whole partnership's from them all (every parent is in exactly one locality)."""

    def __init__(self) -> None:
        self.milestones: Counter[str] = Counter()  # type -> parents who reached one
        self.chosen: Counter[str] = Counter()
        self.declined: Counter[str] = Counter()
        self.referrals: Counter[str] = Counter()
        self.changes: dict[str, list[int]] = defaultdict(list)  # area -> each parent's change
        self.improved: Counter[str] = Counter()  # area -> parents whose change is above 0

    @classmethod
    def of(cls, tallies: Iterable[_Tally]) -> _Tally:
        tallies = list(tallies)
        whole = cls()
        whole.milestones = _total(t.milestones for t in tallies)
        whole.chosen = _total(t.chosen for t in tallies)
        whole.declined = _total(t.declined for t in tallies)
        whole.referrals = _total(t.referrals for t in tallies)
        whole.improved = _total(t.improved for t in tallies)
        for t in tallies:
            for area, changes in t.changes.items():
                whole.changes[area] += changes
        return whole


class _Period:
    """What every report for one period rests on, read once with SQL (store.figures, through
    the caseload) and worked out per parent, so each report only adds up its own parents.

    Dates are compared as the ISO text they are stored as. A parent's facts are the same
    whichever report counts them: a locality's report counts the parents of that locality."""

    def __init__(self, caseload: Caseload, since: date | None, until: date | None) -> None:
        catalogue = self.catalogue = caseload.catalogue
        self.since, self.until = since, until
        self.dated = since is not None or until is not None
        start = since.isoformat() if since else None
        end = until.isoformat() if until else None
        # Nothing dated after today is counted, whatever the period (a day after today has not
        # come: a record from a laptop whose clock was ahead); the report still says the
        # period asked for.
        today = caseload.today()
        happened = self.happened = today if until is None or until > today else until
        last = happened.isoformat()
        facts = caseload.report_facts(since, until, bits=_BITS, happened=happened)
        self._caseload = caseload
        # The months every report shares, when read with the rest (no start, up to today).
        self.shared_months = facts.months
        self._decisions: int | None = None
        self.demo = caseload.is_demo
        members = {m.value: m for m in ParticipantStatus}
        read_day = _Days()
        # Days and months read before, looked up without a call (a few hundred distinct days
        # for thousands of parents and milestones); `read_day` reads the rest.
        days, months = read_day.dates, read_day.months
        parents = []
        # tuple.__new__ makes each _Parent as _Parent(...) does, without a Python call each.
        make = tuple.__new__
        for pid, locality, keyworker, joined_text, status, stage, added in facts.participants:
            joined = days.get(joined_text) or read_day(joined_text)
            parents.append(
                make(
                    _Parent,
                    (
                        pid,
                        locality,
                        keyworker,
                        joined,
                        months.get(joined_text) or read_day.month(joined_text),
                        None
                        if status is None
                        else members.get(status) or ParticipantStatus(status),
                        stage,
                        added or "",
                    ),
                )
            )
        # Contacts in the period (every contact, with no dates): how many, minutes together.
        self.contacts = {pid: (n, minutes or 0) for pid, n, minutes in facts.contacts}
        # Breaks that touch the period (every break, with no dates). A break ending after today
        # is still being taken today ("now"), and at a period's end after today.
        self.paused: set[str] = set()
        self.ongoing: set[str] = set()
        self.ended: set[str] = set()
        self.on_break: set[str] = set()
        # With no end: who ends a break after today, and who is paused only by breaks not
        # started by today (Journey.status_by reads their status by today from these).
        self.ends_later: set[str] = set()
        self.open_started: set[str] = set()
        self.open_later: set[str] = set()
        day_now = today.isoformat()
        for pid, started_on, ended_on in facts.pauses:
            if ended_on is None:
                (self.open_started if started_on <= day_now else self.open_later).add(pid)
            elif ended_on > day_now and started_on <= day_now:
                self.ends_later.add(pid)
            if started_on <= last and (start is None or ended_on is None or ended_on >= start):
                self.paused.add(pid)
                (self.ongoing if ended_on is None or ended_on > day_now else self.ended).add(pid)
                if end is not None and (ended_on is None or ended_on > last):
                    self.on_break.add(pid)  # on a break at the period's end (or today)
        # Reached in the period: joined, was contacted, reached a milestone or took a break in it.
        if self.dated:
            active = set(self.contacts) | self.paused
            active.update(pid for pid, reached, *_ in facts.milestones if reached)
            active.update(p.id for p in parents if _in(p.joined_on, since, until))
            parents = [p for p in parents if p.id in active]
        # The parents each report counts: the whole partnership's, and each locality's.
        self.counted = parents
        self.by_place: dict[str, list[_Parent]] = defaultdict(list)
        for p in parents:
            self.by_place[p.locality].append(p)
        place_of: dict[str, Any] = {p.id: p.locality for p in parents}
        joined_on = {p.id: p.joined_on for p in parents}
        tallies: dict[Any, _Tally] = defaultdict(_Tally)
        # Milestones: the types each parent reached in the period (every one, with no dates) as
        # bits, their first ever by the period's end, and their first start in work. Every type
        # held counts, the catalogue's and any other (retired, or from another laptop's).
        types = self.milestone_types = facts.milestone_types
        position: dict[str, int] = {}
        for i, kind in enumerate(types):
            position.setdefault(kind, i)
        kind_at = {i: kind for kind, i in position.items()}
        masks: Counter[tuple[Any, ...]] = Counter()
        self.to_first: dict[str, int] = {}
        self.to_work: dict[str, int] = {}
        rows = facts.milestones
        single = bool(rows) and len(rows[0]) == 5  # one number of bits (60 types or fewer)
        if single:  # as commonly
            # Each locality's parents counted by the types they reached, in C (a parent not
            # counted is counted apart, then dropped).
            masks.update(
                zip(
                    map(place_of.get, map(itemgetter(0), rows), repeat(_NOT_COUNTED)),
                    map(itemgetter(2), rows),
                    strict=True,
                )
            )
            for key in [key for key in masks if key[0] is _NOT_COUNTED]:
                del masks[key]
        else:
            for pid, _reached, *bits, _first, _work in rows:
                if pid in place_of:
                    masks[(place_of[pid], *bits)] += 1
        for pid, first, work in map(itemgetter(0, -2, -1), rows):
            day_joined = joined_on.get(pid)
            if day_joined is None:
                continue
            first_day = days.get(first) or read_day(first)
            self.to_first[pid] = (first_day - day_joined).days  # core.derived.days_between
            if work is not None:
                self.to_work[pid] = ((days.get(work) or read_day(work)) - day_joined).days
        # How many parents reached each type, per locality, added up all at once: each number
        # of bits is spread so that type i's bit stands at bit i * width of a wide integer,
        # and a locality's sum of those (each times its parents) holds every type's count in
        # a field of its own (no count can reach 2 ** width). Only a count above 0 is kept (as
        # adding them one by one did).
        width = len(facts.milestones).bit_length() + 1
        spread_byte = [0] * 256  # each byte's eight bits spread
        for byte in range(1, 256):
            lowest = byte & -byte
            spread_byte[byte] = spread_byte[byte ^ lowest] | 1 << (lowest.bit_length() - 1) * width

        def spread_of(chunk: int, number: int) -> int:
            wide, rest, shift = 0, number, chunk * _BITS * width
            while rest:
                wide |= spread_byte[rest & 255] << shift
                rest >>= 8
                shift += 8 * width
            return wide

        spread: dict[tuple[int, int], int] = {}
        summed: dict[Any, int] = {}
        if single:  # as commonly: one number of bits a parent, no chunks to go over
            for (place, number), n in masks.items():
                wide = spread.get((0, number))
                if wide is None:
                    wide = spread[(0, number)] = spread_of(0, number)
                summed[place] = summed.get(place, 0) + wide * n
        else:
            for (place, *bits), n in masks.items():
                total = summed.get(place, 0)
                for chunk, number in enumerate(bits):
                    wide = spread.get((chunk, number))
                    if wide is None:
                        wide = spread[(chunk, number)] = spread_of(chunk, number)
                    total += wide * n
                summed[place] = total
        field = (1 << width) - 1
        for place, total in summed.items():
            got = tallies[place].milestones
            for i, reached_kind in kind_at.items():
                count = total >> i * width & field
                if count:
                    got[reached_kind] += count
        # Distance travelled: first to latest self-assessment, per outcome area.
        pairs = [
            (place, first_scores, latest_scores)
            for pid, first_scores, latest_scores in facts.scores
            if (place := place_of.get(pid, _NOT_COUNTED)) is not _NOT_COUNTED
        ]
        # Each stored text is one JSON value (the store wrote it): read them all in one go.
        texts: list[str | None] = [
            text for _, first_text, latest_text in pairs for text in (first_text, latest_text)
        ]
        read_scores = json.loads("[" + _json_or_empty(texts) + "]")
        scores = iter(read_scores)
        # Each locality's first and latest scores, then its changes one area at a time, each in
        # one list comprehension (an area with none stays an empty list, as it reads when no
        # one has a change there), and who improved, counted once per locality (the whole
        # partnership's are their sums).
        both: dict[Any, list[tuple[dict[str, int], dict[str, int]]]] = defaultdict(list)
        for (place, _, _), was, now in zip(pairs, scores, scores, strict=True):
            both[place].append((was, now))
        # Every area scored first and latest counts, the catalogue's and any other (one it no
        # longer lists, or another laptop's), as every milestone type held does. Commonly
        # every score is in an area the catalogue lists (looked at in C): no other is held.
        areas = [e.key for e in catalogue.outcome_areas]
        if not all(map(set(areas).issuperset, read_scores)):
            held: set[str] = set()
            for scored in both.values():
                for was, now in scored:
                    held.update(was.keys() & now.keys())
            areas += sorted(held.difference(areas))
        self.outcome_areas = areas
        above_nothing = partial(lt, 0)
        for place, scored in both.items():
            tally = tallies[place]
            firsts = [was for was, _ in scored]
            latests = [now for _, now in scored]
            for a in areas:
                try:  # commonly every parent's first and latest scores have every area: in C
                    changed = list(
                        map(sub, map(itemgetter(a), latests), map(itemgetter(a), firsts))
                    )
                except KeyError:  # some have not: only theirs that have it, one by one
                    changed = [now[a] - was[a] for was, now in scored if a in was and a in now]
                tally.changes[a] += changed
            for a, changed in tally.changes.items():
                tally.improved[a] = len(list(filter(above_nothing, changed)))
        # Choices and referrals, counted per locality in SQLite (every parent's, with no dates).
        chosen, referred = caseload.report_counts(
            since, self.happened, [p.id for p in parents] if self.dated else None
        )
        for place, service, decision, n in chosen:
            tally = tallies[place]
            (tally.chosen if decision == Decision.CHOSEN else tally.declined)[service] += n
        for place, outcome, n in referred:
            tallies[place].referrals[str(outcome)] += n
        self.tallies = dict(tallies)
        self.whole = _Tally.of(self.tallies.values())
        self.stages = dict(facts.stages)
        # Status as at the period's end from the journey log, and moves on and closures in it.
        self.history: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pid, at, value in facts.statuses:
            self.history[pid].append((at[:10], value))
        self.left: dict[str, Counter[ParticipantStatus]] = {}
        low, high = start or "", end or "9999-12-31"
        for pid, known in self.history.items():
            previous = None
            for day, value in known:
                if (
                    value != previous
                    and previous is not None
                    and low <= day <= high
                    and value in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
                ):
                    self.left.setdefault(pid, Counter())[ParticipantStatus(value)] += 1
                previous = value
        # A parent added already moved on or closed (imported, say) has no date for it, only
        # that it came after they joined and by the day they were added: it counts in a period
        # that takes in both days (every period with no dates), and in no other.
        self.added_left: set[str] = set()  # those parents
        history = self.history
        for p in parents:
            recorded = history.get(p.id)
            first = recorded[0][1] if recorded else p.status
            if first not in _LEFT:
                continue
            self.added_left.add(p.id)
            if (since is None or p.joined_on >= since) and p.added <= high:
                self.left.setdefault(p.id, Counter())[ParticipantStatus(first)] += 1
        self._pipeline: dict[str, str] = {}
        self.stage_at, self.status_at = self.as_at(parents)
        self._counts: dict[str, _ParentCounts] = {}
        self._groups: dict[str, _Group] = {}

    def pipeline(self, stage: str) -> str:
        """The employability pipeline stage a journey stage maps to, as text ("" for none)."""
        found = self._pipeline.get(stage)
        if found is None:
            found = self._pipeline[stage] = str(self.catalogue.pipeline_stage(stage) or "")
        return found

    def tally(self, locality: str | None) -> _Tally:
        """The tally of a locality's report, or of the whole partnership's (None)."""
        if locality is None:
            return self.whole
        return self.tallies.get(locality) or _Tally()

    def parent_counts(self, locality: str | None) -> _ParentCounts:
        """The parents of a locality's report (or the whole partnership's, None: its
        localities' added up) counted by locality, keyworker, month joined, status and stage
        at the period's end."""
        if locality is None:
            return _ParentCounts.of_all(self.parent_counts(place) for place in self.by_place)
        found = self._counts.get(locality)
        if found is None:
            parents = self.by_place.get(locality, [])
            found = self._counts[locality] = _ParentCounts.of(
                parents, self.status_at, self.stage_at
            )
        return found

    def group(self, locality: str | None) -> _Group:
        """A locality's report's parents' figures (or the whole partnership's, None: its
        localities' put together)."""
        if locality is not None:
            return self._group(locality)
        groups = [self._group(place) for place in self.by_place]
        to_first: list[int] = []
        to_work: list[int] = []
        contacts: list[int] = []
        for g in groups:
            to_first += g.to_first
            to_work += g.to_work
            contacts += g.contacts
        return _Group(
            to_first,
            to_work,
            contacts,
            sum(g.minutes for g in groups),
            sum(g.paused for g in groups),
            sum(g.ongoing for g in groups),
            sum(g.returned for g in groups),
            sum(g.started for g in groups),
            _total(g.left for g in groups),
        )

    def _group(self, place: str) -> _Group:
        found = self._groups.get(place)
        if found is not None:
            return found
        participants = self.by_place.get(place, [])
        ids = list(map(itemgetter(0), participants))
        to_first, to_work, left = self.to_first, self.to_work, self.left
        together = list(map(self.contacts.get, ids, repeat((0, 0))))
        paused = list(filter(self.paused.__contains__, ids))
        ongoing = set(filter(self.ongoing.__contains__, paused))
        returned = set(filter(self.ended.__contains__, paused)) - ongoing
        since, until = self.since, self.until
        if since is None and until is None:  # everyone joined in a period of all dates
            started = len(participants)
        else:
            started = sum(_in(p.joined_on, since, until) for p in participants)
        found = self._groups[place] = _Group(
            list(map(to_first.__getitem__, filter(to_first.__contains__, ids))),
            list(map(to_work.__getitem__, filter(to_work.__contains__, ids))),
            list(map(itemgetter(0), together)),
            sum(map(itemgetter(1), together)),
            len(paused),
            len(ongoing),
            len(returned),
            started,
            _total(left[pid] for pid in ids if pid in left),
        )
        return found

    def open_decisions(self) -> int:
        if self._decisions is None:
            self._decisions = self._caseload.open_decision_count()
        return self._decisions

    def as_at(
        self, participants: list[_Parent]
    ) -> tuple[dict[str, str], dict[str, ParticipantStatus | None]]:
        """These parents' stage and status at the period's end."""
        until = self.until
        stage_at = {p.id: p.stage for p in participants}
        status_at = {p.id: p.status for p in participants}
        stages = self.stages
        for pid in stages.keys() & stage_at.keys():
            stage_at[pid] = stages[pid]
        if until is None:
            # The status as it stands today (core.records.Journey.status_by): taking a break
            # that ends after today; not yet on one that starts after today.
            going = (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
            for pid in self.ends_later.intersection(status_at):
                if status_at[pid] in going:
                    status_at[pid] = ParticipantStatus.PAUSED
            for pid in self.open_later.difference(self.open_started, self.ends_later):
                if status_at.get(pid) is ParticipantStatus.PAUSED:
                    status_at[pid] = ParticipantStatus.ACTIVE
        if until is not None:
            end = self.happened.isoformat()  # by the period's end, and by today
            for pid, known in self.history.items():
                if pid in status_at:
                    by_then = [value for day, value in known if day <= end]
                    status_at[pid] = ParticipantStatus(by_then[-1] if by_then else known[0][1])
        if until is not None:
            # A break is the parents' choice and lasts from its start to its end, whatever was
            # recorded when: on a break at the period's end means "taking a break".
            for pid, status in status_at.items():
                if pid in self.on_break and status is not ParticipantStatus.CLOSED:
                    status_at[pid] = ParticipantStatus.PAUSED
                elif status is ParticipantStatus.PAUSED:
                    status_at[pid] = ParticipantStatus.ACTIVE
        return stage_at, status_at


# Whose parents a section's figures rest on, where not their own: the parents reached ("reach"),
# or the same parents as another section's figure for the same row.
_SAME_PARENTS = {"contacts": "reach", "improved": "distance_travelled"}


@dataclass(frozen=True)
class Disclosure:
    """What a report set's withholding worked over: every count (numbers of parents behind a
    figure among them) by cell, the sums a reader can use, the figures never published, and
    the cells withheld. Cells: (locality or None, section key, row key)."""

    values: dict[Cell, int]
    relations: list[Relation]
    unpublished: frozenset[Cell]
    hidden: frozenset[Cell]


def _protect(
    reports: dict[str | None, ProgrammeReport],
    catalogue: Catalogue,
    settled: Mapping[Cell, bool] | None = None,
) -> Disclosure:
    """Mark the counts to withhold in a set of reports (see exchange.disclosure); `settled`:
    counts they share with the reports for other periods, withheld (True) or shown as those
    are (_beside_standard_periods)."""
    settled = dict(settled or {})
    values: dict[Cell, int] = {}
    relations: list[Relation] = []

    def total(place: str | None) -> Cell:
        return (place, "reach", "participants")

    for place, report in reports.items():
        values[total(place)] = report.participants
        for section in report.sections:
            for row in section.rows:
                if row.is_count and row.value is not None:
                    values[(place, section.key, row.key)] = int(row.value)
            if section.key in PARTITIONS:
                relations.append(
                    (total(place), [(place, section.key, r.key) for r in section.rows])
                )
    # What each report's rows add up to besides, and the rows a reader takes for one another.
    unpublished: set[Cell] = set()
    for place, report in reports.items():

        def cell(key: RowKey, place: str | None = place) -> Cell:
            return total(place) if key == ("reach", "participants") else (place, *key)

        sums = _own_sums(catalogue, report)
        # The figure never published is worked out by the first sum that has it (the parents
        # active plus those on a break).
        on_caseload = next(
            sum(values.get(cell(k), 0) for k in adding_up)
            for key, adding_up in sums
            if key == ON_CASELOAD
        )
        for key, adding_up in sums:
            if key == ON_CASELOAD and not on_caseload:
                continue  # no one on a caseload: every row it ties is a 0, shown as it is
            relations.append((cell(key), [cell(k) for k in adding_up]))
        if on_caseload:
            unpublished.add(cell(ON_CASELOAD))
            values[cell(ON_CASELOAD)] = on_caseload
        for one, other in _SAME_PARENTS_WHEN_EQUAL:
            if cell(one) in values and values[cell(one)] == values.get(cell(other)):
                relations.append((cell(one), [cell(other)]))
    places = [p for p in reports if p is not None]
    relations.append((total(None), [total(p) for p in places]))
    for section in reports[None].sections:
        for row in section.rows:
            if row.is_count:
                relations.append(
                    ((None, section.key, row.key), [(p, section.key, row.key) for p in places])
                )

    # The number of parents behind each average, median and share is a count as well, and so
    # are the parents who improved and those who did not (a share and its basis give both).
    def behind(place: str | None, section: str, row: Row) -> Cell:
        same = _SAME_PARENTS.get(section, section)
        return total(place) if same == "reach" else (place, f"parents_behind:{same}", row.key)

    def part(place: str | None, section: str, row: Row, i: int) -> Cell:
        return (place, f"{section}:part{i}", row.key)

    summed: set[Cell] = set()
    for place, report in reports.items():
        for section in report.sections:
            for row in section.rows:
                if row.is_count or row.basis is None:
                    continue
                n = behind(place, section.key, row)
                values[n] = row.basis
                parts = _parts(row)
                for i, value in enumerate(parts):
                    values[part(place, section.key, row, i)] = value
                if parts:
                    relations.append(
                        (n, [part(place, section.key, row, i) for i in range(len(parts))])
                    )
                if place is not None:
                    continue
                # The whole partnership's figures are the sums of the localities'.
                if n not in summed and n != total(None):
                    summed.add(n)
                    relations.append((n, [behind(p, section.key, row) for p in places]))
                for i in range(len(parts)):
                    relations.append(
                        (
                            part(None, section.key, row, i),
                            [part(p, section.key, row, i) for p in places],
                        )
                    )
    # A report's number of parents reached is withheld for another count only as a last resort.
    hidden = withhold(
        values,
        relations,
        unpublished,
        last=[total(place) for place in reports],
        settled={c: w for c, w in settled.items() if c in values},
    )
    hidden |= {c for c, withheld in settled.items() if withheld and c in values}
    disclosure = Disclosure(values, relations, frozenset(unpublished), frozenset(hidden))

    def marked(place: str | None, section: str, row: Row) -> Row:
        # A row whose marks stay as they are is kept (rows are frozen: an equal copy is the
        # same row), so only the few rows withheld are made again.
        if row.is_count:
            withheld = (place, section, row.key) in hidden
            if withheld == row.withheld:
                return row
            return dataclasses.replace(row, withheld=withheld)
        if row.basis is None:
            return row
        basis_withheld = behind(place, section, row) in hidden
        parts = range(len(_parts(row)))
        withheld = basis_withheld or any(part(place, section, row, i) in hidden for i in parts)
        if withheld == row.withheld and basis_withheld == row.basis_withheld:
            return row
        return dataclasses.replace(row, withheld=withheld, basis_withheld=basis_withheld)

    for place, report in reports.items():
        report.total_withheld = total(place) in hidden
        report.sections = [
            dataclasses.replace(
                section, rows=tuple(marked(place, section.key, row) for row in section.rows)
            )
            for section in report.sections
        ]
    return disclosure


def _build(period: _Period, *, locality: str | None = None) -> ProgrammeReport:
    """Work out every figure for parents reached in the period (and locality, if given).

    A parent counts as reached when they had joined by the end of the period and joined,
    were contacted, reached a milestone or took a break within it (with no dates: everyone
    enrolled).
    """
    catalogue = period.catalogue
    since, until = period.since, period.until
    participants = period.counted if locality is None else period.by_place.get(locality, [])
    tally = period.tally(locality)
    counts = period.parent_counts(locality)
    group = period.group(locality)
    left = group.left
    total = len(participants)

    def share(n: int, whole: int | None = None) -> float | None:
        whole = total if whole is None else whole
        return n / whole if whole else None

    def counted(
        key: str, title: str, counts: Counter[str], labels: dict[str, str], note: str = ""
    ) -> Section:
        # A key held but not in `labels` (a catalogue's list) is shown too, marked as such.
        keys = list(labels) + sorted(k for k in counts if k not in labels)
        return Section(
            key,
            title,
            tuple(
                Row(k, labels.get(k) or unlisted(k), counts.get(k, 0), share(counts.get(k, 0)))
                for k in keys
            ),
            note=note,
        )

    sections: list[Section] = []
    localities = {e.key: e.label for e in catalogue.localities}
    sections.append(
        counted(
            "by_locality",
            "Parents reached by locality",
            counts.locality,
            localities,
        )
    )
    by_keyworker = counts.keyworker
    sections.append(
        counted(
            "by_keyworker",
            "Parents reached by keyworker",
            by_keyworker,
            {k: k or "not recorded" for k in sorted(by_keyworker)},
        )
    )
    months = counts.month
    sections.append(
        counted(
            "by_month_joined", "Parents by month joined", months, {m: m for m in month_run(months)}
        )
    )
    statuses = counts.status
    sections.append(
        counted(
            "by_status",
            "Where journeys stand",
            statuses,
            {
                str(s): label(str(s))
                if s is not ParticipantStatus.PAUSED
                else "Taking a break (their choice)"
                for s in ParticipantStatus
            },
        )
    )
    stages = {e.key: e.label for e in catalogue.stages}
    sections.append(
        counted(
            "by_stage",
            "Stage at the end of the period" if until else "Current stage",
            counts.stage,
            stages,
        )
    )
    pipeline_labels = {str(e.pipeline): e.label for e in catalogue.pipeline}
    pipeline: Counter[str] = Counter()
    for stage, n in counts.stage.items():
        pipeline[period.pipeline(stage)] += n
    if pipeline[""]:
        # A stage the catalogue does not list (retired, or another laptop's) or maps to no
        # pipeline stage: the parents are at a stage, just not one known here to map.
        pipeline_labels[""] = NOT_MAPPED
    sections.append(
        counted(
            "by_pipeline_stage",
            "Scotland's employability pipeline stage",
            pipeline,
            pipeline_labels,
        )
    )

    reached = tally.milestones
    # The catalogue's types, then any other type reached (retired from the catalogue, or merged
    # from a laptop with another one): every milestone reached is counted.
    kinds = _listed_then_held(catalogue.milestone_types, period.milestone_types, reached)
    sections.append(
        Section(
            "milestones",
            "Milestones reached (parents, share of parents reached)",
            tuple(Row("pct:" + k, text, reached[k], share(reached[k])) for k, text in kinds),
        )
    )
    # Times from joining are to the first milestone ever (by the period's end), not the first
    # one inside the period.
    to_first, to_work = group.to_first, group.to_work
    typical = (
        ("joining_to_first_milestone", "From joining to a first milestone", to_first),
        ("joining_to_work", "From joining to starting work", to_work),
    )
    sections.append(
        Section(
            "median_days",
            "Typical time (median days)",
            tuple(
                Row(key, text, _median(days), is_count=False, unit=" days", basis=len(days))
                for key, text, days in typical
            ),
            chart=False,
        )
    )

    changes = tally.changes
    # The catalogue's areas, then any other scored by this report's parents, as for milestones.
    areas = _listed_then_held(catalogue.outcome_areas, period.outcome_areas, changes)
    sections.append(
        Section(
            "distance_travelled",
            "Distance travelled: mean change, first to latest self-assessment (1-10)",
            tuple(
                Row(
                    a,
                    text,
                    _fmean(changes[a]) if changes[a] else None,
                    is_count=False,
                    basis=len(changes[a]),
                    unit=" points",
                )
                for a, text in areas
            ),
            chart=False,
        )
    )
    improved = tally.improved
    sections.append(
        Section(
            "improved",
            "Share who improved, per outcome area",
            tuple(
                Row(
                    a,
                    text,
                    100 * improved[a] / len(changes[a]) if changes[a] else None,
                    share=(improved[a] / len(changes[a])) if changes[a] else None,
                    is_count=False,
                    basis=len(changes[a]),
                    unit="%",
                )
                for a, text in areas
            ),
        )
    )
    counts_per_parent = group.contacts
    sections.append(
        Section(
            "contacts",
            "Contacts",
            (
                Row("total", "Contacts in all", sum(counts_per_parent)),
                Row(
                    "per_parent_mean",
                    "Contacts per parent (mean)",
                    _fmean(counts_per_parent) if counts_per_parent else None,
                    is_count=False,
                    basis=total,
                ),
                Row(
                    "per_parent_median",
                    "Contacts per parent (median)",
                    _median(counts_per_parent),
                    is_count=False,
                    basis=total,
                ),
                Row(
                    "hours",
                    "Hours together",
                    group.minutes / 60,
                    is_count=False,
                    basis=total,
                    unit=" h",
                ),
            ),
            chart=False,
        )
    )
    # A parent taking a break is still on their keyworker's caseload.
    active_now = counts.active
    sections.append(
        counted(
            "caseload_per_keyworker",
            "Active caseload per keyworker",
            active_now,
            {k: k or "not recorded" for k in sorted(active_now)},
        )
    )
    service_labels = {e.key: e.label for e in catalogue.services}
    chosen, declined, referrals = tally.chosen, tally.declined, tally.referrals
    sections.append(counted("services_chosen", "Services chosen", chosen, service_labels))
    sections.append(
        counted(
            "services_not_for_now",
            "Services parents said were not for them now, or maybe later",
            declined,
            service_labels,
            note="declining is a valid choice",
        )
    )
    sections.append(
        counted(
            "referral_outcomes",
            "Referral outcomes",
            referrals,
            {str(o): label(str(o)) for o in ReferralOutcome},
        )
    )
    sections.append(
        Section(
            "pauses",
            "Breaks parents chose to take",
            (
                Row(
                    "parents_who_chose_a_break",
                    "Parents who chose to take a break",
                    group.paused,
                    share(group.paused),
                ),
                Row(
                    "taking_a_break_now", "Taking a break now", group.ongoing, share(group.ongoing)
                ),
                Row(
                    "picked_up_again",
                    "Picked up again after a break",
                    group.returned,
                    share(group.returned),
                ),
            ),
            note="a break is the parent's own choice",
        )
    )
    # Said where one of the report's parents was added already moved on or closed.
    added_left = period.added_left
    said_added = bool(added_left) and any(p.id in added_left for p in participants)
    started = group.started
    sections.append(
        Section(
            "starts_and_leavers",
            "Starts and moves on in the period",
            (
                Row("started", "Joined the programme", started, share(started)),
                Row(
                    "moved_on",
                    "Moved on",
                    left[ParticipantStatus.MOVED_ON],
                    share(left[ParticipantStatus.MOVED_ON]),
                ),
                Row(
                    "closed",
                    "Journey closed",
                    left[ParticipantStatus.CLOSED],
                    share(left[ParticipantStatus.CLOSED]),
                ),
            ),
            chart=False,
            note=ADDED_LEFT_NOTE if said_added else "",
        )
    )
    period_text = "All dates"
    if since or until:
        period_text = f"From {since.isoformat() if since else 'the start'} to {until.isoformat() if until else 'today'}"
    if locality:
        period_text += f" · {dict(catalogue.choices('localities', [locality]))[locality]}"
    return ProgrammeReport(
        title=f"Programme report — {DEMO if period.demo else ''}{catalogue.name}",
        period=period_text,
        participants=total,
        open_decisions=period.open_decisions(),
        sections=sections,
        filters={
            "from": since.isoformat() if since else None,
            "to": until.isoformat() if until else None,
            "locality": locality,
        },
    )


# Rows of one report that count the same parents whenever their figures are equal: a reader
# who sees one will take the other for it (a break "taking a break now" is the status "taking a
# break"; the period's moves on are the statuses at its end; all dates: everyone reached joined).
_SAME_PARENTS_WHEN_EQUAL: tuple[tuple[RowKey, RowKey], ...] = (
    (("by_status", "paused"), ("pauses", "taking_a_break_now")),
    (("by_status", "moved_on"), ("starts_and_leavers", "moved_on")),
    (("by_status", "closed"), ("starts_and_leavers", "closed")),
    (("reach", "participants"), ("starts_and_leavers", "started")),
)


def _own_sums(catalogue: Catalogue, report: ProgrammeReport) -> list[tuple[RowKey, list[RowKey]]]:
    """What a report's rows add up to besides each partition of the parents reached: each
    employability pipeline stage is the journey stages that map to it; the parents who chose a
    break are those taking one now and those who picked up again; the keyworkers' caseloads
    add up to the parents active and those taking a break (ON_CASELOAD, a figure never shown)."""
    rows = {section.key: section.rows for section in report.sections}
    pipeline: dict[str, list[RowKey]] = {}
    for row in rows["by_stage"]:
        number = str(catalogue.pipeline_stage(row.key) or "")
        pipeline.setdefault(number, []).append(("by_stage", row.key))
    sums = [(("by_pipeline_stage", key), parts) for key, parts in pipeline.items()]
    sums.append(
        (
            ("pauses", "parents_who_chose_a_break"),
            [("pauses", "taking_a_break_now"), ("pauses", "picked_up_again")],
        )
    )
    sums.append((ON_CASELOAD, [("by_status", "active"), ("by_status", "paused")]))
    # Everyone who joined in the period is reached in it: its parents who joined are its
    # months' parents, when it is made of whole months.
    since, until = report.filters.get("from"), report.filters.get("to")
    months = _whole_months(
        date.fromisoformat(since) if since else None, date.fromisoformat(until) if until else None
    )
    if months:
        held = {row.key for row in rows["by_month_joined"]}
        sums.append(
            (
                ("starts_and_leavers", "started"),
                [("by_month_joined", m) for m in months if m in held],
            )
        )
    sums.append(
        (ON_CASELOAD, [("caseload_per_keyworker", r.key) for r in rows["caseload_per_keyworker"]])
    )
    return sums


# -- reports for other periods -----------------------------------------------------------------
#
# A coordinator publishes each quarter's report, the year's (calendar, and financial: April to
# March) and the one over all dates to the same board. Reports for different periods share
# counts: a month's parents who joined are the same in every report whose period takes in the
# whole month (everyone who joined in a period is reached in it), a period's parents who joined
# are its months', and a year's contacts are its quarters' (everyone contacted in a period is
# reached in it). Those shared counts are withheld once for every standard period together,
# from the caseload's figures alone (so a report comes out the same whichever is asked for
# first), and each report set is then withheld with them settled.

_Standard = tuple[date | None, date | None]


def _whole_months(since: date | None, until: date | None) -> list[str] | None:
    """The months ("2026-04") a dated period is made of, when it runs from a 1st to a month's
    last day; None otherwise."""
    if since is None or until is None or since.day != 1 or since > until:
        return None
    if (until + timedelta(days=1)).day != 1:
        return None
    return _months_inside(since, until)


def _months_inside(since: date | None, until: date | None) -> list[str]:
    """The whole months a period takes in (from its first 1st to its last month's end)."""
    if since is None or until is None:
        return []
    first = since if since.day == 1 else (since.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = until + timedelta(days=1)
    end = after.replace(day=1) - timedelta(days=1)  # the last month ending by `until`
    if first > end:
        return []
    return month_run([first.isoformat()[:7], end.isoformat()[:7]])


def _standard_periods(first: str, last: str) -> list[_Standard]:
    """Every calendar quarter, calendar year and financial year (April to March) that takes in
    a month from `first` to `last` ("2026-04"), and all dates (None, None)."""
    periods: list[_Standard] = []
    low, high = int(first[:4]), int(last[:4])
    for year in range(low - 1, high + 1):
        starts = [(year, m, 3) for m in (1, 4, 7, 10)] + [(year, 1, 12), (year, 4, 12)]
        for y, m, length in starts:
            end_year, end_month = y + (m + length - 2) // 12, (m + length - 2) % 12 + 1
            start = date(y, m, 1)
            end = date(end_year, end_month, 1) + timedelta(days=31)
            end = end.replace(day=1) - timedelta(days=1)
            if start.isoformat()[:7] <= last and end.isoformat()[:7] >= first:
                periods.append((start, end))
    return [*sorted(set(periods), key=str), (None, None)]


def is_standard_period(since: date | None, until: date | None) -> bool:
    """Whether a report's period is all dates, a calendar quarter or year, or a financial year
    (April to March): one of the periods whose reports are withheld together."""
    if since is None and until is None:
        return True
    months = _whole_months(since, until)
    if not months or since is None:
        return False
    if len(months) == 3:
        return since.month in (1, 4, 7, 10)
    return len(months) == 12 and since.month in (1, 4)


OTHER_PERIODS_NOTE = (
    "This report is for a period of its own choosing: it is checked beside the reports for "
    "calendar quarters, calendar and financial years and all dates, not beside reports for "
    "other periods of their own choosing."
)


# The shared counts withheld, for the last figures they were worked out for (a run's cache).
_SHARED_WITHHELD: dict[tuple[tuple[Any, ...], tuple[Any, ...]], frozenset[Cell]] = {}


def _beside_standard_periods(
    caseload: Caseload,
    since: date | None,
    until: date | None,
    read: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]] | None = None,
) -> dict[Cell, bool]:
    """The counts a report set for the period shares with the reports for the standard
    periods, each withheld (True) or shown (False) as it is in all of them: its months'
    parents who joined (the months it takes in whole), and, for a standard period, its
    parents who joined and contacts (all dates: also the parents reached, its months added
    up). `read`: the caseload's report_months, when read already."""
    joins, contacts = read if read is not None else caseload.report_months()
    cells, sums, last = _shared_counts(joins, contacts)
    if not cells:
        return {}
    # Worked out once for the same figures (the window's reports for several periods, say):
    # the answer depends on them alone.
    key = (tuple(joins), tuple(contacts))
    hidden = _SHARED_WITHHELD.get(key)
    if hidden is None:
        _SHARED_WITHHELD.clear()
        first = withhold(cells, sums, last=last)
        # The partnership's parents reached over all dates, the report's headline, is shown
        # again where later withholding made it needless (one more audit, only then).
        hidden = _SHARED_WITHHELD[key] = frozenset(released(cells, sums, first, [("total", None)]))
    places = {c[1] for c in cells}
    found: dict[Cell, bool] = {}
    months = (
        sorted({c[2] for c in cells if c[0] == "month"})
        if since is None and until is None
        else _months_inside(since, until)
    )
    for place in places:
        for m in months:
            shared = ("month", place, m)
            if shared in cells:
                found[(place, "by_month_joined", m)] = shared in hidden
        if not is_standard_period(since, until):
            continue
        pairs: list[tuple[Any, Cell]] = []
        if since is None and until is None:
            # All dates: the parents reached, in a locality's row of every report of the set,
            # and who joined (everyone reached) are its months' added up.
            pairs += [
                (("total", place), (place, "reach", "participants")),
                (("total", place), (place, "starts_and_leavers", "started")),
            ]
            if place is not None:
                pairs += [
                    (("total", place), (None, "by_locality", place)),
                    (("total", place), (place, "by_locality", place)),
                ]
        else:
            pairs.append(
                (("started", place, (since, until)), (place, "starts_and_leavers", "started"))
            )
        pairs.append((("contacts", place, (since, until)), (place, "contacts", "total")))
        for shared, own in pairs:
            if shared in cells:
                found[own] = shared in hidden
    return found


def _shared_counts(
    joins: list[tuple[Any, ...]], contacts: list[tuple[Any, ...]]
) -> tuple[dict[Any, int], list[Relation], list[Any]]:
    """The counts reports for the standard periods share (cells tagged by kind: "month",
    "started", "contacts", "total": all dates' parents reached), their sums, and the cells to
    withhold only as a last resort (a period's parents who joined or reached)."""
    cells: dict[Any, int] = {}
    by_month: dict[str | None, Counter[str]] = defaultdict(Counter)
    for place, month, n in joins:
        if month:
            by_month[place][month] += n
            by_month[None][month] += n
    # (place, month of contact or None, month joined) -> how many
    met: Counter[tuple[Any, Any, Any]] = Counter()
    for place, month, joined, n in contacts:
        met[(place, month, joined)] += n
        met[(None, month, joined)] += n
    dated = [m for m in (*(m for c in by_month.values() for m in c), *(k[1] for k in met)) if m]
    if not dated:
        return {}, [], []
    periods = _standard_periods(min(dated), max(dated))
    places = sorted({*by_month, *(k[0] for k in met)}, key=str)
    localities = [p for p in places if p is not None]
    # Each period's months worked out once, and each place's contacts by the month they were
    # made in: a period's count adds up only its own months' (not every count of the place's).
    within_of = {period: _whole_months(*period) for period in periods}
    met_in: dict[Any, dict[Any, list[tuple[Any, int]]]] = defaultdict(lambda: defaultdict(list))
    for (p, m, j), v in met.items():
        met_in[p][m].append((j, v))
    sums: list[Relation] = []
    last: list[Any] = []
    for place in places:
        months = by_month[place]
        for m, n in months.items():
            cells[("month", place, m)] = n
        cells[("total", place)] = sum(months.values())
        sums.append((("total", place), [("month", place, m) for m in months]))
        last.append(("total", place))
        contacted = met_in.get(place, {})
        for period in periods:
            until = period[1]
            within = within_of[period]
            if within is not None and until is not None:
                started = ("started", place, period)
                cells[started] = sum([months.get(m, 0) for m in within])
                sums.append((started, [("month", place, m) for m in within if m in months]))
                last.append(started)
                end = until.isoformat()[:7]
                n = sum(v for m in within for j, v in contacted.get(m, ()) if j <= end)
            else:
                n = sum(v for joined in contacted.values() for _j, v in joined)
            cells[("contacts", place, period)] = n
    for kind in ("month", "total", "started", "contacts"):
        for cell in [c for c in cells if c[0] == kind and c[1] is None]:
            parts = [(kind, p, *cell[2:]) for p in localities]
            sums.append((cell, [p for p in parts if p in cells]))
    # A year's contacts are its quarters' (and all dates' every quarter's, when no contact is
    # undated or outside them): a reader takes one for the sum of the others when it is.
    quarters = [p for p in periods if len(within_of[p] or ()) == 3]
    parts_of = {
        whole: [
            q
            for q in quarters
            if whole == (None, None) or set(within_of[q] or ()) < set(within_of[whole] or ())
        ]
        for whole in periods
    }
    for place in places:
        for whole in periods:
            parts = parts_of[whole]
            cell = ("contacts", place, whole)
            if len(parts) > 1 and cells[cell] == sum(cells[("contacts", place, q)] for q in parts):
                sums.append((cell, [("contacts", place, q) for q in parts]))
    return cells, sums, last


# The pipeline row of parents at a stage that maps to no pipeline stage here.
NOT_MAPPED = "at a stage not mapped to a pipeline stage"


def _listed_then_held(
    listed: Iterable[Any], held: Iterable[str], counted: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(key, label) of a catalogue list's entries, in its order, then of every other key held
    (`held`) that this report counts something under (`counted`), shown under its key marked
    "(not in this partnership's list)": nothing held is dropped or passed off as a catalogue entry."""
    labels = {e.key: e.label for e in listed}
    return [*labels.items(), *((k, unlisted(k)) for k in held if k not in labels and counted[k])]


def month_run(months: Iterable[str]) -> list[str]:
    """Every month ("2026-04") from the first of `months` to the last, none left out: a month
    nobody joined in is a 0, not a gap a reader might take for a month not counted."""
    held = sorted(months)
    if not held:
        return []
    year, month = map(int, held[0].split("-"))
    run = []
    while (text := f"{year:04d}-{month:02d}") <= held[-1]:
        run.append(text)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return run


def _in(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def _workbook_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_report_file(out: Path, data: bytes) -> None:
    """Write a report (or a return) whole or not at all, readable by this account only; a
    place that cannot be written is a StorageError naming `out` and what to do."""
    from journeyapp import paths
    from journeyapp.core.private_files import write_private

    write_private(out, data, register=paths.in_progress_register(), doing="write the report")
