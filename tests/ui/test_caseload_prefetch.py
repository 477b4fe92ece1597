"""The rest of the caseload list is fetched off the window's thread, and only for the list shown."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from journeyapp.ui.main_window import MainWindow


def test_the_rest_arrives_without_the_windows_connection(
    qtbot: QtBot,
    demo_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caseload = demo_window.caseload
    everyone = caseload.caseload()
    real = caseload.caseload

    def window_side(*args: Any, **kwargs: Any) -> Any:
        assert kwargs.get("ids") is not None, "every row fetched on the window's thread"
        return real(*args, **kwargs)

    monkeypatch.setattr(caseload, "caseload", window_side)
    demo_window.panel.reload()
    model = demo_window.panel.model
    assert not model.loaded()
    qtbot.waitUntil(model.loaded, timeout=10_000)
    assert model._base_rows == everyone


def test_rows_for_a_list_reloaded_meanwhile_are_not_used(
    qtbot: QtBot,
    demo_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = demo_window.panel
    taken: list[int] = []
    real = panel.model.take_rest
    monkeypatch.setattr(
        panel.model, "take_rest", lambda rows: (taken.append(len(rows)), real(rows))
    )
    panel.reload()  # its own fetch starts a moment later
    panel._prefetch()  # a fetch for this list starts now…
    panel._loads += 1  # …and the list is "reloaded" before those rows arrive
    qtbot.waitUntil(panel.model.loaded, timeout=10_000)  # the later fetch's rows go in
    qtbot.wait(300)
    assert len(taken) == 1  # the earlier fetch's rows were dropped
