"""About: the parent's details (editable), stage, children and childcare needs, consent per purpose."""

from __future__ import annotations

from datetime import date
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
from journeyapp.core.documents.wording import PRINT_LANGUAGES
from journeyapp.core.enums import ConsentPurpose, Destination, label
from journeyapp.core.errors import JourneyError
from journeyapp.core.records import Child, Consent, Record
from journeyapp.ui.formatting import fmt_date, happened_date, input_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FieldForm,
    FormDialog,
    ParentRecordDialog,
    TextBox,
    combo_items,
    combo_key,
    fill_combo,
    optional_field_date,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, show_items, wrapping_label
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY
from journeyapp.ui.workspace.section import Section, TypedOnTab, bring_into_view

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


class ChildDialog(ParentRecordDialog):
    """Note a child: age or year of birth (for childcare planning) and childcare needs; no name
    needed. With `existing`, the same form corrects a child noted before."""

    draft_form = "child"
    draft_kind = "children"
    titles = ("Add a child", "Change a child")
    save_texts = ("Add child", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Child | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        held = str(existing.birth_year) if existing and existing.birth_year else ""
        self.birth_year = QLineEdit(held, placeholderText="e.g. 3 (their age) or 2021")
        self.needs = TextBox(
            existing.childcare_needs if existing else "",
            placeholder="e.g. nursery place mornings",
            lines=2,
        )
        self.add_field(
            "birth_year",
            "Age or year of birth:",
            self.birth_year,
            "Their age in years (e.g. 3) or the year they were born (e.g. 2021)",
        )
        self.add_field("childcare_needs", "Childcare needs:", self.needs, TextBox.HINT)

    def save(self) -> Any:
        # Validation loads when a record is first saved, not with the window (issue 18).
        from journeyapp.core.validation import birth_year_from

        year = birth_year_from(self.birth_year.text(), self.today().year)
        needs = self.needs.text().strip()
        if self.existing is not None:
            return self.caseload.update_record(
                "children", self.existing.id, birth_year=year, childcare_needs=needs
            )
        return self.caseload.add_child(self.participant_id, year, needs)


# The states a consent can be in, as the one consent form offers them.
_NOT_ASKED, _GIVEN, _WITHDRAWN = "", "yes", "no"


class ConsentDialog(FormDialog):
    """Consent for every purpose in one form: given, withdrawn or not asked yet, and how it was
    recorded; one date for what changes. Opened from one purpose, that row has the cursor."""

    draft_form = "consent"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        purpose: ConsentPurpose,
        current: Consent | None,
        parent: QWidget | None = None,
        *,
        consents: tuple[Consent, ...] = (),
        correcting: bool = False,
    ) -> None:
        super().__init__("Consent", caseload, parent, existing=current)
        self.participant_id = participant_id
        # Opened on a consent to put it right (its row): its date is shown and can be
        # corrected; opened to record a change, the date is today's.
        self.correcting = correcting and current is not None
        self.keep_drafts(participant_id, purpose=purpose.value, correcting=self.correcting)
        self.purpose = purpose
        held = {c.purpose: c for c in consents}
        if current is not None:
            held[current.purpose] = current
        self.held = held
        self.states: dict[ConsentPurpose, QComboBox] = {}
        self.hows: dict[ConsentPurpose, QLineEdit] = {}
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        grid.addWidget(QLabel("For"), 0, 0)
        grid.addWidget(QLabel("Consent"), 0, 1)
        grid.addWidget(QLabel("How recorded"), 0, 2)
        for row, each in enumerate(ConsentPurpose, start=1):
            known = held.get(each)
            state = ChoiceBox()
            chosen = _NOT_ASKED if known is None else (_GIVEN if known.given else _WITHDRAWN)
            if known is None and each is purpose:
                chosen = _GIVEN  # opened from this purpose: most often to record it given
            options = [(_GIVEN, "Given"), (_WITHDRAWN, "Withdrawn or not given")]
            if known is None:
                options.insert(0, (_NOT_ASKED, "Not asked yet"))
            fill_combo(state, options, chosen)
            state.setAccessibleName(f"Consent for {label(each).lower()}")
            how = QLineEdit(known.how_recorded if known else "")
            how.setPlaceholderText("e.g. signed form, said so on the phone")
            # Room for a few words of how it was recorded, not a dozen letters.
            how.setMinimumWidth(self.fontMetrics().averageCharWidth() * 32)
            how.setAccessibleName(f"How consent for {label(each).lower()} was recorded")
            name = QLabel(label(each))
            name.setBuddy(state)
            grid.addWidget(name, row, 0)
            grid.addWidget(state, row, 1)
            grid.addWidget(how, row, 2)
            self.states[each] = state
            self.hows[each] = how
            self.inputs[f"state:{each.value}"] = state
            self.inputs[f"how:{each.value}"] = how
        grid.setColumnStretch(2, 1)
        self.form.addRow(grid_box)
        note = muted(
            wrapping_label(
                "Equalities monitoring is asked separately and is optional: without it the "
                "equalities questions are not asked, and taking it back deletes the answers.",
                selectable=False,
            )
        )
        note.setAccessibleName("About equalities monitoring consent")
        self.form.addRow(note)
        self.given = self.states[purpose]
        self.how = self.hows[purpose]
        self.on = self.add_date_field(
            "on", "On:", current.on if self.correcting and current is not None else None
        )
        self.how.setFocus()

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        pid = str(context["participant_id"])
        purpose = ConsentPurpose(str(context["purpose"]))
        consents = caseload.journey(pid).consents
        current = next((c for c in consents if c.purpose == purpose), None)
        correcting = bool(context.get("correcting"))
        return cls(
            caseload, pid, purpose, current, parent, consents=consents, correcting=correcting
        )

    def save(self) -> Any:
        on = self.past_date("on", "Date", Consent)
        changes: dict[ConsentPurpose, tuple[bool, str]] = {}
        # A consent whose wording alone is corrected keeps the day it was given or withdrawn:
        # the form's date is the day of what changes (and, correcting one, that one's day).
        kept_days: dict[ConsentPurpose, date] = {}
        for each, state in self.states.items():
            key = combo_key(state)
            if key == _NOT_ASKED:
                continue
            given, how = key == _GIVEN, self.hows[each].text().strip()
            known = self.held.get(each)
            redated = self.correcting and each is self.purpose and known is not None
            if known is None or known.given != given:
                changes[each] = (given, how)
            elif known.how_recorded != how or (redated and known.on != on):
                changes[each] = (given, how)
                if not redated:
                    kept_days[each] = known.on
        if not changes:
            return []
        return self.caseload.record_consents(self.participant_id, changes, on=on, dates=kept_days)


def child_line(child: Child, this_year: int | None = None) -> QLabel:
    """One child: year of birth (and so roughly their age) and childcare needs."""
    born = f"Born {child.birth_year}" if child.birth_year else "Birth year not noted"
    if child.birth_year and this_year is not None and this_year >= child.birth_year:
        born += f" (about {this_year - child.birth_year})"
    needs = child.childcare_needs or "no childcare needs noted"
    text = wrapping_label(f"{born} — childcare: {needs}")
    text.setAccessibleName(f"Child: {born}, childcare: {needs}")
    return text


class AboutSection(TypedOnTab, Section):
    """Who the parent is and what they agreed to.

    Details typed and not saved are kept as a draft (only the fields typed in, with what they
    said when the typing began), so a crash loses no word; leaving the parent asks first. So
    is a stage chosen, with what changed, and not moved to yet (StageNote).
    """

    title = "About"
    draft_form = "about"
    typing_title = "Details on the About tab"
    choices_words = "Save details keeps it; Put back as saved shows what is saved now."
    editable = (Child, Consent)

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
        self.tab = self
        self.typed_inputs = self.edits
        self.note_label = self.details_error
        self.labels = {}
        for key, text in TEXT_FIELDS:
            edit = QLineEdit()
            if key == "date_of_birth":
                edit.setPlaceholderText("dd/mm/yyyy (optional)")
            self._add_detail(key, text, edit)
        self.locality = ChoiceBox()
        fill_combo(self.locality, [(e.key, e.label) for e in caseload.catalogue.localities])
        self._add_detail("locality", "Locality", self.locality)
        self.destination = ChoiceBox()
        fill_combo(self.destination, [(d.value, label(d)) for d in Destination])
        self._add_detail("destination", "Working towards", self.destination)
        # Printed plans and "What we hold about you" come out in this language.
        self.language = ChoiceBox()
        fill_combo(self.language, list(PRINT_LANGUAGES.items()))
        self.language.setToolTip("The language their printed plan is in")
        self._add_detail("language", "Printed plan in", self.language)
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
        self.stage_combo = ChoiceBox()
        self.stage_combo.setAccessibleName("Stage to move to")
        fill_combo(self.stage_combo, [(e.key, e.label) for e in caseload.catalogue.stages])
        self.stage_note = QLineEdit(placeholderText="What changed (optional)")
        self.stage_note.setAccessibleName("What changed (optional)")
        # Wide enough for its hint, which would otherwise be cut off beside the stage list.
        self.stage_note.setMinimumWidth(
            self.stage_note.fontMetrics().horizontalAdvance("What changed (optional)") + 16
        )
        self.stage_button = QPushButton("Move to this stage")
        self.stage_button.setAccessibleName("Move to this stage")
        self.stage_button.clicked.connect(self.move_stage)
        self.stage_note.returnPressed.connect(self.move_stage)
        stage_row.addWidget(self.stage_combo)
        stage_row.addWidget(self.stage_note, 1)
        layout.addLayout(stage_row)
        # The button under the two, so the row fits beside the caseload list on a laptop.
        stage_buttons = QHBoxLayout()
        stage_buttons.addWidget(self.stage_button)
        stage_buttons.addStretch(1)
        layout.addLayout(stage_buttons)
        self.stage_error = wrapping_label(selectable=False)
        self.stage_error.setAccessibleName("Problem with the stage")
        self.stage_error.hide()
        layout.addWidget(self.stage_error)
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
        self.start_drafts(self)
        self.watch_typing()
        self.stage = StageNote(self)

    @override
    def show_field(self, field: str) -> bool:
        widget = self.edits.get(field)
        if widget is None:
            return False
        bring_into_view(widget)
        return True

    def _add_detail(self, key: str, text: str, widget: QWidget) -> None:
        self.details.add_field(key, text, widget)
        self.labels[key] = text
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(self.save_details)

    # -- drafts ----------------------------------------------------------------------------------

    @override
    def save_typed(self) -> None:
        self.save_details()

    @override
    def typing_kept(self) -> list[TypedOnTab]:
        return [*super().typing_kept(), self.stage]

    def refresh(self) -> None:
        self.details.clear_errors()
        self.stage_error.hide()
        if self.journey is None:
            return
        p = self.journey.participant
        # Another change to this parent (a contact logged with Ctrl+L, an undo) reloads the tab;
        # details typed and not saved yet stay as typed, so no word is lost.
        saved: dict[str, str] = {
            key: input_date(p.date_of_birth)
            if key == "date_of_birth"
            else str(getattr(p, key) or "")
            for key, _ in TEXT_FIELDS
        }
        saved["locality"] = p.locality
        # A locality the catalogue no longer lists is offered as it is held, so saving another
        # detail never moves the parent to the first locality listed.
        places = self.caseload.catalogue.choices("localities", [p.locality])
        if places != combo_items(self.locality):
            fill_combo(self.locality, places, combo_key(self.locality))
        saved["destination"] = str(p.destination)
        saved["language"] = p.language or "en"
        self.show_saved(saved)
        # The stage by today: a move dated after it (a laptop's clock ahead) has not happened
        # yet, so it is named after, with its day marked to be checked.
        today = self.caseload.today()
        now = self.journey.stage_by(today)
        catalogue = self.caseload.catalogue
        stage = catalogue.shown("stages", now) if now else "none yet"
        moves = self.journey.stages
        since = max((s.on for s in moves if s.stage == now and s.on <= today), default=None)
        ahead = sorted((s for s in moves if s.on > today), key=lambda s: (s.on, s.created_at))
        self.stage_label.setText(
            f"Now: {stage}"
            + (f", since {happened_date(since, today)}" if since else "")
            + "".join(
                f" · a move to {catalogue.shown('stages', s.stage)} dated "
                f"{happened_date(s.on, today)}"
                for s in ahead
            )
        )
        self.stage.show_saved({"stage": now, "stage_note": ""})

        lines = []
        for kid in self.journey.children:
            line = child_line(kid, self.caseload.today().year)
            self.record_actions.hook_item(line, kid)
            lines.append(line)
        show_items(self.children_box, lines, "No children noted yet.")

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
            if consent is not None and state.property(RECORD_PROPERTY) != consent.id:
                self.record_actions.hook_item(state, consent)

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
            if combo_key(self.language) != (p.language or "en"):
                changes["language"] = combo_key(self.language)
            if not changes:
                self.status_message.emit("Nothing to save: the details are as they were.")
                return
            self.caseload.update_participant(p.id, **changes)
        except JourneyError as exc:
            self.details.show_error(exc.message, getattr(exc, "field", None))
            self.not_saved("the saved details")
            return
        self.forget_draft()
        self.saved("details")

    def move_stage(self) -> None:
        """Move the parent to the chosen stage (forwards or back), with what changed."""
        if self.journey is None:
            return
        self.stage_error.hide()
        stage = combo_key(self.stage_combo)
        if stage == self.journey.stage_by(self.caseload.today()):
            self.stage.show_note(
                "They are already at that stage: choose the stage to move to"
                + (", or clear what changed." if self.stage_note.text().strip() else ".")
            )
            return
        note = self.stage_note.text().strip()
        pid = self.journey.participant.id
        if self.run(lambda: self.caseload.set_stage(pid, stage, note=note), "stage changed"):
            self.stage_note.clear()
            self.stage.forget_draft()

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
        dialog = ConsentDialog(
            self.caseload,
            self.journey.participant.id,
            purpose,
            current,
            self,
            consents=self.journey.consents,
        )
        if dialog.exec():
            self.saved("consent recorded")

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if self.journey is None:
            return None
        if isinstance(record, Child):
            return ChildDialog(self.caseload, self.journey.participant.id, self, existing=record)
        if isinstance(record, Consent):
            return ConsentDialog(
                self.caseload,
                self.journey.participant.id,
                record.purpose,
                record,
                self,
                consents=self.journey.consents,
                correcting=True,
            )
        return None


class StageNote(TypedOnTab):
    """The stage chosen beside "Move to this stage" and what changed, typed and not moved to
    yet: kept and asked about as the details are (one draft per parent); moving forgets it."""

    draft_form = "stage_note"
    typing_title = "What changed, beside Move to this stage (About tab)"
    choices_words = "Move to this stage keeps it."

    def __init__(self, about: AboutSection) -> None:
        self.about = about
        self.tab = about
        self.caseload = about.caseload
        self.typed_inputs = {"stage": about.stage_combo, "stage_note": about.stage_note}
        self.labels = {"stage": "stage", "stage_note": "note"}
        self.note_label = about.stage_error
        self.start_drafts(about)
        self.watch_typing()

    @override
    def save_typed(self) -> None:
        self.about.move_stage()
