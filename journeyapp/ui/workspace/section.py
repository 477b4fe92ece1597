"""Section: the base of every tab of the parent's workspace (shows a Journey, calls the façade)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.drafts import Draft
from journeyapp.core.records import Journey, Participant, Record, StageChange
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FormDialog,
    KeepsDrafts,
    heading_row,
    set_widget_value,
    widget_value,
)
from journeyapp.ui.widgets.layout import SPACING, is_removed, scrolled


def bring_into_view(widget: QWidget) -> None:
    """Scroll the page `widget` is on until it is in sight, and put the keyboard on it (the
    cursor stays where it is: after the words a field was filled with)."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if isinstance(area, QScrollArea):
        area.ensureWidgetVisible(widget)
    widget.setFocus(Qt.FocusReason.OtherFocusReason)


class TypedOnTab(KeepsDrafts):
    """Typing on a parent's tab that a button saves (the About details, the stage note, the
    Background answers), kept as a form's is (KeepsDrafts): one draft per parent
    (`<draft_form>:<parent id>`) holding only the fields typed in, with what they said when the
    typing began. Leaving the parent asks first (the workspace's unsaved_tabs); the window
    offers a kept draft back on its tab (restore_draft), the leave prompt armed.

    The owner sets `tab` (the tab it is on), `typed_inputs`, `labels` and `note_label`, calls
    start_drafts() and watch_typing() once, shows what is saved with show_saved() on every
    refresh, and forgets the draft once saved (save_typed).
    """

    # The draft_form names of such typing: the window reopens them on their tab.
    forms: ClassVar[set[str]] = set()
    # What the draft is called when it is offered back.
    typing_title: ClassVar[str] = ""
    # What a note about a field changed meanwhile says the keyworker can do.
    choices_words: ClassVar[str] = ""
    tab: Section
    # The inputs a draft keeps, by key.
    typed_inputs: dict[str, QWidget]
    # Each field's name in a note ("phone"); the key when there is none.
    labels: dict[str, str]
    # Where a message about this typing (not one field) is shown.
    note_label: QLabel
    _saved: dict[str, Any]
    _saved_pid: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.draft_form:
            TypedOnTab.forms.add(cls.draft_form)

    def show_saved(self, saved: dict[str, Any]) -> None:
        """Show what is saved for the parent the tab shows (by input key). For another parent
        every input shows it; for the same one (a reload after another change) the fields
        typed in and not saved yet stay as typed, so no word is lost."""
        pid = self.tab.pid
        if pid != self._saved_pid:
            # Another parent (or all put back as saved): their own draft key, one kept draft
            # per parent.
            self._draft_timer.stop()
            if self.draft_key != f"{self.draft_form}:{pid}":
                self._draft_kept = False
                self.draft_key = f"{self.draft_form}:{pid}"
            keep: set[str] = set()
        else:
            keep = set(self.unsaved_fields())
        inputs = self.draft_inputs()
        for key, value in saved.items():
            widget = inputs[key]
            if key in keep:
                continue
            if isinstance(widget, QComboBox) and not widget.isEditable():
                widget.setCurrentIndex(max(0, widget.findData(value)))
            else:
                set_widget_value(widget, value)
        # As the inputs show it (a code a list no longer has shows its first item).
        self._saved = {
            key: value if key in keep else widget_value(inputs[key]) for key, value in saved.items()
        }
        self._saved_pid = pid

    def unsaved_fields(self) -> list[str]:
        """The inputs typed in but not saved yet (keys), for the parent shown."""
        if self._saved_pid is None or self._saved_pid != self.tab.pid:
            return []
        now = self.values()
        return [key for key, value in self._saved.items() if now.get(key) != value]

    def revert(self) -> None:
        """Put everything back as saved, dropping what was typed (and its draft)."""
        self.forget_draft()
        self._saved_pid = None
        self.tab.refresh()

    def save_typed(self) -> None:
        """Save what was typed (the tab's own button); a problem stays on screen."""
        raise NotImplementedError

    def special_fields(self) -> frozenset[str]:
        """The inputs holding special-category answers (kept only with that consent)."""
        return frozenset()

    def show_note(self, message: str) -> None:
        """Show a message about this typing (not one field)."""
        self.note_label.setText(f"⚠ {message}")
        self.note_label.show()

    @override
    def draft_inputs(self) -> dict[str, QWidget]:
        return self.typed_inputs

    @override
    def draft_title(self) -> str:
        return self.typing_title

    @override
    def has_changes(self) -> bool:
        return bool(self.unsaved_fields())

    @override
    def draft_fields(self) -> dict[str, Any]:
        now = self.values()
        return {key: now[key] for key in self.unsaved_fields()}

    @override
    def draft_about(self) -> dict[str, Any]:
        # What the typed fields said when the typing began: a draft offered back later can
        # tell whether they were changed on another path meanwhile.
        typed = self.unsaved_fields()
        context: dict[str, Any] = {"saved": {key: self._saved[key] for key in typed}}
        special = sorted(self.special_fields() & set(typed))
        if special:
            # Taken out of the draft if the consent to keep them is withdrawn (the caseload).
            context["special"] = special
        self.keep_drafts(self._saved_pid, **context)
        return super().draft_about()

    def restore_draft(self, draft: Draft) -> bool:
        """Put typing kept from last time back (the draft's parent is shown); leaving asks
        before it is lost. When a field was changed on another path since, the typed words are
        still shown and a note says so: the keyworker decides."""
        if self._saved_pid is None or self._saved_pid != draft.participant_id:
            return False
        self.took_over(draft)
        then = draft.context.get("saved", {})
        kept = {key: value for key, value in draft.fields.items() if key in self.draft_inputs()}
        moved = [
            key
            for key in kept
            if isinstance(then, dict) and key in then and then[key] != self._saved.get(key)
        ]
        self.set_values(kept)
        if kept:
            # The keyboard in the first kept field of words (or the first kept one), the
            # cursor after its words, to carry on.
            inputs = self.draft_inputs()
            lines = [key for key in kept if isinstance(inputs[key], QLineEdit)]
            widget = inputs[(lines or list(kept))[0]]
            bring_into_view(widget)
            if isinstance(widget, QLineEdit):
                widget.deselect()
                widget.end(False)
        if moved:
            names = ", ".join(self.labels.get(key, key) for key in moved)
            self.show_note(
                f"The saved {names.lower()} changed since you typed this. What you typed is "
                f"shown: {self.choices_words}"
            )
        return True


class Section(QWidget):
    """One tab of the workspace: shows a Journey, calls the façade, never holds SQL.

    Signals:
        status_message(str): a quiet note for the status bar ("Saved: …").
    """

    status_message = Signal(str)
    title = ""
    # The record types this tab can open in their form to correct (see edit_dialog).
    editable: ClassVar[tuple[type[Record], ...]] = ()

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.journey: Journey | None = None
        from journeyapp.ui.workspace.record_actions import RecordActions

        self.record_actions = RecordActions(self)
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
        before = self.journey
        self.journey = journey
        # Only the same parent's tab built again (a save, an undo, a break picked up again)
        # keeps the keyboard's place: another parent opened is opened where it was asked to be.
        again = (
            before is not None
            and journey is not None
            and before.participant.id == journey.participant.id
        )
        # Rebuilding replaces widgets; keep the keyboard where it was: on the same record (a
        # card or a table's row, whatever its words now say), else on the widget of the same
        # accessible name, else on what now stands where it stood in the Tab order.
        focused = QApplication.focusWidget()
        mine = again and focused is not None and self.isAncestorOf(focused)
        name = focused.accessibleName() if focused is not None and mine else ""
        record_id = self.record_actions.record_of_widget(focused) if mine else None
        stops = self._tab_stops() if mine else []
        place = stops.index(focused) if focused in stops else -1
        self.refresh()
        if mine:
            # New widgets are shown by the event loop; give the focus back once they are.
            QTimer.singleShot(0, self, lambda: self._restore_focus(name, record_id, place))

    def _tab_stops(self) -> list[QWidget]:
        """The widgets of this tab that Tab stops at, in the order it does."""
        stops: list[QWidget] = []
        widget = self.nextInFocusChain()
        # The chain is the whole window's (and goes round): walked once, never for ever.
        for _ in range(10_000):
            if widget is None or widget is self:
                break
            if (
                self.isAncestorOf(widget)
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
                and widget.isVisible()
                and widget.isEnabled()
                and not is_removed(widget)
            ):
                stops.append(widget)
            widget = widget.nextInFocusChain()
        return stops

    def _restore_focus(self, name: str, record_id: str | None = None, place: int = -1) -> None:
        if not self.isVisible():
            # Another tab was opened meanwhile (a line of This week opens a parent at one):
            # the keyboard is wanted there, not brought back here (show() would switch back).
            return
        current = QApplication.focusWidget()
        if current is not None and self.isAncestorOf(current) and not is_removed(current):
            # On a record (the same one, or one it was sent to since: a line of This week
            # opened this parent at it), or on the widget of the same name: left where it is.
            if self.record_actions.record_of_widget(current) is not None:
                return
            if record_id is None and current.accessibleName() == name:
                return
        # The record the keyboard was on (a correction undone changes its words, and so the
        # name of its card: the keyboard went to the search box at the top of the window).
        if record_id is not None and self.record_actions.show(record_id):
            return
        for widget in self.findChildren(QWidget) if name else []:
            if widget.accessibleName() == name and not is_removed(widget) and widget.isVisible():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        # What it was on is gone (a button that did its job, "Pick up again", a record whose
        # adding was undone): what now stands in its place.
        stops = self._tab_stops()
        if place >= 0 and stops:
            stops[min(place, len(stops) - 1)].setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Rebuild the section from self.journey (subclasses)."""

    def typing_kept(self) -> list[TypedOnTab]:
        """The typing on this tab that a button saves and a draft keeps (TypedOnTab)."""
        return [self] if isinstance(self, TypedOnTab) else []

    def show_field(self, field: str) -> bool:
        """Put the keyboard on the box where a field of the parent's own record is typed, if
        this tab has one (a search result opened); False when it has none."""
        return False

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

    def not_saved(self, what: str = "") -> None:
        """Tell the status bar a save was refused, so an earlier "Saved: …" is not read as this
        one's: nothing of `what` ("the details") was saved; the problem is shown beside its
        field (or, with no `what`, in the message that was shown)."""
        self.status_message.emit(
            f"Not saved: {what} are as they were; put right what is shown and save again."
            if what
            else "Not saved: nothing was changed."
        )

    def run(self, action: Callable[[], Any], what: str) -> Any:
        """Run a façade call for an inline control; errors are shown, success noted."""
        from journeyapp.ui.errors import attempt

        result = attempt(self, action)
        if result is not None:
            self.saved(what)
        else:
            self.not_saved()
        return result

    # -- correcting and removing records (see record_actions) -----------------------------------

    def edit_dialog(self, record: Record) -> FormDialog | None:
        """The form `record` was made with, filled in from it (None: not changeable here)."""
        return None

    def corrected(self, record: Record, dialog: FormDialog) -> None:
        """`record` was corrected in its form (`dialog`, whose result_value is the record as
        saved): say so (subclasses that have a next step ask for it here)."""
        self.saved("corrected")

    def edit_dialog_offered(self, record: Record) -> bool:
        """True when `record` can be opened in its form from this tab."""
        return isinstance(record, self.editable)

    def can_remove(self, record: Record) -> bool:
        """True when `record` can be removed from this tab (a parent is closed or erased; a
        stage move only where the journey is listed)."""
        return not isinstance(record, (Participant, StageChange))
