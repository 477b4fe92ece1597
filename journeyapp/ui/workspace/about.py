"""About: the parent's details (editable), stage, children and childcare needs, consent per purpose."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, Destination, label
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Child, Consent
from journeyapp.ui.formatting import fmt_date, input_date
from journeyapp.ui.widgets.forms import (
    FieldForm,
    FormDialog,
    combo_key,
    fill_combo,
    optional_field_date,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, show_items, wrapping_label
from journeyapp.ui.workspace.section import Section

# (field, label) of the editable details, in the order shown.
TEXT_FIELDS = (
    ("preferred_name", "Name to call them by"),
    ("full_name", "Full name"),
    ("date_of_birth", "Date of birth"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("keyworker", "Keyworker"),
    ("referral_source", "Heard about us from"),
)


class ChildDialog(FormDialog):
    """Note a child: birth year (for childcare planning) and childcare needs; no name needed."""

    def __init__(
        self, caseload: Caseload, participant_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("Add a child", caseload, parent, save_text="Add child")
        self.participant_id = participant_id
        self.birth_year = QLineEdit(placeholderText="e.g. 2021")
        self.needs = QLineEdit(placeholderText="e.g. nursery place mornings")
        self.add_field("birth_year", "Birth year:", self.birth_year)
        self.add_field("childcare_needs", "Childcare needs:", self.needs)

    def save(self) -> Any:
        text = self.birth_year.text().strip()
        year: int | None = None
        if text:
            if not text.isdigit():
                raise ValidationError(
                    f"Birth year {text!r} is not a year; write it as four digits, e.g. 2021.",
                    "birth_year",
                )
            year = int(text)
        return self.caseload.add_child(self.participant_id, year, self.needs.text().strip())


class ConsentDialog(FormDialog):
    """Record consent given or withdrawn for one purpose, when and how."""

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        purpose: ConsentPurpose,
        current: Consent | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Consent: {label(purpose)}", caseload, parent)
        self.participant_id = participant_id
        self.purpose = purpose
        self.given = QComboBox()
        fill_combo(
            self.given,
            [("yes", "Given"), ("no", "Withdrawn or not given")],
            "no" if current is not None and not current.given else "yes",
        )
        self.how = QLineEdit(current.how_recorded if current else "")
        self.how.setPlaceholderText("e.g. signed form, said so on the phone")
        self.add_field("given", "Consent:", self.given)
        self.on = self.add_date_field("on", "On:")
        self.add_field("how_recorded", "How recorded:", self.how)

    def save(self) -> Any:
        on = self.past_date("on", "Date")
        return self.caseload.record_consent(
            self.participant_id,
            self.purpose,
            combo_key(self.given) == "yes",
            on=on,
            how_recorded=self.how.text().strip(),
        )


def child_line(child: Child) -> QLabel:
    """One child: birth year and childcare needs."""
    born = f"Born {child.birth_year}" if child.birth_year else "Birth year not noted"
    needs = child.childcare_needs or "no childcare needs noted"
    text = wrapping_label(f"{born} — childcare: {needs}")
    text.setAccessibleName(f"Child: {born}, childcare: {needs}")
    return text


class AboutSection(Section):
    """Who the parent is and what they agreed to."""

    title = "About"

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        layout = self.scrolling_page()

        # Details
        layout.addWidget(heading("Details"))
        # A problem with no field of its own shows under the buttons (laid out below).
        self.details_error = wrapping_label(selectable=False)
        self.details_error.hide()
        self.details = FieldForm(self.details_error)
        self.edits = self.details.fields
        self.errors = self.details.errors
        self._shown: dict[str, str] = {}
        self._shown_pid: str | None = None
        for key, text in TEXT_FIELDS:
            edit = QLineEdit()
            if key == "date_of_birth":
                edit.setPlaceholderText("dd/mm/yyyy (optional)")
            self._add_detail(key, text, edit)
        self.locality = QComboBox()
        fill_combo(self.locality, [(e.key, e.label) for e in caseload.catalogue.localities])
        self._add_detail("locality", "Locality", self.locality)
        self.destination = QComboBox()
        fill_combo(self.destination, [(d.value, label(d)) for d in Destination])
        self._add_detail("destination", "Working towards", self.destination)
        # The form is kept to a readable width; a very long field is hard to scan across.
        details_box = QWidget()
        details_box.setLayout(self.details)
        details_box.setMaximumWidth(self.fontMetrics().averageCharWidth() * 100)
        self.details.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(details_box)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save details")
        self.save_button.setAccessibleName("Save details")
        self.save_button.clicked.connect(self.save_details)
        self.revert_button = QPushButton("Put back as saved")
        self.revert_button.setAccessibleName("Put the details back as saved")
        self.revert_button.clicked.connect(self.revert)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.details_error)

        # Stage
        layout.addSpacing(SPACING)
        layout.addWidget(heading("Stage"))
        self.stage_label = wrapping_label()
        self.stage_label.setAccessibleName("Current stage")
        layout.addWidget(self.stage_label)
        stage_row = QHBoxLayout()
        self.stage_combo = QComboBox()
        self.stage_combo.setAccessibleName("Stage to move to")
        fill_combo(self.stage_combo, [(e.key, e.label) for e in caseload.catalogue.stages])
        self.stage_note = QLineEdit(placeholderText="What changed (optional)")
        self.stage_note.setAccessibleName("What changed (optional)")
        self.stage_button = QPushButton("Move to this stage")
        self.stage_button.setAccessibleName("Move to this stage")
        self.stage_button.clicked.connect(self.move_stage)
        self.stage_note.returnPressed.connect(self.move_stage)
        stage_row.addWidget(self.stage_combo)
        stage_row.addWidget(self.stage_note, 1)
        stage_row.addWidget(self.stage_button)
        layout.addLayout(stage_row)
        hint = muted(
            wrapping_label("Journeys are not a straight line: moving back a stage is fine.")
        )
        layout.addWidget(hint)

        # Children
        layout.addSpacing(SPACING)
        layout.addWidget(heading("Children and childcare"))
        self.children_box = QVBoxLayout()
        self.children_box.setSpacing(4)
        layout.addLayout(self.children_box)
        self.add_child_button = QPushButton("Add a child…")
        self.add_child_button.setAccessibleName("Add a child")
        self.add_child_button.clicked.connect(self.add_child)
        row = QHBoxLayout()
        row.addWidget(self.add_child_button)
        row.addStretch(1)
        layout.addLayout(row)

        # Consent
        layout.addSpacing(SPACING)
        layout.addWidget(heading("Consent"))
        self.consent_grid = QGridLayout()
        self.consent_grid.setHorizontalSpacing(SPACING)
        self.consent_grid.setVerticalSpacing(SPACING // 2)
        self.consent_labels: dict[ConsentPurpose, QLabel] = {}
        self.consent_buttons: dict[ConsentPurpose, QPushButton] = {}
        for row_no, purpose in enumerate(ConsentPurpose):
            name = QLabel(label(purpose))
            state = wrapping_label()
            state.setAccessibleName(f"Consent for {label(purpose).lower()}")
            button = QPushButton("Record…")
            button.setAccessibleName(f"Record consent for {label(purpose).lower()}")
            button.clicked.connect(lambda _=False, p=purpose: self.record_consent(p))
            self.consent_grid.addWidget(name, row_no, 0)
            self.consent_grid.addWidget(state, row_no, 1)
            self.consent_grid.addWidget(button, row_no, 2)
            self.consent_labels[purpose] = state
            self.consent_buttons[purpose] = button
        self.consent_grid.setColumnStretch(1, 1)
        layout.addLayout(self.consent_grid)
        layout.addStretch(1)

    def _add_detail(self, key: str, text: str, widget: QWidget) -> None:
        self.details.add_field(key, text, widget)
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(self.save_details)

    # -- showing ---------------------------------------------------------------------------------

    def _field_value(self, key: str) -> str:
        widget = self.edits[key]
        if isinstance(widget, QLineEdit):
            return widget.text()
        assert isinstance(widget, QComboBox)
        return combo_key(widget)

    def _set_field(self, key: str, value: str) -> None:
        widget = self.edits[key]
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        else:
            assert isinstance(widget, QComboBox)
            widget.setCurrentIndex(max(0, widget.findData(value)))

    def unsaved_fields(self) -> list[str]:
        """The details typed but not saved yet (keys), for the parent shown."""
        if self.journey is None or self._shown_pid != self.journey.participant.id:
            return []
        return [k for k, v in self._shown.items() if self._field_value(k) != v]

    def revert(self) -> None:
        """Put every detail back as saved, dropping what was typed."""
        self._shown_pid = None
        self.refresh()

    def refresh(self) -> None:
        self.details.clear_errors()
        if self.journey is None:
            return
        p = self.journey.participant
        # Another change to this parent (a contact logged with Ctrl+L, an undo) reloads the tab;
        # details typed and not saved yet stay as typed, so no word is lost.
        keep = set(self.unsaved_fields())
        saved: dict[str, str] = {
            key: input_date(p.date_of_birth)
            if key == "date_of_birth"
            else str(getattr(p, key) or "")
            for key, _ in TEXT_FIELDS
        }
        saved["locality"] = p.locality
        saved["destination"] = str(p.destination)
        for key, value in saved.items():
            if key not in keep:
                self._set_field(key, value)
        self._shown = saved
        self._shown_pid = p.id
        stage = self.caseload.catalogue.label("stages", p.stage) if p.stage else "none yet"
        since = max((s.on for s in self.journey.stages if s.stage == p.stage), default=None)
        self.stage_label.setText(f"Now: {stage}" + (f" (since {fmt_date(since)})" if since else ""))
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(p.stage)))

        show_items(
            self.children_box,
            [child_line(child) for child in self.journey.children],
            "No children noted yet.",
        )

        consents = {c.purpose: c for c in self.journey.consents}
        for purpose, state in self.consent_labels.items():
            consent = consents.get(purpose)
            if consent is None:
                words = "Not asked yet"
            elif consent.given:
                words = f"✓ Given on {fmt_date(consent.on)}"
            else:
                words = f"✗ Withdrawn or not given, {fmt_date(consent.on)}"
            if consent is not None and consent.how_recorded:
                words += f" ({consent.how_recorded})"
            state.setText(words)

    # -- actions ---------------------------------------------------------------------------------

    def save_details(self) -> None:
        """Save whatever details were changed; a problem is shown beside its field."""
        if self.journey is None:
            return
        self.details.clear_errors()
        p = self.journey.participant
        changes: dict[str, Any] = {}
        try:
            for key, text in TEXT_FIELDS:
                edit = self.edits[key]
                assert isinstance(edit, QLineEdit)
                value: Any = edit.text().strip()
                if key == "date_of_birth":
                    value = optional_field_date(key, value, text)
                if value != (getattr(p, key) if key == "date_of_birth" else getattr(p, key) or ""):
                    changes[key] = value
            if combo_key(self.locality) != p.locality:
                changes["locality"] = combo_key(self.locality)
            if combo_key(self.destination) != str(p.destination):
                changes["destination"] = Destination(combo_key(self.destination))
            if not changes:
                self.status_message.emit("Nothing to save: the details are as they were.")
                return
            self.caseload.update_participant(p.id, **changes)
        except JourneyError as exc:
            self.details.show_error(exc.message, getattr(exc, "field", None))
            return
        self.saved("details")

    def move_stage(self) -> None:
        """Move the parent to the chosen stage (forwards or back)."""
        if self.journey is None:
            return
        stage = combo_key(self.stage_combo)
        if stage == self.journey.participant.stage:
            self.status_message.emit("They are already at that stage.")
            return
        note = self.stage_note.text().strip()
        pid = self.journey.participant.id
        if self.run(lambda: self.caseload.set_stage(pid, stage, note=note), "stage changed"):
            self.stage_note.clear()

    def add_child(self) -> None:
        """Open the small add-a-child dialog."""
        if self.pid is None:
            return
        dialog = ChildDialog(self.caseload, self.pid, self)
        if dialog.exec():
            self.saved("child added")

    def record_consent(self, purpose: ConsentPurpose) -> None:
        """Open the consent dialog for one purpose."""
        if self.journey is None:
            return
        current = next((c for c in self.journey.consents if c.purpose == purpose), None)
        dialog = ConsentDialog(self.caseload, self.journey.participant.id, purpose, current, self)
        if dialog.exec():
            self.saved("consent recorded")
