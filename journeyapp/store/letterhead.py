"""Who this laptop's printed documents are from (File > Settings), kept in the settings table.

Per laptop, remembered between sessions: the organisation, the keyworker's name, phone and
email, the programme's name, and a readable name for this laptop.
"""

from __future__ import annotations

from dataclasses import fields, replace

from journeyapp.core.documents.sender import Sender
from journeyapp.store.db import Database, set_setting

# Each Sender field is stored under "sender.<field>".
PREFIX = "sender."
LIMIT = 200


def read_sender(db: Database) -> Sender:
    """This laptop's sender details (blank where not set yet)."""
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE ?", [PREFIX + "%"]).fetchall()
    found = {key.removeprefix(PREFIX): value for key, value in rows}
    known = {f.name for f in fields(Sender)}
    return Sender(**{k: v for k, v in found.items() if k in known})


def save_sender(db: Database, sender: Sender) -> None:
    """Store every field of `sender` (inside the caller's transaction, if any)."""
    for f in fields(Sender):
        value = " ".join(str(getattr(sender, f.name)).split())[:LIMIT]
        set_setting(db, PREFIX + f.name, value)


def tidy(sender: Sender) -> Sender:
    """`sender` with surrounding and repeated spaces removed from every field."""
    return replace(
        sender, **{f.name: " ".join(getattr(sender, f.name).split()) for f in fields(Sender)}
    )
