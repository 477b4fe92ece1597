"""The exchange commands end to end: bundle, merge, decisions, partnership key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.demo import build_demo

COORDINATOR = "coordinator's own long passphrase"


def make_laptop(path: Path, seed: int) -> None:
    """A keyworker's laptop with three demo journeys, made on the real clock (no clock given):
    the commands that bundle and merge it run for real, and refuse days after their today."""
    c = Caseload.open(path, create=True, plain=True)
    build_demo(c, participants=3, seed=seed)
    c.close()


def test_bundle_then_merge_then_decisions(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 1)
    runner = CliRunner()
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "a long passphrase"}
    made = runner.invoke(
        cli, ["bundle", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "a.jlb")], env=env
    )
    assert made.exit_code == 0, made.output
    assert "encrypted" in made.output
    secret = tmp_path / "pass.txt"
    secret.write_text("a long passphrase\n")
    coordinator = ["--db", str(tmp_path / "coord.db")]
    made = runner.invoke(cli, ["new", *coordinator], env={"JOURNEYAPP_PASSPHRASE": COORDINATOR})
    assert made.exit_code == 0, made.output
    runner = CliRunner(env={"JOURNEYAPP_PASSPHRASE": COORDINATOR})
    merged = runner.invoke(
        cli,
        ["merge", *coordinator, str(tmp_path / "a.jlb"), "--bundle-passphrase-file", str(secret)],
    )
    assert merged.exit_code == 0, merged.output
    assert "0 already here" in merged.output
    again = runner.invoke(cli, ["merge", *coordinator, str(tmp_path / "a.jlb")], env=env)
    assert " 0 new" in again.output
    wrong = runner.invoke(
        cli,
        ["merge", *coordinator, str(tmp_path / "a.jlb")],
        env={"JOURNEYAPP_BUNDLE_PASSPHRASE": "not it at all"},
    )
    assert wrong.exit_code == 1
    assert "passphrase does not open" in wrong.output
    assert "Traceback" not in wrong.output
    listed = runner.invoke(cli, ["decisions", *coordinator])
    assert "No edits are waiting" in listed.output
    short = runner.invoke(
        cli,
        ["bundle", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "b.jlb")],
        env={"JOURNEYAPP_BUNDLE_PASSPHRASE": "short"},
    )
    assert short.exit_code == 1
    assert "at least 8 characters" in short.output


def test_partnership_key_makes_two_laptops_exports_line_up(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 1)
    make_laptop(tmp_path / "b.db", 2)
    runner = CliRunner()
    key = tmp_path / "partnership.key"
    assert (
        runner.invoke(
            cli, ["partnership-key", "--db", str(tmp_path / "a.db"), "--save", str(key)]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli, ["partnership-key", "--db", str(tmp_path / "b.db"), "--load", str(key)]
        ).exit_code
        == 0
    )
    checks = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}-export"
        result = runner.invoke(
            cli, ["export", "--db", str(tmp_path / f"{name}.db"), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        checks.append((out / "about-this-export.json").read_text())
    key_lines = [
        next(line for line in c.splitlines() if "pseudonym_key_check" in line) for c in checks
    ]
    assert key_lines[0] == key_lines[1]


def test_import_of_a_bundle_merges_it(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 3)
    runner = CliRunner()
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "a long passphrase"}
    runner.invoke(
        cli, ["bundle", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "a.jlb")], env=env
    )
    coordinator = ["--db", str(tmp_path / "c.db")]
    runner.invoke(cli, ["new", *coordinator], env={"JOURNEYAPP_PASSPHRASE": COORDINATOR})
    result = runner.invoke(
        cli,
        ["import", *coordinator, str(tmp_path / "a.jlb")],
        env={**env, "JOURNEYAPP_PASSPHRASE": COORDINATOR},
    )
    assert result.exit_code == 0, result.output
    assert "0 already here" in result.output


def _snapshot(path: Path) -> list[str]:
    """Every table's rows and every schema line of a plain caseload, but the pseudonym key
    (made by the first pseudonymised export tried, and kept for the next)."""
    conn = sqlite3.connect(path)
    try:
        return [line for line in conn.iterdump() if "'pseudonym_key'" not in line]
    finally:
        conn.close()


def test_a_missing_bundle_is_named_before_its_passphrase_is_asked_for(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 4)
    before = _snapshot(tmp_path / "a.db")
    runner = CliRunner()
    missing = tmp_path / "from-aileen.jlb"
    for command in (["merge"], ["import"]):
        # No passphrase anywhere and nothing typed: the missing file is what is wrong.
        result = runner.invoke(cli, [*command, "--db", str(tmp_path / "a.db"), str(missing)])
        assert result.exit_code == 1
        assert f"There is no bundle at {missing}" in result.output or "is missing" in (
            result.output
        ), result.output
        assert "passphrase" not in result.output.casefold()
        assert "Traceback" not in result.output
    # Several bundles: the one that is not there is named, whichever place it has.
    (tmp_path / "real.jlb").write_bytes(b"not looked at")
    result = runner.invoke(
        cli, ["merge", "--db", str(tmp_path / "a.db"), str(tmp_path / "real.jlb"), str(missing)]
    )
    assert result.exit_code == 1
    assert f"There is no bundle at {missing}" in result.output
    assert _snapshot(tmp_path / "a.db") == before


def test_import_of_something_that_is_not_a_file_says_so(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 5)
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "--db", str(tmp_path / "a.db"), "/dev/null"])
    assert result.exit_code == 1
    assert "/dev/null is a device, not a file" in result.output
    result = runner.invoke(cli, ["import", "--db", str(tmp_path / "a.db"), str(tmp_path)])
    assert f"{tmp_path} is a folder" in result.output


def test_an_export_that_cannot_be_written_names_the_place_chosen(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 6)
    before = _snapshot(tmp_path / "a.db")
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    runner = CliRunner()
    for out in (tmp_path / "notes.txt" / "export", tmp_path / "notes.txt" / "export.xlsx"):
        result = runner.invoke(cli, ["export", "--db", str(tmp_path / "a.db"), "--out", str(out)])
        assert result.exit_code == 1
        assert f"{tmp_path / 'notes.txt'} is a file, not a folder" in result.output, result.output
        # Said of --out before the caseload is opened, as for every file to write.
        assert "--out" in result.output
        assert "Nothing was done." in result.output
        # Not the half-written copy's name, nor the OS's error number.
        assert ".partial" not in result.output
        assert "Errno" not in result.output
    # No export folder, no half-written copy left beside the file.
    assert not [p.name for p in tmp_path.iterdir() if "export" in p.name]
    assert _snapshot(tmp_path / "a.db") == before


def test_choosing_a_bundle_s_passphrase_at_the_prompt_says_what_it_is_for(tmp_path: Path) -> None:
    make_laptop(tmp_path / "a.db", 7)
    phrase = "seven green harbour lamps"
    result = CliRunner().invoke(
        cli,
        ["bundle", "--db", str(tmp_path / "a.db"), "--out", str(tmp_path / "a.jlb")],
        input=f"{phrase}\n{phrase}\n",
        env={"JOURNEYAPP_BUNDLE_PASSPHRASE": None},
    )
    assert result.exit_code == 0, result.output
    assert "tell it to your coordinator in person or by phone" in result.output
    assert "caseload cannot be opened" not in result.output
    assert (tmp_path / "a.jlb").is_file()
