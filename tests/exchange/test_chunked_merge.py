"""A big bundle's new events merged a chunk at a time (store.bundle_merge.CHUNK) leave every
table, and every decision, exactly as merging them in one go does, wherever the chunks end:
also for a record with a clashing edit whose events fall in several chunks."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.exchange.bundle import merge_bundle, write_bundle
from journeyapp.store import bundle_merge
from journeyapp.store import merge as store_merge
from tests.conftest import TODAY
from tests.exchange.conftest import PASSPHRASE, _tables

Laptop = Callable[..., Caseload]
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
CHUNKS = (1, 2, 3, 4, 5, 7, 50_000)


def _copy(source: Caseload, path: Path) -> Caseload:
    """A copy of `source` on file, on a clock that stands still (every copy reads the same)."""
    target = sqlcipher.connect(str(path))
    source.db.conn.backup(target)
    target.close()
    return Caseload.open(path, plain=True, actor=source.actor, clock=lambda: NOW)


def _bundle(caseload: Caseload, folder: Path, name: str) -> Path:
    out = folder / f"{name}.jlb"
    write_bundle(caseload, out, PASSPHRASE)
    return out


def _busy(c: Caseload, rng: random.Random, edits: int, pid: str) -> None:
    """A laptop's edits after the clash: many of them to the clashing parent (its phone again,
    its notes), some of other parents and goals."""
    for _ in range(edits):
        parents = c.participants()
        what = rng.randrange(5)
        if what == 0:
            c.update_participant(pid, phone=f"07700 9{rng.randrange(10**5):05d}")
        elif what == 1:
            c.update_participant(pid, notes=f"Note {rng.randrange(100)}")
        elif what == 2:
            c.add_goal(rng.choice(parents).id, f"Goal {rng.randrange(100)}", area="money")
        elif what == 3:
            c.update_participant(rng.choice(parents).id, notes=f"Said {rng.randrange(100)}")
        else:
            c.enrol_participant(
                f"Met {rng.randrange(1000)}", "fife", joined_on=date(2026, 11, rng.randint(1, 20))
            )


def held_and_clashing(
    laptop: Laptop,
    tmp: Path,
    rng: random.Random,
    *,
    edits: int = 8,
    field: str = "phone",
    enrolled: bool = True,
) -> tuple[Caseload, Path]:
    """The coordinator merges an early bundle; both then edit the same field of one parent;
    the laptop goes on (edits to that parent and others); its later bundle is merged. (From a
    laptop not `enrolled` here, every edit stands beside the value here until decided.)"""
    a, coord = laptop("a", 2, seed=rng.randrange(100), enrolled=enrolled), laptop("coord")
    merge_bundle(coord, _bundle(a, tmp, "early"), PASSPHRASE)
    pids = [p.id for p in a.participants()]
    pid = pids[0]
    if rng.random() < 0.5:
        a.update_participant(pid, notes="Before the clash")  # the record changed first
    coord.update_participant(pid, **{field: "07700 900001" if field == "phone" else "Here"})
    a.update_participant(pid, **{field: "07700 900002" if field == "phone" else "There"})
    if rng.random() < 0.4:  # a clash already waiting from a merge before this one
        _busy(a, rng, rng.randint(0, 3), pid)
        merge_bundle(coord, _bundle(a, tmp, "between"), PASSPHRASE)
    if rng.random() < 0.4:  # another parent's clash, later in the bundle
        _busy(a, rng, rng.randint(1, 4), pid)
        coord.update_participant(pids[1], notes="Here too")
        a.update_participant(pids[1], notes="There too")
    _busy(a, rng, edits, pid)
    return coord, _bundle(a, tmp, "later")


def _decisions(c: Caseload) -> list[dict[str, Any]]:
    """Every decision, open or settled, as `journeyapp decisions` lists it (its id left out)."""
    return [
        {k: v for k, v in dataclasses.asdict(d).items() if k not in ("id", "found_at")}
        for d in c.exchange.decisions(open_only=False)
    ]


def _merged_in_chunks(
    coord: Caseload, path: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[int, tuple[Any, ...]]:
    """What each chunk size leaves (the result, every table, the decisions), on copies."""
    found: dict[int, tuple[Any, ...]] = {}
    for chunk in CHUNKS:
        monkeypatch.setattr(bundle_merge, "CHUNK", chunk)
        monkeypatch.setattr(bundle_merge, "PART", 2)
        copy = _copy(coord, tmp / f"copy-{chunk}.db")
        try:
            result = merge_bundle(copy, path, PASSPHRASE)
            found[chunk] = (result, _tables(copy.db), _decisions(copy))
        finally:
            copy.close()
    return found


def _assert_same(found: dict[int, tuple[Any, ...]]) -> None:
    whole_result, whole_tables, whole_decisions = found[50_000]
    assert any(d["resolved_at"] is None for d in whole_decisions)  # a clash waits
    for chunk, (result, tables, decisions) in found.items():
        assert result == whole_result, chunk
        for table, rows in whole_tables.items():
            assert tables[table] == rows, (chunk, table)
        assert decisions == whole_decisions, chunk


@pytest.mark.parametrize(
    ("field", "enrolled"), [("phone", True), ("notes", True), ("phone", False)]
)
def test_a_clash_whose_record_spans_chunks_is_decided_as_in_one_go(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, enrolled: bool
) -> None:
    coord, path = held_and_clashing(
        laptop, tmp_path, random.Random(1), field=field, enrolled=enrolled
    )
    _assert_same(_merged_in_chunks(coord, path, tmp_path, monkeypatch))


@pytest.mark.parametrize("seed", range(12))
def test_seeded_clashes_merged_in_chunks_end_as_in_one_go(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(1000 + seed)
    coord, path = held_and_clashing(
        laptop, tmp_path, rng, edits=rng.randint(3, 12), field=rng.choice(["phone", "notes"])
    )
    _assert_same(_merged_in_chunks(coord, path, tmp_path, monkeypatch))


def test_a_first_merge_in_chunks_holds_no_record_ids_between_chunks(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The records a first merge made in earlier chunks are told by their rows (past the
    rowids before it), not held as ids till the last chunk (a million records' ids were a
    sixth of a big merge's memory); the result is the one merge in one go gives."""
    a, coord = laptop("a", 2, seed=3), laptop("coord")
    path = _bundle(a, tmp_path, "first")
    held: list[int] = []
    settle = store_merge.settle_decisions

    def settling(db: Any, deferred: store_merge.DeferredIndexes, found_at: str) -> Any:
        held.append(len(deferred.changed))
        return settle(db, deferred, found_at)

    monkeypatch.setattr(store_merge, "settle_decisions", settling)
    found: dict[int, tuple[Any, ...]] = {}
    for chunk in (3, 50_000):
        monkeypatch.setattr(bundle_merge, "CHUNK", chunk)
        copy = _copy(coord, tmp_path / f"first-{chunk}.db")
        try:
            result = merge_bundle(copy, path, PASSPHRASE)
            found[chunk] = (result, _tables(copy.db))
        finally:
            copy.close()
    assert held == [0]  # (merged in one go, the bundle is not read in chunks)
    assert found[3] == found[50_000]
    assert found[3][0].applied > 3
