"""Partnership > Send my journey log… offers a name of its own for each laptop and day: three
keyworkers' bundles given to one coordinator (or on one memory stick) never share a name,
and next week's is not refused as already there."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.documents import Sender
from journeyapp.ui.dialogs.bundle_dialog import send_bundle


def offered_name(monkeypatch: pytest.MonkeyPatch, caseload: Caseload) -> str:
    seen: list[str] = []

    def ask(*args: object, **_kwargs: object) -> tuple[str, str]:
        seen.append(str(args[2]))
        return "", ""  # the person cancels: nothing is written

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    assert send_bundle(None, caseload) is None
    [where] = seen
    return Path(where).name


def test_the_bundle_is_offered_under_the_laptops_name_and_the_day(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = caseload.today().isoformat()
    assert offered_name(monkeypatch, caseload) == f"journey-log-{day}.jlb"
    caseload.settings.set_sender(Sender(keyworker="Aileen"))
    assert offered_name(monkeypatch, caseload) == f"aileen-{day}.jlb"
    caseload.settings.set_sender(Sender(keyworker="Aileen", device_name="Aileen's laptop"))
    assert offered_name(monkeypatch, caseload) == f"aileens-laptop-{day}.jlb"
    # One sent already today in the folder offered: the next has a name of its own.
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    (paths.browse_dir() / f"aileens-laptop-{day}.jlb").write_bytes(b"sent")
    assert offered_name(monkeypatch, caseload) == f"aileens-laptop-{day}-2.jlb"
