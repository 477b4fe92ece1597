"""The caseload list after a change: a few parents' rows are fetched again, not the whole list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.erase import EraseDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.models.caseload_table_model import Column
from journeyapp.ui.widgets.caseload_panel import count_line
from tests.ui.shell_helpers import with_modal


def test_a_contact_updates_that_row_without_reloading_the_list(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    panel = demo_window.panel
    panel.model.load_rest()
    overdue = next(r for r in demo_caseload.caseload() if r.overdue)
    panel.select(overdue.id)
    panel.overdue_filter.setChecked(True)
    assert overdue.id in {r.id for r in panel.visible_rows()}
    with qtbot.assertNotEmitted(panel.model.modelReset):
        demo_caseload.log_contact(overdue.id, on=demo_caseload.today())
    row = panel.model.row_of(overdue.id)
    assert panel.model.index(row, Column.LAST_CONTACT).data() == "28 Nov"
    # The overdue-only filter lets them go, and the count line says so.
    assert overdue.id not in {r.id for r in panel.visible_rows()}
    rows = demo_caseload.caseload()
    still = sum(r.overdue for r in rows)
    assert panel.count_label.text() == count_line(still, len(rows), still)


def test_a_change_to_a_name_reloads_the_list_in_order(
    demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    panel = demo_window.panel
    panel.model.load_rest()
    first = panel.model.row_at(0)
    demo_caseload.update_participant(first.id, preferred_name="Zoë")
    names = [r.preferred_name for r in panel.model.rows()]
    assert names[-1] == "Zoë"
    assert panel.model.rowCount() == len(demo_caseload.caseload())


def test_erasing_the_open_parent_takes_them_off_the_list_and_closes_their_workspace(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    who = demo_window.panel.model.row_at(3)
    demo_window.panel.select(who.id)
    demo_window.open_participant(who.id)
    assert demo_window.erase_action.isEnabled()

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, EraseDialog)
        dialog.confirm.setText(who.preferred_name)
        dialog.erase_button.click()

    with_modal(qtbot, demo_window.erase_participant, confirm)
    assert demo_window.panel.model.row_of(who.id) < 0
    assert demo_window.workspace.current_participant_id() is None
    assert not demo_window.erase_action.isEnabled()
    assert demo_caseload.safety.is_erased(who.id)
