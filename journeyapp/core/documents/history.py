"""The change history of "What we hold about you": counts per kind, then a compact table in UK
local time, saying who recorded each change and on which laptop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timezone

from journeyapp.core.documents.model import Item, Section, Sender, Table
from journeyapp.core.documents.wording import Words
from journeyapp.core.records import RECORD_TYPES, Event

# How "What we hold about you" names each kind of record: from the registry (core.records).
KIND_WORDS: dict[str, str] = {cls.KIND: cls.HELD_AS for cls in RECORD_TYPES if cls.HELD_AS}

ACTION_WORDS: dict[str, str] = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "erase": "Erased",
}

try:  # local UK time for the change history; tz data may be missing on some systems
    from zoneinfo import ZoneInfo

    UK: timezone | ZoneInfo = ZoneInfo("Europe/London")
except Exception:  # pragma: no cover - depends on the system's time zone data
    UK = timezone.utc  # noqa: UP017 (the annotation above names timezone)


def _when(at: str, t: Words) -> str:
    """An event's time in UK local time, short: "2 December 2026, 14:05"."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UK)
    except ValueError:
        return at
    return f"{t.date(moment.date())}, {moment:%H:%M}"


def history_sections(
    events: Sequence[Event], t: Words, sender: Sender, device_id: str
) -> list[Section]:
    """The change history: counts per kind of record, then one short table row per change."""
    if not events:
        return []
    ordered = sorted(events, key=lambda e: e.at)
    counts: Counter[tuple[str, str]] = Counter((e.kind, e.action) for e in ordered)
    kinds: dict[str, Counter[str]] = {}
    for (kind, action), n in counts.items():
        kinds.setdefault(kind, Counter())[action] = n
    summary = []
    for kind, actions in kinds.items():
        parts = ", ".join(
            t("{action} {count}", action=t(ACTION_WORDS.get(a, a)).lower(), count=t.number(n))
            for a, n in actions.items()
        )
        summary.append(
            Item(
                t(
                    "{what}: {parts}",
                    what=t(KIND_WORDS.get(kind, kind.replace("_", " "))).capitalize(),
                    parts=parts,
                )
            )
        )
    first = _when(ordered[0].at, t).split(",")[0]
    last = _when(ordered[-1].at, t).split(",")[0]
    rows = []
    for e in ordered:
        rows.append(
            (
                _when(e.at, t),
                t(
                    "{action} {what}",
                    action=t(ACTION_WORDS.get(e.action, e.action)),
                    what=t(KIND_WORDS.get(e.kind, e.kind.replace("_", " "))),
                )
                + _fields(e),
                _actor(e.actor, t),
                _device(e.device_id, t, sender, device_id),
            )
        )
    return [
        Section(
            "history",
            t("Every change we recorded"),
            intro=(
                t(
                    "JourneyApp keeps a log of every change, so we can show what changed and when. "
                    "{count} changes, from {first} to {last}. Times are UK time.",
                    count=t.number(len(ordered)),
                    first=first,
                    last=last,
                ),
            ),
            items=tuple(summary),
            table=Table(
                (t("When"), t("What"), t("Recorded by"), t("Laptop")),
                tuple(rows),
                (0.3, 0.3, 0.22, 0.18),
            ),
        )
    ]


def _fields(event: Event) -> str:
    """Which fields an update changed, by name: " (status, by when)"."""
    if event.action != "update" or not event.fields:
        return ""
    # Keys starting with _ say what an edit replaced (issue 16), not what changed.
    names = [str(k) for k in event.fields if not str(k).startswith("_")]
    if not names:
        return ""  # (a decision that changed no field: to keep a record a removal asked for)
    return " (" + ", ".join(sorted(k.replace("_", " ") for k in names)) + ")"


def _actor(actor: str, t: Words) -> str:
    # Changes made before the keyworker's name was set in File > Settings carry a generic word.
    return t("your keyworker") if actor.strip() in ("", "keyworker") else actor


def _device(device: str, t: Words, sender: Sender, here: str) -> str:
    if device == here:
        return sender.device_name.strip() or t("this laptop")
    return t("another laptop ({id})", id=device[:8])
