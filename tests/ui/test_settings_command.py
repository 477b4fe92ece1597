"""`journeyapp settings` keeps File > Settings' promises: what the command saves for any typed
details is what the window's dialog saves for the same, or both refuse and nothing changes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.errors import JourneyError
from journeyapp.ui.dialogs.settings import SettingsDialog

OPTIONS = {
    "organisation": "--organisation",
    "keyworker": "--your-name",
    "phone": "--phone",
    "email": "--email",
    "programme": "--programme",
    "device_name": "--laptop-name",
}
_TEXT = st.one_of(
    st.sampled_from(
        ["", "  Aileen  ", "07700 900123", "aileen@example.org", "nope", "Ó Súilleabháin"]
    ),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.text(alphabet="0123456789 ", min_size=100, max_size=140),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.dictionaries(st.sampled_from(list(OPTIONS)), _TEXT, min_size=1))
def test_the_command_saves_what_the_window_saves(qtbot: QtBot, typed: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        by_window = Caseload.open(Path(folder) / "w.db", create=True, plain=True)
        dialog = SettingsDialog(by_window)
        qtbot.addWidget(dialog)
        for name, text in typed.items():
            dialog.edits[name].setText(text)
        # What Save does (SettingsDialog.save), without the problem's message box.
        try:
            by_window.settings.set_sender(dialog.typed())
            window_saved = True
        except JourneyError:
            window_saved = False
        from_window = by_window.settings.sender()
        by_window.close()

        path = Path(folder) / "c.db"
        Caseload.open(path, create=True, plain=True).close()
        argv = ["settings", "--db", str(path)]
        for name, text in typed.items():
            argv += [OPTIONS[name], text]
        result = CliRunner().invoke(cli, argv)
        assert "Traceback" not in result.output
        by_command = Caseload.open(path)
        from_command = by_command.settings.sender()
        by_command.close()
        assert (result.exit_code == 0) == window_saved, result.output
        assert from_command == from_window


def test_a_phone_given_on_the_command_line_is_on_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.enrol_participant("Aoife", "fife")
    caseload.close()
    runner = CliRunner()
    before = runner.invoke(cli, ["settings", "--db", str(path)])
    assert "give --phone or --email" in before.output
    saved = runner.invoke(
        cli, ["settings", "--db", str(path), "--your-name", "Aileen", "--phone", "07700 900123"]
    )
    assert saved.exit_code == 0, saved.output
    assert "Phone: 07700 900123" in saved.output
    printed = runner.invoke(
        cli, ["plan", "Aoife", "--db", str(path), "--out", str(tmp_path / "p.pdf")]
    )
    assert printed.exit_code == 0, printed.output
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "p.pdf").pages)
    assert "07700 900123" in text
    assert "Aileen" in text
