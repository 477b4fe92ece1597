"""Help > About: version, licence, bundled fonts' licence, what's new, and where the data lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from journeyapp import __version__, paths
from journeyapp.ui import theme
from journeyapp.ui.dialogs.launch import open_window_modal
from journeyapp.ui.widgets.screen import scroll_body

LICENCE_NAME = "GNU General Public License, version 3 or later (GPL-3.0-or-later)"
LICENCE_URL = "https://www.gnu.org/licenses/gpl-3.0.html"
FONTS_LICENCE = "fonts/LICENSE-DejaVu.txt"
CJK_FONT_LICENCE = "fonts/LICENSE-WenQuanYi.txt"


def document(name: str) -> Path | None:
    """A document shipped with the app (LICENSE, CHANGELOG.md, fonts/LICENSE-DejaVu.txt).

    A built bundle carries them under resources/; a source checkout has LICENSE and
    CHANGELOG.md at the repository root, beside resources/.
    """
    for candidate in (paths.resource(name), paths.resources_dir().parent / name):
        if candidate.is_file():
            return candidate
    return None


def read_document(name: str, missing: str) -> str:
    """The text of a shipped document, or `missing` (what to do instead) if it is not there."""
    path = document(name)
    if path is None:
        return missing
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return missing


def catalogue_words(caseload: object) -> str:
    """Which catalogue of stages, services, outcome areas and milestone types is in use, the
    file it is read from, and how a partnership puts its own in place on this laptop."""
    catalogue = getattr(caseload, "catalogue", None)
    name = getattr(catalogue, "name", "")
    named = f"“{name}”, " if name else ""
    path = paths.catalogue_path()
    if path == paths.resource(paths.CATALOGUE_FILE):
        return (
            f"Stages, services, outcome areas and milestone types: {named}the default that "
            "comes with JourneyApp. To use your partnership's own, put its "
            f"{paths.CATALOGUE_FILE} in the data folder above and start JourneyApp again."
        )
    return f"Stages, services, outcome areas and milestone types: {named}read from {path}."


class TextViewer(QDialog):
    """A read-only window for a licence or the list of changes."""

    def __init__(self, parent: QWidget | None, title: str, text: str, *, markdown: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view: QTextBrowser | QPlainTextEdit
        if markdown:
            browser = QTextBrowser()
            browser.setOpenExternalLinks(True)
            browser.setMarkdown(text)
            self.view = browser
        else:
            plain = QPlainTextEdit()
            plain.setReadOnly(True)
            plain.setPlainText(text)
            # Licence texts are laid out for a fixed-width font.
            plain.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self.view = plain
        self.view.setAccessibleName(title)
        theme.style(self.view, "textBox")  # shows when the keyboard is on the words
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def text(self) -> str:
        """What the viewer shows, as plain text."""
        return self.view.toPlainText()


class AboutDialog(QDialog):
    """About JourneyApp: version, licences, what's new, and the data folder."""

    def __init__(self, parent: QWidget | None = None, *, caseload_path: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("About JourneyApp")
        # The main window keeps its Caseload as `.caseload`; show the file it has open.
        caseload = getattr(parent, "caseload", None)
        if caseload_path is None:
            caseload_path = getattr(caseload, "path", None)
        demo = " (DEMO: fictional people)" if getattr(caseload, "is_demo", False) else ""
        self.data_folder = paths.data_dir()
        self.caseload_path = caseload_path

        icon = QLabel()
        icon.setPixmap(QIcon(str(paths.resource("icons/journeyapp.svg"))).pixmap(64, 64))
        icon.setAccessibleName("JourneyApp icon")
        title = QLabel(f"<b>JourneyApp</b><br>Version {__version__}")
        title.setAccessibleName(f"JourneyApp version {__version__}")
        title.setTextFormat(Qt.TextFormat.RichText)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(title, 1)

        purpose = QLabel(
            "Records and progress plans for keyworkers supporting lone parents, "
            "at each parent's own pace. Works without a network."
        )
        purpose.setWordWrap(True)

        self.licence_label = QLabel(
            f"JourneyApp is free software: you can share and change it under the {LICENCE_NAME}. "
            "It comes with no warranty."
        )
        self.licence_label.setWordWrap(True)
        fonts = QLabel(
            "Progress plans are printed in DejaVu Sans, which comes with JourneyApp under the "
            "Bitstream Vera and DejaVu font licence, and their Chinese, Japanese and Korean "
            "letters in WenQuanYi Micro Hei, under the Apache License 2.0. Built with Qt and "
            "PySide6 (LGPL-3.0)."
        )
        fonts.setWordWrap(True)

        where = QLabel("Your caseload is kept in this folder unless you chose another file:")
        where.setWordWrap(True)
        self.folder_label = QLabel(str(self.data_folder))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Data folder")
        self.folder_label.setWordWrap(True)
        self.open_folder = QPushButton("Open folder")
        self.open_folder.setToolTip("Show the data folder in your file manager")
        self.open_folder.clicked.connect(self._open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder)
        self.open_label = QLabel(f"Open now: {caseload_path}{demo}" if caseload_path else "")
        self.open_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_label.setWordWrap(True)
        self.open_label.setVisible(caseload_path is not None)
        self.catalogue_label = QLabel(catalogue_words(caseload))
        self.catalogue_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.catalogue_label.setAccessibleName("The partnership's catalogue")
        self.catalogue_label.setWordWrap(True)
        upgrades = QLabel(
            "When a new version needs to change how a caseload is stored, it first keeps a "
            "checked copy of the old file beside it (ending in .bak). Once the changed file "
            "checks out, the copy kept from an earlier change is deleted."
        )
        upgrades.setWordWrap(True)

        self.licence_button = QPushButton("Licence…")
        self.licence_button.clicked.connect(self.show_licence)
        self.fonts_button = QPushButton("Font licences…")
        self.fonts_button.clicked.connect(self.show_fonts_licence)
        self.changes_button = QPushButton("What's new…")
        self.changes_button.clicked.connect(self.show_changes)
        self.qt_button = QPushButton("About Qt…")
        self.qt_button.clicked.connect(lambda: QApplication.aboutQt())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.licence_button, self.fonts_button, self.changes_button, self.qt_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(purpose)
        layout.addWidget(self.licence_label)
        layout.addWidget(fonts)
        layout.addWidget(where)
        layout.addLayout(folder_row)
        layout.addWidget(self.open_label)
        layout.addWidget(self.catalogue_label)
        layout.addWidget(upgrades)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        scroll_body(self)

    def show_licence(self) -> TextViewer:
        """Show the full GPL text."""
        text = read_document(
            "LICENSE",
            f"JourneyApp is licensed under the {LICENCE_NAME}.\n"
            f"The full text was not found in this installation; read it at {LICENCE_URL}",
        )
        return self._view("JourneyApp licence", text)

    def show_fonts_licence(self) -> TextViewer:
        """Show the licences of the bundled fonts (DejaVu, then WenQuanYi Micro Hei)."""
        dejavu = read_document(
            FONTS_LICENCE,
            "DejaVu fonts are free to use and share under the Bitstream Vera and DejaVu licence; "
            "see https://dejavu-fonts.github.io/License.html",
        )
        wenquanyi = read_document(
            CJK_FONT_LICENCE,
            "WenQuanYi Micro Hei is free to use and share under the Apache License 2.0; "
            "see https://www.apache.org/licenses/LICENSE-2.0",
        )
        return self._view("Font licences (DejaVu, WenQuanYi)", f"{dejavu}\n\n{wenquanyi}")

    def show_changes(self) -> TextViewer:
        """Show CHANGELOG.md: what changed in each version."""
        text = read_document(
            "CHANGELOG.md", "The list of changes was not found in this installation."
        )
        return self._view("What's new in JourneyApp", text, markdown=True)

    def _view(self, title: str, text: str, *, markdown: bool = False) -> TextViewer:
        viewer = TextViewer(self, title, text, markdown=markdown)
        viewer.open()
        return viewer

    def _open_folder(self) -> None:
        folder = self.data_folder
        # The folder appears on first save; until then show where it will be made.
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_about(parent: QWidget | None) -> None:
    """Open the About dialog over `parent` without blocking (it deletes itself when closed)."""
    open_window_modal(AboutDialog(parent))
