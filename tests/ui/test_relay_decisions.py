"""The decision list of a coordinator that did not enrol the laptops: every value on offer."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.ui.dialogs.exchange import open_decisions
from journeyapp.ui.models.decisions_model import Column
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "correct horse battery"


def test_a_coordinator_not_enrolled_with_the_laptops_is_offered_each_laptops_value(
    qtbot: QtBot, qtmodeltester: object, tmp_path: Path
) -> None:
    """Aileen's and Ben's bundles merged straight into a coordinator that enrolled neither: the
    window and `journeyapp decisions` offer both their values (Aileen's was dropped from the
    list when Ben's came), and keeping Ben's leaves Aileen's waiting in the same row."""
    opened = []
    for name in ("Aileen", "Ben", "Coordinator"):
        c = Caseload.open(tmp_path / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        opened.append(c)
    aileen, ben, coord = opened

    def send(src: Caseload, dst: Caseload) -> None:
        out = tmp_path / f"{src.actor}-{len(list(tmp_path.glob('*.jlb')))}.jlb"
        write_bundle(src, out, PASSPHRASE)
        merge_bundle(dst, out, PASSPHRASE)

    try:
        parent = aileen.enrol_participant("Siobhán", "fife", date(2026, 9, 1), keyworker="Aileen")
        send(aileen, ben)
        aileen.update_participant(parent.id, keyworker="Aileen Grant")
        ben.update_participant(parent.id, keyworker="Ben Moss")
        send(aileen, coord)
        send(ben, coord)

        dialog = open_decisions(None, coord)
        qtbot.addWidget(dialog)
        qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
        model = dialog.model

        def rows() -> list[tuple[str, str]]:
            return [
                (
                    model.index(r, Column.HERE).data().split("  — ")[0],
                    model.index(r, Column.INCOMING).data().split("  — ")[0],
                )
                for r in range(model.rowCount())
            ]

        assert rows() == [("Aileen", "Aileen Grant"), ("Aileen", "Ben Moss")]
        listed = CliRunner().invoke(cli, ["decisions", "--db", str(tmp_path / "Coordinator.db")])
        assert listed.exit_code == 0, listed.output
        offered = re.findall(r": here '([^']*)' \(.*\) \| incoming '([^']*)' \(", listed.output)
        assert offered == rows()
        assert f"incoming 'Ben Moss' (Ben on laptop {ben.device_id[:8]}" in listed.output

        dialog.table.selectRow(1)
        qtbot.mouseClick(dialog.keep_incoming, Qt.MouseButton.LeftButton)
        assert coord.participant(parent.id).keyworker == "Ben Moss"
        assert dialog.status.text() == "Saved: kept Ben Moss for keyworker."
        assert rows() == [("Ben Moss", "Aileen Grant")]
        send(aileen, coord)
        send(ben, coord)
        assert rows() == [("Ben Moss", "Aileen Grant")]
        dialog.reload()
        assert rows() == [("Ben Moss", "Aileen Grant")]
    finally:
        for c in opened:
            c.close()
