"""Help > About: version, licence texts, what's new and the data folder, on real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journeyapp import __version__, paths
from journeyapp.caseload import Caseload, default_catalogue
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.dialogs.about import AboutDialog, TextViewer, read_document, show_about
from journeyapp.ui.main_window import MainWindow
from tests.catalogues import DEFAULT


def make_window(qtbot: QtBot, caseload: Caseload) -> MainWindow:
    window = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(window)
    return window


def viewer_after(qtbot: QtBot, dialog: AboutDialog, button_name: str) -> TextViewer:
    qtbot.mouseClick(getattr(dialog, button_name), Qt.MouseButton.LeftButton)
    viewers = [v for v in dialog.findChildren(TextViewer) if v.isVisible()]
    assert len(viewers) == 1
    return viewers[0]


def test_about_shows_version_licence_and_where_the_data_is(
    qtbot: QtBot, caseload: Caseload
) -> None:
    window = make_window(qtbot, caseload)
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.folder_label)))
    assert f"Version {__version__}" in texts
    assert "GPL-3.0-or-later" in dialog.licence_label.text()
    assert dialog.folder_label.text() == str(paths.data_dir())
    assert str(caseload.path) in dialog.open_label.text()
    assert dialog.open_label.isVisible()


def test_licence_fonts_and_changes_open_in_viewers(qtbot: QtBot, caseload: Caseload) -> None:
    window = make_window(qtbot, caseload)
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    licence = viewer_after(qtbot, dialog, "licence_button")
    assert "GNU GENERAL PUBLIC LICENSE" in licence.text()
    assert "Version 3, 29 June 2007" in licence.text()
    licence.close()
    fonts = viewer_after(qtbot, dialog, "fonts_button")
    assert "Bitstream Vera" in fonts.text()
    assert "DejaVu" in fonts.windowTitle()
    # Every font that ships has its licence shown: the Chinese, Japanese and Korean one too.
    assert "WenQuanYi Micro Hei" in fonts.text()
    assert "Apache License" in fonts.text()
    assert "Version 2.0" in fonts.text()
    fonts.close()
    changes = viewer_after(qtbot, dialog, "changes_button")
    assert "Changelog" in changes.text()
    assert __version__ in changes.text()
    changes.close()


def test_show_about_opens_over_the_window_and_goes_away_when_closed(
    qtbot: QtBot, caseload: Caseload
) -> None:
    window = make_window(qtbot, caseload)
    window.show()
    show_about(window)
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    assert dialogs[0].windowTitle() == "About JourneyApp"
    qtbot.keyClick(dialogs[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.findChildren(AboutDialog))


def test_missing_document_says_where_to_read_it() -> None:
    assert read_document("no-such-file.txt", "read it online") == "read it online"
    assert read_document("LICENSE", "missing").startswith("                    GNU GENERAL")


def test_about_says_which_catalogue_is_in_use_and_where_a_partnerships_own_goes(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.CATALOGUE_ENV, raising=False)
    window = make_window(qtbot, caseload)
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    words = dialog.catalogue_label.text()
    assert "the default that comes with JourneyApp" in words
    assert f"put its {paths.CATALOGUE_FILE} in the data folder above" in words
    # The partnership's own, put in the data folder, is named with the file it is read from.
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    ours = paths.data_dir() / paths.CATALOGUE_FILE
    ours.write_text(DEFAULT.replace("Making It Work (default catalogue)", "Tayside"), "utf-8")
    caseload.catalogue = default_catalogue()
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.catalogue_label.text() == (
        f"Stages, services, outcome areas and milestone types: “Tayside”, read from {ours}."
    )
