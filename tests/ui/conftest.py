"""Fixtures for window tests: the main window over an empty or a demo caseload, and a
workspace opened on a newly enrolled parent."""

from tests.ui.shell_helpers import demo_window, window
from tests.ui.workspace_helpers import opened

__all__ = ["demo_window", "opened", "window"]
