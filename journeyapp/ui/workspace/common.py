"""Shared pieces of the parent's workspace: the section base, form dialogs with inline errors, helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.enums import Voice, label
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Journey
from journeyapp.core.validation import parse_date, parse_optional_date
from journeyapp.ui.models import column_header

SPACING = 12
_ROOT = QModelIndex()
RECORD_ROLE = Qt.ItemDataRole.UserRole
REMOVED_PROPERTY = "journeyapp_removed"
_REMOVED = QByteArray(REMOVED_PROPERTY.encode())
# The hint on every date field: the form people type (parse_date also reads ISO dates).
DATE_HINT = "A date such as 03/11/2026"


def fmt_date(value: date | None, empty: str = "—") -> str:
    """A date as people write it on this screen: "3 Nov 2026"."""
    if value is None:
        return empty
    return f"{value.day} {value.strftime('%b %Y')}"


def input_date(value: date | None) -> str:
    """A date as typed into a field (dd/mm/yyyy, which parse_date reads back)."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def quote(words: str) -> str:
    """The parent's words in quotation marks."""
    return f"“{words.strip()}”"


def clear_layout(layout: QLayout) -> None:
    """Remove every item of `layout`; widgets are deleted later (one may be emitting a signal now)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.setProperty(REMOVED_PROPERTY, True)
            widget.hide()
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)
            inner.deleteLater()


def layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets directly in `layout`, in order."""
    result = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is not None:
            result.append(widget)
    return result


def show_items(
    layout: QVBoxLayout, widgets: Sequence[QWidget], empty: str, *, stretch: bool = False
) -> None:
    """Make `layout` list `widgets` (cards, rows), or one quiet line saying `empty` if none.

    With `stretch`, the list keeps to the top of a taller page.
    """
    clear_layout(layout)
    if not widgets:
        layout.addWidget(muted(wrapping_label(empty)))
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)


def is_removed(widget: QWidget) -> bool:
    """True for a widget taken out by clear_layout (or inside one) and waiting to be deleted."""
    current: QWidget | None = widget
    while current is not None:
        # dynamicPropertyNames, not property(): PySide 6.12's property() of an unset name
        # returns None with a reference missing, which crashes the interpreter at exit.
        if _REMOVED in current.dynamicPropertyNames():
            return True
        current = current.parentWidget()
    return False


def heading(text: str) -> QLabel:
    """A section heading: bold, a little larger than the body text."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class WrapLabel(QLabel):
    """A word-wrapped label whose size hint follows its real width.

    A plain wrapped QLabel guesses a narrow width for its size hint, so layouts give it two or
    three lines of height it does not use; this one asks for the height it needs at its width.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._height_at_width = -1

    @override
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > 0:
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    @override
    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.width() > 0:
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self.heightForWidth(self.width())
        if height != self._height_at_width:
            self._height_at_width = height
            self.updateGeometry()


def wrapping_label(text: str = "", *, selectable: bool = True) -> QLabel:
    """A plain-text label that wraps and can be selected (for people's words)."""
    label = WrapLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour (system palette, no hard-coded colours)."""
    label.setForegroundRole(label.foregroundRole())
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.color(palette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


def set_muted(label: QLabel, on: bool) -> None:
    """Make a label secondary text, or back to ordinary text (from the system palette)."""
    if on:
        muted(label)
    else:
        label.setPalette(QPalette())


def fill_combo(
    combo: QComboBox, items: Iterable[tuple[str, str]], current: str | None = None
) -> None:
    """Fill a combo box with (key, label) pairs; the key is the item data."""
    combo.clear()
    for key, text in items:
        combo.addItem(text, key)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)


def area_combo(catalogue: Catalogue) -> QComboBox:
    """The partnership's outcome areas, after "No particular area" (key "")."""
    combo = QComboBox()
    fill_combo(
        combo,
        [("", "No particular area"), *((e.key, e.label) for e in catalogue.outcome_areas)],
    )
    return combo


def voice_words(voice: Voice, name: str) -> str:
    """Whose words: "in Zoë's words", "agreed together" or "keyworker's note"."""
    if voice is Voice.PARENT:
        return f"in {name}'s words" if name else "in their words"
    return label(voice)


def voice_combo(name: str) -> QComboBox:
    """Whose words these are: the parent's (named), agreed together, or the keyworker's note."""
    combo = QComboBox()
    # The same words as beside a goal or strength, starting with a capital letter.
    fill_combo(combo, [(v.value, _first_upper(voice_words(v, name))) for v in Voice])
    return combo


def _first_upper(words: str) -> str:
    # Not str.capitalize(): that would lower-case the rest ("In zoë's words").
    return words[:1].upper() + words[1:]


def combo_key(combo: QComboBox) -> str:
    """The key (item data) of a combo box's current item."""
    data = combo.currentData()
    return str(data) if data is not None else ""


class Section(QWidget):
    """One tab of the workspace: shows a Journey, calls the façade, never holds SQL.

    Signals:
        status_message(str): a quiet note for the status bar ("Saved: …").
    """

    status_message = Signal(str)
    title = ""

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.journey: Journey | None = None
        self.setAccessibleName(self.title)

    def scrolling_page(self) -> QVBoxLayout:
        """Make this tab one scrolling page (nothing clips at 200%); returns its layout."""
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner))
        return layout

    def heading_and_list(
        self,
        title: str,
        button_text: str,
        button_name: str,
        on_click: Callable[[], object],
        spacing: int = SPACING,
    ) -> tuple[QPushButton, QVBoxLayout]:
        """The usual shape of a tab: a heading with one action button, then a scrolling list.

        Returns the button and the list's layout (cards or rows are added to it).
        """
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, 0)
        layout.setSpacing(SPACING)
        button = heading_row(layout, title, button_text, button_name, on_click)
        inner = QWidget()
        items = QVBoxLayout(inner)
        items.setContentsMargins(0, 0, SPACING, SPACING)
        items.setSpacing(spacing)
        layout.addWidget(scrolled(inner), 1)
        return button, items

    def show_journey(self, journey: Journey | None) -> None:
        """Show `journey` (None: nobody selected)."""
        self.journey = journey
        # Rebuilding replaces widgets; keep the keyboard where it was (same accessible name).
        focused = QApplication.focusWidget()
        name = focused.accessibleName() if focused and self.isAncestorOf(focused) else ""
        self.refresh()
        if name:
            # New widgets are shown by the event loop; give the focus back once they are.
            QTimer.singleShot(0, lambda: self._restore_focus(name))

    def _restore_focus(self, name: str) -> None:
        current = QApplication.focusWidget()
        if (
            current is not None
            and self.isAncestorOf(current)
            and not is_removed(current)
            and current.accessibleName() == name
        ):
            return
        for widget in self.findChildren(QWidget):
            if widget.accessibleName() == name and not is_removed(widget) and widget.isVisible():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def refresh(self) -> None:
        """Rebuild the section from self.journey (subclasses)."""

    @property
    def pid(self) -> str | None:
        """The participant shown, or None."""
        return self.journey.participant.id if self.journey else None

    def name(self) -> str:
        """The parent's preferred name (for "in Zoë's words")."""
        return self.journey.participant.preferred_name if self.journey else ""

    def saved(self, what: str) -> None:
        """Tell the status bar a change was committed."""
        self.status_message.emit(f"Saved: {what}")

    def run(self, action: Callable[[], Any], what: str) -> Any:
        """Run a façade call for an inline control; errors are shown, success noted."""
        from journeyapp.ui.errors import attempt

        result = attempt(self, action)
        if result is not None:
            self.saved(what)
        return result


def heading_row(
    layout: QVBoxLayout,
    title: str,
    button_text: str,
    button_name: str,
    on_click: Callable[[], object],
) -> QPushButton:
    """Add a heading with one action button on the right to `layout`; returns the button."""
    top = QHBoxLayout()
    top.addWidget(heading(title))
    top.addStretch(1)
    button = QPushButton(button_text)
    button.setAccessibleName(button_name)
    button.clicked.connect(on_click)
    top.addWidget(button)
    layout.addLayout(top)
    return button


def field_with_message(widget: QWidget, label: str) -> tuple[QWidget, QLabel]:
    """A field with room for a message beneath it; returns (the box to lay out, the message)."""
    box = QWidget()
    inner = QVBoxLayout(box)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(2)
    inner.addWidget(widget)
    error = wrapping_label(selectable=False)
    error.setAccessibleName(f"Problem with {label.rstrip(':').lower()}")
    error.hide()
    inner.addWidget(error)
    return box, error


def scrolled(inner: QWidget) -> QScrollArea:
    """Wrap `inner` in a frameless vertical scroll area (so nothing clips at 200% scaling)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(inner)
    return area


def field_date(key: str, text: str, label: str) -> date:
    """Read a required date typed in field `key` (ISO or dd/mm/yyyy); a problem names `key`."""
    try:
        return parse_date(text, label)
    except ValidationError as exc:
        raise ValidationError(exc.message, key) from None


def optional_field_date(key: str, text: str, label: str) -> date | None:
    """Read an optional date typed in field `key`; a problem names `key`."""
    try:
        return parse_optional_date(text, label)
    except ValidationError as exc:
        raise ValidationError(exc.message, key) from None


class FieldForm(QFormLayout):
    """A form with room for a message beneath each field (the dialogs and the About details).

    `fields` and `errors` map a field's key to its widget and its message; a problem with no
    field of its own goes to `general_error` (a label the owner lays out where it fits).
    """

    def __init__(self, general_error: QLabel) -> None:
        super().__init__()
        self.setVerticalSpacing(SPACING // 2)
        self.setHorizontalSpacing(SPACING)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = general_error
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add_field(self, key: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        """Add a labelled field with room for a message beneath it."""
        widget.setAccessibleName(label.rstrip(":"))
        if hint:
            widget.setAccessibleDescription(hint)
            widget.setToolTip(hint)
        box, error = field_with_message(widget, label)
        text_label = QLabel(label)
        text_label.setBuddy(widget)
        self.addRow(text_label, box)
        self.fields[key] = widget
        self.errors[key] = error
        return widget

    def show_error(self, message: str, key: str | None) -> None:
        """Show `message` beneath field `key` (or as the general problem) and put the cursor there."""
        self.clear_errors()
        target = self.errors.get(key or "")
        if target is None:
            target = self.general_error
        target.setText(f"⚠ {message}")
        target.show()
        widget = self.fields.get(key or "")
        if widget is not None:
            widget.setFocus()

    def clear_errors(self) -> None:
        """Hide every message."""
        self.general_error.hide()
        for error in self.errors.values():
            error.hide()


class FormDialog(QDialog):
    """A small dialog: a form with a message beside each field, Save on Enter, Cancel on Escape.

    Subclasses add fields with add_field(key, label, widget) and implement save(), which raises
    ValidationError(message, field=key) for a problem; the message appears under that field and
    everything typed stays as it was.
    """

    def __init__(
        self,
        title: str,
        caseload: Caseload,
        parent: QWidget | None = None,
        save_text: str = "Save",
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        layout.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING * 2)
        self.general_error = wrapping_label(selectable=False)
        self.general_error.setAccessibleName("Problem")
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.form = FieldForm(self.general_error)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(save_text)
        save.setAccessibleName(save_text)
        # Save stays the default button wherever the cursor is, so Enter saves from any field.
        save.setDefault(True)
        save.setAutoDefault(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self._try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # The form's own dicts: a subclass may point a key at a widget of its own (scores).
        self.fields = self.form.fields
        self.errors = self.form.errors
        self.result_value: Any = None
        # Wide enough for a sentence of the parent's words and a message beside a field.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)

    def add_field(self, key: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        """Add a labelled field with room for a message beneath it."""
        return self.form.add_field(key, label, widget, hint)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Open with the cursor in the first field, not on the buttons (built before the fields).
        # A subclass that chose a field (e.g. the contact note) keeps its choice.
        chosen = self.focusWidget()
        if self.fields and (chosen is None or isinstance(chosen, QAbstractButton)):
            next(iter(self.fields.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> Any:
        """Save through the façade; raise ValidationError(message, field=key) for a problem."""
        raise NotImplementedError

    def show_error(self, message: str, key: str | None) -> None:
        """Show `message` beside field `key` (or above the form) and put the cursor there."""
        self.form.show_error(message, key)

    def clear_errors(self) -> None:
        """Hide every message."""
        self.form.clear_errors()

    def _try_save(self) -> None:
        try:
            self.result_value = self.save()
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        except JourneyError as exc:
            self.show_error(exc.message, None)
            return
        self.accept()

    def add_date_field(self, key: str, label: str, value: date | None = None) -> QLineEdit:
        """Add a date field showing `value` (today if None) as typed, with the usual hint."""
        edit = QLineEdit(input_date(value if value is not None else self.today()))
        self.add_field(key, label, edit, DATE_HINT)
        return edit

    def past_date(self, key: str, label: str, what: str = "The date") -> date:
        """Read the required date field `key`, refusing a date after today; a problem is shown
        beside it (`label` names the field in "not a date" messages, `what` in "in the future")."""
        edit = self.fields[key]
        assert isinstance(edit, QLineEdit)
        value = self.date_field(key, edit.text(), label)
        self.not_future(key, value, what)
        return value

    def date_field(self, key: str, text: str, label: str) -> date:
        """Read a required date field (ISO or dd/mm/yyyy); a problem is raised against `key`."""
        return field_date(key, text, label)

    def optional_date_field(self, key: str, text: str, label: str) -> date | None:
        """Read an optional date field."""
        return optional_field_date(key, text, label)

    def not_future(self, key: str, value: date | None, label: str) -> None:
        """Refuse a date after today, with the message beside the field."""
        today = self.today()
        if value is not None and value > today:
            raise ValidationError(
                f"{label} {fmt_date(value)} is in the future; give today ({fmt_date(today)}) "
                "or an earlier date.",
                key,
            )

    def today(self) -> date:
        """Today as the caseload sees it."""
        return self.caseload.today()


class Column:
    """One column of a RecordTableModel: a header and how to show a record in it."""

    def __init__(
        self,
        header: str,
        text: Callable[[Any], str],
        *,
        sort: Callable[[Any], Any] | None = None,
        tooltip: Callable[[Any], str] | None = None,
    ) -> None:
        self.header = header
        self.text = text
        self.sort = sort
        self.tooltip = tooltip


class RecordTableModel(QAbstractTableModel):
    """A read-only table over a list of records; RECORD_ROLE returns the record itself."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._records: list[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[Any]:
        """The rows shown."""
        return list(self._records)

    @override
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._records)

    @override
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    @override
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        record = self._records[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else column.text(record)
        if role == RECORD_ROLE:
            return record
        return None

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return column_header([c.header for c in self._columns], section, orientation, role)

    @override
    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def fit_rows(view: QTableView, most: int = 12) -> None:
    """Make a short table only as tall as its rows (up to `most` rows; then it scrolls)."""
    rows = min(view.model().rowCount(), most)
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    height += (
        sum(view.rowHeight(r) for r in range(rows)) if rows else view.fontMetrics().height() * 2
    )
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().height()
    # A fixed height: the section's own scroll area scrolls, not a small window inside it.
    view.setFixedHeight(height)


def record_table(model: RecordTableModel, name: str, stretch_column: int) -> QTableView:
    """A keyboard-friendly read-only table over `model`, one row per record, words wrapped."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setTabKeyNavigation(False)
    header = view.horizontalHeader()
    header.setAccessibleName(f"Columns of {name[0].lower()}{name[1:]}")
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Columns are sized from the first rows only: measuring hundreds of contacts would make
    # opening a busy parent slow, and dates and kinds are all about as wide.
    header.setResizeContentsPrecision(40)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view
