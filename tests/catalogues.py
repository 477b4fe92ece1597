"""Partnership catalogues for tests: the default one with entries retired (taken out)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from journeyapp.paths import resource

DEFAULT = resource("catalogue.toml").read_text(encoding="utf-8")


def retired(keys: Iterable[str], text: str = DEFAULT) -> str:
    """`text` (a catalogue) with the entry of each of `keys` taken out, whatever its list."""
    for key in keys:
        entry = r"\[\[\w+\]\]\nkey = " + re.escape(f'"{key}"') + r"\n(?:\w+ = .*\n)*"
        text, found = re.subn(entry, "", text)
        assert found == 1, key
    return text
