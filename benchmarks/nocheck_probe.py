"""The end-to-end limit with no check (issue 18): from process start, a sealed bundle file
attached to a caseload with the caseload's own settings (WAL, synchronous FULL, one
transaction), every event copied into the journal and every record into its table by
INSERT…SELECT inside SQLite (no Python per event, no check at all), the indexes as the caseload
has them brought up to date, committed. Nothing a merge that reads this bundle into this
caseload could do is faster, short of storing less.

Usage: python benchmarks/nocheck_probe.py limit|parts|rows|rows-later BUNDLE CASELOAD [PASSPHRASE_FILE]
(the caseload is encrypted with the passphrase in PASSPHRASE_FILE when given, else plain).
limit: the copy, printing its seconds from opening the caseload to closing it, the events
copied, and the seconds of each step (each INSERT…SELECT reads the bundle again: a statement
with row triggers writing two tables in one pass would have SQLite stage every row of the
SELECT in a temporary table first, the whole bundle in memory).
parts: the same, after reading every row of the bundle alone and making the checks a merge
could make inside SQLite (checks_sql), for the share each part takes.
rows, rows-later: a design figure: BUNDLE is a bundle of another form (write_rows_bundle: the
caseload's own rows, the journal packed and each record as its row), copied row for row;
rows-later fills the search indexes after the commit, in a transaction of their own.

What is copied is what the merge writes for a bundle of new records: each event into `journal`
(packed as eventlog packs it: the SQL of its own `journey_log` trigger), each created record's
fields into its table, each edit's fields over the record's (the latest value of each field),
the plain indexes and the caseload list built once after (as the merge's deferred indexes
are), and the search indexes filled from the records (their text lower-cased in SQL, where the
merge folds it in Python). Removals and erasures are not copied (the benchmark's bundles have
none). The caseload is not opened through Caseload.open: its connection is set up as
store.db sets up every caseload connection, and nothing else is done.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

BUNDLE_PASSPHRASE = "benchmark bundle passphrase"  # as exchange_probe.py has it
CACHE_KIB = -131_072  # the merge's page cache (store.merge.BIG_CACHE_KIB)
ALIAS = "incoming"
SETTINGS = (  # store.db._configure: every caseload connection
    "PRAGMA busy_timeout = 5000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA journal_size_limit = 4194304",
    "PRAGMA recursive_triggers = ON",
    "PRAGMA foreign_keys = ON",
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _packed(r: str) -> str:
    """SQL packing the fields of row `r` (`e` or `NEW`) as eventlog packs them, each kind's
    names written out for it (eventlog._pack_sql: the same text, without a CASE per name)."""
    from journeyapp.store import eventlog as log

    fields = f"{r}.fields"
    plain = "NOT {v} GLOB ('*[' || char(1) || '-' || char(31) || '\"\\]*')"
    sql = f"iif(unicode({fields}) = 123, '{{, ' || substr({fields}, 2), {fields})"
    values = (f"{r}.at", f"{r}.at", f"{r}.record_id", f"{r}.participant_id", f"{r}.actor")
    for code, (name, value) in enumerate(zip(log._TOKENS, values, strict=True), start=1):
        member = f"', \"{name}\": \"' || {value} || '\"'"
        found = f"iif({value} IS NOT NULL AND {plain.format(v=value)}, {member}, '')"
        sql = f"replace({sql}, {found}, char({code}))"
    whens = []
    for kind, patterns in log.PATTERNS.items():
        named = sql
        for code, pattern in zip(log._NAME_CODES, patterns, strict=False):
            named = f"replace({named}, {log._sql_text(pattern)}, char({code}))"
        whens.append(f"WHEN '{kind}' THEN {named}")
    kept = (
        f"({fields} GLOB ('*[' || char(1) || '-' || char(31) || ']*') "
        f"OR substr({fields}, 1, 3) = '{{, ')"
    )
    packed = f"CASE {r}.kind {' '.join(whens)} ELSE {sql} END"
    return f"iif({kept}, char(7) || {fields}, {packed})"


def _journal_values(r: str) -> str:
    """The journal's columns for row `r` of the bundle, as the merge stores them, with no
    check: ids taken as UUID text (their 16 bytes), moments as JourneyApp writes them
    (microseconds), the fields packed (`_packed`; a ", " left after the "{" taken off)."""
    from journeyapp.store import eventlog as log

    def key(column: str) -> str:
        return f"unhex({r}.{column}, '-')"

    at = f"unixepoch(substr({r}.at, 1, 19)) * 1000000 + CAST(substr({r}.at, 21, 6) AS INTEGER)"
    return (
        f"{key('event_id')}, {at}, "
        f"(SELECT id FROM main.journal_devices WHERE device_id = {r}.device_id), "
        f"(SELECT id FROM main.journal_actors WHERE actor = {r}.actor), "
        f"{key('participant_id')}, {log._code_sql(f'{r}.kind', log.KINDS)}, "
        f"{key('record_id')}, {log._code_sql(f'{r}.action', log.ACTIONS)}, "
        "iif(substr(p, 1, 3) = '{, ', '{' || substr(p, 4), p), "
        f"iif({r}.txn = '', '', {key('txn')})"
    )


JOURNAL = (
    "INSERT INTO main.journal(event_id, at, device, actor, participant_id, kind, record_id, "
    "action, fields, txn) SELECT "
)


def journal_sql(source: str) -> str:
    """INSERT…SELECT of every event of `source` into the journal (`_journal_values`)."""
    rows = f"SELECT e.*, {_packed('e')} AS p FROM {source} AS e ORDER BY e.seq LIMIT -1 OFFSET 0"
    return f"{JOURNAL}{_journal_values('e')} FROM ({rows}) AS e"


def numbers_sql(source: str) -> list[str]:
    """The laptops, people and record kinds of `source` (one read of it, into a small temporary
    table), then the laptops and people numbered as the journal numbers them."""
    return [
        "CREATE TEMP TABLE incoming_names AS SELECT device_id, actor, kind, min(seq) AS first "
        f"FROM {source} GROUP BY device_id, actor, kind",
        "INSERT OR IGNORE INTO main.journal_devices(device_id) SELECT device_id "
        "FROM temp.incoming_names GROUP BY device_id ORDER BY min(first)",
        "INSERT OR IGNORE INTO main.journal_actors(actor) SELECT actor "
        "FROM temp.incoming_names GROUP BY actor ORDER BY min(first)",
    ]


def records_sql(source: str, kinds: list[str]) -> list[str]:
    """The records of `source`'s `kinds`: each created record's fields inserted (one read of
    the bundle per kind), then the edits (one read, into a temporary table: a small part of a
    bundle) set over them, each field to its latest value (the edit last in the bundle that
    names it) and updated_at to the moment of the last edit, a field at a time."""
    from journeyapp.core.records import BY_KIND
    from journeyapp.store.records import columns

    out = []
    kinds = [kind for kind in kinds if kind in BY_KIND]
    for kind in kinds:
        names = [c.name for c in columns(BY_KIND[kind])]
        values = ", ".join(f"json_extract(e.fields, '$.{n}')" for n in names)
        out.append(
            f"INSERT INTO main.{_q(kind)} ({', '.join(map(_q, names))}) SELECT {values} "
            f"FROM {source} AS e WHERE e.kind = '{kind}' AND e.action = 'create' ORDER BY e.seq"
        )
    out.append(
        "CREATE TEMP TABLE incoming_edits AS SELECT seq, kind, record_id, at, fields "
        f"FROM {source} WHERE action = 'update' ORDER BY seq"
    )
    for kind in kinds:
        for name in (c.name for c in columns(BY_KIND[kind])):
            if name == "id":
                continue
            named = f"json_type(fields, '$.{name}') IS NOT NULL"
            value = f"json_extract(fields, '$.{name}')"
            if name == "updated_at":  # (an edit's moment, unless it names one)
                named, value = "1", f"iif(json_type(fields, '$.{name}') IS NULL, at, {value})"
            # (SQLite takes the other columns of an aggregate's row from its max() row.)
            latest = (
                f"SELECT record_id, {value} AS value, max(seq) FROM temp.incoming_edits "
                f"WHERE kind = '{kind}' AND {named} GROUP BY record_id"
            )
            out.append(
                f"UPDATE main.{_q(kind)} AS t SET {_q(name)} = u.value FROM ({latest}) AS u "
                "WHERE t.id = u.record_id"
            )
    return out


def checks_sql(source: str) -> str:
    """A count of the events of `source` that fail checks made inside SQLite, in C, set-based
    (for the parts' figure of what such checks cost, not as the merge's checks): ids and
    moments by pattern, kinds and actions by list, the fields valid JSON objects no longer
    than an event may be, and each field of a create or edit of the type its column takes (a
    text no longer than one typed in, a date a real day, a choice one of its values)."""
    from journeyapp.core.merge import MAX_EVENT
    from journeyapp.core.records import BY_KIND
    from journeyapp.store import eventlog as log
    from journeyapp.store.merge_checks import MAX_FIELD, MAX_ID
    from journeyapp.store.records import columns

    def short(column: str) -> str:
        return f"(typeof(e.{column}) = 'text' AND length(e.{column}) <= {MAX_ID})"

    uuid = f"e.{{}} GLOB '{log._UUID_GLOB}'"
    good = [
        f"({uuid.format('event_id')} OR {short('event_id')})",
        f"({uuid.format('record_id')} OR {short('record_id')})",
        f"(e.participant_id IS NULL OR {short('participant_id')})",
        short("device_id"),
        short("actor"),
        short("txn"),
        f"e.at GLOB '{log._AT_GLOB}'",
        f"e.action IN ({', '.join(repr(a) for a in log.ACTIONS)})",
        f"length(e.fields) <= {MAX_EVENT}",
        "json_valid(e.fields)",
        "json_type(e.fields) = 'object'",
    ]
    whens = []
    for kind, cls in BY_KIND.items():
        tests = []
        for col in columns(cls):
            path = f"'$.{col.name}'"
            kind_of = f"json_type(e.fields, {path})"
            value = f"json_extract(e.fields, {path})"
            if col.kind == "int":
                tests.append(f"{kind_of} IN ('integer', 'null')")
            elif col.kind == "bool":
                tests.append(f"({kind_of} IN ('true', 'false', 'null') OR {value} IN (0, 1))")
            elif col.kind == "date":
                tests.append(f"({kind_of} = 'null' OR date({value}) IS {value})")
            elif col.kind == "enum" and col.enum is not None:
                allowed = ", ".join("'" + str(v).replace("'", "''") + "'" for v in col.enum)
                tests.append(f"({kind_of} = 'null' OR {value} IN ({allowed}))")
            else:
                tests.append(f"({kind_of} = 'null' OR length({value}) <= {MAX_FIELD})")
            tests[-1] = f"({kind_of} IS NULL OR {tests[-1]})"
        whens.append(f"WHEN '{kind}' THEN {' AND '.join(tests)}")
    good.append(f"CASE e.kind {' '.join(whens)} ELSE 0 END")
    return f"SELECT count(*) FROM {source} AS e WHERE NOT ({' AND '.join(good)})"


def fill_search(conn: object) -> None:
    """The search indexes filled from the records (names; searched texts with their keys,
    numbered in the records' order)."""
    from journeyapp.core.records import BY_KIND, Participant
    from journeyapp.store import eventlog as log
    from journeyapp.store import search

    run = conn.execute  # type: ignore[attr-defined]
    run(
        f"INSERT INTO main.{search.NAMES}(participant_id, names) SELECT id, "
        "lower(trim(coalesce(preferred_name, '') || ' ' || coalesce(full_name, ''))) "
        "FROM main.participants"
    )
    run(
        f"INSERT OR IGNORE INTO main.{search.PARENTS}(participant_id) SELECT id "
        "FROM main.participants ORDER BY id"
    )
    for kind in BY_KIND:
        owner = "id" if kind == Participant.KIND else "participant_id"
        for name in search._searched(kind):
            run(
                f"INSERT OR IGNORE INTO main.{search.FIELDS}(kind, field) VALUES (?, ?)",
                [kind, name],
            )
            (field,) = run(
                f"SELECT id FROM main.{search.FIELDS} WHERE kind = ? AND field = ?", [kind, name]
            ).fetchone()
            (before,) = run(f"SELECT ifnull(max(id), 0) FROM main.{search.KEYS}").fetchone()
            found = (
                f"FROM main.{_q(kind)} AS r JOIN main.{search.PARENTS} AS p "
                f"ON p.participant_id = r.{owner} WHERE typeof(r.{_q(name)}) = 'text' "
                f"AND trim(r.{_q(name)}) != ''"
            )
            number = f"{int(before)} + row_number() OVER (ORDER BY r.rowid)"
            run(
                f"INSERT INTO main.{search.KEYS}(id, parent, record_id, field) SELECT {number}, "
                f"p.id, {log.key_sql('r.id')}, {int(field)} {found}"
            )
            run(
                f"INSERT INTO main.{search.TEXT}(rowid, text) SELECT {number}, "
                f"lower(r.{_q(name)}) {found}"
            )


ROWS_TABLES = ("journal_devices", "journal_actors", "journal")  # then the record tables


def write_rows_bundle(caseload: Path, passphrase: str | None, out: Path) -> None:
    """A bundle of another form, for the design figures: the caseload's own rows (the journal
    packed, laptops and people numbered, each record as its row), encrypted as a bundle is."""
    import sqlcipher3.dbapi2 as sqlcipher

    from journeyapp.core.records import BY_KIND

    conn = sqlcipher.connect(str(caseload), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        conn.execute(f"ATTACH DATABASE ? AS {ALIAS} KEY ?", [str(out), BUNDLE_PASSPHRASE])
        conn.execute("BEGIN")
        for table in (*ROWS_TABLES, *BY_KIND):
            conn.execute(
                f"CREATE TABLE {ALIAS}.{_q(table)} AS SELECT * FROM main.{_q(table)} ORDER BY rowid"
            )
        conn.execute("COMMIT")
    finally:
        conn.close()


def copy_rows(conn: object) -> None:
    """A bundle of rows (write_rows_bundle) copied in: the laptops and people numbered here,
    the journal's rows and the records' rows as they are."""
    from journeyapp.core.records import BY_KIND

    run = conn.execute  # type: ignore[attr-defined]
    for table, column in (("journal_devices", "device_id"), ("journal_actors", "actor")):
        run(
            f"INSERT OR IGNORE INTO main.{table}({column}) SELECT {column} FROM {ALIAS}.{table} "
            "ORDER BY id"
        )
        run(
            f"CREATE TEMP TABLE incoming_{table} AS SELECT b.id AS id, m.id AS here "
            f"FROM {ALIAS}.{table} AS b JOIN main.{table} AS m ON m.{column} = b.{column}"
        )
    run(
        "INSERT INTO main.journal(event_id, at, device, actor, participant_id, kind, record_id, "
        "action, fields, txn) SELECT j.event_id, j.at, "
        "(SELECT here FROM temp.incoming_journal_devices WHERE id = j.device), "
        "(SELECT here FROM temp.incoming_journal_actors WHERE id = j.actor), "
        "j.participant_id, j.kind, j.record_id, j.action, j.fields, j.txn "
        f"FROM {ALIAS}.journal AS j ORDER BY j.seq"
    )
    for kind in BY_KIND:
        run(f"INSERT INTO main.{_q(kind)} SELECT * FROM {ALIAS}.{_q(kind)} ORDER BY rowid")


def main() -> None:
    mode, bundle, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    passphrase = Path(sys.argv[4]).read_text().strip() if len(sys.argv) > 4 else None
    import sqlcipher3.dbapi2 as sqlcipher

    from journeyapp.store import caseload_list
    from journeyapp.store.connection import Database

    took: dict[str, float] = {}
    started = clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        took[name] = took.get(name, 0.0) + now - clock
        clock = now

    conn = sqlcipher.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    if passphrase is not None:
        conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
        conn.execute("PRAGMA cipher_compatibility = 4")
    for pragma in SETTINGS:
        conn.execute(pragma)
    conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
    uri = "file:" + str(bundle.resolve()) + "?mode=ro"
    conn.execute(f"ATTACH DATABASE ? AS {ALIAS} KEY ?", [uri, BUNDLE_PASSPHRASE])
    conn.execute(f"SELECT count(*) FROM {ALIAS}.sqlite_master").fetchone()
    step("open the caseload, attach the bundle (its key derived)")
    source = f"{ALIAS}.events"
    db_ = Database(conn)
    conn.execute("BEGIN IMMEDIATE")
    # As the merge's deferred indexes (store.merge.deferred_indexes): plain indexes dropped,
    # the caseload list's triggers too, all built again once at the end.
    dropped = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%' AND name != 'idx_journal_record'"
    ).fetchall()
    for name, _sql in dropped:
        conn.execute(f"DROP INDEX main.{_q(name)}")
    caseload_list.drop_triggers(db_)
    if mode == "parts":
        conn.execute(
            "SELECT sum(length(event_id) + length(at) + length(device_id) + length(actor) + "
            "ifnull(length(participant_id), 0) + length(kind) + length(record_id) + "
            f"length(action) + length(fields) + length(txn)) FROM {source}"
        ).fetchone()
        step("read every event row of the bundle (decrypted), alone")
        (failed,) = conn.execute(checks_sql(source)).fetchone()
        step("checks inside SQLite (a read of the bundle)")
        if failed:
            raise SystemExit(f"{failed} events fail the checks made inside SQLite")
    if mode.startswith("rows"):
        copy_rows(conn)
        step("journal and records copied as rows")
    else:
        for sql in numbers_sql(source):
            conn.execute(sql)
        kinds = [str(k) for (k,) in conn.execute("SELECT DISTINCT kind FROM temp.incoming_names")]
        step("laptops and people numbered (a read of the bundle)")
        conn.execute(journal_sql(source))
        step("journal insert (a read of the bundle)")
        for sql in records_sql(source, kinds):
            conn.execute(sql)
        step(f"record inserts and edits ({len(kinds) + 1} reads of the bundle)")
    if mode != "rows-later":
        fill_search(conn)
        step("search indexes filled")
    for _name, sql in dropped:
        conn.execute(sql)
    caseload_list.create_triggers(db_)
    caseload_list.rebuild(db_)
    step("indexes and the caseload list built")
    conn.execute("COMMIT")
    step("commit (WAL written, synced)")
    (events,) = conn.execute("SELECT count(*) FROM main.journal").fetchone()
    if mode == "rows-later":  # the search indexes filled after the merge, as work of their own
        conn.execute("BEGIN IMMEDIATE")
        fill_search(conn)
        conn.execute("COMMIT")
        step("search indexes filled after the commit, in a transaction of their own")
    conn.execute(f"DETACH DATABASE {ALIAS}")
    conn.close()
    step("closed")
    total = time.perf_counter() - started
    print(f"{total:.6f} {events}")
    for name, seconds in took.items():
        print(f"{seconds:.6f} {name}")


if __name__ == "__main__":
    main()
