"""Contacts: every contact, most recent first, and the quick log-contact dialog (Ctrl+L)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.derived import latest_kind, latest_venue
from journeyapp.core.records import Contact, Record
from journeyapp.ui.formatting import fmt_date, happened_date
from journeyapp.ui.widgets.forms import FormDialog, TextBox, combo_key, fill_combo, heading_row
from journeyapp.ui.widgets.layout import SPACING, muted, wrapping_label
from journeyapp.ui.widgets.record_table import RECORD_ROLE, Column, RecordTableModel, record_table
from journeyapp.ui.widgets.wheel import ChoiceBox, NumberBox
from journeyapp.ui.workspace.section import Section


def last_venue(caseload: Caseload, participant_id: str) -> str:
    """The venue of the parent's most recent contact that had one ("" if none).

    This loads the whole journey: a caller that shows the journey already passes
    latest_venue(journey.contacts) to LogContactDialog instead.
    """
    return latest_venue(caseload.journey(participant_id).contacts)


class LogContactDialog(FormDialog):
    """One small dialog: today, the last kind and venue, 30 minutes; Enter saves. With
    `existing`, the same form corrects a contact already logged."""

    draft_form = "contact"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        venue: str | None = None,
        kind: str | None = None,
        existing: Contact | None = None,
    ) -> None:
        name = caseload.participant(participant_id).preferred_name
        if existing is not None:
            title, save_text = f"Change a contact with {name}", "Save changes"
        else:
            title, save_text = f"Log a contact with {name}", "Log contact"
        super().__init__(title, caseload, parent, save_text=save_text, existing=existing)
        self.participant_id = participant_id
        self.draft_context = {
            "participant_id": participant_id,
            "record_id": existing.id if existing else None,
        }
        if existing is None and (venue is None or kind is None):
            contacts = caseload.journey(participant_id).contacts
            venue = latest_venue(contacts) if venue is None else venue
            kind = latest_kind(contacts) if kind is None else kind
        self.kind = ChoiceBox()
        # A contact being changed keeps its kind, listed or not (retired since).
        kinds = caseload.catalogue.choices("contact_kinds", [existing.kind] if existing else [])
        known = dict(kinds)
        default_kind = "one_to_one" if "one_to_one" in known else kinds[0][0]
        if existing is not None:
            default_kind = existing.kind
        elif kind and kind in known:
            default_kind = kind
        fill_combo(self.kind, kinds, default_kind)
        self.venue = QLineEdit(existing.venue if existing else venue or "")
        self.minutes = NumberBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(existing.minutes if existing else 30)
        self.minutes.setSuffix(" minutes")
        self.note = TextBox(existing.note if existing else "", placeholder="What you talked about")
        self.next_step = TextBox(
            existing.next_step if existing else "", placeholder="What happens next", lines=2
        )
        self.childcare_needed = QCheckBox("Childcare needed")
        self.childcare_arranged = QCheckBox("Childcare arranged")
        if existing is not None:
            self.childcare_needed.setChecked(existing.childcare_needed)
            self.childcare_arranged.setChecked(existing.childcare_arranged)
        childcare = QWidget()
        row = QHBoxLayout(childcare)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.childcare_needed)
        row.addWidget(self.childcare_arranged)
        row.addStretch(1)
        self.on = self.add_date_field("on", "On:", existing.on if existing else None)
        self.add_field("kind", "Kind:", self.kind)
        self.add_field("venue", "Venue:", self.venue)
        self.add_field("minutes", "How long:", self.minutes)
        self.add_field("note", "Note:", self.note, TextBox.HINT)
        self.add_field("next_step", "Next step:", self.next_step)
        self.add_field("childcare", "Childcare:", childcare)
        self.inputs["childcare_needed"] = self.childcare_needed
        self.inputs["childcare_arranged"] = self.childcare_arranged
        self.childcare_needed.setAccessibleName("Childcare needed")
        self.childcare_arranged.setAccessibleName("Childcare arranged")
        self.note.setFocus()

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        existing = None
        if context.get("record_id"):
            found = caseload.record("contacts", str(context["record_id"]))
            assert isinstance(found, Contact)
            existing = found
        return cls(caseload, str(context["participant_id"]), parent, existing=existing)

    def save(self) -> Any:
        on = self.past_date("on", "Contact date", Contact)
        values: dict[str, Any] = {
            "kind": combo_key(self.kind),
            "venue": self.venue.text().strip(),
            "minutes": self.minutes.value(),
            "note": self.note.text().strip(),
            "next_step": self.next_step.text().strip(),
            "childcare_needed": self.childcare_needed.isChecked(),
            "childcare_arranged": self.childcare_arranged.isChecked(),
        }
        if self.existing is not None:
            return self.caseload.update_record("contacts", self.existing.id, on=on, **values)
        return self.caseload.log_contact(self.participant_id, on=on, **values)


class ContactsSection(Section):
    """Every contact, most recent first, with a button for the quick dialog."""

    title = "Contacts"
    editable = (Contact,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)

        def childcare(c: Contact) -> str:
            if c.childcare_arranged:
                return "arranged"
            return "needed" if c.childcare_needed else ""

        self.model = RecordTableModel(
            [
                Column("On", lambda c: happened_date(c.on, self.caseload.today())),
                Column("How", lambda c: self._how(c)),
                Column("Note and next step", self._note),
                Column("Childcare", childcare),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        self.log_button = heading_row(
            layout, "Contacts", "Log a contact… (Ctrl+L)", "Log a contact", self.log_contact
        )
        self.summary = muted(wrapping_label())
        self.summary.setAccessibleName("Contacts summary")
        layout.addWidget(self.summary)
        self.view = record_table(self.model, "Contacts, most recent first", 2)
        # One line per contact keeps hundreds of contacts quick to show; the one selected is
        # shown in full beneath the list.
        self.view.setWordWrap(False)
        self.view.selectionModel().currentRowChanged.connect(self._show_selected)
        layout.addWidget(self.view, 1)
        self.record_actions.hook_table(self.view)
        row, self.change_button, self.remove_button, self.history_button = (
            self.record_actions.table_buttons(self.view, "contact")
        )
        layout.addLayout(row)
        self.detail = wrapping_label()
        self.detail.setAccessibleName("The selected contact in full")
        layout.addWidget(self.detail)

    def _how(self, c: Contact) -> str:
        words = self.caseload.catalogue.shown("contact_kinds", c.kind)
        if c.venue:
            words += f" at {c.venue}"
        return f"{words}, {c.minutes} min"

    def _show_selected(self) -> None:
        index = self.view.currentIndex()
        contact = index.siblingAtColumn(0).data(RECORD_ROLE) if index.isValid() else None
        if not isinstance(contact, Contact):
            self.detail.setText("")
            return
        lines = [f"{happened_date(contact.on, self.caseload.today())}: {self._how(contact)}."]
        if contact.note:
            lines.append(f"Note: {contact.note}")
        if contact.next_step:
            lines.append(f"Next step: {contact.next_step}")
        if contact.childcare_needed or contact.childcare_arranged:
            arranged = "arranged" if contact.childcare_arranged else "not arranged yet"
            lines.append(f"Childcare needed: {arranged}.")
        self.detail.setText("\n".join(lines))

    @staticmethod
    def _note(c: Contact) -> str:
        parts = [c.note] if c.note else []
        if c.next_step:
            parts.append(f"Next: {c.next_step}")
        return " — ".join(parts)

    def refresh(self) -> None:
        if self.journey is None:
            self.model.set_records([])
            return
        contacts = sorted(self.journey.contacts, key=lambda c: (c.on, c.created_at), reverse=True)
        self.model.set_records(contacts)
        if contacts:
            total = sum(c.minutes for c in contacts)
            hours = f"{total // 60} h {total % 60} min" if total >= 60 else f"{total} min"
            # The last contact is the last by today: one dated after it (a laptop's clock was
            # ahead) has not happened yet, and is marked in the list to be put right.
            today = self.caseload.today()
            last = next((c.on for c in contacts if c.on <= today), None)
            ahead = sum(1 for c in contacts if c.on > today)
            count = len(contacts)
            text = f"{count} contact{'' if count == 1 else 's'}, {hours} in all"
            text += f"; the last on {fmt_date(last)}." if last else "."
            if ahead:
                text += (
                    f" {ahead} {'is' if ahead == 1 else 'are'} dated after today: "
                    "check the date (marked ⚠ below)."
                )
            self.summary.setText(text)
        else:
            self.summary.setText("No contacts logged yet.")
        if contacts:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._show_selected()

    def log_contact(self) -> None:
        """Open the quick dialog for the parent shown."""
        if self.pid is None:
            return
        contacts = self.journey.contacts if self.journey else ()
        dialog = LogContactDialog(
            self.caseload,
            self.pid,
            self,
            venue=latest_venue(contacts),
            kind=latest_kind(contacts),
        )
        if dialog.exec():
            self.saved("contact logged")

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if isinstance(record, Contact) and self.pid is not None:
            return LogContactDialog(self.caseload, self.pid, self, existing=record)
        return None
