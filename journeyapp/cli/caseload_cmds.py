"""Making and checking a caseload file: `new`, `demo`, `check`."""

from __future__ import annotations

from pathlib import Path

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    WholeNumber,
    caseload_options,
    connect,
    creating,
    db_option,
    hidden_prompt,
    open_caseload,
    where_db,
)
from journeyapp.cli.progress import ProgressBar
from journeyapp.core.access import Access


@click.command()
@caseload_options
def new(target: CaseloadTarget) -> None:
    """Create an empty caseload, encrypted with a passphrase you choose.

    The passphrase is typed twice at a hidden prompt, or read from --passphrase-file or
    $JOURNEYAPP_PASSPHRASE (for scripts); the window's rules for a good one apply. It is
    stored nowhere: if it is forgotten, the caseload cannot be opened. An existing file is
    never touched.

    \b
    Example:
        journeyapp new --db caseload.db
        journeyapp new --db coordinator.db --passphrase-file coordinator-passphrase.txt
    """
    from journeyapp.caseload.safety import describe
    from journeyapp.core.passphrase import GUIDANCE, assess

    target.require_new()
    chosen = target.given_passphrase()
    if chosen is None:
        click.echo(GUIDANCE, err=True)
        try:
            chosen = hidden_prompt("Choose a passphrase")
            again = hidden_prompt("Type it again")
        except click.Abort:
            raise click.ClickException(
                "A new caseload needs a passphrase: type it twice, set $JOURNEYAPP_PASSPHRASE, "
                "or use --passphrase-file. Nothing was created."
            ) from None
    else:
        again = chosen
    verdict = assess(chosen, again)
    if not verdict.ok:
        raise click.ClickException(" ".join(verdict.problems) + " Nothing was created.")
    with creating(target.path):
        connect(target.path, chosen, create=True).close()
        if not describe(target.path).needs_passphrase:
            # Never leave a plain file where an encrypted one was asked for.
            raise click.ClickException(
                f"{target.path} came out unencrypted, so it was removed. Please report this."
            )
    click.echo(f"Created an empty encrypted caseload at {target.path}.")
    click.echo(
        f"Passphrase: {verdict.strength}. {verdict.explanation} It is stored nowhere: keep it safe."
    )
    click.echo(_catalogue_in_use())
    click.echo(
        f"Next: put who the plans are from in File > Settings (or journeyapp settings --help) "
        f"and enrol parents in the window (journeyapp --db {target.path}) or with journeyapp "
        "parent --new; a coordinator enrols each keyworker's laptop and each laptop the "
        "coordinator's (journeyapp devices --help)."
    )


def _catalogue_in_use() -> str:
    """Which stages, services, outcome areas and milestone types this laptop uses, and from
    where: a new partnership sees at once whether its own catalogue is in place."""
    from journeyapp import paths
    from journeyapp.caseload import default_catalogue

    name = default_catalogue().name
    path = paths.catalogue_path()
    if path == paths.resource(paths.CATALOGUE_FILE):
        return (
            f"Stages, services, outcome areas and milestone types: “{name}”, the default. A "
            f"partnership's own goes in {paths.data_dir() / paths.CATALOGUE_FILE} on every "
            "laptop (journeyapp --help)."
        )
    return f"Stages, services, outcome areas and milestone types: “{name}”, from {path}."


@click.command()
@db_option
@click.option(
    "--participants",
    "-n",
    type=WholeNumber(1, 100_000, what="the number of fictional parents", example=200),
    default=60,
    show_default=True,
    help="How many fictional parents.",
)
@click.option(
    "--seed",
    # One line saying what a seed is ("--seed x"), not click's usage block.
    type=WholeNumber(0, 2**31 - 1, what="the seed (the same seed, the same caseload)", example=1),
    default=1,
    show_default=True,
    help="Same seed, same caseload.",
)
def demo(db_path: Path | None, participants: int, seed: int) -> None:
    """Create a demo caseload of fictional parents (unencrypted; it says DEMO everywhere).

    \b
    Example:
        journeyapp demo --db demo.db --participants 200 --seed 1
    """
    path, given = where_db(db_path)
    target = CaseloadTarget(path, given=given)
    target.require_new()
    counts = make_demo(target.path, participants=participants, seed=seed, show_progress=True)
    click.echo(
        f"Created {target.path}: {counts['participants']} demo parents, "
        f"{counts['journey_log']} journey-log events."
    )


def make_demo(path: Path, *, participants: int, seed: int, show_progress: bool) -> dict[str, int]:
    """Make a demo caseload file at `path` (none is left behind if that fails); its counts."""
    from journeyapp.demo import build_demo
    from journeyapp.security import demo_being_built, finish_demo

    bar = ProgressBar("Creating fictional journeys")
    # Built under a ".partial" name and renamed only when whole and marked DEMO, so a killed
    # run never leaves an unmarked, unencrypted caseload under the name asked for (issue 17).
    partial = demo_being_built(path)
    with creating(path):
        caseload = connect(partial, None, create=True, demo=True)
        try:
            build_demo(
                caseload,
                participants=participants,
                seed=seed,
                progress=(lambda done: bar(done, participants)) if show_progress else None,
            )
            counts = caseload.counts()
        finally:
            bar.close()
            caseload.close()
        finish_demo(partial, path)
        return counts


@click.command()
@caseload_options
@click.option(
    "--repair",
    is_flag=True,
    help="Rebuild the caseload list from the records if it is out of step (nothing else changes).",
)
def check(target: CaseloadTarget, repair: bool) -> None:
    """Check a caseload's integrity and schema version.

    The caseload list (names, stages, last contacts shown in the window) is an index kept
    beside the records; if it is ever out of step, --repair works it out again from them.

    \b
    Example:
        journeyapp check --db caseload.db
        journeyapp check --db caseload.db --repair
    """
    path = target.path
    # Only a repair saves: a check reads, beside the window too.
    with open_caseload(target, access=Access.WRITE if repair else Access.READ) as caseload:
        report = caseload.safety.check()  # every page, the list, and records with no parent
        damage, out_of_step, orphans = report.damage, list(report.out_of_step), report.orphans
        if repair and out_of_step:
            caseload.safety.rebuild_list()
            click.echo("Caseload list rebuilt from the records.")
            out_of_step = caseload.safety.list_problems()
        problems = [*damage, *out_of_step, *orphans]
        versions = caseload.schema_version()
        counts = caseload.counts()
        to_check = caseload.days_to_check()
        clock = caseload.clock_behind()
    click.echo(f"Caseload: {path}")
    click.echo(
        f"Schema: {len(versions)} migrations applied (latest {versions[-1] if versions else 'none'})"
    )
    click.echo(f"Parents: {counts['participants']}; journey-log events: {counts['journey_log']}")
    if clock is not None:  # not a problem with the file: said, and the check goes on
        click.echo(f"Clock: {clock}")
    if to_check:
        # Not integrity problems: records kept as written, whose dates a keyworker puts right.
        click.echo(
            f"Days to check: {len(to_check)} (kept as they are; correct them in the parent's "
            "workspace)"
        )
        for name, what in to_check[:50]:
            click.echo(f"  {name}: {what}")
        if len(to_check) > 50:
            click.echo(f"  … and {len(to_check) - 50} more")
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


COMMANDS = (new, demo, check)
