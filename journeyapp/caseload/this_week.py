"""This week: what needs the keyworker between today and six days on, as plain Python (no Qt).

The state half of the home view, in the way Anki's browser table keeps its state apart from
the view: `this_week(caseload)` asks the store's seven questions (store/this_week.py) with the
caseload clock's today and returns a `ThisWeek` of groups of `WeekLine`s. Each line says which
parent, which workspace section and which record it is about, so the window opens the parent
at the right place; each empty group says what to do next. The window's widget only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from journeyapp.core import derived
from journeyapp.core.dates import short_date
from journeyapp.core.describe import chosen_by_words, said
from journeyapp.core.enums import Voice
from journeyapp.core.records import day_chosen_by
from journeyapp.core.text import with_family_initial
from journeyapp.store import queries as store_queries
from journeyapp.store import this_week as store_week

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload

# A week is today and the six days after it: on a Friday, next Monday's meetings are in it.
WEEK_DAYS = 7
# Parents not in touch for this many days are listed (a break is their choice: not listed).
QUIET_DAYS = 30
# A group lists at most this many lines, then says how many more there are: a coordinator's
# merged caseload of 10,000 parents has thousands of check-ins due, which no one reads as a list.
MOST_LINES = 100


class Section(StrEnum):
    """Where in a parent's workspace a line opens (the workspace maps these to its sections)."""

    MEETINGS = "meetings"  # the parent's meetings (header and the meetings form)
    CONTACTS = "contacts"
    GOALS = "goals"
    REFERRALS = "referrals"
    PACE = "pace"


@dataclass(frozen=True)
class WeekLine:
    """One thing to do or to know, and where it opens."""

    group: str  # the WeekGroup key it is listed under
    text: str  # what the line says, e.g. "Amira · 14:00 at the Hub, with Kim"
    day: date | None
    participant_id: str | None  # None: a group session (opens the group sessions form)
    name: str  # the parent's preferred name ("" for a group session)
    kind: str  # the record kind (core.records KIND) the line is about
    record_id: str | None  # that record (None for a check-in or a quiet parent)
    section: Section | None  # the workspace section to open at (None: the workspace as it is)
    overdue: bool = False  # past its day: shown with an icon and the words, not colour alone


@dataclass(frozen=True)
class WeekGroup:
    """A heading, its lines, and what to do next when there are none."""

    key: str
    title: str
    lines: tuple[WeekLine, ...]
    empty: str
    more: int = 0  # lines beyond MOST_LINES, counted but not listed

    @property
    def count(self) -> int:
        """How many things the group holds, listed or not."""
        return len(self.lines) + self.more


@dataclass(frozen=True)
class ThisWeek:
    """Everything This week shows, as of `today`."""

    today: date
    last: date  # the week's last day (today + 6)
    groups: tuple[WeekGroup, ...]
    has_parents: bool
    keyworker: str = ""  # whose parents ("": everyone's)
    overdue: int = 0  # check-ins overdue, listed or not
    # When no parent has `keyworker` as theirs (Settings' "Your name" not as the parents'
    # records spell it: "Denise" for "Denise (demo)"): True, with the keyworkers whose names
    # hold it, for This week to say so instead of showing an empty week as if nothing was due.
    nobody_theirs: bool = False
    spelled: tuple[str, ...] = ()

    def group(self, key: str) -> WeekGroup:
        """One group by its key."""
        return next(g for g in self.groups if g.key == key)

    @property
    def lines(self) -> tuple[WeekLine, ...]:
        """Every line, group by group."""
        return tuple(line for g in self.groups for line in g.lines)

    def summary(self) -> str:
        """One short line for the status bar at start-up ("3 meetings today · 5 check-ins due ·
        2 of your steps due": check-ins whose day has passed); This week itself has the rest."""
        if not self.has_parents:
            # This week itself says how to begin; the status bar says where it is.
            return "No parents in this caseload yet: This week says how to begin."

        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        parts = [
            count(self.group("today").count, "meeting today", "meetings today"),
            # The words the caseload list's count line uses ("5 check-ins due").
            count(self.overdue, "check-in due", "check-ins due"),
        ]
        steps = self.group("steps").count
        if steps:  # the status bar at 200% holds about this much beside "Backed up 10:42"
            parts.append(count(steps, "of your steps due", "of your steps due"))
        return " · ".join(parts)


def _meeting_text(name: str, time: str, place: str, with_whom: str, day: str = "") -> str:
    when = " ".join(p for p in (day, time) if p)
    text = f"{name} · {when}" if when else name
    if place:
        text += f" at {place}"
    if with_whom:
        text += f", with {with_whom}"
    return text


def this_week(
    caseload: Caseload, today: date | None = None, *, keyworker: str | None = None
) -> ThisWeek:
    """What the keyworker has this week, as of `today` (the caseload clock's by default): for
    the parents of `keyworker` (this laptop's keyworker from Settings by default, with those
    who have no keyworker recorded; "" or no name set: everyone's)."""
    today = today or caseload.today()
    last = today + timedelta(days=WEEK_DAYS - 1)
    db = caseload.db
    whose = caseload.settings.sender().keyworker if keyworker is None else keyworker
    kw = whose.strip() or None
    theirs, spelled = caseload.keyworker_spellings(kw) if kw is not None else ([], [])
    wait = caseload.settings.referral_wait_days
    dated_later = store_queries.later_paces_or_breaks(db, today)
    asked = store_week.statements(
        today,
        last,
        today - timedelta(days=wait),
        today - timedelta(days=QUIET_DAYS),
        kw,
        MOST_LINES,
        later=dated_later,
    )

    def rows(name: str) -> list[tuple[Any, ...]]:
        return store_week.ask(db, asked[name])

    def counted(name: str) -> int:
        return store_week.count(db, asked[f"{name}_count"])

    # Each question's first MOST_LINES rows and how many there are in all (listing a whole
    # coordinator's caseload would cost more than it shows).
    today_rows = rows("meetings_today")
    later_rows = rows("meetings_later")
    checkin_rows = rows("checkins")
    step_rows = rows("steps")
    referral_rows = rows("referrals")
    follow_rows = rows("follow_ups")
    quiet_rows = rows("quiet")
    checkins_counted, overdue = store_week.counts(db, asked["checkins_count"])
    # The names shown decide which need a family initial (worked out among every parent who
    # shares one, as the caseload list does).
    # Each row ends with its parent's locality, which tells apart parents who share a name
    # and a family initial.
    shown = {(str(r[1]), str(r[2])) for r in (*today_rows, *later_rows, *step_rows)}
    shown.update((str(r[1]), str(r[2])) for r in (*referral_rows, *follow_rows))
    shown.update((str(r[0]), str(r[1])) for r in (*checkin_rows, *quiet_rows))
    places = {str(r[1]): r[-1] for r in (*today_rows, *later_rows, *step_rows)}
    places.update((str(r[1]), r[-1]) for r in (*referral_rows, *follow_rows))
    places.update((str(r[0]), r[-1]) for r in (*checkin_rows, *quiet_rows))
    alike = store_week.names_alike(db, shown, places)
    shared, initials, localities = alike.shared, alike.initials, alike.localities

    def who(pid: str, preferred: str, full: str | None) -> str:
        # As the caseload list shows them: "Ana M." where two parents are called Ana, and
        # "Jolene Q., Fife" where the family initial is shared too.
        if preferred.casefold() not in shared:
            return preferred
        name = with_family_initial(preferred, full)
        where = localities.get(pid)
        if initials[name.casefold()] > 1 and where:
            name = f"{name}, {caseload.catalogue.label('localities', where)}"
        return name

    # A week's lines repeat a few dozen days: each is read and worded once.
    days: dict[str, date] = {}
    shorts: dict[date, str] = {}

    def day(value: str) -> date:
        found = days.get(value)
        if found is None:
            found = days[value] = date.fromisoformat(value)
        return found

    def short(value: date) -> str:
        found = shorts.get(value)
        if found is None:
            found = shorts[value] = short_date(value, today)
        return found

    # The day's name ("Mon"), once a day: strftime imports the time module on every call,
    # which costs far more once Qt's import hook is in place (in the window).
    weekdays: dict[date, str] = {}

    def weekday(value: date) -> str:
        found = weekdays.get(value)
        if found is None:
            found = weekdays[value] = value.strftime("%a")
        return found

    meetings_today: list[WeekLine] = []
    meetings_later: list[WeekLine] = []
    for rid, pid, preferred, full, on, time, place, with_whom, _where in (
        *today_rows,
        *later_rows,
    ):
        name = who(pid, preferred, full)
        when = day(on)
        later = when != today
        line = WeekLine(
            group="week" if later else "today",
            text=_meeting_text(
                name,
                time or ("" if later else "some time today"),
                place or "",
                with_whom or "",
                f"{weekday(when)} {short(when)}" if later else "",
            ),
            day=when,
            participant_id=pid,
            name=name,
            kind="appointments",
            record_id=rid,
            section=Section.MEETINGS,
        )
        (meetings_later if later else meetings_today).append(line)

    # A parent whose latest contact is dated after today is due from their last contact by
    # today (the store's questions see to that); their line names the later one, to check. So
    # with a pace chosen, or a break starting, after today: the check-in is by the pace and
    # status as they stood today, and the line names the later one.
    listed = {str(r[0]) for r in (*checkin_rows, *quiet_rows)}
    ahead = store_week.contacts_ahead(db, listed, today)
    paces_and_breaks = store_week.later_days(db, listed.intersection(dated_later), today)

    def check_ahead(pid: str) -> str:
        notes = []
        contact = ahead.get(pid)
        if contact is not None:
            notes.append(f"a contact dated {short(day(contact))}")
        found = paces_and_breaks.get(pid, {})
        if "pace" in found:
            notes.append(f"a change of pace dated {short(day(found['pace']))}")
        if "break" in found:
            notes.append(f"a break from {short(day(found['break']))}")
        return "".join(f" · {note}, after today: check its date" for note in notes)

    checkins: list[WeekLine] = []
    for pid, preferred, full, due_text, _where in checkin_rows:
        name = who(pid, preferred, full)
        due = day(due_text)
        late = due < today
        if late:
            words = f"due since {short(due)}"
        elif due == today:
            words = "due today"
        else:
            words = f"due {weekday(due)} {short(due)}"
        checkins.append(
            WeekLine(
                "checkins",
                f"{name} · check-in {words}{check_ahead(pid)}",
                due,
                pid,
                name,
                "contacts",
                None,
                Section.CONTACTS,
                overdue=late,
            )
        )

    steps = [
        WeekLine(
            "steps",
            f"{name} · “{what}” · "
            + (f"was due {short(day(due))}" if day(due) < today else f"due {short(day(due))}"),
            day(due),
            pid,
            name,
            "steps",
            rid,
            Section.GOALS,
            overdue=day(due) < today,
        )
        for rid, pid, name, what, due in (
            (r[0], r[1], who(r[1], r[2], r[3]), r[4], r[5]) for r in step_rows
        )
    ]

    referrals = [
        WeekLine(
            "referrals",
            f"{name} · referral to {to} · waiting since {short(day(on))} "
            f"({(today - day(on)).days} days)",
            day(on),
            pid,
            name,
            "referrals",
            rid,
            Section.REFERRALS,
        )
        for rid, pid, name, to, on in (
            (r[0], r[1], who(r[1], r[2], r[3]), r[4], r[5]) for r in referral_rows
        )
    ]

    # Who chose the day (the parent, together, or the keyworker's suggestion) as the Pace tab
    # says it; the reason as whose words it is (a keyworker's note is marked as theirs).
    voices = store_week.break_voices(db, (str(r[0]) for r in follow_rows))

    def voices_of(rid: str, on: str) -> tuple[Voice, Voice]:
        voice, chosen_by = voices.get(rid, (None, None))
        said_by = Voice(voice or Voice.PARENT)
        return said_by, day_chosen_by(on, chosen_by, said_by) or said_by

    breaks = [
        WeekLine(
            "breaks",
            f"{name} · get in touch again "
            + ("today" if day(on) == today else f"on {short(day(on))}")
            + f" ({chosen_by_words(chosen_by, preferred)})"
            + (f" · {said(reason, voice)}" if (reason or "").strip() else ""),
            day(on),
            pid,
            name,
            "pauses",
            rid,
            Section.PACE,
            overdue=day(on) < today,
        )
        for rid, pid, name, preferred, on, reason, (voice, chosen_by) in (
            (
                r[0],
                r[1],
                who(r[1], r[2], r[3]),
                str(r[2]),
                r[4],
                str(r[5] or ""),
                voices_of(r[0], r[4]),
            )
            for r in follow_rows
        )
    ]

    groups = [
        WeekLine(
            "groups",
            f"{weekday(day(on))} {short(day(on))} · {activity}" + (f" at {venue}" if venue else ""),
            day(on),
            None,
            "",
            "groups",
            rid,
            None,
        )
        for rid, activity, venue, on in rows("groups")
    ]

    # Counted from the day their check-ins count from (derived.checkin_since): the last
    # contact, the day they joined, or the day they came back, said as which it is.
    welcomed = store_week.welcomed_back(db, (str(r[0]) for r in quiet_rows if r[5]))
    quiet: list[WeekLine] = []
    for pid, preferred, full, last_contact, joined, back, _where in quiet_rows:
        name = who(pid, preferred, full)
        since = derived.checkin_since(
            day(last_contact) if last_contact else None,
            day(joined),
            day(back) if back else None,
        )
        if back and since == day(back) and since != day(last_contact or joined):
            words = (
                f"welcomed back on {short(since)}"
                if welcomed.get(pid) == back
                else f"picked up again after a break on {short(since)}"
            )
        elif last_contact:
            words = f"last contact {short(since)}"
        else:
            words = f"no contact since joining {short(since)}"
        quiet.append(
            WeekLine(
                "quiet",
                f"{name} · {words} ({(today - since).days} days){check_ahead(pid)}",
                since,
                pid,
                name,
                "contacts",
                None,
                Section.CONTACTS,
            )
        )

    has_parents = bool(db.execute("SELECT 1 FROM caseload_list LIMIT 1").fetchone())
    first = "No parents yet."
    return ThisWeek(
        today=today,
        last=last,
        has_parents=has_parents,
        groups=(
            WeekGroup(
                "today",
                "Meetings today",
                tuple(meetings_today),
                "No meetings today. Arrange one with “Arrange a meeting…”."
                if has_parents
                else first,
                more=counted("meetings_today") - len(meetings_today),
            ),
            WeekGroup(
                "week",
                f"Meetings later this week (to {weekday(last)} {short(last)})",
                tuple(meetings_later),
                "No other meetings arranged this week.",
                more=counted("meetings_later") - len(meetings_later),
            ),
            WeekGroup(
                "checkins",
                # Through the week's last day: the status bar's "11 check-ins due" are the ones
                # whose day has passed, so the two numbers must not read as the same thing.
                f"Check-ins due by {weekday(last)} {short(last)}",
                tuple(checkins),
                "No check-ins due this week.",
                more=checkins_counted - len(checkins),
            ),
            WeekGroup(
                "steps",
                "Your steps due",
                tuple(steps),
                "None of your steps is due this week.",
                more=counted("steps") - len(steps),
            ),
            WeekGroup(
                "referrals",
                f"Referrals waiting more than {wait} days",
                tuple(referrals),
                "No referral has waited that long for an answer.",
                more=counted("referrals") - len(referrals),
            ),
            WeekGroup(
                "breaks",
                "Breaks to follow up",
                tuple(breaks),
                "No one taking a break has a day to get in touch again this week.",
                more=counted("follow_ups") - len(breaks),
            ),
            WeekGroup(
                "groups",
                "Group sessions this week",
                tuple(groups),
                "No group sessions this week. Add one from Groups > Group sessions (Ctrl+G).",
            ),
            WeekGroup(
                "quiet",
                f"No contact for {QUIET_DAYS} days or more",
                tuple(quiet),
                "No one else has gone a month without contact.",
                more=counted("quiet") - len(quiet),
            ),
        ),
        keyworker=kw or "",
        overdue=overdue,
        # Only when some record names a keyworker, as `appointments` says it: a new caseload
        # (no parent yet, or only parents enrolled before Your name was set) has no other
        # spelling to match, and all its parents are shown as having no keyworker noted.
        nobody_theirs=kw is not None and not theirs and bool(caseload.keyworkers()),
        spelled=tuple(spelled),
    )
