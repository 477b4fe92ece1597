"""The keyworker's week on the command line: `week` (what needs them this week, as the window's
This week lists it) and `appointments` (the meetings ahead, or a calendar file of them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from journeyapp.cli.options import (
    CaseloadTarget,
    FileName,
    caseload_options,
    keyworker_name,
    open_caseload,
)
from journeyapp.core.access import Access

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload


@click.command()
@caseload_options
@click.option(
    "--ics",
    "ics",
    type=FileName("meetings.ics", dir_okay=False, kind="ics", thing="the list of meetings"),
    default=None,
    help="Write the meetings and group sessions ahead to this calendar file (.ics) instead of "
    "listing them; parents are named by first name only.",
)
@click.option(
    "--keyworker",
    default=None,
    help="Whose parents' meetings (default: this laptop's keyworker from File > Settings; "
    'give "" for everyone\'s).',
)
def appointments(target: CaseloadTarget, ics: Path | None, keyworker: str | None) -> None:
    """List the meetings arranged from today on, or save them as a calendar file.

    \b
    Example:
        journeyapp appointments --db caseload.db
        journeyapp appointments --db caseload.db --ics meetings.ics
    """
    from journeyapp.core.dates import short_date
    from journeyapp.exchange.calendar import calendar_events, write_calendar

    with open_caseload(target, access=Access.READ) as caseload:
        # As the export takes it: a name no parent has is refused (the meetings of parents
        # with no keyworker recorded, and the group sessions, were listed as theirs).
        keyworker = keyworker_name(
            caseload, keyworker, everyone='give --keyworker "" for everyone\'s meetings'
        )
        if keyworker is None:
            _say_when_nobody_is_theirs(caseload)
        if ics is not None:
            count = write_calendar(caseload, ics, keyworker=keyworker)
            click.echo(f"Wrote {count} meetings and group sessions to {ics} (first names only).")
            return
        events = calendar_events(caseload, keyworker=keyworker)
        today = caseload.today()
    if not events:
        click.echo("No meetings or group sessions arranged from today on.")
        return
    for e in events:
        when = f"{e.day.strftime('%a')} {short_date(e.day, today)}" + (
            f" {e.time}" if e.time else ""
        )
        where = f" at {e.location}" if e.location else ""
        click.echo(f"{when}  {e.summary}{where}")


def _say_when_nobody_is_theirs(caseload: Caseload) -> None:
    """This laptop's keyworker (File > Settings, Your name) as no parent's record spells it
    ("Denise" for "Denise (demo)"): said, or the meetings listed look like all there are."""
    whose = caseload.settings.sender().keyworker.strip()
    if not whose:
        return
    same, like = caseload.keyworker_spellings(whose)
    if same or not caseload.keyworkers():
        return
    records = f" (the records say {' or '.join(repr(n) for n in like)})" if like else ""
    click.echo(
        f"Note: no parent has {whose!r} (Your name in File > Settings) as keyworker{records}, "
        "so only the meetings of parents with no keyworker noted are listed; give --keyworker "
        'NAME as their records spell it, or --keyworker "" for everyone\'s.',
        err=True,
    )


# What to do next where a group is empty, as the command line does it (the window's words name
# its buttons).
_EMPTY_HERE = {
    "today": "No meetings today. Arrange one with journeyapp meeting NAME --log --on DATE.",
    "groups": "No group sessions this week. Add one with journeyapp group --log --activity TEXT "
    "--on DATE.",
}


@click.command()
@caseload_options
@click.option(
    "--keyworker",
    default=None,
    help="Whose week (default: this laptop's keyworker from File > Settings, with the parents "
    'who have no keyworker noted; give "" for everyone\'s).',
)
def week(target: CaseloadTarget, keyworker: str | None) -> None:
    """List what needs you this week, as the window's This week does.

    From today to six days on: meetings today and later this week, check-ins due, your steps
    due, referrals waiting, breaks to follow up, group sessions, and parents with no contact
    for 30 days or more (counted from their last contact, the day they joined, or the day they
    were welcomed back or picked up again after a break, whichever is latest). Each group
    lists its first 100 and says how many more.

    \b
    Example:
        journeyapp week --db caseload.db
        journeyapp week --db caseload.db --keyworker ""
    """
    from journeyapp.caseload.this_week import this_week
    from journeyapp.core.dates import long_date

    with open_caseload(target, access=Access.READ) as caseload:
        # A name no parent has is refused, as `appointments` refuses it.
        keyworker = keyworker_name(
            caseload, keyworker, everyone='give --keyworker "" for everyone\'s week'
        )
        shown = this_week(caseload, keyworker=keyworker)
    if not shown.has_parents:
        click.echo(
            "No parents in this caseload yet: enrol the first with journeyapp parent --new "
            "--name NAME --locality PLACE, and this lists their week as it comes due."
        )
        return
    if shown.nobody_theirs:
        like = " or ".join(repr(name) for name in shown.spelled)
        records = f" (the records say {like})" if like else ""
        click.echo(
            f"Note: no parent has {shown.keyworker!r} (Your name in File > Settings) as "
            f"keyworker{records}, so only parents with no keyworker noted are listed; give "
            '--keyworker NAME as their records spell it, or --keyworker "" for everyone\'s.',
            err=True,
        )
    whose = (
        f"{shown.keyworker}'s parents (and any with no keyworker noted)"
        if shown.keyworker
        else "everyone in this caseload"
    )
    click.echo(
        f"This week: {shown.today.strftime('%A')} {long_date(shown.today)} to "
        f"{shown.last.strftime('%A')} {long_date(shown.last)} · {whose}"
    )
    for group in shown.groups:
        click.echo(f"{group.title} ({group.count:,})" if group.count else group.title)
        if not group.lines:
            click.echo(f"  {_EMPTY_HERE.get(group.key, group.empty)}")
        for line in group.lines:
            # Past its day: said in the words ("due since", "was due"), and marked too.
            click.echo(f"  {'⚠ ' if line.overdue else ''}{line.text}")
        if group.more:
            click.echo(f"  …and {group.more:,} more (the window's caseload list finds them all)")


COMMANDS = (appointments, week)
