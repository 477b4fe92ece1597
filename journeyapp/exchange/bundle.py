"""Journey-log bundles, the use cases: send this laptop's whole log, read one, merge one.

The file format (an encrypted SQLCipher database) lives in `journeyapp.store.bundle_file`; this
module says what a bundle passphrase must be and where a bundle may be written, and merges.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.caseload.exchange import read_bundle as read_bundle_file
from journeyapp.caseload.exchange import read_sealed_bundle, require_bundle
from journeyapp.core.errors import BundleError, JourneyError, ValidationError
from journeyapp.core.merge import MergeResult
from journeyapp.core.passphrase import assess, normalise
from journeyapp.core.private_files import in_progress
from journeyapp.core.records import Event

__all__ = [
    "MIN_PASSPHRASE",
    "BundleError",
    "check_passphrase",
    "merge_bundle",
    "merge_bundles",
    "read_bundle",
    "read_sealed_bundle",
    "require_bundle",
    "write_bundle",
]

MIN_PASSPHRASE = 8
Progress = Callable[[int, int], None]


def check_passphrase(passphrase: str, caseload: Caseload | None = None) -> None:
    """Refuse a bundle passphrase the caseload rule refuses (the same rule, measured), or the
    caseload's own passphrase, with a message saying what to do."""
    if len(normalise(passphrase)) < MIN_PASSPHRASE:
        raise ValidationError(
            f"A bundle passphrase needs at least {MIN_PASSPHRASE} characters; choose a longer "
            "one and tell it to the coordinator in person or by phone, not with the file."
        )
    own = caseload is not None and caseload.safety.is_own_passphrase(passphrase)
    verdict = assess(passphrase)
    problems = list(verdict.problems)
    if own:
        problems.insert(
            0,
            "It is the caseload's own passphrase; choose a different one for the bundle, so "
            "whoever opens the bundle cannot open the caseload too.",
        )
    if problems:
        raise ValidationError("Choose another bundle passphrase. " + " ".join(problems))


def write_bundle(
    caseload: Caseload, out: Path, passphrase: str, *, progress: Progress | None = None
) -> int:
    """Write this laptop's whole journey log to an encrypted bundle; returns the event count.

    A half-written bundle never exists under the final name, and nothing is overwritten.
    """
    check_passphrase(passphrase, caseload)
    out = Path(out)
    if out.exists():
        raise BundleError(
            f"{out} already exists; choose a new file name so nothing is overwritten."
        )
    if not out.parent.is_dir():
        raise BundleError(f"The folder {out.parent} does not exist; create it or choose another.")
    partial = out.with_name(out.name + ".partial")
    with in_progress(partial, paths.in_progress_register()):
        return caseload.exchange.write_bundle(out, passphrase, progress=progress)


def read_bundle(path: Path, passphrase: str) -> tuple[dict[str, str], list[Event]]:
    """Open and check a bundle; returns its info and its events (oldest first).

    Raises WrongPassphrase or BundleError; nothing about a bad bundle is half-read.
    """
    return read_bundle_file(Path(path), passphrase)


def _stays_encrypted(
    caseload: Caseload, paths: Sequence[Path], infos: Sequence[dict[str, str]]
) -> None:
    """BundleError when `caseload` is not encrypted (a demo caseload) and a bundle comes from
    an encrypted one: merged, real parents' details would sit in a file anyone can read."""
    if caseload.is_encrypted:
        return
    for path, info in zip(paths, infos, strict=True):
        if info.get("encrypted") == "1":
            name = caseload.path.name if caseload.path is not None else "This caseload"
            raise BundleError(
                f"{name} is not encrypted, and {Path(path).name} comes from an encrypted "
                "caseload: merged here, the details of its parents would be readable without "
                "a passphrase. Merge it into an encrypted caseload (journeyapp new --db "
                "coordinator.db makes one), or encrypt this one first (journeyapp passphrase "
                f"--db {caseload.path}). Nothing was merged."
            )


def _shown(value: object, most: int) -> str:
    """A detail a bundle gives about itself, as a message may quote it: words on one line, at
    most `most` characters ("" for anything but words: a bundle from a laptop not enrolled
    here may say anything)."""
    if not isinstance(value, str):
        return ""
    # Cut, then trimmed: a cut just after a space would end the line with it.
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())[:most].rstrip()


def merge_bundle(caseload: Caseload, path: Path, passphrase: str) -> MergeResult:
    """Read a bundle and merge it into `caseload` (all or nothing; merging twice changes nothing)."""
    return merge_bundles(caseload, [path], passphrase)


def merge_bundles(
    caseload: Caseload,
    paths: Sequence[Path],
    passphrase: str,
    *,
    before_merge: Callable[[int], object] | None = None,
) -> MergeResult:
    """Read and check every bundle and its seals, then merge them all in one transaction (all
    or nothing). A bundle sealed by a laptop enrolled here is trusted; the events of any other
    may add records but change, remove or erase nothing without a decision (core.seals).

    Only the events this caseload lacks are read (found inside SQLite, store.bundle_merge), with
    the bundle's seal checked over every event's mark and each new event against its own; a
    bundle the shortcut cannot vouch for is read and checked whole, with the same outcome.
    """
    bundles = []
    readings = []
    already_here = 0  # events a bundle holds that were found here without being read
    try:
        for number, path in enumerate(paths):
            try:
                opened = caseload.exchange.open_sealed_bundle(Path(path), passphrase, number)
                if opened is None:
                    bundles.append(read_sealed_bundle(caseload, Path(path), passphrase))
                else:
                    reading, sealed = opened
                    reading.one_of_several = len(paths) > 1
                    readings.append(reading)
                    bundles.append(sealed)
                    already_here += reading.total - len(reading.fresh)
            except JourneyError as exc:
                if len(paths) == 1:
                    raise
                raise BundleError(
                    f"{Path(path).name}: {exc.message} No bundle was merged."
                ) from None
        _stays_encrypted(caseload, paths, [b.info for b in bundles])
        if before_merge is not None:
            before_merge(sum(len(b.events) for b in bundles))
        result = caseload.exchange.merge_sealed(bundles)
    finally:
        for reading in readings:
            reading.close()
    # Bundles from laptops not enrolled here, when something they sent landed unvouched for:
    # named, so the coordinator knows which laptop to enrol.
    unenrolled = tuple(
        (Path(path).name, _shown(bundle.info.get("device_id", ""), 8))
        for path, bundle in zip(paths, bundles, strict=True)
        if not bundle.writer and bundle.unsealed
    )
    # Bundles written with another catalogue (by its name; bundles from before it was noted
    # say nothing), when they brought something new: named, with what to do.
    here = caseload.catalogue.name
    other_catalogues = tuple(
        (Path(path).name, _shown(theirs, 120))
        for path, bundle in zip(paths, bundles, strict=True)
        if (theirs := bundle.info.get("catalogue", here)) != here and _shown(theirs, 120)
    )
    return dataclasses.replace(
        result,
        received=result.received + already_here,
        already_had=result.already_had + already_here,
        unenrolled=unenrolled if result.unsealed else (),
        other_catalogues=other_catalogues if result.applied else (),
        catalogue_here=here,
    )
