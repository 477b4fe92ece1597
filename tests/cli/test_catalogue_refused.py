"""A partnership catalogue that breaks a rule is refused by every command in one line naming the
file and what to put right, leaving the folder as it was; one saved by Notepad (with a
byte-order mark) is read. The real commands, a real demo caseload."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.cli import cli
from tests.catalogues import DEFAULT
from tests.cli.refusals import folder_state, refused
from tests.clock import real_quarter

FAULTS = [
    (DEFAULT.replace('key = "fife"', 'key = "Fife"'), 'as key = "fife"'),
    (DEFAULT.replace('label = "Fife"', 'label = "Edinburgh"'), "read the same"),
    (DEFAULT.replace("[[partners]]", "[[partner]]"), "did you mean partners?"),
    (DEFAULT.replace("job_entry = true", "job-entry = true"), "did you mean job_entry?"),
    (DEFAULT.replace("pipeline = 4", "pipline = 4"), "did you mean pipeline?"),
    (DEFAULT.replace("number = 5", "number = 4"), "appears twice"),
]
COMMANDS = [
    ["report"],
    ["export", "--out", "out"],
    ["plans", "--out", "plans"],
    ["check"],
]


@pytest.mark.parametrize(("text", "words"), FAULTS, ids=[w for _, w in FAULTS])
@pytest.mark.parametrize("argv", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_a_catalogue_breaking_a_rule_is_refused_by_every_command(
    runner: CliRunner, demo_db: Path, tmp_path: Path, text: str, words: str, argv: list[str]
) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text(text, encoding="utf-8")
    before = folder_state(tmp_path)
    result = runner.invoke(
        cli,
        [argv[0], "--db", str(demo_db), *argv[1:]],
        env={"JOURNEYAPP_CATALOGUE": str(ours)},
    )
    refused(result, str(ours), words)
    assert folder_state(tmp_path) == before


def test_a_new_demo_is_not_made_with_a_catalogue_breaking_a_rule(
    runner: CliRunner, tmp_path: Path
) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text(FAULTS[0][0], encoding="utf-8")
    result = runner.invoke(
        cli, ["demo", "--db", str(tmp_path / "new.db")], env={"JOURNEYAPP_CATALOGUE": str(ours)}
    )
    refused(result, str(ours), FAULTS[0][1])
    assert not (tmp_path / "new.db").exists()


def test_a_catalogue_saved_with_a_byte_order_mark_is_read(
    runner: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_bytes(b"\xef\xbb\xbf" + DEFAULT.replace("Fife", "Kingdom of Fife").encode())
    result = runner.invoke(
        cli, ["report", "--db", str(demo_db)], env={"JOURNEYAPP_CATALOGUE": str(ours)}
    )
    assert result.exit_code == 0, result.output
    assert "Making It Work" in result.output


@pytest.mark.parametrize(
    ("variable", "argv"),
    [
        ("JOURNEYAPP_CATALOGUE", ["report"]),
        ("JOURNEYAPP_CODES", ["return", "--quarter", real_quarter(), "--check"]),
    ],
)
def test_a_setting_file_variable_of_spaces_only_is_refused_naming_it(
    runner: CliRunner, demo_db: Path, tmp_path: Path, variable: str, argv: list[str]
) -> None:
    before = folder_state(tmp_path)
    result = runner.invoke(cli, [argv[0], "--db", str(demo_db), *argv[1:]], env={variable: "  "})
    # It said "Cannot read the catalogue   : No such file or directory."
    refused(result, f"${variable} is set to spaces only", "unset it")
    assert folder_state(tmp_path) == before
