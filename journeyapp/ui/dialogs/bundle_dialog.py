"""Sending this laptop's journey log to the coordinator, and merging one from another laptop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.merge import MergeResult
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog, ask_passphrase
from journeyapp.ui.errors import attempt

BUNDLE_FILTER = "Journey-log bundle (*.jlb)"


def send_bundle(parent: QWidget | None, caseload: Caseload) -> Path | None:
    """Write the whole journey log to an encrypted bundle file for the coordinator."""
    name, _ = QFileDialog.getSaveFileName(
        parent, "Send my journey log", str(paths.data_dir() / "journey-log.jlb"), BUNDLE_FILTER
    )
    if not name:
        return None
    out = Path(name) if name.endswith(".jlb") else Path(name + ".jlb")
    choose = ChoosePassphraseDialog(parent, title="A passphrase for this bundle")
    if choose.exec() != QDialog.DialogCode.Accepted:
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        count = attempt(parent, lambda: write_bundle(caseload, out, choose.passphrase()))
    finally:
        QGuiApplication.restoreOverrideCursor()
    if count is None:
        return None
    QMessageBox.information(
        parent,
        "Journey log written",
        f"{count:,} journey-log events are in {out}, encrypted with the passphrase you chose. "
        "Give the file to your coordinator, and tell them the passphrase in person or by phone, "
        "never with the file.",
    )
    return out


def merge_from_bundle(parent: QWidget | None, caseload: Caseload) -> MergeResult | None:
    """Merge a journey-log bundle from another laptop (merging twice changes nothing)."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Merge a journey log", str(paths.data_dir()), f"{BUNDLE_FILTER};;All files (*)"
    )
    if not name:
        return None
    passphrase = ask_passphrase(parent, "Merge a journey log", "The bundle's passphrase:")
    if passphrase is None:
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = attempt(parent, lambda: merge_bundle(caseload, Path(name), passphrase))
    finally:
        QGuiApplication.restoreOverrideCursor()
    if result is not None:
        extra = (
            "\n\nSome details were changed differently on the two laptops: both are kept. "
            "Choose which to keep under Partnership > Needs a decision."
            if result.new_decisions
            else ""
        )
        QMessageBox.information(parent, "Journey log merged", result.summary() + extra)
    return result
