"""The compact journey log: how events are stored (ids as 16 bytes, laptops and people as small
numbers, moments, kinds and actions as numbers, fields without what the event already says and
with each field's name as one character) and the one reader that gives them back.

Stored in `journal` (from migration m015; m009 made the first compact form):
- event, record, participant and transaction ids that are canonical lower-case UUID text are kept
  as their 16 bytes; any other id (an older laptop's, a test's) is kept as the text it is;
- the laptop and the person as small integers into `journal_devices` and `journal_actors`;
- `at` as microseconds since 1970 when it is the text JourneyApp writes
  (`2026-12-03T07:03:37.625186Z`), else as its text; `kind` and `action` as their position in
  KINDS and ACTIONS (numbers that never change), else as their text;
- `fields` is the JSON text the event was written with, every member after the first written
  with the ", " before it, and the first with one too (so that each member reads ", name: value"),
  then shortened: the members the event says already (`"created_at": "<at>"`, `"updated_at"`,
  `"id"`, `"participant_id"`, `"recorded_by"`) by the characters 1..5, and each of the record
  kind's own names (`, "note": `, PATTERNS) by one character of 6 and 8..31. The ", " added at the
  start is taken off again when no character replaced it. JSON text never holds a raw control
  character (they are escaped), so these cannot be confused with anything written; a text that
  somehow holds one (or starts with "{, ") is kept as it was, behind the character 7.

`journey_log` is a view giving every event back exactly as it was written (the same text, byte
for byte), so every reader of the log (exports, bundles, history, versions, the report as at a
period) reads one thing. Readers that look events up by an id use `key()` on the id and the
indexed columns of `journal` through `SELECT_EVENTS` (the view's columns are worked out, so
SQLite could not use an index through them); `kind_key`, `action_key` and `at_sql` do the same
for those columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from journeyapp.core.records import Event
from journeyapp.store.db import Database

# Replaced in `fields`, in this order, by the characters 1..5 (see the module docstring).
_TOKENS = ("created_at", "updated_at", "id", "participant_id", "recorded_by")
_CODES = tuple((name, chr(code)) for code, name in enumerate(_TOKENS, start=1))
_RAW = "\x07"  # a text kept as written: it holds a control character already
# A value that JSON writes as itself between quotes (no quote, backslash or control character).
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*\Z')
_UUID_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_CANONICAL = re.compile("-".join(f"[0-9a-f]{{{n}}}" for n in (8, 4, 4, 4, 12)) + r"\Z")


def key(value: str) -> bytes | str:
    """An id as `journal` stores it: 16 bytes for canonical lower-case UUID text, else the text."""
    if len(value) == 36 and _CANONICAL.match(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


def key_sql(expr: str) -> str:
    """SQL turning the id text `expr` into the form `journal` stores (as `key` does)."""
    return f"iif({expr} GLOB '{_UUID_GLOB}', unhex(replace({expr}, '-', '')), {expr})"


def key_forms_sql(expr: str) -> str:
    """`(…, …)`: a list for `IN` holding both forms `key_sql(expr)` can give (the 16 bytes,
    the text), without working out which it gives: a key is one of them."""
    return f"(unhex({expr}, '-'), {expr})"


def lookup_key_sql(expr: str) -> str:
    """As `key_sql`, for looking ids up (not in the stored schema): unhex skips the dashes itself
    (a third of the work per id, for a bundle's every id)."""
    return f"iif({expr} GLOB '{_UUID_GLOB}', unhex({expr}, '-'), {expr})"


def _id_sql(column: str) -> str:
    """SQL giving a stored id back as the text it was written as (each piece of the 16 bytes
    in hex on its own: half the work of one hex text cut into pieces)."""
    pieces = " || '-' || ".join(
        f"hex(substr({column}, {start}, {length}))"
        for start, length in ((1, 4), (5, 2), (7, 2), (9, 2), (11, 6))
    )
    return f"iif(typeof({column}) = 'blob', lower({pieces}), {column})"


# ---------------------------------------------------------------------------------------------
# The first compact form (m009), as it was: its migration must go on making exactly it, and m015
# reads it back. Never change these.

_M009_CONTROL = "('*[' || char(1) || '-' || char(7) || ']*')"


def _m009_pack_sql(fields: str, at: str, record_id: str, participant_id: str, actor: str) -> str:
    """m009's packing in SQL, over the old log's text columns."""
    plain = "NOT {v} GLOB ('*[' || char(1) || '-' || char(31) || '\"\\]*')"
    sql = fields
    for code, (name, value) in enumerate(
        zip(_TOKENS, (at, at, record_id, participant_id, actor), strict=True), start=1
    ):
        sql = (
            f"iif({value} IS NOT NULL AND {plain.format(v=value)}, "
            f"replace({sql}, '\"{name}\": \"' || {value} || '\"', char({code})), {sql})"
        )
    return f"iif({fields} GLOB {_M009_CONTROL}, char(7) || {fields}, {sql})"


def _m009_unpack_sql(fields: str, at: str, record_id: str, participant_id: str, actor: str) -> str:
    # A replacement's text is worked out only when the stored text holds its token (an edit
    # holds none): making an id's text is most of the cost of reading an event back.
    sql = fields
    for code, (name, value) in enumerate(
        zip(_TOKENS, (at, at, record_id, participant_id, actor), strict=True), start=1
    ):
        text = f"'\"{name}\": \"' || coalesce({value}, '') || '\"'"
        sql = f"replace({sql}, char({code}), iif(instr({fields}, char({code})), {text}, ''))"
    return f"iif(unicode({fields}) = 7, substr({fields}, 2), {sql})"


_EVENT_ID = _id_sql("j.event_id")
_RECORD_ID = _id_sql("j.record_id")
_PARTICIPANT_ID = _id_sql("j.participant_id")
_ACTOR = "(SELECT actor FROM journal_actors WHERE id = j.actor)"
_DEVICE = "(SELECT device_id FROM journal_devices WHERE id = j.device)"

_M009_SELECT = (
    f"SELECT j.seq AS seq, {_EVENT_ID} AS event_id, j.at AS at, {_DEVICE} AS device_id, "
    f"{_ACTOR} AS actor, {_PARTICIPANT_ID} AS participant_id, j.kind AS kind, "
    f"{_RECORD_ID} AS record_id, j.action AS action, "
    f"{_m009_unpack_sql('j.fields', 'j.at', _RECORD_ID, _PARTICIPANT_ID, _ACTOR)} AS fields, "
    f"{_id_sql('j.txn')} AS txn FROM journal AS j"
)
_M009_SCHEMA = (
    "CREATE TABLE journal_devices (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE)",
    "CREATE TABLE journal_actors (id INTEGER PRIMARY KEY, actor TEXT NOT NULL UNIQUE)",
    """
    CREATE TABLE journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id NOT NULL UNIQUE,
        at TEXT NOT NULL,
        device INTEGER NOT NULL,
        actor INTEGER NOT NULL,
        participant_id,
        kind TEXT NOT NULL,
        record_id NOT NULL,
        action TEXT NOT NULL,
        fields TEXT NOT NULL,
        txn NOT NULL DEFAULT ''
    )
    """,
)
INDEXES = (
    "CREATE INDEX idx_journal_participant ON journal(participant_id)",
    "CREATE INDEX idx_journal_record ON journal(record_id)",
)  # (the old log's index on txn is gone: nothing looks events up by transaction)
_M009_NEW_PACKED = _m009_pack_sql(
    "NEW.fields", "NEW.at", "NEW.record_id", "NEW.participant_id", "NEW.actor"
)
_M009_TRIGGERS = (
    f"""
    CREATE TRIGGER journey_log_insert INSTEAD OF INSERT ON journey_log BEGIN
        INSERT OR IGNORE INTO journal_devices(device_id) VALUES (NEW.device_id);
        INSERT OR IGNORE INTO journal_actors(actor) VALUES (NEW.actor);
        INSERT INTO journal(seq, event_id, at, device, actor, participant_id, kind, record_id,
            action, fields, txn)
        VALUES (NEW.seq, {key_sql("NEW.event_id")}, NEW.at,
            (SELECT id FROM journal_devices WHERE device_id = NEW.device_id),
            (SELECT id FROM journal_actors WHERE actor = NEW.actor),
            {key_sql("NEW.participant_id")}, NEW.kind, {key_sql("NEW.record_id")}, NEW.action,
            {_M009_NEW_PACKED}, {key_sql("coalesce(NEW.txn, '')")});
    END
    """,
    f"""
    CREATE TRIGGER journey_log_update INSTEAD OF UPDATE OF fields ON journey_log BEGIN
        UPDATE journal SET fields = {_M009_NEW_PACKED} WHERE seq = OLD.seq;
    END
    """,
    """
    CREATE TRIGGER journey_log_delete INSTEAD OF DELETE ON journey_log BEGIN
        DELETE FROM journal WHERE seq = OLD.seq;
    END
    """,
)


def migrate(db: Any) -> None:
    """Move the journey log into the first compact tables (migration m009), every event as it
    was (m015 then makes it smaller again)."""
    for sql in _M009_SCHEMA:
        db.execute(sql)
    db.execute(
        "INSERT INTO journal_devices(device_id) SELECT device_id FROM journey_log "
        "GROUP BY device_id ORDER BY min(seq)"
    )
    db.execute(
        "INSERT INTO journal_actors(actor) SELECT actor FROM journey_log "
        "GROUP BY actor ORDER BY min(seq)"
    )
    packed = _m009_pack_sql("o.fields", "o.at", "o.record_id", "o.participant_id", "o.actor")
    db.execute(
        "INSERT INTO journal(seq, event_id, at, device, actor, participant_id, kind, record_id, "
        "action, fields, txn) SELECT o.seq, "
        f"{key_sql('o.event_id')}, o.at, d.id, a.id, {key_sql('o.participant_id')}, o.kind, "
        f"{key_sql('o.record_id')}, o.action, {packed}, {key_sql('o.txn')} "
        "FROM journey_log AS o JOIN journal_devices AS d ON d.device_id = o.device_id "
        "JOIN journal_actors AS a ON a.actor = o.actor ORDER BY o.seq"
    )
    # Numbers handed out stay handed out: the next event follows the old log's last one ever.
    old = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journey_log'").fetchone()
    db.execute("DROP TABLE journey_log")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'journey_log'")
    if old is not None:
        new = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
        if new is None:
            db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('journal', ?)", [old[0]])
        elif new[0] < old[0]:
            db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'journal'", [old[0]])
    for sql in INDEXES:
        db.execute(sql)
    db.execute(f"CREATE VIEW journey_log AS {_M009_SELECT}")
    for sql in _M009_TRIGGERS:
        db.execute(sql)


# ---------------------------------------------------------------------------------------------
# The form since m015. KINDS, ACTIONS and NAMES are part of the stored data: append only, never
# reorder or remove (a stored number or character means the same thing for ever). A kind, an
# action or a field name not listed is stored as its text, as before.

KINDS = (
    "participants",
    "children",
    "consents",
    "strengths",
    "goals",
    "steps",
    "choices",
    "pace",
    "pauses",
    "stages",
    "milestones",
    "assessments",
    "contacts",
    "referrals",
    "groups",
    "attendance",
    "feedback",
    "equalities",
    "circumstances",
    "jobs",
    "appointments",
    "imports",
)
ACTIONS = ("create", "update", "delete", "erase")
# Each kind's field names (besides the five of _TOKENS), as its records held them at m015.
_NAMES: dict[str, tuple[str, ...]] = {
    "participants": (
        "preferred_name",
        "full_name",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "locality",
        "keyworker",
        "referral_source",
        "joined_on",
        "status",
        "stage",
        "destination",
        "ref",
        "notes",
        "language",
    ),
    "children": ("birth_year", "childcare_needs"),
    "consents": ("purpose", "given", "on", "how_recorded", "detail"),
    "strengths": ("kind", "area", "words", "voice"),
    "goals": ("words", "area", "voice", "status", "by_when", "set_on"),
    "steps": ("goal_id", "what", "who", "due", "done_on"),
    "choices": ("service", "provider", "decision", "decided_on", "reason", "voice"),
    "pace": ("pace", "rhythm", "changed_on", "reason", "voice"),
    "pauses": ("started_on", "ended_on", "reason", "voice", "follow_up_on"),
    "stages": ("stage", "on", "note"),
    "milestones": ("type", "achieved_on", "note", "voice"),
    "assessments": ("taken_on", "scores", "keyworker_scores", "comment", "voice"),
    "contacts": (
        "on",
        "kind",
        "venue",
        "minutes",
        "note",
        "next_step",
        "childcare_needed",
        "childcare_arranged",
        "group_session_id",
    ),
    "referrals": ("to", "service", "reason", "on", "outcome"),
    "groups": ("activity", "venue", "on"),
    "attendance": ("session_id",),
    "feedback": ("source", "said", "we_did", "on"),
    "equalities": (
        "sex",
        "gender_identity",
        "age_band",
        "ethnicity",
        "disability",
        "disabled_child",
        "sexual_orientation",
        "care_experience",
        "answered_on",
    ),
    "circumstances": (
        "postcode",
        "lone_parent",
        "employment_status",
        "time_out_of_work",
        "benefits",
        "answered_on",
    ),
    "jobs": (
        "milestone_id",
        "started_on",
        "job_title",
        "hours_per_week",
        "working_pattern",
        "contract_type",
        "living_wage",
        "sector",
        "progression",
        "progressed_on",
        "left_on",
        "leaving_reason",
        "note",
    ),
    "appointments": ("on", "time", "minutes", "place", "with_whom"),
}
# A self-assessment's scores are JSON text inside the fields (the catalogue's outcome areas as
# keys, sorted): those keys are shortened too. Listed before the names they begin with.
_AREAS = (
    "confidence",
    "friends_support",
    "money",
    "ready_for_work",
    "skills_learning",
    "wellbeing",
)
_EXTRA: dict[str, tuple[str, ...]] = {
    "assessments": (
        ', "keyworker_scores": "{\\"childcare_family\\": ',
        ', "scores": "{\\"childcare_family\\": ',
        *(f', \\"{area}\\": ' for area in _AREAS),
    ),
}
# The characters the kind's texts are replaced by, in order (1..5 are _TOKENS', 7 is _RAW's).
_NAME_CODES = (6, *range(8, 32))
PATTERNS: dict[str, tuple[str, ...]] = {
    kind: (*_EXTRA.get(kind, ()), *(f', "{name}": ' for name in names))
    for kind, names in _NAMES.items()
}
assert all(len(p) <= len(_NAME_CODES) for p in PATTERNS.values())
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_ACTION_CODES = {action: code for code, action in enumerate(ACTIONS)}
# Whether a text must be kept as written (see the module docstring).
_CONTROL = re.compile("[\x00-\x1f]")
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z\Z")
_AT_GLOB = (
    "[0-9]" * 4
    + "-[0-9][0-9]-[0-9][0-9]T"
    + ":".join(["[0-9][0-9]"] * 3)
    + "."
    + ("[0-9]" * 6)
    + "Z"
)
_EPOCH_DAY = datetime(1970, 1, 1).toordinal()


def kind_key(kind: str) -> int | str:
    """A record kind as `journal` stores it (its number in KINDS, else its text)."""
    return _KIND_CODES.get(kind, kind)


def action_key(action: str) -> int | str:
    """An action as `journal` stores it (its number in ACTIONS, else its text)."""
    return _ACTION_CODES.get(action, action)


def actions_sql(*actions: str) -> str:
    """`(...)`: a list for `j.action IN`, each action as `journal` stores it."""
    return "(" + ", ".join(str(action_key(a)) for a in actions) + ")"


def at_key(at: str) -> int | str:
    """An event's moment as `journal` stores it: microseconds since 1970 for the text
    JourneyApp writes (which `at_sql` gives back the same), else the text."""
    if len(at) == 27 and _AT.match(at):
        try:
            moment = datetime.fromisoformat(at[:19])
        except ValueError:
            return at
        seconds = (moment.toordinal() - _EPOCH_DAY) * 86400 + (
            moment.hour * 3600 + moment.minute * 60 + moment.second
        )
        if seconds >= 0:
            return seconds * 1_000_000 + int(at[20:26])
    return at


def at_sql(column: str) -> str:
    """SQL giving a stored moment back as the text it was written as."""
    return (
        f"iif(typeof({column}) = 'integer', strftime('%Y-%m-%dT%H:%M:%S', {column} / 1000000, "
        f"'unixepoch') || printf('.%06dZ', {column} % 1000000), {column})"
    )


def _at_key_sql(text: str) -> str:
    """`at_key` in SQL (for code that writes to the `journey_log` view)."""
    number = (
        f"(unixepoch(substr({text}, 1, 19)) * 1000000 + CAST(substr({text}, 21, 6) AS INTEGER))"
    )
    return (
        f"iif({text} GLOB '{_AT_GLOB}' AND {number} >= 0 AND {at_sql(number)} = {text}, "
        f"{number}, {text})"
    )


def _case(column: str, names: Sequence[str]) -> str:
    """SQL: the name numbered `column` (a number stored for one of `names`), else the text."""
    whens = " ".join(f"WHEN {code} THEN '{name}'" for code, name in enumerate(names))
    return f"CASE {column} {whens} ELSE {column} END"


def _members(at: str, record_id: str, participant_id: str | None, actor: str) -> list[str | None]:
    """What the characters 1..5 stand for in one event's fields (None: nothing)."""
    values = (at, at, record_id, participant_id, actor)
    return [
        None if value is None else f', "{name}": "{value}"'
        for name, value in zip(_TOKENS, values, strict=True)
    ]


def pack(
    text: str, at: str, record_id: str, participant_id: str | None, actor: str, kind: str
) -> str:
    """An event's fields text as `journal` stores it (see the module docstring)."""
    return _packer()(text, at, record_id, participant_id, actor, kind)


# Each kind's (pattern, character) pairs in replacing order (for `_packer`).
_REPLACING: dict[str, tuple[tuple[str, str], ...]] = {
    kind: tuple((pattern, chr(code)) for code, pattern in zip(_NAME_CODES, patterns, strict=False))
    for kind, patterns in PATTERNS.items()
}


def _packer() -> Callable[[str, str, str, str | None, str, str], str]:
    """`pack` for many events at once: what a moment, an actor or a parent's id is replaced
    by (nothing, when it is not written plainly) is worked out once per value (a batch shares
    one or a few moments and actors, and a parent's id many events)."""
    moments: dict[str, tuple[str, str] | None] = {}
    members: dict[tuple[str, str], str | None] = {}

    def member(name: str, value: str) -> str | None:
        if (name, value) in members:
            return members[(name, value)]
        if len(members) > 100_000:  # a whole log's parents (the migration): stay small
            members.clear()
        found = members[(name, value)] = (
            f', "{name}": "{value}"' if _PLAIN.match(value) is not None else None
        )
        return found

    def pack_one(
        text: str, at: str, record_id: str, participant_id: str | None, actor: str, kind: str
    ) -> str:
        # (A control character is never printable: a printable text, as JSON text almost
        # always is, has none, told by one pass in C rather than by the pattern.)
        if (not text.isprintable() and _CONTROL.search(text)) or text.startswith("{, "):
            return _RAW + text
        if text.startswith("{"):
            text = "{, " + text[1:]
        if at in moments:
            times = moments[at]
        else:
            times = moments[at] = (
                (f', "created_at": "{at}"', f', "updated_at": "{at}"')
                if _PLAIN.match(at) is not None
                else None
            )
        if times is not None:
            text = text.replace(times[0], "\x01").replace(times[1], "\x02")
        if _PLAIN.match(record_id):
            text = text.replace(f', "id": "{record_id}"', "\x03")
        if participant_id is not None:
            parent = member("participant_id", participant_id)
            if parent is not None:
                text = text.replace(parent, "\x04")
        by = member("recorded_by", actor)
        if by is not None:
            text = text.replace(by, "\x05")
        for pattern, code in _REPLACING.get(kind, ()):
            text = text.replace(pattern, code)
        return "{" + text[3:] if text.startswith("{, ") else text

    return pack_one


def _opens_with_a_code(stored: str) -> bool:
    """True when the stored text is "{" and a replaced member: the ", " it gives back after the
    "{" was added when packing, and goes."""
    return len(stored) > 1 and stored[0] == "{" and stored[1] < " "


def unpack(
    stored: str, at: str, record_id: str, participant_id: str | None, actor: str, kind: str
) -> str:
    """The fields text as written, from `pack`'s (what the view does in SQL)."""
    if stored.startswith(_RAW):
        return stored[1:]
    table: dict[int, str] = {
        code: text
        for code, text in enumerate(_members(at, record_id, participant_id, actor), start=1)
        if text is not None
    }
    table.update(zip(_NAME_CODES, PATTERNS.get(kind, ()), strict=False))
    text = stored.translate(table)
    return "{" + text[3:] if _opens_with_a_code(stored) else text


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _names_sql(fields: str, kind: str) -> str:
    """SQL: the stored fields with the kind's names given back (`kind` as stored)."""
    whens = []
    for kind_name, patterns in PATTERNS.items():
        sql = fields
        for code, pattern in zip(_NAME_CODES, patterns, strict=False):
            sql = f"replace({sql}, char({code}), {_sql_text(pattern)})"
        whens.append(f"WHEN {_KIND_CODES[kind_name]} THEN {sql}")
    return f"CASE {kind} {' '.join(whens)} ELSE {fields} END"


def _unpack_sql(
    fields: str, kind: str, members: Sequence[str], at: str | None = None, named: str = ""
) -> str:
    """`unpack` in SQL; `members`: SQL for what the characters 1..5 stand for, or with `at` (the
    moment's text), for 3..5 only: 1 and 2 are then the created and updated moments, and the
    moment's text is worked out once for both. `named`: SQL for the fields with the kind's
    names given back already (`_names_sql`), when a view below works that out."""
    sql = named or _names_sql(fields, kind)
    codes: Iterable[int] = range(1, 6)
    if at is not None:
        # 1 and 2 first become their names and a 7 (a packed text holds none), then the 7s the
        # moment: written once in the row's SQL, not twice.
        sql = f'replace({sql}, char(1), \', "created_at": "\' || char(7))'
        sql = f'replace({sql}, char(2), \', "updated_at": "\' || char(7))'
        sql = (
            f"iif(instr({fields}, char(1)) OR instr({fields}, char(2)), "
            f"replace({sql}, char(7), {at} || '\"'), {sql})"
        )
        codes = range(3, 6)
    # A member's text is worked out only when the stored text holds its character (an edit
    # holds few): making an id's text is most of the cost of reading an event back.
    for code, text in zip(codes, members, strict=True):
        sql = f"replace({sql}, char({code}), iif(instr({fields}, char({code})), {text}, ''))"
    opens = f"(unicode({fields}) = 123 AND unicode(substr({fields}, 2, 1)) < 32)"
    return (
        f"iif(unicode({fields}) = 7, substr({fields}, 2), "
        f"iif({opens}, '{{', '') || substr({sql}, iif({opens}, 4, 1)))"
    )


def _member_sql(name: str, value: str) -> str:
    return f"', \"{name}\": \"' || coalesce({value}, '') || '\"'"


_AT_TEXT = at_sql("j.at")


def fields_sql(fields: str, kind: str) -> str:
    """SQL giving stored fields back as JSON text that holds every field of the text as written
    except the five the event says already (module docstring), each left as a member no field
    is named ("\\u0001": 0 ...): for reading one other field of many events with json_extract,
    without working out ids and names the view would put back. `kind` as stored (`j.kind`)."""
    return _unpack_sql(fields, kind, [f"', \"\\u000{code}\": 0'" for code in range(1, 6)])


# Every event as written, in EVENT_COLUMNS order after `seq`; add a WHERE on `j.` columns.
SELECT_EVENTS = (
    f"SELECT j.seq AS seq, {_EVENT_ID} AS event_id, {_AT_TEXT} AS at, {_DEVICE} AS device_id, "
    f"{_ACTOR} AS actor, {_PARTICIPANT_ID} AS participant_id, {_case('j.kind', KINDS)} AS kind, "
    f"{_RECORD_ID} AS record_id, {_case('j.action', ACTIONS)} AS action, "
    + _unpack_sql(
        "j.fields",
        "j.kind",
        [
            _member_sql(name, value)
            for name, value in zip(_TOKENS[2:], (_RECORD_ID, _PARTICIPANT_ID, _ACTOR), strict=True)
        ],
        at=_AT_TEXT,
        named="j.named",
    )
    + f" AS fields, {_id_sql('j.txn')} AS txn FROM journal_named AS j"
)

# The log's table since m015: `at`, `kind` and `action` hold numbers (or text), so they have
# no TEXT type that would turn the numbers into text.
TABLE = """
    CREATE TABLE journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id NOT NULL UNIQUE,
        at NOT NULL,
        device INTEGER NOT NULL,
        actor INTEGER NOT NULL,
        participant_id,
        kind NOT NULL,
        record_id NOT NULL,
        action NOT NULL,
        fields TEXT NOT NULL,
        txn NOT NULL DEFAULT ''
    )
"""
# The log's rows with each kind's names given back, in a view of its own: the SQL of one view
# holding it all nests deeper than an older SQLite's parser takes (Python's own, 3.40).
NAMED = (
    f"CREATE VIEW journal_named AS SELECT *, {_names_sql('fields', 'kind')} AS named FROM journal"
)
VIEW = f"CREATE VIEW journey_log AS {SELECT_EVENTS}"


def _pack_sql(
    fields: str, at: str, record_id: str, participant_id: str, actor: str, kind: str
) -> str:
    """`pack` in SQL, but for the ", " taken off again at the start (see TRIGGERS)."""
    plain = "NOT {v} GLOB ('*[' || char(1) || '-' || char(31) || '\"\\]*')"
    sql = f"iif(unicode({fields}) = 123, '{{, ' || substr({fields}, 2), {fields})"
    values = (at, at, record_id, participant_id, actor)
    for code, (name, value) in enumerate(zip(_TOKENS, values, strict=True), start=1):
        # replace(x, '', y) is x: a value not written plainly replaces nothing.
        member = f"', \"{name}\": \"' || {value} || '\"'"
        found = f"iif({value} IS NOT NULL AND {plain.format(v=value)}, {member}, '')"
        sql = f"replace({sql}, {found}, char({code}))"
    for index, code in enumerate(_NAME_CODES):
        whens = " ".join(
            f"WHEN {_sql_text(kind_name)} THEN {_sql_text(patterns[index])}"
            for kind_name, patterns in PATTERNS.items()
            if index < len(patterns)
        )
        if whens:
            sql = f"replace({sql}, CASE {kind} {whens} ELSE '' END, char({code}))"
    kept = f"({fields} GLOB ('*[' || char(1) || '-' || char(31) || ']*') OR substr({fields}, 1, 3) = '{{, ')"
    return f"iif({kept}, char(7) || {fields}, {sql})"


def _code_sql(expr: str, names: Sequence[str]) -> str:
    """SQL: the text `expr` as `journal` stores it (its number among `names`, else itself)."""
    whens = " ".join(f"WHEN {_sql_text(name)} THEN {code}" for code, name in enumerate(names))
    return f"CASE {expr} {whens} ELSE {expr} END"


# Code that writes to `journey_log` as to the old table still works, a row at a time (the app's
# own writers use `append`): an insert is stored compact, an update of `fields` is packed again,
# a delete removes the event. The ", " `_pack_sql` leaves after a first "{" is taken off by a
# second statement, so the packing is written (and worked out) once.
_NEW_PACKED = _pack_sql(
    "NEW.fields", "NEW.at", "NEW.record_id", "NEW.participant_id", "NEW.actor", "NEW.kind"
)
_UNOPEN = "fields = '{' || substr(fields, 4) WHERE substr(fields, 1, 3) = '{, ' AND"
TRIGGERS = (
    f"""
    CREATE TRIGGER journey_log_insert INSTEAD OF INSERT ON journey_log BEGIN
        INSERT OR IGNORE INTO journal_devices(device_id) VALUES (NEW.device_id);
        INSERT OR IGNORE INTO journal_actors(actor) VALUES (NEW.actor);
        INSERT INTO journal(seq, event_id, at, device, actor, participant_id, kind, record_id,
            action, fields, txn)
        VALUES (NEW.seq, {key_sql("NEW.event_id")}, {_at_key_sql("NEW.at")},
            (SELECT id FROM journal_devices WHERE device_id = NEW.device_id),
            (SELECT id FROM journal_actors WHERE actor = NEW.actor),
            {key_sql("NEW.participant_id")}, {_code_sql("NEW.kind", KINDS)},
            {key_sql("NEW.record_id")}, {_code_sql("NEW.action", ACTIONS)},
            {_NEW_PACKED}, {key_sql("coalesce(NEW.txn, '')")});
        UPDATE journal SET {_UNOPEN} event_id = {key_sql("NEW.event_id")};
    END
    """,
    f"""
    CREATE TRIGGER journey_log_update INSTEAD OF UPDATE OF fields ON journey_log BEGIN
        UPDATE journal SET fields = {_NEW_PACKED} WHERE seq = OLD.seq;
        UPDATE journal SET {_UNOPEN} seq = OLD.seq;
    END
    """,
    """
    CREATE TRIGGER journey_log_delete INSTEAD OF DELETE ON journey_log BEGIN
        DELETE FROM journal WHERE seq = OLD.seq;
    END
    """,
)
_BATCH = 5_000


def compact_again(db: Any) -> None:
    """Move the journey log from m009's form into this one (migration m015), every event as it
    was: the same numbers, ids, laptops and people; moments, kinds, actions and fields packed
    anew (read back through m009's reader, packed by `pack` as `append` packs).

    The events move a part at a time, each part deleted from the old table as it lands in the
    new one, so the file grows by no more than a part: the room the old table frees is taken
    by the new one (and later events).
    """
    for name in ("journey_log_insert", "journey_log_update", "journey_log_delete"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP VIEW IF EXISTS journey_log")
    db.execute("DROP VIEW IF EXISTS journal_named")
    for name in ("idx_journal_participant", "idx_journal_record"):  # built again at the end
        db.execute(f"DROP INDEX IF EXISTS {name}")
    db.execute(TABLE.replace("CREATE TABLE journal (", "CREATE TABLE journal_m015 ("))
    fields = _m009_unpack_sql("j.fields", "j.at", _RECORD_ID, _PARTICIPANT_ID, _ACTOR)
    read = (
        "SELECT j.seq, j.event_id, j.at, j.device, j.actor, j.participant_id, j.kind, "
        f"j.record_id, j.action, {fields}, j.txn, {_RECORD_ID}, {_PARTICIPANT_ID}, {_ACTOR} "
        f"FROM journal AS j WHERE j.seq > ? ORDER BY j.seq LIMIT {_BATCH}"
    )
    pack_one = _packer()
    ats: dict[str, int | str] = {}
    last = -(2**63)
    while batch := db.execute(read, [last]).fetchall():
        out = []
        for (
            seq,
            eid,
            at,
            device,
            actor,
            pid,
            kind,
            rid,
            action,
            text,
            txn,
            rtext,
            ptext,
            who,
        ) in batch:
            stored_at = ats.get(at)
            if stored_at is None:
                stored_at = ats[at] = at_key(at)
            out.append(
                (
                    seq,
                    eid,
                    stored_at,
                    device,
                    actor,
                    pid,
                    kind_key(kind),
                    rid,
                    action_key(action),
                    pack_one(text, at, rtext, ptext, who, kind),
                    txn,
                )
            )
        if len(ats) > 100_000:
            ats.clear()
        db.conn.executemany(
            "INSERT INTO journal_m015(seq, event_id, at, device, actor, participant_id, kind, "
            "record_id, action, fields, txn) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            out,
        )
        last = batch[-1][0]
        db.execute("DELETE FROM journal WHERE seq <= ?", [last])
    # Numbers handed out stay handed out: the next event follows the last one ever.
    ever = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    db.execute("DROP TABLE journal")
    db.execute("ALTER TABLE journal_m015 RENAME TO journal")
    db.execute("DELETE FROM sqlite_sequence WHERE name IN ('journal', 'journal_m015')")
    top = db.execute("SELECT max(seq) FROM journal").fetchone()[0]
    seqs = [n for n in (top, ever[0] if ever else None) if n is not None]
    if seqs:
        db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('journal', ?)", [max(seqs)])
    for sql in INDEXES:
        db.execute(sql)
    db.execute(NAMED)
    db.execute(VIEW)
    for sql in TRIGGERS:
        db.execute(sql)


def _numbers(db: Database, table: str, column: str, values: Iterable[str]) -> dict[str, int]:
    """Each laptop's (or person's) small number, given one the first time it is seen."""
    wanted = list(dict.fromkeys(values))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        db.conn.executemany(
            f"INSERT OR IGNORE INTO {table}({column}) VALUES (?)", [(v,) for v in chunk]
        )
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})", chunk)
        )
    return found


INSERT = (
    "INSERT INTO journal(event_id, at, device, actor, participant_id, kind, record_id, action, "
    "fields, txn) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def rows(db: Database, events: Sequence[Event], encoded: Sequence[str]) -> list[tuple[Any, ...]]:
    """The `journal` rows for events whose fields are already JSON text (`encoded`)."""
    devices = _numbers(db, "journal_devices", "device_id", (e.device_id for e in events))
    actors = _numbers(db, "journal_actors", "actor", (e.actor for e in events))
    txns: dict[str, bytes | str] = {}
    ats: dict[str, int | str] = {}
    parents: dict[str, bytes | str] = {}  # a parent's events come together: keyed once
    out = []
    pack_one = _packer()
    for e, text in zip(events, encoded, strict=True):
        txn = txns.get(e.txn)
        if txn is None:
            txn = txns[e.txn] = key(e.txn)
        at = ats.get(e.at)
        if at is None:
            at = ats[e.at] = at_key(e.at)
        pid, rid = e.participant_id, e.record_id
        record = key(rid)
        parent: bytes | str | None
        if pid is None:
            parent = None
        elif pid == rid:
            parent = parents[pid] = record
        else:
            parent = parents.get(pid)
            if parent is None:
                parent = parents[pid] = key(pid)
        out.append(
            (
                key(e.event_id),
                at,
                devices[e.device_id],
                actors[e.actor],
                parent,
                kind_key(e.kind),
                record,
                action_key(e.action),
                pack_one(text, e.at, rid, pid, e.actor, e.kind),
                txn,
            )
        )
    return out


def append(db: Database, events: Sequence[Event], encoded: Sequence[str]) -> None:
    """Append events (their fields already JSON text) to the journey log."""
    if events:
        db.conn.executemany(INSERT, rows(db, events, encoded))


def where_in(column: str, values: Sequence[str]) -> tuple[str, list[bytes | str]]:
    """`j.column IN (...)` for ids, with the ids as `journal` stores them."""
    return f"j.{column} IN ({', '.join('?' * len(values))})", [key(v) for v in values]


def replace_fields(db: Database, changed: Sequence[tuple[int, str]]) -> None:
    """Write new fields text for logged events by `seq` (erasure-like rewrites only, such as
    blanking answers whose consent was withdrawn), packed as `append` would have packed it."""
    for seq, text in changed:
        row = db.execute(
            "SELECT at, record_id, participant_id, actor, kind FROM journey_log WHERE seq = ?",
            [seq],
        ).fetchone()
        if row is None:
            continue
        at, record_id, participant_id, actor, kind = row
        db.execute(
            "UPDATE journal SET fields = ? WHERE seq = ?",
            [pack(text, at, record_id, participant_id, actor, kind), seq],
        )


def participant_ids(db: Database) -> list[str]:
    """Every parent id the log names, as the text it was written as, each once: read from the
    index on `journal`'s participant ids (through the view, every event would be read back).
    A log from before the compact one (m009, still a table) is read as it is."""
    if db.has_table("journal"):
        sql = (
            f"SELECT {_id_sql('participant_id')} FROM (SELECT DISTINCT participant_id "
            "FROM journal WHERE participant_id IS NOT NULL)"
        )
    else:
        sql = "SELECT DISTINCT participant_id FROM journey_log WHERE participant_id IS NOT NULL"
    return list(dict.fromkeys(pid for (pid,) in db.execute(sql).fetchall()))


def known_ids(db: Database, event_ids: Iterable[str]) -> set[str]:
    """Which of `event_ids` the journey log already holds, looked up by the stored key (a
    `WHERE event_id IN (...)` on the `journey_log` view would read every event back)."""
    stored = {key(i): i for i in event_ids}
    keys = list(stored)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            stored[r[0]]
            for r in db.execute(f"SELECT event_id FROM journal WHERE event_id IN ({marks})", chunk)
        )
    return found
