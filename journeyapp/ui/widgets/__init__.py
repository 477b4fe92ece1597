"""Widgets of the window (built in code, no .ui files)."""
