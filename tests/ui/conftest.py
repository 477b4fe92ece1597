"""Fixtures for window tests: the main window over an empty or a demo caseload."""

from tests.ui.shell_helpers import demo_window, window

__all__ = ["demo_window", "window"]
