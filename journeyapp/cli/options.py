"""The options every command shares, the one reader of secret files, and the one way in.

In the way sqlite-utils bundles its options (`output_options`, `import_options`): a command
that opens a caseload takes `@caseload_options` and so gets `--db` and `--passphrase-file`
together, as one `CaseloadTarget`; a command that reads or writes a bundle takes
`@bundle_passphrase_option`. Every caseload the command line opens or creates goes through
`connect()`, so a change in how the library opens a caseload is one line here.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cached_property, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from journeyapp import paths
from journeyapp.core.access import LOCK_SUFFIXES, Access
from journeyapp.core.errors import JourneyError
from journeyapp.core.file_names import (
    DB_NAME,
    KINDS,
    NameRule,
    file_ending_for_folder,
    kind_of_name,
    not_a_file,
    wrong_ending,
)
from journeyapp.core.text import quoted

if TYPE_CHECKING:
    # Only for annotations: the caseload (with the whole store) is imported when a command
    # opens one, so --help, --version and a mistyped option do not wait for it.
    from journeyapp.caseload import Caseload

F = TypeVar("F", bound=Callable[..., Any])

PASSPHRASE_ENV = paths.PASSPHRASE_ENV
BUNDLE_PASSPHRASE_ENV = paths.BUNDLE_PASSPHRASE_ENV

DB_HELP = f"Caseload file (default: ${paths.DB_ENV} or {paths.default_db_path()})."
PASSPHRASE_FILE_HELP = (
    f"Read the caseload's passphrase from this file (else ${PASSPHRASE_ENV}, else a prompt)."
)
BUNDLE_PASSPHRASE_FILE_HELP = (
    f"Read the bundle's passphrase from this file (else ${BUNDLE_PASSPHRASE_ENV}, else a prompt)."
)


# -- secrets ------------------------------------------------------------------------------------

SECRET_FILE_MOST = 64 * 1024  # bytes: a secret file holds one line


def read_secret_file(file: Path, what: str = "passphrase") -> str:
    """The secret kept in `file`: its one line, without the line end an editor adds.

    The one reader for --passphrase-file, --new-passphrase-file and --bundle-passphrase-file,
    so a file that sets a passphrase also opens with it. Refuses a missing, unreadable, empty
    or multi-line file with a one-line reason, and warns when others can read it.
    """
    path = Path(file)
    if path.is_dir():
        raise click.ClickException(
            f"{path} is a folder, not a {what} file: give the file that holds the {what}."
        )
    try:
        # At most a little more than any secret: a device (/dev/zero) or a big file named by
        # mistake is refused, not read until memory runs out. A pipe (<(pass show x)) reads.
        with path.open("rb") as handle:
            raw = handle.read(SECRET_FILE_MOST + 1)
    except FileNotFoundError:
        raise click.ClickException(f"There is no {what} file at {path}; check the path.") from None
    except PermissionError:
        raise click.ClickException(
            f"Cannot read the {what} file {path}: permission denied. Make it readable by you "
            "(and only you)."
        ) from None
    except OSError as exc:
        raise click.ClickException(
            f"Cannot read the {what} file {path}: {exc.strerror or exc}."
        ) from None
    if len(raw) > SECRET_FILE_MOST:
        raise click.ClickException(
            f"{path} is too big to be a {what} file (more than {SECRET_FILE_MOST // 1024} KB): "
            f"give the file that holds only the {what}, on one line."
        )
    try:
        # utf-8-sig: Notepad may start the file with a byte-order mark; it is not the secret's.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"Cannot read the {what} file {path}: it is not UTF-8 text; save the {what} in it "
            "as plain text."
        ) from None
    # One line end is the file's, not the secret's (a passphrase typed at a prompt never ends
    # in one); more than that is a second line, which no passphrase has.
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise click.ClickException(
            f"The {what} file {path} is empty: put the {what} on its first line."
        )
    if "\n" in text or "\r" in text:
        raise click.ClickException(
            f"The {what} file {path} holds more than one line: put only the {what} in it, "
            "on one line."
        )
    if "\0" in text:  # no passphrase has one (nothing types it); SQLite cannot take it
        raise click.ClickException(
            f"The {what} file {path} holds a zero byte (saved as UTF-16, or padded by the "
            f"program that wrote it): save only the {what} in it, as plain UTF-8 text."
        )
    _warn_if_others_can_read(path, what)
    return text


def _warn_if_others_can_read(path: Path, what: str) -> None:
    """Warn (not refuse: scripts that worked keep working) when a secret file is not private."""
    if os.name != "posix":
        return  # Windows files carry ACLs, not mode bits; st_mode says nothing useful there.
    with suppress(OSError):
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            click.echo(
                f"Warning: other users of this computer can read the {what} file {path}; "
                f"make it private with: chmod 600 {path}",
                err=True,
            )


_secret_from_env = paths.secret_from_env  # the window's start reads it too, without click


def hidden_prompt(text: str, *, confirm: bool = False) -> str:
    """Ask for a secret without showing it (click.Abort when nothing can be typed).

    At a terminal, click's hidden prompt. Without one (a pipe, a script, no input at all)
    nothing echoes anyway, and getpass would warn over several lines that it cannot hide the
    typing: the line is read as it comes, so a script can pipe a passphrase in and an empty
    input gets the one-line answer of the caller.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        return str(click.prompt(text, hide_input=True, confirmation_prompt=confirm, err=True))
    first = _read_line(text)
    if confirm and _read_line("Repeat for confirmation") != first:
        raise click.ClickException("The two passphrases typed are not the same; nothing was done.")
    return first


def _read_line(text: str) -> str:
    if sys.stdin is None:  # a windowed build has no standard input at all
        raise click.Abort
    if sys.stderr is not None and sys.stderr.isatty():
        click.echo(f"{text}: ", nl=False, err=True)
    line = sys.stdin.readline()
    if not line:
        raise click.Abort
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # bytes of another encoding, kept by the reader as surrogates
        raise click.ClickException(
            f"What was piped in for “{text}” is not UTF-8 text; give it as UTF-8 (or from a "
            "file saved as UTF-8, with --passphrase-file or --bundle-passphrase-file). Nothing "
            "was done."
        ) from None
    return line.removesuffix("\n").removesuffix("\r")


def given_bundle_passphrase(file: Path | None) -> str | None:
    """A bundle's passphrase given without asking: --bundle-passphrase-file, else
    $JOURNEYAPP_BUNDLE_PASSPHRASE; None when it is to be typed."""
    if file is not None:
        return read_secret_file(file, "bundle passphrase")
    return _secret_from_env(BUNDLE_PASSPHRASE_ENV)


def read_bundle_passphrase(file: Path | None, *, confirm: bool) -> str:
    """A bundle's passphrase: given (given_bundle_passphrase), else typed at a hidden prompt
    (twice when `confirm`, i.e. when choosing one)."""
    given = given_bundle_passphrase(file)
    if given is not None:
        return given
    if confirm:  # choosing one: what it is for, and that the coordinator must be told it
        from journeyapp.core.passphrase import BUNDLE_GUIDANCE

        click.echo(BUNDLE_GUIDANCE, err=True)
    try:
        typed = hidden_prompt("Bundle passphrase", confirm=confirm)
    except click.Abort:
        typed = ""
    if not typed:
        # An empty line piped in is no passphrase: tried, SQLCipher's own words came back
        # ("PRAGMA key requires a key of one or more characters …").
        raise click.ClickException(
            f"The bundle needs a passphrase: type it, set ${BUNDLE_PASSPHRASE_ENV}, "
            "or use --bundle-passphrase-file."
        )
    return typed


# -- file and folder names ----------------------------------------------------------------------


class FileName(click.Path):
    """A file or folder named on the command line, refused in one line when it cannot be meant.

    Every path option and argument takes this type, so `--out -`, an empty name, a name of
    only spaces, a line break, or the next option taken as the name (`--out --db x.db`) are
    refused before anything is opened or written, saying what to type instead (`example`).
    The rules are `core.file_names.NameRule`'s (the window's start, which loads no click,
    checks its --db by them too); `-` is a file called "-" everywhere but where a command can
    write to the screen (`screen`: then it means the screen, and the value is None, as when
    the option is not given).
    """

    def __init__(
        self,
        example: str,
        *,
        does: Literal["write", "read", "open"] = "write",
        screen: bool = False,
        dash: str = "",
        noun: str = "a file name",
        exists: bool = False,
        file_okay: bool = True,
        dir_okay: bool = True,
        kind: str | None = None,
        thing: str = "",
        wanted: str = "",
        stream_ok: bool = False,
    ) -> None:
        super().__init__(exists=exists, file_okay=file_okay, dir_okay=dir_okay, path_type=Path)
        self.rule = NameRule(example, does=does, dash=dash, noun=noun, file_okay=file_okay)
        self.screen = screen
        # The format written (a key of core.file_names.KINDS, or "folder"): the name's ending.
        self.kind = kind
        self.thing = thing  # what is written, for the refusal ("the return")
        self.wanted = wanted or "the file itself"  # what is read ("the bundle (.jlb)")
        # A secret may be read from a pipe or /dev/stdin (<(pass show x)); nothing else may.
        self.stream_ok = stream_ok

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The path, or None for `-` where it means the screen; a one-line refusal otherwise."""
        if isinstance(value, str):
            if self.screen and value == "-":
                return None
            given = _given_as(param)
            refused = self.refusal(value, given) or self.not_there_as_wanted(value, given)
            if refused is not None:
                raise click.ClickException(refused)
        return super().convert(value, param, ctx)

    def not_there_as_wanted(self, value: str, given: str) -> str | None:
        """The one line refusing what is at `value` (a folder where a file is wanted, a device
        or a named pipe, no file where one must be), in our words rather than click's usage
        block; or None. A caseload (--db) is left to CaseloadTarget, which names where the
        path came from."""
        if self.rule.does == "open":
            return None
        shown = f"{given} {value}" if given.startswith("-") else value
        there = not_a_file(value)
        if there == "a folder":
            if self.dir_okay:
                return None  # the command says which file in it to choose
            inside = Path(value) / Path(self.rule.example).name
            instead = f"{given} {inside}" if given.startswith("-") else str(inside)
            return f"{shown} is a folder; give a file name, e.g. {instead}. Nothing was done."
        if there is not None:
            if self.stream_ok:
                return None  # a pipe or /dev/stdin: read_secret_file reads at most a line's worth
            if self.rule.does == "read":
                doing, instead = "read from", self.wanted
            else:
                doing, instead = "written to", "a new file name"
            return (
                f"{shown} is {there}, not a file, and cannot be {doing} as one; give "
                f"{instead}, e.g. {self.rule.example}. Nothing was done."
            )
        if not os.path.lexists(value):
            if self.exists:
                return f"There is no file at {value} ({given}); check the name and the folder."
            return None
        if not self.file_okay and not Path(value).is_dir():
            return (
                f"{shown} is a file, not a folder: {self.thing}; give a new folder name, e.g. "
                f"{given + ' ' if given.startswith('-') else ''}{self.rule.example}. "
                "Nothing was done."
            )
        return None

    def refusal(self, value: str, given: str) -> str | None:
        """The one line refusing `value` as given (`given`: --out, FILE, $JOURNEYAPP_DB), or
        None when it may be the name meant (and, for a file of a set format, ends as it says)."""
        refused = self.rule.refusal(value, given)
        if refused is None and self.kind == "folder":
            refused = file_ending_for_folder(value, given, self.thing)
        elif refused is None and self.kind is not None:
            refused = wrong_ending(value, given, self.thing, self.kind)
        return refused


def _given_as(param: click.Parameter | None) -> str:
    """How the person typed the parameter: --out for an option, BACKUP_FILE for an argument."""
    if isinstance(param, click.Option):
        return param.opts[0]
    return param.human_readable_name if param is not None else "The name"


# -- where the caseload is ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadTarget:
    """The caseload a command works on: its file, where its passphrase may come from, and how
    the file was named (`given`: "--db", "$JOURNEYAPP_DB", or "" for the data folder's), so a
    refusal points at what the person set, not at an option they never typed."""

    path: Path
    passphrase_file: Path | None = None
    given: str = "--db"

    @cached_property
    def _from_file(self) -> str | None:
        # Read once per command, so a warning about the file is given once.
        return None if self.passphrase_file is None else read_secret_file(self.passphrase_file)

    def given_passphrase(self) -> str | None:
        """The passphrase from --passphrase-file or $JOURNEYAPP_PASSPHRASE, if either is given."""
        if self.passphrase_file is not None:
            return self._from_file
        return _secret_from_env(PASSPHRASE_ENV)

    def ask_passphrase(self, of: Path | None = None) -> str:
        """The passphrase of `of` (the caseload by default): given, or typed at a hidden prompt."""
        file = of if of is not None else self.path
        given = self.given_passphrase()
        if given is not None:
            return given
        try:
            typed = hidden_prompt(f"Passphrase for {file}")
        except click.Abort:
            typed = ""
        if not typed:
            # An empty line piped in is no passphrase, not a wrong one: tried, it would count
            # as a wrong try (a longer wait next time) and say to restore from a backup.
            raise click.ClickException(
                f"{file} is encrypted: type its passphrase, set ${PASSPHRASE_ENV}, "
                "or use --passphrase-file."
            )
        return typed

    @property
    def _by_variable(self) -> bool:
        return self.given == f"${paths.DB_ENV}"

    def _instead(self, example: Path) -> str:
        """How to name `example` as the caseload, the way this one was named."""
        if self._by_variable:
            return f"{paths.DB_ENV}={example}"
        return f"--db {example}"

    def refuse_not_a_file(self, instead: str = "your caseload file") -> None:
        """Refuse a folder, a device or a named pipe given as the caseload: none can be opened
        as one, and one replaced (a restore) would be lost to the system (/dev/null).
        `instead`: what to give ("a new file name", for a caseload to make)."""
        there = not_a_file(self.path)
        if there is None:
            return
        source = self.given or "--db"
        if there == "a folder":
            raise click.ClickException(
                f"{self.path} is a folder; {source} needs a caseload file, "
                f"e.g. {self._instead(self.path / 'caseload.db')}"
            )
        raise click.ClickException(
            f"{self.path} is {there}, not a caseload file ({source} names it); give "
            f"{instead}, e.g. {self._instead(Path(DB_NAME.example))}. Nothing was done."
        )

    def refuse_file_as_folder(self, doing: str) -> None:
        """Refuse a path whose folder is a file, before anything is made: the system would
        name a file made beside the caseload instead ("Not a directory: ….partial")."""
        if self.path.parent.exists() and not self.path.parent.is_dir():
            from journeyapp.core.file_trouble import Trouble, advice

            raise click.ClickException(advice(Trouble.MISSING_FOLDER, self.path, doing))

    def require_existing(self) -> None:
        """Refuse, with how to make one, when there is no caseload file at the path."""
        self.refuse_not_a_file()
        if self.path.exists():
            return
        kind = kind_of_name(self.path)
        other = "" if kind in (None, "backup") else KINDS[kind].what
        if self._by_variable:
            named = f"the file ${paths.DB_ENV} names"
            if other:
                raise click.ClickException(
                    f"There is no caseload at {self.path}, {named}, and a name ending "
                    f"{self.path.suffix} is {other}'s, not a caseload's: set ${paths.DB_ENV} "
                    f"to your caseload file (e.g. {self._instead(self.path.with_suffix('.db'))}),"
                    f" or unset it to use {paths.data_dir() / 'caseload.db'}. Nothing was done."
                )
            raise click.ClickException(
                f"There is no caseload at {self.path}, {named}: set ${paths.DB_ENV} to your "
                f"caseload file, or create one there with: journeyapp new. Nothing was done."
            )
        if other:
            raise click.ClickException(
                f"There is no caseload at {self.path} (a name ending {self.path.suffix} is "
                f"{other}'s, not a caseload's): give your caseload file, e.g. "
                f"{self._instead(self.path.with_suffix('.db'))}. Nothing was done."
            )
        raise click.ClickException(
            f"There is no caseload at {self.path}. Create one with: journeyapp new --db {self.path}"
        )

    def require_new(self) -> None:
        """Refuse when something is already at the path: nothing is ever overwritten."""
        self.refuse_not_a_file("a new file name")
        if self.path.exists():
            raise click.ClickException(
                f"{self.path} already exists; choose a new file name so nothing is overwritten."
            )
        # A name ending as another kind of file (report.pdf, people.csv) is a slip: made, the
        # caseload would be taken for that file, as the writers of those files already refuse.
        refused = wrong_ending(self.path, self.given or "--db", "a new caseload", "backup")
        if refused is not None:
            raise click.ClickException(refused)
        self.refuse_file_as_folder("create the caseload")
        if not self.path.parent.exists() and self.path != paths.data_dir() / "caseload.db":
            # The default data folder is made on first use; a folder someone typed is not,
            # since a typing mistake there would otherwise leave folders behind.
            raise click.ClickException(
                f"The folder {self.path.parent} does not exist; make it first or check the path."
            )


def where_db(db_path: Path | None) -> tuple[Path, str]:
    """The caseload file a command works on, and how it was named: its --db, else one given
    before the command (`journeyapp --db FILE check`), else $JOURNEYAPP_DB, else the default
    data folder's ("")."""
    if db_path is not None:
        return db_path, "--db"
    ctx = click.get_current_context(silent=True)
    before = ctx.find_root().params.get("db_path") if ctx is not None else None
    # Without this, `journeyapp --db FILE check` would quietly check the default caseload.
    if isinstance(before, Path):
        return before, "--db"
    # The variable names the caseload as --db does, so it is refused as --db is ("-", " ").
    refused = DB_NAME.variable_refusal(paths.DB_ENV)
    if refused:
        raise click.ClickException(refused)
    given = f"${paths.DB_ENV}" if os.environ.get(paths.DB_ENV) else ""
    return paths.default_db_path(), given


_DB_NAME = FileName(DB_NAME.example, does=DB_NAME.does)


def db_option(func: F) -> F:
    """The --db option (the window's group takes it alone; commands take caseload_options)."""
    return click.option(
        "--db",
        "db_path",
        # Not dir_okay=False / exists=True: CaseloadTarget says what is wrong in one line,
        # with how to fix it, where click would print its usage block.
        type=_DB_NAME,
        default=None,
        help=DB_HELP,
    )(func)


def caseload_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--db and --passphrase-file, given to the command as one `target: CaseloadTarget`."""

    @wraps(func)
    def wrapper(
        *args: Any, db_path: Path | None, passphrase_file: Path | None, **kwargs: Any
    ) -> Any:
        path, given = where_db(db_path)
        target = CaseloadTarget(path, passphrase_file, given)
        return func(*args, target=target, **kwargs)

    decorated = click.option(
        "--passphrase-file",
        type=FileName(
            "passphrase.txt",
            does="read",
            dash="to pipe the passphrase in, leave out --passphrase-file",
            stream_ok=True,
        ),
        default=None,
        help=PASSPHRASE_FILE_HELP,
    )(wrapper)
    return db_option(decorated)


def bundle_passphrase_option(func: F) -> F:
    """--bundle-passphrase-file, for the commands that write or read a bundle."""
    return click.option(
        "--bundle-passphrase-file",
        type=FileName(
            "bundle-passphrase.txt",
            does="read",
            dash=f"to give it without a file, set ${BUNDLE_PASSPHRASE_ENV}",
            stream_ok=True,
        ),
        default=None,
        help=BUNDLE_PASSPHRASE_FILE_HELP,
    )(func)


def key_file_to_read() -> FileName:
    """The partnership's pseudonym key file, read (--key-file, partnership-key --load)."""
    return FileName(
        "partnership.key",
        does="read",
        dir_okay=False,
        exists=True,
        wanted="the partnership's key file",
    )


def key_file_option(help: str) -> Callable[[F], F]:
    """--key-file, the partnership's pseudonym key file (`help` says what it lines up)."""
    return click.option("--key-file", type=key_file_to_read(), help=help)


class WholeNumber(click.IntRange):
    """A whole number from `low` to `high` (`what` it counts, `example` one to give), refused
    in one line saying the range and an example, not click's usage block with "Invalid value
    for '--years': 0 is not in the range 1<=x<=50"."""

    def __init__(self, low: int, high: int, *, what: str, example: int) -> None:
        super().__init__(low, high)
        self.what = what
        self.example = example

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The number, or a one-line refusal."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            given = _given_as(param)
            raise click.ClickException(
                f"{given} {value}: {self.what} is a whole number from {self.min:,} to "
                f"{self.max:,}, e.g. {given} {self.example}. Nothing was done."
            ) from None


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from journeyapp.core.validation import parse_date

    try:
        return parse_date(value, param.opts[0])
    except JourneyError as exc:
        # One line, as every other command's days are refused (`break --from`), not click's
        # usage block with "Invalid value for '--from': --from … is not a date".
        raise click.ClickException(exc.message) from None


def _in_order(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """--from or --to, as a date; refused once both are read and --from is after --to."""
    day = _iso_date(ctx, param, value)
    read = {**ctx.params, str(param.name): day}
    since, until = read.get("since"), read.get("until")
    if since is not None and until is not None and since > until:
        # Else a report for no days at all says 0 of everything, as if nobody had come.
        raise click.ClickException(
            f"The --from date ({since.isoformat()}) is after the --to date "
            f"({until.isoformat()}); swap them. Nothing was done."
        )
    return day


def date_options(func: F) -> F:
    """--from and --to, as dates (2026-01-01 or 01/01/2026), --from no later than --to."""
    func = click.option(
        "--to",
        "until",
        metavar="DATE",  # as every other command's days are shown, not as TEXT
        callback=_in_order,
        help="Up to and including this date (2026-03-31).",
    )(func)
    return click.option(
        "--from",
        "since",
        metavar="DATE",
        callback=_in_order,
        help="From this date (2026-01-01 or 01/01/2026).",
    )(func)


# -- ids and names typed -----------------------------------------------------------------------


def one_line(text: str, option: str, *, where: str, nothing: str) -> None:
    """Refuse a value holding a line break or another control character (a tab, an escape):
    the window's one-line boxes (`where` they are typed) take none, and a name or a number
    holding one would print as such on plans, lists and exports."""
    import unicodedata

    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise click.ClickException(
            f"{option} {quoted(text)} holds a line break or another control character; give "
            f"it on one line, as typed in {where}. {nothing}"
        )


def typed_id(typed: str) -> str:
    """An id as copied from a listing, without the spaces at its ends or the dots of a
    shortened id ("3f2a...", as the help writes them)."""
    return typed.strip().rstrip(".…").strip()


def ids_starting(typed: str, ids: Iterable[str]) -> list[str]:
    """The ids `typed` names, as ids are copied from a listing: the whole id (that one only),
    else every id starting with it, whatever its capitals, with the dots of a shortened id
    ("3f2a...", as the help writes them) and spaces at the ends left off. Nothing typed names
    nothing."""
    start = typed_id(typed).casefold()
    if not start:
        return []
    held = list(ids)
    exact = [i for i in held if i.casefold() == start]
    return exact[:1] if exact else [i for i in held if i.casefold().startswith(start)]


def one_id(
    typed: str,
    ids: Iterable[str],
    *,
    thing: str,
    things: str,
    listing: str,
    nothing: str,
) -> str:
    """The whole id of the one record `typed` names (`ids_starting`), for every command that
    takes a record's id (break --id, job --id, decisions --id). An id that starts several is
    refused naming them; one that starts none, saying where they are listed (`listing`).
    `thing`/`things`: "decision waiting"/"decisions waiting"; `nothing`: "Nothing was done."."""
    if not typed_id(typed):
        # --id "" (a script's unset variable): no id at all, not an id nobody has.
        raise click.ClickException(f"No id was given (--id is empty); {listing}. {nothing}")
    found = ids_starting(typed, ids)
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(found[:10]) + (f" and {len(found) - 10} more" if len(found) > 10 else "")
        raise click.ClickException(
            f"{len(found)} {things} have ids starting {quoted(typed)}: {shown}; give more of "
            f"the id. {nothing}"
        )
    raise click.ClickException(f"No {thing} has the id {quoted(typed)}; {listing}. {nothing}")


# -- names typed ---------------------------------------------------------------------------------


def keyworker_name(caseload: Caseload, keyworker: str | None, *, everyone: str) -> str | None:
    """The keyworker as the caseload spells them (capitals and spaces at the ends aside);
    a name no parent has is refused, listing those it has and saying how to have `everyone`
    ("leave out --keyworker to export everyone"), rather than answering for nobody (or, for
    the meetings ahead, only for parents with no keyworker recorded)."""
    if not keyworker:
        return keyworker
    known = caseload.keyworkers()
    if keyworker in known:
        return keyworker
    folded = keyworker.strip().casefold()
    found = [name for name in known if name.strip().casefold() == folded]
    if len(found) == 1:
        return found[0]
    if not known:
        raise click.ClickException(
            "No parent in this caseload has a keyworker recorded, so none has "
            f"{quoted(keyworker)}; {everyone}."
        )
    shown = ", ".join(repr(name) for name in known[:20])
    more = f" and {len(known) - 20} more" if len(known) > 20 else ""
    raise click.ClickException(
        f"No parent in this caseload has the keyworker {quoted(keyworker)}; give one of: "
        f"{shown}{more}, or {everyone}."
    )


# -- the one way in -----------------------------------------------------------------------------


def connect(
    path: Path,
    key: str | None,
    *,
    create: bool = False,
    access: Access = Access.WRITE,
    check: bool = True,
    demo: bool = False,
) -> Caseload:
    """Open (or, with `create`, make) the caseload file: every command comes through here.

    A missing file is made only with `create`: encrypted with `key`, or unencrypted for a
    `demo` (marked DEMO: fictional people). `check` looks for damage at open (a command
    that only reads may skip it on a large caseload).
    """
    if key is not None and not create:
        # The passphrase's key derivation (a quarter of a second) runs while the library loads.
        from journeyapp.core import key_derivation

        key_derivation.begin(path, key)
    from journeyapp.caseload import Caseload

    return Caseload.open(
        path, key, create=create, access=access, check="quick" if check else "none", demo=demo
    )


@contextmanager
def open_caseload(
    target: CaseloadTarget, *, access: Access = Access.WRITE, check: bool = True
) -> Iterator[Caseload]:
    """Open an existing caseload for a command and close it afterwards; never creates one.

    An encrypted caseload's passphrase comes from --passphrase-file, else $JOURNEYAPP_PASSPHRASE,
    else a hidden prompt. `access` (core.access.Access) says who may have the caseload open
    beside the command: a command that only reads (READ) runs while the window has it open and
    saves nothing; one that may save (WRITE, the default) or changes the whole file (WHOLE) is
    refused in one line while the window has it open, before anything is changed.
    """
    target.require_existing()
    if target.passphrase_file is not None:
        # Read now, so a wrong file is named even when the caseload needs no passphrase.
        target.given_passphrase()
    caseload = _unlock(target, access=access, check=check)
    if caseload.is_demo:
        click.echo(f"DEMO caseload (fictional people): {target.path}", err=True)
    elif not caseload.is_encrypted:
        click.echo(
            f"Warning: {target.path} is not encrypted. Protect it with: "
            f"journeyapp passphrase --db {target.path}",
            err=True,
        )
    try:
        yield caseload
    finally:
        caseload.close()


def _unlock(target: CaseloadTarget, *, access: Access, check: bool) -> Caseload:
    from journeyapp.caseload.safety import Unlocker, describe, throttle_for
    from journeyapp.core.errors import WrongPassphrase

    if not describe(target.path).needs_passphrase:
        return connect(target.path, None, access=access, check=check)
    interactive = target.given_passphrase() is None
    # Typed at a prompt: a growing pause after each wrong try; from a file or variable: one try.
    # Kept across runs per file: starting the command again does not reset the count.
    unlocker = Unlocker(
        target.path,
        throttle_for(target.path, free=1 if interactive else 3, base=1.0, cap=8.0),
        opener=connect,
    )
    tries = 3 if interactive else 1
    for attempt in range(tries):
        try:
            return unlocker.attempt(target.ask_passphrase(), access=access, check=check)
        except WrongPassphrase as exc:
            if attempt == tries - 1:
                raise
            click.echo(exc.message, err=True)
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def creating(path: Path) -> Iterator[None]:
    """Make a new caseload file inside this block: if anything goes wrong, none is left behind."""
    made_folder = not path.parent.exists()
    try:
        if made_folder:
            path.parent.mkdir(parents=True)
        yield
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal", *LOCK_SUFFIXES):
            with suppress(OSError):
                Path(str(path) + suffix).unlink()
        if made_folder:
            with suppress(OSError):
                path.parent.rmdir()
        raise
