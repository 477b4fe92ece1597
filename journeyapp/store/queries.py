"""Read-side queries that span tables: the caseload list and its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from journeyapp.store.db import Database
from journeyapp.store.records import fts_query


@dataclass(frozen=True)
class CaseloadFacts:
    """The stored facts behind one caseload line (derived facts are added by the façade)."""

    id: str
    preferred_name: str
    full_name: str
    locality: str
    keyworker: str
    status: str
    stage: str
    joined_on: date
    last_contact_on: date | None
    pace: str | None
    rhythm: str | None


_CASELOAD_SQL = """
SELECT p.id, p.preferred_name, p.full_name, p.locality, p.keyworker, p.status, p.stage,
       p.joined_on,
       (SELECT max(c."on") FROM contacts c WHERE c.participant_id = p.id) AS last_contact,
       (SELECT pc.pace || '|' || pc.rhythm FROM pace pc WHERE pc.participant_id = p.id
         ORDER BY pc.changed_on DESC, pc.created_at DESC LIMIT 1) AS pace_rhythm
FROM participants p
"""


# A caseload repeats the same few hundred dates thousands of times: parse each once.
_date = lru_cache(maxsize=8192)(date.fromisoformat)


def caseload_facts(
    db: Database,
    *,
    search: str = "",
    stage: str | None = None,
    status: str | None = None,
    locality: str | None = None,
    keyworker: str | None = None,
) -> list[CaseloadFacts]:
    """Participants matching the filters, by preferred name; `search` is an accent-blind prefix match."""
    where: list[str] = []
    params: list[object] = []
    query = fts_query(search) if search else None
    if search and query is None:
        return []
    if query is not None:
        where.append(
            "p.id IN (SELECT participant_id FROM participant_search "
            "WHERE participant_search MATCH ?)"
        )
        params.append("names : (" + query + ")")
    for column, value in (
        ("stage", stage),
        ("status", status),
        ("locality", locality),
        ("keyworker", keyworker),
    ):
        if value:
            where.append(f"p.{column} = ?")
            params.append(value)
    sql = _CASELOAD_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY p.preferred_name COLLATE NOCASE, p.id"
    result = []
    for row in db.execute(sql, params).fetchall():
        pace, rhythm = row[9].split("|") if row[9] else (None, None)
        result.append(
            CaseloadFacts(
                id=row[0],
                preferred_name=row[1],
                full_name=row[2] or "",
                locality=row[3] or "",
                keyworker=row[4] or "",
                status=row[5],
                stage=row[6] or "",
                joined_on=_date(row[7]),
                last_contact_on=_date(row[8]) if row[8] else None,
                pace=pace,
                rhythm=rhythm,
            )
        )
    return result


def distinct_values(db: Database, column: str) -> list[str]:
    """The distinct non-empty values of a participant column (keyworkers, localities)."""
    if column not in {"keyworker", "locality", "stage", "status", "referral_source"}:
        raise ValueError(column)
    rows = db.execute(
        f'SELECT DISTINCT "{column}" FROM participants WHERE "{column}" != \'\' ORDER BY 1'
    ).fetchall()
    return [str(r[0]) for r in rows]
