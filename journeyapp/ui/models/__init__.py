"""Qt adapters over plain Python records (no SQL, no business rules)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt


def column_header(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """headerData() for a table whose columns have fixed titles (no row headers)."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(headers)
    ):
        return headers[section]
    return None
