"""The command line: `journeyapp` opens the window; sub-commands do the same jobs without it.

Commands live by job in `caseload_cmds` (new, demo, check), `safety_cmds` (passphrase, backup,
restore, retention, erase), `plans_cmds` (plan, plans), `answers_cmds` (answers, job: the
funder's return's answers), `break_cmds` (break: a parent's breaks), `records_cmds`
(contact, milestone: a parent's contacts and milestones), `goal_cmds` (goal, step, referral,
assessment: a parent's goals and their steps, referrals and self-assessments), `parent_cmds`
(parent, pace, choice: a parent's details, chosen pace and choices of services),
`strength_cmds` (strength: a parent's strengths and things in the way), `meeting_cmds`
(meeting: one parent's meetings), `feedback_cmds` (feedback: you said, we did), `group_cmds`
(group: group sessions and who came), `search_cmds` (search: the window's search box),
`settings_cmds` (settings: who this laptop's plans are from), `week_cmds`
(appointments), `stage_cmds` (stage: a parent's stage moves), `journey_cmds` (journey: where a
journey stands, its end and a welcome back), `exchange_cmds` (export, partnership-key, bundle,
merge, decisions, devices, import, lookup, return) and `report_cmds` (report); `options` holds the options they share and
the one way they open a caseload. Each command is thin: it reads its options, calls
the library, and says what happened in a line.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from journeyapp import __version__, paths
from journeyapp.cli.options import db_option
from journeyapp.core.bulk import loading_code
from journeyapp.core.errors import FieldProblem, JourneyError
from journeyapp.start import launch_window, prepare

__all__ = ["cli", "main"]

DEBUG_ENV = paths.DEBUG_ENV

# Which module of this package holds each command. Only the module of the command being run is
# imported (a command pays for what it uses, issue 18); `--help` and completion list every name
# here and so load them all. tests/cli/test_commands.py checks this against each module's
# COMMANDS.
COMMAND_MODULES: dict[str, str] = {
    "new": "caseload_cmds",
    "demo": "caseload_cmds",
    "check": "caseload_cmds",
    "passphrase": "safety_cmds",
    "backup": "safety_cmds",
    "restore": "safety_cmds",
    "retention": "safety_cmds",
    "erase": "safety_cmds",
    "plan": "plans_cmds",
    "plans": "plans_cmds",
    "answers": "answers_cmds",
    "job": "answers_cmds",
    "export": "exchange_cmds",
    "partnership-key": "exchange_cmds",
    "bundle": "exchange_cmds",
    "merge": "exchange_cmds",
    "decisions": "exchange_cmds",
    "devices": "exchange_cmds",
    "import": "exchange_cmds",
    "report": "report_cmds",
    "lookup": "exchange_cmds",
    "return": "exchange_cmds",
    "appointments": "week_cmds",
    "week": "week_cmds",
    "break": "break_cmds",
    "stage": "stage_cmds",
    "journey": "journey_cmds",
    "contact": "records_cmds",
    "milestone": "records_cmds",
    "goal": "goal_cmds",
    "step": "goal_cmds",
    "referral": "goal_cmds",
    "assessment": "goal_cmds",
    "parent": "parent_cmds",
    "pace": "parent_cmds",
    "choice": "parent_cmds",
    "settings": "settings_cmds",
    "strength": "strength_cmds",
    "meeting": "meeting_cmds",
    "feedback": "feedback_cmds",
    "group": "group_cmds",
    "search": "search_cmds",
}


def one_line_errors(
    run: Callable[[], Any], option_of: Callable[[str | None], str | None] | None = None
) -> Any:
    """Run a command, turning any error into one line and a non-zero exit, never a traceback.

    Errors a person can act on say what to do; anything else is a fault of ours, named in one
    line with how to see the details ($JOURNEYAPP_DEBUG=1 shows the traceback). Words refused
    in a field (core.errors.FieldProblem) are said naming the option that gave them
    (`option_of`: the option of a field), as the window names the field.
    """
    try:
        return run()
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except FieldProblem as exc:
        option = option_of(exc.field) if option_of is not None else None
        # A record's words, refused before anything was written (as the record commands say).
        raise click.ClickException(f"{exc.said(option)} Nothing was recorded.") from None
    except JourneyError as exc:
        raise click.ClickException(exc.message) from None
    except BrokenPipeError:
        # The program reading our output has stopped (`journeyapp report | head -1`): click
        # ends quietly, as it does for any command, rather than "Error: Broken pipe".
        raise
    except OSError as exc:
        where = exc.filename or ""
        raise click.ClickException(f"{exc.strerror or exc}: {where}".rstrip(": ")) from None
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        from journeyapp.core.file_trouble import damage_found

        damage = damage_found(exc)
        if damage is not None:  # the file's fault, not ours: what to do, not "report it"
            raise click.ClickException(damage) from None
        raise click.ClickException(
            f"Unexpected error ({type(exc).__name__}: {exc}). Please report it; "
            f"run again with {DEBUG_ENV}=1 to see the details."
        ) from None


class JourneyGroup(click.Group):
    """The `journeyapp` group: every command it runs fails in one line, never a traceback; a
    command's module is imported when the command is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, without importing any command's module."""
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called `cmd_name`, importing its module (and adding its commands) first."""
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            with loading_code():
                module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse, before anything is opened or written, a word of the command line that is
        not UTF-8 text (typed in a terminal of another encoding, or a file name made there):
        as Python keeps such bytes, a name or file name could be neither searched for nor
        written down ("Unexpected error (UnicodeEncodeError: … surrogates not allowed)"), and
        a backup or plans were left half-made."""
        for arg in args:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                shown = os.fsencode(arg).decode("utf-8", "backslashreplace")
                raise click.ClickException(
                    f"'{shown}' on the command line is not UTF-8 text (typed in a terminal "
                    "of another encoding, or a file named there); type it again in a UTF-8 "
                    "terminal, or rename the file. Nothing was done."
                ) from None
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the group (and through it the sub-command) with errors put into words; words
        refused in a field (too long, a control character: core.errors.FieldProblem) are said
        naming the option that gave them, as the window names the field ("The contact's
        note (--note) is too long: …")."""
        return one_line_errors(
            lambda: super(JourneyGroup, self).invoke(ctx),
            lambda field: self._option_of(ctx, field),
        )

    def _option_of(self, ctx: click.Context, field: str | None) -> str | None:
        """The option of the command being run that gives `field` (its name, or the field's
        name as an option: `--next-step` for next_step), None when none does."""
        command = self.commands.get(ctx.invoked_subcommand or "")
        if command is None or not field:
            return None
        options = [p for p in command.params if isinstance(p, click.Option)]
        spelt = "--" + field.replace("_", "-")
        for option in options:
            if option.name == field or spelt in option.opts:
                return option.opts[0]
        return None


@click.group(
    cls=JourneyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        f"Your caseload is kept in {paths.data_dir()} unless --db or ${paths.DB_ENV} says "
        f"otherwise. A partnership's own {paths.CATALOGUE_FILE} (stages, services, outcome "
        f"areas, milestone types) and {paths.CODES_FILE} put in that folder are used instead "
        f"of the defaults, unless ${paths.CATALOGUE_ENV} or ${paths.CODES_ENV} names another."
    ),
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
        journeyapp new --db caseload.db
        journeyapp demo --db demo.db --participants 200 --seed 1
    """
    if ctx.invoked_subcommand is not None:
        command = ctx.invoked_subcommand
        # Ignored, either would leave the command working on the real caseload (an import, an
        # erasure) that a person giving it meant to spare.
        if demo:
            raise click.UsageError(
                "--demo opens the window on fictional parents and does not go with a command; "
                f"nothing was done. To try `{command}` on fictional parents, make a demo "
                f"caseload first: journeyapp demo --db demo.db, then journeyapp {command} "
                "--db demo.db …"
            )
        if smoke_test:
            raise click.UsageError(
                "--smoke-test checks a build's window and does not go with a command; nothing "
                "was done. Run it alone: journeyapp --smoke-test"
            )
        return
    launch_window(db_path, demo=demo, smoke_test=smoke_test)


def run_command_line() -> None:
    """Read the command line with click and run what it asks (after `start.prepare`)."""
    cli(prog_name="journeyapp")


def end_as_the_command_line_would(exc: BaseException) -> NoReturn:
    """End the process as the group ends when opening the window raises `exc` (for the window
    opened without click, journeyapp.start): the same one line and exit code, said by click."""

    def fail() -> NoReturn:
        raise exc

    click.Command("journeyapp", callback=lambda: one_line_errors(fail)).main(
        args=[], prog_name="journeyapp"
    )
    raise AssertionError("unreachable")  # pragma: no cover - click's main always exits


def main() -> None:
    """The command line, always through click (the console scripts go through start.main)."""
    prepare()
    run_command_line()
