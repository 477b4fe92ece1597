"""What Undo says it will undo, for corrections and removals of every record kind: the record
in plain words ("remove the contact"), never a table name."""

from __future__ import annotations

from journeyapp.caseload import Caseload
from journeyapp.core.describe import KIND_WORDS


def test_correcting_and_removing_say_what_in_plain_words(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Morven", "fife").id
    contact = caseload.log_contact(pid, "phone_text", note="Talked about the coffee morning")
    strength = caseload.add_strength(pid, "Good with people")
    made = {"contacts": contact.id, "strengths": strength.id}
    changes = {"contacts": {"minutes": 45}, "strengths": {"words": "Good with people, and kind"}}
    for kind, record_id in made.items():
        caseload.update_record(kind, record_id, **changes[kind])
        assert caseload.undo_description == f"change the {KIND_WORDS[kind]}"
        caseload.delete_record(kind, record_id)
        assert caseload.undo_description == f"remove the {KIND_WORDS[kind]}"
        assert kind not in caseload.undo_description
        caseload.undo()
    assert caseload.record("contacts", contact.id).minutes == 45  # the removal was undone
