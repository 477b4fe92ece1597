"""CaseloadTableModel: the caseload list as a Qt table over CaseloadRow snapshots, and its filter."""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import IntEnum
from functools import lru_cache
from itertools import compress, islice
from typing import Any, Final, overload

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QIcon

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.dates import short_date
from journeyapp.core.enums import (
    CHECK_IN_DUE,
    DUE_SINCE,
    JOURNEY_ENDED,
    ParticipantStatus,
    check_in_due_since,
    label,
)
from journeyapp.core.records import CaseloadOutline, CaseloadRow
from journeyapp.core.text import fold, with_family_initial, with_family_initials
from journeyapp.ui.models import column_header
from journeyapp.ui.overrides import override

_ROOT = QModelIndex()
ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
ID_ROLE = Qt.ItemDataRole.UserRole + 3
# The next check-in of a journey that has ended (the header: "No check-in planned").
NONE_PLANNED = "none planned"

# Positions in a CaseloadRow (see CASELOAD_LINE), for the loops that run over every row.
_ID: Final = 0
_NAME: Final = 1
_FULL_NAME: Final = 2
_LOCALITY: Final = 3
_STATUS: Final = 4
_STAGE: Final = 5
_LAST_CONTACT: Final = 9
_OVERDUE: Final = 10
POSITIONS = {
    "id": _ID,
    "preferred_name": _NAME,
    "full_name": _FULL_NAME,
    "locality": _LOCALITY,
    "status": _STATUS,
    "stage": _STAGE,
    "overdue": _OVERDUE,
}


class Column(IntEnum):
    """The caseload columns, in order."""

    NAME = 0
    STAGE = 1
    PACE = 2
    LAST_CONTACT = 3
    NEXT_CHECKIN = 4
    STATUS = 5


HEADERS = {
    Column.NAME: "Name",
    Column.STAGE: "Stage",
    Column.PACE: "Pace",
    Column.LAST_CONTACT: "Last contact",
    Column.NEXT_CHECKIN: "Next check-in",
    Column.STATUS: "Status",
}
_TITLES = [HEADERS[c] for c in Column]
_ANSWERED = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.AccessibleTextRole,
        ROW_ROLE,
        ID_ROLE,
        SEARCH_ROLE,
        SORT_ROLE,
    )
)
_COLUMNS = len(Column)


# The list says a status in the same words as the header and the plan (core.enums labels).
STATUS_WORDS = {status.value: label(status) for status in ParticipantStatus}


@lru_cache(maxsize=65_536)
def quick_fold(text: str) -> str:
    """Accent-blind lower case for the list: fold(), remembered (names repeat) and with a fast
    path for plain ASCII, so big caseloads load faster."""
    return text.lower() if text.isascii() else fold(text)


def _with_initial(row: CaseloadRow) -> str:
    """The preferred name and the initial of the family name ("Ana M."), when there is one."""
    return with_family_initial(row[_NAME], row[_FULL_NAME])


@dataclass(frozen=True)
class Criteria:
    """What the caseload list is filtered by: the search text and the parents the store's
    search found for it, stage, status, locality, only overdue check-ins, and the quick
    filters: the parents the store picked (a keyworker's, or with a goal of some status) and
    no contact since a day (ISO date: the last contact, if any, before it)."""

    search: str = ""
    found: frozenset[str] | None = None  # None: no search
    stage: str | None = None
    status: str | None = None
    locality: str | None = None
    overdue_only: bool = False
    keyworker: str | None = None
    goal_status: str | None = None
    picked: frozenset[str] | None = None  # None: no keyworker or goal status chosen
    quiet_before: str | None = None

    @property
    def active(self) -> bool:
        """Whether anything is filtered out at all."""
        return self != _EVERYONE


_EVERYONE = Criteria()

# pick(keyworker, goal status) -> the parents the store picked for the quick filters.
Pick = Callable[[str | None, str | None], frozenset[str] | None]

# How many rows load() fetches at first: a few screens' worth, even at small font sizes.
PAGE = 200
# fetch(ids) -> the rows of those parents (any order); fetch(None) -> every row, in store order.
Fetch = Callable[[list[str] | None], list[CaseloadRow]]


class _Telling:
    """The parents who share a preferred name, told apart: for each (in the store's order),
    the name with the family initial ("Ana M."), folded, and the locality; and the ending
    (", Fife") of each folded name and locality whose initial is shared as well."""

    __slots__ = ("_at", "_endings", "_folded", "_initials", "_localities", "ids")

    def __init__(
        self,
        ids: list[str],
        initials: list[str],
        folded: list[str],
        localities: list[str | None],
        endings: dict[tuple[str, str | None], str],
        at: dict[int, int] | None,
    ) -> None:
        self.ids = ids
        self._initials = initials
        self._folded = folded
        self._localities = localities
        self._endings = endings
        # A parent's place in the lists above from their place in the store's order (None:
        # the same, everyone shares a name).
        self._at = at

    def name(self, place: int) -> str:
        """The name told apart of the parent at `place` in the store's order."""
        k = place if self._at is None else self._at[place]
        return self._initials[k] + self._endings.get((self._folded[k], self._localities[k]), "")

    def longest(self) -> list[str]:
        """The names that carry a locality (or a ", " of their own), each once, sorted."""
        endings = self._endings.get
        return sorted(
            {
                told
                for initial, key, locality in set(
                    zip(self._initials, self._folded, self._localities, strict=True)
                )
                if ", " in (told := initial + endings((key, locality), ""))
            }
        )


class CaseloadTableModel(QAbstractTableModel):
    """One row per parent; ROW_ROLE returns the CaseloadRow itself.

    The model keeps its rows sorted itself (`sort`), because sorting 10,000 rows through a
    proxy's lessThan would call back into Python hundreds of thousands of times. For the same
    reason it also works out, for the filter's `Criteria`, which rows match (one plain-Python
    pass over every row): see CaseloadFilter.

    `load()` fills it lazily, the way Qt's own SQL models do: from a `CaseloadOutline` (every
    parent's id and name, and how many check-ins are overdue) it knows the order and the count
    line at once, fetches the rows of the first screens, and fetches the rest the first time
    anything needs them (scrolling down, searching, filtering, sorting by another column).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        parent: Any = None,
        *,
        today: Callable[[], date],
    ) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._today = today
        # Every parent in the store's order (by name): ids and folded preferred names, and the
        # rows themselves once they are all loaded.
        self._base_ids: list[str] = []
        self._base_names: list[str] = []
        # Their full names and localities (from the outline), to tell alike names apart
        # before the rows are loaded.
        self._base_full_names: list[str | None] = []
        self._base_localities: list[str | None] = []
        self._name_of: dict[str, str] | None = None
        self._base_keys: list[str] = []
        self._base_rows: list[CaseloadRow] | None = []
        self._fetch: Fetch | None = None
        self._overdue_total = 0
        # Display order: a permutation of the store's order, and parallel lists in it. `_rows`
        # holds the first PAGE rows until everything is loaded.
        self._order_idx: list[int] = []
        self._ids: list[str] = []
        self._name_keys: list[str] = []  # folded preferred names
        self._rows: list[CaseloadRow] = []
        # How many parents share each folded preferred name (those get an initial added).
        self._name_counts: Counter[str] = Counter()
        # What tells apart the parents who share a preferred name, worked out once per
        # snapshot (see _telling); each one's name is put together when it is shown.
        self._telling_apart: _Telling | None = None
        # For each shared folded name, how many of its parents each name with a family initial
        # names ("ana m.", folded), and each parent's place in the store's order: worked out
        # once per snapshot, so a search naming a few parents does not word every parent
        # who shares their names again on each keystroke.
        self._initial_counts: dict[str, Counter[str]] | None = None
        self._position: dict[str, int] | None = None
        self._longest: list[str] | None = None  # the alike names that carry a locality
        self._folded: list[str] | None = None  # search text, worked out on first search
        self._criteria = _EVERYONE
        self._matches: list[bool] | None = None
        self._day = today()
        self._sort_column = Column.NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Set by the view: an icon that marks an overdue check-in beside the words.
        self.overdue_icon: QIcon | None = None

    def set_rows(self, rows: list[CaseloadRow]) -> None:
        """Replace the snapshot with these rows, all loaded (kept in the current sort order)."""
        rows = list(rows)
        self._install(
            [r[_ID] for r in rows],
            [r[_NAME] for r in rows],
            [r[_FULL_NAME] for r in rows],
            [r[_LOCALITY] for r in rows],
            sum(r[_OVERDUE] for r in rows),
            rows,
            None,
        )

    def load(self, outline: CaseloadOutline, fetch: Fetch) -> None:
        """Replace the snapshot lazily: `fetch(ids)` returns the rows of those parents,
        `fetch(None)` every row in the outline's order."""
        self._install(
            outline.ids,
            outline.names,
            outline.full_names,
            outline.localities,
            outline.overdue,
            None,
            fetch,
        )

    def _install(
        self,
        ids: list[str],
        names: list[str],
        full_names: list[str | None],
        localities: list[str | None],
        overdue: int,
        rows: list[CaseloadRow] | None,
        fetch: Fetch | None,
    ) -> None:
        self.beginResetModel()
        self._day = self._today()
        self._fetch = fetch
        self._base_ids = ids
        self._base_names = names
        self._base_full_names = full_names
        self._base_localities = localities
        self._name_of = None
        self._base_keys = list(map(quick_fold, names))
        self._name_counts = Counter(self._base_keys)
        self._telling_apart = None
        self._initial_counts = None
        self._position = None
        self._longest = None
        self._overdue_total = overdue
        self._base_rows = rows
        self._matches = None
        if rows is None and self._sort_column != Column.NAME:
            self._base_rows = self._fetch_all()  # sorting by another column needs every row
        self._arrange(self._order())
        self.endResetModel()

    def today(self) -> date:
        """The caseload clock's day."""
        return self._today()

    def loaded(self) -> bool:
        """Whether every row has been fetched."""
        return self._base_rows is not None

    def load_rest(self) -> None:
        """Fetch the rows not loaded yet now (while the keyworker is reading the screen)."""
        self._load_all()

    def take_rest(self, rows: list[CaseloadRow]) -> None:
        """Rows fetched elsewhere (off the window's thread) for the snapshot being shown: every
        row, in the store's order. If the caseload changed underneath, start again from them."""
        if self._base_rows is not None:
            return  # loaded meanwhile (a search or a scroll fetched them itself)
        if [r[_ID] for r in rows] != self._base_ids:
            QTimer.singleShot(0, self, lambda: self.set_rows(rows))
            return
        self._base_rows = rows
        self._rows = [rows[n] for n in self._order_idx]
        self._initial_counts = None  # now counted from the rows, as _told_apart reads them

    def _fetch_all(self) -> list[CaseloadRow] | None:
        """Every row, in the store's order (None if the caseload changed underneath: then the
        model starts again with what was fetched, as soon as Qt is ready)."""
        assert self._fetch is not None
        rows = self._fetch(None)
        if [r[_ID] for r in rows] != self._base_ids:
            QTimer.singleShot(0, self, lambda: self.set_rows(rows))
            return None
        return rows

    def _load_all(self) -> None:
        """Fetch the rows not loaded yet (no change Qt can see: the count was right already)."""
        if self._base_rows is None:
            self._base_rows = self._fetch_all()
            if self._base_rows is not None:
                self._rows = [self._base_rows[n] for n in self._order_idx]
                self._initial_counts = None  # now counted from the rows

    def _arrange(self, order: list[int]) -> None:
        """Show the parents in `order` (a permutation of the store's order)."""
        identity = order == list(range(len(order)))
        self._order_idx = order
        self._ids = self._base_ids if identity else [self._base_ids[n] for n in order]
        self._name_keys = self._base_keys if identity else [self._base_keys[n] for n in order]
        self._folded = None
        self._matches = None
        if self._base_rows is not None:
            rows = self._base_rows
            self._rows = rows if identity else [rows[n] for n in order]
            return
        assert self._fetch is not None
        page = self._ids[:PAGE]
        fetched = {r[_ID]: r for r in self._fetch(page)}
        if len(fetched) == len(page):
            self._rows = [fetched[pid] for pid in page]
        else:
            self._rows = []
            self._load_all()

    def _row(self, number: int) -> CaseloadRow | None:
        if number >= len(self._rows):
            self._load_all()
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def _all(self) -> list[CaseloadRow]:
        self._load_all()
        return self._rows

    def rows(self) -> list[CaseloadRow]:
        """The current snapshot, in display order."""
        return list(self._all())

    def row_list(self) -> list[CaseloadRow]:
        """The current snapshot itself (not a copy; do not change it)."""
        return self._all()

    def row_at(self, source_row: int) -> CaseloadRow:
        """The CaseloadRow at a source row."""
        row = self._row(source_row)
        if row is None:
            raise IndexError(source_row)
        return row

    def folded(self) -> list[str]:
        """The accent-folded names (preferred and full) of every row, in display order."""
        if self._folded is None:
            rows = self._all()
            self._folded = [quick_fold(f"{r[_NAME]} {r[_FULL_NAME] or ''}") for r in rows]
        return self._folded

    def display_name(self, number: int) -> str:
        """The name shown in a row: the preferred name, with the initial of the family name
        added where two parents share one ("Ana M.")."""
        row = self.row_at(number)
        if self._name_counts[self._name_keys[number]] > 1:
            return self._telling().name(self._order_idx[number]) or _with_initial(row)
        return row[_NAME]

    def _telling(self) -> _Telling:
        """What tells apart every parent whose preferred name is shared, worked out once per
        snapshot: the names with the family initial, and where the locality is added because
        the initial is shared too. The names themselves are put together as rows are shown
        (the window's first paint shows a few dozen of 10,000, #18): the same names as
        _told_apart gives for all of them at once."""
        if self._telling_apart is None:
            shared = {key for key, count in self._name_counts.items() if count > 1}
            alike = [n for n, key in enumerate(self._base_keys) if key in shared]
            self._telling_apart = self._tell_apart(alike)
        return self._telling_apart

    def longest_names(self) -> list[str]:
        """The names that carry a locality ("Jolene Q., Fife"), each once: the list's name
        column is widened to show them whole. The same list until the names change, so the
        view measures them once per snapshot."""
        if self._longest is None:
            self._longest = self._telling().longest()
        return self._longest

    def refresh_rows(self, rows: list[CaseloadRow]) -> bool:
        """Put fresh rows in place of the same parents' old ones, where that changes no order.

        True when done (the views hear dataChanged; the filter asks again for those rows).
        False, with nothing changed, when a full reload is needed instead: not every row is
        loaded yet, the list is sorted by a column other than the name, a parent is not in
        the list, or a name changed.
        """
        if self._base_rows is None or self._sort_column != Column.NAME:
            return False
        base = self._base_rows
        position = {pid: n for n, pid in enumerate(self._base_ids)}
        places: list[tuple[int, CaseloadRow]] = []
        for row in rows:
            n = position.get(row[_ID], -1)
            if n < 0 or base[n][_NAME] != row[_NAME] or base[n][_FULL_NAME] != row[_FULL_NAME]:
                return False
            places.append((n, row))
        shown_at = {n: shown for shown, n in enumerate(self._order_idx)}
        for n, row in places:
            self._overdue_total += int(row[_OVERDUE]) - int(base[n][_OVERDUE])
            base[n] = row
            self._rows[shown_at[n]] = row
        self._matches = None
        self._telling_apart = None  # a locality may have changed
        self._longest = None
        for n, _row in places:
            shown = shown_at[n]
            self.dataChanged.emit(self.index(shown, 0), self.index(shown, _COLUMNS - 1))
        return True

    def preferred_name(self, participant_id: str) -> str:
        """A parent's preferred name, from the list itself ("" when not in it)."""
        if self._name_of is None:
            self._name_of = dict(zip(self._base_ids, self._base_names, strict=True))
        return self._name_of.get(participant_id, "")

    def distinct_names(self, participant_ids: Iterable[str]) -> dict[str, str]:
        """Names that tell these parents apart from everyone else in the list, for places that
        name a parent without the list's other columns (the places found by a search): the
        preferred name; with the family name's initial where another parent shares it
        ("Liam D."), as the list shows it; and with the locality too where that is shared as
        well ("Jolene Q., Fife")."""
        names = {pid: self.preferred_name(pid) for pid in participant_ids}
        shared = {
            key
            for key in (quick_fold(name) for name in names.values() if name)
            if self._name_counts[key] > 1
        }
        if not shared:
            return names
        # Everyone who shares one of these names, counted once per snapshot (the same counts
        # as _told_apart over them all, by name and initial).
        by_name = self._counts_by_initial()
        counts: Counter[str] = Counter()
        for key in shared:
            counts.update(by_name[key])
        if self._position is None:
            self._position = {pid: n for n, pid in enumerate(self._base_ids)}
        places: dict[str, str] = {}
        told: dict[str, str] = {}
        for pid, name in names.items():
            if not name or quick_fold(name) not in shared:
                told[pid] = name
                continue
            _id, preferred, full, locality = self._fact(self._position[pid])
            name = with_family_initial(preferred, full)
            if locality and counts[quick_fold(name)] > 1:
                if locality not in places:
                    places[locality] = self._catalogue.label("localities", locality)
                name = f"{name}, {places[locality]}"
            told[pid] = name
        return told

    def _fact(self, n: int) -> tuple[str, str, str | None, str | None]:
        """(id, preferred name, full name, locality) of the parent at place `n` in the store's
        order: from the rows once they are loaded, from the outline before."""
        if self._base_rows is not None:
            row = self._base_rows[n]
            return row[_ID], row[_NAME], row[_FULL_NAME], row[_LOCALITY]
        return (
            self._base_ids[n],
            self._base_names[n],
            self._base_full_names[n],
            self._base_localities[n],
        )

    def _counts_by_initial(self) -> dict[str, Counter[str]]:
        """For each folded name two or more parents share: how many of them each name with
        a family initial names (folded), over every parent who shares it."""
        if self._initial_counts is None:
            counts: dict[str, Counter[str]] = {}
            for n, key in enumerate(self._base_keys):
                if self._name_counts[key] > 1:
                    _id, name, full, _where = self._fact(n)
                    told = quick_fold(with_family_initial(name, full))
                    counts.setdefault(key, Counter())[told] += 1
            self._initial_counts = counts
        return self._initial_counts

    def _told_apart(self, alike: list[int]) -> dict[str, str]:
        """The names told apart for the parents at these places in the store's order (with
        everyone who shares each one's preferred name): the family name's initial added, and
        the locality where that is shared as well."""
        telling = self._tell_apart(alike)
        return {pid: telling.name(n) for pid, n in zip(telling.ids, alike, strict=True)}

    def _tell_apart(self, alike: list[int]) -> _Telling:
        """What tells apart the parents at these places in the store's order (with everyone
        who shares each one's preferred name), for _told_apart and _telling."""
        # Ids, preferred names, full names and localities: from the rows once they are loaded
        # (kept current by refresh_rows), from the outline before (no rows fetched for this).
        # Worded in passes over all of them, not a call per parent: in a big caseload most
        # parents share a first name, and this runs before the window first appears (#18).
        if self._base_rows is not None:
            rows = [self._base_rows[n] for n in alike]
            ids = [row[_ID] for row in rows]
            names = [row[_NAME] for row in rows]
            full_names = [row[_FULL_NAME] for row in rows]
            localities = [row[_LOCALITY] for row in rows]
        elif len(alike) == len(self._base_ids):  # everyone (alike is in the store's order)
            ids, names = self._base_ids, self._base_names
            full_names, localities = self._base_full_names, self._base_localities
        else:
            ids = [self._base_ids[n] for n in alike]
            names = [self._base_names[n] for n in alike]
            full_names = [self._base_full_names[n] for n in alike]
            localities = [self._base_localities[n] for n in alike]
        initials = with_family_initials(names, full_names)
        folded = list(map(quick_fold, initials))
        # ", Fife" after each name whose initial is shared too, by (name, locality): a few
        # thousand pairs for 10,000 parents, worded once each.
        counts = Counter(folded)
        label = self._catalogue.label
        places: dict[str, str] = {}
        suffix: dict[tuple[str, str | None], str] = {}
        for key, locality in set(zip(folded, localities, strict=True)):
            if locality and counts[key] > 1:
                place = places.get(locality)
                if place is None:
                    place = places[locality] = f", {label('localities', locality)}"
                suffix[key, locality] = place
        at = None if len(alike) == len(self._base_ids) else {n: k for k, n in enumerate(alike)}
        return _Telling(ids, initials, folded, localities, suffix, at)

    def row_of(self, participant_id: str) -> int:
        """The source row of a parent, or -1."""
        try:
            return self._ids.index(participant_id)
        except ValueError:
            return -1

    # -- matching the filter's criteria -----------------------------------------------------------

    def set_criteria(self, criteria: Criteria) -> None:
        """The criteria `matches()` answers for (the filter sets them)."""
        if criteria != self._criteria:
            self._criteria = criteria
            self._matches = None

    def matches(self) -> list[bool]:
        """For every row, in display order, whether it meets the criteria."""
        if self._matches is None:
            c = self._criteria
            keep = [True] * len(self._ids)
            if c.found is not None:
                # The store's one search answered (by id): no row needs loading for it.
                found = c.found
                keep = [pid in found for pid in self._ids]
            if c.picked is not None:
                picked = c.picked
                keep = [k and pid in picked for k, pid in zip(keep, self._ids, strict=True)]
            columns = [(n, v) for n, v in ((_STAGE, c.stage), (_STATUS, c.status)) if v is not None]
            if c.locality is not None:
                columns.append((_LOCALITY, c.locality))
            if columns or c.overdue_only or c.quiet_before is not None:
                rows = self._all()
                for column, value in columns:
                    keep = [k and r[column] == value for k, r in zip(keep, rows, strict=True)]
                if c.overdue_only:
                    keep = [k and bool(r[_OVERDUE]) for k, r in zip(keep, rows, strict=True)]
                if c.quiet_before is not None:
                    # ISO dates compare as text; never met counts as no contact.
                    before = c.quiet_before
                    keep = [
                        k and (r[_LAST_CONTACT] is None or r[_LAST_CONTACT] < before)
                        for k, r in zip(keep, rows, strict=True)
                    ]
            self._matches = keep
        return self._matches

    def match_counts(self) -> tuple[int, int]:
        """How many rows meet the criteria, and how many of those have a check-in overdue."""
        if not self._criteria.active:
            return len(self._base_ids), self._overdue_total
        keep = self.matches()
        rows = self._all()
        # Over the rows shown only (a search shows a few of 10,000: this runs each keystroke).
        overdue = sum(1 for r in compress(rows, keep) if r[_OVERDUE])
        return sum(keep), overdue

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._base_ids)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else _COLUMNS

    @override
    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> QModelIndex:
        # Qt's own index() asks rowCount() and columnCount() first: two more calls into Python
        # for every row the filter looks at.
        if 0 <= row < len(self._base_ids) and 0 <= column < _COLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header(_TITLES, section, orientation, role)

    @override
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Qt asks each visible cell for a dozen roles (font, colours, alignment…): the ones
        # this model never answers go back straight away.
        if role not in _ANSWERED:
            return None
        number = index.row()
        if not index.isValid():
            return None
        row = self._row(number)
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, number)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        if role == SEARCH_ROLE:
            return self.folded()[number]
        if role == SORT_ROLE:
            return self._sort_key(row, column, number)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NAME and row.full_name:
            shown = self.display_name(number)
            if ", " in shown:  # told apart by the locality: say it whole
                return f"{row.full_name}, {shown.split(', ', 1)[1]}"
            return row.full_name
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STAGE:
            return self._display(row, column, number)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.STATUS:
            return label(row.status)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == Column.NEXT_CHECKIN
            and row.next_checkin_on is None
            and row.rhythm
            and row.status not in JOURNEY_ENDED
        ):
            return "They'll get in touch when they're ready."
        if column == Column.NEXT_CHECKIN and row.overdue:
            if role == Qt.ItemDataRole.DecorationRole:
                return self.overdue_icon
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{CHECK_IN_DUE}: the planned date has passed."
            if role == Qt.ItemDataRole.AccessibleTextRole:
                due = row.next_checkin_on.isoformat() if row.next_checkin_on else ""
                return check_in_due_since(due)
        return None

    def _display(self, row: CaseloadRow, column: Column, number: int) -> str:
        match column:
            case Column.NAME:
                return self.display_name(number)
            case Column.STAGE:
                return self._catalogue.shown("stages", row.stage)
            case Column.PACE:
                return label(row.pace) if row.pace else "not chosen yet"
            case Column.LAST_CONTACT:
                if row.last_contact_on is None:
                    return "none yet"
                return short_date(row.last_contact_on, self._day)
            case Column.NEXT_CHECKIN:
                if row.status in JOURNEY_ENDED:
                    return NONE_PLANNED  # as the header says: "No check-in planned"
                if row.next_checkin_on is None:
                    return "when ready" if row.rhythm else "—"
                text = short_date(row.next_checkin_on, self._day)
                return f"{DUE_SINCE} {text}" if row.overdue else text
            case Column.STATUS:
                # Short, and a pause reads as the parent's own decision.
                return STATUS_WORDS.get(row.status, label(row.status))

    def _sort_key(self, row: CaseloadRow, column: Column, number: int) -> str:
        match column:
            case Column.STAGE:
                keys = self._catalogue.keys("stages")
                return f"{keys.index(row.stage) if row.stage in keys else 99:02d}"
            case Column.LAST_CONTACT:
                return row.last_contact_on.isoformat() if row.last_contact_on else ""
            case Column.NEXT_CHECKIN:
                return row.next_checkin_on.isoformat() if row.next_checkin_on else "9999"
            case Column.PACE:
                return str(list(("gently", "steady", "ready_to_push_on", None)).index(row.pace))
            case _:
                return quick_fold(self._display(row, column, number))

    def _order(self) -> list[int]:
        """The numbers of the parents in the store's order, in the current sort order (sorting
        by any column but the name needs every row loaded first)."""
        column = self._sort_column
        # Name breaks ties so the order is stable and predictable (parents who share a
        # preferred name stay in the store's order: by family name).
        keys = self._base_keys
        if all(map(operator.le, keys, islice(keys, 1, None))):
            order = list(range(len(keys)))  # the store's order already is (the usual case)
        else:
            order = sorted(range(len(keys)), key=keys.__getitem__)
        if column != Column.NAME and self._base_rows is not None:
            rows = self._base_rows
            by_column = [self._sort_key(r, column, n) for n, r in enumerate(rows)]
            order.sort(key=by_column.__getitem__)
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            order.reverse()
        return order

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort_column = Column(column)
        self._sort_order = order
        if column != Column.NAME:
            self._load_all()
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_ids = [self._ids[i.row()] for i in persistent]
        self._arrange(self._order())
        position = {pid: n for n, pid in enumerate(self._ids)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[pid], i.column())
                for pid, i in zip(old_ids, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()


class CaseloadFilter(QAbstractProxyModel):
    """Search (accent-blind, any part of the name) and filters over a CaseloadTableModel.

    Sorting is handed to the source model (see CaseloadTableModel); this proxy only filters.
    It keeps the `Criteria`; the source model works out which rows match in one plain-Python
    pass, and the proxy shows those rows in the source's order, mapping rows through two
    lists. Qt's QSortFilterProxyModel asked `filterAcceptsRow` row by row, one call from C++
    into Python for each of 10,000 parents on every keystroke (20-26 ms of it); here Qt calls
    into Python only for the rows it draws.
    """

    def __init__(
        self,
        parent: Any = None,
        *,
        find: Callable[[str], Iterable[str]],
        pick: Pick | None = None,
    ) -> None:
        super().__init__(parent)
        self._criteria = _EVERYONE
        self._model: CaseloadTableModel | None = None
        # The store's one search (Caseload.found_ids): the same parents the CLI finds.
        self._find = find
        # The store's answer for the quick filters (Caseload.picked_ids).
        self._pick = pick
        self._text = ""
        self._quiet_days: int | None = None
        # The source rows shown, in order (the source's order: ascending), and for each
        # source row its row here (-1: filtered out), worked out when first asked for.
        self._shown: list[int] = []
        self._place: list[int] | None = None
        # Across a source layout change (a sort): our persistent indexes, and the source
        # cells they showed.
        self._held: list[QModelIndex] = []
        self._held_source: list[QPersistentModelIndex] = []

    @override
    def setSourceModel(self, model: Any) -> None:
        assert isinstance(model, CaseloadTableModel)
        self.beginResetModel()
        old = self._model
        if old is not None:
            for signal, slot in self._links(old):
                signal.disconnect(slot)
        self._model = model
        model.set_criteria(self._criteria)
        super().setSourceModel(model)
        for signal, slot in self._links(model):
            signal.connect(slot)
        self._map()
        self.endResetModel()

    def _links(self, model: CaseloadTableModel) -> list[tuple[Any, Any]]:
        """The source's signals this proxy follows, each with what it does. The model resets,
        reorders (sorts) and changes rows in place; rows inserted or removed (it never does)
        would be followed as a reset."""
        return [
            (model.modelAboutToBeReset, self._source_resetting),
            (model.modelReset, self._source_reset),
            (model.layoutAboutToBeChanged, self._source_reordering),
            (model.layoutChanged, self._source_reordered),
            (model.dataChanged, self._source_data_changed),
            (model.headerDataChanged, self.headerDataChanged),
            (model.rowsAboutToBeInserted, self._source_resetting),
            (model.rowsInserted, self._source_reset),
            (model.rowsAboutToBeRemoved, self._source_resetting),
            (model.rowsRemoved, self._source_reset),
            (model.rowsAboutToBeMoved, self._source_resetting),
            (model.rowsMoved, self._source_reset),
        ]

    def _source(self) -> CaseloadTableModel:
        assert self._model is not None
        return self._model

    # -- which rows are shown ----------------------------------------------------------------

    def _map(self) -> None:
        """Work out the rows shown from the source model's one pass over its rows."""
        model = self._model
        if model is None:
            self._shown = []
        elif not self._criteria.active:
            self._shown = list(range(model.rowCount()))
        else:
            self._shown = list(compress(range(model.rowCount()), model.matches()))
        self._place = None

    def _places(self) -> list[int]:
        if self._place is None:
            place = [-1] * (self._model.rowCount() if self._model is not None else 0)
            for at, source_row in enumerate(self._shown):
                place[source_row] = at
            self._place = place
        return self._place

    def _here(self, source_row: int, column: int) -> QModelIndex:
        """The index here of a source cell (invalid when its row is filtered out)."""
        places = self._places()
        at = places[source_row] if 0 <= source_row < len(places) else -1
        return self.createIndex(at, column) if at >= 0 else QModelIndex()

    def _remap(self) -> None:
        """Show the rows the criteria now match, as a layout change: the selected parent
        stays selected when still shown (as QSortFilterProxyModel keeps it)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        shown = self._shown
        sources = [shown[i.row()] if 0 <= i.row() < len(shown) else -1 for i in persistent]
        self._map()
        self.changePersistentIndexList(
            persistent,
            [self._here(row, i.column()) for row, i in zip(sources, persistent, strict=True)],
        )
        self.layoutChanged.emit()

    # -- following the source ----------------------------------------------------------------

    def _source_resetting(self, *_args: Any) -> None:
        self.beginResetModel()

    def _source_reset(self, *_args: Any) -> None:
        self._map()
        self.endResetModel()

    def _source_reordering(self, *_args: Any) -> None:
        self.layoutAboutToBeChanged.emit()
        self._held = self.persistentIndexList()
        self._held_source = [QPersistentModelIndex(self.mapToSource(index)) for index in self._held]

    def _source_reordered(self, *_args: Any) -> None:
        self._map()
        self.changePersistentIndexList(
            self._held,
            [
                self._here(source.row(), source.column()) if source.isValid() else QModelIndex()
                for source in self._held_source
            ],
        )
        self._held, self._held_source = [], []
        self.layoutChanged.emit()

    def _source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any = ()
    ) -> None:
        # A row changed may now match or not (a check-in no longer overdue).
        before = self._shown
        self._map()
        if self._shown != before:
            self._shown = before
            self._remap()
            return
        # The rows shown keep the source's order, so a source range is one range here.
        first = bisect_left(before, top_left.row())
        last = bisect_right(before, bottom_right.row()) - 1
        if first <= last:
            self.dataChanged.emit(
                self.index(first, top_left.column()),
                self.index(last, bottom_right.column()),
                list(roles or ()),
            )

    # -- the proxy ---------------------------------------------------------------------------

    @override
    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _ROOT
    ) -> QModelIndex:
        if 0 <= row < len(self._shown) and 0 <= column < _COLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    @overload
    def parent(self) -> QObject | None: ...
    @overload
    def parent(self, child: QModelIndex | QPersistentModelIndex) -> QModelIndex: ...
    @override
    def parent(self, child: QModelIndex | QPersistentModelIndex | None = None) -> Any:
        if child is None:
            return super().parent()  # the QObject's parent
        return QModelIndex()  # a table: no row has children

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._shown)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else _COLUMNS

    @override
    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and bool(self._shown)

    @override
    def mapToSource(self, proxyIndex: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        row = proxyIndex.row()
        if self._model is None or not proxyIndex.isValid() or not 0 <= row < len(self._shown):
            return QModelIndex()
        return self._model.index(self._shown[row], proxyIndex.column())

    @override
    def mapFromSource(self, sourceIndex: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not sourceIndex.isValid():
            return QModelIndex()
        return self._here(sourceIndex.row(), sourceIndex.column())

    @override
    def data(
        self,
        proxyIndex: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        model = self._model
        row = proxyIndex.row()
        if model is None or not proxyIndex.isValid() or not 0 <= row < len(self._shown):
            return None
        return model.data(model.index(self._shown[row], proxyIndex.column()), role)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        model = self._model
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._shown):
                return None
            section = self._shown[section]
        return model.headerData(section, orientation, role)

    def _change(self, **what: Any) -> None:
        criteria = replace(self._criteria, **what)
        if criteria == self._criteria:
            return
        self._criteria = criteria
        if self._model is not None:
            self._model.set_criteria(criteria)
        self._remap()

    def criteria(self) -> Criteria:
        """What the list is filtered by now."""
        return self._criteria

    def set_search(self, text: str) -> None:
        """Show only the parents the store's search finds for `text`: every word part of their
        preferred or full name (case and accents ignored), or their id or reference."""
        self._text = text.strip()
        self.refresh_search()

    def refresh_search(self) -> None:
        """Ask the store again for the current search (after the caseload changed)."""
        if not self._text:
            self._change(search="", found=None)
        else:
            found = self._find(self._text)
            self._change(search=self._text, found=frozenset(found))

    def set_stage(self, stage: str | None) -> None:
        """Only parents at this stage (None: any)."""
        self._change(stage=stage or None)

    def set_status(self, status: str | None) -> None:
        """Only parents with this status (None: any)."""
        self._change(status=status or None)

    def set_locality(self, locality: str | None) -> None:
        """Only parents in this locality (None: any)."""
        self._change(locality=locality or None)

    def set_overdue_only(self, on: bool) -> None:
        """Only parents whose check-in is overdue."""
        self._change(overdue_only=bool(on))

    def set_keyworker(self, keyworker: str | None) -> None:
        """Only the parents this keyworker works with (None: anyone's)."""
        self._picks(keyworker=keyworker or None, goal_status=self._criteria.goal_status)

    def set_goal_status(self, status: str | None) -> None:
        """Only parents with at least one goal where it stands so (None: any)."""
        self._picks(keyworker=self._criteria.keyworker, goal_status=status or None)

    def _picks(self, *, keyworker: str | None, goal_status: str | None) -> None:
        picked = None
        if (keyworker or goal_status) and self._pick is not None:
            picked = self._pick(keyworker, goal_status)
        self._change(keyworker=keyworker, goal_status=goal_status, picked=picked)

    def refresh_picks(self) -> None:
        """Ask the store again for the quick filters (after the caseload changed)."""
        self._picks(keyworker=self._criteria.keyworker, goal_status=self._criteria.goal_status)
        self.set_no_contact_days(self._quiet_days)

    def set_no_contact_days(self, days: int | None) -> None:
        """Only parents with no contact in the last `days` days (never met counts); None: any."""
        self._quiet_days = days
        if not days or self._model is None:
            self._change(quiet_before=None)
            return
        today = self._model.today()
        self._change(quiet_before=(today - timedelta(days=days - 1)).isoformat())

    def passes(self) -> list[bool]:
        """For every source row, whether it is shown."""
        return self._source().matches()

    def shown_counts(self) -> tuple[int, int]:
        """How many parents are shown, and how many of those have a check-in overdue."""
        return self._source().match_counts()

    def visible_rows(self) -> list[CaseloadRow]:
        """The rows shown now, in order."""
        rows = self._source().row_list()
        if not self._criteria.active:
            return list(rows)
        return [row for ok, row in zip(self.passes(), rows, strict=True) if ok]

    @override
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source().sort(column, order)
