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


class FieldProblem(ValidationError):
    """Words typed into a field that cannot be kept as they are, said with the name the form
    and the option that take it give the field (`label`: "The contact's note"): `said()` in
    the window, `said("--note")` on the command line, which names the option too."""

    def __init__(self, label: str, field: str | None = None) -> None:
        self.label = label
        super().__init__(self.said(), field)

    def named(self, option: str | None) -> str:
        """The field's name, with the option that gave it (on the command line)."""
        return f"{self.label} ({option})" if option else self.label

    def said(self, option: str | None = None) -> str:
        """The message, naming the field (and `option`, on the command line)."""
        return f"{self.named(option)} cannot be kept as it is."


class TooLong(FieldProblem):
    """Words longer than their field holds: how long, the most, and how to fix it."""

    def __init__(
        self, label: str, length: int, limit: int, field: str | None, another: str = ""
    ) -> None:
        self.length, self.limit, self.another = length, limit, another
        super().__init__(label, field)

    def said(self, option: str | None = None) -> str:
        """ "The contact's note (--note) is too long: 20,345 characters, at most 20,000 —
        shorten it, or put the rest in another contact." """
        fix = (
            f"shorten it, or put the rest in another {self.another}"
            if self.another
            else ("shorten it")
        )
        return (
            f"{self.named(option)} is too long: {self.length:,} characters, at most "
            f"{self.limit:,} — {fix}."
        )


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
