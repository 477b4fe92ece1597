"""A parent's strengths and things in the way on the command line: `strength` lists them
(strengths first), notes one in their words, corrects one with only what was given, or removes
one entered by mistake, with the same use cases (and so the same journey-log events) as the
window's Strengths and things in the way tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.goal_cmds import _CHOSEN_BY_HELP, _optional_key, _said
from journeyapp.cli.options import CaseloadTarget, caseload_options, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import _one_of_theirs, _removed, _what_to_do, _words
from journeyapp.core.access import Access
from journeyapp.core.enums import THINGS_IN_THE_WAY, StrengthOrBarrier, Voice

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant

_NOTHING = "Nothing was recorded."


def _what(kind: StrengthOrBarrier) -> str:
    return "strength" if kind is StrengthOrBarrier.STRENGTH else "thing in the way"


def _show_strengths(caseload: Caseload, person: Participant) -> None:
    """Their strengths first, then the things in the way, as the tab lists them: each on a line
    with its id, their words as typed, whose words they are and the outcome area."""
    catalogue = caseload.catalogue
    held = caseload.journey(person.id).strengths
    if not held:
        click.echo(f"No strengths or things in the way noted for {person.preferred_name}.")
        return
    for heading, kind, empty in (
        ("Strengths", StrengthOrBarrier.STRENGTH, "No strengths noted yet."),
        (THINGS_IN_THE_WAY, StrengthOrBarrier.BARRIER, "Nothing noted."),
    ):
        click.echo(f"{heading}:")
        items = [s for s in held if s.kind is kind]
        if not items:
            click.echo(f"  {empty}")
        for s in items:
            line = f"  {s.id}  {_said(s.words, s.voice)}"
            if s.area:
                line += f", {catalogue.shown('outcome_areas', s.area)}"
            click.echo(line)


@click.command()
@click.argument("participant")
@caseload_options
@click.option(
    "--log", "logging", is_flag=True, help="Note a new strength, or something in the way."
)
@click.option(
    "--id",
    "strength_id",
    metavar="ID",
    default=None,
    help="Correct the strength or thing in the way with this id instead (as listed; the start "
    "of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the strength or thing in the way given by --id (one entered by mistake).",
)
@click.option("--words", default=None, help="In their words, as they said it.")
@click.option(
    "--strength/--in-the-way",
    "strength",
    default=None,
    help="A strength (the default for a new one) or something in the way; with --id it "
    "moves one noted in the wrong list.",
)
@click.option(
    "--area",
    metavar="AREA",
    default=None,
    help="The outcome area, its key or its label from the catalogue (optional; '' for none).",
)
@click.option(
    "--chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_CHOSEN_BY_HELP.format(what="it"),
)
def strength(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    strength_id: str | None,
    remove: bool,
    words: str | None,
    strength: bool | None,
    area: str | None,
    chosen_by: str | None,
) -> None:
    """List, note, correct or remove one parent's strengths and the things in the way.

    With neither --log nor --id it lists their strengths first, then the things in the way,
    each in their words with whose words they are. PARTICIPANT is their id, their reference,
    or a unique part of their name.

    \b
    Example:
        journeyapp strength "Siobhán" --db caseload.db --log \\
            --words "I'm good with people" --area confidence --chosen-by parent
        journeyapp strength "Siobhán" --db caseload.db --log --in-the-way \\
            --words "Buses are hard with the pram"
        journeyapp strength "Siobhán" --db caseload.db --id STRENGTH_ID --chosen-by together
        journeyapp strength "Siobhán" --db caseload.db --id STRENGTH_ID --remove
    """
    from journeyapp.core.records import StrengthBarrier

    details: dict[str, Any] = {
        "--words": words,
        "--strength/--in-the-way": strength,
        "--area": area,
        "--chosen-by": chosen_by,
    }
    listing = _what_to_do(logging, strength_id, remove, details, "strength")
    if logging and words is None:
        raise click.ClickException(
            "Say what it is, in their words: --words TEXT (`journeyapp strength NAME --log "
            f'--words "I\'m good with people"`; add --in-the-way for something in the way). '
            f"{_NOTHING}"
        )
    kind = None
    if strength is not None:
        kind = StrengthOrBarrier.STRENGTH if strength else StrengthOrBarrier.BARRIER
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        # As the window's form saves them: words with their spaces at either end trimmed.
        values: dict[str, Any] = {}
        if words is not None:
            values["words"] = words.strip()
        if chosen_by is not None:
            values["voice"] = Voice(chosen_by)
        if logging:
            if area is not None:
                values["area"] = _optional_key(caseload, "outcome_areas", area, "--area", "")
            made = caseload.add_strength(
                person.id,
                values.pop("words"),
                kind=kind or StrengthOrBarrier.STRENGTH,
                **values,
            )
            click.echo(
                f"Noted the {_what(made.kind)} {_words(made.words)} for {name} (id {made.id})."
            )
        elif strength_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                StrengthBarrier.KIND,
                strength_id,
                (s.id for s in caseload.journey(person.id).strengths),
                noun="strength or thing in the way",
                nouns="strengths or things in the way",
                command="strength",
            )
            assert isinstance(record, StrengthBarrier)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if area is not None:
                    values["area"] = _optional_key(
                        caseload, "outcome_areas", area, "--area", record.area
                    )
                if kind is not None:
                    values["kind"] = kind
                if not values:
                    raise click.ClickException(
                        "Say what to correct: --words, --area, --chosen-by, --strength or "
                        f"--in-the-way (or --remove). {_NOTHING}"
                    )
                caseload.update_record(StrengthBarrier.KIND, record.id, **values)
                click.echo(f"Corrected the {_what(kind or record.kind)} {record.id} for {name}.")
        _show_strengths(caseload, person)


COMMANDS = (strength,)
