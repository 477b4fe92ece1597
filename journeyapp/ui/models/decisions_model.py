"""DecisionsModel: clashing edits from merges as a Qt table over MergeDecision objects."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.codes import Codes
from journeyapp.core.describe import KIND_WORDS, typed_or_coded_words, unit_about, unit_words
from journeyapp.core.merge import MergeDecision, Side
from journeyapp.ui.models import column_header
from journeyapp.ui.overrides import override

_ROOT = QModelIndex()
DECISION_ROLE = Qt.ItemDataRole.UserRole


class Column(IntEnum):
    """The columns of the decision list."""

    PARENT = 0
    DETAIL = 1
    HERE = 2
    INCOMING = 3


HEADERS = {
    Column.PARENT: "Parent",
    Column.DETAIL: "Detail",
    Column.HERE: "Value here",
    Column.INCOMING: "Incoming value",
}
_TITLES = [HEADERS[c] for c in Column]


def describe_detail(kind: str, field: str, here: Any = None) -> str:
    """Which detail clashed, in plain words ("Their details: keyworker")."""
    if field == "_erase":  # an erasure from a laptop the partnership has not enrolled (#16)
        return "Erase this parent? Asked by a laptop that is not enrolled"
    if field == "_duplicate":  # one parent's one thing recorded twice, before the merge fix
        words = KIND_WORDS.get(kind, kind.replace("_", " "))
        return f"{words[:1].upper()}{words[1:]} recorded twice: keep which?"
    if field == "_remove" and here == "unseen":  # a removal made without seeing a change
        words = KIND_WORDS.get(kind, kind.replace("_", " "))
        return (
            f"Remove this {words}? Removed on one laptop, changed on another that had not "
            "seen the removal"
        )
    if field == "_remove":  # a removal no enrolled laptop vouched for (#16)
        words = KIND_WORDS.get(kind, kind.replace("_", " "))
        return f"Remove this {words}? Asked by a laptop that is not enrolled"
    words = KIND_WORDS.get(kind, kind.replace("_", " "))
    if unit_words(kind, here) is not None:  # a consent, or where a journey stands, as one
        about = unit_about(kind)
        if kind == "participants":  # not "Details: where their journey stands"
            return f"{about[:1].upper()}{about[1:]}"
        return f"{words[:1].upper()}{words[1:]}: {about}"
    return f"{words[:1].upper()}{words[1:]}: {field.replace('_', ' ')}"


def describe_value(
    value: Any,
    catalogue: Catalogue | None = None,
    kind: str = "",
    field: str = "",
    codes: Codes | None = None,
) -> str:
    """A stored value as a person reads it: a catalogue key as its label ("North Lanarkshire"),
    an answer or an enum value in its words (core.describe.code_words, as `journeyapp
    decisions` words it), anything typed as typed."""
    if value is None or value == "":
        return "(empty)"
    if field == "_remove":  # a removal asked about: keep the record (with its change) or not
        return "remove" if value == "remove" else "keep"
    whole = unit_words(kind, value)
    if whole is not None:  # a consent, or where a journey stands, decided as one
        return whole
    if isinstance(value, dict):  # a record recorded twice: the values that differ
        return "; ".join(
            f"{k.replace('_', ' ')}: {describe_value(v, catalogue, kind, k, codes)}"
            for k, v in value.items()
        )
    return typed_or_coded_words(value, kind, field, catalogue, codes)


def describe_side(
    side: Side,
    catalogue: Catalogue | None = None,
    kind: str = "",
    field: str = "",
    laptops: dict[str, str] | None = None,
    codes: Codes | None = None,
) -> str:
    """The value, then who set it, on which laptop (by its enrolled name if known), and when."""
    named = (laptops or {}).get(side.device_id)
    laptop = (
        f" on {named}" if named else (f" on laptop {side.device_id[:8]}" if side.device_id else "")
    )
    value = describe_value(side.value, catalogue, kind, field, codes)
    if not side.actor and not side.device_id:  # "keep": what this laptop holds now
        return f"{value}  — as it is here, {side.at[:10]}"
    return f"{value}  — {side.actor}{laptop}, {side.at[:10]}"


class DecisionsModel(QAbstractTableModel):
    """One row per clash; DECISION_ROLE returns the MergeDecision itself."""

    def __init__(
        self,
        name_of: Callable[[str | None], str],
        parent: Any = None,
        catalogue: Catalogue | None = None,
        laptops: dict[str, str] | None = None,
        codes: Codes | None = None,
    ) -> None:
        super().__init__(parent)
        self._name_of = name_of
        self._catalogue = catalogue
        self._codes = codes
        self._laptops = laptops or {}
        self._rows: list[MergeDecision] = []
        self._names: list[str] = []

    def set_decisions(self, decisions: list[MergeDecision]) -> None:
        """Replace the snapshot."""
        self.beginResetModel()
        self._rows = list(decisions)
        self._names = [self._name_of(d.participant_id) for d in self._rows]
        self.endResetModel()

    def decision(self, row: int) -> MergeDecision:
        """The decision on one row."""
        return self._rows[row]

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(Column)

    @override
    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        decision = self._rows[index.row()]
        if role == DECISION_ROLE:
            return decision
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = Column(index.column())
            if column is Column.PARENT:
                return self._names[index.row()]
            if column is Column.DETAIL:
                return describe_detail(decision.kind, decision.field, decision.here.value)
            side = decision.here if column is Column.HERE else decision.incoming
            return describe_side(
                side, self._catalogue, decision.kind, decision.field, self._laptops, self._codes
            )
        return None

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header(_TITLES, section, orientation, role)
