"""Database: the caseload's connection as the store uses it (SQL, transactions, table names).

Lean on purpose: opening a caseload and running a command only need these few methods, and
sqlite-utils (with click, pluggy, csv, decimal … behind it, about 90 ms of every start, issue
18) is loaded only to create tables and run migrations, through `sqlite_utils_database()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3  # the types (a sqlcipher3 connection has the same interface)

    import sqlite_utils

__all__ = ["Database"]

# Statements that open or end a transaction themselves (as sqlite-utils 4.2 names them).
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


class Database:
    """A connection (sqlcipher3 or sqlite3) with the store's few operations on it.

    `execute` and `atomic` behave exactly as sqlite-utils 4.2's `Database.execute` and
    `Database.atomic` (tests/store/test_connection.py compares them), so code written against
    either runs the same on the same connection.
    """

    __slots__ = ("conn", "kept")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # Answers a reader keeps while the caseload has not changed (store.queries.later_stages).
        self.kept: dict[str, Any] = {}

    def execute(
        self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """Run one statement and return its cursor.

        A write outside a transaction is committed at once, inside one it becomes part of it (a
        connection in the driver's autocommit mode, as every caseload's is, does this by itself;
        the check below keeps it so on a connection that is not).
        """
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and _first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")  # the implicit transaction the driver opened
        return cursor

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction for the block: BEGIN … COMMIT, or ROLLBACK when it raises.

        Inside a transaction already, the block is a savepoint instead: an exception rolls back
        the block's own changes only (then propagates); the outer transaction goes on.
        """
        conn = self.conn
        if conn.in_transaction:
            # os.urandom, not secrets (sqlite-utils' choice): secrets loads OpenSSL.
            savepoint = f"sqlite_utils_{os.urandom(16).hex()}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                # An error such as a RAISE(ROLLBACK) trigger can end the whole transaction,
                # savepoints included: rolling back to it then would hide the real error.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        else:
            conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self._rollback()  # nothing to do if the error already ended the transaction
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        """The names of the tables (virtual and shadow tables included), in schema order."""
        return [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]

    def has_table(self, name: str) -> bool:
        """Whether a table called `name` is there (a caseload from before the migration that
        made it has none)."""
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.conn.execute(query, [name]).fetchone() is not None

    def view_names(self) -> list[str]:
        """The names of the views, in schema order."""
        return [
            r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        ]

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def sqlite_utils_database(self) -> sqlite_utils.Database:
        """The same connection as a sqlite-utils Database, for creating tables and migrating:
        sqlite-utils is imported now, the first time it is needed (see journeyapp.store)."""
        from journeyapp.store import load_sqlite_utils

        load_sqlite_utils()
        import sqlite_utils

        # No plugins: none is ours to run on a caseload's connection, and looking for them
        # reads every installed package's metadata (25 ms).
        return sqlite_utils.Database(self.conn, execute_plugins=False)


def _first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, after whitespace, comments, empty statements
    and a byte order mark (as sqlite-utils 4.2 reads it); "" when there is none."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()
