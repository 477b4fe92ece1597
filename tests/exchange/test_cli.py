"""The exchange commands end to end: bundle, merge, decisions, partnership key."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.demo import build_demo
from tests.clock import ticking_clock
from tests.conftest import TODAY


def make_laptop(path: Path, seed: int) -> None:
    c = Caseload.open(path, create=True, plain=True, clock=ticking_clock(TODAY))
    build_demo(c, participants=3, seed=seed, today=TODAY)
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
    # Merging never creates a caseload (it would be an unencrypted one): it refuses clearly.
    refused = runner.invoke(cli, ["merge", *coordinator, str(tmp_path / "a.jlb")], env=env)
    assert refused.exit_code == 1
    assert "new caseload is encrypted" in refused.output
    assert not (tmp_path / "coord.db").exists()
    Caseload.open(tmp_path / "coord.db", create=True, plain=True).close()
    merged = runner.invoke(
        cli, ["merge", *coordinator, str(tmp_path / "a.jlb"), "--passphrase-file", str(secret)]
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
    Caseload.open(tmp_path / "c.db", create=True, plain=True).close()  # the coordinator's
    result = runner.invoke(
        cli, ["import", "--db", str(tmp_path / "c.db"), str(tmp_path / "a.jlb")], env=env
    )
    assert result.exit_code == 0, result.output
    assert "0 already here" in result.output
