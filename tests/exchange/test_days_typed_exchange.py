"""The rule for a day typed (core.dates.check_day) in a spreadsheet import and in a merge: an
import refuses the row with the day that cannot be right, in the window's words, and writes
nothing; a merge keeps another laptop's record as it was written (its clock may have been
ahead: the merge says so), never dropping it for a day this laptop would refuse if typed."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.caseload.this_week import this_week
from journeyapp.core.dates import YEARS_AHEAD, long_date
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.exchange.spreadsheet import import_file
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_an_import_refuses_a_year_typed_wrong_row_by_row_and_writes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    joined = TODAY - timedelta(days=100)
    parents = _csv(
        tmp_path / "p.csv",
        [
            ["ref", "preferred_name", "locality", "joined_on"],
            ["R-1", "Ann", "fife", joined.strftime("%d/%m/%Y")],
            ["R-2", "Bea", "fife", joined.replace(year=joined.year + 36).strftime("%d/%m/%Y")],
        ],
    )
    report = import_file(caseload, parents)
    assert [p.line for p in report.problems] == [3]
    assert report.problems[0].reason.startswith(
        f"The day they joined, {long_date(joined.replace(year=joined.year + 36))}, is after today"
    )
    assert not caseload.participants()
    import_file(caseload, _csv(tmp_path / "ok.csv", [*_rows(parents)[:2]]))
    before = caseload.counts()
    wrong = TODAY.replace(year=1926)
    contacts = _csv(
        tmp_path / "c.csv",
        [
            ["ref", "on", "kind"],
            ["R-1", TODAY.isoformat(), "phone_text"],
            ["R-1", wrong.isoformat(), "phone_text"],
        ],
    )
    report = import_file(caseload, contacts)
    assert [p.line for p in report.problems] == [3]
    assert f"The day of the contact, {long_date(wrong)}, is more than" in report.problems[0].reason
    assert "check the year" in report.problems[0].reason
    assert caseload.counts() == before


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_a_merge_keeps_a_record_whose_day_would_be_refused_if_typed_here(
    laptop: Callable[..., Caseload], tmp_path: Path
) -> None:
    """A laptop whose clock was a year ahead arranged a meeting three years on by its clock:
    four years on here. Typed here it would be refused; merged, it is kept as written."""
    ahead = TODAY.replace(year=TODAY.year + 1)
    aileen = laptop("aileen")
    aileen.clock = ticking_clock(ahead)
    pid = aileen.enrol_participant("Ava", "fife", joined_on=TODAY - timedelta(days=30)).id
    far = ahead.replace(year=ahead.year + YEARS_AHEAD) - timedelta(days=1)
    aileen.arrange_meeting(pid, far)
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    coord = laptop("coord")
    coord.clock = ticking_clock(TODAY)
    result = merge_bundle(coord, path, PASSPHRASE)
    assert [m.on for m in coord.appointments_for(pid)] == [far]
    assert "clock was ahead" in result.clock_note()


def test_an_import_refuses_a_date_of_birth_no_parent_can_have_and_writes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    """A parent aged 100 or 7 on the day they joined is a year typed wrong: the row is refused
    in the About tab's words (the day, the age it gives, the year to check); 1990 is kept."""
    joined = date(2026, 3, 1)
    parents = _csv(
        tmp_path / "p.csv",
        [
            ["ref", "preferred_name", "locality", "joined_on", "date_of_birth"],
            ["R-1", "Ann", "fife", joined.isoformat(), "1926-03-01"],
            ["R-2", "Bea", "fife", joined.isoformat(), "2019-03-01"],
            ["R-3", "Cat", "fife", joined.isoformat(), "1990-03-01"],
        ],
    )
    report = import_file(caseload, parents)
    assert [p.line for p in report.problems] == [2, 3]
    assert report.problems[0].reason.startswith(
        "The date of birth, 1 Mar 1926, makes them 100 on the day they joined (1 Mar 2026)"
    )
    assert "(did you mean 1 Mar 1962?)" in report.problems[0].reason
    assert "makes them 7 on the day they joined" in report.problems[1].reason
    assert not caseload.participants()
    rows = _rows(parents)
    import_file(caseload, _csv(tmp_path / "ok.csv", [rows[0], rows[3]]))
    assert [p.date_of_birth for p in caseload.participants()] == [date(1990, 3, 1)]


def test_a_merged_contact_and_milestone_dated_ahead_are_not_what_happened_here(
    laptop: Callable[..., Caseload], tmp_path: Path
) -> None:
    """Aileen's laptop, its clock a month ahead, logged a contact and a "started work" on its
    today. Merged here they are kept as written, and shown as not happened yet: the check-in
    due here stays due in This week (naming the contact to check), the plan does not count the
    milestone, and `check` lists both."""
    coord = laptop("coord")
    pid = coord.enrol_participant("Dan", "fife", joined_on=TODAY - timedelta(days=100)).id
    coord.change_pace(pid, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=100))
    coord.log_contact(pid, on=TODAY - timedelta(days=21))
    first = tmp_path / "coord.jlb"
    write_bundle(coord, first, PASSPHRASE)
    aileen = laptop("aileen")
    merge_bundle(aileen, first, PASSPHRASE)
    ahead = TODAY + timedelta(days=30)
    aileen.clock = ticking_clock(ahead)
    aileen.log_contact(pid, on=ahead)
    aileen.record_milestone(pid, "started_work", achieved_on=ahead)
    path = tmp_path / "aileen.jlb"
    write_bundle(aileen, path, PASSPHRASE)
    merge_bundle(coord, path, PASSPHRASE)
    assert sorted(c.on for c in coord.journey(pid).contacts)[-1] == ahead  # kept as written
    (line,) = this_week(coord, keyworker="").group("checkins").lines
    assert line.participant_id == pid
    assert line.overdue
    assert "after today: check its date" in line.text
    plan = coord.document(pid)
    assert not any("Started work" in i.text for s in plan.sections for i in s.items)
    assert [name for name, _what in coord.days_to_check()] == ["Dan", "Dan"]
