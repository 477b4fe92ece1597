"""Goals: each goal as a quote in the parent's words, with its steps (ticked done in one click)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core import derived
from journeyapp.core.enums import GoalStatus, Voice, label
from journeyapp.core.errors import ValidationError
from journeyapp.core.records import Goal, Record, Step
from journeyapp.ui.formatting import fmt_date, happened_date, quote, voice_words
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FormDialog,
    TextBox,
    area_combo,
    combo_key,
    fill_combo,
    select_key,
    voice_combo,
)
from journeyapp.ui.widgets.layout import (
    SPACING,
    WrapLabel,
    clear_layout,
    is_removed,
    muted,
    show_items,
    wrapping_label,
)
from journeyapp.ui.widgets.wheel import ChoiceBox
from journeyapp.ui.workspace.section import Section


def who_words(who: str, name: str) -> str:
    """Who does a step, in words: the parent's name, "keyworker" or the named partner."""
    if who == "me":
        return name or "the parent"
    if who == "keyworker":
        return "keyworker"
    return who


class GoalDialog(FormDialog):
    """Add a goal: the parent's words, area, whose words, by when."""

    draft_form = "goal"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        name: str,
        parent: QWidget | None = None,
        *,
        existing: Goal | None = None,
    ) -> None:
        super().__init__(
            "Change a goal" if existing else "Add a goal",
            caseload,
            parent,
            save_text="Save changes" if existing else "Add goal",
            existing=existing,
        )
        self.participant_id = participant_id
        self.draft_context = {
            "participant_id": participant_id,
            "record_id": existing.id if existing else None,
        }
        self.words = TextBox(
            existing.words if existing else "",
            placeholder="What they want, as they said it",
            lines=2,
        )
        self.area = area_combo(caseload.catalogue, existing.area if existing else "")
        self.voice = voice_combo(name)
        self.by_when = QLineEdit(existing.by_when if existing else "")
        self.by_when.setPlaceholderText("In their terms, e.g. by the summer (optional)")
        if existing is not None:
            select_key(self.area, existing.area)
            select_key(self.voice, existing.voice.value)
        self.add_field("words", "Goal:", self.words)
        self.add_field("area", "Area:", self.area)
        self.add_field("voice", "Whose words:", self.voice)
        self.add_field("by_when", "By when:", self.by_when)

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        pid = str(context["participant_id"])
        name = caseload.participant(pid).preferred_name
        existing = None
        if context.get("record_id"):
            found = caseload.record("goals", str(context["record_id"]))
            assert isinstance(found, Goal)
            existing = found
        return cls(caseload, pid, name, parent, existing=existing)

    def save(self) -> Any:
        if self.existing is not None:
            return self.caseload.update_goal(
                self.existing.id,
                words=self.words.text().strip(),
                area=combo_key(self.area),
                voice=Voice(combo_key(self.voice)),
                by_when=self.by_when.text().strip(),
            )
        return self.caseload.add_goal(
            self.participant_id,
            self.words.text().strip(),
            area=combo_key(self.area),
            voice=Voice(combo_key(self.voice)),
            by_when=self.by_when.text().strip(),
        )


class StepDialog(FormDialog):
    """Add a step to a goal: what, who (me, keyworker or a named partner), by when."""

    draft_form = "step"

    def __init__(
        self,
        caseload: Caseload,
        goal: Goal,
        name: str,
        parent: QWidget | None = None,
        *,
        existing: Step | None = None,
    ) -> None:
        super().__init__(
            "Change a step" if existing else "Add a step",
            caseload,
            parent,
            save_text="Save changes" if existing else "Add step",
            existing=existing,
        )
        self.goal = goal
        self.draft_context = {
            "participant_id": goal.participant_id,
            "goal_id": goal.id,
            "record_id": existing.id if existing else None,
        }
        self.goal_label = muted(wrapping_label(f"Towards {quote(goal.words)}"))
        self.form.addRow(self.goal_label)
        self.what = TextBox(
            existing.what if existing else "", placeholder="e.g. Phone the college", lines=2
        )
        self.who = ChoiceBox()
        self.who.setEditable(True)
        fill_combo(
            self.who,
            [
                ("me", f"{name} (me)" if name else "Me"),
                ("keyworker", "Keyworker"),
                *((e.label, e.label) for e in caseload.catalogue.partners),
            ],
        )
        if existing is not None:
            index = self.who.findData(existing.who)
            if index >= 0:
                self.who.setCurrentIndex(index)
            else:
                self.who.setCurrentText(existing.who)
        self.add_field("what", "What:", self.what)
        self.add_field("who", "Who:", self.who, "Me, keyworker, or type the name of a partner")
        self.due = self.add_date_field(
            "due", "By when:", existing.due if existing else None, optional=True
        )
        if existing is not None and existing.done_on is not None:
            self.done_on = self.add_date_field(
                "done_on", "Done on:", existing.done_on, optional=True
            )

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        goal = caseload.record("goals", str(context["goal_id"]))
        assert isinstance(goal, Goal)
        name = caseload.participant(goal.participant_id).preferred_name
        existing = None
        if context.get("record_id"):
            found = caseload.record("steps", str(context["record_id"]))
            assert isinstance(found, Step)
            existing = found
        return cls(caseload, goal, name, parent, existing=existing)

    def save(self) -> Any:
        text = self.who.currentText().strip()
        index = self.who.findText(text)
        # A listed choice stores its key ("me", "keyworker"); anything typed is a partner's name.
        who = str(self.who.itemData(index)) if index >= 0 else text
        if not who:
            raise ValidationError("Say who does this step: me, keyworker, or a partner.", "who")
        due = self.optional_date_field("due", self.due.text(), "By when")
        if self.existing is not None:
            changes: dict[str, Any] = {"what": self.what.text().strip(), "who": who, "due": due}
            if "done_on" in self.fields:
                done = self.optional_date_field("done_on", self.done_on.text(), "Done on")
                self.not_future("done_on", done, Step)
                changes["done_on"] = done
            return self.caseload.update_step(self.existing.id, **changes)
        return self.caseload.add_step(self.goal.id, self.what.text().strip(), who=who, due=due)


class StepLabel(WrapLabel):
    """A step's words beside its check box; clicking the words ticks the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setBuddy(box)

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class GoalCard(QFrame):
    """One goal: the quote, whose words, area, status, and its steps with done boxes."""

    def __init__(self, section: GoalsSection, goal: Goal, steps: tuple[Step, ...]) -> None:
        super().__init__()
        self.goal = goal
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Goal: {goal.words}")
        catalogue = section.caseload.catalogue
        name = section.name()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING // 2)
        words = wrapping_label(quote(goal.words))
        font = words.font()
        font.setItalic(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        words.setFont(font)
        words.setAccessibleName(f"Goal in words: {goal.words}")
        layout.addWidget(words)
        self.words_label = words
        meta = [voice_words(goal.voice, name)]
        if goal.area:
            meta.append(catalogue.shown("outcome_areas", goal.area))
        if goal.by_when:
            meta.append(f"by when: {goal.by_when}")
        meta_label = muted(wrapping_label("  ·  ".join(meta)))
        layout.addWidget(meta_label)
        self.meta_label = meta_label

        status_row = QHBoxLayout()
        status_caption = QLabel("Status:")
        self.status = ChoiceBox()
        fill_combo(self.status, [(s.value, label(s)) for s in GoalStatus], goal.status.value)
        self.status.setAccessibleName(f"Status of the goal {goal.words}")
        status_caption.setBuddy(self.status)
        self.status.activated.connect(
            lambda _i: section.set_status(goal, GoalStatus(combo_key(self.status)))
        )
        status_row.addWidget(status_caption)
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        layout.addLayout(status_row)

        if steps:
            layout.addWidget(QLabel("Steps:"))
        self.step_boxes: list[QCheckBox] = []
        self.step_labels: list[QLabel] = []
        for step in steps:
            parts = [step.what, who_words(step.who, name)]
            if step.due:
                parts.append(f"by {fmt_date(step.due)}")
            if step.done_on:
                # A day done after today (a laptop's clock ahead) is marked, to be put right.
                parts.append(f"done {happened_date(step.done_on, section.caseload.today())}")
            row = QHBoxLayout()
            row.setSpacing(SPACING // 2)
            box = QCheckBox()
            box.setChecked(step.done_on is not None)
            box.setAccessibleName(f"Step done: {step.what}")
            box.setAccessibleDescription(" — ".join(parts))
            box.toggled.connect(lambda checked, s=step: section.tick(s, checked))
            # The words sit in a wrapping label beside the box (a check box's own text does not
            # wrap, and long steps would run off a narrow window at 200%); a click on the
            # words ticks the box too.
            words = StepLabel(" — ".join(parts), box)
            # Enter or Delete on the step's box, or its menu, correct or remove the step
            # (a double-click on its words would tick it twice, so that is left to the menu).
            section.record_actions.hook_item(box, step, also=(words,))
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(words, 1)
            layout.addLayout(row)
            self.step_boxes.append(box)
            self.step_labels.append(words)
        if not steps:
            layout.addWidget(muted(wrapping_label("No steps yet.")))
        add_row = QHBoxLayout()
        self.add_step_button = QPushButton("Add a step…")
        self.add_step_button.setAccessibleName(f"Add a step to the goal {goal.words}")
        self.add_step_button.clicked.connect(lambda: section.add_step(goal))
        add_row.addWidget(self.add_step_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)
        section.record_actions.hook_item(self, goal, also=(self.words_label, self.meta_label))


class GoalsSection(Section):
    """What the parent wants, in their own words, and the steps towards it."""

    title = "Goals"
    editable = (Goal, Step)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        self.add_goal_button, self.cards = self.heading_and_list(
            "Goals", "Add a goal…", "Add a goal", self.add_goal
        )
        self.goal_cards: list[GoalCard] = []

    def refresh(self) -> None:
        clear_layout(self.cards)
        self.goal_cards = []
        if self.journey is None:
            return
        goals = derived.goals_in_order(self.journey.goals)
        self.goal_cards = [GoalCard(self, goal, self.journey.steps_for(goal.id)) for goal in goals]
        show_items(
            self.cards,
            self.goal_cards,
            "No goals yet. Add one in the parent's own words.",
            stretch=True,
        )

    def add_goal(self) -> None:
        """Open the add-a-goal dialog."""
        if self.pid is None:
            return
        dialog = GoalDialog(self.caseload, self.pid, self.name(), self)
        if dialog.exec():
            self.saved("goal added")
            # The new goal in sight with the keyboard on it (Tab goes on to its steps): it
            # was added below the goals on screen, often out of sight, so the words just
            # typed could not be seen.
            if isinstance(dialog.result_value, Goal):
                self.record_actions.show(dialog.result_value.id)

    def add_step(self, goal: Goal) -> None:
        """Open the add-a-step dialog for `goal`; afterwards the keyboard is back on that
        goal's "Add a step…" (the next step is one key away), not at the top of the tab."""
        dialog = StepDialog(self.caseload, goal, self.name(), self)
        if dialog.exec():
            self.saved("step added")
        QTimer.singleShot(0, lambda: self._focus_add_step(goal.id))

    def _focus_add_step(self, goal_id: str) -> None:
        for card in self.goal_cards:
            if card.goal.id == goal_id and not is_removed(card):
                card.add_step_button.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if self.pid is None:
            return None
        if isinstance(record, Goal):
            return GoalDialog(self.caseload, self.pid, self.name(), self, existing=record)
        if isinstance(record, Step):
            goal = self.caseload.record("goals", record.goal_id)
            assert isinstance(goal, Goal)
            return StepDialog(self.caseload, goal, self.name(), self, existing=record)
        return None

    def tick(self, step: Step, done: bool) -> None:
        """Tick a step done (today) or untick it."""
        if done:
            self.run(lambda: self.caseload.complete_step(step.id), "step done")
        else:
            self.run(lambda: self.caseload.reopen_step(step.id), "step not done yet")

    def set_status(self, goal: Goal, status: GoalStatus) -> None:
        """Change a goal's status."""
        if status != goal.status:
            self.run(lambda: self.caseload.set_goal_status(goal.id, status), "goal status")
