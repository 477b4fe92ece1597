"""Errors a keyworker or coordinator can act on; each message says what is wrong and how to fix it."""

from __future__ import annotations

from pathlib import Path


class JourneyError(Exception):
    """Base of every error that is shown to a person rather than a programmer."""

    @property
    def message(self) -> str:
        """The one-line message to show."""
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(JourneyError):
    """Input that cannot be saved as it is; `field` names the field to correct."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(JourneyError):
    """A record that does not exist (or no longer exists)."""


class DatabaseTooNew(JourneyError):
    """The database was written by a newer version of JourneyApp."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(
            "This caseload was saved by a newer version of JourneyApp "
            f"(it has changes this version does not know: {', '.join(unknown)}). "
            "Install the newer version to open it; nothing has been changed."
        )
        self.unknown = unknown


class NotADatabase(JourneyError):
    """The file is not a JourneyApp caseload, is damaged, or needs a passphrase."""


class WrongPassphrase(JourneyError):
    """The passphrase does not open this caseload."""


class DatabaseInUse(JourneyError):
    """Another JourneyApp window or command has this caseload open."""


class StorageError(JourneyError):
    """The caseload could not be written (disk full, read-only folder...); nothing was half-saved."""


class PassphraseNeeded(WrongPassphrase):
    """The caseload is encrypted (or a new one would be) and no passphrase was given."""


class BundleError(JourneyError):
    """A journey-log bundle that cannot be written or read; the message says why and what to do."""


def require_bundle_file(path: Path) -> None:
    """BundleError naming `path` unless it is a file: a bundle that is not there is named
    before anything else is asked or done."""
    if path.is_dir():
        raise BundleError(f"{path} is a folder; choose the bundle file (.jlb) inside it.")
    if not path.is_file():
        raise BundleError(f"There is no bundle at {path}; check the file name.")
