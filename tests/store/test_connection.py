"""The store's lean Database: transactions exactly as sqlite-utils' (compared on real files), and
sqlite-utils loaded only when a caseload must be migrated (issue 18)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.store.connection import Database
from tests.store.migrating import FIXTURE

ROOT = Path(__file__).resolve().parents[2]

SCHEMA = (
    "CREATE TABLE items (v INTEGER NOT NULL)",
    # A trigger that ends the whole transaction, savepoints and all (as RAISE(ROLLBACK) does).
    "CREATE TRIGGER no_negatives BEFORE INSERT ON items WHEN NEW.v < 0 "
    "BEGIN SELECT RAISE(ROLLBACK, 'no negatives'); END",
)


class Boom(Exception):
    """Raised inside an atomic block by the tests."""


def _connect(path: Path, isolation_level: str | None = None) -> Any:
    return sqlcipher.connect(str(path), isolation_level=isolation_level, check_same_thread=False)


def _fresh(path: Path, isolation_level: str | None = None) -> Any:
    conn = _connect(path, None)
    for statement in SCHEMA:
        conn.execute(statement)
    conn.close()
    return _connect(path, isolation_level)


def _committed(path: Path) -> list[int]:
    """What another connection reads from the file: only what was committed."""
    conn = _connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT v FROM items ORDER BY rowid")]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(_fresh(tmp_path / "atomic.db"))
    yield database
    database.close()


def test_a_block_commits_when_it_ends(db: Database, tmp_path: Path) -> None:
    with db.atomic() as same:
        assert same is db
        db.execute("INSERT INTO items VALUES (1)")
        assert db.conn.in_transaction
        assert _committed(tmp_path / "atomic.db") == []
    assert not db.conn.in_transaction
    assert _committed(tmp_path / "atomic.db") == [1]


def test_an_exception_in_the_outer_block_rolls_back_everything(
    db: Database, tmp_path: Path
) -> None:
    with pytest.raises(Boom), db.atomic():
        db.execute("INSERT INTO items VALUES (1)")
        with db.atomic():
            db.execute("INSERT INTO items VALUES (2)")
        raise Boom
    assert not db.conn.in_transaction
    assert _committed(tmp_path / "atomic.db") == []


def test_an_exception_in_a_nested_block_rolls_back_that_block_only(
    db: Database, tmp_path: Path
) -> None:
    with db.atomic():
        db.execute("INSERT INTO items VALUES (1)")
        with pytest.raises(Boom), db.atomic():
            db.execute("INSERT INTO items VALUES (2)")
            raise Boom
        assert db.conn.in_transaction  # the outer transaction goes on
        with db.atomic(), db.atomic():
            db.execute("INSERT INTO items VALUES (3)")
    assert _committed(tmp_path / "atomic.db") == [1, 3]


def test_inside_a_transaction_already_a_block_is_a_savepoint(db: Database, tmp_path: Path) -> None:
    db.execute("BEGIN")
    with db.atomic():
        db.execute("INSERT INTO items VALUES (1)")
    assert db.conn.in_transaction  # the block neither committed nor ended the caller's
    assert _committed(tmp_path / "atomic.db") == []
    db.execute("ROLLBACK")
    assert _committed(tmp_path / "atomic.db") == []


def test_an_error_that_ends_the_transaction_propagates_as_itself(
    db: Database, tmp_path: Path
) -> None:
    with pytest.raises(sqlcipher.IntegrityError, match="no negatives"), db.atomic():
        db.execute("INSERT INTO items VALUES (1)")
        with db.atomic():
            db.execute("INSERT INTO items VALUES (-1)")  # RAISE(ROLLBACK): all of it is gone
    assert not db.conn.in_transaction
    assert _committed(tmp_path / "atomic.db") == []


def test_names_of_tables_and_views(db: Database) -> None:
    db.execute("CREATE VIEW positive AS SELECT v FROM items WHERE v > 0")
    assert db.table_names() == ["items"]
    assert db.view_names() == ["positive"]
    full = db.sqlite_utils_database()
    assert full.conn is db.conn
    assert (full.table_names(), full.view_names()) == (db.table_names(), db.view_names())


def test_has_table_names_tables_only(db: Database) -> None:
    db.execute("CREATE VIEW positive AS SELECT v FROM items WHERE v > 0")
    assert db.has_table("items")
    assert not db.has_table("positive")  # a view, not a table
    assert not db.has_table("missing")
    assert not db.has_table("items'; DROP TABLE items; --")  # a name, never SQL
    assert db.has_table("items")


# -- the same operations on sqlite-utils' Database and ours, on two files: the same outcome -----

_LEAF = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 99)),
    st.just(("kill",)),  # a statement whose trigger rolls back the whole transaction
    st.just(("bad_sql",)),  # a statement that fails on its own
    st.just(("begin",)),  # the caller's own transaction, outside atomic()
    st.just(("commit",)),
    st.just(("rollback",)),
)
_OPS = st.recursive(
    _LEAF,
    lambda inner: st.tuples(
        st.just("block"), st.lists(inner, max_size=4).map(tuple), st.booleans()
    ),
    max_leaves=14,
)
_SAVEPOINT_NAME = re.compile(r"sqlite_utils_[0-9a-f]{32}")


def _run(db: Any, ops: tuple[Any, ...] | list[Any], trace: list[object]) -> None:
    """Run `ops`, writing down after each what it raised, whether a transaction is open and
    what the connection sees."""
    conn = db.conn
    for op in ops:
        try:
            _step(db, op, trace)
        except Exception as exc:  # every outcome is compared
            trace.append(("raised", type(exc).__name__, _SAVEPOINT_NAME.sub("*", str(exc))))
        seen = [r[0] for r in conn.execute("SELECT v FROM items ORDER BY rowid")]
        trace.append((conn.in_transaction, seen))


def _step(db: Any, op: tuple[Any, ...], trace: list[object]) -> None:
    kind = op[0]
    if kind == "insert":
        db.execute("INSERT INTO items VALUES (?)", [op[1]])
    elif kind == "kill":
        db.execute("INSERT INTO items VALUES (-1)")
    elif kind == "bad_sql":
        db.execute("INSERT INTO no_such_table VALUES (1)")
    elif kind in {"begin", "commit", "rollback"}:
        db.execute(kind.upper())
    else:
        _, inner, raises = op
        with db.atomic():
            _run(db, inner, trace)
            if raises:
                raise Boom("raised at the end of the block")


@settings(max_examples=150, deadline=None)
@given(program=st.lists(_OPS, max_size=6), isolation_level=st.sampled_from([None, "DEFERRED"]))
def test_atomic_and_execute_behave_as_sqlite_utils_does(
    program: list[tuple[Any, ...]], isolation_level: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        theirs_path, ours_path = Path(folder, "theirs.db"), Path(folder, "ours.db")
        theirs = sqlite_utils.Database(_fresh(theirs_path, isolation_level), execute_plugins=False)
        ours = Database(_fresh(ours_path, isolation_level))
        traces: list[list[object]] = []
        for db in (theirs, ours):
            trace: list[object] = []
            _run(db, program, trace)
            trace.append(("open at the end", db.conn.in_transaction))
            db.conn.close()  # an open transaction is rolled back
            traces.append(trace)
        assert traces[1] == traces[0]
        assert _committed(ours_path) == _committed(theirs_path)


# -- sqlite-utils only to migrate ---------------------------------------------------------------

OPEN_THEN_LIST = """
import sys
from journeyapp.caseload import Caseload
caseload = Caseload.open(sys.argv[1])
caseload.counts()
caseload.close()
print("sqlite_utils" in sys.modules)
"""


def _loads_sqlite_utils(path: Path) -> bool:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", OPEN_THEN_LIST, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-1] == "True"


def test_opening_an_up_to_date_caseload_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    from journeyapp.caseload import Caseload

    path = tmp_path / "current.db"
    Caseload.open(path, create=True, plain=True).close()
    assert not _loads_sqlite_utils(path)


def test_an_old_caseload_loads_sqlite_utils_and_is_migrated(tmp_path: Path) -> None:
    from journeyapp.store import migrations as schema

    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, path)
    assert _loads_sqlite_utils(path)  # the check can fail: migrating needs it
    conn = _connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        conn.close()
    assert names == schema.migrations.names()


# -- what sqlite-utils set on every connection it wrapped ---------------------------------------


def _last_contact_after_a_replace(caseload: Any, pid: str) -> str:
    # A contact's day corrected earlier, written as INSERT OR REPLACE: the list's last contact
    # follows only if the replace fires the delete trigger (recursive_triggers).
    db = caseload.db
    db.execute("DELETE FROM contacts")
    db.execute(
        'INSERT INTO contacts(id, participant_id, "on") VALUES (?, ?, ?)', ["k1", pid, "2026-03-01"]
    )
    db.execute(
        'INSERT OR REPLACE INTO contacts(id, participant_id, "on") VALUES (?, ?, ?)',
        ["k1", pid, "2026-02-01"],
    )
    return str(db.execute("SELECT last_contact_on FROM caseload_list").fetchone()[0])


def test_a_reopened_caseload_fires_delete_triggers_on_replace_as_a_migrated_one(
    tmp_path: Path,
) -> None:
    """sqlite_utils.Database turned recursive_triggers on for every connection it wrapped; the
    lean open path keeps it on whether or not this session migrated the file."""
    from datetime import date

    from journeyapp.caseload import Caseload
    from tests.clock import ticking_clock
    from tests.conftest import TODAY

    path = tmp_path / "replace.db"
    # migrated: sqlite-utils ran; pinned clock, as the day joined is a fixed one
    made = Caseload.open(path, create=True, plain=True, actor="t", clock=ticking_clock(TODAY))
    pid = made.enrol_participant("Ana", "fife", date(2026, 1, 5), full_name="Ana Moore").id
    assert made.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    assert _last_contact_after_a_replace(made, pid) == "2026-02-01"
    made.close()
    reopened = Caseload.open(path, plain=True, actor="t")  # up to date: sqlite-utils not used
    try:
        assert reopened.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
        assert _last_contact_after_a_replace(reopened, pid) == "2026-02-01"
    finally:
        reopened.close()
