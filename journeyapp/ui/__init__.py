"""The window: the only package that imports PySide6."""

import sys

import PySide6.QtCore  # noqa: F401 - first: the import hook adjusted below comes with it


def _skip_feature_scan() -> None:
    """Spare PySide reading the source of every module already loaded.

    For its `__feature__` switches (snake_case, true_property) PySide 6 reads the whole
    source of each module named in an import statement once it is loaded, looking for the
    word "PySide6": 90 files, 20-25 ms of the window's start (issue 18). JourneyApp selects
    no feature, so the modules loaded before the window's are marked as PySide marks one that
    selects none (-1); modules loaded from here on are still read, as PySide does.
    """
    feature = sys.modules.get("shibokensupport.feature")
    marks = getattr(feature, "pyside_feature_dict", None)
    if isinstance(marks, dict):
        for name in list(sys.modules):
            marks.setdefault(name, -1)


_skip_feature_scan()
