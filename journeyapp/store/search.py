"""The one search: parents by name (and id or reference), and everything written about them.

Two SQLite FTS5 tables with the trigram tokenizer hold folded text (`core.text.fold`: lower
case, accents stripped, "Ł" as "l"), so a search for any part of a name, "iob" as much as
"Siobhán", is answered from the index:

- `participant_search` (participant_id, names): each parent's preferred and full name;
- `text_search` (text): every field the registry (`FIELDS` in core.records) marks as searched
  text, for records about one parent: notes, goals, steps, strengths, referrals, feedback...;
  its rowid is the id of a row of `text_search_keys` (parent, record_id, field), an ordinary
  indexed table, so a record's entries are found and removed by rowid instead of by scanning
  the whole index (FTS5 cannot index its UNINDEXED columns).

Kept small (migration m012; the keys were a quarter of a caseload file): a key's record id is
stored as `store.eventlog` stores ids (16 bytes for a UUID, else the text), its parent and its
record kind and field as small numbers into `text_search_parents` and `text_search_fields`; the
text index keeps no positions (detail=none) and no column sizes (nothing ranks by them). A
trigram GLOB is still answered from the index: FTS5 hands SQLite the rows that hold every
trigram of the pattern and SQLite checks the pattern against each row's text, so the same
rows are found as with positions kept.

Which fields are indexed comes from the registry. The store's writes keep both tables current
(`index_rows` / `unindex` from store.records and store.merge, `forget_parents` from erasure);
`rebuild` recomputes them and `problems` says where they disagree with the records. Both tables
run with FTS5's secure-delete, so an erased parent's words leave the index pages too.

A query that is exactly a parent's id or reference finds that parent; otherwise it is folded the
same way and split into words: the parents whose names hold the words as a phrase (and, for a
name typed as the caseload list shows it, "Aoife F.", those whose names hold the words before
a last single letter and whose family name starts with it); when no one's names do, those
whose names hold every word somewhere. A name as a list shows it with its place ("Bethany B.,
Glasgow") is read by the caseload (which knows the localities' names, core.search.place_named):
the words before the comma, among the parents in that locality. Words are matched with
GLOB, which the trigram index answers (LIKE with an ESCAPE clause would scan every row).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from journeyapp.core.records import (
    BY_KIND,
    Participant,
    belongs_to_a_parent,
    fields_where,
)
from journeyapp.core.search import (
    APOSTROPHES,
    HYPHENS,
    ID_START_LEAST,
    Hit,
    found_at,
    squeezed,
    words,
)
from journeyapp.core.text import fold, search_names
from journeyapp.store import eventlog
from journeyapp.store.caseload_list import last_word
from journeyapp.store.db import Database

NAMES = "participant_search"
TEXT = "text_search"
KEYS = "text_search_keys"
PARENTS = "text_search_parents"
FIELDS = "text_search_fields"
_CHUNK = 500

# The text index and its keys as m012 made them (`create` makes them so for a new caseload).
TEXT_SCHEMA = (
    f"CREATE VIRTUAL TABLE {TEXT} USING fts5(text, tokenize = 'trigram', detail = none, "
    "columnsize = 0)",
    f"CREATE TABLE {FIELDS} (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, field TEXT NOT NULL, "
    "UNIQUE (kind, field))",
    f"CREATE TABLE {PARENTS} (id INTEGER PRIMARY KEY, participant_id TEXT NOT NULL UNIQUE)",
    f"CREATE TABLE {KEYS} (id INTEGER PRIMARY KEY, parent INTEGER NOT NULL, "
    "record_id NOT NULL, field INTEGER NOT NULL)",
    f"CREATE INDEX idx_{KEYS}_record ON {KEYS}(record_id)",
    f"CREATE INDEX idx_{KEYS}_parent ON {KEYS}(parent)",
)


# The fields the name search looks in (the registry's "name" fields: preferred and full name).
NAME_FIELDS = fields_where(Participant, search="name")


def _searched(kind: str) -> tuple[str, ...]:
    """The fields of a record kind that "search everything" finds (from the registry)."""
    cls = BY_KIND.get(kind)
    if cls is None or not belongs_to_a_parent(cls):
        return ()
    return fields_where(cls, search="text")


def create(db: Database) -> None:
    """Create both indexes with secure-delete on (migration m004) and fill them; the text index
    is made as m012 leaves it (so m012 has nothing to do on a caseload made since)."""
    db.execute(f"DROP TABLE IF EXISTS {NAMES}")
    db.execute(
        f"CREATE VIRTUAL TABLE {NAMES} USING fts5(participant_id UNINDEXED, names, "
        "tokenize = 'trigram')"
    )
    for sql in TEXT_SCHEMA:
        db.execute(sql)
    for table in (NAMES, TEXT):
        db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('secure-delete', 1)")
    rebuild(db)


def compact(db: Database) -> None:
    """Migration m012: the text index and its keys as `TEXT_SCHEMA` makes them, holding the very
    same entries under the same ids (copied, not recomputed: search finds what it found)."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if FIELDS in tables:
        return  # made compact by m004 (a caseload made by this version or upgraded from m001)
    db.execute(f"DROP INDEX IF EXISTS idx_{KEYS}_record")
    db.execute(f"DROP INDEX IF EXISTS idx_{KEYS}_participant")
    db.execute(f"ALTER TABLE {KEYS} RENAME TO old_keys")
    db.execute(f"ALTER TABLE {TEXT} RENAME TO old_text")
    for sql in TEXT_SCHEMA:
        db.execute(sql)
    db.execute(
        f"INSERT INTO {FIELDS}(kind, field) SELECT DISTINCT kind, field FROM old_keys "
        "ORDER BY kind, field"
    )
    db.execute(
        f"INSERT INTO {PARENTS}(participant_id) SELECT participant_id FROM old_keys "
        "GROUP BY participant_id ORDER BY min(id)"
    )
    db.execute(
        f"INSERT INTO {KEYS}(id, parent, record_id, field) "
        f"SELECT k.id, p.id, {eventlog.key_sql('k.record_id')}, f.id FROM old_keys k "
        f"JOIN {PARENTS} p ON p.participant_id = k.participant_id "
        f"JOIN {FIELDS} f ON f.kind = k.kind AND f.field = k.field ORDER BY k.id"
    )
    db.execute(f"INSERT INTO {TEXT}(rowid, text) SELECT rowid, text FROM old_text ORDER BY rowid")
    db.execute(f"INSERT INTO {TEXT}({TEXT}, rank) VALUES ('secure-delete', 1)")
    db.execute("DROP TABLE old_text")
    db.execute("DROP TABLE old_keys")


def _name_rows(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    # Single spaces between words, so a query's words as a phrase can match across names.
    return [
        (row["id"], " ".join(search_names(*(row.get(n) or "" for n in NAME_FIELDS)).split()))
        for row in rows
    ]


def _text_rows(kind: str, rows: Iterable[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    names = _searched(kind)
    if not names:
        return []
    own = kind == Participant.KIND
    found = []
    for row in rows:
        owner = row["id"] if own else row.get("participant_id")
        if not owner:
            continue
        for name in names:
            value = row.get(name)
            if isinstance(value, str) and value.strip():
                found.append((fold(value), owner, kind, row["id"], name))
    return found


def index_rows(
    db: Database, kind: str, rows: Sequence[dict[str, Any]], *, known: Sequence[str] | None = None
) -> None:
    """Put stored rows of one kind (column -> stored value) in the indexes, in place of any
    earlier entries for the same records (`known`: the ids that may have some, if not all)."""
    if not rows or (kind != Participant.KIND and not _searched(kind)):
        return
    unindex(db, kind, [row["id"] for row in rows] if known is None else known)
    add_rows(db, kind, rows)


def indexed(kind: str, fields: Iterable[str]) -> bool:
    """Whether a change to these fields of a record of `kind` changes what search finds."""
    wanted = set(_searched(kind)) | (set(NAME_FIELDS) if kind == Participant.KIND else set())
    return not wanted.isdisjoint(fields)


def add_rows(db: Database, kind: str, rows: Sequence[dict[str, Any]]) -> None:
    """Put rows of one kind that are not in the indexes yet in them (the bulk path)."""
    if kind == Participant.KIND:
        db.conn.executemany(
            f"INSERT INTO {NAMES}(participant_id, names) VALUES (?, ?)", _name_rows(rows)
        )
    _add_texts(db, _text_rows(kind, rows))


def _field_numbers(db: Database, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The small number of each (kind, field), new ones numbered as they come."""
    db.conn.executemany(
        f"INSERT INTO {FIELDS}(kind, field) VALUES (?, ?) ON CONFLICT DO NOTHING", sorted(pairs)
    )
    rows = db.execute(f"SELECT kind, field, id FROM {FIELDS}").fetchall()  # a few dozen
    return {(kind, field): number for kind, field, number in rows}


def _parent_numbers(db: Database, participant_ids: Iterable[str]) -> dict[str, int]:
    """The small number of each parent, new ones numbered as they come."""
    wanted = sorted(set(participant_ids))
    db.conn.executemany(
        f"INSERT INTO {PARENTS}(participant_id) VALUES (?) ON CONFLICT DO NOTHING",
        [(pid,) for pid in wanted],
    )
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(
                f"SELECT participant_id, id FROM {PARENTS} WHERE participant_id IN ({marks})",
                chunk,
            ).fetchall()
        )
    return found


def _record_id(stored: bytes | str) -> str:
    """A key's record id as the text it was written as (see `eventlog.key`)."""
    import uuid  # here: not loaded to open the window (#18)

    return str(uuid.UUID(bytes=stored)) if isinstance(stored, bytes) else stored


def _add_texts(db: Database, texts: Sequence[tuple[str, str, str, str, str]]) -> None:
    """Add (folded text, participant, kind, record, field) entries: a key row and its text."""
    if not texts:
        return
    fields = _field_numbers(db, {(entry[2], entry[4]) for entry in texts})
    parents = _parent_numbers(db, (entry[1] for entry in texts))
    # Ids handed out here (one writer at a time: this runs inside the write transaction).
    first = int(db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {KEYS}").fetchone()[0])
    db.conn.executemany(
        f"INSERT INTO {KEYS}(id, parent, record_id, field) VALUES (?, ?, ?, ?)",
        [
            (first + n, parents[owner], eventlog.key(record_id), fields[(kind, field)])
            for n, (_text, owner, kind, record_id, field) in enumerate(texts)
        ],
    )
    db.conn.executemany(
        f"INSERT INTO {TEXT}(rowid, text) VALUES (?, ?)",
        [(first + n, entry[0]) for n, entry in enumerate(texts)],
    )


def _remove_texts(db: Database, where: str, values: Sequence[object]) -> None:
    """Remove the text entries whose key row matches `where` (on its record_id or parent):
    by rowid, which FTS5 finds at once."""
    db.execute(f"DELETE FROM {TEXT} WHERE rowid IN (SELECT id FROM {KEYS} WHERE {where})", values)
    db.execute(f"DELETE FROM {KEYS} WHERE {where}", values)


def unindex(db: Database, kind: str, record_ids: Sequence[str]) -> None:
    """Take records of one kind out of the indexes."""
    if kind != Participant.KIND and not _searched(kind):
        return
    if len(record_ids) > _CHUNK:
        _unindex_many(db, kind, record_ids)
        return
    for start in range(0, len(record_ids), _CHUNK):
        chunk = list(record_ids[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        if kind == Participant.KIND:
            db.execute(f"DELETE FROM {NAMES} WHERE participant_id IN ({marks})", chunk)
        _remove_texts(
            db, f"record_id IN ({marks})", [eventlog.key(record_id) for record_id in chunk]
        )


def _unindex_many(db: Database, kind: str, record_ids: Sequence[str]) -> None:
    """`unindex` for many records (a merge's): the ids in a temporary table, and each index
    read once against it, not once for every few hundred ids (a big merge builds the keys'
    index of record ids only at its end: store.merge.deferred_indexes)."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS search_unindexed (record_id PRIMARY KEY)")
    db.execute("DELETE FROM temp.search_unindexed")
    db.conn.executemany(
        "INSERT OR IGNORE INTO temp.search_unindexed(record_id) VALUES (?)",
        [(eventlog.key(record_id),) for record_id in record_ids],
    )
    if kind == Participant.KIND:
        for start in range(0, len(record_ids), _CHUNK):
            chunk = list(record_ids[start : start + _CHUNK])
            marks = ", ".join("?" * len(chunk))
            db.execute(f"DELETE FROM {NAMES} WHERE participant_id IN ({marks})", chunk)
    _remove_texts(db, "record_id IN (SELECT record_id FROM temp.search_unindexed)", [])
    db.execute("DELETE FROM temp.search_unindexed")


def forget_parents(db: Database, participant_ids: Sequence[str]) -> None:
    """Everything about these parents out of both indexes (erasure)."""
    for start in range(0, len(participant_ids), _CHUNK):
        chunk = list(participant_ids[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        db.execute(f"DELETE FROM {NAMES} WHERE participant_id IN ({marks})", chunk)
        parents = f"SELECT id FROM {PARENTS} WHERE participant_id IN ({marks})"
        _remove_texts(db, f"parent IN ({parents})", chunk)
        db.execute(f"DELETE FROM {PARENTS} WHERE participant_id IN ({marks})", chunk)


def scrub(db: Database) -> None:
    """After an erasure: make sure no erased word is left in the index pages.

    Secure-delete is on from the start (m004), but a caseload whose index was made before may
    still hold deleted tokens in older segments: switch it on and rebuild the names (small);
    the text index is merged down so its deleted entries are rewritten away.
    """
    for table in (NAMES, TEXT):
        db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('secure-delete', 1)")
    db.execute(f"INSERT INTO {NAMES}({NAMES}) VALUES ('rebuild')")
    db.execute(f"INSERT INTO {TEXT}({TEXT}) VALUES ('optimize')")


def _stored_rows(db: Database, kind: str, names: Sequence[str]) -> list[dict[str, Any]]:
    quoted = ", ".join(f'"{n}"' for n in names)
    cursor = db.execute(f'SELECT {quoted} FROM "{kind}"')
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _expected(db: Database) -> tuple[set[tuple[str, str]], set[tuple[str, str, str, str, str]]]:
    people = _stored_rows(db, Participant.KIND, ["id", *NAME_FIELDS])
    texts: set[tuple[str, str, str, str, str]] = set()
    # A record kind whose table a later migration makes (while m004 runs) holds nothing yet.
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for kind in BY_KIND:
        # Likewise a field whose column a later migration adds (m022's ending_words): read as
        # a quoted name it would be SQLite's string literal, indexed as if someone wrote it.
        fields = _searched(kind)
        if fields and kind in tables:
            held = {r[1] for r in db.execute(f'PRAGMA table_info("{kind}")')}
            fields = tuple(f for f in fields if f in held)
            owner = [] if kind == Participant.KIND else ["participant_id"]
            texts.update(_text_rows(kind, _stored_rows(db, kind, ["id", *owner, *fields])))
    return set(_name_rows(people)), texts


def rebuild(db: Database) -> None:
    """Recompute both indexes from the record tables."""
    names, texts = _expected(db)
    db.execute(f"DELETE FROM {NAMES}")
    db.execute(f"DELETE FROM {TEXT}")
    db.execute(f"DELETE FROM {KEYS}")
    db.execute(f"DELETE FROM {PARENTS}")
    db.conn.executemany(f"INSERT INTO {NAMES}(participant_id, names) VALUES (?, ?)", names)
    _add_texts(db, sorted(texts, key=lambda t: (t[1], t[3], t[4])))


def problems(db: Database) -> list[str]:
    """Where the indexes disagree with the records (an empty list when they are right)."""
    names, texts = _expected(db)
    held_names = set(db.execute(f"SELECT participant_id, names FROM {NAMES}").fetchall())
    held_texts = {
        (text, pid, kind, _record_id(record_id), field)
        for text, pid, kind, record_id, field in db.execute(
            f"SELECT t.text, p.participant_id, f.kind, k.record_id, f.field FROM {KEYS} k "
            f"LEFT JOIN {PARENTS} p ON p.id = k.parent LEFT JOIN {FIELDS} f ON f.id = k.field "
            f"LEFT JOIN {TEXT} t ON t.rowid = k.id"
        )
    }
    unkeyed = db.execute(
        f"SELECT count(*) FROM {TEXT} WHERE rowid NOT IN (SELECT id FROM {KEYS})"
    ).fetchone()[0]
    found = []
    if held_names != names:
        found.append(
            f"name search: {len({n[0] for n in names ^ held_names})} parent(s) out of step"
        )
    if held_texts != texts or unkeyed:
        found.append(
            f"text search: {len({t[3:] for t in texts ^ held_texts}) + unkeyed} piece(s) of "
            "text out of step with the records"
        )
    return found


# -- asking -------------------------------------------------------------------------------------


# Characters a name is written with either way, one for the other: an apostrophe typed (')
# or pasted from a document or a phone (’), a hyphen or a space ("Ana-María", "Ana María").
_ALIKE = {
    **dict.fromkeys(APOSTROPHES, f"[{APOSTROPHES}]"),
    **dict.fromkeys(f"{HYPHENS} ", f"[{HYPHENS} ]"),
    **{ch: f"[{ch}]" for ch in "*?["},  # matched as themselves
}


# Between a name's words, read as spaces: a hyphen ("Ana-María"), and the brackets and commas
# of a name as a command lists it ("Bethany (Bethany Sampleton)") or a register writes it
# ("Sampleton, Bethany").
_BETWEEN_WORDS = str.maketrans(dict.fromkeys("-‐‑–(),;", " "))


def _glob(word: str) -> str:
    """A GLOB pattern for text containing `word` (its own * ? [ matched as themselves; an
    apostrophe or a hyphen matching any way of writing it, a hyphen or a space each other)."""
    return f"*{''.join(_ALIKE.get(ch, ch) for ch in word)}*"


def _without_sql(column: str, characters: str) -> str:
    """SQL for a text column without these characters."""
    for ch in characters:
        column = f"replace({column}, char({ord(ch)}), '')"
    return column


_LONGEST_SQUEEZED = 1_000  # characters: no name is as long


def _names_hold(column: str, name: str, word: str, params: dict[str, str]) -> str:
    """SQL: the names in `column` hold `word` (a folded word or phrase) as written (_glob), or
    with the apostrophes of both left out, or their apostrophes and hyphens ("oneil" is
    O'Neil, "mccarthyjones" McCarthy-Jones, "ana maria oneil" Ana-María O'Neil); its patterns
    go in `params` under `name`. Leaving them out is worked out only for names holding the
    word's letters in order (a GLOB over a short row, no copies)."""
    params[name] = _glob(word)
    if not all(squeezed(part) for part in word.split()) or len(word) > _LONGEST_SQUEEZED:
        # A word of apostrophes or hyphens alone: as written. One longer than any name (a
        # paste of a page): as written too, its letters' pattern would be too long for SQLite
        # ("LIKE or GLOB pattern too complex", over 50,000 characters).
        return f"{column} GLOB :{name}"
    short = squeezed(word)
    params[f"{name}_letters"] = f"*{'*'.join(_ALIKE.get(ch, ch) for ch in short if ch != ' ')}*"
    params[f"{name}_apostrophes"] = _glob("".join(ch for ch in word if ch not in APOSTROPHES))
    params[f"{name}_squeezed"] = _glob(short)
    return (
        f"({column} GLOB :{name}_letters AND ({column} GLOB :{name} OR "
        f"{_without_sql(column, APOSTROPHES)} GLOB :{name}_apostrophes OR "
        f"{_without_sql(column, APOSTROPHES + HYPHENS)} GLOB :{name}_squeezed))"
    )


def parents_sql(text: str, locality: str | None = None) -> tuple[str, dict[str, str]] | None:
    """SQL selecting the ids of the parents `text` finds, with its named parameters (all
    starting "search_"); None when the text holds nothing to look for (every parent then).
    With `locality` (a key: the place after a name as a list shows it, "Bethany B., Glasgow",
    core.search.place_named), only those of them in that locality."""
    query = _parents_sql(text)
    if query is None or locality is None:
        return query
    sql, params = query
    params["search_locality"] = locality
    return (
        f"SELECT id FROM participants WHERE locality = :search_locality AND id IN ({sql})",
        params,
    )


def _parents_sql(typed: str) -> tuple[str, dict[str, str]] | None:
    query = _named_sql(typed)
    start = typed.strip().rstrip(".…").strip()
    globs = _id_starts(start) if len(start) >= ID_START_LEAST else None
    if query is None or globs is None:
        return query
    # The start of an id as copied from a list ("3f2a4b..."), when no name or reference holds
    # it: every front end finds a parent by it alike (the commands did; the window did not).
    sql, params = query
    params.update({f"search_id_{case}": glob for case, glob in globs.items()})
    return (
        f"{sql} UNION ALL SELECT id FROM participants WHERE (id GLOB :search_id_lower OR "
        f"id GLOB :search_id_upper) AND NOT EXISTS ({sql})",
        params,
    )


def _named_sql(typed: str) -> tuple[str, dict[str, str]] | None:
    # A name's words however they were typed: composed ("Ž" one letter, as from a keyboard,
    # not two as some phones and pastes give it), a hyphen, bracket or comma between them as
    # a space ("Ana-María M." is "Ana María M."; _glob matches a hyphen or a space in names).
    text = unicodedata.normalize("NFC", typed)
    if words(spaced := text.translate(_BETWEEN_WORDS)):  # (a hyphen alone is looked for)
        text = spaced
    wanted = words(text)
    if not wanted:
        return None
    params: dict[str, str] = {}
    every_word = " AND ".join(
        _names_hold("names", f"search_{n}", word, params) for n, word in enumerate(wanted)
    )
    params["search_exact"] = typed.strip()
    # Exactly an id or a reference: that parent alone (a reference may also be part of a name).
    # The parts below exclude each other and each names a parent once: UNION ALL, no de-dupe.
    exact = "SELECT id FROM participants WHERE id = :search_exact OR ref = :search_exact"
    if len(wanted) == 1:
        return (
            f"{exact} UNION ALL SELECT participant_id FROM {NAMES} WHERE {every_word} "
            f"AND NOT EXISTS ({exact})",
            params,
        )
    # Several words: as a phrase first ("siobhan i" is Siobhán I…, not every Siobhán with an
    # i somewhere), and only when no name holds the phrase (nor the name as shown, below),
    # every word anywhere ("luc overg").
    held = _names_hold("names", "search_phrase", " ".join(wanted), params)
    phrase = f"SELECT participant_id FROM {NAMES} WHERE {held}"
    # One letter as typed (folding may make two: "ß" is "ss"), with or without its full stop.
    typed = text.split()[-1].removesuffix(".")
    initial = fold(typed)
    if len(typed) == 1 and initial == wanted[-1].removesuffix("."):
        # The name the caseload list shows when two parents share a preferred name ("Aoife F.":
        # the family name's initial, core.text.with_family_initial), typed as shown: also the
        # parents whose names hold the words before it and whose family name starts with it.
        lead = _names_hold("s.names", "search_lead", " ".join(wanted[:-1]), params)
        params["search_initial"] = _glob(initial)[1:]
        phrase += (
            f" UNION SELECT s.participant_id FROM {NAMES} s JOIN participants p "
            f"ON p.id = s.participant_id WHERE {lead} "
            f"AND {last_word('s.names')} GLOB :search_initial "
            "AND instr(trim(coalesce(p.full_name, '')), ' ') > 0"
        )
    sql = (
        f"{exact} UNION ALL SELECT * FROM ({phrase}) WHERE NOT EXISTS ({exact}) "
        f"UNION ALL SELECT participant_id FROM {NAMES} WHERE {every_word} "
        f"AND NOT EXISTS ({exact}) AND NOT EXISTS ({phrase})"
    )
    return sql, params


def find_parents(db: Database, text: str, locality: str | None = None) -> list[str]:
    """The ids of the parents `text` finds, in the caseload list's order (by name).

    The one search every front end uses: when `text` is exactly a parent's id or partnership
    reference, that parent; otherwise, with `text` folded (case and accents ignored), the
    parents whose preferred and full name hold its words as a phrase, or (a name typed as the
    list shows it, "Aoife F.") the words before an initial and a family name starting with it,
    or every word somewhere; with `locality`, only those in it. Nothing to look for finds
    no one.
    """
    query = parents_sql(text, locality)
    if query is None:
        return []
    sql, params = query
    rows = db.execute(
        f"SELECT participant_id FROM caseload_list WHERE participant_id IN ({sql}) "
        "ORDER BY preferred_name, family_name, participant_id",
        params,
    ).fetchall()
    return [row[0] for row in rows]


# What an id is written with: a UUID's hex digits and dashes.
_ID_LETTERS = frozenset("0123456789abcdefABCDEF-")


def _id_starts(start: str) -> dict[str, str] | None:
    """GLOB patterns for an id starting with `start` in lower or upper case (a primary key's
    index answers them), or None when `start` is no id's start (hex digits and dashes)."""
    if not start or not set(start) <= _ID_LETTERS:
        return None
    return {"lower": start.lower() + "*", "upper": start.upper() + "*"}


def ids_starting(db: Database, start: str) -> list[str]:
    """The ids of the parents whose id starts with `start` (hex digits and dashes, as an id is
    listed; in lower or upper case), in the caseload list's order: read from the ids' own
    index, so a start that names nobody costs a look-up, not a read of every parent."""
    globs = _id_starts(start)
    if globs is None:
        return []
    rows = db.execute(
        "SELECT participant_id FROM caseload_list WHERE participant_id IN "
        "(SELECT id FROM participants WHERE id GLOB :lower OR id GLOB :upper) "
        "ORDER BY preferred_name, family_name, participant_id",
        globs,
    ).fetchall()
    return [row[0] for row in rows]


def erased_ids_starting(db: Database, start: str) -> list[str]:
    """The ids of erased parents (their tombstones) starting with `start`, as `ids_starting`
    reads it: so the start of an erased parent's id, copied from a list, is said to be theirs."""
    globs = _id_starts(start)
    if globs is None:
        return []
    rows = db.execute(
        "SELECT participant_id FROM tombstones WHERE participant_id GLOB :lower "
        "OR participant_id GLOB :upper ORDER BY participant_id",
        globs,
    ).fetchall()
    return [row[0] for row in rows]


def found_set(db: Database, text: str, locality: str | None = None) -> frozenset[str]:
    """The same parents as `find_parents`, unordered: for a list that keeps its own order (the
    window's, on every keystroke: putting 10,000 ids in order would cost more than finding them)."""
    query = parents_sql(text, locality)
    if query is None:
        return frozenset()
    sql, params = query
    return frozenset(row[0] for row in db.execute(sql, params).fetchall())


def _snippet(original: str, wanted: Sequence[str], width: int = 60) -> str:
    """The words of `original` around the first word found (as the search found it: "dont"
    at "don't"), from the original text."""
    centre = found_at(original, wanted)
    start = max(0, centre - width // 2)
    end = min(len(original), start + width)
    text = " ".join(original[start:end].split())
    return ("…" if start > 0 else "") + text + ("…" if end < len(original) else "")


# A run of this many characters matched as themselves is what the trigram index can look
# for: a pattern without one would be answered by reading every piece of text.
_TRIGRAM = 3


def _indexed(pattern: str) -> bool:
    """Whether a GLOB pattern (as `_glob` writes them) has a run of characters matched as
    themselves long enough for the trigram index to look for."""
    run, in_class = 0, False
    for ch in pattern:
        if in_class:
            in_class = ch != "]"
            run = 0
        elif ch == "[":
            in_class, run = True, 0
        elif ch in "*?":
            run = 0
        else:
            run += 1
            if run >= _TRIGRAM:
                return True
    return False


# The SQL that checks a pattern on a row the index gave: the text as written (`text || ''`,
# not handed to the index again), or the text without its apostrophes and hyphens.
_AS_WRITTEN = "(text || '') GLOB ?"
_SQUEEZED_SQL = f"{_without_sql('text', APOSTROPHES + HYPHENS)} GLOB ?"


def _left_out_patterns(word: str) -> list[tuple[str, str, str]]:
    """Ways to find text holding `word` (folded) with the apostrophes of both left out, or
    their apostrophes and hyphens, as a name is found and core.search.marked reads it ("dont"
    finds "don't", "don't" finds "dont", "selfemployed" "self-employed", "oneills" "o'neill's",
    "motherinlaws" "mother-in-law's"), each as (what the trigram index is asked for, the SQL
    that checks each row it gives, that check's pattern):

    - the word without them, as written;
    - a mark as written between two of its letters ("*n't*", "*o'n*"): few notes hold one,
      where the whole word's letters would have the index read every note holding "don" or
      "college"; each row it gives is checked with every apostrophe and hyphen of its text
      left out, so a word written with any number of them is found (when one of them stands
      alone between two letters, as in any word written so: "rock'n'roll")."""
    if not all(squeezed(part) for part in word.split()) or len(word) > _LONGEST_SQUEEZED:
        return []  # a word of apostrophes or hyphens alone, or a paste: as written only
    apostrophes_out = "".join(ch for ch in word if ch not in APOSTROPHES)
    both_out = squeezed(word)
    patterns: list[tuple[str, str, str]] = []
    for short in dict.fromkeys((apostrophes_out, both_out)):
        if short != word and _indexed(_glob(short)):
            patterns.append((_glob(short), _AS_WRITTEN, _glob(short)))
    letters = both_out.replace(" ", "")
    for at in range(1, len(letters)):
        before, after = (
            _ALIKE.get(letters[at - 1], letters[at - 1]),
            _ALIKE.get(letters[at], letters[at]),
        )
        for mark in HYPHENS + APOSTROPHES:
            key = f"*{before}{mark}{after}*"
            if _indexed(key) and all(p[0] != key for p in patterns):
                patterns.append((key, _SQUEEZED_SQL, _glob(both_out)))
    return patterns


def _text_rowids(db: Database, wanted: Sequence[str], limit: int) -> list[int]:
    """The text index's rows holding every word of `wanted` (folded), at most `limit`: as
    written first (one query, from the index), then, while there is room, those holding a
    word only with its apostrophes or hyphens left out (`_left_out_patterns`), as names are
    found: each asked of the index, the whole word and the other words checked on the rows it
    gives (`text || ''`: not handed to the index)."""
    where = " AND ".join("text GLOB ?" for _ in wanted)
    # No ORDER BY: with it, SQLite would gather every match before the first `limit`.
    found = [
        row[0]
        for row in db.execute(
            f"SELECT rowid FROM {TEXT} WHERE {where} LIMIT ?", [*map(_glob, wanted), limit]
        )
    ]
    if len(found) >= limit:
        return found
    either = [
        [
            (_AS_WRITTEN, _glob(word)),
            *dict.fromkeys((check, whole) for _, check, whole in _left_out_patterns(word)),
        ]
        for word in wanted
    ]
    seen = set(found)
    for n, word in enumerate(wanted):
        others = [each for m, each in enumerate(either) if m != n]
        also = "".join(" AND (" + " OR ".join(check for check, _ in each) + ")" for each in others)
        params = [whole for each in others for _, whole in each]
        for key, check, whole in _left_out_patterns(word):
            for (rowid,) in db.execute(
                f"SELECT rowid FROM {TEXT} WHERE text GLOB ? AND {check}{also} LIMIT ?",
                [key, whole, *params, limit],
            ):
                if rowid not in seen:
                    seen.add(rowid)
                    found.append(rowid)
                    if len(found) >= limit:
                        return found
    return found


def search_everything(
    db: Database,
    text: str,
    *,
    limit: int = 200,
    names: bool = True,
    locality: str | None = None,
) -> list[Hit]:
    """Every name and piece of text about a parent that `text` finds (each word folded, all of
    them in the same field), names first, then the records' words; with a snippet of each.
    With `names` False, only the records' words (a list beside the name search's own);
    `locality`: the names' search's (`find_parents`)."""
    wanted = words(text)
    if not wanted:
        return []
    hits: list[Hit] = []
    for pid in find_parents(db, text, locality)[:limit] if names else []:
        row = db.execute(
            "SELECT preferred_name, full_name FROM participants WHERE id = ?", [pid]
        ).fetchone()
        hits.append(Hit(pid, Participant.KIND, pid, "names", " ".join(filter(None, row))))
    rowids = _text_rowids(db, wanted, max(0, limit - len(hits)))
    found = [
        (pid, kind, _record_id(record_id), field)
        for pid, kind, record_id, field in db.execute(
            f"SELECT p.participant_id, f.kind, k.record_id, f.field FROM {KEYS} k "
            f"JOIN {PARENTS} p ON p.id = k.parent JOIN {FIELDS} f ON f.id = k.field "
            "WHERE k.id IN (SELECT value FROM json_each(?))",
            [json.dumps(rowids)],
        )
    ]
    for pid, kind, record_id, field in sorted(found):
        if field not in _searched(kind):
            continue  # an index written by a version that searched more; not ours to show
        value = db.execute(f'SELECT "{field}" FROM "{kind}" WHERE id = ?', [record_id]).fetchone()
        if value and value[0]:
            hits.append(Hit(pid, kind, record_id, field, _snippet(str(value[0]), wanted)))
    return hits
