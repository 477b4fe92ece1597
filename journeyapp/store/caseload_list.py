"""The caseload list table: one narrow row per parent, kept current by SQL triggers.

Opening the window reads every parent's name, stage, status, last contact and chosen pace.
Worked out from the record tables that is two correlated look-ups per parent and a sort: most
of the time it takes to open a 10,000-parent caseload. `caseload_list` holds exactly those
columns, stored in name order (preferred name, then family name: the last word of the full
name), and triggers on `participants`, `contacts` and `pace` keep it
right in the same statement that changes the records, whoever writes them (use cases, undo,
imports, merges, erasure). It is an index, never a source of truth: `rebuild()` recomputes it
from the records, and `problems()` says where it disagrees with them (`journeyapp check`).

The trigger SQL is part of the schema: change it only through a new migration.
"""

from __future__ import annotations

from journeyapp.store.connection import Database

TABLE = """
CREATE TABLE caseload_list (
    preferred_name TEXT NOT NULL COLLATE NOCASE,
    participant_id TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    family_name TEXT NOT NULL COLLATE NOCASE,
    locality TEXT,
    keyworker TEXT,
    status TEXT,
    stage TEXT,
    joined_on TEXT,
    last_contact_on TEXT,
    pace TEXT,
    rhythm TEXT,
    PRIMARY KEY (preferred_name, family_name, participant_id)
) WITHOUT ROWID
"""

# Latest pace choice: the newest change, ties broken by when it was recorded.
PACE_INDEX = (
    "CREATE INDEX IF NOT EXISTS idx_pace_participant_latest "
    "ON pace(participant_id, changed_on, created_at)"
)

_LAST_CONTACT = 'SELECT max(c."on") FROM contacts c WHERE c.participant_id = {pid}'
_LATEST_PACE = (
    "SELECT pc.{column} FROM pace pc WHERE pc.participant_id = {pid} "
    "ORDER BY pc.changed_on DESC, pc.created_at DESC LIMIT 1"
)


def last_word(text: str) -> str:
    """SQL for the last word of a text column or expression (of a full name: the family name,
    in most names; the search finds a parent by its initial likewise)."""
    words = f"trim(coalesce({text}, ''))"
    return f"substr({words}, length(rtrim({words}, replace({words}, ' ', ''))) + 1)"


# The latest day the journey was taken up again (m021): the day they were welcomed back after
# it ended, or the latest day a break of theirs ended, whichever is later (NULL: neither).
# Check-ins count from it when it is after the last contact (core.derived.next_checkin_due).
_BACK = (
    "nullif(max(coalesce({p}.came_back_on, ''), coalesce((SELECT max(b.ended_on) FROM pauses b "
    "WHERE b.participant_id = {pid}), '')), '')"
)


def _row_values(p: str, *, back: bool = True) -> str:
    """The list row of participant `p` (a table alias or NEW), as a SELECT list (`back`: with
    the day they came back, m021; without it, as m003 made the list)."""
    pid = f"{p}.id"
    return (
        f"coalesce({p}.preferred_name, ''), {pid}, coalesce({p}.full_name, ''), "
        f"{last_word(f'{p}.full_name')}, {p}.locality, {p}.keyworker, "
        f"{p}.status, {p}.stage, {p}.joined_on, ({_LAST_CONTACT.format(pid=pid)}), "
        f"({_LATEST_PACE.format(column='pace', pid=pid)}), "
        f"({_LATEST_PACE.format(column='rhythm', pid=pid)})"
        + (f", {_BACK.format(p=p, pid=pid)}" if back else "")
    )


_COLUMNS_M003 = (
    "preferred_name, participant_id, full_name, family_name, locality, keyworker, status, stage, "
    "joined_on, last_contact_on, pace, rhythm"
)
_COLUMNS = f"{_COLUMNS_M003}, back_on"


def _refresh_contacts(pid: str) -> str:
    return (
        f"UPDATE caseload_list SET last_contact_on = ({_LAST_CONTACT.format(pid=pid)}) "
        f"WHERE participant_id = {pid};"
    )


def _refresh_pace(pid: str) -> str:
    return (
        f"UPDATE caseload_list SET pace = ({_LATEST_PACE.format(column='pace', pid=pid)}), "
        f"rhythm = ({_LATEST_PACE.format(column='rhythm', pid=pid)}) "
        f"WHERE participant_id = {pid};"
    )


def _refresh_back(pid: str) -> str:
    return (
        "UPDATE caseload_list SET back_on = (SELECT "
        f"{_BACK.format(p='p', pid='p.id')} FROM participants p WHERE p.id = {pid}) "
        f"WHERE participant_id = {pid};"
    )


def _participant_triggers(back: bool) -> dict[str, str]:
    columns = _COLUMNS if back else _COLUMNS_M003
    return {
        "caseload_list_participant_insert": (
            "AFTER INSERT ON participants BEGIN "
            f"INSERT OR REPLACE INTO caseload_list ({columns}) "
            f"SELECT {_row_values('NEW', back=back)}; END"
        ),
        "caseload_list_participant_update": (
            "AFTER UPDATE ON participants BEGIN "
            "DELETE FROM caseload_list WHERE participant_id = OLD.id; "
            f"INSERT OR REPLACE INTO caseload_list ({columns}) "
            f"SELECT {_row_values('NEW', back=back)}; END"
        ),
    }


TRIGGERS_M003: dict[str, str] = {
    **_participant_triggers(back=False),
    "caseload_list_participant_delete": (
        "AFTER DELETE ON participants BEGIN "
        "DELETE FROM caseload_list WHERE participant_id = OLD.id; END"
    ),
    # A new contact can only move the last contact later: no look-up needed.
    "caseload_list_contact_insert": (
        "AFTER INSERT ON contacts BEGIN "
        'UPDATE caseload_list SET last_contact_on = NEW."on" '
        "WHERE participant_id = NEW.participant_id "
        'AND (last_contact_on IS NULL OR last_contact_on < NEW."on"); END'
    ),
    "caseload_list_contact_update": (
        'AFTER UPDATE OF "on", participant_id ON contacts BEGIN '
        f"{_refresh_contacts('OLD.participant_id')} {_refresh_contacts('NEW.participant_id')} END"
    ),
    "caseload_list_contact_delete": (
        f"AFTER DELETE ON contacts BEGIN {_refresh_contacts('OLD.participant_id')} END"
    ),
    "caseload_list_pace_insert": (
        f"AFTER INSERT ON pace BEGIN {_refresh_pace('NEW.participant_id')} END"
    ),
    "caseload_list_pace_update": (
        f"AFTER UPDATE ON pace BEGIN {_refresh_pace('OLD.participant_id')} "
        f"{_refresh_pace('NEW.participant_id')} END"
    ),
    "caseload_list_pace_delete": (
        f"AFTER DELETE ON pace BEGIN {_refresh_pace('OLD.participant_id')} END"
    ),
}

# The triggers as m021 left them: the row's day they came back too, kept by the breaks' own.
TRIGGERS: dict[str, str] = {
    **TRIGGERS_M003,
    **_participant_triggers(back=True),
    "caseload_list_pause_insert": (
        f"AFTER INSERT ON pauses BEGIN {_refresh_back('NEW.participant_id')} END"
    ),
    "caseload_list_pause_update": (
        "AFTER UPDATE OF ended_on, participant_id ON pauses BEGIN "
        f"{_refresh_back('OLD.participant_id')} {_refresh_back('NEW.participant_id')} END"
    ),
    "caseload_list_pause_delete": (
        f"AFTER DELETE ON pauses BEGIN {_refresh_back('OLD.participant_id')} END"
    ),
}


def create(db: Database) -> None:
    """Create the table, its look-up index and triggers, and fill it, as migration m003 did
    (m021 adds the day they came back: add_back_on)."""
    db.execute(TABLE)
    db.execute(PACE_INDEX)
    for name, body in TRIGGERS_M003.items():
        db.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}')
    db.execute(
        f"INSERT INTO caseload_list ({_COLUMNS_M003}) "
        f"SELECT {_row_values('p', back=False)} FROM participants p"
    )


def add_back_on(db: Database) -> None:
    """The list row's day they came back (migration m021, once participants.came_back_on is
    there): the column, the triggers that keep it, and every row filled again."""
    db.execute("ALTER TABLE caseload_list ADD COLUMN back_on TEXT")
    drop_triggers(db)
    create_triggers(db)
    rebuild(db)


def create_triggers(db: Database) -> None:
    """Create the triggers that keep the list current (if they are missing)."""
    for name, body in TRIGGERS.items():
        db.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {body}')


def drop_triggers(db: Database) -> None:
    """Drop the triggers, for a bulk write that calls `rebuild()` itself afterwards."""
    for name in TRIGGERS:
        db.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def rebuild(db: Database) -> None:
    """Recompute the whole list from the record tables."""
    db.execute("DELETE FROM caseload_list")
    db.execute(
        f"INSERT INTO caseload_list ({_COLUMNS}) SELECT {_row_values('p')} FROM participants p"
    )


def problems(db: Database) -> list[str]:
    """Where the list disagrees with the records (an empty list when it is right)."""
    expected = f"SELECT {_row_values('p')} FROM participants p"
    actual = f"SELECT {_COLUMNS} FROM caseload_list"
    missing = db.execute(f"SELECT count(*) FROM ({expected} EXCEPT {actual})").fetchone()[0]
    extra = db.execute(f"SELECT count(*) FROM ({actual} EXCEPT {expected})").fetchone()[0]
    found = []
    if missing:
        found.append(f"caseload list: {missing} parent(s) missing or out of date")
    if extra:
        found.append(f"caseload list: {extra} row(s) that no longer match a parent")
    return found
