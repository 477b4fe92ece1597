"""The journey log read out for exports and bundles, prepared by SQLite itself.

A million events stay fast: SQLite leaves out the personal fields, puts in pseudonyms, neutralises
formula-like cells and even builds each CSV line. A very big log's CSV (SPLIT_FROM) is written
by two processes at once, each reading half of the log through its own connection (a laptop has
at least two cores; two threads would not do: SQLite's memory allocator serialises them), and
the second half is then appended to the first.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core.errors import StorageError
from journeyapp.core.records import EVENT_COLUMNS
from journeyapp.core.text import FORMULA_STARTS, defuse
from journeyapp.store import eventlog
from journeyapp.store.db import Database, reading_database, small_page_cache

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# From this many events, a CSV export is written by two processes. The second one is a whole
# second JourneyApp in memory (a 10,000-parent export held about 110 MiB with it, 49 MiB
# without; a bare script streaming the same tables holds about 27 MiB), for about a third of
# the time: below a million events, one process writes it all (issue 18: memory within 2x).
SPLIT_FROM = 1_000_000
# Events read at a time for a CSV export: a batch of 20,000 lines held about 26 MiB at once.
EXPORT_BATCH = 2_000

# Where another process can open the caseload: its file and passphrase (or raw key, or None).
Source = tuple[Path, str | bytes | None]


def _journal_where(
    since: str | None,
    until: str | None,
    participant_ids: Sequence[str] | None,
    seqs: tuple[int, int] | None = None,
) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if seqs is not None:
        where.append("journey_log.seq BETWEEN ? AND ?")
        params.extend(seqs)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    if participant_ids is not None:
        where.append("participant_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(participant_ids)))
    return (" WHERE " + " AND ".join(where) if where else ""), params


_QUOTE = "char(39)"  # SQL for one ' character
# A formula character after a delimiter some locale splits a cell at (see core.text.defuse).
_HIDDEN = "('*[;,|' || char(9) || ']*[-=+@]*')"
_SPACES = "(' ' || char(9, 10, 13))"


def _defuse(value: Any) -> Any:
    return defuse(value) if isinstance(value, str) else value


# The formula characters SQLite can see as a first character (it ends a text at NUL, so a text
# that starts with NUL is tested apart).
_TRIGGER_CODES = ", ".join(str(ord(c)) for c in sorted(FORMULA_STARTS) if c != "\0")


def _hidden_in_json(column: str) -> str:
    """SQL true when `column` may need core.text.defuse by the test `_HIDDEN` (a delimiter, and
    a formula character anywhere after it), and only then, but without sending every JSON text
    of fields to Python: `_HIDDEN` matches nearly all of them (a comma, then a date's '-').

    What defuse changes is a formula character at the start (after spaces) or right after a
    delimiter and spaces: a delimiter and a formula character with no, one, or two or more
    spaces between them, or a first character that defuse quotes. Each pattern starts with its
    delimiter itself, which GLOB looks for quickly (a pattern starting with a set of characters
    was tried at every place in the text: seven times slower). A text holding a NUL (where GLOB
    stops, and Python does not) is left to `_HIDDEN` alone, as before."""
    spaces = "[ ' || char(9, 10, 13) || ']"
    near = " OR ".join(
        f"{column} GLOB ('*{delimiter}{gap}*')"
        for delimiter in (";", ",", "|", "' || char(9) || '")
        for gap in ("[-=+@]", f"{spaces}[-=+@]", f"{spaces}{spaces}")
    )
    start = f"ltrim({column}, {_SPACES}) GLOB '[-=+@]*' OR unicode({column}) IN ({_TRIGGER_CODES})"
    return f"(({near} OR {start} OR instr({column}, char(0))) AND {column} GLOB {_HIDDEN})"


def journal_rows(
    db: Database,
    *,
    omit: dict[str, Sequence[str]] | None = None,
    omit_everywhere: Sequence[str] = (),
    only_known: bool = False,
    since: str | None = None,
    until: str | None = None,
    participant_ids: Sequence[str] | None = None,
    pseudonym: Callable[[str], str | None] | None = None,
    neutralise: bool = False,
    csv_lines: bool = False,
    batch: int = 20_000,
    seqs: tuple[int, int] | None = None,
) -> Iterable[list[tuple[Any, ...]]]:
    """Journey-log rows for exports, prepared by SQLite itself (a million rows stay fast).

    Columns: event_id, at, device_id, actor, participant_id, kind, record_id, action, fields, txn.
    `omit` maps a record kind to the field names to leave out; `omit_everywhere` applies to all;
    with `only_known`, events of a kind `omit` does not name (a newer version's, or one arriving
    in a bundle) keep no fields at all, since nothing says what they hold. `pseudonym` replaces participant ids (and a participant's record id). `neutralise` puts a '
    before text that starts with = + - @ TAB CR or NUL (spreadsheet formula injection); `fields`
    is always a JSON object, so it starts with {. With `csv_lines`, each row is one value: the
    row as a CSV line in UTF-8 bytes (every text quoted, quotes doubled, ending in CR LF), built by
    SQLite, which is several times faster than Python's csv module for a million rows. (SQLite's
    text functions end a text at a NUL character, so a cell holding one stops there.)

    `seqs` keeps to events whose sequence numbers are in that range (both ends included).
    """
    params: list[Any] = []
    cases = []
    for kind, names in (omit or {}).items():
        paths = [*names, *omit_everywhere]
        if not paths:
            if only_known:  # known, with nothing to leave out: kept whole, not blanked
                cases.append("WHEN ? THEN fields")
                params.append(kind)
            continue
        cases.append(f"WHEN ? THEN json_remove(fields, {', '.join('?' * len(paths))})")
        params.append(kind)
        params.extend(f'$."{n}"' for n in paths)
    if only_known:
        default, default_params = "'{}'", []
    elif omit_everywhere:
        default = f"json_remove(fields, {', '.join('?' * len(omit_everywhere))})"
        default_params = [f'$."{n}"' for n in omit_everywhere]
    else:
        default, default_params = "fields", []
    fields_sql = f"CASE kind {' '.join(cases)} ELSE {default} END" if cases else default
    where, where_params = _journal_where(since, until, participant_ids, seqs)

    def safe(column: str) -> str:
        if not neutralise:
            return column
        # unicode() gives the first character as a number without making a new string; a text
        # that starts with NUL has no first character for SQLite (unicode() is NULL) but is not ''.
        # A formula after spaces or after a delimiter some locale splits at is rare: those few
        # texts go to Python's core.text.defuse.
        return (
            f"iif({column} GLOB {_HIDDEN} OR ltrim({column}, {_SPACES}) GLOB '[-=+@]*', "
            f"journeyapp_defuse({column}), "
            f"iif(unicode({column}) IN ({_TRIGGER_CODES}) OR (unicode({column}) IS NULL "
            f"AND {column} != ''), {_QUOTE} || {column}, {column}))"
        )

    def plain(column: str) -> str:
        return column

    # Each row of the log is worked out once, in steps that SQLite cannot fold into one
    # expression (OFFSET 0 keeps each step a subquery read row by row, in order): folded, every
    # mention of a column below would work the view's column out again (the event read back
    # from the compact log, the fields with their parts left out), several times a row.
    events = (
        f"SELECT seq, {', '.join(EVENT_COLUMNS)} FROM journey_log{where} "
        "ORDER BY seq LIMIT -1 OFFSET 0"
    )
    pseudonym_sql = ""
    joined = ""
    if pseudonym is not None:
        # The pseudonym is neutralised in Python as it is made: in SQL, each mention of the
        # column in the test above would call back into Python again.
        def pseudonymise(value: str) -> str | None:
            made = pseudonym(value)
            return "'" + made if neutralise and made and made[0] in FORMULA_STARTS else made

        # Each parent's pseudonym is made once, into a temporary table that the query looks up
        # (a call back into Python for each of a million rows took a quarter of the export).
        def install(on: Database) -> None:
            _install_pseudonyms(on, pseudonymise)

        # Joined rather than looked up in a subquery for each row: about a third cheaper.
        pseudonym_sql = ", pseudonyms.pseudonym AS participant_pseudonym"
        joined = (
            " LEFT JOIN temp.journeyapp_pseudonyms AS pseudonyms "
            "ON pseudonyms.id = journey_log.participant_id"
        )
    others = ", ".join(f"journey_log.{c} AS {c}" for c in EVENT_COLUMNS if c != "fields")
    prepared = (
        f"SELECT journey_log.seq AS seq, {others}, {fields_sql} AS fields{pseudonym_sql} "
        f"FROM ({events}) AS journey_log{joined} LIMIT -1 OFFSET 0"
    )

    def cells(test: Callable[[str], str]) -> dict[str, str]:
        """Each column's SQL, every text passed through `test` (safe or plain)."""
        cell = {c: test(c) for c in EVENT_COLUMNS}
        cell["fields"] = "fields"  # always a JSON object: it starts with {
        if neutralise and test is safe:
            # ... but a value inside it may follow a delimiter: "Library;=HYPERLINK(...)".
            cell["fields"] = f"iif({_hidden_in_json('fields')}, journeyapp_defuse(fields), fields)"
        if pseudonym is not None:
            cell["participant_id"] = "participant_pseudonym"
            cell["record_id"] = (
                "CASE kind WHEN 'participants' THEN coalesce((SELECT pseudonym FROM "
                "temp.journeyapp_pseudonyms WHERE id = record_id), "
                f"journeyapp_pseudonym(record_id)) ELSE {test('record_id')} END"
            )
        return cell

    if neutralise:
        db.conn.create_function("journeyapp_defuse", 1, _defuse, deterministic=True)
    outer = ", ".join(cells(safe).values())
    if csv_lines:
        # One printf per row: %w doubles every " in a value, so each cell is quoted in one pass
        # (a chain of || and replace() copied the growing line for every cell: twice as slow).
        # Only participant_id can be NULL; it becomes an empty, unquoted cell. As a BLOB: the
        # UTF-8 bytes go straight to the file, never decoded into Python text.
        template = ",".join("%s" if c == "participant_id" else '"%w"' for c in EVENT_COLUMNS)

        def line(test: Callable[[str], str]) -> str:
            cell = cells(test)
            cell["participant_id"] = (
                f"iif(participant_id IS NULL, '', printf('\"%w\"', {cell['participant_id']}))"
            )
            return f"printf('{template}' || char(13, 10), {', '.join(cell.values())})"

        outer = f"CAST({line(safe)} AS BLOB)"
        if neutralise:
            # Only a text that sorts before "0" (and is not empty) or from ":" to "@" can start
            # with a formula character (and a BLOB, which sorts after every text, is tested too):
            # plain comparisons rule out almost every row at once, and only the rest pay for the
            # test of each cell (a tenth of the whole query).
            maybe = " OR ".join(
                f"({c} < '0' AND {c} > '') OR ({c} >= ':' AND {c} < 'A') OR {c} >= x''"
                for c in EVENT_COLUMNS
                if c != "fields"
            )
            hidden = " OR ".join(
                _hidden_in_json(c) if c == "fields" else f"{c} GLOB {_HIDDEN}"
                for c in EVENT_COLUMNS
            )
            outer = (
                f"CAST(CASE WHEN {maybe} OR {hidden} THEN {line(safe)} ELSE {line(plain)} END "
                "AS BLOB)"
            )
    # The fields expression (worked out once, in `prepared`) holds the only parameters.
    sql = f"SELECT {outer} FROM ({prepared})"
    args = [*params, *default_params, *where_params]
    if pseudonym is not None:
        install(db)
    # No ORDER BY here: the events come in order from the first step (sorting them again
    # would hold the whole log in memory).
    cursor = db.execute(sql, args)
    try:
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        # Also reached when an unfinished export is dropped, maybe after the database closed.
        with contextlib.suppress(sqlcipher.Error):
            cursor.close()
            if pseudonym is not None:
                db.execute("DELETE FROM temp.journeyapp_pseudonyms")


def _install_pseudonyms(db: Database, pseudonymise: Callable[[str], str | None]) -> None:
    """Every parent's pseudonym in a temporary table, and the function for any other id."""
    made = [(pid, pseudonymise(pid)) for pid in eventlog.participant_ids(db)]
    db.conn.create_function("journeyapp_pseudonym", 1, pseudonymise, deterministic=True)
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS journeyapp_pseudonyms "
        "(id TEXT PRIMARY KEY, pseudonym TEXT) WITHOUT ROWID"
    )
    db.execute("DELETE FROM temp.journeyapp_pseudonyms")
    db.conn.executemany("INSERT INTO temp.journeyapp_pseudonyms(id, pseudonym) VALUES (?, ?)", made)


def write_csv_lines(
    db: Database,
    handle: IO[bytes],
    *,
    source: Source | None,
    scratch: Path,
    progress: Callable[[int], None],
    **query: Any,
) -> tuple[int, int]:
    """Write the journey log as CSV lines (see `journal_rows`).

    Returns how many lines were written, and by how many processes (1 or 2).

    With a `source` and a log of at least SPLIT_FROM events, a second process writes the later
    half to `scratch` (a file name beside the output) while this one writes the first half; its
    part is then appended here and `scratch` removed. `progress(n)` is told of every n lines.
    """
    low, high = db.execute("SELECT min(seq), max(seq) FROM journey_log").fetchone()
    if source is None or low is None or high - low + 1 < SPLIT_FROM:
        return _write_lines(db, handle, progress, query), 1
    middle = low + (high - low) // 2
    later = {**query, "seqs": (middle + 1, high)}
    path, key = source
    appended: int | None = None
    processes = 1
    pool: ProcessPoolExecutor | None = None
    try:
        try:
            # Loaded here, not with the module: only a big export needs a second process, and
            # the window's start-up should not pay for multiprocessing (issue 18).
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter that loads only this module (a forked copy of a
            # process running Qt would not be safe). The passphrase goes through the pipe,
            # never a command line.
            pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
            second = pool.submit(_write_part, str(path), key, str(scratch), later)
        except (OSError, RuntimeError):
            second = None  # no second process here: this one writes both halves
        written = _write_lines(db, handle, progress, {**query, "seqs": (low, middle)})
        if second is not None:
            with contextlib.suppress(Exception):  # whatever stopped it, the rest is written here
                appended = second.result()
        if appended is not None:
            with scratch.open("rb") as part:
                shutil.copyfileobj(part, handle, 1 << 20)
            progress(appended)
            processes = 2
        else:
            appended = _write_lines(db, handle, progress, later)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        scratch.unlink(missing_ok=True)
    # Both halves end at `high`. Every change appends to the log, and an erasure (the one
    # change that removes earlier events) appends an erase event: if one came in meanwhile,
    # the halves may disagree about that parent, so the export is refused.
    if db.execute(
        "SELECT 1 FROM journey_log WHERE seq > ? AND action = 'erase' LIMIT 1", [high]
    ).fetchone():
        raise StorageError("A parent was erased while the export was written; export again.")
    return written + appended, processes


def _write_lines(
    db: Database, handle: IO[bytes], progress: Callable[[int], None], query: dict[str, Any]
) -> int:
    done = 0
    for rows in journal_rows(db, csv_lines=True, batch=EXPORT_BATCH, **query):
        handle.writelines(map(itemgetter(0), rows))  # each line ends in CR LF already
        done += len(rows)
        progress(len(rows))
    return done


def _write_part(path: str, key: str | bytes | None, out: str, query: dict[str, Any]) -> int:
    """In the second process: write one part of the log's CSV lines to `out`."""
    db = reading_database(path, key)
    try:
        with small_page_cache(db), open(out, "wb", buffering=1 << 20) as handle:
            return _write_lines(db, handle, lambda n: None, query)
    finally:
        db.close()


def journal_count(
    db: Database,
    *,
    since: str | None = None,
    until: str | None = None,
    participant_ids: Sequence[str] | None = None,
) -> int:
    """How many journey-log events `journal_rows` would give."""
    where, params = _journal_where(since, until, participant_ids)
    return int(db.execute(f"SELECT count(*) FROM journey_log{where}", params).fetchone()[0])
