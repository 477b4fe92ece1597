"""Where a parent's journey stands on the command line: `journey` shows it (each change of it,
with its day and who recorded it, then its moments day by day as the window's Journey tab lists
them: stage moves, milestones, the days it ended and they were welcomed back, breaks), records
that the parent moved on (to what they chose) or that the journey closed, or welcomes them
back, as the window's Parent menu does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.core.access import Access
from journeyapp.core.enums import JOURNEY_ENDED, Destination, ParticipantStatus, Voice

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Participant


def _show(caseload: Caseload, person: Participant) -> None:
    """Where the journey stands today, then each change of it in the journey log."""
    from journeyapp.core import turning_points
    from journeyapp.core.dates import long_date
    from journeyapp.core.enums import label

    today = caseload.today()
    journey = caseload.journey(person.id)
    status = journey.status_by(today)
    line = f"{person.preferred_name}: {label(status)}"
    decided = person.destination is not Destination.NOT_DECIDED
    if status is ParticipantStatus.MOVED_ON and decided:
        line += f" (to {label(person.destination).lower()})"
    elif status not in JOURNEY_ENDED and decided:
        line += f", working towards {label(person.destination).lower()}"
    click.echo(line)
    turns = caseload.status_turns(person.id)
    for n, turn in enumerate(turns):
        by = f", recorded by {turn.actor}" if turn.actor else ""
        what = f"added, {label(turn.status).lower()}" if n == 0 else label(turn.status)
        click.echo(f"  {long_date(turn.on)}: {what}{by}")
    # Its moments day by day, in the Journey tab's words: stage moves, milestones, and the days
    # it turned (ended and where to, welcomed back, each break from – to or since).
    moments = turning_points.moments(journey, caseload.catalogue, turns)
    if moments:
        click.echo("The journey so far, day by day:")
        for moment in moments:
            click.echo(f"  {turning_points.moment_line(moment, today)}")


@click.command("journey")
@click.argument("participant")
@caseload_options
@click.option(
    "--moved-on",
    "moved_on",
    is_flag=True,
    help="Record that the parent moved on (to work, learning, volunteering or their own "
    "next step: say which with --destination).",
)
@click.option(
    "--destination",
    "destination",
    type=click.Choice([d.value for d in Destination]),
    default=None,
    help="With --moved-on: where they moved on to (default: what they were working towards).",
)
@click.option(
    "--on",
    "ended_on",
    metavar="DATE",
    default=None,
    help="With --moved-on or --closed: the day the journey ended (default: today for a journey "
    "ending now; as recorded when correcting one that had ended). With --welcome-back: the day "
    "they came back (default: today).",
)
@click.option(
    "--closed",
    is_flag=True,
    help="Record that the journey closed (they no longer want support, moved away, or lost touch).",
)
@click.option(
    "--words",
    "words",
    metavar="TEXT",
    default=None,
    help="With --moved-on or --closed: what the parent wants said about where they are going "
    "or why they are stopping, as they said it (printed on their plan). Correcting a journey "
    'that has ended, --words "" takes them away.',
)
@click.option(
    "--chosen-by",
    "chosen_by",
    type=click.Choice([v.value for v in Voice]),
    default=None,
    help="With --words: whose words they are: parent (the default), together or keyworker, "
    "as the window's 'Whose words' asks.",
)
@click.option(
    "--welcome-back",
    "welcome_back",
    is_flag=True,
    help="Take up again the journey of a parent who moved on or whose journey closed (today, "
    "or on the day --on gives).",
)
def journey(
    participant: str,
    target: CaseloadTarget,
    moved_on: bool,
    destination: str | None,
    ended_on: str | None,
    closed: bool,
    words: str | None,
    chosen_by: str | None,
    welcome_back: bool,
) -> None:
    """Show where one parent's journey stands, or record that it ended or is taken up again.

    With none of --moved-on, --closed or --welcome-back it shows their status, each change
    of it, and the journey so far day by day (stage moves, milestones, the days it ended and
    they were welcomed back, breaks), as the window's Journey tab lists them. An ending is dated today unless --on says another day; a break being taken then
    ends with the journey; their records stay as they are. Said again of a journey that has
    ended, it corrects how, when (--on) or where to (--destination), or the parent's words
    (--words, whose: --chosen-by). A welcome back is dated
    today unless --on gives the day they came back (not before their journey ended).
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp journey "Siobhán" --db caseload.db
        journeyapp journey "Siobhán" --db caseload.db --moved-on --destination work --on 2026-11-20
        journeyapp journey "Siobhán" --db caseload.db --moved-on \\
            --words "I start at the library on Monday" --chosen-by parent
        journeyapp journey "Siobhán" --db caseload.db --welcome-back --on 2026-12-01
    """
    if moved_on + closed + welcome_back > 1:
        raise click.ClickException(
            "Give one of --moved-on, --closed or --welcome-back; nothing was recorded."
        )
    if destination is not None and not moved_on:
        raise click.ClickException(
            "--destination says where a parent moved on to: give it with --moved-on. Nothing was recorded."
        )
    if (words is not None or chosen_by is not None) and not (moved_on or closed):
        raise click.ClickException(
            "--words and --chosen-by are the parent's words as their journey ends: give them "
            "with --moved-on or --closed. Nothing was recorded."
        )
    if chosen_by is not None and words is None:
        raise click.ClickException(
            "--chosen-by says whose words --words are: give the words too. Nothing was recorded."
        )
    if ended_on is not None and not (moved_on or closed or welcome_back):
        raise click.ClickException(
            "--on says the day a journey ended or was taken up again: give it with --moved-on, "
            "--closed or --welcome-back. Nothing was recorded."
        )
    changing = moved_on or closed or welcome_back
    with open_caseload(target, access=Access.WRITE if changing else Access.READ) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        from journeyapp.core.validation import parse_date

        on = None if ended_on is None else parse_date(ended_on, "--on")
        if moved_on or closed:
            status = ParticipantStatus.MOVED_ON if moved_on else ParticipantStatus.CLOSED
            ended = caseload.end_journey(
                person.id,
                status,
                on=on,
                destination=Destination(destination) if destination else None,
                words=words,
                voice=Voice(chosen_by) if chosen_by else None,
            )
            click.echo(f"{name} has moved on." if moved_on else f"{name}'s journey is closed.")
            person = ended
        elif welcome_back:
            from journeyapp.core.dates import long_date

            person = caseload.reopen_journey(person.id, on=on)
            day = "today" if on is None or on == caseload.today() else f"on {long_date(on)}"
            click.echo(f"Welcome back, {name}: their journey is taken up again, {day}.")
        _show(caseload, person)


COMMANDS = (journey,)
