"""Caseload.open, the one way in: what a new path becomes, and what `check` looks at."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.errors import NotADatabase, PassphraseNeeded, ValidationError
from journeyapp.store.db import SQLITE_HEADER

KEY = bytes(range(32))  # a raw key: no slow key derivation in tests


def test_a_new_path_without_a_key_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with pytest.raises(PassphraseNeeded, match="new caseload is encrypted: choose a passphrase"):
        Caseload.open(path, create=True)
    assert not path.exists()
    with pytest.raises(NotADatabase, match="There is no caseload at"):
        Caseload.open(path, KEY)  # without create, nothing is made either
    assert not path.exists()


def test_a_new_path_with_a_key_is_an_encrypted_caseload(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    caseload = Caseload.open(path, "seven purple kites over the bay", create=True)
    caseload.enrol_participant("Aileen", "fife")
    assert caseload.is_encrypted
    assert not caseload.is_demo
    caseload.close()
    assert path.read_bytes()[:16] != SQLITE_HEADER
    reopened = Caseload.open(path, "seven purple kites over the bay")
    assert [p.preferred_name for p in reopened.participants()] == ["Aileen"]
    reopened.close()


def test_demo_is_a_plain_file_marked_demo(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    caseload = Caseload.open(path, create=True, demo=True)
    assert caseload.is_demo
    assert not caseload.is_encrypted
    caseload.close()
    assert path.read_bytes()[:16] == SQLITE_HEADER
    with pytest.raises(ValidationError, match="not encrypted"):
        Caseload.open(tmp_path / "other.db", KEY, create=True, demo=True)


def test_plain_is_unencrypted_and_not_demo_and_older_plain_files_still_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.db"
    Caseload.open(path, create=True, plain=True).close()
    assert path.read_bytes()[:16] == SQLITE_HEADER
    again = Caseload.open(path)  # an existing plain file opens without a key
    assert not again.is_demo
    assert not again.is_encrypted
    again.close()


def test_check_levels(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    caseload = Caseload.open(path, KEY, create=True)
    for i in range(20):
        caseload.enrol_participant(f"Parent {i}", "fife", notes="n" * 400)
    assert caseload.safety.quick_check() == []
    assert caseload.safety.whole_file_check() == []
    caseload.close()
    for level in ("none", "quick", "full"):
        Caseload.open(path, KEY, check=level).close()


def test_check_reports_records_that_belong_to_no_parent(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    caseload = Caseload.open(path, create=True, plain=True)
    pid = caseload.enrol_participant("Aileen", "fife").id
    caseload.log_contact(pid, note="a chat")
    caseload.close()
    assert CliRunner().invoke(cli, ["check", "--db", str(path)]).exit_code == 0
    with sqlite3.connect(path) as raw:  # what an undo past an import used to leave behind
        raw.execute("DELETE FROM participants WHERE id = ?", [pid])
    raw.close()
    result = CliRunner().invoke(cli, ["check", "--db", str(path)])
    assert result.exit_code == 1
    assert "contacts belong to a parent no longer stored" in result.output
    assert "no longer in the caseload" in result.output
    assert "Traceback" not in result.output


def test_only_the_caseload_package_opens_a_database() -> None:
    """Nothing opens a caseload except through Caseload.open (DESIGN §4)."""
    package = Path(__file__).resolve().parents[2] / "journeyapp"
    callers = {
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "open_database(" in path.read_text(encoding="utf-8")
    }
    assert {c for c in callers if not c.startswith("caseload/")} == {"store/db.py"}
    assert callers - {"store/db.py"}, "the caseload package opens it"
