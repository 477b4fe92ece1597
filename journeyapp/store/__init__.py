"""The only package that knows SQL: connections, migrations, rows <-> records, the journey log."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

from journeyapp.core.lazy_patterns import lazy_compiles

# sqlite-utils is loaded only to create tables and run migrations (a new caseload, an upgrade,
# a test's inspection): opening an up-to-date caseload never loads it (store.connection). When it
# is loaded, it is loaded lean, as below.

# What sqlite-utils imports but uses only inside functions our migrations seldom call: `secrets`
# (a nested savepoint's or a transformed table's random name) and `hashlib` (hash_record).
# Loading them loads OpenSSL (about 12 million instructions): the stand-ins below import the
# real module the first time one of those functions does use it.
_DEFERRED = ("secrets", "hashlib")


class _Deferred(types.ModuleType):
    """A stand-in, kept by sqlite-utils, for a module it imported: the module itself is
    imported the first time anything in it is used (then as any other import would, so every
    other `import` of it gets the module itself; the stand-in is in sys.modules only while
    sqlite-utils is imported)."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # looked for by import hooks (PySide6's): a stand-in has none
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:  # used while sqlite-utils is imported
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


# sqlite_utils.db's top-level patterns (the CREATE VIRTUAL TABLE parser, 65 ms to compile, and
# the FTS quoting splitter) are used only through their methods: compiled on first use.
_LAZY_PATTERNS = frozenset({"sqlite_utils.db"})


def load_sqlite_utils() -> None:
    """Import sqlite-utils (once) without numpy, and with dateutil's parser loaded only if used.

    sqlite-utils loads numpy (about 60 ms, on a new caseload's or an upgrade's start) only to
    map numpy column types, and we never insert numpy values: numpy stays importable for
    whoever needs it later (the report's disclosure audit). It also loads dateutil's date
    parser (with its time zones and ctypes, about 20 ms, issue 18) for
    its command line's date recipes, which we never call: that module is made lazy, loaded
    in full the first time anything in it is used. Its large regular expressions are
    compiled when first used (core.lazy_patterns), and the modules in _DEFERRED are imported
    when first used.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return  # loaded, or numpy is there already: the caller's import is a plain one
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
    stand_ins = [name for name in _DEFERRED if name not in sys.modules]
    for name in stand_ins:
        sys.modules[name] = _Deferred(name)
    try:
        with lazy_compiles(_LAZY_PATTERNS):
            import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
        for name in stand_ins:
            if isinstance(sys.modules.get(name), _Deferred):
                del sys.modules[name]
