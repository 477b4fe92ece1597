"""Strengths and things in the way: strengths listed first, everything in the parent's words."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.enums import (
    STRENGTHS_AND_THINGS_IN_THE_WAY,
    THINGS_IN_THE_WAY,
    StrengthOrBarrier,
    Voice,
)
from journeyapp.core.records import Record, StrengthBarrier
from journeyapp.ui.formatting import quote, voice_words
from journeyapp.ui.widgets.forms import (
    FormDialog,
    TextBox,
    area_combo,
    combo_key,
    heading_row,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import (
    SPACING,
    clear_layout,
    layout_widgets,
    show_items,
    wrapping_label,
)
from journeyapp.ui.workspace.section import Section


class StrengthDialog(FormDialog):
    """Note a strength, or something in the way, in the parent's words."""

    draft_form = "strength"
    draft_kind = "strengths"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        kind: StrengthOrBarrier,
        name: str,
        parent: QWidget | None = None,
        *,
        existing: StrengthBarrier | None = None,
    ) -> None:
        strength = kind is StrengthOrBarrier.STRENGTH
        if existing is not None:
            title = "Change a strength" if strength else "Change something in the way"
        else:
            title = "Add a strength" if strength else "Add something in the way"
        super().__init__(
            title,
            caseload,
            parent,
            save_text="Save changes" if existing else "Add",
            existing=existing,
        )
        self.participant_id = participant_id
        self.kind = kind
        self.keep_drafts(participant_id, kind=kind.value)
        self.words = TextBox(
            existing.words if existing else "",
            placeholder="e.g. I'm good with people"
            if strength
            else "e.g. buses are hard with the pram",
            lines=2,
        )
        self.area = area_combo(caseload.catalogue, existing.area if existing else "")
        self.voice = voice_combo(name)
        if existing is not None:
            select_key(self.area, existing.area)
            select_key(self.voice, existing.voice.value)
        self.add_field("words", "In their words:", self.words)
        self.add_field("area", "Area:", self.area)
        self.add_field("voice", "Whose words:", self.voice)

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        pid = str(context["participant_id"])
        name = caseload.participant(pid).preferred_name
        kind = StrengthOrBarrier(str(context["kind"]))
        existing = cls.draft_record(caseload, context)
        return cls(caseload, pid, kind, name, parent, existing=existing)

    def save(self) -> Any:
        if self.existing is not None:
            return self.caseload.update_record(
                "strengths",
                self.existing.id,
                words=self.words.text().strip(),
                area=combo_key(self.area),
                voice=Voice(combo_key(self.voice)),
            )
        return self.caseload.add_strength(
            self.participant_id,
            self.words.text().strip(),
            kind=self.kind,
            area=combo_key(self.area),
            voice=Voice(combo_key(self.voice)),
        )


class StrengthsSection(Section):
    """What the parent is good at comes first; then what is in the way."""

    title = STRENGTHS_AND_THINGS_IN_THE_WAY
    editable = (StrengthBarrier,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        layout = self.scrolling_page()
        self.add_strength_button = heading_row(
            layout,
            "Strengths",
            "Add a strength…",
            "Add a strength",
            lambda: self.add(StrengthOrBarrier.STRENGTH),
        )
        self.strengths_box = QVBoxLayout()
        self.strengths_box.setSpacing(SPACING // 2)
        layout.addLayout(self.strengths_box)
        layout.addSpacing(SPACING)
        self.add_barrier_button = heading_row(
            layout,
            THINGS_IN_THE_WAY,
            "Add something in the way…",
            "Add something in the way",
            lambda: self.add(StrengthOrBarrier.BARRIER),
        )
        self.barriers_box = QVBoxLayout()
        self.barriers_box.setSpacing(SPACING // 2)
        layout.addLayout(self.barriers_box)
        layout.addStretch(1)

    def _line(self, item: StrengthBarrier) -> QWidget:
        meta = [voice_words(item.voice, self.name())]
        if item.area:
            meta.append(self.caseload.catalogue.shown("outcome_areas", item.area))
        label = wrapping_label(f"{quote(item.words)} — {', '.join(meta)}")
        label.setAccessibleName(item.words)
        self.record_actions.hook_item(label, item)
        return label

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if isinstance(record, StrengthBarrier) and self.pid is not None:
            return StrengthDialog(
                self.caseload, self.pid, record.kind, self.name(), self, existing=record
            )
        return None

    def refresh(self) -> None:
        if self.journey is None:
            clear_layout(self.strengths_box)
            clear_layout(self.barriers_box)
            return
        strengths = [s for s in self.journey.strengths if s.kind is StrengthOrBarrier.STRENGTH]
        barriers = [s for s in self.journey.strengths if s.kind is not StrengthOrBarrier.STRENGTH]
        for box, items, empty in (
            (self.strengths_box, strengths, "No strengths noted yet. What are they good at?"),
            (self.barriers_box, barriers, "Nothing noted."),
        ):
            show_items(box, [self._line(item) for item in items], empty)

    def texts(self) -> list[str]:
        """The words shown, top to bottom (strengths first)."""
        result = []
        for box in (self.strengths_box, self.barriers_box):
            result += [widget.accessibleName() for widget in layout_widgets(box)]
        return result

    def add(self, kind: StrengthOrBarrier) -> None:
        """Open the dialog for a strength or something in the way."""
        if self.pid is None:
            return
        if StrengthDialog(self.caseload, self.pid, kind, self.name(), self).exec():
            self.saved("strength added" if kind is StrengthOrBarrier.STRENGTH else "noted")
