"""Feedback: "you said, we did" for this parent; add what was said and what changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.enums import FeedbackSource, label
from journeyapp.core.records import Feedback, Record
from journeyapp.ui.formatting import happened_date, quote
from journeyapp.ui.widgets.forms import (
    FormDialog,
    ParentRecordDialog,
    TextBox,
    combo_key,
    fill_combo,
)
from journeyapp.ui.widgets.layout import (
    SPACING,
    clear_layout,
    layout_widgets,
    muted,
    show_items,
    wrapping_label,
)
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.section import Section


class FeedbackDialog(ParentRecordDialog):
    """Add feedback ("you said") and, if known, what changed ("we did")."""

    draft_form = "feedback"
    draft_kind = "feedback"
    titles = ("Add feedback", "What changed")
    save_texts = ("Save", "Save")

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Feedback | None = None,
    ) -> None:
        super().__init__(caseload, participant_id, parent, existing=existing)
        self.existing: Feedback | None = existing
        self.said = TextBox(existing.said if existing else "", placeholder="What was said", lines=2)
        self.we_did = TextBox(
            existing.we_did if existing else "",
            placeholder="What changed as a result (can be added later)",
            lines=2,
        )
        self.source = ChoiceBox()
        fill_combo(
            self.source,
            [(s.value, label(s)) for s in FeedbackSource],
            existing.source.value if existing else FeedbackSource.PARENT.value,
        )
        self.add_field("said", "You said:", self.said)
        self.add_field("we_did", "We did:", self.we_did)
        self.add_field("source", "From:", self.source)
        self.on = self.add_date_field("on", "On:", existing.on if existing else None)
        if existing:
            self.we_did.setFocus()

    def save(self) -> Any:
        on = self.past_date("on", "Feedback date", Feedback)
        if self.existing is not None:
            return self.caseload.update_record(
                "feedback",
                self.existing.id,
                said=self.said.text().strip(),
                we_did=self.we_did.text().strip(),
                source=FeedbackSource(combo_key(self.source)),
                on=on,
            )
        return self.caseload.add_feedback(
            self.said.text().strip(),
            source=FeedbackSource(combo_key(self.source)),
            we_did=self.we_did.text().strip(),
            on=on,
            participant_id=self.participant_id,
        )


class FeedbackSection(Section):
    """You said, we did."""

    title = "Feedback"
    editable = (Feedback,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        self.add_button, self.items = self.heading_and_list(
            "You said, we did", "Add feedback…", "Add feedback", self.add, SPACING // 2
        )

    def refresh(self) -> None:
        clear_layout(self.items)
        if self.journey is None:
            return
        feedback = sorted(self.journey.feedback, key=lambda f: (f.on, f.created_at), reverse=True)
        show_items(
            self.items,
            [self._card(item) for item in feedback],
            "No feedback from or about this parent yet.",
            stretch=True,
        )

    def _card(self, item: Feedback) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(SPACING, SPACING // 2, SPACING, SPACING // 2)
        who = label(item.source)
        said = wrapping_label(f"You said: {quote(item.said)}")
        said.setAccessibleName(f"You said: {item.said}")
        layout.addWidget(said)
        if item.we_did:
            did = wrapping_label(f"We did: {item.we_did}")
            did.setAccessibleName(f"We did: {item.we_did}")
            layout.addWidget(did)
        row = QHBoxLayout()
        on = happened_date(item.on, self.caseload.today())
        row.addWidget(muted(wrapping_label(f"{who}, {on}")), 1)
        button = QPushButton("Add what changed…" if not item.we_did else "Edit…")
        button.setAccessibleName(f"What changed after: {item.said}")
        button.clicked.connect(lambda: self.edit(item))
        row.addWidget(button)
        layout.addLayout(row)
        self.record_actions.hook_item(card, item, also=tuple(card.findChildren(QLabel)))
        return card

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if isinstance(record, Feedback) and self.pid is not None:
            return FeedbackDialog(self.caseload, self.pid, self, existing=record)
        return None

    def texts(self) -> list[str]:
        """What each card says, top to bottom ("You said: …", "We did: …")."""
        result = []
        for card in layout_widgets(self.items):
            for text in card.findChildren(QLabel):
                if text.accessibleName().startswith(("You said", "We did")):
                    result.append(text.accessibleName())
        return result

    def add(self) -> None:
        """Open the add-feedback dialog."""
        if self.pid is None:
            return
        if FeedbackDialog(self.caseload, self.pid, self).exec():
            self.saved("feedback")

    def edit(self, item: Feedback) -> None:
        """Add or change what changed as a result."""
        if self.pid is None:
            return
        if FeedbackDialog(self.caseload, self.pid, self, existing=item).exec():
            self.saved("feedback")
