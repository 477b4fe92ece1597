"""Journey-log bundles, the use cases: send this laptop's whole log, read one, merge one.

The file format (an encrypted SQLCipher database) lives in `journeyapp.store.bundle_file`; this
module says what a bundle passphrase must be and where a bundle may be written, and merges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.caseload.exchange import read_bundle as read_bundle_file
from journeyapp.core.errors import BundleError, JourneyError, ValidationError
from journeyapp.core.merge import MergeResult
from journeyapp.core.passphrase import normalise
from journeyapp.core.records import Event

__all__ = [
    "MIN_PASSPHRASE",
    "BundleError",
    "check_passphrase",
    "merge_bundle",
    "merge_bundles",
    "read_bundle",
    "write_bundle",
]

MIN_PASSPHRASE = 8
Progress = Callable[[int, int], None]


def check_passphrase(passphrase: str) -> None:
    """Refuse an empty or too-short bundle passphrase with a message saying what to do."""
    if len(normalise(passphrase)) < MIN_PASSPHRASE:
        raise ValidationError(
            f"A bundle passphrase needs at least {MIN_PASSPHRASE} characters; choose a longer "
            "one and tell it to the coordinator in person or by phone, not with the file."
        )


def write_bundle(
    caseload: Caseload, out: Path, passphrase: str, *, progress: Progress | None = None
) -> int:
    """Write this laptop's whole journey log to an encrypted bundle; returns the event count.

    A half-written bundle never exists under the final name, and nothing is overwritten.
    """
    check_passphrase(passphrase)
    out = Path(out)
    if out.exists():
        raise BundleError(
            f"{out} already exists; choose a new file name so nothing is overwritten."
        )
    if not out.parent.is_dir():
        raise BundleError(f"The folder {out.parent} does not exist; create it or choose another.")
    return caseload.exchange.write_bundle(out, passphrase, progress=progress)


def read_bundle(path: Path, passphrase: str) -> tuple[dict[str, str], list[Event]]:
    """Open and check a bundle; returns its info and its events (oldest first).

    Raises WrongPassphrase or BundleError; nothing about a bad bundle is half-read.
    """
    return read_bundle_file(Path(path), passphrase)


def merge_bundle(caseload: Caseload, path: Path, passphrase: str) -> MergeResult:
    """Read a bundle and merge it into `caseload` (all or nothing; merging twice changes nothing)."""
    return merge_bundles(caseload, [path], passphrase)


def merge_bundles(caseload: Caseload, paths: Sequence[Path], passphrase: str) -> MergeResult:
    """Read and check every bundle, then merge them all in one transaction (all or nothing)."""
    logs = []
    for path in paths:
        try:
            logs.append(read_bundle(path, passphrase)[1])
        except JourneyError as exc:
            if len(paths) == 1:
                raise
            raise BundleError(f"{Path(path).name}: {exc.message} No bundle was merged.") from None
    return caseload.exchange.merge_logs(logs)
