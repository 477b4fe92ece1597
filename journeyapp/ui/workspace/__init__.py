"""ParticipantWorkspace: one parent's whole journey, a tab per section, loaded lazily per tab."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.core.drafts import Draft
from journeyapp.core.errors import NotFound
from journeyapp.core.records import (
    BY_KIND,
    Appointment,
    Circumstances,
    Equalities,
    Journey,
    Participant,
    StageChange,
)
from journeyapp.ui import theme
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.layout import SPACING
from journeyapp.ui.widgets.this_week import ThisWeekView
from journeyapp.ui.workspace.header import WorkspaceHeader
from journeyapp.ui.workspace.section_list import SectionList

if TYPE_CHECKING:
    from journeyapp.ui.workspace.meetings import MeetingsDialog
    from journeyapp.ui.workspace.section import Section, TypedOnTab

S = TypeVar("S", bound="Section")


# The sections' modules load with the first parent opened, not with the window: the window
# is painted sooner (issue 18).
@functools.cache
def section_classes() -> tuple[type[Section], ...]:
    """The sections, in the order of the tabs."""
    from journeyapp.ui.workspace.about import AboutSection
    from journeyapp.ui.workspace.assessment import AssessmentSection
    from journeyapp.ui.workspace.background import BackgroundSection
    from journeyapp.ui.workspace.choices import ChoicesSection
    from journeyapp.ui.workspace.contacts import ContactsSection
    from journeyapp.ui.workspace.feedback import FeedbackSection
    from journeyapp.ui.workspace.goals import GoalsSection
    from journeyapp.ui.workspace.journey import JourneySection
    from journeyapp.ui.workspace.pace import PaceSection
    from journeyapp.ui.workspace.referrals import ReferralsSection
    from journeyapp.ui.workspace.strengths import StrengthsSection

    return (
        AboutSection,
        JourneySection,
        GoalsSection,
        ChoicesSection,
        PaceSection,
        AssessmentSection,
        ContactsSection,
        ReferralsSection,
        StrengthsSection,
        FeedbackSection,
        BackgroundSection,
    )


def _by_name(name: str) -> type[Section]:
    return next(cls for cls in section_classes() if cls.__name__ == name)


# Where This week's lines open (caseload.this_week.Section values): the section class's name.
_SECTION_OF: dict[str, str] = {
    "contacts": "ContactsSection",
    "goals": "GoalsSection",
    "referrals": "ReferralsSection",
    "pace": "PaceSection",
}


# Where the records no section changes in a form are shown (the rest: the section whose
# `editable` holds their type), by the section class's name.
_HOME: dict[str, str] = {
    Participant.KIND: "AboutSection",
    StageChange.KIND: "JourneySection",
    Circumstances.KIND: "BackgroundSection",
    Equalities.KIND: "BackgroundSection",
}


class ParticipantWorkspace(QWidget):
    """The right-hand side of the window: the selected parent's header and sections.

    Signals:
        status_message(str): a quiet note for the status bar ("Saved: …").
    """

    status_message = Signal(str)

    def __init__(self, caseload: Caseload, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.bus = bus
        self._pid: str | None = None
        self._journey: Journey | None = None
        self._stale: set[int] = set()
        self.setAccessibleName("Parent's workspace")

        self.header = WorkspaceHeader(caseload.catalogue)
        # A list down the side rather than tabs: all ten names stay in sight at any width.
        self.tabs = SectionList()
        # Built when the first parent is opened: the window comes up faster without them.
        self._sections: list[Section] | None = None

        # Shown by the main window when the caseload and the workspace take turns (a narrow
        # window, 200% scaling): the way back to the list, in sight.
        self.back_button = QPushButton(theme.icon("back"), "Caseload list")
        self.back_button.setAccessibleName("Back to the caseload list")
        self.back_button.setToolTip("Back to the caseload list (F6)")
        self.back_button.setFlat(True)
        theme.style(self.back_button, "backButton")
        self.back_button.hide()

        page = QWidget()
        layout = QVBoxLayout(page)
        self._page_layout = layout
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING // 2)
        # Before the name, on its row: no row of its own taken from the sections.
        self.header.lead_with(self.back_button)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)

        # When no parent is open: This week (the window connects its lines and buttons).
        self.this_week = ThisWeekView(caseload, bus)
        self.header.meetings_requested.connect(lambda: self.show_meetings())

        self._stack = QStackedWidget()
        self._stack.addWidget(self.this_week)
        self._stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        bus.changed.connect(self._on_changed)

    @override
    def heightForWidth(self, width: int) -> int:
        # The window holds the workspace in a scroll area, which makes a widget whose words
        # wrap as tall as it would like to be at that width (every section's page at its
        # full height): at 200% on a laptop the whole workspace, header and all, scrolled
        # though its sections scroll by themselves. Ask for no more than the header's words
        # whole and the sections at their smallest; only a smaller window scrolls.
        if self._stack.currentIndex() != 1:
            return super().heightForWidth(width)
        margins = self._page_layout.contentsMargins()
        header = self.header.heightForWidth(width - margins.left() - margins.right())
        sections = self.tabs.minimumSizeHint().height()
        spacing = self._page_layout.spacing()
        return margins.top() + header + spacing + sections + margins.bottom()

    def set_compact(self, compact: bool) -> None:
        """In a short window (200% on a laptop) the header takes two rows, the section names
        sit closer and the margins shrink, so the parent's sections have most of the height."""
        self.header.set_compact(compact)
        self.tabs.set_compact(compact)
        margin = theme.UNIT if compact else SPACING
        self._page_layout.setContentsMargins(SPACING, margin, SPACING, margin)

    # -- the interface the main window uses -------------------------------------------------------

    def show_participant(self, participant_id: str | None) -> None:
        """Open a parent's workspace (None: show nobody)."""
        self._pid = participant_id
        self._load()

    def current_participant_id(self) -> str | None:
        """The parent shown, or None."""
        return self._pid

    def log_contact(self) -> None:
        """Open the quick log-contact dialog for the parent shown (Ctrl+L)."""
        if self._pid is None:
            return
        from journeyapp.core.derived import latest_kind, latest_venue
        from journeyapp.ui.workspace.contacts import LogContactDialog

        # The journey on screen has the contacts already: no second load for the last venue.
        contacts = self._journey.contacts if self._journey else ()
        dialog = LogContactDialog(
            self.caseload,
            self._pid,
            self,
            venue=latest_venue(contacts),
            kind=latest_kind(contacts),
        )
        if dialog.exec() and dialog.result_value is not None:
            self.status_message.emit("Saved: contact logged")

    def show_meetings(self, select: str | None = None) -> MeetingsDialog | None:
        """Open the parent's meetings (arrange, change, remove), `select`ed one chosen; it is
        window-modal but does not block, so the workspace updates beneath it."""
        if self._pid is None:
            return None
        from journeyapp.ui.workspace.meetings import MeetingsDialog

        dialog = MeetingsDialog(self.caseload, self._pid, self, select=select)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def go_to(self, section: str | None, record_id: str | None = None) -> None:
        """Show the open parent's `section` (a caseload.this_week.Section value) with the
        record `record_id` selected and in sight, as far as that section lists it."""
        if self._pid is None or section is None:
            return
        if section == "meetings":
            self.show_meetings(record_id)
            return
        wanted = _SECTION_OF.get(section)
        if wanted is None:
            return
        target = self.section(_by_name(wanted))
        self.tabs.setCurrentIndex(self.sections.index(target))
        if record_id is not None:
            # The same way a search result is opened (a card is focused once it is shown).
            target.record_actions.show(record_id)

    def open_at(self, kind: str, record_id: str, field: str = "") -> bool:
        """Show the section that holds a record of `kind` and put the keyboard on that record
        (a search result opened). True when the record was found on screen. A meeting opens
        in the parent's meetings list, where it is changed."""
        if kind == Appointment.KIND:
            return self.show_meetings(record_id) is not None
        section = self.section_for(kind)
        if self._pid is None or section is None:
            return False
        self.tabs.setCurrentWidget(section)
        self._refresh_tab(self.tabs.currentIndex())
        return section.record_actions.show(record_id) or section.show_field(field)

    def opens(self, kind: str) -> bool:
        """True when a record of `kind` has a place in the workspace to be opened at."""
        return kind == Appointment.KIND or self.section_for(kind) is not None

    def section_for(self, kind: str) -> Section | None:
        """The section that shows records of `kind` (None: none does)."""
        record_type = BY_KIND.get(kind)
        for section in self.sections:
            holds = record_type is not None and issubclass(record_type, section.editable)
            if holds or _HOME.get(kind) == type(section).__name__:
                return section
        return None

    def has_unsaved_details(self) -> bool:
        """True when details (About) or answers (Background) were changed and not saved yet
        (ask before leaving)."""
        return bool(self.unsaved_tabs())

    def typing_kept(self) -> list[TypedOnTab]:
        """The typing on every tab that a button saves (the About details and stage note, the
        Background answers)."""
        if self._sections is None:
            return []
        return [typing for section in self._sections for typing in section.typing_kept()]

    def unsaved_tabs(self) -> list[str]:
        """The tabs with changes not saved yet, by title ("About", "Background")."""
        tabs = [typing.tab.title for typing in self.typing_kept() if typing.has_changes()]
        return list(dict.fromkeys(tabs))

    def save_unsaved(self) -> bool:
        """Save what was changed on those tabs; True when nothing is left unsaved (a problem
        stays on screen beside its field)."""
        for typing in self.typing_kept():
            if typing.has_changes():
                typing.save_typed()
        return not self.has_unsaved_details()

    def show_draft(self, draft: Draft) -> bool:
        """The tab where typing kept from last time was done (the About details, the stage note,
        the Background answers), with it put back (the draft's parent is shown); False when it
        is not (another parent is shown)."""
        for typing in self.typing_kept():
            if typing.draft_form == draft.form:
                self.tabs.setCurrentWidget(typing.tab)
                self._refresh_tab(self.tabs.currentIndex())
                return typing.restore_draft(draft)
        return False

    def return_to_unsaved(self) -> None:
        """Back to the typing not saved yet (after "Go back"): its tab shown and the keyboard
        on its first field typed in, so the next key carries on there."""
        from journeyapp.ui.workspace.section import bring_into_view

        for typing in self.typing_kept():
            fields = typing.unsaved_fields()
            if fields:
                self.tabs.setCurrentWidget(typing.tab)
                bring_into_view(typing.typed_inputs[fields[0]])
                return

    def discard_unsaved(self) -> None:
        """Put those tabs back as saved."""
        for typing in self.typing_kept():
            typing.revert()

    def journey(self) -> Journey | None:
        """The journey shown (as last loaded)."""
        return self._journey

    @property
    def sections(self) -> list[Section]:
        """The section widgets, in tab order (built on first use)."""
        if self._sections is None:
            self._sections = [cls(self.caseload) for cls in section_classes()]
            for section in self._sections:
                self.tabs.addTab(section, section.title)
                section.status_message.connect(self.status_message)
            self.tabs.currentChanged.connect(self._on_tab_changed)
        return self._sections

    def section(self, cls: type[S]) -> S:
        """The section widget of a given class (for tests and the main window)."""
        for section in self.sections:
            if isinstance(section, cls):
                return section
        raise KeyError(cls.__name__)

    # -- loading ----------------------------------------------------------------------------------

    def refresh_day(self) -> None:
        """Show the open parent again as of the caseload's day (it has moved on): what is due
        and what is after today are counted from it. Typed details stay as typed."""
        if self._pid is not None:
            self._load()

    def _load(self) -> None:
        journey: Journey | None = None
        if self._pid is not None:
            try:
                journey = self.caseload.journey(self._pid)
            except NotFound:
                self._pid = None
        self._journey = journey
        self._stack.setCurrentIndex(1 if journey is not None else 0)
        self.header.show_journey(journey, self.caseload.today())
        if journey is None and self._sections is None:
            return
        # Only the tab on screen is built now; the others when they are opened (a parent
        # with hundreds of contacts opens quickly).
        self._stale = set(range(len(self.sections)))
        self._refresh_tab(self.tabs.currentIndex())

    def _refresh_tab(self, index: int) -> None:
        if index in self._stale and 0 <= index < len(self.sections):
            self._stale.discard(index)
            self.sections[index].show_journey(self._journey)

    def _on_tab_changed(self, index: int) -> None:
        self._refresh_tab(index)

    def _on_changed(self, changes: Changes) -> None:
        if self._pid is None:
            return
        # Every change to this parent's records names them (feedback included: general
        # feedback and other parents' feedback are not part of this journey).
        if self._pid in changes.participant_ids:
            self._load()


__all__ = ["ParticipantWorkspace"]
