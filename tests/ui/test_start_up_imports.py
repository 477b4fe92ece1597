"""What the window's start spares: PySide re-reading modules loaded before it, the collector."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
import journeyapp.ui
from PySide6.QtWidgets import QWidget  # the window's own modules are still read, as PySide does
marks = sys.modules["shibokensupport.feature"].pyside_feature_dict
print(marks.get("json"), marks.get("journeyapp"))
"""


def test_modules_loaded_before_the_window_are_not_read_again_by_pyside() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD],
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
    )
    # -1: what PySide's own reading gives a module that selects no __feature__.
    assert done.stdout.split() == ["-1", "-1"]


# Records which modules PySide reads (looking for "PySide6") while the window's module loads.
READ_CHILD = """
import sys
import journeyapp.ui
feature = sys.modules["shibokensupport.feature"]
read = []
real = feature._mod_uses_pyside
feature._mod_uses_pyside = lambda module: read.append(module.__name__) or real(module)
import journeyapp.ui.main_window
print(sorted(name for name in read if name.startswith("journeyapp.ui")))
print(feature.pyside_feature_dict.get("journeyapp.ui.main_window"))
"""


def test_the_window_s_own_modules_are_not_read_by_pyside_either() -> None:
    done = subprocess.run(
        [sys.executable, "-c", READ_CHILD],
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
    )
    read, mark = done.stdout.splitlines()
    assert read == "[]"
    assert mark == "0"  # what PySide's own reading gives a module that uses it


def test_no_module_selects_a_pyside_feature() -> None:
    # Marking modules unread (above) keeps PySide's behaviour only while none selects one.
    selecting = [
        path.name
        for path in (ROOT / "journeyapp").rglob("*.py")
        if re.search(
            r"^\s*(from\s+__feature__\s+import|import\s+__feature__)",
            path.read_text(encoding="utf-8"),
            re.M,
        )
    ]
    assert selecting == []


def test_the_collector_is_off_while_the_window_starts_and_on_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import journeyapp.start as start

    seen: list[bool] = []

    def window(*_args: object, **_kwargs: object) -> None:
        seen.append(gc.isenabled())
        raise SystemExit(1)  # as a cancelled unlock ends the process

    monkeypatch.setattr(start, "_open_window", window)
    with pytest.raises(SystemExit):
        start.launch_window(None, demo=False, smoke_test=False)
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.parametrize(
    "modules",
    [
        # typing_extensions: only for @override (journeyapp.ui.overrides); html: only to mark
        # the words a search found (loaded with the first place found).
        ("typing_extensions", "html"),
        # uuid (and platform, which it loads): only for writes and merges, not to open the window.
        ("uuid", "platform"),
        # calendar (and locale, which it loads): only to say what is wrong with a day typed.
        ("calendar", "locale"),
    ],
)
def test_the_window_loads_without(modules: tuple[str, ...]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, journeyapp.caseload, journeyapp.ui.app; "
            f"print(*[name in sys.modules for name in {modules!r}])",
        ],
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["False"] * len(modules)


# Loaded by the window before its first paint; none of them needs a dialog's class there.
TYPES_CHILD = """
import sys
import journeyapp.caseload, journeyapp.ui.app, journeyapp.ui.automatic_backups
import PySide6.QtGui as gui, PySide6.QtWidgets as widgets
made = {**vars(gui), **vars(widgets)}  # PySide puts a class in its module once it sets it up
print(sorted(n for n in sys.argv[1:] if n in made))
"""


def test_the_window_s_modules_set_up_no_dialog_classes() -> None:
    # PySide sets up a Qt class's Python type, its enums with it, when the class is first
    # imported (QMessageBox and QDialogButtonBox: about 5 M instructions each, #18).
    unused = [
        "QDialog",
        "QDialogButtonBox",
        "QMessageBox",
        "QProgressDialog",
        "QDockWidget",
        "QClipboard",
        "QTableWidget",
    ]
    done = subprocess.run(
        [sys.executable, "-c", TYPES_CHILD, *unused],
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_keyed_ids_are_the_same_uuid5_as_before() -> None:
    import uuid

    from journeyapp.core.merge import keyed_id

    namespace = uuid.UUID("0d5c8d36-8f5e-4a57-9f4b-6c1a3a0e2f16")
    assert keyed_id("choices", "p1", "svc") == str(uuid.uuid5(namespace, "choices\x1fp1\x1fsvc"))


def test_override_marks_the_method_as_typing_extensions_does() -> None:
    import typing_extensions

    from journeyapp.ui.overrides import override

    def method() -> None: ...

    assert override(method) is method
    assert method.__override__ is True  # type: ignore[attr-defined]
    assert override(len) is len  # a built-in takes no attributes: returned as it is
    assert typing_extensions.override(len) is len
