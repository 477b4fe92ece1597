"""Who a printed document is from: this laptop's sender details (File > Settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sender:
    """Who a document is from: this laptop's settings (File > Settings), each may be blank."""

    organisation: str = ""
    keyworker: str = ""
    phone: str = ""
    email: str = ""
    programme: str = ""
    device_name: str = ""

    @property
    def reachable(self) -> bool:
        """True when the parent has a way to get in touch (a phone number or an email)."""
        return bool(self.phone.strip() or self.email.strip())
