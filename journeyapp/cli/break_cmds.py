"""A parent's breaks on the command line: `break` lists them, takes one (whose choice it is and
whose words its reason; the day to get in touch again and who chose that day), corrects one, or
picks up again, as the window's Pace tab does."""

from __future__ import annotations

import shlex
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_id, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.core.access import Access
from journeyapp.core.enums import Voice

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant, Pause

_CHOSEN_BY_HELP = (
    "Whose choice the break is, and whose words the reason: parent (the default for a new "
    "break), together or keyworker. The plan prints a parent's reason as 'You said: ...', "
    "anyone else's as 'Why: ...'."
)
_DAY_CHOSEN_BY_HELP = (
    "Who chose the day to get in touch again: parent, together or keyworker (for a new break, "
    "as --chosen-by unless given). The plan prints 'You chose this day.', 'We chose this day "
    "together.' or 'Your keyworker chose this day.'"
)
_NO_DAY = (
    "--day-chosen-by says who chose the day to get in touch again, and this break has none: "
    "give --get-in-touch-on DATE too. Nothing was recorded."
)


def _day(text: str | None, option: str) -> date | None:
    from journeyapp.core.validation import parse_optional_date

    return parse_optional_date(text, option)


def _show(caseload: Caseload, person: Participant) -> None:
    """Each break on one line; the reason as the window shows it: the parent's own words in
    quotation marks, words agreed together or the keyworker's note marked as such. A day after
    today (written on a laptop whose clock was ahead) is marked to be checked, as the Pace tab
    marks it, and a break starting after today has not started yet."""
    from journeyapp.core.describe import chosen_by_words, marked_day, said

    today = caseload.today()

    def day(value: date) -> str:
        return marked_day(value.isoformat(), value, today)

    pauses = sorted(caseload.journey(person.id).pauses, key=lambda p: p.started_on)
    if not pauses:
        click.echo(f"No breaks recorded for {person.preferred_name}.")
    for p in pauses:
        if p.ended_on:
            until = f"until {day(p.ended_on)}"
        elif p.started_on > today:
            until = "not started yet"
        else:
            until = "still taking a break"
        line = f"{p.id}  from {day(p.started_on)}, {until}"
        chosen_by = p.day_chosen_by
        if p.follow_up_on and chosen_by is not None:
            chosen = chosen_by_words(chosen_by, person.preferred_name)
            line += f", get in touch again on {p.follow_up_on.isoformat()} ({chosen})"
        if p.reason.strip():
            line += f", reason: {said(p.reason, p.voice)}"
        click.echo(line)


@click.command("break")
@click.argument("participant")
@caseload_options
@click.option("--take", is_flag=True, help="Record that the parent is taking a break.")
@click.option(
    "--id",
    "pause_id",
    default=None,
    help="Correct the break with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--pick-up-again", "pick_up", is_flag=True, help="The parent picks up again after a break."
)
@click.option(
    "--from",
    "started_on",
    metavar="DATE",
    default=None,
    help="The day the break started (default for --take: today).",
)
@click.option(
    "--until",
    metavar="DATE",
    default=None,
    help="The day they picked up again (--pick-up-again: default today; --id: an ended break).",
)
@click.option("--reason", default=None, help="Their reason, in their words (optional).")
@click.option(
    "--get-in-touch-on",
    "follow_up_on",
    metavar="DATE",
    default=None,
    help='The day to get in touch again, if one was asked for ("" clears it with --id).',
)
@click.option(
    "--chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_CHOSEN_BY_HELP,
)
@click.option(
    "--day-chosen-by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help=_DAY_CHOSEN_BY_HELP,
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the break given by --id (one entered by mistake; a parent taking no other "
    "break is then no longer taking one, as in the window).",
)
def break_(
    participant: str,
    target: CaseloadTarget,
    take: bool,
    pause_id: str | None,
    pick_up: bool,
    started_on: str | None,
    until: str | None,
    reason: str | None,
    follow_up_on: str | None,
    chosen_by: str | None,
    day_chosen_by: str | None,
    remove: bool,
) -> None:
    """List, take, correct or end one parent's breaks (a break is their choice, never a failure).

    With none of --take, --id or --pick-up-again it lists their breaks. PARTICIPANT is their
    id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp break "Siobhán" --db caseload.db --take --reason "moving house" \\
            --get-in-touch-on 2027-01-11 --day-chosen-by together
        journeyapp break "Siobhán" --db caseload.db --id BREAK_ID --day-chosen-by keyworker
        journeyapp break "Siobhán" --db caseload.db --pick-up-again
        journeyapp break "Siobhán" --db caseload.db --id BREAK_ID --remove
    """
    correcting = pause_id is not None  # --id "" too: refused below as no id
    if take + correcting + pick_up > 1:
        raise click.ClickException(
            "Give one of --take, --id BREAK_ID or --pick-up-again; nothing was recorded."
        )
    details = {
        "--from": started_on,
        "--reason": reason,
        "--get-in-touch-on": follow_up_on,
        "--chosen-by": chosen_by,
        "--day-chosen-by": day_chosen_by,
    }
    given = [name for name, value in details.items() if value is not None]
    if remove and (not correcting or given or until is not None):
        raise click.ClickException(
            "--remove takes the break to remove, --id BREAK_ID (as listed), and nothing else: "
            "correct a break with --id BREAK_ID and what to change. Nothing was recorded."
        )
    if pick_up and given:
        raise click.ClickException(
            f"{given[0]} does not go with --pick-up-again (only --until does); to change the "
            "break, use --id BREAK_ID. Nothing was recorded."
        )
    if take and until is not None:
        raise click.ClickException(
            "--until does not go with --take: record the break, then --pick-up-again "
            "--until DATE. Nothing was recorded."
        )
    if not (take or correcting or pick_up) and (given or until is not None):
        raise click.ClickException(
            "Say what to do: --take (a new break), --id BREAK_ID (correct one) or "
            "--pick-up-again. Nothing was recorded."
        )
    listing = not (take or correcting or pick_up)
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        from journeyapp.core.validation import (
            check_break_started,
            check_follow_up,
            parse_date,
        )

        if take or pick_up:
            # A break written to start after today (a laptop's clock ahead): not one to pick
            # up again from, nor one to take another beside; its day is put right first.
            check_break_started(
                caseload.journey(person.id),
                caseload.today(),
                lambda waiting: (
                    f"journeyapp break {shlex.quote(name)} --id {waiting.id} --from DATE"
                ),
            )
        if take:
            # Only --get-in-touch-on may be given as "" (no day); an empty --from is a
            # mistake (a script's unset variable), not today.
            start = caseload.today() if started_on is None else parse_date(started_on, "--from")
            follow_up = _day(follow_up_on, "--get-in-touch-on")
            check_follow_up(start, follow_up)
            if follow_up is None and day_chosen_by is not None:
                raise click.ClickException(_NO_DAY)
            caseload.pause(
                person.id,
                on=start,
                reason=(reason or "").strip(),
                voice=Voice(chosen_by or Voice.PARENT),
                follow_up_on=follow_up,
                follow_up_chosen_by=Voice(day_chosen_by) if day_chosen_by else None,
            )
            click.echo(f"{name} is taking a break (their choice).")
        elif pick_up:
            caseload.resume(person.id, on=None if until is None else parse_date(until, "--until"))
            click.echo(f"{name} has picked up again after the break.")
        elif pause_id is not None and remove:
            click.echo(_remove(caseload, person, pause_id))
        elif pause_id is not None:
            whole = _correct(caseload, person, pause_id, details, until)
            click.echo(f"Corrected the break {whole} for {name}.")
        _show(caseload, person)


def _one_break(caseload: Caseload, person: Participant, pause_id: str) -> Pause:
    """One of the parent's breaks, by its whole id or the start of it (copied from the list:
    the parent's whole journey is read once more only then)."""
    from journeyapp.core.errors import NotFound
    from journeyapp.core.records import Pause

    name = person.preferred_name
    try:
        pause = caseload.record(Pause.KIND, pause_id)
    except NotFound:
        pause = None
    if not isinstance(pause, Pause) or pause.participant_id != person.id:
        whole = one_id(
            pause_id,
            (p.id for p in caseload.journey(person.id).pauses),
            thing=f"break of {name}'s",
            things=f"breaks of {name}'s",
            listing=f"journeyapp break {shlex.quote(name)} lists them, each starting with its id",
            nothing="Nothing was recorded.",
        )
        pause = caseload.record(Pause.KIND, whole)
        assert isinstance(pause, Pause)
    return pause


def _remove(caseload: Caseload, person: Participant, pause_id: str) -> str:
    """Remove one break as the window's Remove does (the same use case: a parent taking no
    other break is then no longer taking one); what went, and where they stand now."""
    from journeyapp.core.describe import describe
    from journeyapp.core.enums import ParticipantStatus

    pause = _one_break(caseload, person, pause_id)
    what = describe(pause, caseload.catalogue, caseload.today())
    caseload.delete_record(pause.KIND, pause.id)
    said = f"Removed {what}."
    was = person.status
    now = caseload.participant(person.id).status
    if was is ParticipantStatus.PAUSED and now is not ParticipantStatus.PAUSED:
        said += f" {person.preferred_name} is no longer taking a break."
    return said


def _correct(
    caseload: Caseload,
    person: Participant,
    pause_id: str,
    details: dict[str, str | None],
    until: str | None,
) -> str:
    """Change only what was given of one of the parent's breaks (read by its id, or the start
    of it: the parent's whole journey is read once more only then); the break's whole id."""
    from journeyapp.core.validation import check_follow_up, parse_date

    pause = _one_break(caseload, person, pause_id)

    changes: dict[str, Any] = {}
    if details["--from"] is not None:
        changes["started_on"] = parse_date(details["--from"], "--from")
    if details["--reason"] is not None:
        changes["reason"] = details["--reason"].strip()
    if details["--get-in-touch-on"] is not None:
        changes["follow_up_on"] = _day(details["--get-in-touch-on"], "--get-in-touch-on")
    if details["--chosen-by"] is not None:
        changes["voice"] = Voice(details["--chosen-by"])
    # Who chose the day: as given; none once the day is cleared; for a day where there was
    # none, the break's voice unless given; and otherwise as it was (a break from a laptop
    # that did not ask reads as its voice: kept when only --chosen-by changes).
    day = changes.get("follow_up_on", pause.follow_up_on)
    if details["--day-chosen-by"] is not None:
        if day is None:
            raise click.ClickException(_NO_DAY)
        changes["follow_up_chosen_by"] = Voice(details["--day-chosen-by"])
    elif day is None:
        if pause.follow_up_chosen_by is not None:
            changes["follow_up_chosen_by"] = None
    elif pause.follow_up_on is None:
        changes["follow_up_chosen_by"] = changes.get("voice", pause.voice)
    elif pause.follow_up_chosen_by is None and "voice" in changes:
        changes["follow_up_chosen_by"] = pause.day_chosen_by
    if until is not None:
        if pause.ended_on is None:
            raise click.ClickException(
                "This break is still going on; end it with --pick-up-again --until DATE. "
                "Nothing was recorded."
            )
        changes["ended_on"] = parse_date(until, "--until")
    if not changes:
        raise click.ClickException(
            "Say what to correct: --from, --until, --reason, --get-in-touch-on, --chosen-by or "
            "--day-chosen-by."
        )
    if "started_on" in changes or "follow_up_on" in changes:
        check_follow_up(
            changes.get("started_on", pause.started_on),
            changes.get("follow_up_on", pause.follow_up_on),
        )
    caseload.update_record("pauses", pause.id, **changes)
    return pause.id


COMMANDS = (break_,)
