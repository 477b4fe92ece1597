"""A record removed on one laptop while another changed it: the change (a parent's words) is
not lost to the removal without a decision, whichever bundle a coordinator merges first, and
the decision, made once, travels."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Contact
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.exchange.decisions import describe_all
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE

Laptop = Callable[..., Caseload]
WORDS = "She said: I want to try the college course in January"


def _bundle(caseload: Caseload, folder: Path) -> Path:
    out = folder / f"{caseload.actor}-{uuid.uuid4().hex[:6]}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _notes(caseload: Caseload) -> list[str]:
    return [c.note for c in caseload.all_records(Contact)]


@pytest.mark.parametrize("first", ["removal", "change"])
def test_a_change_the_removal_had_not_seen_is_kept_and_asked_about(
    laptop: Laptop, tmp_path: Path, first: str
) -> None:
    a, b, coord = laptop("aileen"), laptop("brian"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    contact = a.log_contact(pid, on=TODAY - timedelta(days=30), note="Talked about college")
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)

    # Aileen removes the contact; Brian, not having seen that, writes down her words in it.
    a.delete_record("contacts", contact.id)
    b.update_record("contacts", contact.id, note=WORDS)
    from_a, from_b = _bundle(a, tmp_path), _bundle(b, tmp_path)

    order = (from_a, from_b) if first == "removal" else (from_b, from_a)
    results = [merge_bundle(coord, path, PASSPHRASE) for path in order]
    assert _notes(coord) == [WORDS]
    [asked] = coord.exchange.decisions()
    assert (asked.kind, asked.field) == ("contacts", "_remove")
    assert sum(r.new_decisions for r in results) == 1
    assert not any(r.skipped_removed for r in results)  # nothing was taken as removed
    [line] = describe_all(coord, [asked])
    assert line.parent == "Siobhán"
    assert "removed on one laptop and changed on another" in line.about
    assert (line.here, line.incoming) == ("keep", "remove")
    assert line.here_from.startswith("brian")
    assert line.incoming_from.startswith("aileen")

    # The command line lists it in the same words.
    listed = CliRunner().invoke(cli, ["decisions", "--db", str(coord.path)], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    assert "removed on one laptop and changed on another" in listed.output

    # Merged again, either bundle: nothing new.
    for path in order:
        assert not merge_bundle(coord, path, PASSPHRASE).changed_anything

    # Relayed back: each laptop holds her words; Aileen's is asked the same question (Brian's
    # too when the coordinator took the removal in first, so it was carried on; a removal
    # held as a question is not).
    back = _bundle(coord, tmp_path)
    for device in (a, b):
        merge_bundle(device, back, PASSPHRASE)
        assert _notes(device) == [WORDS]
    assert [d.field for d in a.exchange.decisions()] == ["_remove"]
    asked_b = [d.field for d in b.exchange.decisions()]
    assert asked_b == (["_remove"] if first == "removal" else [])

    # The coordinator keeps it: the answer travels, and no laptop is asked again.
    coord.exchange.resolve_decision(asked.id, "here")
    back = _bundle(coord, tmp_path)
    for device in (a, b):
        result = merge_bundle(device, back, PASSPHRASE)
        assert result.settled == len(device.exchange.decisions(open_only=False))
        assert device.exchange.decisions() == []
        assert _notes(device) == [WORDS]
    # The laptops' old bundles, merged again at the coordinator, ask nothing.
    for path in (from_a, from_b):
        merge_bundle(coord, path, PASSPHRASE)
    assert coord.exchange.decisions() == []
    assert _notes(coord) == [WORDS]


def test_removing_after_deciding_travels_and_settles_the_question_everywhere(
    laptop: Laptop, tmp_path: Path
) -> None:
    a, b, coord = laptop("aileen"), laptop("brian"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    contact = a.log_contact(pid, on=TODAY - timedelta(days=30), note="Talked about college")
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)
    a.delete_record("contacts", contact.id)
    b.update_record("contacts", contact.id, note=WORDS)
    for device in (a, b):
        merge_bundle(coord, _bundle(device, tmp_path), PASSPHRASE)
    back = _bundle(coord, tmp_path)
    for device in (a, b):
        merge_bundle(device, back, PASSPHRASE)
        assert [d.field for d in device.exchange.decisions()] == ["_remove"]

    # Seen both ways, the coordinator removes it after all: gone everywhere, nothing asked.
    [asked] = coord.exchange.decisions()
    coord.exchange.resolve_decision(asked.id, "incoming")
    assert _notes(coord) == []
    back = _bundle(coord, tmp_path)
    for device in (a, b):
        merge_bundle(device, back, PASSPHRASE)
        assert _notes(device) == []
        assert device.exchange.decisions() == []


def test_a_removal_that_had_seen_every_change_just_removes(laptop: Laptop, tmp_path: Path) -> None:
    a, b, coord = laptop("aileen"), laptop("brian"), laptop("coord")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    contact = a.log_contact(pid, on=TODAY - timedelta(days=30), note="Talked about college")
    merge_bundle(b, _bundle(a, tmp_path), PASSPHRASE)
    b.update_record("contacts", contact.id, note=WORDS)
    merge_bundle(coord, _bundle(b, tmp_path), PASSPHRASE)
    merge_bundle(a, _bundle(coord, tmp_path), PASSPHRASE)
    a.delete_record("contacts", contact.id)  # with her words in view
    result = merge_bundle(coord, _bundle(a, tmp_path), PASSPHRASE)
    assert result.new_decisions == 0
    assert _notes(coord) == []
    merge_bundle(b, _bundle(coord, tmp_path), PASSPHRASE)
    assert _notes(b) == []
    assert b.exchange.decisions() == []


def test_a_removal_passed_over_then_brought_back_asks_at_once_and_merging_again_is_quiet(
    laptop: Laptop, tmp_path: Path
) -> None:
    """Found by the removal machine: a bundle holding a removal of a record already removed
    here, then an edit neither removal had seen. The edit brings the record back and both
    removals wait as questions in that one merge (as when the edit comes first), so merging the
    same bundle again changes nothing."""
    a, coord, second = laptop("aileen"), laptop("coord"), laptop("second")
    pid = a.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    contact = a.log_contact(pid, on=TODAY - timedelta(days=30), note="Talked about college")
    first = _bundle(a, tmp_path)
    for device in (coord, second):
        merge_bundle(device, first, PASSPHRASE)

    second.update_record("contacts", contact.id, note=WORDS)  # neither removal saw this
    a.delete_record("contacts", contact.id)
    coord.delete_record("contacts", contact.id)
    from_second = _bundle(second, tmp_path)
    merge_bundle(a, from_second, PASSPHRASE)  # Aileen's log: her removal, then the edit
    relayed = _bundle(a, tmp_path)

    # The other order, for comparison: the edit first, then Aileen's removal.
    other = laptop("other")
    merge_bundle(other, first, PASSPHRASE)
    other.delete_record("contacts", contact.id)
    merge_bundle(other, from_second, PASSPHRASE)
    merge_bundle(other, relayed, PASSPHRASE)

    merge_bundle(coord, relayed, PASSPHRASE)
    assert _notes(coord) == [WORDS]
    asked = {(d.field, d.incoming.actor) for d in coord.exchange.decisions()}
    assert asked == {("_remove", "aileen"), ("_remove", "coord")}
    assert {(d.field, d.incoming.actor) for d in other.exchange.decisions()} == {
        ("_remove", "aileen"),
        ("_remove", "other"),
    }
    again = merge_bundle(coord, relayed, PASSPHRASE)
    assert not again.changed_anything, again
    assert len(coord.exchange.decisions()) == 2
