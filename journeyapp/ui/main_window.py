"""MainWindow: the caseload on the left, the selected parent's workspace on the right, menus."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QStatusTipEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from journeyapp import paths
from journeyapp.core.enums import JOURNEY_ENDED, ParticipantStatus
from journeyapp.core.errors import JourneyError, NotFound
from journeyapp.ui import theme
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.errors import attempt, succeeded
from journeyapp.ui.first_paint import AfterFirstPaint
from journeyapp.ui.lock import LockController
from journeyapp.ui.operations import Operation, stop_all
from journeyapp.ui.overrides import override
from journeyapp.ui.pyside_fixes import guard_none
from journeyapp.ui.widgets.caseload_panel import CaseloadPanel
from journeyapp.ui.widgets.screen import (
    SHORT,
    fit_every_dialog,
    restore_main_geometry,
    save_main_geometry,
)
from journeyapp.ui.workspace import ParticipantWorkspace

if TYPE_CHECKING:
    from datetime import datetime

    from journeyapp.caseload import Caseload
    from journeyapp.core.changes import Changes
    from journeyapp.core.drafts import Draft
    from journeyapp.core.merge import MergeResult
    from journeyapp.exchange.returns import Problem
    from journeyapp.ui.automatic_backups import AutomaticBackups
    from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog

# The dialogs, and what only they use (the exchange package, plans, PDF preview), are imported
# where a menu item opens them, not with the window: the window is painted sooner (issue 18).
# So are Qt's file and input dialogs, message boxes and QDialog itself: PySide sets up a Qt
# class's Python type, its enums with it, when the class is first imported, and nothing before
# the first paint needs these.


def load_draft_forms() -> None:
    """Load every module whose forms keep drafts, so the form of any kept draft is known (they
    load lazily otherwise: with the first parent opened, or when their menu item is used)."""
    import journeyapp.ui.dialogs.enrol_dialog
    import journeyapp.ui.dialogs.group_sessions
    import journeyapp.ui.dialogs.journey_end
    import journeyapp.ui.workspace.meetings  # noqa: F401 - loaded for their forms
    from journeyapp.ui.workspace import section_classes

    section_classes()


TAKE_BREAK = "Take a &break (pause)…"
PICK_UP = "Pick &up again (resume)"
END_JOURNEY = "Moved &on or closed…"
WELCOME_BACK = "Welcome back (&reopen)…"
# Shift+F10: opens a menu where the keyboard is (the walks over every action leave it alone).
RECORD_MENU = "&Menu for what is chosen (change, remove, history)"
# Below this width (in device-independent pixels) the caseload and workspace take turns.
NARROW = 1000
DEMO_WORDS = (
    "DEMO — every parent here is fictional. Try anything: your own caseload is not touched."
)
DEMO_SHORT = "DEMO — fictional parents; your own caseload is not touched."
# The whole-file check starts this long after protect(), when the window is up.
WHOLE_FILE_CHECK_DELAY_MS = 1000
# Windows opened from File > New/Open caseload, kept alive here (Qt does not own them).
_WINDOWS: list[MainWindow] = []
READY = "Ready. Everything you change is saved straight away."
# How often the window asks whether the caseload's day has moved on (catch_up_with_the_day).
DAY_CHECK_MS = 60_000


class MainWindow(QMainWindow):
    """The keyworker's window."""

    def __init__(self, caseload: Caseload, bus: ChangeBus, *, owns_caseload: bool = False) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            guard_none(app)
            theme.apply(app)
        fit_every_dialog()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._enter_presses)
        self.caseload = caseload
        self.bus = bus
        self._owns_caseload = owns_caseload
        self._closed = False
        self._narrow: bool | None = None
        self._short: bool | None = None
        # Set by protect(): the idle lock and the automatic backups.
        self.lock: LockController | None = None
        self.backups: AutomaticBackups | None = None
        self.setWindowTitle(self._title())
        self.setAccessibleName("JourneyApp")

        self.panel = CaseloadPanel(caseload)
        self.workspace = ParticipantWorkspace(caseload, bus)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.panel)
        # In a scroll area so that, in a very small window (200% scaling on a 1366x768
        # laptop), the workspace scrolls instead of pushing the window past the screen.
        self.workspace_area = QScrollArea()
        self.workspace_area.setWidget(self.workspace)
        self.workspace_area.setWidgetResizable(True)
        self.workspace_area.setFrameShape(QFrame.Shape.NoFrame)
        self.workspace_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.splitter.addWidget(self.workspace_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.demo_banner: QLabel | None = None
        if caseload.is_demo:
            self.demo_banner = self._demo_banner()
            layout.addWidget(self.demo_banner)
        # Said once the window is up (say_if_clock_behind): the laptop's clock put back.
        self.clock_banner: QLabel | None = None
        self._latest_save: datetime | None = None
        self._banners = layout
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.statusBar().setAccessibleName("Status")
        # The message a status tip covers while a menu item or button is pointed at (event).
        self._tip: str | None = None
        self._covered = ""
        self.statusBar().messageChanged.connect(self._status_changed)
        self.statusBar().showMessage(READY)
        # Quiet, on the right: what the automatic backups are doing ("Backed up 10:42").
        self.backup_status = QLabel()
        self.backup_status.setAccessibleName("Backup")
        self.statusBar().addPermanentWidget(self.backup_status)
        self.whole_file_check: Operation[None] | None = None

        self.panel.participant_chosen.connect(self.open_participant)
        self.panel.participant_opened.connect(self._open_and_focus)
        self.panel.record_opened.connect(self.open_at_record)
        self.workspace.status_message.connect(self.statusBar().showMessage)
        self.workspace.back_button.clicked.connect(self.back_to_list)
        bus.changed.connect(self._on_changed)
        self.workspace.show_participant(None)
        self._update_actions()
        self._hook_this_week()
        # A window left open past midnight (or its clock set right): "today" moves on with it.
        self._day_shown = caseload.today()
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_MS)
        self.day_timer.timeout.connect(self.catch_up_with_the_day)
        self.day_timer.start()

        # Within the screen's free area, frame and all; maximised on a laptop's screen.
        self.maximise = restore_main_geometry(self)
        self._fit_panes()
        self.panel.search.setFocus()

    def show_fitted(self) -> None:
        """Show the window: maximised on a laptop-sized screen unless a size was remembered."""
        if self.maximise:
            self.showMaximized()
        else:
            self.show()

    def _title(self) -> str:
        name = self.caseload.path.name if self.caseload.path is not None else "caseload"
        if self.caseload.is_demo:
            return f"JourneyApp — DEMO (fictional people) — {name}"
        return f"JourneyApp — {name}"

    def _demo_banner(self) -> QLabel:
        banner = self._banner(DEMO_WORDS, "demoBanner")
        banner.setAccessibleName("Demo caseload: every parent here is fictional")
        font = banner.font()
        font.setBold(True)
        banner.setFont(font)
        return banner

    def say_if_clock_behind(self) -> None:
        """A line above the caseload while this laptop's clock is behind its last save here
        (put back, or lost its time): records saved now would be dated by it, and "today"
        counted from it, with nothing on screen to say why."""
        # The latest save seen this session: a save made with the clock put back is the last
        # one written, and must not make the clock look right again.
        from journeyapp.core.dates import clock_behind_words

        last = self.caseload.last_saved_here()  # read once per look (after every save)
        if last is not None and (self._latest_save is None or last > self._latest_save):
            self._latest_save = last
        words = (
            None
            if self._latest_save is None
            else clock_behind_words(self.caseload.clock(), self._latest_save)
        )
        if words is None:
            if self.clock_banner is not None:
                self.clock_banner.hide()
            return
        if self.clock_banner is None:
            self.clock_banner = self._banner("", "clockBanner")
            self.clock_banner.setAccessibleName("The laptop's clock")
            self._banners.insertWidget(self._banners.indexOf(self.splitter), self.clock_banner)
        self.clock_banner.setText(f"⚠ {words}")
        self.clock_banner.show()

    def _banner(self, words: str, name: str) -> QLabel:
        banner = QLabel(words)
        banner.setObjectName(name)
        banner.setWordWrap(True)
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setMargin(10)
        # The system's tooltip colours: distinct from the window, respects high-contrast themes.
        banner.setAutoFillBackground(True)
        banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
        return banner

    # -- actions and menus -------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object | None = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_caseload_action = self._action(
            "&New caseload…", self.new_caseload, None, "Start a new, empty caseload file"
        )
        self.open_caseload_action = self._action(
            "&Open caseload…",
            self.open_caseload,
            QKeySequence.StandardKey.Open,
            "Open another caseload file",
        )
        self.backup_action = self._action(
            "&Back up now", self.backup, None, "Make a verified backup of this caseload now"
        )
        self.restore_action = self._action(
            "&Restore from a backup…", self.restore, None, "Put back an earlier backup"
        )
        self.passphrase_action = self._action(
            "Change &passphrase…",
            self.change_passphrase,
            None,
            "Change the passphrase that protects this caseload",
        )
        self.lock_after_action = self._action(
            "Lock &after…",
            self.set_lock_after,
            None,
            "How many idle minutes before the window locks itself",
        )
        self.settings_action = self._action(
            "Se&ttings…",
            self.edit_settings,
            None,
            "Your organisation, name, phone and email, printed on plans so parents know who to call",
        )
        self.retention_action = self._action(
            "Review &closed journeys…",
            self.review_retention,
            None,
            "Closed journeys kept past the retention period, for review and erasure",
        )
        self.export_action = self._action(
            "&Export for the partnership…",
            self.export,
            None,
            "Export tables and the journey log (csv, jsonl or xlsx; names left out by default)",
        )
        self.import_action = self._action(
            "&Import a spreadsheet…",
            self.import_spreadsheet,
            None,
            "Add parents, milestones or contacts from a CSV or XLSX file (checked first)",
        )
        self.send_bundle_action = self._action(
            "&Send my journey log…",
            self.send_bundle,
            None,
            "Write this laptop's journey log to an encrypted file for the coordinator",
        )
        self.merge_bundle_action = self._action(
            "&Merge a journey log…",
            self.merge_bundle,
            None,
            "Merge a journey log from another laptop (merging twice changes nothing)",
        )
        self.decisions_action = self._action(
            "Needs a &decision…",
            self.show_decisions,
            None,
            "Details changed differently on two laptops: choose which to keep",
        )
        self.laptops_action = self._action(
            "&Laptops in the partnership…",
            self.show_laptops,
            None,
            "Which laptops' bundles are trusted here; enrol a laptop with its code",
        )
        self.share_key_action = self._action(
            "Share the pseudonym &key…",
            self.share_key,
            None,
            "Save the partnership's pseudonym key to a file, or load it, so pseudonymised "
            "exports from every laptop line up",
        )
        self.report_action = self._action(
            "Programme &report…",
            self.show_report,
            None,
            "Reach, progression, job entries and distance travelled, without names",
        )
        self.return_action = self._action(
            "&Funder's return…",
            self.show_return,
            None,
            "The quarterly return: check the answers it needs, then save it as a workbook",
        )
        self.lookup_action = self._action(
            "Postcode &lookup…",
            self.show_lookup,
            None,
            "Import the partnership's postcode to SIMD quintile lookup for the return",
        )
        self.batch_plans_action = self._action(
            "Print plans for my &caseload…",
            self.print_plans,
            None,
            "Every parent's plan: one PDF, or one file each",
        )
        self.quit_action = self._action(
            "&Quit", self.close, QKeySequence("Ctrl+Q"), "Close JourneyApp (everything is saved)"
        )
        self.undo_action = self._action("&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.new_parent_action = self._action(
            "&New parent…", self.enrol, QKeySequence.StandardKey.New, "Enrol a new parent"
        )
        self.log_contact_action = self._action(
            "&Log contact…",
            self.log_contact,
            QKeySequence("Ctrl+L"),
            "Log a contact with the open parent",
        )
        self.print_plan_action = self._action(
            "&Print plan…",
            self.print_plan,
            QKeySequence.StandardKey.Print,
            "Preview, print or save the open parent's progress plan",
        )
        self.erase_action = self._action(
            "&Erase this parent's records…",
            self.erase_participant,
            None,
            "Remove everything held about this parent (asks you to type their name)",
        )
        self.pause_action = self._action(
            TAKE_BREAK,
            self.pause_or_resume,
            None,
            "The parent takes a break, or picks up again",
        )
        self.journey_end_action = self._action(
            END_JOURNEY,
            self.end_or_reopen_journey,
            None,
            "Record that the parent moved on or their journey closed, or welcome them back",
        )
        self.find_action = self._action(
            "&Find a parent",
            self.focus_search,
            QKeySequence.StandardKey.Find,
            "Go to the search box",
        )
        self.switch_pane_action = self._action(
            "Switch between &caseload and workspace", self.switch_pane, QKeySequence("F6")
        )
        self.record_menu_action = self._action(
            RECORD_MENU,
            self.open_record_menu,
            QKeySequence("Shift+F10"),
            "Change, remove or see the history of what the keyboard is on (as the Menu key)",
        )
        self.next_section_action = self._action(
            "&Next section",
            lambda: self.step_section(1),
            QKeySequence("Ctrl+PgDown"),
            "The next section of the parent's workspace",
        )
        self.previous_section_action = self._action(
            "Pre&vious section",
            lambda: self.step_section(-1),
            QKeySequence("Ctrl+PgUp"),
            "The previous section of the parent's workspace",
        )
        self.overdue_action = self._action(
            "Only check-ins &due", None, None, "Show only parents whose check-in is due"
        )
        self.overdue_action.setCheckable(True)
        self.overdue_action.toggled.connect(self.panel.overdue_filter.setChecked)
        self.panel.overdue_filter.toggled.connect(self.overdue_action.setChecked)
        self.clear_filters_action = self._action(
            "&Clear search and filters", self.clear_filters, None, "Show the whole caseload"
        )
        self.groups_action = self._action(
            "&Group sessions…",
            self.group_sessions,
            QKeySequence("Ctrl+G"),
            "Record a group session and who came",
        )
        self.this_week_action = self._action(
            "&This week",
            self.show_this_week,
            QKeySequence("Ctrl+1"),
            "Meetings, check-ins, steps, referrals and breaks that need you this week",
        )
        self.arrange_meeting_action = self._action(
            "Arrange a &meeting…",
            self.arrange_meeting,
            None,
            "Arrange a meeting with the open parent (or choose the parent)",
        )
        self.meetings_action = self._action(
            "Meetings &with this parent…",
            self.show_meetings,
            None,
            "The open parent's meetings: arrange, change or remove one",
        )
        self.calendar_action = self._action(
            "Save my &calendar (.ics)…",
            self.save_calendar,
            None,
            "Your meetings and group sessions from today on as a calendar file (first names only)",
        )
        self.past_groups_action = self._action(
            "&Past group sessions…",
            self.past_group_sessions,
            None,
            "Correct or remove a group session recorded before",
        )
        self.shortcuts_action = self._action(
            "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self.about_action = self._action("&About JourneyApp", self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_caseload_action, self.open_caseload_action])
        file_menu.addSeparator()
        file_menu.addActions([self.backup_action, self.restore_action])
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        self.security_menu = file_menu.addMenu("&Security")
        self.security_menu.addActions(
            [self.passphrase_action, self.lock_after_action, self.retention_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.record_menu_action)
        parent_menu = bar.addMenu("&Parent")
        parent_menu.addActions(
            [
                self.new_parent_action,
                self.log_contact_action,
                self.print_plan_action,
                self.batch_plans_action,
            ]
        )
        parent_menu.addActions([self.arrange_meeting_action, self.meetings_action])
        parent_menu.addSeparator()
        parent_menu.addAction(self.pause_action)
        parent_menu.addAction(self.journey_end_action)
        parent_menu.addSeparator()
        parent_menu.addAction(self.erase_action)
        view_menu = bar.addMenu("&View")
        view_menu.addActions([self.this_week_action, self.calendar_action])
        view_menu.addSeparator()
        view_menu.addAction(self.find_action)
        filters = view_menu.addMenu("F&ilters")
        filters.addAction(self.overdue_action)
        filters.addAction(self.clear_filters_action)
        view_menu.addAction(self.switch_pane_action)
        view_menu.addActions([self.next_section_action, self.previous_section_action])
        groups_menu = bar.addMenu("&Groups")
        groups_menu.addActions([self.groups_action, self.past_groups_action])
        partnership_menu = bar.addMenu("Pa&rtnership")
        partnership_menu.addActions([self.export_action, self.import_action])
        partnership_menu.addSeparator()
        partnership_menu.addActions(
            [
                self.send_bundle_action,
                self.merge_bundle_action,
                self.decisions_action,
                self.laptops_action,
                self.share_key_action,
            ]
        )
        partnership_menu.addSeparator()
        partnership_menu.addAction(self.report_action)
        partnership_menu.addActions([self.return_action, self.lookup_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])
        self.menus: dict[str, QMenu] = {
            "file": file_menu,
            "edit": edit_menu,
            "parent": parent_menu,
            "view": view_menu,
            "groups": groups_menu,
            "partnership": partnership_menu,
            "help": help_menu,
        }
        for menu in self.menus.values():
            # Disabled actions say why ("Coming in this release") when hovered.
            menu.setToolTipsVisible(True)

    def _build_toolbar(self) -> None:
        """The few most common actions, with icons and words, above everything else."""
        self.toolbar = QToolBar("Common actions")
        theme.style(self.toolbar, "mainToolBar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setIconSize(QSize(theme.ICON, theme.ICON))
        for action, name in (
            (self.find_action, "search"),
            (self.new_parent_action, "new-parent"),
            (self.log_contact_action, "log-contact"),
            (self.print_plan_action, "print"),
            (self.groups_action, "groups"),
            (self.undo_action, "undo"),
        ):
            action.setIcon(theme.icon(name))
            self.toolbar.addAction(action)
        self.erase_action.setIcon(theme.icon("erase"))
        self.pause_action.setIcon(theme.icon("pause"))
        self.backup_action.setIcon(theme.icon("backup"))
        self.clear_filters_action.setIcon(theme.icon("filter"))
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _update_actions(self) -> None:
        self.meetings_action.setEnabled(self.workspace.current_participant_id() is not None)
        can_undo = self.caseload.can_undo
        self.undo_action.setEnabled(can_undo)
        pid = self.workspace.current_participant_id()
        undo_text = "&Undo"
        if can_undo:
            # Undo reaches back past a change of parent: it says whose change it would undo
            # when that is not the parent shown.
            whose = self._whose(self.caseload.undo_participants, pid)
            named = f" ({whose.replace('&', '&&')})" if whose else ""  # "&" is no shortcut key
            undo_text += f" {self.caseload.undo_description}{named}"
        self.undo_action.setText(undo_text)
        self.log_contact_action.setEnabled(pid is not None)
        self.pause_action.setEnabled(pid is not None)
        self.erase_action.setEnabled(pid is not None)
        self.print_plan_action.setEnabled(pid is not None)
        self.next_section_action.setEnabled(pid is not None)
        self.previous_section_action.setEnabled(pid is not None)
        self.journey_end_action.setEnabled(pid is not None)
        paused = ended = False
        if pid is not None:
            row = self.panel.model.row_of(pid)
            if row >= 0:
                status = self.panel.model.row_at(row).status
                paused = status == ParticipantStatus.PAUSED
                ended = status in JOURNEY_ENDED
        self.pause_action.setText(PICK_UP if paused else TAKE_BREAK)
        # A break is for a journey still going: welcome them back first.
        self.pause_action.setEnabled(pid is not None and not ended)
        self.journey_end_action.setText(WELCOME_BACK if ended else END_JOURNEY)

    # -- slots -------------------------------------------------------------------------------

    def open_participant(self, participant_id: str | None) -> None:
        """Show a parent's workspace on the right (asking first about details typed and not
        saved for the parent shown)."""
        current = self.workspace.current_participant_id()
        if participant_id != current:
            if not self.leave_unsaved_details("Another parent"):
                # Stay with the parent whose details are being typed.
                if current is not None:
                    self.panel.select(current)
                return
            self.workspace.show_participant(participant_id)
        self._update_actions()

    def leave_unsaved_details(self, why: str = "") -> bool:
        """Before leaving the parent shown (another parent, closing, quitting): when details
        were typed on the About tab (or answers changed on Background) and not saved, ask
        Save / Discard / Go back. True when it is fine to leave (saved, discarded, or nothing
        typed)."""
        from journeyapp.ui.widgets.forms import CANCEL, SAVE, ask_save_discard_cancel

        tabs = self.workspace.unsaved_tabs()
        if not tabs:
            return True
        where = " and the ".join(f"{tab} tab" for tab in tabs)
        answer = ask_save_discard_cancel(self, "Details not saved", f"The {where}")
        if answer == CANCEL:
            # "Go back to them": the keyboard goes back to the typing (it stayed on the list
            # or wherever the person went next, so their next key went there).
            self._show_pane(self.workspace_area)
            self.workspace.return_to_unsaved()
            return False
        if answer == SAVE:
            return self.workspace.save_unsaved()  # a problem: stay, with the message shown
        self.workspace.discard_unsaved()
        return True

    def offer_drafts(self) -> None:
        """Offer back words typed in a form that was never saved (the app was killed, the
        laptop lost power): open the form to carry on, throw the words away, or decide later."""
        from PySide6.QtWidgets import QMessageBox

        drafts = self.caseload.drafts()
        if drafts:
            load_draft_forms()
        for draft in drafts:
            about = ""
            if draft.participant_id:
                try:
                    name = self.caseload.participant(draft.participant_id).preferred_name
                except NotFound:
                    # The parent was erased: words about them go quietly, as with the rest.
                    with contextlib.suppress(JourneyError):
                        self.caseload.discard_draft(draft.key)
                    continue
                except JourneyError:
                    name = ""
                about = f" (about {name})" if name else ""
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Words kept from last time")
            box.setText(f"Words you were typing were kept: “{draft.title}”{about}.")
            box.setInformativeText(
                "JourneyApp closed before they were saved. Open the form to carry on?"
            )
            open_it = box.addButton("Open it", QMessageBox.ButtonRole.AcceptRole)
            throw = box.addButton("Throw them away", QMessageBox.ButtonRole.DestructiveRole)
            later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(open_it)
            box.setEscapeButton(later)
            box.exec()
            if box.clickedButton() is throw:
                key = draft.key
                succeeded(self, functools.partial(self.caseload.discard_draft, key))
            elif box.clickedButton() is open_it and not self.open_draft(draft):
                QMessageBox.information(
                    self,
                    "Words kept from last time",
                    "That form cannot be opened again (what it was about has gone). The "
                    "words are kept; throw them away from this question next time.",
                )

    def open_draft(self, draft: Draft) -> bool:
        """Carry on with words kept from last time: their form opened again with them (typing on
        a tab, such as the About details: the parent opened on that tab with them in place).
        False when that form cannot be opened again."""
        from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
        from journeyapp.ui.widgets.forms import AsksBeforeLeaving
        from journeyapp.ui.workspace.section import TypedOnTab

        if draft.form in TypedOnTab.forms:
            pid = draft.participant_id
            if pid is None:
                return False
            self.panel.select(pid)
            self.open_participant(pid)
            if self.workspace.current_participant_id() == pid:
                self.workspace.show_draft(draft)
            # Otherwise the keyworker stayed with another parent's typing: the words stay kept.
            return True
        dialog = AsksBeforeLeaving.reopen(self.caseload, draft, self)
        if dialog is None:
            return False
        if draft.participant_id:
            self.panel.select(draft.participant_id)
            self.open_participant(draft.participant_id)
        if isinstance(dialog, EnrolDialog):
            self._enrol(dialog)
        else:
            dialog.exec()
        return True

    def _open_and_focus(self, participant_id: str) -> None:
        self.open_participant(participant_id)
        if self.workspace.current_participant_id() != participant_id:
            return  # stayed with the parent whose details are being typed, at the typing
        self._show_pane(self.workspace_area)
        self.workspace.tabs.setFocus()

    def open_at_record(
        self, participant_id: str, kind: str, record_id: str, field: str = ""
    ) -> None:
        """A search result: open the parent, at the section and record where the words are."""
        self.open_participant(participant_id)
        if self.workspace.current_participant_id() != participant_id:
            return  # stayed with the parent whose details are being typed
        self._show_pane(self.workspace_area)
        if not self.workspace.open_at(kind, record_id, field):
            self.workspace.tabs.setFocus()

    def focus_search(self) -> None:
        """Ctrl+F: go to the search box, with its text selected to type over."""
        self._show_pane(self.panel)
        self.panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.panel.search.selectAll()

    def switch_pane(self) -> None:
        """F6: move between the caseload and the workspace."""
        focus = QApplication.focusWidget()
        if focus is not None and self.workspace.isAncestorOf(focus):
            self._show_pane(self.panel)
            self.panel.table.setFocus()
        else:
            self._show_pane(self.workspace_area)
            self.workspace.tabs.setFocus()

    def open_record_menu(self) -> None:
        """Shift+F10: the menu of what the keyboard is on (a contact's row, a goal's card), as
        the Menu key opens it: Qt on Linux opens menus from that key alone, and many laptops
        have none."""
        from PySide6.QtGui import QContextMenuEvent

        widget = QApplication.focusWidget()
        if widget is None or widget.window() is not self:
            return
        # Where Qt puts the menu for the Menu key: the text cursor, the current row.
        where = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
        if isinstance(where, QRectF):
            where = where.toRect()
        at = where.center() if isinstance(where, QRect) else widget.rect().center()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, at, widget.mapToGlobal(at))
        QApplication.sendEvent(widget, event)

    def step_section(self, by: int) -> None:
        """Ctrl+Page Down / Up: the next or previous section of the open parent's workspace."""
        if self.workspace.current_participant_id() is None:
            return
        self._show_pane(self.workspace_area)
        self.workspace.tabs.step(by)
        self.workspace.tabs.setFocus()

    def back_to_list(self) -> None:
        """The workspace's "Caseload list" button (one pane at a time): back to the list."""
        self._show_pane(self.panel)
        self.panel.table.setFocus()

    def _fit_height(self) -> None:
        """In a short window (200% scaling on a laptop) the list and the workspace get the
        height: the toolbar goes (its actions stay in the menus, with their keys), the DEMO
        banner takes one short line, the filters fold away behind a button and the parent's
        header takes two rows."""
        short = self.height() < SHORT
        if short == self._short:
            return
        self._short = short
        self.toolbar.setVisible(not short)
        self.panel.set_compact(short)
        self.workspace.set_compact(short)
        if self.demo_banner is not None:
            self.demo_banner.setText(DEMO_SHORT if short else DEMO_WORDS)
            self.demo_banner.setMargin(4 if short else 10)

    def _fit_panes(self) -> None:
        """Side by side when there is room; in a narrow window, one side at a time."""
        self._fit_height()
        narrow = self.width() < NARROW
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self.workspace.back_button.setVisible(narrow)
        self.toolbar.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if narrow
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )
        if narrow:
            self._show_pane(self.panel)
        else:
            self.panel.show()
            self.workspace_area.show()
            # Half each: the caseload's stage column elides (its full name in a tooltip) so the
            # parent's sections and their page have room beside it.
            self.splitter.setSizes([self.width() // 2, self.width() - self.width() // 2])

    def _show_pane(self, pane: QWidget) -> None:
        # Hidden rather than collapsed: a collapsed pane still counts towards the window's
        # minimum width, which at 200% scaling would push the window off the screen.
        if self._narrow:
            other = self.workspace_area if pane is self.panel else self.panel
            pane.show()
            other.hide()

    def clear_filters(self) -> None:
        """Show the whole caseload again."""
        self.panel.clear_filters()

    def enrol(self) -> None:
        """Ctrl+N: enrol a new parent, then open them."""
        from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog

        self._enrol(EnrolDialog(self.caseload, self))

    def _enrol(self, dialog: EnrolDialog) -> None:
        if dialog.exec() and dialog.participant is not None:
            pid = dialog.participant.id
            if not self.panel.select(pid):
                self.clear_filters()
                self.panel.select(pid)
            # Their workspace in sight, the keyboard on its sections, to go on with them (one
            # pane at a time, at 200% on a laptop, the list stayed on screen; side by side, the
            # keyboard stayed in the search box).
            self._open_and_focus(pid)

    def log_contact(self) -> None:
        """Ctrl+L: the quick log-contact dialog for the open parent."""
        if self.workspace.current_participant_id() is not None:
            self.workspace.log_contact()

    def pause_or_resume(self) -> None:
        """Take a break (the parent's choice, with their reason) or pick up again."""
        from journeyapp.core.validation import check_break_can_start, check_break_started
        from journeyapp.ui.workspace.pace import PauseDialog

        pid = self.workspace.current_participant_id()
        if pid is None:
            return
        participant = attempt(self, lambda: self.caseload.participant(pid))
        if participant is None:
            return
        if participant.status == ParticipantStatus.PAUSED:
            # A break that starts after today (the list says Active, the action "Take a
            # break…") is not one to pick up again from: its day is to be put right.
            journey = attempt(self, lambda: self.caseload.journey(pid))
            today = self.caseload.today()
            if journey is not None and succeeded(self, lambda: check_break_started(journey, today)):
                attempt(self, lambda: self.caseload.resume(pid))
        elif succeeded(self, lambda: check_break_can_start(participant)):
            PauseDialog(self.caseload, pid, self).exec()

    def end_or_reopen_journey(self) -> None:
        """Parent > Moved on or closed… (the journey ends today), or Parent > Welcome back (reopen)…
        for a parent whose journey had ended."""
        from journeyapp.ui.dialogs.journey_end import EndJourneyDialog, ended_words, welcome_back

        pid = self.workspace.current_participant_id()
        if pid is None:
            return
        participant = attempt(self, lambda: self.caseload.participant(pid))
        if participant is None:
            return
        name = participant.preferred_name
        if participant.status in JOURNEY_ENDED:
            if welcome_back(self, self.caseload, pid):
                self.statusBar().showMessage(f"Saved: welcome back, {name}")
        else:
            dialog = EndJourneyDialog(self.caseload, pid, self)
            if dialog.exec() and dialog.result_value is not None:
                ended = dialog.result_value
                self.statusBar().showMessage(
                    f"Saved: {name} {ended_words(ended.status, ended.destination)}"
                )
        self._update_actions()

    def undo(self) -> None:
        """Ctrl+Z: undo the last change made in this window."""
        if self.caseload.can_undo:
            # Whose it is, as the menu said it (an enrolment undone takes them off the list).
            shown = self.workspace.current_participant_id()
            self._undoing_whose = self._whose(self.caseload.undo_participants, shown)
            try:
                attempt(self, self.caseload.undo)
            finally:
                self._undoing_whose = ""
        self._update_actions()

    def group_sessions(self) -> None:
        """Record a group session and its register."""
        from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog

        dialog = GroupSessionDialog(self.caseload, self)
        dialog.exec()

    # -- This week and meetings (issue 14) ---------------------------------------------------------

    def _hook_this_week(self) -> None:
        view = self.workspace.this_week
        view.line_opened.connect(self.open_line)
        view.arrange_requested.connect(self.arrange_meeting)
        view.calendar_requested.connect(self.save_calendar)
        view.enrol_requested.connect(self.enrol)
        # Worked out once the window has painted (the window comes up first), with its
        # one-line summary in place of "Ready" a moment later.
        view.wait_for_first_paint()
        AfterFirstPaint(self, self._show_home)

    def _show_home(self) -> None:
        """Right after the window's first paint: This week, and its summary in the status bar
        (unless something else has been said there since)."""
        if self._closed or self.caseload.is_closed:
            return
        week = self.workspace.this_week.after_first_paint()
        if self.statusBar().currentMessage() == READY:
            self.statusBar().showMessage(week.summary())
        self.say_if_clock_behind()

    def catch_up_with_the_day(self) -> None:
        """When the caseload's day is not the one on screen any more (the window left open
        overnight, or the laptop's clock set right), the list's check-ins, This week and the
        open parent are worked out again for it: they went on saying yesterday's "today"."""
        if self._closed or self.caseload.is_closed:
            return
        day = self.caseload.today()
        if day == self._day_shown:
            return
        self._day_shown = day
        self.panel.reload()
        self.workspace.this_week.refresh()
        self.workspace.refresh_day()
        self.say_if_clock_behind()

    def show_this_week(self) -> None:
        """Ctrl+1: This week, in place of the open parent (asking first about typed details)."""
        if self.workspace.current_participant_id() is not None:
            if not self.leave_unsaved_details("This week"):
                return
            self.workspace.show_participant(None)
            self.panel.table.clearSelection()
        self._show_pane(self.workspace_area)
        self.workspace.this_week.refresh()
        self.workspace.this_week.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._update_actions()

    def open_line(self, line: object) -> None:
        """Open a This week line: its parent at the section and record it is about, or the
        group sessions for a group session."""
        from journeyapp.caseload.this_week import WeekLine

        if not isinstance(line, WeekLine):
            return
        if line.participant_id is None:
            self.group_sessions()
            return
        pid = line.participant_id
        if not self.panel.select(pid):
            self.clear_filters()
            self.panel.select(pid)
        self.open_participant(pid)
        if self.workspace.current_participant_id() != pid:
            return
        self._show_pane(self.workspace_area)
        self.workspace.go_to(line.section, line.record_id)

    def arrange_meeting(self) -> None:
        """Arrange a meeting with the open parent, or (from This week) with a parent chosen."""
        from journeyapp.ui.workspace.meetings import MeetingDialog

        dialog = MeetingDialog(self.caseload, self.workspace.current_participant_id(), self)
        if dialog.exec() and dialog.result_value is not None:
            self.statusBar().showMessage("Saved: meeting arranged (Ctrl+Z undoes it)")

    def show_meetings(self) -> None:
        """Parent > Meetings with this parent…: the open parent's meetings."""
        self.workspace.show_meetings()

    def save_calendar(self) -> None:
        """Save the keyworker's meetings from today on as an .ics file (first names only)."""
        from PySide6.QtWidgets import QFileDialog

        from journeyapp.exchange.calendar import write_calendar
        from journeyapp.ui.widgets.save_names import chosen_file

        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save my calendar", "journeyapp-meetings.ics", "Calendar files (*.ics)"
        )
        if not chosen:
            return
        path = chosen_file(self, chosen, "ics")  # a calendar opens as one only under .ics
        if path is None:
            return
        count = attempt(self, lambda: write_calendar(self.caseload, path))
        if count is not None:
            self.statusBar().showMessage(
                f"Saved {count} meetings and group sessions to {path.name} "
                "(first names only; keep it private)"
            )

    def show_laptops(self) -> None:
        """Partnership > Laptops in the partnership."""
        from journeyapp.ui.dialogs.laptops import LaptopsDialog

        LaptopsDialog(self.caseload, self).exec()

    def share_key(self) -> None:
        """Partnership > Share the pseudonym key…"""
        from journeyapp.ui.dialogs.key_share import share_key

        share_key(self, self.caseload)

    def past_group_sessions(self) -> None:
        """Correct or remove a group session recorded before."""
        from journeyapp.ui.dialogs.group_sessions import PastSessionsDialog

        PastSessionsDialog(self.caseload, self).exec()

    def show_shortcuts(self) -> None:
        """Help > Keyboard shortcuts."""
        from journeyapp.ui.dialogs.help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        """Help > About."""
        from journeyapp.ui.dialogs.about import show_about

        show_about(self)

    # -- protecting the data (issue 6) -----------------------------------------------------------

    def protect(self, *, backups: bool = True, check: bool = True) -> None:
        """Lock after idle time / on demand / with the session, back up automatically, and
        check the whole file once the window is up (all the reading off the window's thread)."""
        from journeyapp.ui.automatic_backups import start_automatic_backups

        self.lock = LockController(
            self, self.caseload, self.caseload.settings.lock_minutes * 60_000
        )
        self.menus["file"].insertAction(self.quit_action, self.lock.action)
        self.backups = (
            start_automatic_backups(self, self.caseload, self.backup_status) if backups else None
        )
        if check:
            # Once the window is painted and answering: started at once, its reading (and,
            # encrypted, its connection's key) competed with the window's first paint.
            QTimer.singleShot(WHOLE_FILE_CHECK_DELAY_MS, self, self.check_whole_file)

    def check_whole_file(self) -> Operation[None] | None:
        """Read every page of the caseload in the background; damage gets the restore offer."""
        if self._closed or self.caseload.path is None:
            return None
        self.whole_file_check = (
            Operation(
                parent=self,
                caseload=self.caseload,
                op=lambda own, _progress: own.safety.require_whole_file(),
                success=lambda _none: None,
            )
            .failure(self._damage_found)
            .interruptible()
            .run_in_background()
        )
        return self.whole_file_check

    def _damage_found(self, exc: JourneyError) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self._closed:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The caseload is damaged")
        box.setText(
            f"{exc.message} What you see now may be incomplete; anything you add may not be kept."
        )
        restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is restore:
            self.restore(confirm=False)

    def backup(self) -> None:
        """File > Back up now (off the window's thread, with Cancel)."""
        from journeyapp.ui.dialogs.backup import open_backup

        if self.backups is not None and self.backups.running:
            self.statusBar().showMessage(
                "A backup is being made now (see the right of this bar); it is ready in a moment."
            )
            return
        open_backup(self, self.caseload)

    def restore(self, *, confirm: bool = True) -> None:
        """File > Restore from a backup…: close this caseload, restore, open the restored one."""
        from PySide6.QtWidgets import QMessageBox

        from journeyapp.ui.dialogs.backup import open_restore
        from journeyapp.ui.dialogs.opening import open_caseload_interactively

        path = self.caseload.path
        if path is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Restore from a backup",
                "To restore, this caseload is closed first; you then choose which backup to put "
                "back. The current file is kept aside, not deleted. Go on?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._release_caseload()
        open_restore(self, path)
        caseload = open_caseload_interactively(self, path)
        if caseload is not None:
            self._replace_with(caseload)
        else:
            self.close()

    def change_passphrase(self) -> None:
        """File > Security > Change passphrase…"""
        from PySide6.QtWidgets import QDialog, QMessageBox

        from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog, ask_passphrase

        old: str | None = None
        if self.caseload.is_encrypted:
            old = ask_passphrase(self, "Change passphrase", "Your current passphrase:")
            if old is None:
                return
        choose = ChoosePassphraseDialog(self, title="Choose a new passphrase")
        if choose.exec() != QDialog.DialogCode.Accepted:
            return
        note = attempt(
            self, lambda: self.caseload.safety.change_passphrase(old, choose.passphrase())
        )
        if note is not None:
            self.statusBar().showMessage("Passphrase changed. Saved.")
            # Which backups were re-keyed or deleted matters: say it where it stays readable.
            QMessageBox.information(self, "Passphrase changed", f"Passphrase changed. {note}")

    def set_lock_after(self) -> None:
        """File > Security > Lock after…: idle minutes before the window locks itself."""
        from PySide6.QtWidgets import QInputDialog

        minutes, ok = QInputDialog.getInt(
            self,
            "Lock after",
            "Lock the window after this many idle minutes:",
            self.caseload.settings.lock_minutes,
            1,
            120,
        )
        if ok and succeeded(self, lambda: self.caseload.settings.set_lock_minutes(minutes)):
            if self.lock is not None:
                self.lock.set_idle_ms(minutes * 60_000)
            self.statusBar().showMessage(f"The window now locks after {minutes} idle minutes.")

    def edit_settings(self) -> None:
        """File > Settings… (who printed plans are from, kept on this laptop)."""
        from journeyapp.ui.dialogs.settings import open_settings

        if open_settings(self, self.caseload):
            self.statusBar().showMessage("Saved. Plans printed from now on show these details.")
            self.workspace.this_week.follow_settings()  # Your name: whose parents it shows

    def review_retention(self) -> None:
        """File > Security > Review closed journeys… (erasures reach the list as changes)."""
        from journeyapp.ui.dialogs.erase import open_retention

        open_retention(self, self.caseload)

    def erase_participant(self) -> None:
        """Parent > Erase this parent's records… (typed confirmation)."""
        from journeyapp.ui.dialogs.erase import open_erase

        pid = self.workspace.current_participant_id()
        if pid is not None:
            # The erasure's change notification reloads the list and closes their workspace.
            open_erase(self, self.caseload, pid)

    # -- plans and the partnership (issues 4 and 5) --------------------------------------------

    def print_plan(self) -> None:
        """Parent > Print plan… (Ctrl+P): preview, print or save the open parent's plan."""
        from journeyapp.ui.dialogs.plan_preview import open_plan_preview

        pid = self.workspace.current_participant_id()
        if pid is not None:
            open_plan_preview(self, self.caseload, pid)

    def print_plans(self) -> None:
        """Parent > Print plans for my caseload…"""
        from journeyapp.ui.dialogs.plan_preview import open_batch_plans

        open_batch_plans(self, self.caseload)

    def export(self) -> None:
        """Partnership > Export for the partnership…"""
        from journeyapp.ui.dialogs.exchange import open_export

        open_export(self, self.caseload)

    def import_spreadsheet(self) -> None:
        """Partnership > Import a spreadsheet…"""
        from journeyapp.ui.dialogs.exchange import open_import

        open_import(self, self.caseload)

    def send_bundle(self) -> None:
        """Partnership > Send my journey log…"""
        from journeyapp.ui.dialogs.bundle_dialog import send_bundle

        send_bundle(self, self.caseload)

    def merge_bundle(self) -> None:
        """Partnership > Merge a journey log…"""
        from journeyapp.ui.dialogs.bundle_dialog import merge_from_bundle

        merge_from_bundle(self, self.caseload, done=self._after_merge)

    def _after_merge(self, result: MergeResult) -> None:
        if result.new_decisions:
            self.show_decisions()

    def show_decisions(self) -> None:
        """Partnership > Needs a decision…"""
        from journeyapp.ui.dialogs.exchange import open_decisions

        open_decisions(self, self.caseload)

    def show_report(self) -> None:
        """Partnership > Programme report…"""
        from journeyapp.ui.dialogs.exchange import open_report

        open_report(self, self.caseload)

    def show_return(self) -> None:
        """Partnership > Funder's return…: its list of answers to complete opens each parent."""
        from journeyapp.ui.dialogs.returns_dialog import open_return

        open_return(self, self.caseload, open_parent=self.open_to_put_right)

    def show_lookup(self) -> None:
        """Partnership > Postcode lookup…"""
        from journeyapp.ui.dialogs.returns_dialog import open_lookup

        open_lookup(self, self.caseload)

    def reveal_participant(self, participant_id: str) -> None:
        """Select and open a parent, clearing the list's filters if they hide them."""
        if not self.panel.select(participant_id):
            self.panel.clear_filters()
            self.panel.select(participant_id)
        self.open_participant(participant_id)

    def open_to_put_right(self, problem: Problem) -> None:
        """A line of the return's check: open the parent at the record (and field) it is about."""
        if problem.participant_id is None:
            return
        self.reveal_participant(problem.participant_id)
        self.raise_()
        self.activateWindow()  # from the return's list beside it: the keyboard comes here
        if self.workspace.current_participant_id() == problem.participant_id and problem.kind:
            self.workspace.open_at(problem.kind, problem.record_id, problem.field)

    # -- other caseloads ---------------------------------------------------------------------

    def new_caseload(self) -> None:
        """File > New caseload…: create an empty caseload file and open it in a new window."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from journeyapp.ui.dialogs.first_run import start_new_caseload

        name, _ = QFileDialog.getSaveFileName(
            self, "New caseload", str(paths.browse_dir() / "caseload.db"), "Caseload (*.db)"
        )
        if not name:
            return
        path = Path(name)
        if path.exists():
            QMessageBox.information(
                self,
                "New caseload",
                f"{path} already exists. Choose a new file name, or use Open caseload.",
            )
            return
        caseload = start_new_caseload(path, self)
        if caseload is not None:
            self._replace_with(caseload)

    def open_caseload(self) -> None:
        """File > Open caseload…: open another caseload file in place of this one."""
        from PySide6.QtWidgets import QFileDialog

        from journeyapp.ui.dialogs.opening import open_caseload_interactively

        name, _ = QFileDialog.getOpenFileName(
            self, "Open caseload", str(paths.browse_dir()), "Caseload (*.db);;All files (*)"
        )
        if not name:
            return
        if Path(name) == self.caseload.path:
            return
        caseload = open_caseload_interactively(self, Path(name))
        if caseload is not None:
            self._replace_with(caseload)

    def _replace_with(self, caseload: Caseload) -> None:
        window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
        window.protect()
        _WINDOWS.append(window)
        window.show_fitted()
        self.close()

    def _release_caseload(self) -> None:
        """Stop the lock and backups and close the caseload (so its file can be replaced)."""
        if self.lock is not None:
            self.lock.detach()
        if self.backups is not None:
            self.backups.stop()
        if not self._closed:
            # Work on its own connection stops first (Cancel, then wait for it to let go).
            stop_all(self.caseload)
            self._closed = True
            self.bus.detach()
            self.caseload.close()

    # -- change notifications -------------------------------------------------------------------

    _undoing_whose = ""  # whose change the Undo being done undoes, for the status bar

    def _whose(self, participant_ids: frozenset[str], shown: str | None) -> str:
        """The parent a change was about, named when that is not the parent shown ("" for the
        parent shown's, nobody's, or a group's: "record a group session" says whose)."""
        if len(participant_ids) != 1 or participant_ids == {shown}:
            return ""
        return next(iter(self.panel.model.distinct_names(participant_ids).values())) or ""

    def _on_changed(self, changes: Changes) -> None:
        self.panel.apply(changes)
        note = changes.note
        if note.startswith("undo "):
            about = f" for {self._undoing_whose}" if self._undoing_whose else ""
            self.statusBar().showMessage(f"Undone{about}: {note[5:]}. Saved.")
        else:
            self.statusBar().showMessage("Saved")
        # A clock put back while the window is open shows at the next save.
        self.say_if_clock_behind()
        current = self.workspace.current_participant_id()
        if current is not None and self.panel.model.row_of(current) < 0:
            self.workspace.show_participant(None)
        self._update_actions()

    def _enter_presses(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Enter on a button with the keyboard on it presses it, as Space does (and as Enter
        does in a dialog): a Qt button outside a dialog passes Enter on, so "Add a goal…",
        "Log a contact…" or "Caseload list" seemed not to answer it. Set on each button as
        the keyboard reaches it (cards rebuild theirs), by the button itself, so only Enter
        pressed on it presses it."""
        if isinstance(new, QPushButton) and not new.autoDefault() and new.window() is self:
            new.setAutoDefault(True)

    @override
    def event(self, event: QEvent) -> bool:
        """A menu item's or button's status tip shows while it is pointed at, and the message
        it covered ("Saved: goal added") comes back afterwards: Qt's own handling left the
        status bar blank, so a keyworker who glanced at a menu lost the word that it was saved.
        """
        if event.type() == QEvent.Type.StatusTip and isinstance(event, QStatusTipEvent):
            bar = self.statusBar()
            tip = event.tip()
            if tip:
                if self._tip is None:
                    self._covered = bar.currentMessage()
                self._tip = tip
                bar.showMessage(tip)
            elif self._tip is not None:
                self._tip = None
                bar.showMessage(self._covered)
            return True
        return super().event(event)

    def _status_changed(self, message: str) -> None:
        """A message shown while a tip is up is the one to come back to."""
        if self._tip is not None and message != self._tip:
            self._covered = message
            self._tip = None

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_panes()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        from journeyapp.ui.widgets.forms import AsksBeforeLeaving

        if not self._closed and not self.caseload.is_closed and not self.leave_unsaved_details():
            event.ignore()
            return
        if not self._closed and not self.caseload.is_closed:
            # Quitting with a form open (the session ending, say): its words are kept as a
            # draft, offered back next time, rather than asked about while the desktop closes.
            # Words that cannot be kept (a full disk) keep the form, and the window, open: the
            # form says why, and closing would lose them.
            kept_open = [
                widget
                for widget in QApplication.topLevelWidgets()
                if isinstance(widget, AsksBeforeLeaving)
                and widget.isVisible()
                and widget.caseload is self.caseload
                and not widget.put_away()
            ]
            if kept_open:
                kept_open[0].raise_()
                kept_open[0].activateWindow()
                event.ignore()
                return
        if not self._closed and self._owns_caseload:
            self._release_caseload()
        save_main_geometry(self)
        super().closeEvent(event)
