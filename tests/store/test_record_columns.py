"""How each record's fields are stored is worked out from the same type hints as
typing.get_type_hints gives (the store evaluates each annotation's text once, issue 18)."""

from __future__ import annotations

import typing

import pytest

from journeyapp.core.records import RECORD_TYPES, Event
from journeyapp.store import records


@pytest.mark.parametrize("cls", [*RECORD_TYPES, Event], ids=lambda c: c.__name__)
def test_type_hints_are_get_type_hints(cls: type) -> None:
    assert records.type_hints(cls) == typing.get_type_hints(cls)
    assert records.type_hints(cls) == typing.get_type_hints(cls)  # from what was evaluated
