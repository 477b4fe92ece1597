"""The postcode lookup table: postcode -> SIMD quintile and urban/rural class (see m011)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from journeyapp.core.areas import Area, LookupInfo
from journeyapp.store.connection import Database

_SCHEME = "area_lookup_scheme"
_AT = "area_lookup_imported_at"
_SHA = "area_lookup_sha256"
_CHUNK = 500


def create(db: Database) -> None:
    """The table (m011_area_lookup)."""
    db.execute(
        """
        CREATE TABLE area_lookup (
            postcode TEXT PRIMARY KEY,
            simd_quintile INTEGER NOT NULL CHECK (simd_quintile BETWEEN 1 AND 5),
            urban_rural INTEGER
        ) WITHOUT ROWID
        """
    )


def replace(
    db: Database, areas: Iterable[Area], *, scheme: int | None, at: str, sha256: str
) -> int:
    """Put a whole new lookup in place of the old one (inside the caller's transaction)."""
    from journeyapp.store import db as store_db  # here: store.db imports the migrations

    db.execute("DELETE FROM area_lookup")
    n = 0
    rows: list[tuple[str, int, int | None]] = []
    for area in areas:
        rows.append((area.postcode, area.simd_quintile, area.urban_rural))
        if len(rows) >= 10_000:
            n += _insert(db, rows)
            rows = []
    n += _insert(db, rows)
    store_db.set_setting(db, _SCHEME, str(scheme or ""))
    store_db.set_setting(db, _AT, at)
    store_db.set_setting(db, _SHA, sha256)
    return n


def _insert(db: Database, rows: list[tuple[str, int, int | None]]) -> int:
    db.conn.executemany(
        "INSERT INTO area_lookup (postcode, simd_quintile, urban_rural) VALUES (?, ?, ?)", rows
    )
    return len(rows)


def find(db: Database, postcodes: Sequence[str]) -> dict[str, Area]:
    """The lookup's entries for these (normalised) postcodes; ones it does not hold are absent."""
    wanted = list(dict.fromkeys(postcodes))
    found: dict[str, Area] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for postcode, quintile, urban_rural in db.execute(
            "SELECT postcode, simd_quintile, urban_rural FROM area_lookup "
            f"WHERE postcode IN ({marks})",
            chunk,
        ).fetchall():
            found[postcode] = Area(postcode, int(quintile), urban_rural)
    return found


def info(db: Database) -> LookupInfo:
    """How many postcodes the lookup holds, its urban/rural scheme and when it came in."""
    from journeyapp.store import db as store_db

    (count,) = db.execute("SELECT count(*) FROM area_lookup").fetchone()
    scheme = store_db.setting(db, _SCHEME) or ""
    return LookupInfo(
        postcodes=int(count),
        urban_rural_scheme=int(scheme) if scheme.isdecimal() else None,
        imported_at=store_db.setting(db, _AT) or "",
        sha256=store_db.setting(db, _SHA) or "",
    )
