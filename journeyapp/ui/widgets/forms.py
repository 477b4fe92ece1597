"""Forms: combo boxes by key, fields with a message beneath them, and FormDialog (Save on
Enter, a prompt before typed words are dropped, drafts kept while typing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import date
from typing import Any, ClassVar, cast

from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Catalogue
from journeyapp.core.dates import DATE_HINT, check_day
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import Voice
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Record, new_id
from journeyapp.core.validation import parse_date, parse_optional_date
from journeyapp.ui import theme
from journeyapp.ui.formatting import voice_words
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets import screen as on_screen
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.layout import SPACING, heading, is_removed, scrolled, wrapping_label
from journeyapp.ui.widgets.screen import SHORT, fit_to_contents, fit_to_hint, scroll_body
from journeyapp.ui.widgets.wheel import ChoiceBox


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


def combo_items(combo: QComboBox) -> list[tuple[str, str]]:
    """A combo box's (key, label) pairs, as fill_combo was given them."""
    return [(str(combo.itemData(i)), combo.itemText(i)) for i in range(combo.count())]


def select_key(combo: QComboBox, key: str) -> None:
    """Make the item whose key is `key` current (left as it is when there is none)."""
    index = combo.findData(key)
    if index >= 0:
        combo.setCurrentIndex(index)


def area_combo(catalogue: Catalogue, held: str = "") -> QComboBox:
    """The partnership's outcome areas, after "No particular area" (key ""); then `held`, the
    area a goal being changed has, when the catalogue no longer lists it (so it stays)."""
    combo = ChoiceBox()
    fill_combo(
        combo, [("", "No particular area"), *catalogue.choices("outcome_areas", [held])], held
    )
    return combo


def voice_combo(name: str, words: Callable[[Voice, str], str] = voice_words) -> QComboBox:
    """Whose words these are: the parent's (named), agreed together, or the keyworker's note
    (`words`: how each voice is said; the words beside a goal or strength by default)."""
    combo = ChoiceBox()
    fill_combo(combo, [(v.value, _first_upper(words(v, name))) for v in Voice])
    return combo


def choice_combo(name: str) -> QComboBox:
    """Whose choice something was (a break's day to get in touch again): the same voice as
    voice_combo keeps, in words that fit a choice ("Zoë's choice", "Chosen together",
    "Keyworker's choice")."""
    from journeyapp.core.describe import chosen_by_words

    return voice_combo(name, chosen_by_words)


def _first_upper(words: str) -> str:
    # Not str.capitalize(): that would lower-case the rest ("In zoë's words").
    return words[:1].upper() + words[1:]


def combo_key(combo: QComboBox) -> str:
    """The key (item data) of a combo box's current item."""
    data = combo.currentData()
    return str(data) if data is not None else ""


def heading_row(
    layout: QVBoxLayout,
    title: str,
    button_text: str,
    button_name: str,
    on_click: Callable[[], object],
    *,
    beside: Sequence[QWidget] = (),
) -> QPushButton:
    """Add a heading with one action button on the right to `layout` (`beside`: other buttons
    before it); returns the button."""
    top = QHBoxLayout()
    top.addWidget(heading(title))
    top.addStretch(1)
    for widget in beside:
        top.addWidget(widget)
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


class ProblemsSaid:
    """Says a field's problem to a screen reader, after the field's name, while the words
    beside it show it to the eye (they are a label a screen reader does not read when the
    keyboard lands on the field); and takes it away again."""

    def __init__(self) -> None:
        self._told: list[tuple[QWidget, str]] = []

    def tell(self, field: QWidget, message: str) -> None:
        """Add `message` to what `field` (and the part of it that takes the keyboard) says."""
        proxy = field.focusProxy()
        for target in (field, *([proxy] if proxy is not None else [])):
            before = target.accessibleDescription()
            self._told.append((target, before))
            target.setAccessibleDescription(f"Problem: {message} {before}".strip())

    def forget(self) -> None:
        """Put back what each field said before."""
        for target, before in self._told:
            if not is_removed(target):
                target.setAccessibleDescription(before)
        self._told.clear()


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
        self.said = ProblemsSaid()

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
            self.said.tell(widget, message)
            widget.setFocus()

    def clear_errors(self) -> None:
        """Hide every message."""
        self.said.forget()
        self.general_error.hide()
        for error in self.errors.values():
            error.hide()


# How long after the last key a draft is written: long enough not to write on every key,
# short enough that a crash loses at most a second of typing.
DRAFT_DELAY_MS = 1000
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_discard_cancel(parent: QWidget | None, title: str, what: str) -> str:
    """Ask what to do with typed words before leaving: SAVE, DISCARD or CANCEL (stay)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    # "The About tab" has changes; "The About tab and the Background tab" have them.
    verb = "have" if " and " in what else "has"
    box.setText(f"{what} {verb} changes that are not saved yet.")
    box.setInformativeText("Save them, throw them away, or go back to them?")
    save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    save.setAccessibleName("Save")
    discard.setAccessibleName("Discard changes")
    stay.setAccessibleName("Go back")
    box.setDefaultButton(save)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL


def may_leave(dialog: QDialog, changed: bool, save: Callable[[], object]) -> bool:
    """Before a dialog's Escape, Cancel or close button (AsksBeforeLeaving): True when it may
    close (nothing typed, or the keyworker chose Discard); on Save, `save` runs
    (it closes the dialog itself when the words are saved) and the dialog stays for now."""
    if not changed:
        return True
    answer = ask_save_discard_cancel(dialog, dialog.windowTitle(), "This form")
    if answer == SAVE:
        save()
        return False
    return answer == DISCARD


class KeepsDrafts:
    """Mixed into anything that takes typed words (a dialog, the About tab's details) so a crash
    loses at most a second of typing: DRAFT_DELAY_MS after the last key what was typed is kept
    in the caseload (encrypted with it) under `draft_key`; saving or throwing the words away
    forgets it, and the window offers it back at the next start.

    The owner calls start_drafts() once, names its inputs in draft_inputs(), says when
    something was typed (has_changes) and calls watch_typing() once its inputs are built.
    Only a class with a `draft_form` name keeps drafts.
    """

    # The name a draft of this form is kept under ("" = no drafts); the window reopens by it.
    draft_form: ClassVar[str] = ""
    caseload: Caseload
    draft_key: str
    draft_context: dict[str, Any]
    _draft_timer: QTimer
    _draft_kept: bool
    _draft_failed: bool  # said that typing cannot be kept (until it can again)

    def start_drafts(self, owner: QObject) -> None:
        """Set up the draft's key and its timer (once, when the form is built)."""
        self.draft_key = new_id()
        self.draft_context = {}
        self._draft_kept = False
        self._draft_failed = False
        self._draft_timer = QTimer(owner)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)

    def keep_drafts(self, participant_id: str | None, **context: Any) -> None:
        """Say what a draft of this form is about (the parent, the record being corrected and
        anything else needed to build the same form again)."""
        existing = getattr(self, "existing", None)
        self.draft_context = {
            "participant_id": participant_id,
            "record_id": existing.id if existing is not None else None,
            **context,
        }

    def draft_inputs(self) -> dict[str, QWidget]:
        """The inputs whose values a draft keeps, by key."""
        return {}

    def values(self) -> dict[str, Any]:
        """Every input's value by key."""
        return {key: widget_value(widget) for key, widget in self.draft_inputs().items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put kept values back into the inputs (a draft reopened)."""
        inputs = self.draft_inputs()
        for key, value in values.items():
            if key in inputs and value is not None:
                set_widget_value(inputs[key], value)

    def watch_typing(self) -> None:
        """Follow typing in every input from now on (call once)."""
        for widget in self.draft_inputs().values():
            _on_change(widget, self.typed)

    def has_changes(self) -> bool:
        """True when something was typed or chosen and not saved."""
        return False

    def draft_fields(self) -> dict[str, Any]:
        """What a draft keeps (every input's value unless a form keeps less)."""
        return self.values()

    def draft_title(self) -> str:
        """What the draft is called when it is offered back."""
        return cast(QWidget, self).windowTitle()

    def draft_about(self) -> dict[str, Any]:
        """What a draft keeps beside its fields: what it is about (`draft_context`), and what
        a form needs to tell later what changed meanwhile."""
        return dict(self.draft_context)

    def typed(self) -> None:
        """Something was typed: keep a draft a moment after the last key."""
        if self.draft_form:
            self._draft_timer.start()

    def keep_draft(self) -> bool:
        """Keep what is typed in the caseload now (or forget the draft when nothing is); False
        when typed words could not be kept (said in the form)."""
        self._draft_timer.stop()
        if not self.draft_form or self.caseload.is_closed:
            return True
        if not self.has_changes():
            self.forget_draft()
            return True
        about = self.draft_about()
        draft = Draft(
            key=self.draft_key,
            form=self.draft_form,
            title=self.draft_title(),
            participant_id=about.get("participant_id"),
            context=about,
            fields=self.draft_fields(),
        )
        try:
            self.caseload.keep_draft(draft)
        except JourneyError as exc:
            # A draft that cannot be written (a full disk) must not stop the typing, but it
            # is said, once: the words are not safe from a crash or a flat battery meanwhile.
            if not self._draft_failed:
                self._draft_failed = True
                self.show_note(exc.message)
            return False
        self._draft_kept = True
        self._draft_failed = False
        return True

    def forget_draft(self) -> None:
        """Forget this form's draft (saved, or thrown away)."""
        self._draft_timer.stop()
        if self._draft_kept and not self.caseload.is_closed:
            with suppress(JourneyError):
                self.caseload.discard_draft(self.draft_key)
            self._draft_kept = False

    def show_note(self, message: str) -> None:
        """Show a message about the whole form (not one field)."""

    def took_over(self, draft: Draft) -> None:
        """This form now holds a kept draft's words: saving or throwing them away forgets it."""
        self.draft_key = draft.key
        self._draft_kept = True


class AsksBeforeLeaving(KeepsDrafts, QDialog):
    """A dialog that never drops typed words: Escape, Cancel or the close button ask Save /
    Discard / Go back when something was typed (once at a time), and one with a `draft_form`
    keeps its typing as a draft (KeepsDrafts) that the window can build again with reopen().

    Subclasses say submit() (save; it closes the dialog when the words are saved), name their
    inputs in draft_inputs() and call _watch() once the inputs are built and filled (a
    FormDialog does when it is shown); has_changes() is measured from then.
    """

    # The record kind (table) a correcting form's `existing` record is of, for reopen().
    draft_kind: ClassVar[str] = ""
    _forms: ClassVar[dict[str, type[AsksBeforeLeaving]]] = {}
    _asking = False
    _initial: dict[str, Any] | None = None
    _carry_on = False  # reopened with kept words: the cursor goes after them when shown

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.draft_form:
            AsksBeforeLeaving._forms[cls.draft_form] = cls

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_drafts(self)

    def _watch(self) -> None:
        """Note the values the form opened with (what "changes" are measured from) and follow
        typing from now on (once)."""
        if self._initial is None:
            self._initial = self.values()
            self.watch_typing()

    @override
    def has_changes(self) -> bool:
        return self._initial is not None and self.values() != self._initial

    @override
    def draft_about(self) -> dict[str, Any]:
        about = super().draft_about()
        if about.get("record_id") and self._initial is not None:
            # A correction: what the record said when it opened tells what was typed from
            # what was changed elsewhere meanwhile, when it is reopened.
            about["opened_with"] = dict(self._initial)
        return about

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._carry_on:
            self._carry_on = False
            # Showing a dialog selects all of the line with the cursor, so the next key would
            # replace the kept words; once shown, the cursor goes after them to carry on.
            QTimer.singleShot(0, self._cursor_after_words)

    def _cursor_after_words(self) -> None:
        line = self.focusWidget()
        if isinstance(line, QLineEdit):
            line.deselect()
            line.end(False)

    def submit(self) -> None:
        """Save what was typed (closes the dialog when it is saved)."""

    @override
    def accept(self) -> None:
        self.forget_draft()
        super().accept()

    @override
    def reject(self) -> None:
        """Escape, Cancel or the close button: ask first when something was typed."""
        if self._asking:
            return
        self._asking = True
        try:
            leave = may_leave(self, self.has_changes(), self.submit)
        finally:
            self._asking = False
        if leave:
            self.forget_draft()
            super().reject()

    def put_away(self) -> bool:
        """Close without asking, keeping what was typed as a draft (the window is locking or
        quitting); the draft is offered back next time. Typed words that cannot be kept (a
        full disk, the caseload file gone) keep the form open instead (False)."""
        if not self.keep_draft():
            return False
        self._draft_kept = False  # closing must not forget it
        self._draft_timer.stop()
        super().reject()
        return True

    @classmethod
    def reopen(
        cls, caseload: Caseload, draft: Draft, parent: QWidget | None
    ) -> AsksBeforeLeaving | None:
        """The form a draft was typed in, built again with its words (None: no longer possible,
        e.g. the parent or the record has gone)."""
        form_class = AsksBeforeLeaving._forms.get(draft.form)
        if form_class is None:
            return None
        try:
            dialog = form_class.from_context(caseload, draft.context, parent)
        except (JourneyError, KeyError, ValueError):
            return None  # what it was about has gone (or the draft was kept by another version)
        if dialog is None:
            return None
        dialog.took_over(draft)
        # Measured from the form as built, so the kept words count as changes: leaving asks.
        dialog._watch()
        now = dialog.values()
        kept = draft.fields
        then = draft.context.get("opened_with")
        if isinstance(then, dict):
            # A correction: only what was typed goes over the record as it is now, so what was
            # changed elsewhere meanwhile in other fields stays; where the same field changed,
            # the typed words are shown with a note and the keyworker decides.
            kept = {key: value for key, value in kept.items() if then.get(key) != value}
            if any(key in then and then[key] != now.get(key) for key in kept):
                dialog.show_note(
                    "This was changed elsewhere since you typed. What you typed is shown: Save "
                    "keeps it; Cancel, then Discard changes, keeps what is saved now."
                )
        dialog.set_values(kept)
        dialog._carry_on = True
        return dialog

    def show_note(self, message: str) -> None:
        """Show a message about the whole form (not one field) above or below it."""

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> AsksBeforeLeaving | None:
        """Build this form again from its `draft_context` (subclasses with a draft_form)."""
        return None

    @classmethod
    def draft_record(cls, caseload: Caseload, context: dict[str, Any]) -> Any:
        """The record a draft was correcting (None: it was a new one); NotFound when it has gone."""
        record_id = context.get("record_id")
        if not record_id or not cls.draft_kind:
            return None
        return caseload.record(cls.draft_kind, str(record_id))


class TextBox(QPlainTextEdit):
    """A few lines for words (notes, goals, next steps) that wrap as they are typed.

    Enter still saves the form, as in every other field (the quick dialogs stay quick);
    Shift+Enter starts a new line; Tab moves on. Speaks QLineEdit's text()/setText() so forms
    read every field alike.

    It is never less than `lines` high and grows, as far as the dialog has room, to show the
    words it holds and a line more to type on (up to MOST_LINES; beyond that it scrolls): a
    saved note opened to be put right was shown two lines at a time, cut off mid-line, above a
    hand's width of empty dialog.
    """

    HINT = "Enter saves; Shift+Enter starts a new line"
    # The most lines a box asks for before it scrolls (a long note still leaves the form, and
    # its Save button, in sight on a laptop).
    MOST_LINES = 10

    def __init__(self, text: str = "", *, placeholder: str = "", lines: int = 3) -> None:
        super().__init__()
        theme.style(self, "textBox")
        self._lines = lines
        self._asked = lines
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(self._height(lines))
        self.setText(text)
        self.textChanged.connect(self._fit)

    def _height(self, lines: int) -> int:
        margins = self.contentsMargins()
        doc = int(self.document().documentMargin() * 2)
        return (
            self.fontMetrics().lineSpacing() * lines
            + doc
            + margins.top()
            + margins.bottom()
            + 2 * self.frameWidth()
        )

    def words_lines(self) -> int:
        """How many lines the words take, wrapped at the box's width (at least one)."""
        text = self.toPlainText()
        if not text:
            return 1
        metrics = self.fontMetrics()
        doc = int(self.document().documentMargin() * 2)
        # Before it is laid out the box has no width of its own: a form's usual one.
        width = max(self.viewport().width() - doc, metrics.averageCharWidth() * 40)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        height = metrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, text).height()
        return max(1, -(-height // metrics.lineSpacing()))

    def _wanted_lines(self) -> int:
        # On a short screen (200% on a laptop) a quarter of it at most: the rest of the form,
        # and its Save button, stay in sight.
        room = on_screen.available_geometry(self).height() // 4
        most = max(self._lines, min(self.MOST_LINES, room // self.fontMetrics().lineSpacing()))
        return min(max(self._lines, self.words_lines() + 1), most)

    def _fit(self) -> None:
        """Ask for room for the words again when they take another number of lines."""
        lines = self._wanted_lines()
        if lines != self._asked:
            self._asked = lines
            self.updateGeometry()

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()  # the words wrap anew at a new width

    @override
    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height(self._wanted_lines()))

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height(self._lines))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.ignore()  # the dialog's default button (Save) takes it
            return
        if enter:
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        """The words typed, as they were given: each line break one "\n" (Qt keeps them as
        paragraph ends, U+2029), and everything else as it came, a no-break space too (plain
        text would make it a space), so the caseload's one rule for typed words (core.typed)
        meets the same words here as from a command's option or a spreadsheet's cell."""
        return self.document().toRawText().replace("\u2029", "\n")

    def setText(self, text: str) -> None:  # noqa: N802 - as QLineEdit's
        """Replace the words (the cursor after them, to carry on typing)."""
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.End)
        self._fit()  # room for the words (a draft put back, a record to correct)


def widget_value(widget: QWidget) -> Any:
    """What a form's input holds, as plain data (for "anything typed?" and drafts); None for a
    widget that is not an input."""
    if isinstance(widget, (QLineEdit, TextBox, DateEdit)):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText() if widget.isEditable() else combo_key(widget)
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QListWidget):
        return ticked(widget)
    return None


def ticked(widget: QListWidget) -> list[str]:
    """The keys (UserRole data) of the items ticked in a list of check boxes (a register)."""
    items = (widget.item(n) for n in range(widget.count()))
    return [
        str(item.data(Qt.ItemDataRole.UserRole))
        for item in items
        if item.checkState() == Qt.CheckState.Checked
    ]


def set_widget_value(widget: QWidget, value: Any) -> None:
    """Put a value read by widget_value back (a draft reopened)."""
    if isinstance(widget, (QLineEdit, TextBox, DateEdit)):
        widget.setText(str(value))
    elif isinstance(widget, QComboBox):
        if widget.isEditable():
            widget.setCurrentText(str(value))
        else:
            index = widget.findData(value)
            if index >= 0:
                widget.setCurrentIndex(index)
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QListWidget):
        # Keys that are no longer listed (a parent who has gone) are left out.
        wanted = {str(key) for key in value}
        for n in range(widget.count()):
            item = widget.item(n)
            on = str(item.data(Qt.ItemDataRole.UserRole)) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _on_change(widget: QWidget, slot: Callable[[], None]) -> None:
    if isinstance(widget, (QLineEdit, DateEdit, TextBox)):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        widget.editTextChanged.connect(slot)
    elif isinstance(widget, QSpinBox):
        widget.valueChanged.connect(slot)
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(slot)
    elif isinstance(widget, QListWidget):
        widget.itemChanged.connect(slot)


class FormDialog(AsksBeforeLeaving):
    """A small dialog: a form with a message beside each field, Save on Enter (Ctrl+Enter in a
    box of several lines), and no typed word ever dropped without asking.

    Subclasses add fields with add_field(key, label, widget) and implement save(), which raises
    ValidationError(message, field=key) for a problem; the message appears under that field and
    everything typed stays as it was. Inputs outside `fields` (a grid of scores, check boxes in
    a row) go in `inputs` so they count as typing too.

    Leaving with changes (Escape, Cancel, the window's close button) asks Save / Discard / Go
    back. A form with a `draft_form` name keeps its typing in the caseload a second after the
    last key (encrypted with it), and the window offers it back after a crash; `draft_context`
    says what `reopen` needs to build the same form again.
    """

    def __init__(
        self,
        title: str,
        caseload: Caseload,
        parent: QWidget | None = None,
        save_text: str = "Save",
        *,
        existing: Record | None = None,
        scrolling: bool = False,
    ) -> None:
        super().__init__(parent)
        self.caseload = caseload
        # The record being corrected (None: a new one is made).
        self.existing = existing
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(SPACING)
        # On a short screen (200% on a laptop) the form's fields have the room the wide
        # margins took: a message under a field then fits without scrolling.
        short = on_screen.available_geometry(parent).height() < SHORT
        margin = SPACING if short else SPACING * 2
        layout.setContentsMargins(margin, margin, margin, margin)
        self.general_error = wrapping_label(selectable=False)
        self.general_error.setAccessibleName("Problem")
        self.general_error.hide()
        layout.addWidget(self.general_error)
        self.form = FieldForm(self.general_error)
        self._scroll_inner: QWidget | None = None
        self._sized = False
        if scrolling:
            # A long form (a job record) scrolls, so nothing is cut off at 200% on a laptop.
            inner = QWidget()
            inner_layout = QVBoxLayout(inner)
            inner_layout.setContentsMargins(0, 0, SPACING, 0)
            inner_layout.addLayout(self.form)
            inner_layout.addStretch(1)
            layout.addWidget(scrolled(inner), 1)
            self._scroll_inner = inner
        else:
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
        # Ctrl+Enter saves from a box of several lines, where Enter starts a new line.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._try_save)
        # The form's own dicts: a subclass may point a key at a widget of its own (scores).
        self.fields = self.form.fields
        self.errors = self.form.errors
        self.inputs: dict[str, QWidget] = {}
        self.result_value: Any = None
        # Wide enough for a sentence of the parent's words and a message beside a field.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        # A long form scrolls on a small screen; Save and Cancel stay in sight.
        self.scroll_area = scroll_body(self)

    def add_field(self, key: str, label: str, widget: QWidget, hint: str = "") -> QWidget:
        """Add a labelled field with room for a message beneath it."""
        return self.form.add_field(key, label, widget, hint)

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._scroll_inner is not None and not self._sized:
            # As tall as the form, up to most of the screen; beyond that it scrolls (once, when
            # first shown: also when reopened from a draft, whose typing is watched already).
            self._sized = True
            screen = self.screen().availableGeometry().height()
            extra = self.sizeHint().height() - self._scroll_inner.sizeHint().height()
            wanted = self._scroll_inner.sizeHint().height() + max(extra, 0) + SPACING * 4
            self.resize(self.width(), min(wanted, int(screen * 0.9)))
        elif not self._sized:
            # As tall as its fields, no taller (once, when first shown: a person may make it
            # larger, and a message under a field grows it, screen.fit_to_contents).
            self._sized = True
            fit_to_hint(self)
        self._watch()
        # Open with the cursor in the first field, not on the buttons (built before the fields).
        # A subclass that chose a field (e.g. the contact note) keeps its choice.
        chosen = self.focusWidget()
        if self.fields and (chosen is None or isinstance(chosen, QAbstractButton)):
            next(iter(self.fields.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    @override
    def draft_inputs(self) -> dict[str, QWidget]:
        found = {k: w for k, w in self.fields.items() if widget_value(w) is not None}
        found.update(self.inputs)
        return found

    @override
    def submit(self) -> None:
        self._try_save()

    @override
    def show_note(self, message: str) -> None:
        self.show_error(message, None)

    def save(self) -> Any:
        """Save through the façade; raise ValidationError(message, field=key) for a problem."""
        raise NotImplementedError

    def show_error(self, message: str, key: str | None) -> None:
        """Show `message` beside field `key` (or above the form) and put the cursor there.

        The form grows to show it whole where the screen has room (as Enrol a new parent
        does); a form that fills the screen scrolls the message and its field into sight."""
        self.form.show_error(message, key)
        fit_to_contents(self)
        error = self.form.errors.get(key or "")
        field = self.form.fields.get(key or "")
        if error is not None and field is not None:
            # Once laid out with the message in it.
            QTimer.singleShot(0, self, lambda: self._show_field(error, field))

    def _show_field(self, error: QWidget, field: QWidget) -> None:
        if is_removed(field):
            return
        self.scroll_area.ensureWidgetVisible(error)
        self.scroll_area.ensureWidgetVisible(field)

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

    def add_date_field(
        self, key: str, label: str, value: date | None = None, *, optional: bool = False
    ) -> DateEdit:
        """Add the date field (dd/mm/yyyy, ISO accepted, a calendar) showing `value` (today if
        None, unless `optional`)."""
        shown = value if value is not None or optional else self.today()
        edit = DateEdit(shown, optional=optional)
        self.add_field(key, label, edit, DATE_HINT)
        return edit

    def past_date(self, key: str, label: str, record: type[Record]) -> date:
        """Read the required date field `key`, refusing a day after today as the caseload would
        (core.dates.check_day: the same words); a problem is shown beside it (`label` names the
        field in "not a date" messages; `record`, the kind of record it is the date of)."""
        edit = self.fields[key]
        assert isinstance(edit, DateEdit)
        value = self.date_field(key, edit.text(), label)
        self.not_future(key, value, record)
        return value

    def date_field(self, key: str, text: str, label: str) -> date:
        """Read a required date field (ISO or dd/mm/yyyy); a problem is raised against `key`."""
        return field_date(key, text, label)

    def optional_date_field(self, key: str, text: str, label: str) -> date | None:
        """Read an optional date field."""
        return optional_field_date(key, text, label)

    def not_future(self, key: str, value: date | None, record: type[Record]) -> None:
        """Refuse a day after today in field `key` of a `record`, before anything is saved (a
        form may save in more than one step), in the words the caseload would use."""
        spec = record.FIELDS[key]
        if value is not None and spec.day is not None:
            check_day(spec.day, spec.label, value, key, self.today())

    def today(self) -> date:
        """Today as the caseload sees it."""
        return self.caseload.today()


class ParentRecordDialog(FormDialog):
    """A form for one of a parent's records: a new one, or (with `existing`) one noted before,
    corrected. The title and the Save button say which (`titles`, `save_texts`: new, then
    correcting); a draft of it is about that parent and that record."""

    titles: ClassVar[tuple[str, str]] = ("", "")
    save_texts: ClassVar[tuple[str, str]] = ("Save", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Record | None = None,
    ) -> None:
        correcting = existing is not None
        super().__init__(
            self.titles[correcting],
            caseload,
            parent,
            save_text=self.save_texts[correcting],
            existing=existing,
        )
        self.participant_id = participant_id
        self.keep_drafts(participant_id)

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        """The same form again for the parent and record its draft was about."""
        pid = str(context["participant_id"])
        return cls(caseload, pid, parent, existing=cls.draft_record(caseload, context))
