"""A removal that had not seen a change, as the coordinator meets it in Needs a decision…:
what is asked, and what the answer did, in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.records import Contact
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.ui.dialogs.exchange import open_decisions
from journeyapp.ui.models.decisions_model import Column
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "correct horse battery"
WORDS = "She said: I want to try the college course in January"


@pytest.fixture
def coordinator(tmp_path: Path) -> Iterator[Caseload]:
    """A coordinator holding Aileen's removal of a contact Brian changed, not having seen it."""
    opened = []
    for name in ("Aileen", "Brian", "Coordinator"):
        c = Caseload.open(tmp_path / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        opened.append(c)
    for c in opened:
        for other in opened:
            if other is not c:
                c.exchange.enrol_code(other.exchange.enrolment_code(), f"{other.actor}'s laptop")
    aileen, brian, coord = opened

    def send(src: Caseload, dst: Caseload) -> None:
        out = tmp_path / f"{src.actor}-{len(list(tmp_path.glob('*.jlb')))}.jlb"
        write_bundle(src, out, PASSPHRASE)
        merge_bundle(dst, out, PASSPHRASE)

    pid = aileen.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
    contact = aileen.log_contact(pid, on=TODAY - timedelta(days=30), note="Talked about college")
    send(aileen, brian)
    aileen.delete_record("contacts", contact.id)
    brian.update_record("contacts", contact.id, note=WORDS)
    send(aileen, coord)
    send(brian, coord)
    yield coord
    for c in opened:
        c.close()


@pytest.mark.parametrize(
    ("button", "said", "left"),
    [
        ("keep_here", "Saved: the contact was kept.", [WORDS]),
        ("keep_incoming", "Saved: the contact was removed.", []),
    ],
)
def test_the_question_and_its_answer_in_words(
    qtbot: QtBot, coordinator: Caseload, button: str, said: str, left: list[str]
) -> None:
    dialog = open_decisions(None, coordinator)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 1
    detail = model.index(0, Column.DETAIL).data()
    assert detail.startswith("Remove this contact? Removed on one laptop, changed on another")
    assert "not enrolled" not in detail
    assert model.index(0, Column.HERE).data().startswith("keep  — Brian on Brian's laptop")
    assert model.index(0, Column.INCOMING).data().startswith("remove  — Aileen on Aileen's")
    dialog.table.selectRow(0)
    qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.status.text() == said
    assert [c.note for c in coordinator.all_records(Contact)] == left
    assert model.rowCount() == 0
