"""Forgetting special-category answers everywhere when their consent is withdrawn (issue 19).

The journey log is append-only except for erasure and this: equalities answers are kept only
while the parent agrees, so withdrawing that consent blanks the answers in every journey-log
event and clash about them too (the events stay, so merges still line up).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from journeyapp.core.records import Equalities, field_specs
from journeyapp.store import eventlog
from journeyapp.store.db import Database

# The special-category fields, from the registry.
SPECIAL_FIELDS = frozenset(name for name, spec in field_specs(Equalities).items() if spec.special)


def scrub_special(db: Database, participant_ids: Sequence[str]) -> int:
    """Blank the special-category answers in these parents' journey-log events and drop any
    clash about them; returns how many events were blanked."""
    if not participant_ids:
        return 0
    ids = json.dumps(list(participant_ids))
    blanked = []
    people = list(dict.fromkeys(participant_ids))
    for start in range(0, len(people), 500):  # these parents' events, on the parent index
        where, params = eventlog.where_in("participant_id", people[start : start + 500])
        rows = db.execute(
            f"SELECT seq, fields FROM ({eventlog.SELECT_EVENTS} WHERE {where} AND j.kind = ?)",
            [*params, eventlog.kind_key(Equalities.KIND)],
        ).fetchall()
        for seq, text in rows:
            fields = json.loads(text)
            if any(fields.get(name) for name in SPECIAL_FIELDS):
                for name in SPECIAL_FIELDS & fields.keys():
                    fields[name] = ""
                blanked.append((seq, json.dumps(fields, ensure_ascii=False, sort_keys=True)))
    if blanked:
        eventlog.replace_fields(db, blanked)
    db.execute(
        "DELETE FROM merge_decisions WHERE kind = ? "
        "AND participant_id IN (SELECT value FROM json_each(?))",
        [Equalities.KIND, ids],
    )
    return len(blanked)
