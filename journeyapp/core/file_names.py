"""Whether a file or folder name typed by a person can be the name they meant (no click).

The command line's `cli.options.FileName` refuses by these rules, and so does the window's
start (`journeyapp --db NAME`, `$JOURNEYAPP_DB`), which opens without loading click: one set
of rules and one message, whichever way in.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

# The longest name one part of a path can have on the file systems laptops use (in bytes).
_LONGEST_NAME = 255


@dataclass(frozen=True)
class NameRule:
    """How one option's name is checked, and what to suggest instead (`example`).

    `-`, an empty name, a name of only spaces, a line break, a name too long, or the next
    option taken as the name (`--out --db x.db`) are refused; a name not there yet also when
    spaces at its ends, or neither a letter nor a digit in it ("%"), say it is a slip (a name
    of digits, "2026-12", is a name), or (a file to write or a caseload to open) when it is
    inside a file. One already
    there is the person's own, whatever it looks like. `dash` says what to do instead of `-`
    where something else is the way (a passphrase piped in).
    """

    example: str
    does: Literal["write", "read", "open"] = "write"
    dash: str = ""
    noun: str = "a file name"
    file_okay: bool = True

    def refusal(self, value: str, given: str) -> str | None:
        """The one line refusing `value` as given (`given`: --out, FILE, $JOURNEYAPP_DB), or
        None when it may be the name meant."""
        problem = self.problem(value)
        if problem is not None:
            instead = f"{given} {self.example}" if given.startswith("-") else self.example
            return f"{given} {problem}; give {self.noun}, e.g. {instead}. Nothing was done."
        if value != value.strip() and not os.path.lexists(value):
            return (
                f"{given} {value!r} starts or ends with a space, easily typed by mistake (and a "
                f"name Windows cannot keep); give it without: {value.strip()!r}. Nothing was done."
            )
        return None

    def variable_refusal(self, variable: str) -> str | None:
        """The one line refusing the environment variable `variable` ($JOURNEYAPP_DB) as the
        option it stands for is refused, or None when it is not set or may be the name meant."""
        value = os.environ.get(variable)
        return self.refusal(value, f"${variable}") if value else None

    def problem(self, value: str) -> str | None:
        """What is wrong with `value` as a name (said after the option), or None if it may be
        meant (spaces at its ends aside: `refusal` says how to write it without them)."""
        if not value:
            return "was given an empty name"
        if not value.strip():
            return "was given only spaces"
        if value == "-":
            if self.does == "read":
                instead = self.dash or "this command does not read what is piped in"
                return f'- would read a file called "-" ({instead}; a file really called - is ./-)'
            if self.does == "open":
                return '- would be a caseload file called "-" (a file really called - is ./-)'
            thing = "file" if self.file_okay else "folder"
            return f'- would make a {thing} called "-" (this command does not write to the screen)'
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            return f"{value!r} holds a line break or another control character"
        if any(len(part.encode("utf-8", "replace")) > _LONGEST_NAME for part in Path(value).parts):
            return f"has a name longer than a file name can be ({_LONGEST_NAME} characters)"
        if os.path.lexists(value):
            return None  # already there: the person's own file or folder
        if value.startswith("-"):
            return f"{value} starts with - as an option does, so the name after it looks missing"
        if not any(c.isalnum() for c in value):
            return (
                f"{value} has neither a letter nor a digit in it, so it looks like a slip "
                "rather than a name"
            )
        if self.does != "read":
            # Named inside a file ("notes.txt/out"): refused now, before the caseload is opened
            # (where an export or a return would make the caseload's pseudonym key first), and
            # before the window makes a caseload's folder ("Not a directory", the system said).
            inside = _nearest_existing(Path(value).parent)
            if not inside.is_dir():
                return f"{value}: {inside} is a file, not a folder"
        return None


def not_a_file(path: str | os.PathLike[str]) -> str | None:
    """What is at `path` when it is there but is no file a command can read or replace ("a
    folder", "a device", "a named pipe", "a socket"), or None (a file, or nothing there).

    A device (/dev/zero, /dev/null) or a named pipe is no caseload, backup or bundle: read,
    it never ends or waits for a writer; replaced, the system loses it. Said as what it is,
    not as a file that is missing or empty."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def caseload_file(path: Path) -> Path:
    """The file a caseload's path names: where a link at that name points, else the path.

    A caseload kept elsewhere (an encrypted drive, a synced folder) and opened through a link
    is that file: its locks, backups, a restore and its encryption are beside it and act on
    it, not on the link (which a restore or encryption put in place would replace, leaving the
    caseload itself as it was, or only its zeroed bytes, where the link pointed)."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _nearest_existing(path: Path) -> Path:
    """`path`, or the nearest folder above it that is there (the current folder at worst)."""
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


# The caseload named by --db (every command's, and the window's) or $JOURNEYAPP_DB.
DB_NAME = NameRule("caseload.db", does="open")


# -- a file's name says its format ----------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """A format a command writes, decided by the command: the ending its name must have.

    A file a person double-clicks (`opened_by_people`) must end with `suffix`; a file only
    JourneyApp opens again (a backup, a bundle, a key), or plain text (report.md, notes, any
    editor opens it), may have any name but one whose ending says another format (a backup
    called notes.xlsx would open as garbage).
    """

    suffix: str
    what: str
    opened_by_people: bool = True


KINDS: dict[str, FileKind] = {
    "xlsx": FileKind(".xlsx", "a workbook"),
    "pdf": FileKind(".pdf", "a PDF"),
    "csv": FileKind(".csv", "a CSV file"),
    "json": FileKind(".json", "a JSON file"),
    "jsonl": FileKind(".jsonl", "a JSON lines file"),
    "text": FileKind(".txt", "a text file", opened_by_people=False),
    "ics": FileKind(".ics", "a calendar file"),
    "backup": FileKind(".db", "a caseload file", opened_by_people=False),
    "bundle": FileKind(".jlb", "a journey-log bundle", opened_by_people=False),
    "key": FileKind(".key", "a key file", opened_by_people=False),
}


def kind_of_name(
    value: str | os.PathLike[str], among: tuple[str, ...] = tuple(KINDS)
) -> str | None:
    """The format (a key of KINDS, one of `among`) the name's ending says, or None."""
    suffix = Path(value).suffix.lower()
    return next((kind for kind in among if KINDS[kind].suffix == suffix), None)


def wrong_ending(value: str | os.PathLike[str], given: str, thing: str, kind: str) -> str | None:
    """The one line refusing `value` (given as `given`, e.g. --out) as the name of `thing`
    ("the return"), written as KINDS[kind], when its ending says another format; or None.

    --out r.csv: the return is a workbook; give a name ending .xlsx, e.g. --out r.xlsx.
    Nothing was written.
    """
    wanted = KINDS[kind]
    path = Path(value)
    suffix = path.suffix.lower()
    if suffix == wanted.suffix or os.path.lexists(path):
        return None  # as it says, or already there (the command says it will not write over it)
    if not wanted.opened_by_people and kind_of_name(path) is None:
        return None
    instead = (
        path.with_name(path.name + wanted.suffix) if not suffix else path.with_suffix(wanted.suffix)
    )
    shown = f"{given} {instead}" if given.startswith("-") else str(instead)
    return (
        f"{given} {value}: {thing} is {wanted.what}; give a name ending {wanted.suffix}, "
        f"e.g. {shown}. Nothing was written."
    ).strip()  # given "": typed in a window


def file_ending_for_folder(value: str | os.PathLike[str], given: str, thing: str) -> str | None:
    """The one line refusing `value` as the name of a folder (`thing`: "the csv export is a
    folder with one file per table") when its ending says a file's format; or None. A folder
    or file already there is left to the command (its own folder, or "already exists")."""
    path = Path(value)
    if kind_of_name(path) is None or os.path.lexists(path):
        return None  # the command says what it does with a name already there
    shown = f"{given} {path.with_suffix('')}".strip()  # given "": typed in a window
    return (
        f"{given} {value}: {thing}, and a name ending {path.suffix} says a file; give a "
        f"folder name without it, e.g. {shown}. Nothing was written."
    ).strip()


def with_ending(path: str | os.PathLike[str], kind: str) -> Path:
    """The name chosen in a window's save dialog with the ending KINDS[kind] says, added when
    it has another or none ("return" and "return.csv" become return.xlsx and return.csv.xlsx:
    the dialog said which kind of file it saves, so the name is made to say it too)."""
    chosen = Path(path)
    suffix = KINDS[kind].suffix
    return chosen if chosen.suffix.lower() == suffix else chosen.with_name(chosen.name + suffix)


# The most characters of a name a file name keeps (up to 4 bytes each in UTF-8: with what
# goes around it, a file name stays far under the 255 bytes a file system allows).
_NAME_PART_MOST = 40


def name_part(name: str, fallback: str) -> str:
    """A person's or a laptop's name as part of a file name every system (Windows, macOS,
    Linux) takes: its letters and digits in lower case, in whatever script ("олена-коваль",
    "فاطمة", "王芳"), Latin letters without accents ("siobhan", "łucja" as "lucja"), the rest
    (spaces, punctuation, characters Windows or macOS refuse, controls) one "-" between
    words; NFC, at most 40 characters. A name with no letter or digit at all gives
    `fallback` and a short fingerprint of the name, so two such names do not share one; no
    name gives `fallback`. Always given a prefix or the day after it ("plan-…",
    "…-2026-12-05.jlb"), so the file is never one Windows keeps for a device ("con.pdf")."""
    import hashlib
    import unicodedata

    from journeyapp.core.text import fold

    kept: list[str] = []
    for ch in unicodedata.normalize("NFC", name.strip()):
        if ch in "'’‘ʼ`":
            continue  # "O'Neil" is "oneil", as a search reads it
        category = unicodedata.category(ch)
        if category[0] not in "LNM":
            kept.append("-")
            continue
        plain = fold(ch)
        # A Latin letter with its accents taken off ("á" is "a", "Ł" is "l"); any other
        # script's letter (or mark) as it is, in lower case.
        kept.append(plain if plain.isascii() and plain.isalnum() else ch.lower())
    words = "-".join(part for part in "".join(kept).split("-") if part)
    part = unicodedata.normalize("NFC", words[:_NAME_PART_MOST].strip("-"))
    while part and unicodedata.category(part[0])[0] == "M":
        part = part[1:]  # a mark with nothing left to sit on
    if not part:
        if not name.strip():
            return fallback
        digest = hashlib.sha256(unicodedata.normalize("NFC", name).encode()).hexdigest()
        return f"{fallback}-{digest[:6]}"
    return part


def bundle_name(who: str, day: date, folder: Path) -> Path:
    """Where a laptop's journey log is offered to be saved in `folder`: named after the laptop
    or its keyworker (File > Settings) and the day, "aileens-laptop-2026-12-05.jlb", so three
    keyworkers' bundles on one memory stick, or this week's beside last week's, never share a
    name (a bundle is never written over); "-2", "-3"… when one of that name is there."""
    stem = f"{name_part(who, 'journey-log')}-{day.isoformat()}"
    path = folder / f"{stem}.jlb"
    number = 2
    while os.path.lexists(path):
        path = folder / f"{stem}-{number}.jlb"
        number += 1
    return path
