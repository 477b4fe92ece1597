"""The command line: `journeyapp` opens the window; sub-commands do the same jobs without it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from journeyapp import __version__, paths
from journeyapp.core.errors import JourneyError

if TYPE_CHECKING:
    # Only for annotations: the caseload (with the whole store) is imported when a command
    # opens one (through journeyapp.security), so --help, --version and a mistyped option
    # do not wait for it.
    from journeyapp.caseload import Caseload
    from journeyapp.core.merge import MergeResult

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = f"Caseload database file (default: ${paths.DB_ENV} or {paths.default_db_path()})."


def db_option(func: F) -> F:
    """The --db option every command shares."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=DB_HELP,
    )(func)


PASSPHRASE_ENV = "JOURNEYAPP_PASSPHRASE"
_PASSPHRASE_FILE = "journeyapp_passphrase_file"


def passphrase_option(func: F) -> F:
    """The --passphrase-file option (for scripts); open_caseload() reads it from the context."""

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        ctx.meta[_PASSPHRASE_FILE] = value
        return value

    return click.option(
        "--passphrase-file",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        expose_value=False,
        callback=remember,
        help=f"Read the caseload's passphrase from this file (else ${PASSPHRASE_ENV}, else a prompt).",
    )(func)


def _read_passphrase_file(file: Path) -> str:
    """A caseload passphrase kept in a file, for both opening and changing the caseload.

    One reading for both, so a file that sets the passphrase also opens the caseload. Line
    ends after it are the file's, not the passphrase's (one typed at a prompt never ends in one).
    """
    try:
        return Path(file).read_text(encoding="utf-8").rstrip("\n")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"Cannot read the passphrase file {file}: it is not UTF-8 text; "
            "save the passphrase in it as plain text."
        ) from None


def _given_passphrase() -> str | None:
    """The passphrase from --passphrase-file or $JOURNEYAPP_PASSPHRASE, if either is given."""
    ctx = click.get_current_context(silent=True)
    file = ctx.meta.get(_PASSPHRASE_FILE) if ctx is not None else None
    if file is not None:
        return _read_passphrase_file(file)
    return os.environ.get(PASSPHRASE_ENV) or None


def ask_passphrase(path: Path) -> str:
    """The passphrase for an encrypted caseload: given, or typed at a hidden prompt."""
    given = _given_passphrase()
    if given is not None:
        return given
    try:
        return str(click.prompt(f"Passphrase for {path}", hide_input=True))
    except click.Abort:
        raise click.ClickException(
            f"{path} is encrypted: type its passphrase, set ${PASSPHRASE_ENV}, "
            "or use --passphrase-file."
        ) from None


def _open_with_passphrase(path: Path, *, create: bool, exclusive: bool, demo: bool) -> Caseload:
    from journeyapp.caseload import Caseload
    from journeyapp.caseload.safety import Unlocker, describe
    from journeyapp.core.errors import WrongPassphrase
    from journeyapp.core.passphrase import Throttle

    if not describe(path).needs_passphrase:
        return Caseload.open(path, None, create=create, exclusive=exclusive, demo=demo)
    interactive = _given_passphrase() is None
    # Typed at a prompt: a growing pause after each wrong try; from a file or variable: one try.
    unlocker = Unlocker(path, Throttle(free=1 if interactive else 3, base=1.0, cap=8.0))
    tries = 3 if interactive else 1
    for attempt in range(tries):
        try:
            return unlocker.attempt(ask_passphrase(path), exclusive=exclusive, check=check)
        except WrongPassphrase as exc:
            if attempt == tries - 1:
                raise
            click.echo(exc.message, err=True)
    raise AssertionError("unreachable")  # pragma: no cover


def friendly(func: F) -> F:
    """Turn errors a person can act on into one line and a non-zero exit, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except JourneyError as exc:
            raise click.ClickException(exc.message) from None
        except OSError as exc:
            raise click.ClickException(
                f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
            ) from None

    return wrapper  # type: ignore[return-value]


def resolve_db(db_path: Path | None) -> Path:
    """The database a command works on: --db, $JOURNEYAPP_DB, or the default data folder."""
    return db_path if db_path is not None else paths.default_db_path()


@contextmanager
def open_caseload(
    db_path: Path | None, *, create: bool = False, exclusive: bool = False, demo: bool = False
) -> Iterator[Caseload]:
    """Open the caseload for a command and close it afterwards.

    An encrypted caseload's passphrase comes from --passphrase-file (see passphrase_option),
    else $JOURNEYAPP_PASSPHRASE, else a hidden prompt. A command takes a shared lock (an
    exclusive one when `exclusive`), so it refuses clearly while the window has the file open.
    """
    path = resolve_db(db_path)
    existed = path.exists()
    caseload = _open_with_passphrase(path, create=create, exclusive=exclusive, demo=demo)
    if caseload.is_demo:
        click.echo(f"DEMO caseload (fictional people): {path}", err=True)
    elif existed and not caseload.is_encrypted:
        click.echo(
            f"Warning: {path} is not encrypted. Protect it with: journeyapp passphrase --db {path}",
            err=True,
        )
    try:
        yield caseload
    finally:
        caseload.close()


@click.group(
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=f"Your caseload is kept in {paths.data_dir()} unless --db or ${paths.DB_ENV} says otherwise.",
)
@db_option
@click.option("--demo", is_flag=True, help="Open a fresh demo caseload of fictional parents.")
@click.option(
    "--smoke-test",
    is_flag=True,
    help="Open a temporary caseload, show the window, close it and exit 0 (checks a build).",
)
@click.version_option(__version__, prog_name="journeyapp")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, demo: bool, smoke_test: bool) -> None:
    """JourneyApp: records and progress plans for keyworkers supporting lone parents.

    With no command, opens the window.

    \b
    Example:
        journeyapp --demo
        journeyapp demo --db demo.db --participants 200 --seed 1
    """
    if ctx.invoked_subcommand is not None:
        return
    _launch_gui(db_path, demo=demo, smoke_test=smoke_test)


@friendly
def _launch_gui(db_path: Path | None, *, demo: bool, smoke_test: bool) -> None:
    if demo or smoke_test:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="journeyapp-demo-"))
        path = folder / ("demo.db" if demo else "smoke.db")
        if demo:
            with open_caseload(path, create=True, demo=True) as caseload:
                from journeyapp.demo import build_demo

                build_demo(caseload, participants=60, seed=1)
    else:
        path = resolve_db(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
    from journeyapp.ui.app import run

    # $JOURNEYAPP_PASSPHRASE opens an existing encrypted caseload without the unlock screen,
    # as it does for every command (scripts, and the start-up benchmark).
    key = _given_passphrase() if path.exists() and not (demo or smoke_test) else None
    sys.exit(run(path, smoke_test=smoke_test, key=key))


@cli.command()
@db_option
@click.option(
    "--participants",
    "-n",
    type=click.IntRange(1, 100_000),
    default=60,
    show_default=True,
    help="How many fictional parents.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same caseload.")
@friendly
def demo(db_path: Path | None, participants: int, seed: int) -> None:
    """Create a demo caseload of fictional parents (it says DEMO everywhere).

    \b
    Example:
        journeyapp demo --db demo.db --participants 200 --seed 1
    """
    path = resolve_db(db_path)
    if path.exists():
        raise click.ClickException(
            f"{path} already exists; choose a new file name so nothing is overwritten."
        )
    with open_caseload(path, create=True, demo=True) as caseload:
        from journeyapp.demo import build_demo

        bar = _Bar("Creating fictional journeys")
        try:
            build_demo(
                caseload,
                participants=participants,
                seed=seed,
                progress=lambda done: bar(done, participants),
            )
        finally:
            bar.close()
        counts = caseload.counts()
    click.echo(
        f"Created {path}: {counts['participants']} demo parents, "
        f"{counts['journey_log']} journey-log events."
    )


def _locality_key(caseload: Caseload, locality: str | None) -> str | None:
    """The catalogue key of a locality typed as its key or its label; unknown ones are refused."""
    if not locality:
        return locality
    found = caseload.catalogue.find_key("localities", locality)
    if found is None:
        known = ", ".join(caseload.catalogue.keys("localities"))
        raise click.ClickException(f"Locality {locality!r} is unknown; use one of: {known}.")
    return found


@cli.command()
@db_option
@passphrase_option
@click.option(
    "--repair",
    is_flag=True,
    help="Rebuild the caseload list from the records if it is out of step (nothing else changes).",
)
@friendly
def check(db_path: Path | None, repair: bool) -> None:
    """Check a caseload's integrity and schema version.

    The caseload list (names, stages, last contacts shown in the window) is an index kept
    beside the records; if it is ever out of step, --repair works it out again from them.

    \b
    Example:
        journeyapp check --db caseload.db
        journeyapp check --db caseload.db --repair
    """
    path = resolve_db(db_path)
    with open_caseload(path) as caseload:
        report = caseload.safety.check()  # every page, the list, and records with no parent
        damage, out_of_step, orphans = report.damage, list(report.out_of_step), report.orphans
        if repair and out_of_step:
            caseload.safety.rebuild_list()
            click.echo("Caseload list rebuilt from the records.")
            out_of_step = caseload.safety.list_problems()
        problems = [*damage, *out_of_step, *orphans]
        versions = caseload.schema_version()
        counts = caseload.counts()
    click.echo(f"Caseload: {path}")
    click.echo(
        f"Schema: {len(versions)} migrations applied (latest {versions[-1] if versions else 'none'})"
    )
    click.echo(f"Parents: {counts['participants']}; journey-log events: {counts['journey_log']}")
    if problems:
        for problem in problems[:20]:
            click.echo(f"Problem: {problem}", err=True)
        if orphans and not damage:
            raise click.ClickException(
                "Some records belong to a parent (or goal, or group session) that is no longer "
                "in the caseload; restore from a backup (journeyapp restore), or ask for help."
            )
        if not damage:
            raise click.ClickException(
                "The caseload list is out of step with the records (the records themselves are "
                f"fine). Run: journeyapp check --db {path} --repair"
            )
        raise click.ClickException(
            f"{len(problems)} integrity problem(s) found; restore from a backup (journeyapp restore)."
        )
    click.echo("Integrity: ok")


# -- security commands (issue 6) -----------------------------------------------------------------


@cli.command()
@db_option
@passphrase_option
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Read the new passphrase from this file instead of typing it twice.",
)
@friendly
def passphrase(db_path: Path | None, new_passphrase_file: Path | None) -> None:
    """Change the caseload's passphrase (or encrypt an unencrypted caseload).

    A backup is made first. The passphrase is stored nowhere: keep it safe.

    \b
    Example:
        journeyapp passphrase --db caseload.db
    """
    from journeyapp.core.passphrase import GUIDANCE, assess

    path = resolve_db(db_path)
    with open_caseload(path, exclusive=True) as caseload:
        if new_passphrase_file is not None:
            new = _read_passphrase_file(new_passphrase_file)
            again = new
        else:
            click.echo(GUIDANCE, err=True)
            new = str(click.prompt("New passphrase", hide_input=True, err=True))
            again = str(click.prompt("Type it again", hide_input=True, err=True))
        verdict = assess(new, again)
        if not verdict.ok:
            raise click.ClickException(" ".join(verdict.problems))
        caseload.safety.change_passphrase(caseload._key, new)
    click.echo(f"Passphrase changed for {path} ({verdict.strength}: {verdict.explanation})")


@cli.command()
@db_option
@passphrase_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the backup to this file (default: the backups folder beside the caseload).",
)
@friendly
def backup(db_path: Path | None, out: Path | None) -> None:
    """Make a verified backup of the caseload (encrypted with the same passphrase).

    \b
    Example:
        journeyapp backup --db caseload.db
        journeyapp backup --db caseload.db --out /media/usb/caseload-backup.db
    """
    path = resolve_db(db_path)
    with open_caseload(path) as caseload:
        made = caseload.safety.backup(out)
    protection = "encrypted" if made.encrypted else "NOT encrypted (demo or unencrypted caseload)"
    click.echo(
        f"Backup written to {made.path}: {made.parents} parents, {made.events} journey-log "
        f"events; {protection}; checked by reopening it."
    )


@cli.command()
@db_option
@passphrase_option
@click.argument("backup_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@friendly
def restore(db_path: Path | None, backup_file: Path) -> None:
    """Put a backup in place of the caseload; the current file is kept aside first.

    Close the window first: restore refuses while the caseload is open anywhere.

    \b
    Example:
        journeyapp restore --db caseload.db backups/caseload-20261127-090000.db
    """
    from journeyapp import security

    path = resolve_db(db_path)
    key = ask_passphrase(backup_file) if security.describe(backup_file).needs_passphrase else None
    check, aside = security.restore(path, backup_file, key)
    click.echo(
        f"Restored {path} from {backup_file}: {check.parents} parents, "
        f"{check.events} journey-log events."
    )
    if aside is not None:
        click.echo(f"The previous file was kept at {aside}.")


@cli.command()
@db_option
@passphrase_option
@click.option(
    "--years",
    type=click.IntRange(1, 50),
    default=None,
    help="Set the retention period (years since last activity) before listing.",
)
@friendly
def retention(db_path: Path | None, years: int | None) -> None:
    """List closed and moved-on journeys due for review (no activity for the retention period).

    Erase one with `journeyapp erase`.

    \b
    Example:
        journeyapp retention --db caseload.db
        journeyapp retention --db caseload.db --years 6
    """
    path = resolve_db(db_path)
    with open_caseload(path) as caseload:
        if years is not None:
            caseload.settings.set_retention_years(years)
        period = caseload.settings.retention_years
        due = caseload.safety.retention_due()
    if not due:
        click.echo(f"No closed journeys are older than {_years(period)} since their last activity.")
        return
    click.echo(f"{len(due)} closed journeys with no activity for {_years(period)} or more:")
    for item in due:
        click.echo(
            f"{item.participant_id}  {item.preferred_name}  ({item.status.replace('_', ' ')}, "
            f"last activity {item.last_activity.isoformat()})"
        )


def _years(n: int) -> str:
    return f"{n} year" if n == 1 else f"{n} years"


@cli.command()
@db_option
@passphrase_option
@click.argument("participant")
@click.option(
    "--confirm-name",
    default=None,
    help="The parent's preferred name, to confirm without a prompt (for scripts).",
)
@friendly
def erase(db_path: Path | None, participant: str, confirm_name: str | None) -> None:
    """Erase a parent's personal data everywhere (a record that they were erased remains).

    PARTICIPANT is their id or reference. You are asked to type their preferred name.
    Backups made earlier still hold their record until rotation removes them.

    \b
    Example:
        journeyapp erase --db caseload.db 5d0c7a9e-...
    """
    path = resolve_db(db_path)
    with open_caseload(path, exclusive=True) as caseload:
        found = caseload.find_participants(participant)
        if len(found) != 1 or participant not in (found[0].id, found[0].ref):
            raise click.ClickException(
                f"No parent has the id or reference {participant!r}; "
                "see `journeyapp retention` for ids."
            )
        who = found[0]
        if confirm_name is None:
            click.echo(
                f"This erases {who.preferred_name}'s record, notes and journey log for good.",
                err=True,
            )
            confirm_name = str(click.prompt("Type their preferred name to confirm", err=True))
        caseload.safety.erase_participant(who.id, confirm_name)
    click.echo(f"Erased the parent {participant}; a record that they were erased remains.")


# -- progress plans (issue 4) ----------------------------------------------------------------------


def _one_participant(caseload: Caseload, text: str) -> Any:
    """The one parent `text` names (id, reference or part of the name); several = list them, exit 1."""
    matches = caseload.find_participants(text)
    if not matches:
        raise click.ClickException(
            f"No parent matches {text!r}. Try part of their name, their reference or their id."
        )
    if len(matches) > 1:
        click.echo(f"{len(matches)} parents match {text!r}:", err=True)
        for p in matches:
            full = f" ({p.full_name})" if p.full_name and p.full_name != p.preferred_name else ""
            click.echo(f"  {p.preferred_name}{full}  id {p.id}", err=True)
        raise click.ClickException("Use more of the name, or one of the ids above.")
    return matches[0]


_CONTACT_HELP = (
    "How the parent can reach their keyworker, printed instead of the phone number from "
    "File > Settings for this print only, e.g. a mobile number."
)


@cli.command()
@click.argument("participant")
@db_option
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="The PDF file to write.",
)
@click.option("--large-print", is_flag=True, help="Print at 16 pt instead of 12 pt.")
@click.option(
    "--what-we-hold",
    is_flag=True,
    help='Print "What we hold about you" (everything held, for a subject-access request).',
)
@click.option("--contact", default="", help=_CONTACT_HELP)
@click.option(
    "--language",
    type=click.Choice(["en", "pl", "uk", "ar"]),
    default=None,
    help="Print in this language instead of the parent's own choice (en, pl, uk, ar).",
)
@friendly
def plan(
    participant: str,
    db_path: Path | None,
    out: Path,
    large_print: bool,
    what_we_hold: bool,
    contact: str,
    language: str | None,
) -> None:
    """Print one parent's progress plan (or what we hold about them) as a PDF.

    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp plan "Siobhán" --db caseload.db --out siobhan.pdf --large-print
        journeyapp plan "Kelly" --db caseload.db --out held.pdf --what-we-hold
    """
    from journeyapp.plans.documents import pdf_with_pages, write_file

    with open_caseload(db_path) as caseload:
        person = _one_participant(caseload, participant)
        document = caseload.document(
            person.id, contact=contact, what_we_hold=what_we_hold, language=language or ""
        )
        data, pages = pdf_with_pages([document], large_print)
    write_file(out, data)
    click.echo(f"Wrote “{document.title}” for {person.preferred_name} to {out} ({pages} pages).")


@cli.command()
@db_option
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write one PDF per parent into (made if missing).",
)
@click.option("--large-print", is_flag=True, help="Print at 16 pt instead of 12 pt.")
@click.option("--contact", default="", help=_CONTACT_HELP)
@friendly
def plans(db_path: Path | None, out: Path, large_print: bool, contact: str) -> None:
    """Print a progress plan for every parent in the caseload, one PDF each.

    Parents whose journey is closed are left out. Files are named after the parent
    (accents folded) plus the start of their id, so two people with one name never clash.

    \b
    Example:
        journeyapp plans --db caseload.db --out plans/ --large-print
    """
    from journeyapp.core.enums import ParticipantStatus
    from journeyapp.plans.documents import pdf_bytes, safe_file_name, write_file

    written = 0
    with open_caseload(db_path) as caseload:
        people = [p for p in caseload.participants() if p.status is not ParticipantStatus.CLOSED]
        if not people:
            raise click.ClickException("There are no parents in this caseload to print plans for.")
        out.mkdir(parents=True, exist_ok=True)
        with click.progressbar(people, label="Printing plans", file=sys.stderr) as bar:
            for person in bar:
                document = caseload.document(person.id, contact=contact)
                name = person.full_name or person.preferred_name
                write_file(
                    out / safe_file_name(name, person.id), pdf_bytes([document], large_print)
                )
                written += 1
    click.echo(f"Wrote {written} plans to {out}.")


# -- exchange: exports, imports, bundles, merges, the programme report (issue 5) ----------------

BUNDLE_PASSPHRASE_ENV = "JOURNEYAPP_BUNDLE_PASSPHRASE"


class _Bar:
    """A click progress bar fed by (done, total) callbacks."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.last)
        self.last = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _bundle_passphrase(passphrase_file: Path | None, *, confirm: bool) -> str:
    if passphrase_file is not None:
        try:
            return passphrase_file.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(
                f"Cannot read the passphrase file {passphrase_file}: {exc}"
            ) from None
    from_env = os.environ.get(BUNDLE_PASSPHRASE_ENV)
    if from_env:
        return from_env
    return str(
        click.prompt("Bundle passphrase", hide_input=True, confirmation_prompt=confirm, err=True)
    )


def _bundle_passphrase_option(func: F) -> F:
    """The --passphrase-file option of the bundle commands (bundle, merge)."""
    return click.option(
        "--passphrase-file",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help=f"Read the passphrase from a file (or set ${BUNDLE_PASSPHRASE_ENV}); otherwise asked.",
    )(func)


def _merge_bundle_file(
    db_path: Path | None, bundle_file: Path | Sequence[Path], passphrase_file: Path | None
) -> MergeResult:
    """Merge bundles into the caseload: what `merge` and `import FILE.jlb` both do."""
    from journeyapp.exchange.bundle import merge_bundles

    files = [bundle_file] if isinstance(bundle_file, Path) else list(bundle_file)
    passphrase = _bundle_passphrase(passphrase_file, confirm=False)
    # A coordinator may start from an empty caseload that only ever receives merges.
    with open_caseload(db_path, create=True) as caseload:
        return merge_bundles(caseload, files, passphrase)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from journeyapp.core.validation import parse_date

    try:
        return parse_date(value, f"--{param.name}")
    except JourneyError as exc:
        raise click.BadParameter(exc.message) from None


def _date_options(func: F) -> F:
    func = click.option(
        "--to", "until", callback=_iso_date, help="Up to and including this date (2026-03-31)."
    )(func)
    return click.option(
        "--from", "since", callback=_iso_date, help="From this date (2026-01-01 or 01/01/2026)."
    )(func)


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv and jsonl: a folder with one file per table; xlsx: one workbook.",
)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder or .xlsx file.")
@_date_options
@click.option("--locality", help="Only parents in this locality (key or name).")
@click.option("--keyworker", help="Only this keyworker's parents.")
@click.option(
    "--identifiable",
    is_flag=True,
    help="Include names, contact details and notes (recorded in the journey log).",
)
@click.option("--yes", is_flag=True, help="Do not ask to confirm an identifiable export.")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The partnership's pseudonym key file, so exports from every laptop line up.",
)
@friendly
def export(
    db_path: Path | None,
    fmt: str,
    out: Path,
    since: Any,
    until: Any,
    locality: str | None,
    keyworker: str | None,
    identifiable: bool,
    yes: bool,
    key_file: Path | None,
) -> None:
    """Export every table and the journey log (pseudonymised unless --identifiable).

    Pseudonymised exports hold no names, contact details, dates of birth (an age band instead)
    or free text, and every parent appears under a keyed pseudonym.

    \b
    Example:
        journeyapp export --db caseload.db --format xlsx --out q1.xlsx --from 2026-01-01 --to 2026-03-31
        journeyapp export --db caseload.db --format csv --out q1-csv --locality fife
    """
    from journeyapp.exchange.export import ExportOptions, read_key_file
    from journeyapp.exchange.export import export as run_export

    if identifiable and not yes:
        click.confirm(
            "This export will hold names, contact details and notes, and it will be noted in "
            "the journey log. Keep it encrypted and delete it when done. Continue?",
            abort=True,
            err=True,
        )
    with open_caseload(db_path) as caseload:
        locality = _locality_key(caseload, locality)
        options = ExportOptions(
            format=fmt,
            since=since,
            until=until,
            locality=locality,
            keyworker=keyworker,
            identifiable=identifiable,
            key=read_key_file(key_file) if key_file else None,
        )
        bar = _Bar("Exporting")
        try:
            result = run_export(caseload, out, options, progress=bar)
        finally:
            bar.close()
    click.echo(result.summary())


@cli.command(name="partnership-key")
@db_option
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write this caseload's key to a file to share.",
)
@click.option(
    "--load",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Use the key in this file from now on.",
)
@friendly
def partnership_key(db_path: Path | None, save: Path | None, load: Path | None) -> None:
    """Share the pseudonym key, so pseudonymised exports from every laptop line up.

    The coordinator saves the key once and gives the file to each keyworker, who loads it.
    Keep the file as safe as the caseload: with it, pseudonyms can be checked against ids.

    \b
    Example:
        journeyapp partnership-key --db coordinator.db --save partnership.key
        journeyapp partnership-key --db caseload.db --load partnership.key
    """
    from journeyapp.exchange.export import read_key_file, write_key_file

    if (save is None) == (load is None):
        raise click.ClickException("Give either --save FILE or --load FILE.")
    with open_caseload(db_path) as caseload:
        if save is not None:
            write_key_file(caseload.exchange.pseudonym_key(), save)
            click.echo(f"Saved the partnership key to {save}; share it only with the partnership.")
        else:
            assert load is not None
            caseload.exchange.set_pseudonym_key(read_key_file(load))
            click.echo("This caseload now uses the partnership key from the file.")


@cli.command()
@db_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The bundle file to write (.jlb).",
)
@_bundle_passphrase_option
@friendly
def bundle(db_path: Path | None, out: Path, passphrase_file: Path | None) -> None:
    """Write this laptop's journey log to an encrypted bundle for the coordinator.

    The bundle holds identifiable data: it is encrypted (SQLCipher) with the passphrase you
    choose. Tell the coordinator the passphrase in person or by phone, never with the file.

    \b
    Example:
        journeyapp bundle --db caseload.db --out aileen-2026-11.jlb
    """
    from journeyapp.exchange.bundle import check_passphrase, write_bundle

    passphrase = _bundle_passphrase(passphrase_file, confirm=True)
    check_passphrase(passphrase)
    with open_caseload(db_path) as caseload:
        bar = _Bar("Writing the bundle")
        try:
            count = write_bundle(caseload, out, passphrase, progress=bar)
        finally:
            bar.close()
    click.echo(f"Wrote {count:,} journey-log events to {out} (encrypted).")


# -- issue 16: merge takes several bundles (all or nothing); decisions in words; devices --------
@cli.command()
@db_option
@click.argument(
    "bundle_files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@_bundle_passphrase_option
@friendly
def merge(
    db_path: Path | None, bundle_files: tuple[Path, ...], passphrase_file: Path | None
) -> None:
    """Merge journey-log bundles from other laptops (merging twice changes nothing).

    Several bundles (one passphrase) are merged all or nothing: if one cannot be read or holds
    an event JourneyApp would refuse, none is merged. Two different edits to the same detail are
    both kept and listed under `journeyapp decisions`.

    \b
    Example:
        journeyapp merge --db coordinator.db aileen-2026-11.jlb ben-2026-11.jlb
    """
    result = _merge_bundle_file(db_path, list(bundle_files), passphrase_file)
    click.echo(result.summary())
    if result.new_decisions:
        click.echo("See them with: journeyapp decisions")


@cli.command()
@db_option
@click.option(
    "--keep", type=click.Choice(["here", "incoming"]), help="Which value to keep for --id."
)
@click.option("--id", "decision_id", help="The decision to settle (from the list).")
@friendly
def decisions(db_path: Path | None, keep: str | None, decision_id: str | None) -> None:
    """List edits from merges that clash, or settle one with --id and --keep.

    Each line names the parent, what the values are about, and who set each on which laptop.

    \b
    Example:
        journeyapp decisions --db coordinator.db
        journeyapp decisions --db coordinator.db --id 3f2a... --keep incoming
    """
    from journeyapp.exchange.decisions import describe

    with open_caseload(db_path) as caseload:
        if decision_id or keep:
            if not (decision_id and keep):
                raise click.ClickException("Give both --id and --keep to settle a decision.")
            decided = caseload.exchange.resolve_decision(decision_id, keep)
            click.echo(f"Kept the {keep} value for {decided.field.strip('_')}.")
            return
        waiting = caseload.exchange.decisions()
        if not waiting:
            click.echo("No edits are waiting for a decision.")
            return
        for d in waiting:
            click.echo(describe(caseload, d).text())


@cli.command()
@db_option
@click.option("--enrol", "device_id", help="A partnership laptop's device id to enrol.")
@click.option("--name", help="Who uses that laptop (with --enrol).")
@friendly
def devices(db_path: Path | None, device_id: str | None, name: str | None) -> None:
    """Show this laptop's device id and the enrolled laptops, or enrol one.

    An erasure merged from an enrolled laptop is carried out; one from any other device
    waits under `journeyapp decisions` until someone here agrees to it.

    \b
    Example:
        journeyapp devices --db coordinator.db
        journeyapp devices --db coordinator.db --enrol 5b1e... --name "Aileen's laptop"
    """
    with open_caseload(db_path) as caseload:
        if device_id:
            caseload.exchange.enrol_device(device_id, name or "")
            click.echo(f"Enrolled {name} ({device_id}).")
            return
        click.echo(f"This laptop: {caseload.device_id}")
        for known, called in caseload.exchange.enrolled_devices().items():
            if known != caseload.device_id:
                click.echo(f"Enrolled: {known}  {called}")


# -- end of issue 16's commands ------------------------------------------------------------------


@cli.command(name="import")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check every row and show what would change; save nothing."
)
@friendly
def import_(db_path: Path | None, file: Path, dry_run: bool) -> None:
    """Import parents, milestones or contacts from a spreadsheet (CSV or XLSX).

    The kind of list is recognised from the first row (case, spaces and underscores ignored):
    parents (ref, preferred_name, locality, joined_on; optional full_name, date_of_birth,
    keyworker, referral_source, status), milestones (ref, milestone, achieved_on; optional note)
    or contacts (ref, on, kind; optional minutes, note). Dates as 2026-03-01 or 01/03/2026.
    If any row is wrong nothing is imported, and every wrong row is listed. Importing the same
    file again changes nothing. A journey-log bundle (.jlb) is merged as by `journeyapp merge`.

    \b
    Example:
        journeyapp import --db caseload.db parents.xlsx --dry-run
        journeyapp import --db caseload.db parents.xlsx
    """
    from journeyapp.exchange.spreadsheet import import_file

    if file.suffix.casefold() == ".jlb":
        # A journey-log bundle from another laptop: the same as `journeyapp merge`.
        if dry_run:
            raise click.ClickException(
                "A bundle cannot be dry-run; merging it twice changes nothing."
            )
        click.echo(_merge_bundle_file(db_path, file, None).summary())
        return
    with open_caseload(db_path) as caseload:
        report = import_file(caseload, file, dry_run=dry_run)
    for note in report.notes:  # how the file was read: sheet, headings, dates (issue 16)
        click.echo(note)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.problems:
        raise click.ClickException(report.summary())
    click.echo(report.summary() + (" (dry run: nothing was saved)" if dry_run else ""))


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "xlsx", "pdf"]),
    default="text",
    show_default=True,
    help="text (to the screen unless --out), json, csv (numbers as numbers), xlsx or pdf "
    "(xlsx and pdf need --out).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@_date_options
@click.option("--locality", help="Only parents in this locality (key or name).")
@click.option(
    "--exact",
    is_flag=True,
    help="Show counts under 5 exactly (for your own use only; never publish these).",
)
@friendly
def report(
    db_path: Path | None,
    fmt: str,
    out: Path | None,
    since: Any,
    until: Any,
    locality: str | None,
    exact: bool,
) -> None:
    """The programme report: reach, stages, milestones, distance travelled and more.

    No names are shown. Counts from 1 to 4 appear as "withheld", and so do a few larger ones
    chosen so that no small count can be worked out from totals, other rows or the same report
    for each locality (issue 16). Pauses are shown as the parents' own choice to take a break.

    \b
    Example:
        journeyapp report --db coordinator.db
        journeyapp report --db coordinator.db --format pdf --out report.pdf --from 2026-04-01
        journeyapp report --db coordinator.db --format json --locality fife
    """
    from journeyapp.exchange.report import build_report

    if fmt in ("pdf", "xlsx") and out is None:
        raise click.ClickException(f"A {fmt} report needs --out FILE.{fmt}.")
    if out is not None and out.exists():
        raise click.ClickException(f"{out} already exists; choose a new file name.")
    with open_caseload(db_path) as caseload:
        locality = _locality_key(caseload, locality)
        programme = build_report(caseload, since=since, until=until, locality=locality)
    suppress = not exact
    if fmt == "pdf":
        assert out is not None
        from journeyapp.plans.report import write_report_pdf

        write_report_pdf(
            out,
            programme.title,
            programme.period,
            programme.pdf_sections(suppress),
            footnote=programme.pdf_footnote(suppress),
        )
        click.echo(f"Wrote the programme report to {out}.")
        return
    if fmt == "xlsx":  # issue 16: the report's table as numbers in a workbook
        assert out is not None
        programme.write_xlsx(out, suppress)
        click.echo(f"Wrote the programme report to {out}.")
        return
    text = {"text": programme.to_text, "json": programme.to_json, "csv": programme.to_csv}[fmt](
        suppress
    )
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
    click.echo(f"Wrote the programme report to {out}.")


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="journeyapp")
