"""Referrals: to whom, for which service, why and when; the outcome can be changed in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ReferralOutcome, label
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Record, Referral
from journeyapp.ui.formatting import happened_date
from journeyapp.ui.widgets.forms import (
    FormDialog,
    ParentRecordDialog,
    TextBox,
    combo_key,
    fill_combo,
    select_key,
)
from journeyapp.ui.widgets.layout import SPACING, clear_layout, show_items, wrapping_label
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.section import Section


class ReferDialog(ParentRecordDialog):
    """Refer the parent to another service or organisation."""

    draft_form = "referral"
    draft_kind = "referrals"
    titles = ("Refer", "Change a referral")
    save_texts = ("Refer", "Save changes")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Referral | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        self.to = ChoiceBox()
        self.to.setEditable(True)
        self.to.addItems([e.label for e in caseload.catalogue.partners])
        self.to.setCurrentIndex(-1)
        editor = self.to.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("A partner, or type the organisation")
        self.service = ChoiceBox()
        # A referral being changed keeps its service, listed or not (retired since).
        fill_combo(
            self.service,
            [
                ("", "No particular service"),
                *caseload.catalogue.choices("services", [existing.service] if existing else []),
            ],
        )
        self.reason = TextBox(
            existing.reason if existing else "", placeholder="Why (optional)", lines=2
        )
        if existing is not None:
            self.to.setCurrentText(existing.to)
            select_key(self.service, existing.service)
        self.add_field("to", "To:", self.to)
        self.add_field("service", "Service:", self.service)
        self.add_field("reason", "Reason:", self.reason, TextBox.HINT)
        self.on = self.add_date_field("on", "On:", existing.on if existing else None)

    def save(self) -> Any:
        to = self.to.currentText().strip()
        if not to:
            raise ValidationError(
                "Say who the referral is to: pick a partner or type a name.", "to"
            )
        on = self.past_date("on", "Referral date", Referral)
        if self.existing is not None:
            return self.caseload.update_record(
                "referrals",
                self.existing.id,
                to=to,
                reason=self.reason.text().strip(),
                on=on,
                service=combo_key(self.service),
            )
        return self.caseload.refer(
            self.participant_id,
            to,
            reason=self.reason.text().strip(),
            on=on,
            service=combo_key(self.service),
        )


class ReferralRow(QFrame):
    """One referral, with its outcome in a drop-down that saves when changed."""

    def __init__(self, section: ReferralsSection, referral: Referral) -> None:
        super().__init__()
        self.referral = referral
        self.setFrameShape(QFrame.Shape.StyledPanel)
        catalogue = section.caseload.catalogue
        layout = QHBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING // 2, SPACING, SPACING // 2)
        layout.setSpacing(SPACING)
        words = [f"To {referral.to}"]
        if referral.service:
            words.append(catalogue.shown("services", referral.service))
        on = happened_date(referral.on, section.caseload.today())
        text = " — ".join(words) + f"\nOn {on}"
        if referral.reason:
            text += f"; {referral.reason}"
        self.text = wrapping_label(text)
        self.text.setAccessibleName(f"Referral to {referral.to}")
        layout.addWidget(self.text, 1)
        section.record_actions.hook_item(self, referral, also=(self.text,))
        caption = QLabel("Outcome:")
        self.outcome = ChoiceBox()
        fill_combo(
            self.outcome, [(o.value, label(o)) for o in ReferralOutcome], referral.outcome.value
        )
        self.outcome.setAccessibleName(f"Outcome of the referral to {referral.to}")
        caption.setBuddy(self.outcome)
        self.outcome.activated.connect(
            lambda _i: section.set_outcome(referral, ReferralOutcome(combo_key(self.outcome)))
        )
        layout.addWidget(caption)
        layout.addWidget(self.outcome)


class ReferralsSection(Section):
    """Every referral, most recent first."""

    title = "Referrals"
    editable = (Referral,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        self.refer_button, self.rows_layout = self.heading_and_list(
            "Referrals", "Refer…", "Refer to another service", self.refer, SPACING // 2
        )
        self.rows: list[ReferralRow] = []

    def refresh(self) -> None:
        clear_layout(self.rows_layout)
        self.rows = []
        if self.journey is None:
            return
        referrals = sorted(self.journey.referrals, key=lambda r: (r.on, r.created_at), reverse=True)
        self.rows = [ReferralRow(self, referral) for referral in referrals]
        show_items(self.rows_layout, self.rows, "No referrals yet.", stretch=True)

    def refer(self) -> None:
        """Open the refer dialog."""
        if self.pid is None:
            return
        if ReferDialog(self.caseload, self.pid, self).exec():
            self.saved("referral")

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if isinstance(record, Referral) and self.pid is not None:
            return ReferDialog(self.caseload, self.pid, self, existing=record)
        return None

    def set_outcome(self, referral: Referral, outcome: ReferralOutcome) -> None:
        """Record what came of a referral."""
        if outcome != referral.outcome:
            self.run(
                lambda: self.caseload.set_referral_outcome(referral.id, outcome), "referral outcome"
            )
