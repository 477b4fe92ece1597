"""Schema migrations: append-only, each named mNNN_<what>; never edit one that has shipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from journeyapp.store import caseload_list, eventlog, search
from journeyapp.store.connection import Database

Migration = Callable[[Database], None]
_F = TypeVar("_F", bound=Migration)


class Migrations:
    """The migrations of one set, in order, as sqlite-utils' `Migrations` keeps them (the same
    `_sqlite_migrations` table, the same API), but read without sqlite-utils.

    Whether any is pending is a read of that table: opening an up-to-date caseload never loads
    sqlite-utils. Only when something is pending does `apply` hand the work to sqlite-utils'
    own `Migrations.apply` (one transaction per migration with its record, the table created or
    brought up to date), each migration given this store's Database on the same connection.
    """

    migrations_table = "_sqlite_migrations"

    # Plain classes, not dataclasses: written out, they cost nothing to define on every start.
    class _Migration:
        __slots__ = ("fn", "name", "transactional")

        def __init__(self, name: str, fn: Migration, transactional: bool = True) -> None:
            self.name, self.fn, self.transactional = name, fn, transactional

        def __repr__(self) -> str:
            return f"_Migration({self.name!r})"

    class _AppliedMigration:
        __slots__ = ("applied_at", "name")

        def __init__(self, name: str, applied_at: str) -> None:
            self.name, self.applied_at = name, applied_at

        def __repr__(self) -> str:
            return f"_AppliedMigration({self.name!r}, {self.applied_at!r})"

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migrations._Migration] = []

    def __call__(
        self, *, name: str | None = None, transactional: bool = True
    ) -> Callable[[_F], _F]:
        """Register the decorated function as the next migration (named after it by default)."""

        def inner(func: _F) -> _F:
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(
                    f"Migration '{migration_name}' is already registered in set '{self.name}'"
                )
            self._migrations.append(self._Migration(migration_name, func, transactional))
            return func

        return inner

    def names(self) -> list[str]:
        """Every migration of this set, oldest first."""
        return [m.name for m in self._migrations]

    def applied(self, db: Database) -> list[Migrations._AppliedMigration]:
        """The migrations of this set applied to `db`, in the order they were (reads only)."""
        if not db.has_table(self.migrations_table):
            return []
        rows = db.execute(
            f"SELECT name, applied_at FROM [{self.migrations_table}] "
            "WHERE migration_set = ? ORDER BY rowid",
            [self.name],
        )
        return [self._AppliedMigration(name=name, applied_at=at) for name, at in rows]

    def pending(self, db: Database) -> list[Migrations._Migration]:
        """The migrations of this set not yet applied to `db`, in order (reads only)."""
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Apply every pending migration (nothing is loaded or written when none is)."""
        if db.has_table(self.migrations_table) and not self.pending(db):
            return
        full = db.sqlite_utils_database()
        from sqlite_utils.migrations import Migrations as FullMigrations

        runner = FullMigrations(self.name)
        for migration in self._migrations:
            runner(name=migration.name, transactional=migration.transactional)(
                _on(db, migration.fn)
            )
        runner.apply(full)

    def __repr__(self) -> str:
        return f"<Migrations {self.name!r}: [{', '.join(self.names())}]>"


def _on(db: Database, fn: Migration) -> Callable[[object], None]:
    """`fn` as sqlite-utils calls a migration (with its own Database), run on `db` instead:
    the same connection, so inside the same transaction."""

    def run(_: object) -> None:
        fn(db)

    return run


migrations = Migrations("journeyapp")

_COMMON = {"id": str, "created_at": str, "updated_at": str, "recorded_by": str}

# The first schema, written out in full so that later code changes can never alter it.
_M001_TABLES: dict[str, dict[str, type]] = {
    "participants": {
        "preferred_name": str,
        "full_name": str,
        "date_of_birth": str,
        "phone": str,
        "email": str,
        "address": str,
        "locality": str,
        "keyworker": str,
        "referral_source": str,
        "joined_on": str,
        "status": str,
        "stage": str,
        "destination": str,
        "ref": str,
        "notes": str,
    },
    "children": {"participant_id": str, "birth_year": int, "childcare_needs": str},
    "consents": {
        "participant_id": str,
        "purpose": str,
        "given": int,
        "on": str,
        "how_recorded": str,
        "detail": str,
    },
    "strengths": {"participant_id": str, "kind": str, "area": str, "words": str, "voice": str},
    "goals": {
        "participant_id": str,
        "words": str,
        "area": str,
        "voice": str,
        "status": str,
        "by_when": str,
        "set_on": str,
    },
    "steps": {
        "participant_id": str,
        "goal_id": str,
        "what": str,
        "who": str,
        "due": str,
        "done_on": str,
    },
    "choices": {
        "participant_id": str,
        "service": str,
        "provider": str,
        "decision": str,
        "decided_on": str,
        "reason": str,
        "voice": str,
    },
    "pace": {
        "participant_id": str,
        "pace": str,
        "rhythm": str,
        "changed_on": str,
        "reason": str,
        "voice": str,
    },
    "pauses": {
        "participant_id": str,
        "started_on": str,
        "ended_on": str,
        "reason": str,
        "voice": str,
    },
    "stages": {"participant_id": str, "stage": str, "on": str, "note": str},
    "milestones": {
        "participant_id": str,
        "type": str,
        "achieved_on": str,
        "note": str,
        "voice": str,
    },
    "assessments": {
        "participant_id": str,
        "taken_on": str,
        "scores": str,
        "keyworker_scores": str,
        "comment": str,
        "voice": str,
    },
    "contacts": {
        "participant_id": str,
        "on": str,
        "kind": str,
        "venue": str,
        "minutes": int,
        "note": str,
        "next_step": str,
        "childcare_needed": int,
        "childcare_arranged": int,
        "group_session_id": str,
    },
    "referrals": {
        "participant_id": str,
        "to": str,
        "service": str,
        "reason": str,
        "on": str,
        "outcome": str,
    },
    "groups": {"activity": str, "venue": str, "on": str},
    "attendance": {"participant_id": str, "session_id": str},
    "feedback": {
        "participant_id": str,
        "source": str,
        "said": str,
        "we_did": str,
        "on": str,
    },
}


@migrations()
def m001_initial_schema(db: Database) -> None:
    """Every record table, the journey log, settings, tombstones and the name search index."""
    tables = db.sqlite_utils_database()
    for name, columns in _M001_TABLES.items():
        tables.table(name).create({**_COMMON, **columns}, pk="id", not_null={"id"})
        if "participant_id" in columns:
            tables.table(name).create_index(["participant_id"])
    tables.table("participants").create_index(["ref"], unique=True)
    tables.table("contacts").create_index(["participant_id", "on"])
    tables.table("pace").create_index(["participant_id", "changed_on"])
    tables.table("attendance").create_index(["session_id"])
    tables.table("steps").create_index(["goal_id"])
    db.execute(
        """
        CREATE TABLE journey_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            device_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            participant_id TEXT,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            action TEXT NOT NULL,
            fields TEXT NOT NULL,
            txn TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX idx_journey_log_participant ON journey_log(participant_id)")
    db.execute("CREATE INDEX idx_journey_log_record ON journey_log(record_id)")
    db.execute("CREATE INDEX idx_journey_log_txn ON journey_log(txn)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE tombstones (participant_id TEXT PRIMARY KEY, erased_at TEXT NOT NULL, "
        "device_id TEXT NOT NULL, event_id TEXT NOT NULL)"
    )
    db.execute(
        "CREATE VIRTUAL TABLE participant_search USING fts5("
        "participant_id UNINDEXED, names, tokenize = 'unicode61 remove_diacritics 2')"
    )


@migrations()
def m002_merge_decisions(db: Database) -> None:
    """Clashing edits found by a merge, kept side by side until the coordinator decides."""
    db.execute(
        """
        CREATE TABLE merge_decisions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            record_id TEXT NOT NULL,
            participant_id TEXT,
            field TEXT NOT NULL,
            here_value TEXT,
            here_event_id TEXT NOT NULL,
            here_at TEXT NOT NULL,
            here_actor TEXT NOT NULL,
            here_device TEXT NOT NULL,
            incoming_value TEXT,
            incoming_event_id TEXT NOT NULL,
            incoming_at TEXT NOT NULL,
            incoming_actor TEXT NOT NULL,
            incoming_device TEXT NOT NULL,
            found_at TEXT NOT NULL,
            resolved_at TEXT,
            choice TEXT,
            resolved_by TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_merge_decisions_record ON merge_decisions(record_id, field)")
    db.execute("CREATE INDEX idx_merge_decisions_participant ON merge_decisions(participant_id)")


@migrations()
def m003_caseload_list(db: Database) -> None:
    """The caseload list table and the triggers that keep it current (see store/caseload_list)."""
    caseload_list.create(db)


@migrations()
def m004_search_everything(db: Database) -> None:
    """One search: names and the words written about each parent, in trigram indexes over folded
    text (any part of a word is found) with secure-delete on (see store/search)."""
    search.create(db)


@migrations()
def m005_participant_language(db: Database) -> None:
    """Each parent's preferred language for printed documents (blank: English).

    Nullable like every other column: a record merged from a laptop that predates it has none.
    """
    db.execute("ALTER TABLE participants ADD COLUMN language TEXT DEFAULT ''")


@migrations()
def m006_drafts(db: Database) -> None:
    """Words being typed in a form, kept a second after typing stops so a crash loses nothing
    (inside the caseload, so encrypted with it; never in the journey log or an export)."""
    db.execute(
        """
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            form TEXT NOT NULL,
            title TEXT NOT NULL,
            participant_id TEXT,
            context TEXT NOT NULL,
            fields TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_drafts_participant ON drafts(participant_id)")


# Issue 19's tables, written out in full (like m001) so later code changes never alter them.
_M007_TABLES: dict[str, dict[str, type]] = {
    "equalities": {
        "participant_id": str,
        "sex": str,
        "gender_identity": str,
        "age_band": str,
        "ethnicity": str,
        "disability": str,
        "disabled_child": str,
        "sexual_orientation": str,
        "care_experience": str,
        "answered_on": str,
    },
    "circumstances": {
        "participant_id": str,
        "postcode": str,
        "lone_parent": str,
        "employment_status": str,
        "time_out_of_work": str,
        "benefits": str,
        "answered_on": str,
    },
    "jobs": {
        "participant_id": str,
        "milestone_id": str,
        "started_on": str,
        "job_title": str,
        "hours_per_week": int,
        "working_pattern": str,
        "contract_type": str,
        "living_wage": str,
        "sector": str,
        "progression": str,
        "progressed_on": str,
        "left_on": str,
        "leaving_reason": str,
        "note": str,
    },
}


@migrations()
def m007_return_records(db: Database) -> None:
    """The funder's return (issue 19): each parent's equalities-monitoring answers (kept only
    with that consent), their circumstances at the start, and the jobs they started."""
    tables = db.sqlite_utils_database()
    for name, columns in _M007_TABLES.items():
        tables.table(name).create({**_COMMON, **columns}, pk="id", not_null={"id"})
        tables.table(name).create_index(["participant_id"])
    tables.table("jobs").create_index(["milestone_id"])


@migrations()
def m008_appointments(db: Database) -> None:
    """Meetings arranged with a parent (day, time, place, with whom), for This week, the
    workspace header, the printed plan's "What happens next" and the calendar export; and the
    day a parent taking a break asked to be contacted again (nullable: older laptops' breaks
    have none)."""
    db.execute("ALTER TABLE pauses ADD COLUMN follow_up_on TEXT")
    db.sqlite_utils_database().table("appointments").create(
        {
            **_COMMON,
            "participant_id": str,
            "on": str,
            "time": str,
            "minutes": int,
            "place": str,
            "with_whom": str,
        },
        pk="id",
        not_null={"id"},
    )
    # What This week asks of 10,000 parents, answered from small indexes: by day, and for one
    # keyworker's parents by parent (partial indexes hold only what can be listed).
    db.execute('CREATE INDEX idx_appointments_on ON appointments("on", participant_id)')
    db.execute('CREATE INDEX idx_appointments_participant ON appointments(participant_id, "on")')
    db.execute(
        "CREATE INDEX idx_steps_keyworker_open ON steps(participant_id, due) "
        "WHERE done_on IS NULL AND who = 'keyworker'"
    )
    db.execute(
        "CREATE INDEX idx_steps_keyworker_due ON steps(due, participant_id) "
        "WHERE done_on IS NULL AND who = 'keyworker'"
    )
    db.execute(
        'CREATE INDEX idx_referrals_waiting ON referrals(participant_id, "on") '
        "WHERE outcome = 'waiting'"
    )
    db.execute(
        'CREATE INDEX idx_referrals_waiting_on ON referrals("on", participant_id) '
        "WHERE outcome = 'waiting'"
    )
    db.execute(
        "CREATE INDEX idx_pauses_open ON pauses(participant_id, follow_up_on) "
        "WHERE ended_on IS NULL"
    )
    db.execute(
        "CREATE INDEX idx_pauses_follow_up ON pauses(follow_up_on, participant_id) "
        "WHERE ended_on IS NULL AND follow_up_on IS NOT NULL"
    )
    db.execute('CREATE INDEX idx_groups_on ON groups("on")')
    db.execute(
        # With the list's key (name, parent id) it answers "whose, and still going?" alone.
        "CREATE INDEX idx_caseload_list_keyworker "
        "ON caseload_list(coalesce(keyworker, '') COLLATE NOCASE, status)"
    )
    # Whether a parent's journey is still going, answered from the index alone.
    db.execute("CREATE INDEX idx_caseload_list_status ON caseload_list(participant_id, status)")
    # When each parent's check-in is due (store.queries.DUE_JD, written out: the index is part
    # of the schema) and since when an active parent has been quiet: This week's check-ins and
    # quiet parents are then ranges of these indexes, not a pass over every parent.
    db.execute(
        "CREATE INDEX idx_caseload_list_due ON caseload_list((CASE WHEN status = 'active' "
        "THEN julianday(coalesce(last_contact_on, joined_on)) + (CASE rhythm "
        "WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 "
        "WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END))"
    )
    db.execute(
        "CREATE INDEX idx_caseload_list_quiet ON caseload_list(coalesce(last_contact_on, joined_on)) "
        "WHERE status = 'active'"
    )


@migrations()
def m009_compact_journey_log(db: Database) -> None:
    """The journey log made compact (ids as 16 bytes, laptops and people as small numbers,
    fields without what the event already says); `journey_log` becomes the view that reads
    every event back exactly as it was written (see store/eventlog)."""
    eventlog.migrate(db)


@migrations()
def m010_unsealed_events(db: Database) -> None:
    """Journey-log events merged without an enrolled laptop vouching for them (core.seals):
    this caseload never vouches for them in the bundles it writes (#16)."""
    db.execute("CREATE TABLE unsealed_events (event_id TEXT PRIMARY KEY) WITHOUT ROWID")


@migrations()
def m011_area_lookup(db: Database) -> None:
    """The partnership's postcode lookup (SIMD quintile and urban/rural class), for the funder's
    return: partnership data, not a record about anyone, so never in the journey log."""
    from journeyapp.store import area_lookup  # not loaded to open an up-to-date caseload

    area_lookup.create(db)


@migrations()
def m012_compact_search(db: Database) -> None:
    """The words index made small (a quarter of a caseload file before): its keys hold record ids
    as 16 bytes and parents, record kinds and fields as small numbers; the trigram index keeps
    no positions or column sizes. The same entries under the same ids (see store/search)."""
    search.compact(db)


@migrations()
def m013_covered_indexes(db: Database) -> None:
    """Indexes another index already answers, dropped (the room they took, for nothing): a
    parent's contacts are found by (participant_id, on) and their pace changes by
    (participant_id, changed_on, created_at), which start with the same column."""
    for name in (
        "idx_contacts_participant_id",
        "idx_pace_participant_id",
        "idx_pace_participant_id_changed_on",
    ):
        db.execute(f"DROP INDEX IF EXISTS {name}")


@migrations()
def m014_merged_bundles(db: Database) -> None:
    """The bundles merged here whole (every event landed): by their seal, the laptop that sealed
    them and how many events they hold, with the SHA-256 of the file's bytes, so merging the
    same file again is recognised by it (see store/merged_bundles)."""
    # Imported here: its hashing (OpenSSL) is not loaded to open a caseload (issue 18).
    from journeyapp.store import merged_bundles

    merged_bundles.create(db)


@migrations()
def m015_smaller_journey_log(db: Database) -> None:
    """The journey log made smaller again: each event's moment, record kind and action as
    numbers, and in its fields each of the kind's field names as one character, the ", " before
    it included (the same events, read back byte for byte; see store/eventlog)."""
    eventlog.compact_again(db)


@migrations()
def m016_bundle_prefixes(db: Database) -> None:
    """The marks of each bundle merged whole, digested, by the laptop that sealed it: a later
    bundle from that laptop that starts with the same marks is known to start with those very
    events (see store/merged_bundles); the new table starts empty."""
    from journeyapp.store import merged_bundles

    merged_bundles.create_prefixes(db)


@migrations()
def m017_meeting_times(db: Database) -> None:
    """Meetings by day and time, as This week lists them (no time: after the day's timed ones),
    so a whole caseload's first 100 meetings are read in order, not every meeting of the week
    sorted (store/this_week)."""
    db.execute(
        "CREATE INDEX idx_appointments_day_time "
        """ON appointments("on", coalesce(nullif("time", ''), '99:99'))"""
    )


@migrations()
def m018_contacts_with_minutes(db: Database) -> None:
    """A parent's contacts indexed together with their minutes, so the programme report counts
    each parent's contacts and time together from the index alone instead of looking up every
    contact's row (issue 18). It replaces the index on (participant_id, on), which it answers
    as well (m013)."""
    db.execute("DROP INDEX IF EXISTS idx_contacts_participant_id_on")
    db.execute(
        "CREATE INDEX idx_contacts_participant_id_on_minutes "
        'ON contacts(participant_id, "on", minutes)'
    )


@migrations()
def m019_who_chose_the_day(db: Database) -> None:
    """Who chose a break's day to get in touch again, apart from whose words its reason is:
    the parent chooses the break and gives the reason; the day may be the keyworker's
    suggestion or agreed together. Until now the break's one voice said both, so each break
    with a day takes its voice (its plan prints the same); without a day it stays empty.
    Nullable: a break from a laptop without this column has none, and reads as before."""
    db.execute("ALTER TABLE pauses ADD COLUMN follow_up_chosen_by TEXT")
    db.execute("UPDATE pauses SET follow_up_chosen_by = voice WHERE follow_up_on IS NOT NULL")


@migrations()
def m020_the_day_a_journey_ended(db: Database) -> None:
    """The day a parent's journey ended (moved on or closed), as the keyworker gives it: an
    ending is often recorded days after it happened, and the report counts it in the period it
    happened in. Nullable: a journey still going has none, and one that ended before this was
    asked (or on a laptop without this column) is counted by the day it was recorded, as
    before."""
    db.execute("ALTER TABLE participants ADD COLUMN ended_on TEXT")


@migrations()
def m021_the_day_they_came_back(db: Database) -> None:
    """The day a parent was last welcomed back after their journey ended, as its own column
    (participants.came_back_on), read from the journey log once here (store.figures
    .came_back_days: a welcome back on the day it was recorded is told apart from an ending
    undone); from now on only a welcome back sets it. An ending is never dated before it.
    And the caseload list's row holds the latest day the journey was taken up again (that
    day, or the latest day a break ended: caseload_list.add_back_on), from which check-ins
    count when it is after the last contact: the due-day index is made again with it
    (store.queries.DUE_JD, written out). Nullable: never welcomed back, and a laptop without
    this column reads the log as before."""
    from journeyapp.store.figures import came_back_days

    db.execute("ALTER TABLE participants ADD COLUMN came_back_on TEXT")
    # (A log still in the first version's layout, as a test of one migration at a time leaves
    # it for m009, holds no welcome back: those came with m020.)
    found = came_back_days(db) if db.has_table("journal") else {}
    for pid, day in found.items():
        db.execute("UPDATE participants SET came_back_on = ? WHERE id = ?", [day, pid])
    caseload_list.add_back_on(db)
    db.execute("DROP INDEX IF EXISTS idx_caseload_list_due")
    db.execute(
        "CREATE INDEX idx_caseload_list_due ON caseload_list((CASE WHEN status = 'active' "
        "THEN julianday(max(coalesce(last_contact_on, joined_on, ''), coalesce(back_on, ''))) "
        "+ (CASE rhythm WHEN 'weekly' THEN 7 WHEN 'fortnightly' THEN 14 WHEN 'monthly' THEN 28 "
        "WHEN 'when_i_get_in_touch' THEN NULL ELSE 14 END) END))"
    )


@migrations()
def m022_their_words_at_the_end(db: Database) -> None:
    """What the parent wants said about where they are going, or why they are stopping, when
    their journey ends (participants.ending_words), and whose words those are
    (participants.ending_voice: the parent's, as a rule). Nothing to read back from the
    journey log: no one was asked before. A parent from a laptop without these columns has
    no words and reads as before; their search entries need nothing (no words yet)."""
    db.execute("ALTER TABLE participants ADD COLUMN ending_words TEXT DEFAULT ''")
    db.execute("ALTER TABLE participants ADD COLUMN ending_voice TEXT DEFAULT 'parent'")
