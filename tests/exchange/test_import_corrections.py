"""A milestone or contact made by an import can be corrected by importing the corrected file: the
row's filled-in cells (note, minutes, whose words) correct the one record held for that parent,
kind and day, with the same journey-log event as a correction in the window; an empty cell or a
missing column changes nothing, and importing it again changes nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import Voice
from journeyapp.exchange.spreadsheet import import_file
from tests.clock import past
from tests.exchange.test_import import write_csv

# Days in the real past too: the command line works on the real clock.
JOINED, FEB_3, FEB_10 = (str(past(2026, m, d)) for m, d in ((1, 5), (2, 3), (2, 10)))

PARENTS = [["ref", "preferred_name", "locality", "joined_on"], ["R1", "Zoë", "fife", JOINED]]
MILESTONES = ["ref", "milestone", "achieved_on", "note", "whose_words"]
CONTACTS = ["ref", "on", "kind", "minutes", "note"]


def _milestones(tmp_path: Path, *rows: list[str], name: str = "m.csv") -> Path:
    return write_csv(tmp_path / name, [MILESTONES, *[list(r) for r in rows]])


def _contacts(tmp_path: Path, *rows: list[str], name: str = "c.csv") -> Path:
    return write_csv(tmp_path / name, [CONTACTS, *[list(r) for r in rows]])


def _updates(caseload: Caseload, record_id: str) -> list[dict[str, object]]:
    """The fields of each update event (beside what they replaced, for merges)."""
    updates = [dict(e.fields) for e in caseload.record_history(record_id) if e.action == "update"]
    for fields in updates:
        assert set(fields.pop("_replaced")) == set(fields)  # type: ignore[call-overload]
    return updates


def test_a_corrected_note_whose_words_and_minutes_in_a_file_imported_again_correct_the_records(
    caseload: Caseload, tmp_path: Path
) -> None:
    import_file(caseload, write_csv(tmp_path / "p.csv", PARENTS))
    pid = caseload.participants()[0].id
    import_file(caseload, _milestones(tmp_path, ["R1", "joined_group", FEB_3, "Frist time", ""]))
    import_file(
        caseload,
        _contacts(
            tmp_path,
            ["R1", FEB_3, "one_to_one", "30", "Talked about mony"],
            ["R1", FEB_10, "one_to_one", "45", "Budgeting"],
        ),
    )
    (milestone,) = caseload.journey(pid).milestones
    first, second = sorted(caseload.journey(pid).contacts, key=lambda c: c.on)

    # A dry run says what would be corrected and saves nothing.
    fixed_m = _milestones(
        tmp_path, ["R1", "joined_group", FEB_3, "First time", "together"], name="m2.csv"
    )
    fixed_c = _contacts(
        tmp_path,
        ["R1", FEB_3, "one_to_one", "40", "Talked about money"],
        ["R1", FEB_10, "one_to_one", "", ""],  # empty cells: nothing changes
        name="c2.csv",
    )
    report = import_file(caseload, fixed_m, dry_run=True)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 1, 0)
    assert caseload.record("milestones", milestone.id) == milestone

    report = import_file(caseload, fixed_m)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 1, 0)
    report = import_file(caseload, fixed_c)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 1, 1)

    corrected = caseload.record("milestones", milestone.id)
    assert (corrected.note, corrected.voice) == ("First time", Voice.TOGETHER)  # type: ignore[attr-defined]
    fixed = caseload.record("contacts", first.id)
    assert (fixed.minutes, fixed.note) == (40, "Talked about money")  # type: ignore[attr-defined]
    assert caseload.record("contacts", second.id) == second
    assert len(caseload.journey(pid).contacts) == 2  # corrected, not added
    # The same event as the window's correction (update_record): the changed fields only.
    assert _updates(caseload, milestone.id) == [{"note": "First time", "voice": "together"}]
    assert _updates(caseload, first.id) == [{"minutes": 40, "note": "Talked about money"}]
    caseload.update_record("contacts", second.id, minutes=40, note="Talked about money")
    assert _updates(caseload, second.id) == _updates(caseload, first.id)

    # Imported again: already here.
    for path in (fixed_m, fixed_c):
        report = import_file(caseload, path)
        assert (report.to_create, report.to_update) == (0, 0)


def test_a_file_without_the_column_or_with_several_contacts_that_day_changes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    import_file(caseload, write_csv(tmp_path / "p.csv", PARENTS))
    pid = caseload.participants()[0].id
    milestone = caseload.record_milestone(
        pid, "joined_group", achieved_on=past(2026, 2, 3), note="Words", voice=Voice.TOGETHER
    )
    caseload.log_contact(pid, "one_to_one", on=past(2026, 2, 3), note="Morning")
    caseload.log_contact(pid, "one_to_one", on=past(2026, 2, 3), note="Afternoon")
    no_columns = write_csv(
        tmp_path / "m.csv",
        [["ref", "milestone", "achieved_on"], ["R1", "joined_group", FEB_3]],
    )
    report = import_file(caseload, no_columns)
    assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 1)
    assert caseload.record("milestones", milestone.id) == milestone
    # Two held that day: which one a row means is not known, so neither is changed.
    report = import_file(caseload, _contacts(tmp_path, ["R1", FEB_3, "one_to_one", "", "X"]))
    assert (report.to_create, report.to_update, report.unchanged) == (0, 0, 1)
    assert sorted(c.note for c in caseload.journey(pid).contacts) == ["Afternoon", "Morning"]


def test_the_command_line_says_a_corrected_row_is_updated(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    import_file(caseload, write_csv(tmp_path / "p.csv", PARENTS))
    import_file(caseload, _contacts(tmp_path, ["R1", FEB_3, "one_to_one", "30", "mony"]))
    caseload.close()
    fixed = _contacts(tmp_path, ["R1", FEB_3, "one_to_one", "30", "money"], name="c2.csv")
    result = CliRunner().invoke(cli, ["import", "--db", str(db_path), str(fixed)])
    assert result.exit_code == 0, result.output
    assert "0 new, 1 updated, 0 already here" in result.output
