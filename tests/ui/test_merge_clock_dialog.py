"""Partnership > Merge a journey log… from a laptop whose clock is ahead: merged whole, and the
message after it says which clock to check."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.dates import long_date
from journeyapp.core.merge import MergeResult
from journeyapp.demo import build_demo
from journeyapp.exchange.bundle import write_bundle
from journeyapp.ui.dialogs.bundle_dialog import merge_from_bundle
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import with_modal

BUNDLE_PASSPHRASE = "a bundle passphrase"


def test_merging_a_bundle_from_a_laptop_ahead_says_to_check_the_clocks(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ahead = TODAY + timedelta(days=100)
    aileen = Caseload.open(tmp_path / "aileen.db", create=True, plain=True, actor="aileen")
    aileen.clock = ticking_clock(ahead)
    coordinator = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="coord")
    coordinator.clock = ticking_clock(TODAY)
    try:
        build_demo(aileen, participants=2, seed=5, today=ahead)
        coordinator.exchange.enrol_code(aileen.exchange.enrolment_code(), "Aileen's laptop")
        out = tmp_path / "aileen.jlb"
        events = write_bundle(aileen, out, BUNDLE_PASSPHRASE)
        shown: list[tuple[str, str]] = []

        def read(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            shown.append((box.windowTitle(), box.text()))
            box.accept()

        merged: list[MergeResult] = []
        with_modal(
            qtbot,
            lambda: merge_from_bundle(
                None, coordinator, path=out, passphrase=BUNDLE_PASSPHRASE, done=merged.append
            ),
            read,
            kind=QMessageBox,
            timeout=20_000,
        )
        qtbot.waitUntil(lambda: bool(merged))
        # Refused before, in an error message ("... is in the future"); nothing was merged.
        assert coordinator.counts() == aileen.counts()
        assert shown == [
            (
                "Journey log merged",
                f"{events:,} events received; {events:,} new; 0 already here; 0 edits need a "
                f"decision.\n\n{events:,} of the new events were written on a laptop whose "
                f"clock was ahead of this one (the latest on {long_date(ahead)}; today here is "
                f"{long_date(TODAY)}). They were merged as written. Check the date and time on "
                "this laptop, and on the laptop that wrote them (Aileen's laptop).",
            )
        ]
    finally:
        aileen.close()
        coordinator.close()


def test_merging_a_bundle_from_a_laptop_not_enrolled_names_it_and_how_to_enrol(
    qtbot: QtBot, tmp_path: Path
) -> None:
    aileen = Caseload.open(tmp_path / "aileen.db", create=True, plain=True, actor="aileen")
    aileen.clock = ticking_clock(TODAY)
    coordinator = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="coord")
    coordinator.clock = ticking_clock(TODAY)
    try:
        build_demo(aileen, participants=2, seed=5, today=TODAY)
        out = tmp_path / "aileen.jlb"
        write_bundle(aileen, out, BUNDLE_PASSPHRASE)
        shown: list[str] = []

        def read(box: QDialog) -> None:
            assert isinstance(box, QMessageBox)
            shown.append(box.text())
            box.accept()

        merged: list[MergeResult] = []
        with_modal(
            qtbot,
            lambda: merge_from_bundle(
                None, coordinator, path=out, passphrase=BUNDLE_PASSPHRASE, done=merged.append
            ),
            read,
            kind=QMessageBox,
            timeout=20_000,
        )
        qtbot.waitUntil(lambda: bool(merged))
        assert coordinator.counts() == aileen.counts()  # what it adds is merged
        [text] = shown
        assert (
            f"aileen.jlb (laptop {aileen.device_id[:8]}) was written on a laptop not enrolled "
            "here" in text
        )
        assert "Partnership > Laptops in the partnership…" in text
    finally:
        aileen.close()
        coordinator.close()
