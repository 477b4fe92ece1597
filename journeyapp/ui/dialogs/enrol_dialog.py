"""EnrolDialog: enrol a new parent in a few fields; problems are explained beside the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.documents.wording import PRINT_LANGUAGES
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Participant
from journeyapp.core.validation import parse_date
from journeyapp.ui.widgets.buttons import ok_cancel
from journeyapp.ui.widgets.date_edit import DateEdit
from journeyapp.ui.widgets.forms import AsksBeforeLeaving, ProblemsSaid
from journeyapp.ui.widgets.screen import fit_to_contents, scroll_body
from journeyapp.ui.widgets.wheel import ChoiceBox


def name_combo(combo: QComboBox, name: str) -> None:
    """Give a combo box, and the text field inside an editable one, an accessible name."""
    combo.setAccessibleName(name)
    edit = combo.lineEdit()
    if edit is not None:
        edit.setAccessibleName(name)


class FieldError(QLabel):
    """The words beside a field that say what is wrong and how to fix it (hidden when all is well)."""

    def __init__(self, field_name: str, field: QWidget | None = None) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAccessibleName(f"Problem with {field_name}")
        self.field = field
        self.said = ProblemsSaid()
        self.hide()

    def show_message(self, text: str) -> None:
        """Show `text` (with a warning sign, so meaning is not carried by colour); a screen
        reader says it with the field's name."""
        self.setText(f"⚠ {text}")
        self.show()
        self.said.forget()
        if self.field is not None:
            self.said.tell(self.field, text)

    def clear_message(self) -> None:
        """Hide the message."""
        self.clear()
        self.hide()
        self.said.forget()


def field_row(form: QFormLayout, text: str, widget: QWidget) -> FieldError:
    """Add `widget` to `form` with its FieldError under it; returns the FieldError.

    `text` is the row's label with an & before the letter that, with Alt, jumps to the field.
    """
    error = FieldError(text.replace("&", ""), widget)
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    row_label = QLabel(text)
    row_label.setBuddy(widget)
    form.addRow(row_label, column)
    return error


class EnrolDialog(AsksBeforeLeaving):
    """Preferred name, full name, locality, joined on, keyworker and referral source.

    Nothing is saved until Enrol is pressed; if something needs correcting the dialog stays
    open with every word typed so far, and the message sits beside the field concerned. What
    is typed is kept as a draft (a new parent's name is words too), offered back after a crash.
    """

    draft_form = "enrol"

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.participant: Participant | None = None
        self.setWindowTitle("Enrol a new parent")
        self.setAccessibleName("Enrol a new parent")
        catalogue = caseload.catalogue

        self.preferred_name = QLineEdit()
        self.preferred_name.setAccessibleName("Preferred name: what they like to be called")
        self.full_name = QLineEdit()
        self.full_name.setAccessibleName("Full name")
        self.locality = ChoiceBox()
        self.locality.setAccessibleName("Locality")
        self.locality.addItem("Choose a locality…", "")
        for entry in catalogue.localities:
            self.locality.addItem(entry.label, entry.key)
        # The one date field of the window: dd/mm/yyyy shown, ISO accepted, a calendar.
        self.joined_on = DateEdit(caseload.today())
        self.joined_on.setAccessibleName("Joined on (date)")
        self.joined_on.edit.setAccessibleName("Joined on (date)")
        self.keyworker = ChoiceBox()
        self.keyworker.setEditable(True)
        name_combo(self.keyworker, "Keyworker")
        self.keyworker.addItems(caseload.keyworkers())
        self.keyworker.setCurrentText(caseload.actor if caseload.actor != "keyworker" else "")
        self.referral_source = ChoiceBox()
        self.referral_source.setEditable(True)
        name_combo(self.referral_source, "Referral source: who suggested the programme")
        self.referral_source.addItems(
            ["", "Self-referral", "Jobcentre", "Health visitor", "School", "Friend or family"]
            + [p.label for p in catalogue.partners]
        )
        self.language = ChoiceBox()
        self.language.setAccessibleName("Language for their printed plan")
        for code, name in PRINT_LANGUAGES.items():
            self.language.addItem(name, code)

        self.errors: dict[str, FieldError] = {}
        # The inputs by field (what a draft keeps and where a problem is shown).
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(12)
        for field, text, widget in (
            ("preferred_name", "&Preferred name", self.preferred_name),
            ("full_name", "F&ull name", self.full_name),
            ("locality", "&Locality", self.locality),
            ("joined_on", "&Joined on", self.joined_on),
            ("keyworker", "&Keyworker", self.keyworker),
            ("referral_source", "&Referral source", self.referral_source),
            ("language", "Printed plan &in", self.language),
        ):
            self.errors[field] = field_row(form, text, widget)
            self.fields[field] = widget
        self.general_error = FieldError("enrolling")

        hint = QLabel("Only the preferred name and locality are needed; the rest can wait.")
        hint.setWordWrap(True)
        buttons, self.enrol_button = ok_cancel(
            self,
            "&Enrol",
            self.submit,
            ok_name="Enrol this parent",
            cancel_name="Cancel enrolling",
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 18)
        layout.setSpacing(12)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        scroll_body(self)
        self.preferred_name.setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 60)
        self.keep_drafts(None)  # about no parent yet
        self._watch()

    def draft_inputs(self) -> dict[str, QWidget]:
        """Every field of the form."""
        return self.fields

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> EnrolDialog:
        """The same form again (a draft needs nothing but its words)."""
        return cls(caseload, parent)

    def show_error(self, field: str | None, message: str) -> None:
        """Show `message` beside `field` (or under the form) and put the cursor there."""
        for error in self.errors.values():
            error.clear_message()
        self.general_error.clear_message()
        target = self.errors.get(field or "")
        if target is None:
            self.general_error.show_message(message)
            fit_to_contents(self)
            return
        target.show_message(message)
        fit_to_contents(self)
        widget = self.fields[field or ""]
        widget.setFocus()  # a screen reader says the problem with its name (FieldError)

    def submit(self) -> None:
        """Try to enrol; on a problem keep everything typed and say what to change."""
        try:
            if not self.preferred_name.text().strip():
                raise ValidationError(
                    "Write the name the parent likes to be called; it cannot be left empty.",
                    field="preferred_name",
                )
            joined = self._joined_on()
            locality = str(self.locality.currentData() or "")
            if not locality:
                raise ValidationError(
                    "Choose the locality the parent lives in (from the list).", field="locality"
                )
            self.participant = self.caseload.enrol_participant(
                self.preferred_name.text(),
                locality,
                joined,
                full_name=self.full_name.text().strip(),
                keyworker=self.keyworker.currentText().strip(),
                referral_source=self.referral_source.currentText().strip(),
                language=str(self.language.currentData() or ""),
            )
        except ValidationError as exc:
            self.show_error(exc.field, exc.message)
            return
        except JourneyError as exc:
            self.show_error(None, exc.message)
            return
        self.accept()

    def _joined_on(self) -> date:
        try:
            return parse_date(self.joined_on.text(), "Joined on")
        except ValidationError as exc:
            raise ValidationError(exc.message, field="joined_on") from None
