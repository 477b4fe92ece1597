"""Where a parent lives, as the funder's return counts it: postcode -> SIMD quintile, urban/rural.

The partnership provides the lookup (the Scottish Government's postcode lookup, or their own
extract of it); JourneyApp never ships or fetches one. A postcode is compared in one form:
upper case, one space before the last three characters ("eh11  1ab" -> "EH11 1AB").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A UK postcode's shape (outward code, then digit and two letters): "EH11 1AB", "G2 3CD".
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")

SIMD_QUINTILES = (1, 2, 3, 4, 5)  # 1: the most deprived fifth of Scotland's data zones
# The Scottish Government's urban/rural classifications: the number of classes is the scheme.
URBAN_RURAL_SCHEMES: dict[int, tuple[str, ...]] = {
    2: ("Urban", "Rural"),
    3: ("Rest of Scotland", "Accessible rural", "Remote rural"),
    6: (
        "Large urban areas",
        "Other urban areas",
        "Accessible small towns",
        "Remote small towns",
        "Accessible rural",
        "Remote rural",
    ),
    8: (
        "Large urban areas",
        "Other urban areas",
        "Accessible small towns",
        "Remote small towns",
        "Very remote small towns",
        "Accessible rural",
        "Remote rural",
        "Very remote rural",
    ),
}


def normalise_postcode(text: str | None) -> str | None:
    """The postcode in its one compared form, or None when `text` is not shaped like one."""
    if not text:
        return None
    squeezed = "".join(text.split()).upper()
    if len(squeezed) < 5 or len(squeezed) > 7:
        return None
    spaced = f"{squeezed[:-3]} {squeezed[-3:]}"
    return spaced if _POSTCODE.match(spaced) else None


@dataclass(frozen=True)
class Area:
    """What the lookup says about one postcode."""

    postcode: str
    simd_quintile: int
    urban_rural: int | None = None  # the class number in the lookup's scheme, if it has one


@dataclass(frozen=True)
class LookupInfo:
    """About the lookup held: how many postcodes, its urban/rural scheme, when it came in."""

    postcodes: int
    urban_rural_scheme: int | None  # 2, 3, 6 or 8 classes; None when the file had no column
    imported_at: str
    sha256: str

    def describe(self) -> str:
        """One plain line."""
        if not self.postcodes:
            return "No postcode lookup yet (journeyapp lookup, or Partnership > Postcode lookup)."
        scheme = (
            f"; urban/rural in {self.urban_rural_scheme} classes"
            if self.urban_rural_scheme
            else "; no urban/rural classes"
        )
        return (
            f"Postcode lookup: {self.postcodes:,} postcodes{scheme}; "
            f"imported {self.imported_at[:10]}."
        )
