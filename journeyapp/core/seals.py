"""Seals: HMAC-SHA256 tags by which a laptop vouches for the events in a bundle it wrote (#16).

Knowing a bundle's passphrase lets anyone write a bundle, so a bundle's own claims (which laptop
made it, which laptop and person made each event) prove nothing. Each caseload therefore has a
secret device key (32 random bytes, kept in the encrypted caseload). The partnership enrols a
laptop on another caseload with that laptop's enrolment code (its device id and key, passed in
person like a bundle passphrase). A bundle is sealed with its writer's key: every event gets a
mark (the SHA-256 digest of its exact stored values, and a "vouched" flag), and the whole bundle
one seal, an HMAC-SHA256 with the key over its information and every mark in order (so nothing
can be changed, left out, added or reordered, and the first changed event can be named).

The receiving caseload verifies the seal with the key it enrolled for the bundle's writer. An
event counts as *authenticated* only when the writer is enrolled there, the seals hold, and the
writer vouched for it (the writer made it, or had itself received it authenticated). Anything
else merges as *unauthenticated*: it may add records, but it never changes or removes a record,
nor erases a parent, without a decision here. A bundle that names an enrolled writer but whose
seals do not hold is refused whole, naming the first event that fails.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterable, Sequence

from journeyapp.core.errors import ValidationError

KEY_BYTES = 32
_CODE = re.compile(r"^\s*(?P<device>[A-Za-z0-9_-]{1,100})\.(?P<key>[0-9a-fA-F]{64})\s*$")
# A laptop's device id as JourneyApp makes it (store.db: a random UUID), given without its key.
_DEVICE_ID = re.compile(r"^\s*[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\s*$")


def new_key() -> bytes:
    """A fresh device key."""
    return secrets.token_bytes(KEY_BYTES)


def enrolment_code(device_id: str, key: bytes) -> str:
    """The code another caseload enrols this laptop with: "<device id>.<key in hex>"."""
    return f"{device_id}.{key.hex()}"


def parse_enrolment_code(code: str) -> tuple[str, bytes]:
    """(device id, key) from an enrolment code; a clear message when it is not one."""
    found = _CODE.match(code or "")
    if found is None:
        if code and _DEVICE_ID.match(code):
            raise ValidationError(
                "That is a device id, not an enrolment code. Enrolling a laptop needs its "
                "code: on that laptop, Partnership > Laptops in the partnership > Show this "
                "laptop's code (or run 'journeyapp devices --code'), and copy what it shows.",
                field="code",
            )
        raise ValidationError(
            "That is not an enrolment code (it looks like <device id>.<64 letters and digits>); "
            "copy it again from that laptop (Show this laptop's code, or "
            "'journeyapp devices --code').",
            field="code",
        )
    return found["device"], bytes.fromhex(found["key"])


def row_digest(row: Sequence[object]) -> bytes:
    """SHA-256 of one event row's stored values, each length-prefixed (None kept apart from
    "None" and ""), so the tag covers exactly what the bundle holds."""
    parts = []
    for value in row:
        if value is None:
            parts.append("-")
        else:
            text = str(value)
            parts.append(f"{len(text)}:{text}")
    return hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).digest()


def event_mark(digest: bytes, vouched: bool) -> str:
    """One event's mark as the seal takes it in: whether its writer vouches for it, and its
    row digest (hex)."""
    return ("1:" if vouched else "0:") + digest.hex()


class SealMac:
    """The bundle seal, built as the marks go by (a million marks are never held at once)."""

    def __init__(self, key: bytes, info: dict[str, str]) -> None:
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        shown = {k: v for k, v in info.items() if k != "seal"}
        self._mac.update(json.dumps(shown, sort_keys=True, ensure_ascii=False).encode("utf-8"))

    def add(self, mark: str) -> None:
        """Take in the next event's mark."""
        self._mac.update(b"\x00" + mark.encode("ascii", "replace"))

    def add_joined(self, joined: str | bytes) -> None:
        """Take in several marks at once, each led by a NUL ("\\x00" + mark, …): the same as
        `add` for each in turn (a bundle's marks joined inside SQLite, read as one string, or
        already encoded as ASCII with "?" for anything else)."""
        self._mac.update(joined if isinstance(joined, bytes) else joined.encode("ascii", "replace"))

    def seal(self) -> str:
        """The seal over the information and every mark taken in."""
        return self._mac.hexdigest()


def bundle_seal(key: bytes, info: dict[str, str], marks: Iterable[str]) -> str:
    """The seal over a bundle's information (but its seal) and every event mark, in order."""
    mac = SealMac(key, info)
    for mark in marks:
        mac.add(mark)
    return mac.seal()


def same(a: str, b: str) -> bool:
    """Compare two tags in constant time."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))
