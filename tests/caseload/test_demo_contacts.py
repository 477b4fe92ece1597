"""The demo's contacts read as real ones would: where each kind of contact happens fits it."""

from __future__ import annotations

import sqlite3

from journeyapp.caseload import Caseload


def test_each_demo_contact_happens_where_its_kind_can(demo_caseload: Caseload) -> None:
    path = demo_caseload.path
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT kind, venue, count(*) FROM contacts GROUP BY 1, 2").fetchall()
    places = {(kind, venue) for kind, venue, _ in rows}
    kinds = {kind for kind, _ in places}
    assert {"home_visit", "phone_text", "one_to_one", "group"} <= kinds
    # A home visit is at the parent's home, a phone call on the phone, and nothing else is
    # at either.
    for kind, venue in places:
        if kind == "home_visit":
            assert venue == "Parent's home", (kind, venue)
        elif kind == "phone_text":
            assert venue == "Phone", (kind, venue)
        else:
            assert venue not in ("Parent's home", "Phone"), (kind, venue)
    # Kinds met anywhere still happen in more than one place.
    assert len({venue for kind, venue in places if kind == "one_to_one"}) >= 2
