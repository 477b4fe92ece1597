"""A merge's slow starts begun from the command line's first lines, before click loads (issue 18).

`journeyapp merge` (and `import` of a .jlb bundle) spends most of a re-merge on two things that
need only the command line: each bundle file's digest (core.file_digests) and the bundle key's
derivation from its passphrase (core.key_derivation). The command starts both itself, but only
after click and the command's module have loaded (a fifth of a second, more on a busy laptop).
`start()` takes a cheap look at sys.argv first and, when the line is a plain merge whose bundle
passphrase is given without asking (--bundle-passphrase-file or the environment variable),
starts the same two things now; the command's own `ahead` and `begin` then find them and use
them, not doing them again. Anything else (an option it does not know, `--help`, a missing file,
no passphrase yet, a secret file the command would refuse) starts nothing, and click parses and
refuses the line exactly as before. Nothing here decides anything: a wrong passphrase gives a key
that does not open the bundle, and the command says so as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from journeyapp.paths import BUNDLE_PASSPHRASE_ENV, DB_ENV, secret_from_env

__all__ = ["plan", "start"]

# As journeyapp.cli.options names them (that module loads click; tests/cli checks they agree).
COMMANDS = ("merge", "import")
VALUE_OPTIONS = ("--db", "--passphrase-file", "--bundle-passphrase-file")
SECRET_FILE_LIMIT = 4096  # bytes: a passphrase file is one line; anything bigger is left to click


def _secret_file(file: Path) -> str | None:
    """The secret as options.read_secret_file reads it, or None wherever that one would refuse
    (then the command refuses it, in its own words)."""
    try:
        if not file.is_file() or file.stat().st_size > SECRET_FILE_LIMIT:
            return None
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text or "\n" in text or "\r" in text:
        return None
    return text


def plan(argv: Sequence[str], environ: os._Environ[str] | dict[str, str]) -> tuple[list[Path], str]:
    """The bundle files and passphrase of a command line whose merge can start now, else
    ([], "") (no work to start)."""
    nothing: tuple[list[Path], str] = ([], "")
    if not argv or argv[0] not in COMMANDS:
        return nothing
    values: dict[str, str] = {}
    files: list[Path] = []
    words = iter(argv[1:])
    for word in words:
        if word == "--":
            files.extend(Path(rest) for rest in words)
            break
        name, equals, value = word.partition("=")
        if name in VALUE_OPTIONS and name not in values:
            if not equals:
                following = next(words, None)
                if following is None:
                    return nothing
                value = following
            if not value or value.startswith("-"):
                return nothing
            values[name] = value
        elif word.startswith("-") or not word:
            return nothing  # --help, --dry-run, an unknown or repeated option: click's to say
        else:
            files.append(Path(word))
    if not files or (argv[0] == "import" and len(files) != 1):
        return nothing
    if any(file.suffix.casefold() != ".jlb" or not file.is_file() for file in files):
        return nothing
    db = values.get("--db") or environ.get(DB_ENV)
    if not db or not Path(db).is_file():
        return nothing  # the command refuses a missing caseload before the passphrase
    if "--bundle-passphrase-file" in values:
        passphrase = _secret_file(Path(values["--bundle-passphrase-file"]))
    else:
        passphrase = secret_from_env(BUNDLE_PASSPHRASE_ENV, environ)
    if passphrase is None:
        return nothing
    return files, passphrase


def start(argv: Sequence[str] | None = None) -> None:
    """Start each bundle file's digest and the bundle key's derivation now, when the command
    line (sys.argv by default) is a merge that will certainly want them; else do nothing."""
    files, passphrase = plan(sys.argv[1:] if argv is None else argv, os.environ)
    if not files:
        return
    from journeyapp.core import file_digests, key_derivation

    for file in files:
        file_digests.ahead(file)
    for file in files:
        key_derivation.begin(file, passphrase)
