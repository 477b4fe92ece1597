"""The command line: demo, check, help text with examples, one-line failures, README coverage."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def test_demo_then_check(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    runner = CliRunner()
    made = runner.invoke(
        cli,
        ["demo", "--db", str(db), "--participants", "200", "--seed", "1"],
        catch_exceptions=False,
    )
    assert made.exit_code == 0, made.output
    assert "200 demo parents" in made.output
    checked = runner.invoke(cli, ["check", "--db", str(db)], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    assert "Integrity: ok" in checked.output
    caseload = Caseload.open(db, create=True, plain=True)
    rows = caseload.caseload()
    assert len(rows) == 200
    with_events = {e.participant_id for e in caseload.events()}
    assert {r.id for r in rows} <= with_events
    started_work = caseload.db.execute(
        "SELECT count(DISTINCT participant_id) FROM milestones WHERE type = 'started_work'"
    ).fetchone()[0]
    assert 0.2 <= started_work / 200 <= 0.4  # about 30%, as in the programme
    caseload.close()


def test_same_seed_same_people(tmp_path: Path) -> None:
    names = []
    for n in range(2):
        db = tmp_path / f"{n}.db"
        CliRunner().invoke(
            cli, ["demo", "--db", str(db), "-n", "15", "--seed", "4"], catch_exceptions=False
        )
        with sqlite3.connect(db) as raw:
            names.append(raw.execute("SELECT full_name FROM participants ORDER BY 1").fetchall())
    assert names[0] == names[1]


def test_demo_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_bytes(b"precious")
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert db.read_bytes() == b"precious"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "There is no caseload"),
        (lambda p: p.write_bytes(b"\xff\xd8\xff\xe0JFIF" * 50), "not a JourneyApp caseload"),
    ],
)
def test_check_fails_with_one_clear_line(tmp_path: Path, setup: object, message: str) -> None:
    db = tmp_path / "x.db"
    setup(db)  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_check_reports_a_damaged_file(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    CliRunner().invoke(cli, ["demo", "--db", str(db), "-n", "40"], catch_exceptions=False)
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # scribble over page contents
        data[offset + 100 : offset + 200] = b"\x07" * 100
    db.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["check", "--db", str(db)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_check_repair_rebuilds_a_caseload_list_out_of_step(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    runner = CliRunner()
    runner.invoke(cli, ["demo", "--db", str(db), "-n", "12"], catch_exceptions=False)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE caseload_list SET last_contact_on = NULL")
        records_before = raw.execute('SELECT count(*), max("on") FROM contacts').fetchone()
    found = runner.invoke(cli, ["check", "--db", str(db)])
    assert found.exit_code == 1
    assert "caseload list" in found.output
    assert "--repair" in found.output
    assert "restore from a backup" not in found.output  # the records are fine
    repaired = runner.invoke(cli, ["check", "--db", str(db), "--repair"], catch_exceptions=False)
    assert repaired.exit_code == 0, repaired.output
    assert "Caseload list rebuilt" in repaired.output
    assert "Integrity: ok" in repaired.output
    with sqlite3.connect(db) as raw:
        assert raw.execute('SELECT count(*), max("on") FROM contacts').fetchone() == records_before
        assert (
            raw.execute(
                "SELECT count(*) FROM caseload_list WHERE last_contact_on IS NOT NULL"
            ).fetchone()[0]
            > 0
        )


def _commands() -> list[tuple[str, click.Command]]:
    group = cli
    assert isinstance(group, click.Group)
    return sorted(group.commands.items())


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    name: str, command: click.Command
) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"journeyapp {name}" in result.output
    assert re.search(rf"`journeyapp {name}\b", README.read_text(encoding="utf-8")), (
        f"README.md does not list `journeyapp {name}`"
    )


def test_top_level_help_names_the_data_folder() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Your caseload is kept in" in result.output
    assert "--demo" in result.output
