"""How a program has a caseload open, and so who else may have it open at the same time."""

from __future__ import annotations

from enum import StrEnum


class Access(StrEnum):
    """What a program may do with a caseload it has open: the one rule of who shares it.

    | open as \\ beside | READ | WRITE | WINDOW | WHOLE |
    | --- | --- | --- | --- | --- |
    | READ   | yes | yes | yes | no |
    | WRITE  | yes | yes | no  | no |
    | WINDOW | yes | no  | no  | no |
    | WHOLE  | no  | no  | no  | no |

    A reader sees one committed snapshot (SQLite's write-ahead log lets readers read beside one
    writer) and never writes, so it runs beside anyone but a whole-file change. The window keeps
    what it shows and its undo history in memory, so no other program may save while it is open;
    commands that save share with each other (SQLite takes their transactions one at a time).
    """

    READ = "read"  # a command that only reads (plan, report, export): beside the window too
    WRITE = "write"  # a command that may save: beside readers and other commands
    WINDOW = "window"  # the window: one at a time, beside readers only
    WHOLE = "whole"  # replaces or re-encrypts the whole file (restore, passphrase, erase): alone

    @property
    def saves(self) -> bool:
        """True when a program opened this way may change the caseload."""
        return self is not Access.READ


# The two lock files beside a caseload (store.filelock): every program that has it open holds
# the first (shared, or exclusive for a whole-file change); a program that may save holds the
# second too (exclusive for the window). Each lasts only as long as a lock on it.
LOCK_SUFFIXES = (".lock", ".write.lock")
