"""What a merge of journey logs from other laptops did, and the edits that need a decision."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from journeyapp.core.dates import long_date

if TYPE_CHECKING:
    import uuid


@dataclass(frozen=True)
class MergeResult:
    """The outcome of merging journey-log events from another laptop (one transaction)."""

    received: int = 0
    already_had: int = 0
    applied: int = 0
    erased: int = 0
    dropped_erased: int = 0
    skipped_removed: int = 0
    new_decisions: int = 0
    settled: int = 0
    # Events no laptop enrolled here vouched for (core.seals): they add, but ask before changing.
    unsealed: int = 0
    kinds: frozenset[str] = frozenset()
    participant_ids: frozenset[str] = frozenset()
    # New events written on a laptop whose clock was ahead of this one's (more than AHEAD past
    # its time when merged): how many, the latest moment among them, and the laptops (device
    # ids, then, from caseload.exchange, their names here). They are merged as written.
    ahead: int = 0
    ahead_latest: datetime | None = None
    ahead_laptops: frozenset[str] = frozenset()
    # Today on this laptop's clock, when some were ahead of it (said beside theirs).
    today_here: date | None = None
    # The bundles written on a laptop not enrolled here whose new events were merged unvouched
    # for: (the file's name, the writer's device id), so the note can say which to enrol.
    unenrolled: tuple[tuple[str, str], ...] = ()
    # The bundles written with another catalogue than this caseload's: (the file's name, the
    # name of that catalogue), and this caseload's catalogue's name.
    other_catalogues: tuple[tuple[str, str], ...] = ()
    catalogue_here: str = ""

    def __add__(self, other: MergeResult) -> MergeResult:
        """Two merges' outcomes together (several bundles merged at once)."""
        return MergeResult(
            received=self.received + other.received,
            already_had=self.already_had + other.already_had,
            applied=self.applied + other.applied,
            erased=self.erased + other.erased,
            dropped_erased=self.dropped_erased + other.dropped_erased,
            skipped_removed=self.skipped_removed + other.skipped_removed,
            new_decisions=self.new_decisions + other.new_decisions,
            settled=self.settled + other.settled,
            unsealed=self.unsealed + other.unsealed,
            kinds=self.kinds | other.kinds,
            participant_ids=self.participant_ids | other.participant_ids,
            ahead=self.ahead + other.ahead,
            ahead_latest=max(
                (m for m in (self.ahead_latest, other.ahead_latest) if m is not None),
                default=None,
            ),
            ahead_laptops=self.ahead_laptops | other.ahead_laptops,
            today_here=self.today_here or other.today_here,
            unenrolled=self.unenrolled + other.unenrolled,
            other_catalogues=self.other_catalogues + other.other_catalogues,
            catalogue_here=self.catalogue_here or other.catalogue_here,
        )

    @property
    def changed_anything(self) -> bool:
        """True when the merge added or changed something here."""
        return bool(self.applied or self.erased or self.new_decisions or self.settled)

    def summary(self) -> str:
        """One plain sentence for a coordinator."""
        parts = [
            f"{self.received:,} event{'' if self.received == 1 else 's'} received",
            f"{self.applied:,} new",
            f"{self.already_had:,} already here",
        ]
        if self.erased:
            parts.append(f"{self.erased:,} parent{'' if self.erased == 1 else 's'} erased as asked")
        if self.dropped_erased:
            parts.append(f"{self.dropped_erased:,} left out because the parent was erased")
        if self.skipped_removed:
            parts.append(f"{self.skipped_removed:,} about records removed here")
        if self.unsealed:
            parts.append(
                f"{self.unsealed:,} not vouched for by a laptop enrolled here (they may add "
                "records; any change they ask for waits for a decision)"
            )
        if self.settled:
            parts.append(
                f"{self.settled:,} decisions made on another laptop"
                if self.settled != 1
                else "1 decision made on another laptop"
            )
        parts.append(
            f"{self.new_decisions:,} edits need a decision"
            if self.new_decisions != 1
            else "1 edit needs a decision"
        )
        return "; ".join(parts) + "."

    def enrol_note(self) -> str:
        """Which bundles came from laptops not enrolled here and how to enrol them ("" when
        none did): their records were added, but what they change waits for a decision."""
        if not self.unenrolled:
            return ""
        named = [
            f"{name} (laptop {device[:8]})" if device else name for name, device in self.unenrolled
        ]
        listed = _and(named)
        one = len(named) == 1
        return (
            f"{listed} {'was' if one else 'were'} written on "
            f"{'a laptop' if one else 'laptops'} not enrolled here: what "
            f"{'it adds was' if one else 'they add was'} merged, but a change, a removal or an "
            "erasure asked for by such a laptop waits for a decision. To trust "
            f"{'its' if one else 'their'} bundles from now on, enrol "
            f"{'it' if one else 'each'}: on {'that laptop' if one else 'each laptop'}, "
            "journeyapp devices --code (or Partnership > Laptops in the partnership…) shows "
            "its code; here, journeyapp devices --enrol CODE --name NAME (or type the code in "
            "the same window). Pass codes in person."
        )

    def catalogue_note(self) -> str:
        """Which bundles were written with another catalogue than this caseload's and what to
        do ("" when none was): their records are merged as they are, but entries this
        catalogue does not list show in words, "(not in this partnership's list)"."""
        if not self.other_catalogues:
            return ""
        named = [f"{name} (“{theirs}”)" for name, theirs in self.other_catalogues]
        listed = _and(named)
        one = len(named) == 1
        return (
            f"{listed} {'was' if one else 'were'} written on "
            f"{'a laptop' if one else 'laptops'} using another catalogue of stages, services, "
            f"outcome areas and milestone types than this caseload's (“{self.catalogue_here}”). "
            f"What {'it holds' if one else 'they hold'} was merged as it is; an entry this "
            "catalogue does not list shows "
            "in words made from its key, marked “(not in this partnership's list)”. Put the partnership's "
            f"catalogue.toml in the data folder of {'that laptop' if one else 'each'} (Help > "
            "About there shows the folder and the catalogue in use), so its next bundles match."
        )

    def clock_note(self) -> str:
        """What to do about events written on a laptop whose clock was ahead of this one's
        ("" when none was): merged as written, but someone's date and time is wrong."""
        if not self.ahead or self.ahead_latest is None:
            return ""
        latest = long_date(self.ahead_latest.astimezone().date())
        what = (
            "1 of the new events was written"
            if self.ahead == 1
            else f"{self.ahead:,} of the new events were written"
        )
        when = f"on {latest}" if self.ahead == 1 else f"the latest on {latest}"
        here = f"; today here is {long_date(self.today_here)}" if self.today_here else ""
        laptops = sorted(self.ahead_laptops)
        one = len(laptops) <= 1
        named = laptops[0] if one else ", ".join(laptops[:-1]) + " and " + laptops[-1]
        there = (
            ("the laptop that wrote " if one else "the laptops that wrote ")
            + ("it" if self.ahead == 1 else "them")
            + (f" ({named})" if laptops else "")
        )
        return (
            f"{what} on {'a laptop whose clock was' if one else 'laptops whose clocks were'} "
            f"ahead of this one ({when}{here}). "
            f"{'It was' if self.ahead == 1 else 'They were'} merged as written. Check the date "
            f"and time on this laptop, and on {there}."
        )


AHEAD = timedelta(days=1)
"""How far past this laptop's time an incoming event may be written before the merge says the
clocks differ (the day's grace a typed date has, for time zones and a clock a little fast)."""


def moment(at: str) -> datetime | None:
    """An event's `at` text as a moment (UTC when it names no zone); None if it is not one."""
    try:
        found = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (ValueError, TypeError, AttributeError):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Side:
    """One side of a clash: the value, and who set it, when, on which laptop."""

    value: Any
    event_id: str
    at: str
    actor: str
    device_id: str


@dataclass(frozen=True)
class MergeDecision:
    """Two different edits to the same field: both kept until the coordinator picks one."""

    id: str
    kind: str
    record_id: str
    participant_id: str | None
    field: str
    here: Side
    incoming: Side
    found_at: str
    resolved_at: str | None = None
    choice: str | None = None
    resolved_by: str | None = None

    @property
    def is_open(self) -> bool:
        """True until the coordinator has picked a value."""
        return self.resolved_at is None


CHOICES = ("here", "incoming")


# -- what a merge takes in (issue 16; stated in the README) --------------------------------------

MAX_EVENT = 100_000  # characters in one event's details (its fields as JSON text)
MAX_EVENTS = 3_000_000  # events in one bundle or merge
MAX_BUNDLE_BYTES = 2 * 1024**3  # a bundle file


# -- what each edit replaced (issue 16) ----------------------------------------------------------

REPLACED = "_replaced"
"""In an event's fields: {field: [event ids of the values its author saw and replaced]}.

An incoming value replaces the value here only if its author had seen it; otherwise both stay
until someone decides. Events written before this key existed replace whatever their laptop held
just before them (the old rule); a merge writes that down in the key as it stores them.
"""

DECIDED = "_decided"
"""In an event's fields: true when the event settles a clash (a decision, which travels)."""

DERIVED: dict[str, frozenset[str]] = {"participants": frozenset({"stage"})}
"""Fields held from other records, never asked about: a parent's stage is their latest stage
move's by day (each move is a record of its own, merged as any), so two laptops' stages for one
parent are settled by the moves the merge brings together, not by a decision."""


@dataclass(frozen=True)
class Unit:
    """Fields of one record that say one thing together, so are merged as one value: a
    consent (given or withdrawn, on which day, how it was recorded) or where a journey stands
    (going, moved on or closed, the day it ended, where to, the day they came back). An edit
    writes only what it changed, but is read as the whole unit its laptop held after it (its
    other fields from the writes it replaced: Heads.units), so a merge never mixes two
    laptops' halves ("active" with a day it ended; withdrawn "as said again on the phone").

    Two of them written on laptops that had not seen each other's wait as one decision
    (asked about `fields[0]`, its values the whole unit), and meanwhile every device holds the
    one `rank` puts first, whichever bundle came first."""

    fields: tuple[str, ...]
    # Sort key over (the unit's values, who wrote them): the highest is held until decided.
    rank: Callable[[dict[str, Any], Side], tuple[Any, ...]]
    # What a write from an older version left out and meant all the same, from the unit
    # before it (and who wrote that) and the write (its values, who wrote it).
    complete: Callable[[dict[str, Any], Side, dict[str, Any], Side], dict[str, Any]] | None = None


def _consent_rank(values: dict[str, Any], side: Side) -> tuple[Any, ...]:
    """Withdrawn holds over given (the safer state: what it governs is removed till someone
    decides); between two alike, the later day, then the later write."""
    return (not values.get("given"), str(values.get("on") or ""), side.at, side.event_id)


def _journey_rank(values: dict[str, Any], side: Side) -> tuple[Any, ...]:
    """The latest by day holds: an ending on the day it ended, a welcome back on the day they
    came back (else each on the day it was written); then the later write."""
    ended = values.get("status") in ("moved_on", "closed")
    day = values.get("ended_on") if ended else values.get("came_back_on")
    return (str(day or side.at[:10]), side.at, side.event_id)


def _journey_complete(
    before: dict[str, Any], before_side: Side, values: dict[str, Any], side: Side
) -> dict[str, Any]:
    """A welcome back written before the day they came back was kept (m021: no
    `came_back_on`) came back all the same: on the day it gives (as `ended_on`), else on the
    day it was written, as m021 reads such a log (store.figures.came_back_days). Taken up
    again on the day it ended, on the laptop that ended it, it is that ending undone."""
    if (
        "came_back_on" in values
        or values.get("status") != "active"
        or before.get("status") not in ("moved_on", "closed")
    ):
        return {}
    given = values.get("ended_on")
    if given:
        return {"came_back_on": given}
    if (before_side.at[:10], before_side.device_id) == (side.at[:10], side.device_id):
        return {}
    return {"came_back_on": side.at[:10]}


UNITS: dict[str, Unit] = {
    "consents": Unit(("given", "on", "how_recorded", "detail"), _consent_rank),
    "participants": Unit(
        ("status", "ended_on", "destination", "came_back_on"), _journey_rank, _journey_complete
    ),
}


def unit_clash(
    kind: str, heads: Heads, unvouched: Collection[str] = ()
) -> list[tuple[dict[str, Any], Side]]:
    """When a record's unit was written on laptops that had not seen each other's (its
    latest writes hold different values): each value once (its latest write), the one held
    until decided first; else empty. A write no enrolled laptop vouched for (`unvouched`,
    core.seals) is never held before one that was: it waits, as any change it asks for."""
    unit = UNITS.get(kind)
    if unit is None or not heads.unit:
        return []
    each: dict[str, tuple[dict[str, Any], Side]] = {}
    for values, side in heads.units():
        each[_key(values)] = (values, side)
    if len(each) < 2:
        return []
    return sorted(
        each.values(),
        key=lambda held: (held[1].event_id not in unvouched, unit.rank(*held)),
        reverse=True,
    )


def unit_held(kind: str, heads: Heads, unvouched: Collection[str] = ()) -> dict[str, Any] | None:
    """The unit a record holds: its latest write's, or, when laptops that had not seen each
    other's wrote it differently, the one its rule holds until decided (None: never written)."""
    clash = unit_clash(kind, heads, unvouched)
    if clash:
        return clash[0][0]
    found = heads.units()
    return found[-1][0] if found else None


def unit_of(kind: str, name: str) -> Unit | None:
    """The unit `name` is a field of in records of `kind` (None: merged on its own)."""
    unit = UNITS.get(kind)
    return unit if unit is not None and name in unit.fields else None


# Record kinds a parent has at most one of per thing: the field that names the thing.
ONE_PER_PARENT: dict[str, str] = {
    "consents": "purpose",
    "choices": "service",
    "attendance": "session_id",
}


@functools.cache
def _keyed() -> uuid.UUID:
    """The namespace of keyed ids (made when first needed: uuid, and platform with it, is not
    loaded to open the window, #18)."""
    import uuid

    return uuid.UUID("0d5c8d36-8f5e-4a57-9f4b-6c1a3a0e2f16")


def keyed_id(kind: str, participant_id: str, thing: str) -> str:
    """The id of a parent's one record of `kind` for `thing` (the same on every laptop).

    Two laptops recording one parent's choice for one service make the same record, so a merge
    sees two values of one field (a decision) instead of two records counted twice.
    """
    import uuid

    return str(uuid.uuid5(_keyed(), f"{kind}\x1f{participant_id}\x1f{thing}"))


def is_meta(name: str) -> bool:
    """True for an event key that describes the edit rather than a field of the record."""
    return name.startswith("_")


_BASE = frozenset({"id", "created_at", "updated_at", "recorded_by"})


class Heads:
    """Per field of one record, the values no known event has replaced.

    One head per field is the usual case; two heads with different values are a clash that waits
    for a decision. Folding a record's events in log order gives the same heads on every laptop
    that holds the same events (a bundle carries its laptop's whole log, so an event's author
    always sent what it replaced along with it).

    For a record with a Unit (`kind` given), each event that wrote some of it is also kept
    with the whole unit as its author's laptop held it just after (the fields it did not write
    from the events it replaced): `units` gives those no later event built on.
    """

    __slots__ = ("_bases", "_built_on", "_snaps", "_whole", "fields", "removed", "unit")

    def __init__(self, kind: str = "") -> None:
        self.fields: dict[str, dict[str, Side]] = {}
        # Removed: its heads are kept, for an edit the removal had not seen, which brings the
        # record back as the removal saw it (store.merge); a record made anew starts afresh.
        self.removed = False
        self._whole = UNITS.get(kind)
        self.unit: tuple[str, ...] = self._whole.fields if self._whole is not None else ()
        self._snaps: dict[str, tuple[dict[str, Any], Side]] = {}
        self._built_on: set[str] = set()
        self._bases: dict[str, frozenset[str]] = {}  # each unit write: those it built on

    def apply(self, event_id: str, action: str, values: dict[str, Any], side: Side) -> None:
        """Fold one create/update/delete event (`side` gives its time, actor and laptop)."""
        if action == "delete":
            self.removed = True
            return
        if action not in ("create", "update"):
            return
        if self.removed:
            self.removed = False
            if action == "create":
                self.fields.clear()
                self._snaps.clear()
                self._built_on.clear()
                self._bases.clear()
        said = values.get(REPLACED)
        replaced = said if isinstance(said, dict) else None
        if self.unit and any(name in values for name in self.unit):
            self._snap(event_id, action, values, replaced, side)
        for name, value in values.items():
            if name in _BASE or is_meta(name):
                continue
            current = self.fields.setdefault(name, {})
            if action == "update":
                if replaced is None:
                    current.clear()  # an old event: it replaced what its laptop held
                else:
                    for gone in replaced.get(name) or ():
                        current.pop(gone, None)
            current[event_id] = Side(value, event_id, side.at, side.actor, side.device_id)

    def _snap(
        self,
        event_id: str,
        action: str,
        values: dict[str, Any],
        replaced: dict[str, Any] | None,
        side: Side,
    ) -> None:
        """Keep the whole unit as this event's author held it: what it wrote, and the rest
        from the latest of the unit's events it built on (what it replaced, or, for an old
        event that does not say, every unit head)."""
        if action == "update" and replaced is None:
            basis = {i for name in self.unit for i in self.of(name)}
        else:
            basis = {str(i) for name in self.unit for i in ((replaced or {}).get(name) or ())}
        known = [i for i in basis if i in self._snaps]
        # The one the others were built on least: a write built on another comes after it
        # whatever the laptops' clocks said; between writes that had not seen each other's,
        # the later.
        below = set().union(*(self._below(i) for i in known)) if known else set()
        earlier = [self._snaps[i] for i in known if i not in below] or [
            self._snaps[i] for i in known
        ]
        latest = max(earlier, key=lambda snap: (snap[1].at, snap[1].event_id)) if earlier else None
        base = latest[0] if latest is not None else {}
        if not earlier and action == "update":
            # Built on values no unit event here holds (a record made before units were
            # kept whole): the heads of each field give them.
            base = {
                name: sides[-1].value
                for name in self.unit
                if (sides := list(self.of(name).values()))
            }
        self._built_on.update(basis)
        self._bases[event_id] = frozenset(known)
        snap = {name: values[name] if name in values else base.get(name) for name in self.unit}
        if self._whole is not None and self._whole.complete is not None and latest is not None:
            snap.update(self._whole.complete(latest[0], latest[1], values, side))
        self._snaps[event_id] = (snap, Side(None, event_id, side.at, side.actor, side.device_id))

    def _below(self, event_id: str) -> set[str]:
        """The unit writes `event_id` was built on, however far back."""
        found: set[str] = set()
        waiting = list(self._bases.get(event_id, ()))
        while waiting:
            i = waiting.pop()
            if i not in found:
                found.add(i)
                waiting.extend(self._bases.get(i, ()))
        return found

    def units(self) -> list[tuple[dict[str, Any], Side]]:
        """The unit as held by each of its latest writes no later write built on (one, or
        several that had not seen each other's), in the order written."""
        heads = {i for name in self.unit for i in self.of(name)}
        return [snap for i, snap in self._snaps.items() if i not in self._built_on and i in heads]

    def of(self, name: str) -> dict[str, Side]:
        """The heads of one field, by event id (empty if no event set it)."""
        return self.fields.get(name, {})

    def shown(self, name: str, value: Any) -> list[str]:
        """The heads of `name` holding `value` (what a laptop showing `value` has seen)."""
        return [i for i, s in self.of(name).items() if s.value == value]

    def clashing(self) -> list[str]:
        """Fields whose heads hold more than one value."""
        return [n for n, h in self.fields.items() if len({_key(s.value) for s in h.values()}) > 1]


def _key(value: Any) -> str:
    return repr(value)


def _and(named: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
