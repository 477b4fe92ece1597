"""Group sessions on the command line: `group` lists them (most recent first, with who came),
records one with its register, corrects one's activity, venue or day, or removes one, with the
same use cases (and so the same journey-log events) as the window's Group session and Past
group sessions dialogs, and the register's consent rule: only parents who have agreed to be on
group registers are put on one."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

import click

from journeyapp.cli.options import CaseloadTarget, caseload_options, one_id, open_caseload
from journeyapp.cli.plans_cmds import one_participant
from journeyapp.cli.records_cmds import _harmless, _what_to_do, _words
from journeyapp.core.access import Access

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.records import GroupSession, Participant

_NOTHING = "Nothing was recorded."


def _came(caseload: Caseload, session: GroupSession) -> str:
    names = sorted(
        caseload.participant(a.participant_id).preferred_name
        for a in caseload.attendance(session.id)
    )
    if not names:
        return "no one on the register"
    return f"{len(names)} came: {_harmless(', '.join(names))}"


def _show_sessions(caseload: Caseload) -> None:
    """Each session on one line, most recent first as Past group sessions lists them."""
    sessions = caseload.group_sessions()
    if not sessions:
        click.echo("No group sessions recorded.")
    for s in sessions:
        line = f"{s.id}  {s.on:%a} {s.on.isoformat()}, {_words(s.activity)}"
        if s.venue:
            line += f", at {_words(s.venue)}"
        click.echo(f"{line}, {_came(caseload, s)}")


def _on_the_register(caseload: Caseload, typed: tuple[str, ...]) -> list[Participant]:
    """The parents named by --came, each once; one whose journey has ended (not offered by the
    window's register) or who has not agreed to be on group registers refused in words."""
    from journeyapp.core.enums import ConsentPurpose, ParticipantStatus

    agreed = caseload.consented(ConsentPurpose.GROUP_REGISTERS)
    found: dict[str, Participant] = {}
    for text in typed:
        person = one_participant(caseload, text)
        name = person.preferred_name
        if person.status in (ParticipantStatus.CLOSED, ParticipantStatus.MOVED_ON):
            raise click.ClickException(
                f"{name}'s journey has ended, so they are not on group registers (the window "
                f"does not offer them either); leave them out of --came. {_NOTHING}"
            )
        if person.id not in agreed:
            raise click.ClickException(
                f"{name} has not agreed to be on group registers; record their consent first "
                f"(journeyapp parent {shlex.quote(name)} --consent group_registers=given), or leave them "
                f"out of --came. {_NOTHING}"
            )
        found[person.id] = person
    return list(found.values())


@click.command()
@caseload_options
@click.option(
    "--log", "logging", is_flag=True, help="Record a new group session (give --activity)."
)
@click.option(
    "--id",
    "session_id",
    metavar="ID",
    default=None,
    help="Correct the group session with this id instead (as listed; the start of it will do).",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the group session given by --id, its register and the contact it made for "
    "each parent who came.",
)
@click.option("--activity", default=None, help="What the group did, e.g. 'Confidence group'.")
@click.option("--venue", default=None, help="Where it was (optional).")
@click.option(
    "--on", metavar="DATE", default=None, help="The day of the session (default for --log: today)."
)
@click.option(
    "--came",
    "came",
    metavar="NAME",
    multiple=True,
    help="With --log: a parent who came (their id, reference or a unique part of their name); "
    "give it once for each. Only parents who have agreed to be on group registers.",
)
def group(
    target: CaseloadTarget,
    logging: bool,
    session_id: str | None,
    remove: bool,
    activity: str | None,
    venue: str | None,
    on: str | None,
    came: tuple[str, ...],
) -> None:
    """List, record, correct or remove group sessions and who came.

    With neither --log nor --id it lists every session, most recent first, with who came.
    Who came is changed on each parent's contacts afterwards (`journeyapp contact NAME --id
    CONTACT_ID --remove` takes them off the register), as in the window.

    \b
    Example:
        journeyapp group --db caseload.db --log --activity "Confidence group" \\
            --venue "Community centre" --came "Siobhán" --came Aoife
        journeyapp group --db caseload.db --id SESSION_ID --venue "Library"
        journeyapp group --db caseload.db --id SESSION_ID --remove
    """
    from journeyapp.core.records import GroupSession
    from journeyapp.core.validation import parse_date

    details: dict[str, Any] = {
        "--activity": activity,
        "--venue": venue,
        "--on": on,
        "--came": came or None,
    }
    listing = _what_to_do(logging, session_id, remove, details, "group session")
    if logging and (activity is None or not activity.strip()):
        raise click.ClickException(
            "Write what the group did: --activity TEXT, e.g. --activity 'Confidence group'. "
            f"{_NOTHING}"
        )
    if came and not logging:
        raise click.ClickException(
            "--came goes with --log (a new session and its register); who came to a session "
            "recorded before is changed on each parent's contacts, as in the window. "
            f"{_NOTHING}"
        )
    day = None if on is None else parse_date(on, "--on")
    with open_caseload(target, access=Access.READ if listing else Access.WRITE) as caseload:
        if logging:
            assert activity is not None
            if came and day is not None and day > caseload.today():
                raise click.ClickException(
                    f"--on {day.isoformat()} is after today: who came is recorded once the "
                    "session has happened. Leave out --came to record the session to come, "
                    f"or give the day it happened. {_NOTHING}"
                )
            people = _on_the_register(caseload, came)
            made = caseload.record_group_session(
                activity.strip(),
                on=day,
                venue=(venue or "").strip(),
                attendees=[p.id for p in people],
            )
            click.echo(
                f"Recorded the group session {_words(made.activity)} on "
                f"{made.on.isoformat()} (id {made.id}), {_came(caseload, made)}."
            )
        elif session_id is not None:
            whole = one_id(
                session_id,
                (s.id for s in caseload.group_sessions()),
                thing="group session",
                things="group sessions",
                listing="journeyapp group lists them, each starting with its id",
                nothing=_NOTHING,
            )
            session = caseload.record(GroupSession.KIND, whole)
            assert isinstance(session, GroupSession)
            if remove:
                from journeyapp.core.describe import describe

                what = describe(session, caseload.catalogue, caseload.today())
                came_then = _came(caseload, session)
                caseload.delete_record(GroupSession.KIND, session.id)
                click.echo(f"Removed {_harmless(what)} ({came_then}).")
            else:
                if activity is None and venue is None and day is None:
                    raise click.ClickException(
                        "Say what to correct: --activity, --venue or --on (or --remove). "
                        f"{_NOTHING}"
                    )
                register = caseload.attendance(session.id)
                if day is not None and day > caseload.today() and register:
                    raise click.ClickException(
                        f"--on {day.isoformat()} is after today, and {len(register)} "
                        f"{'parent' if len(register) == 1 else 'parents'} came to this "
                        "session (its register): a session that has happened cannot move to a "
                        f"day to come; check the day. {_NOTHING}"
                    )
                if activity is not None and not activity.strip():
                    raise click.ClickException(
                        "--activity is empty: write what the group did, e.g. 'Confidence "
                        f"group'. {_NOTHING}"
                    )
                # As the window's Change a group session saves it: every box, as it is or as
                # typed; the contacts it made move with it.
                caseload.correct_group_session(
                    session.id,
                    activity=session.activity if activity is None else activity.strip(),
                    venue=session.venue if venue is None else venue.strip(),
                    on=session.on if day is None else day,
                )
                click.echo(f"Corrected the group session {session.id}.")
        _show_sessions(caseload)


COMMANDS = (group,)
