"""The window: the only package that imports PySide6."""

import os
import sys

import PySide6.QtCore  # noqa: F401 - first: the import hook adjusted below comes with it


def _skip_feature_scan() -> None:
    """Spare PySide reading the source of every module already loaded, and of the window's.

    For its `__feature__` switches (snake_case, true_property) PySide 6 reads the whole
    source of each module named in an import statement once it is loaded, looking for the
    word "PySide6": 90 files, 20-25 ms of the window's start (issue 18). JourneyApp selects
    no feature, so the modules loaded before the window's are marked as PySide marks one that
    selects none (-1), and the window's own modules (this package's, which use PySide) as
    PySide marks one that uses it and selects none (0): reading the 25 of them loaded before
    the first paint was another 5-8 ms. Other modules loaded from here on are still read, as
    PySide does. (With no feature selected anywhere, 0 and -1 both mean "no feature".)
    """
    feature = sys.modules.get("shibokensupport.feature")
    marks = getattr(feature, "pyside_feature_dict", None)
    if isinstance(marks, dict):
        for name in list(sys.modules):
            marks.setdefault(name, -1)
        for name in _window_modules():
            marks.setdefault(name, 0)


def _window_modules() -> list[str]:
    """The names of this package's modules, from its files (none in a build without them)."""
    names = []
    for folder, _subfolders, files in os.walk(os.path.dirname(__file__)):
        package = __name__ + folder[len(os.path.dirname(__file__)) :].replace(os.sep, ".")
        names += [
            package if file == "__init__.py" else f"{package}.{file[:-3]}"
            for file in files
            if file.endswith(".py")
        ]
    return names


_skip_feature_scan()
