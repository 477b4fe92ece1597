"""Pace: the pace and check-in rhythm the parent chose, every change with its reason, pause and resume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.describe import check_in_words, chosen_by_words
from journeyapp.core.enums import JOURNEY_ENDED, Pace, ParticipantStatus, Rhythm, Voice, label
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Journey, PaceChange, Pause, Record
from journeyapp.core.validation import check_follow_up
from journeyapp.ui.formatting import fmt_date, happened_date, said
from journeyapp.ui.widgets.forms import (
    FormDialog,
    ParentRecordDialog,
    TextBox,
    choice_combo,
    combo_key,
    fill_combo,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, wrapping_label
from journeyapp.ui.widgets.record_table import Column, RecordTableModel, fit_rows, record_table
from journeyapp.ui.widgets.screen import fit_to_contents
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.section import Section


@dataclass(frozen=True)
class HistoryLine:
    """One line of the pace history: a change of pace, a break taken, or a return."""

    on: date
    what: str
    why: str
    record: Record | None = None


def pause_words(pause: Pause, name: str = "", today: date | None = None) -> str:
    """A break in the parent's terms: their decision, never a failure, its reason quoted as
    whose words it is (as in the history below); the day to get in touch again with who chose
    it. A break starting after `today` (a laptop's clock ahead) has not started: its day is
    marked to be checked."""
    if today is not None and pause.started_on > today:
        words = f"A break from {happened_date(pause.started_on, today)}"
    else:
        words = f"Taking a break since {fmt_date(pause.started_on)}"
    later = ""
    chosen_by = pause.day_chosen_by
    if pause.follow_up_on and chosen_by is not None:
        later = (
            f" — get in touch again on {fmt_date(pause.follow_up_on)}"
            f" ({chosen_by_words(chosen_by, name)})"
        )
    if pause.reason:
        return f"{words} — their choice: {said(pause.reason, pause.voice)}{later}"
    return f"{words} — their choice{later}"


def history(journey: Journey) -> list[HistoryLine]:
    """Pace changes and breaks, most recent first."""
    lines = [
        HistoryLine(
            p.changed_on,
            f"{label(p.pace)}, check in {check_in_words(p.rhythm)}",
            said(p.reason, p.voice),
            p,
        )
        for p in journey.pace
    ]
    for pause in journey.pauses:
        lines.append(
            HistoryLine(
                pause.started_on,
                "Took a break (their choice)",
                said(pause.reason, pause.voice),
                pause,
            )
        )
        if pause.ended_on:
            lines.append(HistoryLine(pause.ended_on, "Picked up again after a break", "", pause))
    return sorted(lines, key=lambda h: h.on, reverse=True)


class PaceDialog(FormDialog):
    """Change the pace and check-in rhythm, with the parent's reason."""

    draft_form = "pace"
    draft_kind = "pace"

    def __init__(
        self,
        caseload: Caseload,
        journey: Journey,
        parent: QWidget | None = None,
        *,
        existing: PaceChange | None = None,
    ) -> None:
        super().__init__(
            "Correct a pace change"
            if existing
            else "Change pace"
            if journey.current_pace
            else "Choose a pace",
            caseload,
            parent,
            existing=existing,
        )
        self.participant_id = journey.participant.id
        self.keep_drafts(self.participant_id)
        current = existing or journey.current_pace
        self.pace = ChoiceBox()
        fill_combo(
            self.pace,
            [(p.value, label(p)) for p in Pace],
            current.pace.value if current else Pace.STEADY.value,
        )
        self.rhythm = ChoiceBox()
        fill_combo(
            self.rhythm,
            [(r.value, label(r)) for r in Rhythm],
            current.rhythm.value if current else Rhythm.FORTNIGHTLY.value,
        )
        self.reason = TextBox(
            existing.reason if existing else "",
            placeholder="Why, in their words (optional)",
            lines=2,
        )
        self.add_field("pace", "Pace:", self.pace)
        self.add_field("rhythm", "Check in:", self.rhythm)
        self.voice = voice_combo(journey.participant.preferred_name)
        if existing is not None:
            select_key(self.voice, existing.voice.value)
        self.add_field("reason", "Reason:", self.reason, TextBox.HINT)
        self.add_field("voice", "Whose words:", self.voice)
        self.on = self.add_date_field(
            "changed_on", "From:", existing.changed_on if existing else None
        )

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        journey = caseload.journey(str(context["participant_id"]))
        return cls(caseload, journey, parent, existing=cls.draft_record(caseload, context))

    def save(self) -> Any:
        on = self.past_date("changed_on", "Changed on", PaceChange)
        if self.existing is not None:
            return self.caseload.update_record(
                "pace",
                self.existing.id,
                pace=Pace(combo_key(self.pace)),
                rhythm=Rhythm(combo_key(self.rhythm)),
                changed_on=on,
                reason=self.reason.text().strip(),
                voice=Voice(combo_key(self.voice)),
            )
        return self.caseload.change_pace(
            self.participant_id,
            Pace(combo_key(self.pace)),
            Rhythm(combo_key(self.rhythm)),
            on=on,
            reason=self.reason.text().strip(),
            voice=Voice(combo_key(self.voice)),
        )


class PauseDialog(ParentRecordDialog):
    """The parent takes a break: when, their reason and whose choice (the break's voice: the
    plan prints "You said: …" only for the parent's own words), and the day to get in touch
    again with who chose that day, asked apart ("Who chose this day:", shown once a day is
    given): the keyworker may suggest the day, or it is agreed together."""

    draft_form = "pause"
    draft_kind = "pauses"
    titles = ("Take a break", "Correct a break")
    save_texts = ("Start the break", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Pause | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        name = caseload.participant(participant_id).preferred_name
        self.reason = TextBox(
            existing.reason if existing else "",
            placeholder="Their reason, e.g. moving house (optional)",
            lines=2,
        )
        self.add_field("reason", "Reason:", self.reason, TextBox.HINT)
        # The break's voice, as "Whose words" keeps it beside a goal, asked in words that fit a
        # choice: whose the break and its reason are.
        self.voice = choice_combo(name)
        if existing is not None:
            select_key(self.voice, existing.voice.value)
        self.add_field("voice", "Whose choice:", self.voice)
        self.on = self.add_date_field(
            "started_on", "From:", existing.started_on if existing else None
        )
        if existing is not None and existing.ended_on is not None:
            self.until = self.add_date_field("ended_on", "Until:", existing.ended_on)
        # "Back in January": This week lists the break when that day comes.
        self.follow_up = self.add_date_field(
            "follow_up_on",
            "Get in touch again on:",
            existing.follow_up_on if existing else None,
            optional=True,
        )
        # Who chose that day: the parent's choice unless changed (a break saved before the
        # day had a chooser of its own shows the break's voice, as its plan says).
        self.day_chosen_by = choice_combo(name)
        chosen = existing.day_chosen_by if existing is not None else None
        if chosen is not None:
            select_key(self.day_chosen_by, chosen.value)
        self.add_field("follow_up_chosen_by", "Who chose this day:", self.day_chosen_by)
        self.follow_up.textChanged.connect(self._show_day_chosen_by)
        self._show_day_chosen_by()

    def _show_day_chosen_by(self) -> None:
        """ "Who chose this day:" only beside a day (there is nothing to choose without one)."""
        row = self.day_chosen_by.parentWidget()  # the field's box, with room for a message
        shown = bool(self.follow_up.text().strip())
        if row is None or self.form.isRowVisible(row) == shown:
            return
        self.form.setRowVisible(row, shown)
        if shown and self.isVisible():
            fit_to_contents(self)  # the box in sight, not below the fold of a scrolling form

    def save(self) -> Any:
        on = self.past_date("started_on", "Pause started on", Pause)
        follow_up = self.optional_date_field(
            "follow_up_on", self.follow_up.text(), "Get in touch again on"
        )
        check_follow_up(on, follow_up)
        voice = Voice(combo_key(self.voice))
        chosen_by = Voice(combo_key(self.day_chosen_by)) if follow_up is not None else None
        if self.existing is not None:
            assert isinstance(self.existing, Pause)
            changes: dict[str, Any] = {
                "started_on": on,
                "reason": self.reason.text().strip(),
                "follow_up_on": follow_up,
                "voice": voice,
            }
            # Written only when it changes (a break merged from a laptop that did not ask has
            # none, and reads as its voice: saved here, the day keeps that chooser even if
            # "Whose choice" changes).
            if chosen_by != self.existing.follow_up_chosen_by:
                changes["follow_up_chosen_by"] = chosen_by
            if "ended_on" in self.fields:
                until = self.past_date("ended_on", "Pause ended on", Pause)
                if until < on:
                    raise ValidationError(
                        "The break cannot end before it started; check the two dates.", "ended_on"
                    )
                changes["ended_on"] = until
            return self.caseload.update_record("pauses", self.existing.id, **changes)
        return self.caseload.pause(
            self.participant_id,
            on=on,
            reason=self.reason.text().strip(),
            voice=voice,
            follow_up_on=follow_up,
            follow_up_chosen_by=chosen_by,
        )


class PaceSection(Section):
    """How fast the parent wants to go, and every change they made."""

    title = "Pace"
    editable = (PaceChange, Pause)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        layout = self.scrolling_page()
        layout.addWidget(heading("Pace"))
        self.current = wrapping_label()
        self.current.setAccessibleName("Current pace")
        font = self.current.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.current.setFont(font)
        layout.addWidget(self.current)
        self.pause_label = wrapping_label()
        self.pause_label.setAccessibleName("Break")
        layout.addWidget(self.pause_label)
        buttons = QHBoxLayout()
        self.change_button = QPushButton("Change pace…")
        self.change_button.setAccessibleName("Change pace")
        self.change_button.clicked.connect(self.change_pace)
        self.pause_button = QPushButton("Take a break…")
        self.pause_button.setAccessibleName("Take a break")
        self.pause_button.clicked.connect(self.pause)
        self.resume_button = QPushButton("Pick up again")
        self.resume_button.setAccessibleName("Pick up again after the break")
        self.resume_button.clicked.connect(self.resume)
        for button in (self.change_button, self.pause_button, self.resume_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addSpacing(SPACING)
        layout.addWidget(heading("Changes along the way"))
        self.model = RecordTableModel(
            [
                Column("On", lambda h: happened_date(h.on, self.caseload.today())),
                Column("What changed", lambda h: h.what),
                Column("Why", lambda h: h.why),
            ],
            self,
        )
        self.view = record_table(self.model, "Pace history, most recent first", 2)
        layout.addWidget(self.view)
        self.record_actions.hook_table(self.view)
        row, self.change_history_button, self.remove_button, self.history_button = (
            self.record_actions.table_buttons(self.view, "change")
        )
        layout.addLayout(row)
        self.table_buttons = (self.change_history_button, self.remove_button, self.history_button)
        # Said once: the line at the top says no pace is chosen yet and the button beside it
        # chooses one; here, what this list will hold.
        self.empty = muted(
            wrapping_label("Each pace they choose and each break they take is listed here.")
        )
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def refresh(self) -> None:
        if self.journey is None:
            self.model.set_records([])
            return
        j = self.journey
        today = self.caseload.today()
        # The pace chosen by today, and the status by today; one dated after it (a laptop's
        # clock ahead) is in the history below, marked to have its date put right.
        by_today = j.as_of(today)
        pace = by_today.current_pace
        # Nothing to change before they have chosen one: the button says what it does.
        words = "Change pace" if pace is not None else "Choose a pace"
        self.change_button.setText(f"{words}…")
        self.change_button.setAccessibleName(words)
        if pace is None:
            self.current.setText("No pace chosen yet; check-ins every fortnight until they choose.")
        else:
            self.current.setText(
                f"{label(pace.pace)}, checking in {check_in_words(pace.rhythm)} "
                f"(since {fmt_date(pace.changed_on)})"
            )
        paused = by_today.participant.status is ParticipantStatus.PAUSED
        # A break taken with a start after today: not started, so nothing to pick up again
        # from, nor another to take (core.validation) until its date is put right.
        starts_later = j.participant.status is ParticipantStatus.PAUSED and not paused
        pause = (by_today if paused else j).open_pause
        self.pause_label.setVisible(paused or starts_later)
        if paused or starts_later:
            self.pause_label.setText(
                pause_words(pause, j.participant.preferred_name, today)
                if pause
                else "Taking a break — their choice"
            )
        # A journey that moved on or closed has no break to take (core.validation).
        ended = j.participant.status in JOURNEY_ENDED
        self.pause_button.setVisible(not paused and not ended and not starts_later)
        self.resume_button.setVisible(paused)
        lines = history(j)
        self.model.set_records(lines)
        fit_rows(self.view)
        self.view.setVisible(bool(lines))
        self.empty.setVisible(not lines)
        # No row to change, remove or look back on: no buttons that would do nothing.
        for button in self.table_buttons:
            button.setVisible(bool(lines))

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if self.journey is None:
            return None
        if isinstance(record, PaceChange):
            return PaceDialog(self.caseload, self.journey, self, existing=record)
        if isinstance(record, Pause):
            return PauseDialog(self.caseload, self.journey.participant.id, self, existing=record)
        return None

    def change_pace(self) -> None:
        """Open the change-pace dialog."""
        if self.journey is None:
            return
        if PaceDialog(self.caseload, self.journey, self).exec():
            self.saved("pace changed")

    def pause(self) -> None:
        """Open the take-a-break dialog."""
        if self.pid is None:
            return
        if PauseDialog(self.caseload, self.pid, self).exec():
            self.saved("taking a break")

    def resume(self) -> None:
        """Pick up again after a break (today)."""
        pid = self.pid
        if pid is None:
            return
        self.run(lambda: self.caseload.resume(pid), "picked up again")
