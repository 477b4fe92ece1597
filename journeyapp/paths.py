"""Where things live: bundled resources and the default data folder (no Qt)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "JourneyApp"
DB_ENV = "JOURNEYAPP_DB"
CATALOGUE_ENV = "JOURNEYAPP_CATALOGUE"
CODES_ENV = "JOURNEYAPP_CODES"
PASSPHRASE_ENV = "JOURNEYAPP_PASSPHRASE"
BUNDLE_PASSPHRASE_ENV = "JOURNEYAPP_BUNDLE_PASSPHRASE"
DEBUG_ENV = "JOURNEYAPP_DEBUG"  # set: a fault of ours is shown whole (its message, its traceback)


@functools.cache  # it does not move while the program runs; finding it costs 0.5 ms a time
def resources_dir() -> Path:
    """The resources folder, for a source checkout, an installed wheel or a frozen build."""
    if getattr(sys, "frozen", False):
        return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]  # set by PyInstaller
    # The package's own folder (what importlib.resources.files() gives for a package on
    # disk, without loading importlib.resources at start: 10-25 ms, issue 18).
    here = Path(__file__).parent
    packaged = here / "_resources"
    if packaged.is_dir():
        return packaged
    return here.resolve().parent / "resources"


def resource(name: str) -> Path:
    """Path of a file under resources/."""
    return resources_dir() / name


def secret_from_env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A secret from an environment variable (`environ`: os.environ by default), read as
    --passphrase-file reads its file: one line end at the end is the value's, not the
    secret's (a secret pasted into a CI setting or an env file often keeps one; a passphrase
    typed at a prompt never has one). An empty variable, or one of spaces only (no passphrase
    is: a new one is refused so), counts as not set."""
    value = (os.environ if environ is None else environ).get(name) or ""
    value = value.removesuffix("\n").removesuffix("\r")
    return value if value.strip() else None


def data_dir() -> Path:
    """The per-user data folder where the caseload database lives by default."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def browse_dir() -> Path:
    """The folder a file chooser opens in: the data folder once it exists, otherwise the home
    folder. (Given a folder that is not there, a chooser opens elsewhere with the folder's
    name, "JourneyApp", typed in as the file's.)"""
    folder = data_dir()
    return folder if folder.is_dir() else Path.home()


def default_db_path() -> Path:
    """The caseload database: $JOURNEYAPP_DB if set, otherwise caseload.db in the data folder."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override)
    return data_dir() / "caseload.db"


CATALOGUE_FILE = "catalogue.toml"
CODES_FILE = "codes.toml"


def catalogue_path() -> Path:
    """The partnership catalogue: $JOURNEYAPP_CATALOGUE if set, otherwise catalogue.toml in
    the data folder if the partnership put one there, otherwise the bundled default."""
    return _setting_file(CATALOGUE_ENV, CATALOGUE_FILE)


def codes_path() -> Path:
    """The answer codes behind the funder's return: $JOURNEYAPP_CODES if set, otherwise
    codes.toml in the data folder if the partnership put one there, otherwise the default."""
    return _setting_file(CODES_ENV, CODES_FILE)


def _setting_file(variable: str, name: str) -> Path:
    """A partnership's setting file: the one `variable` names, else `name` in the data folder
    (where a laptop is prepared without setting a variable, which a program started from the
    desktop's menu never sees), else the bundled one."""
    override = os.environ.get(variable)
    if override:
        return Path(override)
    own = data_dir() / name
    # Anything there but a directory is the partnership's (a file that cannot be read is
    # refused, naming it, rather than passed over for the default without a word).
    if os.path.lexists(own) and not own.is_dir():
        return own
    return resource(name)


def log_dir() -> Path:
    """The per-user folder for JourneyApp's own log (which never holds personal data)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """The per-user folder for JourneyApp's own state (wrong-try delays; no personal data)."""
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME, appauthor=False))


def in_progress_register() -> Path:
    """Where half-written exports, bundles and plans are noted while written (removed at the
    next start if the run that wrote them died)."""
    return state_dir() / "in-progress.txt"
