"""Background: the questions behind the funder's return in one calm form (circumstances at the
start and, only with that consent, equalities monitoring), and the jobs the parent started."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
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
from journeyapp.core.codes import CIRCUMSTANCES_LISTS, EQUALITIES_LISTS, Codes
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.records import Job, Journey, Milestone, Record
from journeyapp.ui.formatting import fmt_date, happened_date
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.forms import (
    FieldForm,
    FormDialog,
    TextBox,
    combo_key,
    fill_combo,
    heading_row,
)
from journeyapp.ui.widgets.layout import SPACING, heading, muted, wrapping_label
from journeyapp.ui.widgets.record_table import Column, RecordTableModel, fit_rows, record_table
from journeyapp.ui.widgets.wheel import ChoiceBox, NumberBox
from journeyapp.ui.workspace.section import Section, TypedOnTab

NOT_ANSWERED = "Not answered"

INTRO = (
    "These questions help the partnership tell its funder who the programme reaches and what "
    "changes for families. Every answer is optional: leaving one out, or “Prefer not to say”, "
    "is always fine. Nothing here goes on the printed plan; it is listed in “What we hold "
    "about you”, and the return carries only coded answers, never a name."
)
NO_CONSENT = (
    "Equalities questions are asked only if {name} agrees to equalities monitoring. There is "
    "no such agreement at the moment, so these questions are left out and no answers are kept. "
    "If {name} would like to answer them, record that consent on the About tab first."
)
WITHDRAW_NOTE = (
    "{name} agreed to equalities monitoring. If they take that back, their answers are deleted."
)


def answer_combo(
    codes: Codes, list_name: str, current: str = "", blank: str = NOT_ANSWERED
) -> QComboBox:
    """The answers of one question from the registry, after "Not answered" (stored as "")."""
    combo = ChoiceBox()
    fill_combo(combo, [("", blank), *((e.key, e.label) for e in codes.entries(list_name))], current)
    return combo


def beneath(widget: QWidget, note: QLabel) -> None:
    """Put `note` right under a form field (above the field's problem message)."""
    box = widget.parentWidget()
    layout = box.layout() if box is not None else None
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(1, note)


def add_question(form: FieldForm, codes: Codes, key: str, widget: QWidget) -> QLabel:
    """Add one question with why it is asked beneath its answer; returns the why label."""
    form.add_field(key, codes.question(key), widget, codes.why(key))
    why = muted(wrapping_label(codes.why(key), selectable=False))
    why.setAccessibleName(f"Why we ask: {codes.question(key)}")
    beneath(widget, why)
    box = widget.parentWidget()
    label = form.labelForField(box) if box is not None else None
    if isinstance(label, QLabel):
        label.setWordWrap(True)
    return why


class BenefitBoxes(QWidget):
    """A tick box per kind of benefit (no amounts), one under another (fits a narrow pane)."""

    def __init__(self, codes: Codes) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        self.boxes: dict[str, QCheckBox] = {}
        for n, entry in enumerate(codes.entries("benefits")):
            box = QCheckBox(entry.label)
            box.setAccessibleName(f"Benefit: {entry.label}")
            grid.addWidget(box, n, 0)
            self.boxes[entry.key] = box

    def chosen(self) -> list[str]:
        """The ticked kinds, in the registry's order."""
        return [k for k, b in self.boxes.items() if b.isChecked()]


class BackgroundSection(TypedOnTab, Section):
    """The return's questions (one form, Save once) and the jobs the parent started.

    Answers chosen and not saved are kept as a draft (TypedOnTab), the equalities answers only
    while the parent agrees to equalities monitoring; leaving the parent asks first.
    """

    title = "Background"
    draft_form = "background"
    typing_title = "Answers on the Background tab"
    choices_words = "Save answers keeps it."
    editable = (Job,)

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(caseload, parent)
        codes = caseload.codes
        layout = self.scrolling_page()
        layout.addWidget(heading("Background for the funder's return"))
        self.intro = wrapping_label(INTRO, selectable=False)
        self.intro.setAccessibleName("Why these questions are asked")
        layout.addWidget(self.intro)

        self.error = wrapping_label(selectable=False)
        self.error.setAccessibleName("Problem")
        self.error.hide()

        layout.addWidget(heading("When they started"))
        self.start_form = FieldForm(self.error)
        self.postcode = QLineEdit()
        self.postcode.setPlaceholderText("e.g. EH1 1AA (optional)")
        self.postcode.setMaxLength(10)
        self.start_form.add_field(
            "postcode",
            "Postcode:",
            self.postcode,
            "Only to look up how deprived the area is (the partnership's own file); never sent.",
        )
        postcode_why = muted(
            wrapping_label(
                "Only used to look up the area's deprivation level (SIMD); the postcode itself "
                "is never sent.",
                selectable=False,
            )
        )
        beneath(self.postcode, postcode_why)
        self.answers: dict[str, QComboBox] = {}
        for key in CIRCUMSTANCES_LISTS:
            if key == "benefits":
                continue
            self.answers[key] = answer_combo(codes, key)
            add_question(self.start_form, codes, key, self.answers[key])
        self.benefits = BenefitBoxes(codes)
        add_question(self.start_form, codes, "benefits", self.benefits)
        layout.addLayout(self.start_form)

        layout.addWidget(heading("Equalities monitoring"))
        self.no_consent = wrapping_label(selectable=False)
        self.no_consent.setAccessibleName("Equalities questions not asked")
        layout.addWidget(self.no_consent)
        self.consent_note = muted(wrapping_label(selectable=False))
        layout.addWidget(self.consent_note)
        self.equalities_box = QWidget()
        self.equalities_form = FieldForm(self.error)
        self.equalities_form.setContentsMargins(0, 0, 0, 0)
        self.equalities_box.setLayout(self.equalities_form)
        self.equalities: dict[str, QComboBox] = {}
        for key in EQUALITIES_LISTS:
            self.equalities[key] = answer_combo(codes, key)
            add_question(self.equalities_form, codes, key, self.equalities[key])
        layout.addWidget(self.equalities_box)

        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.save_button = QPushButton("Save answers")
        self.save_button.setAccessibleName("Save the background answers")
        self.save_button.clicked.connect(self.save_answers)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addSpacing(SPACING)
        self.job_button = heading_row(
            layout, "Jobs", "Record a job…", "Record a job", self.record_job
        )
        self.jobs_hint = muted(
            wrapping_label(
                "A job grows from the “started work” milestone: recording one here records "
                "that milestone too. Double-click a job to add hours, how it got better or "
                "when it ended.",
                selectable=False,
            )
        )
        layout.addWidget(self.jobs_hint)
        self.jobs_model = RecordTableModel(
            [
                Column("Started", lambda j: happened_date(j.started_on, self.caseload.today())),
                Column("Job", lambda j: j.job_title or "A job"),
                Column("Hours", lambda j: str(j.hours_per_week) if j.hours_per_week else ""),
                Column("Contract", lambda j: codes.label("contract_type", j.contract_type)),
                Column("Ended", lambda j: fmt_date(j.left_on) if j.left_on else "Still in work"),
            ],
            self,
        )
        self.jobs_view = record_table(self.jobs_model, "Jobs the parent started", 1)
        self.no_jobs = muted(wrapping_label("No jobs recorded yet.", selectable=False))
        layout.addWidget(self.no_jobs)
        layout.addWidget(self.jobs_view)
        self.record_actions.hook_table(self.jobs_view)
        buttons, self.change_job_button, self.remove_job_button, _history = (
            self.record_actions.table_buttons(self.jobs_view, "job")
        )
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.tab = self
        self.typed_inputs = {"postcode": self.postcode, **self.answers}
        self.typed_inputs.update({f"benefit:{k}": box for k, box in self.benefits.boxes.items()})
        self.typed_inputs.update({f"eq:{k}": combo for k, combo in self.equalities.items()})
        self.note_label = self.error
        self.labels = {"postcode": "postcode"}
        for key in self.typed_inputs:
            question = codes.question(key.split(":")[0] if key.startswith("benefit:") else key)
            self.labels.setdefault(key, f"answer to “{question}”")
        self.start_drafts(self)
        self.watch_typing()

    # -- showing ---------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"postcode": self.postcode.text().strip().upper()}
        values.update({k: combo_key(c) for k, c in self.answers.items()})
        values["benefits"] = self.benefits.chosen()
        values.update({f"eq:{k}": combo_key(c) for k, c in self.equalities.items()})
        return values

    def has_unsaved_answers(self) -> bool:
        """True when answers were changed here and not saved yet (for the parent shown)."""
        return self.has_changes()

    # -- drafts ----------------------------------------------------------------------------------

    @override
    def save_typed(self) -> None:
        self.save_answers()

    @override
    def special_fields(self) -> frozenset[str]:
        return frozenset(f"eq:{k}" for k in self.equalities)

    @override
    def draft_fields(self) -> dict[str, Any]:
        fields = super().draft_fields()
        if not self.consented():
            # No equalities answers kept without the consent, not even in a draft.
            fields = {k: v for k, v in fields.items() if k not in self.special_fields()}
        return fields

    @override
    def restore_draft(self, draft: Draft) -> bool:
        if not self.consented():
            # Withdrawn since (or never given): those answers go quietly.
            special = self.special_fields()
            fields = {k: v for k, v in draft.fields.items() if k not in special}
            draft = dataclasses.replace(draft, fields=fields)
        return super().restore_draft(draft)

    def consented(self) -> bool:
        """True when the parent shown has agreed to equalities monitoring."""
        if self.journey is None:
            return False
        consent = next(
            (c for c in self.journey.consents if c.purpose is ConsentPurpose.EQUALITIES_MONITORING),
            None,
        )
        return consent is not None and consent.given

    def refresh(self) -> None:
        journey: Journey | None = self.journey
        self.error.hide()
        self.start_form.clear_errors()
        self.equalities_form.clear_errors()
        if journey is None:
            self.jobs_model.set_records([])
            self.no_jobs.setVisible(True)
            self.jobs_view.setVisible(False)
            return
        name = journey.participant.preferred_name
        agreed = self.consented()
        self.no_consent.setText(NO_CONSENT.format(name=name))
        self.no_consent.setVisible(not agreed)
        self.consent_note.setText(WITHDRAW_NOTE.format(name=name))
        self.consent_note.setVisible(agreed)
        self.equalities_box.setVisible(agreed)
        # Asked only when the date of birth is not recorded (it gives the age group itself).
        age = self.equalities["age_band"]
        age_row = age.parentWidget()
        has_dob = journey.participant.date_of_birth is not None
        if age_row is not None:
            age_row.setVisible(not has_dob)
            label = self.equalities_form.labelForField(age_row)
            if label is not None:
                label.setVisible(not has_dob)

        # A reload after another change keeps answers changed and not saved yet.
        c = journey.circumstances
        e = journey.equalities if agreed else None
        saved: dict[str, Any] = {"postcode": c.postcode if c else ""}
        saved.update({key: getattr(c, key) if c else "" for key in self.answers})
        benefits = set(c.benefits) if c else set()
        saved.update({f"benefit:{key}": key in benefits for key in self.benefits.boxes})
        saved.update({f"eq:{key}": getattr(e, key) if e else "" for key in self.equalities})
        self.show_saved(saved)
        if not agreed:
            # Not asked: nothing typed for them lingers in the hidden form either.
            for combo in self.equalities.values():
                combo.setCurrentIndex(0)
        self.jobs_model.set_records(list(journey.jobs))
        fit_rows(self.jobs_view, 8)
        # No empty table: one quiet line says so instead.
        self.no_jobs.setVisible(not journey.jobs)
        self.jobs_view.setVisible(bool(journey.jobs))

    # -- actions ---------------------------------------------------------------------------------

    def save_answers(self) -> None:
        """Save the form: circumstances, and equalities only with the consent (one undo)."""
        if self.journey is None:
            return
        self.start_form.clear_errors()
        self.equalities_form.clear_errors()
        values = self._values()
        circumstances = {k: values[k] for k in ("postcode", *CIRCUMSTANCES_LISTS)}
        pid = self.journey.participant.id
        # The consent as it is now, not as when the tab was shown: withdrawn meanwhile (on
        # About), the equalities answers chosen here go, as the withdrawal asks, and the rest
        # is saved.
        agreed = self.caseload.has_consent(pid, ConsentPurpose.EQUALITIES_MONITORING)
        equalities = {k: values[f"eq:{k}"] for k in EQUALITIES_LISTS} if agreed else None
        # Saved, the reload (during the call) shows what was kept rather than what was typed.
        shown_pid, self._saved_pid = self._saved_pid, None
        try:
            self.caseload.set_answers(pid, circumstances=circumstances, equalities=equalities)
        except ValidationError as exc:
            self._saved_pid = shown_pid
            form = self.equalities_form if exc.field in self.equalities else self.start_form
            form.show_error(exc.message, exc.field)
            self.not_saved("the saved answers")
            return
        except JourneyError as exc:
            self._saved_pid = shown_pid
            self.start_form.show_error(exc.message, None)
            self.not_saved("the saved answers")
            return
        self.forget_draft()
        self.saved("background answers")

    def record_job(self) -> None:
        """Record a job (and its "started work" milestone)."""
        if self.pid is None:
            return
        if JobDialog(self.caseload, self.pid, self).exec():
            self.saved("job recorded")

    def edit_dialog(self, record: Record) -> FormDialog | None:
        if self.pid is None or not isinstance(record, Job):
            return None
        return JobDialog(self.caseload, self.pid, self, existing=record)


class JobDialog(FormDialog):
    """A job the parent started: every detail optional but the start date."""

    draft_form = "job"
    draft_kind = "jobs"

    def __init__(
        self,
        caseload: Caseload,
        participant_id: str,
        parent: QWidget | None = None,
        *,
        existing: Job | None = None,
        milestone: Milestone | None = None,
        just_recorded: bool = False,
    ) -> None:
        # `just_recorded`: the job its "started work" milestone was recorded with a moment
        # ago (from that day): the form asks for the rest, and Cancel leaves it as it is.
        title, save_text = (
            ("The job they started", "Save job details")
            if just_recorded
            else ("Change a job", "Save changes")
            if existing
            else ("Record a job", "Record job")
        )
        super().__init__(
            title, caseload, parent, save_text=save_text, existing=existing, scrolling=True
        )
        self.participant_id = participant_id
        self.milestone = milestone
        # A half-typed job title or note is kept as a draft, as in every other form.
        self.keep_drafts(participant_id, milestone_id=milestone.id if milestone else None)
        codes = caseload.codes
        said = (
            f"The job is recorded with the milestone, from {fmt_date(existing.started_on)}. "
            "Add what you know now; Cancel keeps it with its start day only, and Job "
            "details… on the Journey tab adds the rest later. "
            if just_recorded and existing is not None
            else "Only the start date is needed; add the rest when it is known. "
        )
        note = muted(
            wrapping_label(
                said + "It goes in the funder's return as codes, never with a name.",
                selectable=False,
            )
        )
        self.form.addRow(note)
        start = existing.started_on if existing else (milestone.achieved_on if milestone else None)
        self.started = self.add_date_field("started_on", "Started on:", start)
        self.title_edit = QLineEdit(existing.job_title if existing else "")
        self.title_edit.setPlaceholderText("e.g. care assistant (optional)")
        self.add_field("job_title", "Job:", self.title_edit)
        self.hours = NumberBox()
        self.hours.setRange(0, 80)
        self.hours.setSpecialValueText("Not known")
        self.hours.setSuffix(" hours a week")
        self.hours.setValue(existing.hours_per_week or 0 if existing else 0)
        self.add_field("hours_per_week", "Hours:", self.hours)
        self.combos: dict[str, QComboBox] = {}
        for key, text, blank in (
            ("working_pattern", "Full or part time:", "From the hours"),
            ("contract_type", "Contract:", NOT_ANSWERED),
            ("living_wage", "Real Living Wage:", NOT_ANSWERED),
            ("sector", "Kind of work:", NOT_ANSWERED),
            ("progression", "Got better since:", "Not yet"),
        ):
            combo = answer_combo(codes, key, getattr(existing, key) if existing else "", blank)
            self.combos[key] = combo
            self.add_field(key, text, combo, codes.why(key))
        self.progressed = self.add_date_field(
            "progressed_on",
            "Got better on:",
            existing.progressed_on if existing else None,
            optional=True,
        )
        self.left = self.add_date_field(
            "left_on", "Ended on:", existing.left_on if existing else None, optional=True
        )
        reason = answer_combo(
            codes, "leaving_reason", existing.leaving_reason if existing else "", "Still in work"
        )
        self.combos["leaving_reason"] = reason
        self.add_field("leaving_reason", "Why it ended:", reason)
        self.note = TextBox(existing.note if existing else "", placeholder="(optional)", lines=2)
        self.add_field("note", "Note:", self.note, TextBox.HINT)

    @classmethod
    def from_context(
        cls, caseload: Caseload, context: dict[str, Any], parent: QWidget | None
    ) -> FormDialog | None:
        """The same job form again, for the parent, the job and the milestone it was about."""
        milestone = None
        if context.get("milestone_id"):
            found = caseload.record("milestones", str(context["milestone_id"]))
            assert isinstance(found, Milestone)
            milestone = found
        existing = cls.draft_record(caseload, context)
        pid = str(context["participant_id"])
        return cls(caseload, pid, parent, existing=existing, milestone=milestone)

    def save(self) -> Any:
        started = self.past_date("started_on", "Started on", Job)
        details: dict[str, Any] = {
            "job_title": self.title_edit.text().strip(),
            "hours_per_week": self.hours.value() or None,
            **{k: combo_key(c) for k, c in self.combos.items()},
            "progressed_on": self.optional_date_field(
                "progressed_on", self.progressed.text(), "Got better on"
            ),
            "left_on": self.optional_date_field("left_on", self.left.text(), "Ended on"),
            "note": self.note.text().strip(),
        }
        self.not_future("left_on", details["left_on"], Job)
        self.not_future("progressed_on", details["progressed_on"], Job)
        if self.existing is not None:
            return self.caseload.update_job(self.existing.id, started_on=started, **details)
        return self.caseload.add_job(
            self.participant_id,
            started,
            milestone_id=self.milestone.id if self.milestone else None,
            with_milestone=self.milestone is None,
            **details,
        )
