"""The command line: `journeyapp` opens the window; sub-commands do the same jobs without it."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from journeyapp import __version__, paths
from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError

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


def _given_passphrase() -> str | None:
    """The passphrase from --passphrase-file or $JOURNEYAPP_PASSPHRASE, if either is given."""
    ctx = click.get_current_context(silent=True)
    file = ctx.meta.get(_PASSPHRASE_FILE) if ctx is not None else None
    if file is not None:
        text = Path(file).read_text(encoding="utf-8")
        return text[:-1] if text.endswith("\n") else text  # one trailing newline is the file's
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


def _open_with_passphrase(path: Path, *, create: bool, exclusive: bool) -> Caseload:
    from journeyapp.core.errors import WrongPassphrase
    from journeyapp.core.passphrase import Throttle
    from journeyapp.security import Unlocker, describe, open_caseload

    if not describe(path).needs_passphrase:
        return open_caseload(path, None, create=create, exclusive=exclusive)
    interactive = _given_passphrase() is None
    # Typed at a prompt: a growing pause after each wrong try; from a file or variable: one try.
    unlocker = Unlocker(path, Throttle(free=1 if interactive else 3, base=1.0, cap=8.0))
    tries = 3 if interactive else 1
    for attempt in range(tries):
        try:
            return unlocker.attempt(ask_passphrase(path), exclusive=exclusive)
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
    db_path: Path | None, *, create: bool = False, exclusive: bool = False
) -> Iterator[Caseload]:
    """Open the caseload for a command and close it afterwards.

    An encrypted caseload's passphrase comes from --passphrase-file (see passphrase_option),
    else $JOURNEYAPP_PASSPHRASE, else a hidden prompt. A command takes a shared lock (an
    exclusive one when `exclusive`), so it refuses clearly while the window has the file open.
    """
    path = resolve_db(db_path)
    existed = path.exists()
    caseload = _open_with_passphrase(path, create=create, exclusive=exclusive)
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
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help=DB_HELP
)
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
        folder = Path(tempfile.mkdtemp(prefix="journeyapp-demo-"))
        path = folder / ("demo.db" if demo else "smoke.db")
        if demo:
            with open_caseload(path, create=True) as caseload:
                from journeyapp.demo import build_demo

                build_demo(caseload, participants=60, seed=1)
    else:
        path = resolve_db(db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
    from journeyapp.ui.app import run

    sys.exit(run(path, smoke_test=smoke_test))


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
    with open_caseload(path, create=True) as caseload:
        from journeyapp.demo import build_demo

        with click.progressbar(
            length=participants, label="Creating fictional journeys", file=sys.stderr
        ) as bar:
            last = 0

            def advance(done: int) -> None:
                nonlocal last
                bar.update(done - last)
                last = done

            build_demo(caseload, participants=participants, seed=seed, progress=advance)
        counts = caseload.counts()
    click.echo(
        f"Created {path}: {counts['participants']} demo parents, "
        f"{counts['journey_log']} journey-log events."
    )


@cli.command()
@db_option
@passphrase_option
@friendly
def check(db_path: Path | None) -> None:
    """Check a caseload's integrity and schema version.

    \b
    Example:
        journeyapp check --db caseload.db
    """
    path = resolve_db(db_path)
    with open_caseload(path) as caseload:
        problems = caseload.integrity_problems()
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
            new = new_passphrase_file.read_text(encoding="utf-8").rstrip("\n")
            again = new
        else:
            click.echo(GUIDANCE, err=True)
            new = str(click.prompt("New passphrase", hide_input=True, err=True))
            again = str(click.prompt("Type it again", hide_input=True, err=True))
        verdict = assess(new, again)
        if not verdict.ok:
            raise click.ClickException(" ".join(verdict.problems))
        caseload.change_passphrase(caseload._key, new)
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
        made = caseload.backup(out)
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
            caseload.set_retention_years(years)
        period = caseload.retention_years
        due = caseload.retention_due()
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


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all, so a failed run never leaves half a PDF behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".journeyapp-", suffix=".pdf", dir=path.parent)
    except OSError as exc:
        raise click.ClickException(
            f"Cannot write {path}: {exc.strerror or exc}. Choose a folder you can write to."
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise click.ClickException(
            f"Cannot write {path}: {exc.strerror or exc}. Nothing was left half-written."
        ) from None


_CONTACT_HELP = "How the parent can reach their keyworker (printed on the plan), e.g. a phone number."


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
@friendly
def plan(
    participant: str,
    db_path: Path | None,
    out: Path,
    large_print: bool,
    what_we_hold: bool,
    contact: str,
) -> None:
    """Print one parent's progress plan (or what we hold about them) as a PDF.

    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp plan "Siobhán" --db caseload.db --out siobhan.pdf --large-print
        journeyapp plan "Kelly" --db caseload.db --out held.pdf --what-we-hold
    """
    from journeyapp.plans.documents import build_document, pdf_with_pages

    with open_caseload(db_path) as caseload:
        person = _one_participant(caseload, participant)
        document = build_document(
            caseload.journey(person.id),
            caseload.catalogue,
            caseload.today(),
            contact=contact,
            what_we_hold=what_we_hold,
            events=caseload.events(person.id) if what_we_hold else (),
            sessions={s.id: s for s in caseload.group_sessions()} if what_we_hold else None,
        )
        data, pages = pdf_with_pages([document], large_print)
    _write_atomically(out, data)
    click.echo(
        f"Wrote “{document.title}” for {person.preferred_name} to {out} ({pages} pages)."
    )


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
        caseload.erase_participant(who.id, confirm_name)
    click.echo(f"Erased the parent {participant}; a record that they were erased remains.")
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
    from journeyapp.plans.documents import build_document, pdf_bytes, safe_file_name

    written = 0
    with open_caseload(db_path) as caseload:
        people = [
            p for p in caseload.participants() if p.status is not ParticipantStatus.CLOSED
        ]
        if not people:
            raise click.ClickException("There are no parents in this caseload to print plans for.")
        out.mkdir(parents=True, exist_ok=True)
        today = caseload.today()
        with click.progressbar(people, label="Printing plans", file=sys.stderr) as bar:
            for person in bar:
                document = build_document(
                    caseload.journey(person.id), caseload.catalogue, today, contact=contact
                )
                name = person.full_name or person.preferred_name
                _write_atomically(
                    out / safe_file_name(name, person.id), pdf_bytes([document], large_print)
                )
                written += 1
    click.echo(f"Wrote {written} plans to {out}.")


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="journeyapp")
