"""Choices: every service in the partnership's catalogue and the parent's decision about it."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import Entry, unlisted
from journeyapp.core.enums import Decision, Voice, label
from journeyapp.core.records import Choice, Record
from journeyapp.ui.formatting import fmt_date, said
from journeyapp.ui.widgets.forms import (
    FormDialog,
    TextBox,
    combo_key,
    fill_combo,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, set_muted, wrapping_label
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY
from journeyapp.ui.workspace.section import Section


def decision_words(choice: Choice | None) -> str:
    """The decision in neutral words; declining reads as a choice like any other. The reason
    as the tables show words: the parent's in quotation marks, anyone else's marked whose."""
    if choice is None:
        return "Not talked about yet"
    words = f"{label(choice.decision)} (decided {fmt_date(choice.decided_on)})"
    if choice.reason:
        words += f"\n{said(choice.reason, choice.voice)}"
    return words


class ChoiceDialog(FormDialog):
    """Record the parent's decision about one service, and their reason."""

    draft_form = "choice"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        service: Entry,
        current: Choice | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Choice: {service.label}", caseload, parent)
        self.participant_id = participant_id
        self.keep_drafts(participant_id, service=service.key)
        self.service = service
        self.decision = ChoiceBox()
        fill_combo(
            self.decision,
            [(d.value, label(d)) for d in Decision],
            current.decision.value if current else Decision.CHOSEN.value,
        )
        self.reason = TextBox(
            current.reason if current else "",
            placeholder="Their reason, in their words (optional)",
            lines=2,
        )
        self.voice = voice_combo(caseload.participant(participant_id).preferred_name)
        if current is not None:
            select_key(self.voice, current.voice.value)
        self.provider = QLineEdit(current.provider if current else "")
        self.provider.setPlaceholderText("Who provides it (optional)")
        self.add_field("decision", "Decision:", self.decision)
        self.add_field("reason", "Reason:", self.reason)
        self.add_field("voice", "Whose words:", self.voice)
        self.add_field("provider", "Provider:", self.provider)
        self.on = self.add_date_field(
            "decided_on", "Decided on:", current.decided_on if current else None
        )

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        pid = str(context["participant_id"])
        key = str(context["service"])
        service = next((e for e in caseload.catalogue.services if e.key == key), None)
        if service is None:
            return None  # the partnership's catalogue no longer offers it
        choices = caseload.journey(pid).choices
        current = next((c for c in choices if c.service == key), None)
        return cls(caseload, pid, service, current, parent)

    def save(self) -> Any:
        on = self.past_date("decided_on", "Decided on", Choice)
        return self.caseload.choose_service(
            self.participant_id,
            self.service.key,
            Decision(combo_key(self.decision)),
            on=on,
            reason=self.reason.text().strip(),
            provider=self.provider.text().strip(),
            voice=Voice(combo_key(self.voice)),
        )


class ChoicesSection(Section):
    """The partnership's services; for each, chosen, not for me now or maybe later."""

    title = "Choices"
    editable = (Choice,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        layout = self.scrolling_page()
        layout.addWidget(heading("Services and their choices"))
        layout.addWidget(
            muted(
                wrapping_label(
                    "Every service is the parent's choice. “Not for me now” and “Maybe later” "
                    "are choices too."
                )
            )
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(SPACING * 2)
        grid.setVerticalSpacing(SPACING)
        self.states: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for row, service in enumerate(caseload.catalogue.services):
            name = QLabel(service.label)
            name.setWordWrap(True)
            font = name.font()
            font.setBold(True)
            name.setFont(font)
            # Room for the longer service names on two lines at most (never three).
            name.setMinimumWidth(QFontMetrics(font).horizontalAdvance("Confidence and personal"))
            state = wrapping_label()
            state.setAccessibleName(f"Choice about {service.label}")
            button = QPushButton("Record choice…")
            button.setAccessibleName(f"Record choice about {service.label}")
            button.clicked.connect(lambda _=False, s=service: self.record(s))
            grid.addWidget(name, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(button, row, 2)
            self.states[service.key] = state
            self.buttons[service.key] = button
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        layout.addLayout(grid)
        # Choices about services the catalogue no longer lists (retired since, or another
        # laptop's): shown under their key, never hidden.
        self.unlisted = wrapping_label()
        self.unlisted.setAccessibleName("Choices about services not in the catalogue")
        self.unlisted.hide()
        layout.addWidget(self.unlisted)
        layout.addStretch(1)

    def refresh(self) -> None:
        choices = {c.service: c for c in self.journey.choices} if self.journey else {}
        for key, state in self.states.items():
            choice = choices.get(key)
            state.setText(decision_words(choice))
            if choice is not None and state.property(RECORD_PROPERTY) != choice.id:
                self.record_actions.hook_item(state, choice)
            # Not yet talked about is quieter; every decision, declining included, looks alike.
            set_muted(state, choice is None)
        others = [c for key, c in sorted(choices.items()) if key not in self.states]
        self.unlisted.setText(
            "\n\n".join(f"{unlisted(c.service)}: {decision_words(c)}" for c in others)
        )
        self.unlisted.setVisible(bool(others))

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if not isinstance(record, Choice) or self.journey is None:
            return None
        service = next(
            (e for e in self.caseload.catalogue.services if e.key == record.service), None
        )
        if service is None:
            return None
        return ChoiceDialog(self.caseload, self.journey.participant.id, service, record, self)

    def record(self, service: Entry) -> None:
        """Open the choice dialog for one service."""
        if self.journey is None:
            return
        current = next((c for c in self.journey.choices if c.service == service.key), None)
        dialog = ChoiceDialog(self.caseload, self.journey.participant.id, service, current, self)
        if dialog.exec():
            self.saved(f"choice about {service.label.lower()}")
