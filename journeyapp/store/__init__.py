"""The only package that knows SQL: connections, migrations, rows <-> records, the journey log."""

import importlib.util
import sys

from journeyapp.core.lazy_patterns import lazy_compiles

# sqlite_utils.db's top-level patterns (the CREATE VIRTUAL TABLE parser, 65 ms to compile, and
# the FTS quoting splitter) are used only through their methods: compiled on first use.
_LAZY_PATTERNS = frozenset({"sqlite_utils.db"})


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without numpy, and with dateutil's parser loaded only if used.

    sqlite-utils loads numpy (about 60 ms, on every command's and the window's start) only to
    map numpy column types, and we never insert numpy values: numpy stays importable for
    whoever needs it later (the report's disclosure audit). It also loads dateutil's date
    parser (with its time zones and ctypes, about 20 ms of the window's start, issue 18) for
    its command line's date recipes, which we never call: that module is made lazy, loaded
    in full the first time anything in it is used. Its large regular expressions are
    compiled when first used (core.lazy_patterns).
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    if "dateutil.parser" not in sys.modules:
        spec = importlib.util.find_spec("dateutil.parser")
        if spec is not None and spec.loader is not None:
            loader = importlib.util.LazyLoader(spec.loader)
            spec.loader = loader
            module = importlib.util.module_from_spec(spec)
            sys.modules["dateutil.parser"] = module
            loader.exec_module(module)
            # As an attribute of its package too: `from dateutil import parser` then takes it
            # as it is (an import that finds it only in sys.modules would load it at once).
            sys.modules["dateutil"].parser = module  # type: ignore[attr-defined]
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail here
    try:
        with lazy_compiles(_LAZY_PATTERNS):
            import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_sqlite_utils()
