"""A record's history reads as words a keyworker reads: no bookkeeping of the journey log (what
an edit replaced), a yes/no as yes or no, a kind of contact as the partnership names it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.describe import stored_words
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.core.records import Contact, PaceChange, Participant
from journeyapp.ui.dialogs.record_history import RecordHistoryDialog
from tests.clock import PINNED_TODAY as TODAY

KINDS = ("one_to_one", "phone_text", "home_visit", "group", "outreach")
PUBLIC = {f.name.replace("_", " ") for f in dataclasses.fields(Contact)}
YES_NO = {"childcare needed", "childcare arranged"}

corrections = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "kind": st.sampled_from(KINDS),
            "venue": st.sampled_from(("Library", "Café", "Parent's home")),
            "minutes": st.integers(min_value=5, max_value=240),
            "childcare_needed": st.booleans(),
            "childcare_arranged": st.booleans(),
            # What a keyworker typed, underscores and all: shown exactly as typed.
            "note": st.text(alphabet="abc_xyz ", min_size=1, max_size=20).filter(str.strip),
        },
    ).filter(bool),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), changes=corrections)
def test_history_names_only_what_a_person_changed_in_their_words(
    qtbot: QtBot, caseload: Caseload, kind: str, changes: list[dict[str, object]]
) -> None:
    c = caseload
    parent = c.enrol_participant("Demi", "glasgow", joined_on=TODAY - timedelta(days=60))
    contact = c.log_contact(parent.id, kind, on=TODAY - timedelta(days=3), venue="Library")
    for change in changes:
        contact = c.update_record(Contact.KIND, contact.id, **change)  # type: ignore[assignment]
    dialog = RecordHistoryDialog(c, contact, "the contact", None)
    qtbot.addWidget(dialog)
    texts = dialog.texts()
    assert texts[0].startswith("Made")
    labels = {k.key: k.label for k in c.catalogue.contact_kinds}
    for text in texts:
        for line in text.splitlines()[1:]:
            name, _, words = line.partition(": ")
            # Only the record's own fields, named in words: not the log's bookkeeping.
            assert name in PUBLIC, line
            if name in YES_NO:
                assert words in ("yes", "no", "was yes, now no", "was no, now yes"), line
            if name == "kind":
                told = [w.removeprefix("was ").removeprefix("now ") for w in words.split(", ")]
                assert all(t in labels.values() for t in told), line
            if name == "note" and words != "(empty)":
                notes = [c["note"] for c in changes if "note" in c]
                told = [w.removeprefix("was ").removeprefix("now ") for w in words.split(", now ")]
                assert told[-1] in notes, line


# Words as people type them: capitals after the first letter, other scripts, one word or many.
typed = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1
).filter(lambda t: t.strip() != "" and t == t.strip())


@settings(max_examples=200, deadline=None)
@given(words=typed)
def test_typed_words_are_told_as_typed(words: str) -> None:
    """A parent's reason, a note, a name read in their history exactly as typed: "and I need"
    read "and i need", "Я хочу" read "я хочу" (everything after the first letter was
    lower-cased)."""
    assert stored_words(words, PaceChange.KIND, "reason") == words
    assert stored_words(words, Contact.KIND, "note") == words
    assert stored_words(words, Participant.KIND, "full_name") == words


def test_the_history_shows_the_parents_words_as_they_said_them(
    qtbot: QtBot, caseload: Caseload
) -> None:
    reason = "Czuję się pewniej; Я хочу більше часу, and I need to ask Mrs McAllister first"
    c = caseload
    parent = c.enrol_participant("Oksana", "glasgow", joined_on=TODAY - timedelta(days=60))
    change = c.change_pace(
        parent.id, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=3), reason=reason
    )
    dialog = RecordHistoryDialog(c, change, "the pace change", None)
    qtbot.addWidget(dialog)
    made = dialog.texts()[0].splitlines()
    assert f"reason: {reason}" in made, made
    # Codes still read as words.
    assert "pace: Steady" in made, made


def test_the_history_s_rows_fit_their_words_at_any_width(qtbot: QtBot, caseload: Caseload) -> None:
    """The rows were fitted once, before the dialog had its size: made narrower (a laptop at
    200%), the wrapped words of a change were cut off at the row's foot."""
    c = caseload
    parent = c.enrol_participant("Oksana", "glasgow", joined_on=TODAY - timedelta(days=60))
    reason = "I want to take the mornings slowly until my youngest has settled at nursery " * 3
    change = c.change_pace(
        parent.id, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=3), reason=reason
    )
    dialog = RecordHistoryDialog(c, change, "the pace change", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    for width in (900, 560, 420):
        dialog.resize(width, dialog.height())
        qtbot.waitUntil(lambda w=width: dialog.width() == w)
        qtbot.waitUntil(lambda: table.rowHeight(0) >= table.sizeHintForRow(0))
        # What happened has the widest share of the width.
        widths = [table.columnWidth(col) for col in range(3)]
        assert widths[2] == max(widths), widths
