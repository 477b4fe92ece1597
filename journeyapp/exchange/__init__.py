"""Exports, spreadsheet imports, journey-log bundles and merges, and the programme report (no Qt)."""
