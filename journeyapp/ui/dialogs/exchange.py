"""The coordinator's dialogs in one place, for the main window's menus to call."""

from __future__ import annotations

from journeyapp.ui.dialogs.decisions_dialog import DecisionsDialog, open_decisions
from journeyapp.ui.dialogs.export_dialog import ExportDialog, open_export
from journeyapp.ui.dialogs.import_dialog import ImportDialog, open_import
from journeyapp.ui.dialogs.report_dashboard import ReportDashboard, open_report

__all__ = [
    "DecisionsDialog",
    "ExportDialog",
    "ImportDialog",
    "ReportDashboard",
    "open_decisions",
    "open_export",
    "open_import",
    "open_report",
]
