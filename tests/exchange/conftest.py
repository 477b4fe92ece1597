"""Fixtures for exchange tests: several laptops' caseloads on real files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.merge import MergeResult
from journeyapp.core.records import Event
from journeyapp.demo import build_demo
from tests.clock import ticking_clock
from tests.conftest import TODAY

PASSPHRASE = "correct horse battery"


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Callable[..., Caseload]]:
    """Make a named laptop's caseload (a demo one when participants > 0); all closed afterwards.

    The laptops made are one partnership: each is enrolled on every other with its enrolment
    code, so their sealed bundles are trusted (core.seals); `enrolled=False` makes an outsider.
    """
    opened: list[Caseload] = []
    partnership: list[Caseload] = []

    def make(name: str, participants: int = 0, seed: int = 1, enrolled: bool = True) -> Caseload:
        c = Caseload.open(tmp_path / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        if participants:
            build_demo(c, participants=participants, seed=seed, today=TODAY)
        opened.append(c)
        if enrolled:
            for other in partnership:
                other.exchange.enrol_code(c.exchange.enrolment_code(), f"{name}'s laptop")
                c.exchange.enrol_code(other.exchange.enrolment_code(), f"{other.actor}'s laptop")
            partnership.append(c)
        return c

    yield make
    for c in opened:
        c.close()


def _tables(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table and of the journey log, comparable across two caseloads (a
    decision's random id and the moment the merge found it left out)."""
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%search%' AND name NOT IN ('journal', 'settings', "
            "'_sqlite_migrations')"
        ).fetchall()
    ]
    found = {}
    for name in [*names, "journey_log"]:
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")').fetchall()]
        if name == "merge_decisions":
            columns = [c for c in columns if c not in ("id", "found_at")]
        # (an erasure held for a decision is "found" at the merge's moment, on both sides)
        listed = ", ".join(
            "iif(field = '_erase', '', here_at)"
            if name == "merge_decisions" and c == "here_at"
            else f'"{c}"'
            for c in columns
        )
        found[name] = sorted(db.execute(f'SELECT {listed} FROM "{name}"').fetchall(), key=repr)
    return found


def _twin(caseload: Caseload) -> Caseload:
    """A copy of a caseload in memory, with the same settings, catalogue, actor and clock."""
    from journeyapp.store.db import open_database

    copy = open_database(None)
    caseload.db.conn.backup(copy.conn)
    return Caseload(copy, caseload.catalogue, actor=caseload.actor, clock=caseload.clock)


@pytest.fixture(autouse=True)
def differential_merge(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every merge in these tests runs twice and must leave identical tables: as given (every
    event of every log, the per-event merge) and as a bundle file merges (only the events this
    caseload lacks, found inside SQLite: store.bundle_merge), on a copy made just before.

    Returns a list holding how many merges were compared.
    """
    from journeyapp.caseload.exchange import Exchange
    from journeyapp.core.merge import REPLACED

    original = Exchange.merge_logs
    compared: list[int] = [0]

    def both(self: Exchange, logs: Sequence[Sequence[Event]]) -> MergeResult:
        caseload = self._caseload
        try:
            twin = _twin(caseload)
        except Exception:  # an encrypted caseload: the backup API cannot copy it in memory
            return original(self, logs)
        try:
            known = {r[0] for r in twin.db.execute("SELECT event_id FROM journey_log")}
            shortcut = []
            for log in logs:
                new = [e for e in log if e.event_id not in known]
                legacy = any(e.action == "update" and REPLACED not in e.fields for e in new)
                shortcut.append(list(log) if legacy else new)
            twin_error: Exception | None = None
            try:
                original(twin.exchange, shortcut)
            except Exception as exc:  # compared with what the per-event merge does below
                twin_error = exc
            error: Exception | None = None
            try:
                result = original(self, logs)
            except Exception as exc:
                error = exc
            # Both refuse (with the same kind of error) or both merge.
            assert type(twin_error) is type(error), (twin_error, error)
            if error is not None:
                raise error
            assert _tables(twin.db) == _tables(caseload.db)
            compared[0] += 1
            return result
        finally:
            twin.db.close()

    monkeypatch.setattr(Exchange, "merge_logs", both)
    return compared
