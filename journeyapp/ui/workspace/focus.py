"""Bring one record into sight in a workspace section: its card or line focused, or its table
row selected (This week opens a parent at the step, referral or break it is about)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QWidget

from journeyapp.ui.widgets.record_table import RECORD_ROLE
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY, record_of


def focus_record(section: QWidget, record_id: str) -> QWidget | None:
    """Focus the widget (or select the table row) that stands for `record_id` in `section`,
    scrolled into sight; returns the widget focused, or None when the section does not show it."""
    for widget in section.findChildren(QWidget):
        if widget.property(RECORD_PROPERTY) == record_id:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            parent = widget.parentWidget()
            while parent is not None and not isinstance(parent, QScrollArea):
                parent = parent.parentWidget()
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            return widget
    for view in section.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            record = record_of(index.data(RECORD_ROLE))
            if record is not None and record.id == record_id:
                view.setCurrentIndex(index)
                view.scrollTo(index)
                view.setFocus(Qt.FocusReason.OtherFocusReason)
                return view
    return None
