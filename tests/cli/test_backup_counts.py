"""A backup and a restore say what they hold with the noun agreeing: "1 parent", not "1 parents"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.text import backup_counts, counted


@given(number=st.integers(0, 10**7))
def test_a_count_and_its_noun_agree(number: int) -> None:
    words = counted(number, "parent")
    assert words == (f"{number:,} parent" if number == 1 else f"{number:,} parents")
    both = backup_counts(number, 1)
    assert both.endswith(", 1 journey-log event")
    assert both.startswith(words + ",")


def test_one_parents_backup_and_restore_say_one_parent(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    caseload.enrol_participant("Siobhán", "fife", joined_on=date(2026, 3, 1))
    caseload.close()
    out = tmp_path / "copy.db"
    made = CliRunner().invoke(cli, ["backup", "--db", str(db_path), "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert ": 1 parent, " in made.output
    assert "1 parents" not in made.output
    put_back = CliRunner().invoke(cli, ["restore", "--db", str(db_path), str(out)], input="y\n")
    assert put_back.exit_code == 0, put_back.output
    assert ": 1 parent, " in put_back.output
    assert "1 parents" not in put_back.output
