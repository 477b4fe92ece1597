"""One parent's meetings on the command line: `meeting` lists them (from today on first),
arranges one, changes one with only what was given, or removes one, with the same use cases
(and so the same journey-log events) as the window's Meetings with … list. `appointments`
lists the whole caseload's meetings ahead."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    WholeNumber,
    caseload_options,
    open_caseload,
)
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import _one_of_theirs, _removed, _what_to_do, _words
from journeyapp.core.access import Access

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import Appointment, Participant

_NOTHING = "Nothing was recorded."
_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")  # as core.validation holds a meeting's time


def _time(typed: str) -> str:
    """A time of day as the window's Time box takes it (HH:MM on a 24-hour clock), or "" for
    some time that day; anything else refused in words."""
    from journeyapp.core.text import quoted

    text = typed.strip()
    if not text or _HH_MM.fullmatch(text):
        return text
    raise click.ClickException(
        f"--time {quoted(typed)} is not a time of day as JourneyApp keeps it: write the hour "
        "and minutes on a 24-hour clock with a colon, two figures each (HH:MM), e.g. 09:30 or "
        f"14:00; --time '' for some time that day. {_NOTHING}"
    )


def _when(meeting: Appointment) -> str:
    """ "Tue 2026-12-08, 10:30" (the time left out for some time that day)."""
    text = f"{meeting.on:%a} {meeting.on.isoformat()}"
    return f"{text}, {meeting.time}" if meeting.time else text


def _meeting_line(meeting: Appointment) -> str:
    line = f"{_when(meeting)}, {meeting.minutes} min"
    if meeting.place:
        line += f", at {_words(meeting.place)}"
    if meeting.with_whom:
        line += f", with {_words(meeting.with_whom)}"
    return line


def _show_meetings(caseload: Caseload, person: Participant) -> None:
    """Each meeting on one line as the window's Meetings list shows them: from today on first
    (soonest first), then past ones (latest first), marked past."""
    from journeyapp.core.derived import meetings_in_order

    today = caseload.today()
    meetings = meetings_in_order(caseload.appointments_for(person.id), today)
    if not meetings:
        click.echo(f"No meetings arranged with {person.preferred_name}.")
    for m in meetings:
        click.echo(f"{m.id}  {_meeting_line(m)}{' (past)' if m.on < today else ''}")


@click.command()
@click.argument("participant")
@caseload_options
@click.option("--log", "logging", is_flag=True, help="Arrange a new meeting (give --on).")
@click.option(
    "--id",
    "meeting_id",
    metavar="ID",
    default=None,
    help="Change the meeting with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the meeting given by --id (called off, or arranged by mistake).",
)
@click.option(
    "--on",
    metavar="DATE",
    default=None,
    help="The day of the meeting (it may be a day to come; needed for --log).",
)
@click.option(
    "--time",
    metavar="HH:MM",
    default=None,
    help="The time, on a 24-hour clock, e.g. 10:30 (optional; '' for some time that day).",
)
@click.option(
    "--minutes",
    metavar="N",
    type=WholeNumber(0, 24 * 60, what="how long the meeting is, in minutes", example=60),
    default=None,
    help="How long, in minutes (default for --log: 60).",
)
@click.option(
    "--place",
    default=None,
    help="Where you will meet (default for --log: where their last meeting was, as the window "
    "starts it; --place '' for none).",
)
@click.option(
    "--with",
    "with_whom",
    metavar="NAMES",
    default=None,
    help="Who will be there besides the parent (default for --log: your name from File > "
    "Settings, as the window starts it; --with '' for no one named).",
)
def meeting(
    participant: str,
    target: CaseloadTarget,
    logging: bool,
    meeting_id: str | None,
    remove: bool,
    on: str | None,
    time: str | None,
    minutes: int | None,
    place: str | None,
    with_whom: str | None,
) -> None:
    """List, arrange, change or remove one parent's meetings.

    With neither --log nor --id it lists their meetings, from today on first (soonest first),
    then past ones. `journeyapp appointments` lists the whole caseload's meetings ahead.
    PARTICIPANT is their id, their reference, or a unique part of their name.

    \b
    Example:
        journeyapp meeting "Siobhán" --db caseload.db --log --on 2026-12-08 --time 10:30 \\
            --place "Community centre" --with "Kim (money advice)"
        journeyapp meeting "Siobhán" --db caseload.db --id MEETING_ID --time 14:00
        journeyapp meeting "Siobhán" --db caseload.db --id MEETING_ID --remove
    """
    from journeyapp.core.records import Appointment
    from journeyapp.core.validation import parse_date

    details: dict[str, Any] = {
        "--on": on,
        "--time": time,
        "--minutes": minutes,
        "--place": place,
        "--with": with_whom,
    }
    listing = _what_to_do(logging, meeting_id, remove, details, "meeting")
    if logging and on is None:
        raise click.ClickException(
            "Say which day the meeting is: --on DATE (`journeyapp meeting NAME --log --on "
            f"2026-12-08 --time 10:30`). {_NOTHING}"
        )
    values: dict[str, Any] = {}
    if on is not None:
        values["on"] = parse_date(on, "--on")
    if time is not None:
        values["time"] = _time(time)
    if minutes is not None:
        values["minutes"] = minutes
    # As the window's form saves them: words with their spaces at either end trimmed.
    for name, text in (("place", place), ("with_whom", with_whom)):
        if text is not None:
            values[name] = text.strip()
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        person = one_participant(caseload, participant)
        name = person.preferred_name
        if logging:
            click.echo(_arrange(caseload, person, values))
        elif meeting_id is not None:
            record = _one_of_theirs(
                caseload,
                person,
                Appointment.KIND,
                meeting_id,
                (a.id for a in caseload.appointments_for(person.id)),
                noun="meeting",
                command="meeting",
            )
            assert isinstance(record, Appointment)
            if remove:
                click.echo(_removed(caseload, record))
            else:
                if not values:
                    raise click.ClickException(
                        "Say what to change: --on, --time, --minutes, --place or --with (or "
                        f"--remove). {_NOTHING}"
                    )
                caseload.update_record(Appointment.KIND, record.id, **values)
                click.echo(f"Changed the meeting {record.id} with {name}.")
        _show_meetings(caseload, person)


def _arrange(caseload: Caseload, person: Participant, values: dict[str, Any]) -> str:
    """Arrange a meeting as the window's form starts one (60 minutes, where their last meeting
    was, with you as File > Settings names you) with what was given over it; the line says
    what it was arranged as and which of it was not given."""
    earlier = caseload.appointments_for(person.id)
    said: list[str] = []
    if "place" not in values:
        values["place"] = earlier[-1].place if earlier else ""
        if values["place"]:
            said.append("the place as last time")
    if "with_whom" not in values:
        values["with_whom"] = caseload.settings.sender().keyworker.strip()
        if values["with_whom"]:
            said.append("who will be there from File > Settings (your name)")
    made = caseload.arrange_meeting(person.id, values.pop("on"), **values)
    line = f"Arranged a meeting with {person.preferred_name} (id {made.id}): {_meeting_line(made)}."
    if said:
        line += f" Not given, so {' and '.join(said)}; change it with --id {made.id[:8]}."
    return line


COMMANDS = (meeting,)
