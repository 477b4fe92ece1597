"""The security commands: passphrase, backup, restore, retention, erase, and passphrase input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import describe
from journeyapp.cli import cli
from journeyapp.core.enums import ParticipantStatus
from journeyapp.store.db import FileKind

PHRASE = "four quiet river stones"


@pytest.fixture
def secret_db(tmp_path: Path) -> Path:
    path = tmp_path / "secret.db"
    caseload = Caseload.open(path, PHRASE, create=True)
    for name in ("Aoife", "Bea"):
        caseload.enrol_participant(name, "fife")
    caseload.close()
    return path


def test_a_demo_caseload_opens_without_a_passphrase_and_says_demo(
    runner: CliRunner, demo_db: Path
) -> None:
    result = runner.invoke(cli, ["check", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "DEMO" in result.stderr
    assert describe(demo_db).kind == FileKind.PLAIN


@pytest.mark.slow
def test_passphrase_encrypts_then_changes(runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["passphrase", "--db", str(demo_db)],
        input=f"{PHRASE}\n{PHRASE}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Passphrase changed" in result.stdout
    assert describe(demo_db).kind == FileKind.ENCRYPTED
    # Typed twice, differently: refused, nothing changed.
    result = runner.invoke(
        cli,
        ["passphrase", "--db", str(demo_db)],
        input=f"{PHRASE}\nsome other long phrase\nsome other long phrase!\n",
    )
    assert result.exit_code == 1
    assert "not the same" in result.stderr
    new = tmp_path / "new.txt"
    new.write_text("seven purple kites over the bay\n", encoding="utf-8")
    result = runner.invoke(
        cli,
        ["passphrase", "--db", str(demo_db), "--new-passphrase-file", str(new)],
        env={"JOURNEYAPP_PASSPHRASE": PHRASE},
    )
    assert result.exit_code == 0, result.output
    Caseload.open(demo_db, "seven purple kites over the bay").close()


def test_weak_passphrases_are_refused_with_the_reason(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(
        cli, ["passphrase", "--db", str(demo_db)], input="catcatcatcat\ncatcatcatcat\n"
    )
    assert result.exit_code == 1
    assert "one word or character repeated" in result.stderr
    assert describe(demo_db).kind == FileKind.PLAIN


def test_the_passphrase_comes_from_env_file_or_prompt(
    runner: CliRunner, secret_db: Path, tmp_path: Path
) -> None:
    by_env = runner.invoke(
        cli, ["check", "--db", str(secret_db)], env={"JOURNEYAPP_PASSPHRASE": PHRASE}
    )
    assert by_env.exit_code == 0, by_env.output
    file = tmp_path / "phrase.txt"
    file.write_text(PHRASE + "\n", encoding="utf-8")
    by_file = runner.invoke(cli, ["check", "--db", str(secret_db), "--passphrase-file", str(file)])
    assert by_file.exit_code == 0, by_file.output
    by_prompt = runner.invoke(cli, ["check", "--db", str(secret_db)], input=PHRASE + "\n")
    assert by_prompt.exit_code == 0, by_prompt.output
    assert PHRASE not in by_prompt.output  # the prompt hides what is typed
    wrong = runner.invoke(
        cli, ["check", "--db", str(secret_db)], env={"JOURNEYAPP_PASSPHRASE": "not the one at all"}
    )
    assert wrong.exit_code == 1
    assert "does not open" in wrong.stderr
    assert "Traceback" not in wrong.output
    nothing = runner.invoke(cli, ["check", "--db", str(secret_db)], input="")
    assert nothing.exit_code == 1
    assert "JOURNEYAPP_PASSPHRASE" in nothing.stderr


def test_backup_and_restore_commands(runner: CliRunner, secret_db: Path, tmp_path: Path) -> None:
    env = {"JOURNEYAPP_PASSPHRASE": PHRASE}
    out = tmp_path / "copy.db"
    made = runner.invoke(cli, ["backup", "--db", str(secret_db), "--out", str(out)], env=env)
    assert made.exit_code == 0, made.output
    assert "2 parents" in made.stdout
    assert "encrypted" in made.stdout
    caseload = Caseload.open(secret_db, PHRASE)
    caseload.enrol_participant("Later", "fife")
    caseload.close()
    back = runner.invoke(cli, ["restore", "--db", str(secret_db), str(out)], env=env)
    assert back.exit_code == 0, back.output
    assert "kept at" in back.stdout
    caseload = Caseload.open(secret_db, PHRASE)
    assert len(caseload.participants()) == 2
    caseload.close()


def test_a_plain_backup_is_not_put_in_place_of_an_encrypted_caseload(
    runner: CliRunner, secret_db: Path, demo_db: Path, tmp_path: Path
) -> None:
    env = {"JOURNEYAPP_PASSPHRASE": PHRASE}
    before = secret_db.read_bytes()
    refused = runner.invoke(cli, ["restore", "--db", str(secret_db), str(demo_db)], env=env)
    assert refused.exit_code != 0
    assert "Traceback" not in refused.output
    assert "is not encrypted, and the caseload secret.db is" in refused.stderr
    assert "Nothing was changed" in refused.stderr
    # Nothing changed: the caseload's bytes, still encrypted, nothing kept aside.
    assert secret_db.read_bytes() == before
    assert describe(secret_db).kind == FileKind.ENCRYPTED
    assert not list(tmp_path.glob("secret.db.before-restore-*"))
    # As the message says: encrypted first, the same backup is restored.
    encrypt = tmp_path / "new.txt"
    encrypt.write_text(PHRASE + "\n", encoding="utf-8")
    encrypt.chmod(0o600)
    done = runner.invoke(
        cli, ["passphrase", "--db", str(demo_db), "--new-passphrase-file", str(encrypt)]
    )
    assert done.exit_code == 0, done.output
    back = runner.invoke(cli, ["restore", "--db", str(secret_db), str(demo_db)], env=env)
    assert back.exit_code == 0, back.output
    assert describe(secret_db).kind == FileKind.ENCRYPTED


def test_commands_that_save_refuse_while_the_window_has_the_caseload(
    runner: CliRunner, secret_db: Path
) -> None:
    window = Caseload.open(secret_db, PHRASE, exclusive=True)
    env = {"JOURNEYAPP_PASSPHRASE": PHRASE}
    saving = runner.invoke(cli, ["retention", "--years", "5", "--db", str(secret_db)], env=env)
    reading = runner.invoke(cli, ["check", "--db", str(secret_db)], env=env)  # reads only
    window.close()
    assert saving.exit_code == 1
    assert f"{secret_db} is already open" in saving.stderr
    assert "Close the JourneyApp window for this caseload" in saving.stderr
    assert reading.exit_code == 0, reading.output
    assert "Integrity: ok" in reading.stdout


def test_retention_and_erase_commands(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    caseload = Caseload.open(path, create=True, plain=True)
    gone = caseload.enrol_participant("Closed Long Ago", "fife")
    caseload.set_status(gone.id, ParticipantStatus.CLOSED)
    caseload.close()
    listed = runner.invoke(cli, ["retention", "--db", str(path)])
    assert listed.exit_code == 0, listed.output
    assert "No closed journeys" in listed.stdout
    wrong = runner.invoke(cli, ["erase", "--db", str(path), gone.id], input="Someone else\n")
    assert wrong.exit_code == 1
    assert "does not match" in wrong.stderr
    done = runner.invoke(cli, ["erase", "--db", str(path), gone.id], input="Closed Long Ago\n")
    assert done.exit_code == 0, done.output
    caseload = Caseload.open(path, create=True, plain=True)
    assert caseload.safety.is_erased(gone.id)
    assert caseload.participants() == []
    caseload.close()
    unknown = runner.invoke(cli, ["erase", "--db", str(path), "nobody"], input="x\n")
    assert unknown.exit_code == 1


def test_erase_by_part_of_a_name_lists_who_it_matches_and_erases_nobody(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "plain.db"
    caseload = Caseload.open(path, create=True, plain=True)
    leah = caseload.enrol_participant("Leah", "fife", full_name="Leah Brightwater")
    lea = caseload.enrol_participant("Leanne", "glasgow")
    caseload.close()
    # "Lea" is part of both names: neither is erased, both are named with their ids.
    result = runner.invoke(cli, ["erase", "--db", str(path), "Lea"], input="Leah\n")
    assert result.exit_code == 1
    assert "not part of a name" in result.stderr
    assert f"Leah (Leah Brightwater) · Fife · id {leah.id}" in result.stderr
    assert f"Leanne · Glasgow · id {lea.id}" in result.stderr
    assert "Nothing was erased." in result.stderr
    # The whole of one name is still only a name.
    result = runner.invoke(cli, ["erase", "--db", str(path), "Leah"], input="Leah\n")
    assert result.exit_code == 1
    assert f"· id {leah.id}" in result.stderr
    assert "retention" not in result.stderr  # it lists closed journeys only: no help here
    nobody = runner.invoke(cli, ["erase", "--db", str(path), "Zed"], input="x\n")
    assert nobody.exit_code == 1
    assert "No parent matches 'Zed'" in nobody.stderr
    caseload = Caseload.open(path, create=True, plain=True)
    assert sorted(p.preferred_name for p in caseload.participants()) == ["Leah", "Leanne"]
    caseload.close()


@pytest.mark.parametrize("command", ["passphrase", "backup", "restore", "retention", "erase"])
def test_every_security_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "--db" in result.output
