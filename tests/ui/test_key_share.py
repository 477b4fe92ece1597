"""Partnership > Share the pseudonym key…: the window's save and load are the command line's
(`partnership-key --save/--load`), so two laptops' pseudonymised exports name a parent with the
same pseudonym whichever way the key travelled; a refused file or answer leaves the key."""

from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.demo import build_demo
from journeyapp.ui.dialogs.key_share import load_key, save_key
from tests.ui.shell_helpers import make_window, with_modal


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the information and warning boxes said (each answered at once)."""
    words: list[str] = []

    def record(parent: object, title: str, text: str, *rest: object) -> object:
        words.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", staticmethod(record))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(record))
    return words


def two_laptops(tmp_path: Path) -> tuple[Path, Path]:
    """Two laptops holding the same three parents (one a copy of the other), neither with a
    pseudonym key yet."""
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    c = Caseload.open(a, create=True, plain=True)
    build_demo(c, participants=3, seed=4)
    c.close()
    shutil.copy(a, b)
    return a, b


def exported_pseudonyms(db: Path, out: Path) -> set[str]:
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "participants.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["participant"] for row in csv.DictReader(handle)}


def kept(db: Path) -> bytes | None:
    c = Caseload.open(db, plain=True)
    try:
        return c.exchange.kept_pseudonym_key()
    finally:
        c.close()


def test_saved_in_the_window_loaded_by_the_command(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: list[str]
) -> None:
    a, b = two_laptops(tmp_path)
    # Laptop b made its own key with an export first: those pseudonyms differ from a's.
    before = exported_pseudonyms(b, tmp_path / "b-before")
    key = tmp_path / "partnership.key"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(key), ""))
    )
    caseload = Caseload.open(a, plain=True)
    window = make_window(qtbot, caseload)

    def save(dialog: QDialog) -> None:
        [button] = [b for b in dialog.findChildren(QPushButton) if "Save the key" in b.text()]
        button.click()

    try:
        with_modal(qtbot, window.share_key_action.trigger, save)
    finally:
        window.bus.detach()
        window.close()
        caseload.close()
    assert key.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "Give this file to each laptop" in said[-1]
    assert "not the caseload's passphrase" in said[-1]
    loaded = CliRunner().invoke(cli, ["partnership-key", "--db", str(b), "--load", str(key)])
    assert loaded.exit_code == 0, loaded.output
    assert kept(a) == kept(b)
    here = exported_pseudonyms(a, tmp_path / "a-export")
    there = exported_pseudonyms(b, tmp_path / "b-export")
    assert len(here) == 3
    assert here == there
    assert not here & before


def test_saved_by_the_command_loaded_in_the_window(
    qtbot: QtBot, tmp_path: Path, said: list[str]
) -> None:
    a, b = two_laptops(tmp_path)
    before = exported_pseudonyms(b, tmp_path / "b-before")
    key = tmp_path / "partnership.key"
    saved = CliRunner().invoke(cli, ["partnership-key", "--db", str(a), "--save", str(key)])
    assert saved.exit_code == 0, saved.output
    asked: list[str] = []
    caseload = Caseload.open(b, plain=True)
    try:
        # b's own key was used for an export: loading asks first, saying what changes.
        assert not load_key(None, caseload, key, agree=lambda q: asked.append(q) or False)
        assert caseload.exchange.kept_pseudonym_key() != kept(a)
        assert "different pseudonym from those earlier exports" in asked[-1]
        assert "records do not change" in asked[-1]
        assert load_key(None, caseload, key, agree=lambda q: True)
        assert "now uses the partnership's pseudonym key" in said[-1]
        # Loaded twice: nothing asked, nothing changed.
        assert not load_key(None, caseload, key, agree=lambda q: pytest.fail(q))
        assert "already uses the key" in said[-1]
    finally:
        caseload.close()
    here = exported_pseudonyms(a, tmp_path / "a-export")
    there = exported_pseudonyms(b, tmp_path / "b-export")
    assert len(here) == 3
    assert here == there
    assert not there & before


def damaged_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Files that are no key file, each with the words that say what it is."""
    files = {
        "not hex": ("this is a shopping list\n", "holds words or other text"),
        "too short": ("00ff00ff\n", "too short a key"),
        "empty": ("", "is empty"),
        "blank": (" \n\n", "is empty"),
        "a picture": ("\x89PNG\r\n\x1a\n\x00\x00\xff", "is not text"),
    }
    made = {}
    for what, (text, words) in files.items():
        path = tmp_path / f"{what}.key"
        path.write_text(text, encoding="latin-1")
        made[what] = (path, words)
    caseload = tmp_path / "a caseload.db"
    Caseload.open(caseload, create=True, plain=True).close()
    made["a caseload"] = (caseload, "is a caseload or a backup")
    made["a folder"] = (tmp_path / "folder.key", "is a folder")
    made["a folder"][0].mkdir()
    made["missing"] = (tmp_path / "not-there.key", "No such file")
    made["a named pipe"] = (tmp_path / "pipe.key", "is a named pipe")
    os.mkfifo(made["a named pipe"][0])  # read, it would wait for a writer for ever
    big = tmp_path / "big.key"
    big.write_text("ab" * 40_000)
    made["too big"] = (big, "far too big")
    return made


@pytest.mark.parametrize("has_key", [True, False])
def test_a_wrong_or_damaged_file_is_refused_and_the_key_kept(
    tmp_path: Path, said: list[str], has_key: bool
) -> None:
    db = tmp_path / "c.db"
    c = Caseload.open(db, create=True, plain=True)
    if has_key:
        c.exchange.pseudonym_key()
    was = c.exchange.kept_pseudonym_key()
    c.close()
    for what, (path, what_it_is) in damaged_files(tmp_path).items():
        said.clear()
        c = Caseload.open(db, plain=True)
        try:
            assert not load_key(None, c, path, agree=lambda q: pytest.fail(q)), what
        finally:
            c.close()
        [words] = said
        assert str(path) in words, (what, words)
        assert what_it_is in words, (what, words)
        assert "Traceback" not in words
        assert kept(db) == was, what
        # The command line refuses the same file too, and keeps the key.
        refused = CliRunner().invoke(cli, ["partnership-key", "--db", str(db), "--load", str(path)])
        assert refused.exit_code != 0, what
        assert kept(db) == was, what


def test_saving_over_a_file_is_refused_and_makes_no_key(tmp_path: Path, said: list[str]) -> None:
    there = tmp_path / "partnership.key"
    there.write_text("someone's shopping list\n")
    c = Caseload.open(tmp_path / "c.db", create=True, plain=True)
    try:
        assert not save_key(None, c, there)
        assert "already exists; choose a new file name" in said[-1]
        assert there.read_text() == "someone's shopping list\n"
        assert c.exchange.kept_pseudonym_key() is None
    finally:
        c.close()


@pytest.mark.parametrize(("answer", "loads"), [("No", False), ("Yes", True)])
def test_the_window_asks_before_replacing_a_key_used_here(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    said: list[str],
    answer: str,
    loads: bool,
) -> None:
    a, b = two_laptops(tmp_path)
    key = tmp_path / "partnership.key"
    saved = CliRunner().invoke(cli, ["partnership-key", "--db", str(a), "--save", str(key)])
    assert saved.exit_code == 0, saved.output
    exported_pseudonyms(b, tmp_path / "b-before")  # b's own key, used for an export
    own = kept(b)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(key), ""))
    )
    caseload = Caseload.open(b, plain=True)
    window = make_window(qtbot, caseload)
    asked: list[str] = []

    def answer_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or "already has a different" not in box.text():
            QTimer.singleShot(10, answer_when_asked)
            return
        asked.append(box.text())
        [button] = [b for b in box.buttons() if b.text().replace("&", "") == answer]
        button.click()

    def load(dialog: QDialog) -> None:
        [button] = [b for b in dialog.findChildren(QPushButton) if "Load a key" in b.text()]
        QTimer.singleShot(0, answer_when_asked)
        button.click()

    try:
        with_modal(qtbot, window.share_key_action.trigger, load)
        qtbot.waitUntil(lambda: bool(asked))
        now = caseload.exchange.kept_pseudonym_key()
    finally:
        window.bus.detach()
        window.close()
        caseload.close()
    assert "Parents' records do not change" in asked[0]
    assert now == (kept(a) if loads else own)
    assert now == kept(b)
