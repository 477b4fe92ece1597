"""A parent's stage moves on the command line: `stage` lists them, records a move, corrects one
(its stage, day or what changed) or removes one, as the window's About and Journey tabs do."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_id, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.core.access import Access
from journeyapp.core.text import quoted

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant


def _stage_key(caseload: Caseload, typed: str) -> str:
    """The catalogue key of the stage `typed` names (its key or its label, any case)."""
    wanted = typed.strip().casefold()
    for entry in caseload.catalogue.stages:
        if wanted in (str(entry.key).casefold(), str(entry.label).casefold()):
            return str(entry.key)
    stages = "; ".join(f"{e.key} ({e.label})" for e in caseload.catalogue.stages)
    raise click.ClickException(
        f"--to {quoted(typed)} is not a stage in this caseload's catalogue; give one of: "
        f"{stages}. Nothing was recorded."
    )


def _show(caseload: Caseload, person: Participant) -> None:
    """Where the parent is by today, then each move on one line, earliest first: its id, day,
    stage and what changed; a day after today (a laptop whose clock was ahead) is marked."""
    from journeyapp.core.describe import marked_day

    today = caseload.today()
    journey = caseload.journey(person.id)
    now = journey.stage_by(today)
    shown = caseload.catalogue.shown("stages", now) if now else "no stage yet"
    click.echo(f"{person.preferred_name} is now at: {shown}")
    for move in sorted(journey.stages, key=lambda s: (s.on, s.created_at)):
        line = (
            f"{move.id}  {marked_day(move.on.isoformat(), move.on, today)}  "
            f"{caseload.catalogue.shown('stages', move.stage)}"
        )
        if move.note.strip():
            line += f"  (what changed: {move.note.strip()})"
        click.echo(line)


@click.command("stage")
@click.argument("participant")
@caseload_options
@click.option(
    "--to",
    "stage",
    default=None,
    help="The stage (its key or its name, as the catalogue lists them): a new move, or with "
    "--id the stage that move should say.",
)
@click.option(
    "--id",
    "move_id",
    default=None,
    help="Correct (or with --remove, remove) the move with this id instead (as listed; the "
    "start of it will do).",
)
@click.option("--on", metavar="DATE", default=None, help="The day of the move (default today).")
@click.option("--note", default=None, help="What changed (optional).")
@click.option(
    "--remove", is_flag=True, help="With --id: remove that move (one recorded by mistake)."
)
def stage(
    participant: str,
    target: CaseloadTarget,
    stage: str | None,
    move_id: str | None,
    on: str | None,
    note: str | None,
    remove: bool,
) -> None:
    """List, record, correct or remove one parent's stage moves (journeys are not linear:
    moving back a stage is fine).

    With neither --to nor --id it lists their moves. PARTICIPANT is their id, their
    reference, or a unique part of their name. Their stage is that of their latest move by day.

    \b
    Example:
        journeyapp stage "Siobhán" --db caseload.db --to "Building confidence" \\
            --note "Came to the group twice"
        journeyapp stage "Siobhán" --db caseload.db --id MOVE_ID --on 2026-11-03
        journeyapp stage "Siobhán" --db caseload.db --id MOVE_ID --remove
    """
    correcting = move_id is not None  # --id "" too: refused below as no id
    given = [n for n, v in (("--to", stage), ("--on", on), ("--note", note)) if v is not None]
    if remove and not correcting:
        raise click.ClickException(
            "--remove needs --id MOVE_ID: the move to remove (listed by journeyapp stage "
            "NAME). Nothing was recorded."
        )
    if remove and given:
        raise click.ClickException(
            f"{given[0]} does not go with --remove (a move removed goes whole). Nothing was "
            "recorded."
        )
    if not correcting and stage is None and given:
        raise click.ClickException(
            f"{given[0]} needs --to STAGE (a new move) or --id MOVE_ID (correct one). Nothing "
            "was recorded."
        )
    if correcting and not remove and not given:
        raise click.ClickException(
            "Say what to correct: --to, --on or --note (or --remove to remove the move). "
            "Nothing was recorded."
        )
    listing = not (correcting or stage is not None)
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        from journeyapp.core.validation import parse_date

        key = None if stage is None else _stage_key(caseload, stage)
        day = None if on is None else parse_date(on, "--on")
        words = None if note is None else note.strip()
        label = caseload.catalogue.shown
        if move_id is not None:
            whole = _one_move(caseload, person, move_id)
            if remove:
                gone = caseload.record("stages", whole)
                caseload.remove_stage_move(whole)
                click.echo(f"Removed {_described(caseload, gone)} for {name}.")
            else:
                changes: dict[str, Any] = {"stage": key, "on": day, "note": words}
                caseload.correct_stage_move(whole, **changes)
                click.echo(f"Corrected the stage move {whole} for {name}.")
        elif key is not None:
            if day is None and key == caseload.journey(person.id).stage_by(caseload.today()):
                # As the About tab says it: a second move to where they are is no move.
                raise click.ClickException(
                    f"{name} is already at {label('stages', key)}: give the stage to move to "
                    "(or --id MOVE_ID to correct the move there). Nothing was recorded."
                )
            caseload.set_stage(person.id, key, on=day, note=words or "")
            click.echo(f"Recorded that {name} moved to {label('stages', key)}.")
        _show(caseload, person)


def _described(caseload: Caseload, record: Any) -> str:
    from journeyapp.core.describe import describe

    return describe(record, caseload.catalogue, caseload.today())


def _one_move(caseload: Caseload, person: Participant, move_id: str) -> str:
    """The whole id of one of the parent's moves `move_id` names (whole, or its start)."""
    return one_id(
        move_id,
        (s.id for s in caseload.journey(person.id).stages),
        thing=f"stage move of {person.preferred_name}'s",
        things=f"stage moves of {person.preferred_name}'s",
        listing=(
            f"journeyapp stage {shlex.quote(person.preferred_name)} lists them, each starting "
            "with its id"
        ),
        nothing="Nothing was recorded.",
    )


COMMANDS = (stage,)
