"""The drafts table: what was typed in an unsaved form, one row per open form (see m004_drafts)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from journeyapp.core.drafts import Draft
from journeyapp.store.connection import Database


def keep(db: Database, draft: Draft) -> None:
    """Write (or overwrite) one form's draft."""
    db.execute(
        "INSERT INTO drafts (key, form, title, participant_id, context, fields, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET form = excluded.form, "
        "title = excluded.title, participant_id = excluded.participant_id, "
        "context = excluded.context, fields = excluded.fields, updated_at = excluded.updated_at",
        [
            draft.key,
            draft.form,
            draft.title,
            draft.participant_id,
            json.dumps(draft.context, ensure_ascii=False),
            json.dumps(draft.fields, ensure_ascii=False),
            draft.updated_at,
        ],
    )


def discard(db: Database, key: str) -> None:
    """Forget one draft (saved or thrown away)."""
    db.execute("DELETE FROM drafts WHERE key = ?", [key])


def discard_for(db: Database, participant_id: str) -> None:
    """Forget every draft about one parent (their erasure)."""
    db.execute("DELETE FROM drafts WHERE participant_id = ?", [participant_id])


def forget_special(db: Database, participant_ids: Sequence[str]) -> None:
    """Take the special-category answers out of these parents' drafts (the field keys a draft
    names in its context's "special", and what they said when typing began); a draft with
    nothing else typed is forgotten."""
    rows = db.execute(
        "SELECT key, context, fields FROM drafts "
        "WHERE participant_id IN (SELECT value FROM json_each(?)) "
        "AND json_extract(context, '$.special') IS NOT NULL",
        [json.dumps(list(participant_ids))],
    ).fetchall()
    for key, context_text, fields_text in rows:
        context, fields = _dict(context_text), _dict(fields_text)
        special = set(context.pop("special", None) or ())
        fields = {k: v for k, v in fields.items() if k not in special}
        saved = context.get("saved")
        if isinstance(saved, dict):
            context["saved"] = {k: v for k, v in saved.items() if k not in special}
        if not fields:
            discard(db, key)
            continue
        db.execute(
            "UPDATE drafts SET context = ?, fields = ? WHERE key = ?",
            [json.dumps(context, ensure_ascii=False), json.dumps(fields, ensure_ascii=False), key],
        )


def all_drafts(db: Database) -> list[Draft]:
    """Every draft kept, oldest first."""
    rows = db.execute(
        "SELECT key, form, title, participant_id, context, fields, updated_at FROM drafts "
        "ORDER BY updated_at"
    ).fetchall()
    return [
        Draft(
            key=key,
            form=form,
            title=title,
            participant_id=pid,
            context=_dict(context),
            fields=_dict(fields),
            updated_at=updated,
        )
        for key, form, title, pid, context, fields, updated in rows
    ]


def _dict(text: str) -> dict[str, Any]:
    value = json.loads(text)
    return value if isinstance(value, dict) else {}
