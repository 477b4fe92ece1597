"""The programme report's readers as main had them on 2026-12-05, before issue 18's third round
reshaped them: a frozen copy, the reference the store's readers must answer exactly as
(tests/store/test_report_figures_same.py). Never edit it to make a test pass."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from journeyapp.store import eventlog
from journeyapp.store.db import Database


def _within(column: str, since: str | None, until: str | None) -> tuple[str, list[str]]:
    parts, params = [f'"{column}" IS NOT NULL'], []
    if since is not None:
        parts.append(f'"{column}" >= ?')
        params.append(since)
    if until is not None:
        parts.append(f'"{column}" <= ?')
        params.append(until)
    return " AND ".join(parts), params


def milestones_per_parent(
    db: Database,
    since: str | None,
    until: str | None,
    types: Sequence[str],
    work: Sequence[str],
    bits: int = 60,
) -> list[tuple[Any, ...]]:
    assert 0 < bits < 63
    where, params = ("achieved_on <= ?", [until]) if until is not None else ("1", [])
    inside: str = "1"
    inside_params: list[str] = []
    if since is not None or until is not None:
        inside, inside_params = _within("achieved_on", since, until)
    masks = []
    mask_params: list[str] = []
    for chunk in range(0, max(len(types), 1), bits):
        names = types[chunk : chunk + bits]
        whens = " ".join(f"WHEN ? THEN {1 << i}" for i in range(len(names)))
        masks.append(
            f"coalesce(sum(DISTINCT CASE WHEN {inside} THEN CASE type {whens} END END), 0)"
            if names
            else "0"
        )
        mask_params += [*inside_params, *names]
    started = f"CASE WHEN type IN ({', '.join('?' * len(work))}) THEN achieved_on END"
    return db.execute(
        f"SELECT participant_id, max({inside}), {', '.join(masks)}, min(achieved_on), "
        f'min({started if work else "NULL"}) FROM "milestones" '
        f"WHERE {where} GROUP BY participant_id",
        [*inside_params, *mask_params, *work, *params],
    ).fetchall()


def held_milestone_types(db: Database, catalogue_types: Sequence[str]) -> list[str]:
    known = set(catalogue_types)
    held = db.execute('SELECT DISTINCT type FROM "milestones"').fetchall()
    return [*catalogue_types, *sorted(t for (t,) in held if t is not None and t not in known)]


def by_place(
    db: Database,
    kind: str,
    columns: str,
    dated: str,
    since: str | None,
    until: str | None,
    parents: Sequence[str] | None,
) -> list[tuple[Any, ...]]:
    where, params = _within(dated, since, until)
    if parents is not None:
        where += " AND r.participant_id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(parents)))
    group = ", ".join(f"r.{c}" for c in columns.split(", "))
    return db.execute(
        f'SELECT p.locality, {group}, count(*) FROM "participants" AS p '
        f'CROSS JOIN "{kind}" AS r ON r.participant_id = p.id '
        f"WHERE {where} GROUP BY p.locality, {group}",
        params,
    ).fetchall()


def joined_by_month(db: Database, happened: str) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT locality, substr(joined_on, 1, 7), count(*) "
        'FROM "participants" WHERE joined_on <= ? GROUP BY 1, 2',
        [happened],
    ).fetchall()


def status_history(
    db: Database, values: Sequence[str], *, changed_only: bool = False
) -> list[tuple[str, str, str]]:
    if not values:
        return []
    parents = '"participants" AS p'
    if changed_only:
        key = eventlog.key_sql("p.id")
        more = f"(SELECT count(*) FROM journal AS j WHERE j.record_id = {key}) > 1"
        parents = f"(SELECT p.id FROM {parents} WHERE {more}) AS p"
    value = f"json_extract({eventlog.fields_sql('j.fields', 'j.kind')}, '$.\"status\"')"
    marks = ", ".join(f":v{i}" for i in range(len(values)))
    return db.execute(
        f"SELECT p.id, {eventlog.at_sql('j.at')}, {value} AS v FROM {parents} "
        f"JOIN journal AS j ON j.record_id = {eventlog.key_sql('p.id')} "
        f"WHERE j.kind = :kind AND j.action IN {eventlog.actions_sql('create', 'update')} "
        f"AND v IN ({marks}) "
        "ORDER BY j.seq",
        {"kind": eventlog.kind_key("participants"), **{f"v{i}": v for i, v in enumerate(values)}},
    ).fetchall()


def contacts_by_month_and_parent(
    db: Database, happened: str
) -> tuple[list[tuple[Any, ...]], list[tuple[str, int, int | None]]]:
    strung: dict[tuple[Any, Any], list[str]] = {}
    held: dict[tuple[Any, Any], int] = {}
    per_parent: list[tuple[str, int, int | None]] = []
    for pid, locality, joined, n, minutes, months in db.execute(
        "SELECT p.id, p.locality, substr(p.joined_on, 1, 7), count(*), "
        'sum(CAST(c.minutes AS INTEGER)), group_concat(substr(c."on", 1, 7)) '
        'FROM "participants" AS p CROSS JOIN "contacts" AS c '
        'ON c.participant_id = p.id WHERE c."on" <= ?1 AND p.joined_on <= ?1 GROUP BY p.rowid',
        [happened],
    ):
        key = (locality, joined)
        strung.setdefault(key, []).append(months)
        held[key] = held.get(key, 0) + n
        per_parent.append((pid, n, minutes))
    rows: list[tuple[Any, ...]] = []
    for (locality, joined), texts in strung.items():
        counted = Counter(",".join(texts).split(","))
        if sum(counted.values()) != held[(locality, joined)]:
            return _contacts_by_month_grouped(db, happened), per_parent
        rows += [(locality, month, joined, n) for month, n in counted.items()]
    return rows, per_parent


def _contacts_by_month_grouped(db: Database, happened: str) -> list[tuple[Any, ...]]:
    return db.execute(
        'SELECT p.locality, substr(c."on", 1, 7), substr(p.joined_on, 1, 7), count(*) '
        'FROM "participants" AS p CROSS JOIN "contacts" AS c '
        'ON c.participant_id = p.id WHERE c."on" <= ?1 AND p.joined_on <= ?1 GROUP BY 1, 2, 3',
        [happened],
    ).fetchall()
