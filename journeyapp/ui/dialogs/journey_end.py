"""Parent > Moved on or closed…, and Parent > Welcome back (reopen)…: a journey ends (the parent
moved on to what they chose, or it closed) on the day given, and is taken up again when they
come back, on the day given (empty: today); the parent's records stay as they were."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.enums import JOURNEY_ENDED, Destination, ParticipantStatus, Voice, label
from journeyapp.core.records import Participant, Record
from journeyapp.ui.errors import attempt
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.forms import (
    ParentRecordDialog,
    TextBox,
    combo_key,
    fill_combo,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import wrapping_label
from journeyapp.ui.widgets.screen import fit_to_contents
from journeyapp.ui.widgets.wheel import ChoiceBox

# How the question "How did their journey end?" is answered, in the window's words.
ENDINGS: tuple[tuple[str, str], ...] = (
    (
        ParticipantStatus.MOVED_ON.value,
        "Moved on: to work, learning, volunteering or their own next step",
    ),
    (
        ParticipantStatus.CLOSED.value,
        "Closed: they no longer want support, moved away, or lost touch",
    ),
)


class _JourneyDayDialog(ParentRecordDialog):
    """A form about the journey as a whole: its words above the fields, and the day it
    happened (empty: today, as the placeholder says; a day is often recorded later)."""

    def _intro(self, words: str) -> None:
        self.intro = wrapping_label(words)
        self.intro.setAccessibleName("About this")
        self.form.insertRow(0, self.intro)

    def _day_field(self, name: str) -> DateEdit:
        on = self.add_date_field(name, "On:", None, optional=True)
        on.edit.setPlaceholderText("dd/mm/yyyy (empty: today)")
        return on

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The words above the form wrap once the dialog has its width: as tall as they are.
        QTimer.singleShot(0, lambda: fit_to_contents(self))


class EndJourneyDialog(_JourneyDayDialog):
    """How the journey ended (moved on or closed), on what day and, for a move on, where to,
    with what the parent wants said about it in their words (and whose words they are); a
    break being taken ends that day too. Its choices are kept as a draft like any form's."""

    draft_form = "journey_end"
    titles = ("Moved on or closed", "Moved on or closed")
    save_texts = ("Record it", "Record it")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Record | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=None)
        participant = caseload.participant(participant_id)
        name = participant.preferred_name
        words = (
            f"{name}'s records stay as they are, and they are welcome back at any time: "
            "Parent > Welcome back takes their journey up again."
        )
        if participant.status is ParticipantStatus.PAUSED:
            words += " The break they are taking ends on the day their journey ended."
        self._intro(words)
        self.ending = ChoiceBox()
        fill_combo(self.ending, list(ENDINGS))
        if participant.status is ParticipantStatus.MOVED_ON:
            select_key(self.ending, ParticipantStatus.CLOSED.value)
        self.add_field("status", "How it ended:", self.ending)
        self.destination = ChoiceBox()
        fill_combo(self.destination, [(d.value, label(d)) for d in Destination])
        select_key(self.destination, participant.destination.value)
        self.add_field("destination", "Moved on to:", self.destination)
        self.on = self._day_field("ended_on")  # a day typed is the day it ended
        # What the parent wants said about where they are going or why they are stopping, as
        # a strength or goal is noted: their words, and whose words they are. Correcting a
        # journey that has ended shows the words held; a journey ending now starts empty.
        ended = participant.status in JOURNEY_ENDED
        self.words = TextBox(
            participant.ending_words if ended else "",
            placeholder="e.g. I start at the library on Monday. Thank you for everything.",
            lines=2,
        )
        self.voice = voice_combo(name)
        if ended:
            select_key(self.voice, participant.ending_voice.value)
        self.add_field(
            "ending_words",
            "In their words:",
            self.words,
            f"What {name} wants said about where they are going or why they are stopping "
            "(printed on their plan). Leave empty if nothing.",
        )
        self.add_field("ending_voice", "Whose words:", self.voice)
        self.ending.currentIndexChanged.connect(self._show_destination)
        self._show_destination()

    def _show_destination(self) -> None:
        """ "Moved on to:" only for a move on (a closed journey has no destination to give)."""
        row = self.destination.parentWidget()
        moved_on = combo_key(self.ending) == ParticipantStatus.MOVED_ON.value
        if row is not None:
            self.form.setRowVisible(row, moved_on)

    def save(self) -> Any:
        status = ParticipantStatus(combo_key(self.ending))
        destination = (
            Destination(combo_key(self.destination))
            if status is ParticipantStatus.MOVED_ON
            else None
        )
        typed = self.optional_date_field("ended_on", self.on.text(), "The day their journey ended")
        on = typed if typed is not None else self.today()
        self.not_future("ended_on", on, Participant)
        return self.caseload.end_journey(
            self.participant_id,
            status,
            on=on,
            destination=destination,
            words=self.words.text(),
            voice=Voice(combo_key(self.voice)),
        )


def ended_words(status: ParticipantStatus, destination: Destination | None) -> str:
    """ "moved on (to Work)" / "closed", as the status bar says it."""
    if status is not ParticipantStatus.MOVED_ON:
        return "closed"
    if destination is None or destination is Destination.NOT_DECIDED:
        return "moved on"
    return f"moved on (to {label(destination).lower()})"


class WelcomeBackDialog(_JourneyDayDialog):
    """Welcome back: the journey of a parent who moved on or whose journey closed is taken up
    again on the day given (empty: today; a welcome back is often recorded days later), with
    everything recorded as it was. Its day is kept as a draft like any form's."""

    draft_form = "welcome_back"
    titles = ("Welcome back", "Welcome back")
    save_texts = ("Welcome back", "Welcome back")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Record | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=None)
        participant = caseload.participant(participant_id)
        name = participant.preferred_name
        ended = (
            f" (their journey ended on {fmt_date(participant.ended_on)})"
            if participant.ended_on is not None
            else ""
        )
        self._intro(
            f"Welcome {name} back? Their journey is taken up again on the day they came "
            f"back{ended}: they show as Active, with everything recorded as it was. Ctrl+Z "
            "undoes it."
        )
        self.on = self._day_field("back_on")
        self.on.setAccessibleName("The day they came back (empty: today)")

    def save(self) -> Any:
        on = self.optional_date_field("back_on", self.on.text(), "The day they came back")
        return self.caseload.reopen_journey(self.participant_id, on=on)


def welcome_back(parent: QWidget, caseload: Caseload, participant_id: str) -> bool:
    """Ask (the day they came back: empty for today), then take the parent's journey up
    again. True when it was."""
    participant = attempt(parent, lambda: caseload.participant(participant_id))
    if participant is None:
        return False
    dialog = WelcomeBackDialog(caseload, participant_id, parent)
    return bool(dialog.exec()) and dialog.result_value is not None
