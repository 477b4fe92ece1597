"""Record ids: random version-4 UUIDs, never repeated, not even by a forked child."""

from __future__ import annotations

import os
import uuid

import pytest

from journeyapp.core.records import new_id


def test_ids_are_version_4_uuids_and_unique() -> None:
    ids = [new_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert {uuid.UUID(i).version for i in ids[:500]} == {4}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_makes_different_ids() -> None:
    new_id()  # fill the pool in the parent
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.write(write, new_id().encode())
        os._exit(0)
    os.close(write)
    child_id = os.read(read, 64).decode()
    os.waitpid(pid, 0)
    assert child_id != new_id()
    assert len(child_id) == 36
