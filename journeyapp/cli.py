"""The command line: `journeyapp` opens the window; sub-commands do the same jobs without it."""

from __future__ import annotations

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
def open_caseload(db_path: Path | None, *, create: bool = False) -> Iterator[Caseload]:
    """Open the caseload for a command and close it afterwards."""
    path = resolve_db(db_path)
    caseload = Caseload.open(path, create=create)
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


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="journeyapp")
