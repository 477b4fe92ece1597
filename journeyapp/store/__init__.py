"""The only package that knows SQL: connections, migrations, rows <-> records, the journey log."""

import sys


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without numpy: it loads numpy (about 60 ms, on every command's and
    the window's start) only to map numpy column types, and we never insert numpy values.
    numpy stays importable for whoever needs it later (the report's disclosure audit)."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail here
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils()
