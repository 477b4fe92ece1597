"""The keyworker's meetings as a calendar file (.ics, RFC 5545), with parents' first names only.

Written by hand (a dozen lines of the format; no dependency): one VEVENT per meeting from today
on with parents this keyworker works with, and one per group session. A calendar on a phone or
a shared computer is not the caseload: the summary names the parent by the first word of the
name they like to be called, nothing else about them; place and who else is there, as typed.
The file is private (0600) and written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.private_files import write_private

PRODID = "-//JourneyApp//Meetings//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One event: a meeting with a parent, or a group session."""

    uid: str
    day: date
    time: str  # "HH:MM", or "" for the whole day
    minutes: int
    summary: str
    location: str = ""
    description: str = ""


def first_name(preferred_name: str) -> str:
    """The first word of the name a parent likes to be called (all a calendar needs)."""
    words = preferred_name.split()
    return words[0] if words else "a parent"


def calendar_events(
    caseload: Caseload, *, keyworker: str | None = None, today: date | None = None
) -> list[CalendarEvent]:
    """Meetings from `today` on with the parents of `keyworker` (this laptop's keyworker from
    Settings by default; parents with no keyworker recorded count as theirs; "" for everyone),
    and group sessions from `today` on, by day and time."""
    today = today or caseload.today()
    who = caseload.settings.sender().keyworker if keyworker is None else keyworker
    people = {
        p.id: p
        for p in caseload.participants()
        if not who or not p.keyworker or p.keyworker.casefold() == who.casefold()
    }
    events = [
        CalendarEvent(
            uid=f"{a.id}@journeyapp",
            day=a.on,
            time=a.time,
            minutes=a.minutes,
            summary=f"Meeting with {first_name(people[a.participant_id].preferred_name)}",
            location=a.place,
            description=f"With {a.with_whom}" if a.with_whom else "",
        )
        for a in caseload.appointments_between(today, date.max)
        if a.participant_id in people
    ]
    events += [
        CalendarEvent(
            uid=f"{g.id}@journeyapp",
            day=g.on,
            time="",
            minutes=0,
            summary=f"Group session: {g.activity}",
            location=g.venue,
        )
        for g in caseload.group_sessions()
        if g.on >= today
    ]
    return sorted(events, key=lambda e: (e.day, e.time or "00:00", e.summary))


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return out


def ics_text(events: Iterable[CalendarEvent], stamp: datetime) -> str:
    """The calendar as RFC 5545 text (CRLF line ends); `stamp` is DTSTAMP (UTC)."""
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:JourneyApp meetings",
    ]
    for e in events:
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{dtstamp}"]
        if e.time:
            hour, minute = (int(p) for p in e.time.split(":"))
            start = datetime(e.day.year, e.day.month, e.day.day, hour, minute)
            # Floating local time (RFC 5545 3.3.5, form 1): the meeting is at 10:00 wherever
            # the calendar is.
            lines.append(f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}")
            lines.append(f"DURATION:PT{max(e.minutes, 0)}M")
        else:
            lines.append(f"DTSTART;VALUE=DATE:{e.day.strftime('%Y%m%d')}")
            end = e.day + timedelta(days=1)
            lines.append(f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}")
        lines.append(f"SUMMARY:{_escape(e.summary)}")
        if e.location:
            lines.append(f"LOCATION:{_escape(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{_escape(e.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def write_calendar(caseload: Caseload, path: Path, *, keyworker: str | None = None) -> int:
    """Write the keyworker's calendar to `path` (0600, whole or nothing); returns how many
    events it holds."""
    events = calendar_events(caseload, keyworker=keyworker)
    data = ics_text(events, caseload.clock()).encode("utf-8")
    write_private(
        path,
        data,
        register=paths.in_progress_register(),
        doing="write the calendar file",
        suffix=".ics",
        replaces=(b"BEGIN:VCALENDAR", "a calendar file"),  # a calendar written before, say
    )
    return len(events)
