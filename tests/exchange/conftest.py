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
    decision's random id and the moment the merge found it left out; the bundle files noted
    as merged and their marks, which say how the events came, not what is held)."""
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%search%' AND name NOT IN ('journal', 'settings', "
            "'_sqlite_migrations', 'merged_bundles', 'bundle_prefixes')"
        ).fetchall()
    ]
    found = {}
    for name in [*names, "journey_log"]:
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")').fetchall()]
        if name == "merge_decisions":
            columns = [c for c in columns if c not in ("id", "found_at")]
        # (an erasure, removal or duplicate held for a decision is "found", and may be settled
        # by a merge, at the merge's moment)
        moments = ("here_at", "resolved_at")
        listed = ", ".join(
            f"iif(substr(field, 1, 1) = '_', '', {c})"
            if name == "merge_decisions" and c in moments
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
    """Every merge in these tests runs twice and must leave identical tables: as given and, on a
    copy made just before, the other way: events given in memory (the per-event merge of every
    event) are merged on the copy as a bundle file merges them (only the events the caseload
    lacks); a bundle file merged by the shortcut (store.bundle_merge: the new events found
    inside SQLite, only their seals checked beside the bundle's seal) is read whole with every
    seal checked (bundle_file.read_sealed) on the copy, and a bundle read whole is merged by
    the shortcut on the copy (when it does not decline).

    The one documented difference: the whole read refuses a bundle in which an event the
    caseload already holds was altered after sealing; the shortcut skips that event by its id
    and merges the rest. Such a pair is not compared.

    Returns a list holding how many merges were compared.
    """
    from journeyapp.caseload.exchange import Exchange
    from journeyapp.core.merge import REPLACED
    from journeyapp.store import bundle_file, bundle_merge
    from journeyapp.store.bundle_file import SealedBundle

    original = Exchange.merge_logs
    original_sealed = Exchange.merge_sealed
    whole_read = bundle_file.read_sealed
    shortcut_read = bundle_merge.BundleReading.sealed
    # id(a SealedBundle) -> how it was read: (by the shortcut?, path, passphrase, keys, names)
    made: dict[int, tuple[bool, Path, str, dict[str, bytes], dict[str, str]]] = {}
    compared: list[int] = [0]

    def read_whole(
        path: Path, passphrase: str, keys: dict[str, bytes], names: dict[str, str]
    ) -> SealedBundle:
        found = whole_read(path, passphrase, keys, names)
        made[id(found)] = (False, Path(path), passphrase, keys, names)
        return found

    def read_shortcut(
        self: bundle_merge.BundleReading, keys: dict[str, bytes], names: dict[str, str]
    ) -> SealedBundle | None:
        found = shortcut_read(self, keys, names)
        if found is not None:
            made[id(found)] = (True, self.path, self.passphrase, keys, names)
        return found

    def compare(caseload: Caseload, merge_twin: Callable[[Caseload], Any], run: Any) -> Any:
        try:
            twin = _twin(caseload)
        except Exception:  # an encrypted caseload: the backup API cannot copy it in memory
            return run()
        try:
            before = {r[0] for r in twin.db.execute("SELECT event_id FROM journey_log")}
            twin_error: Exception | None = None
            try:
                merge_twin(twin)
            except Exception as exc:  # compared with what the merge as given does below
                twin_error = exc
            error: Exception | None = None
            try:
                result = run()
            except Exception as exc:
                error = exc
            if error is None and isinstance(twin_error, _HeldAltered):
                return result  # the documented difference (see above)
            # Both refuse (with the same kind of error and words) or both merge.
            assert type(twin_error) is type(error), (twin_error, error)
            if error is not None:
                assert str(twin_error) == str(error)
                raise error
            mine, theirs = _made_here(twin, before), _made_here(caseload, before)
            for name in mine:
                differ = sorted(set(mine[name]) ^ set(theirs[name]), key=repr)
                assert mine[name] == theirs[name], (name, differ[:4])
            compared[0] += 1
            return result
        finally:
            twin.db.close()

    def both(self: Exchange, logs: Sequence[Sequence[Event]]) -> MergeResult:
        caseload = self._caseload

        def merge_twin(twin: Caseload) -> None:
            known = {r[0] for r in twin.db.execute("SELECT event_id FROM journey_log")}
            shortcut: list[list[Event]] = []
            for log in logs:
                new = [e for e in log if e.event_id not in known]
                legacy = any(e.action == "update" and REPLACED not in e.fields for e in new)
                shortcut.append(list(log) if legacy else new)
            original(twin.exchange, shortcut)

        return compare(caseload, merge_twin, lambda: original(self, logs))  # type: ignore[no-any-return]

    def both_sealed(self: Exchange, bundles: Sequence[SealedBundle]) -> MergeResult:
        caseload = self._caseload

        def merge_twin(twin: Caseload) -> None:
            known = {r[0] for r in twin.db.execute("SELECT event_id FROM journey_log")}
            other: list[SealedBundle] = []
            readings = []
            try:
                for number, given in enumerate(bundles):
                    how = made.get(id(given))
                    if how is None:  # made in the test itself: merged as given
                        other.append(given)
                        continue
                    by_shortcut, path, passphrase, keys, names = how
                    if by_shortcut:
                        try:
                            other.append(whole_read(path, passphrase, keys, names))
                        except Exception as exc:
                            if "altered after" in str(exc) and _names_held(
                                exc, path, passphrase, known
                            ):
                                raise _HeldAltered(str(exc)) from None
                            raise
                        continue
                    reading = bundle_merge.BundleReading(twin.db, path, passphrase, number)
                    fresh = shortcut_read(reading, keys, names) if reading.open() else None
                    readings.append(reading)
                    other.append(given if fresh is None else fresh)
                original_sealed(twin.exchange, other)
            finally:
                for reading in readings:
                    reading.close()

        return compare(caseload, merge_twin, lambda: original_sealed(self, bundles))  # type: ignore[no-any-return]

    monkeypatch.setattr(Exchange, "merge_logs", both)
    monkeypatch.setattr(Exchange, "merge_sealed", both_sealed)
    monkeypatch.setattr(bundle_file, "read_sealed", read_whole)
    monkeypatch.setattr(bundle_merge.BundleReading, "sealed", read_shortcut)
    return compared


def _made_here(caseload: Caseload, before: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    """`_tables`, with the random id, moment and transaction of each event this laptop wrote
    during the merge (folding old duplicates writes a removal) left out."""
    tables = _tables(caseload.db)
    columns = [r[1] for r in caseload.db.execute("PRAGMA table_info(journey_log)").fetchall()]
    at = {name: columns.index(name) for name in ("event_id", "at", "txn", "device_id")}
    rows = []
    for row in tables["journey_log"]:
        if row[at["event_id"]] not in before and row[at["device_id"]] == caseload.device_id:
            row = tuple(
                "" if n in (at["event_id"], at["at"], at["txn"]) else v for n, v in enumerate(row)
            )
        rows.append(row)
    tables["journey_log"] = sorted(rows, key=repr)
    return tables


class _HeldAltered(Exception):
    """The whole read refused an altered copy of an event the caseload already holds."""


def _names_held(refusal: Exception, path: Path, passphrase: str, known: set[str]) -> bool:
    """Whether the event a refusal names ("Event N ...") is one the caseload holds."""
    import re

    from journeyapp.store import bundle_file

    found = re.match(r"Event ([\d,]+) ", str(refusal))
    if found is None:
        return False
    number = int(found[1].replace(",", ""))
    events = bundle_file.read(path, passphrase)[1]
    return 0 < number <= len(events) and events[number - 1].event_id in known
