"""Who a printed document is from: this laptop's sender details (File > Settings), and the one
rule for a line saying how the parent can reach their keyworker."""

from __future__ import annotations

from dataclasses import dataclass

from journeyapp.core.errors import ValidationError

# A contact line (`plan --contact`, the preview's "How they can reach you", the phone and email
# in File > Settings) is a number or an address with a few words: it fits on two printed lines
# in large print, where a pasted page of text would make a plan of dozens of pages.
CONTACT_LIMIT = 120


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


def check_contact(text: str, what: str = "The contact line", field: str = "contact") -> str:
    """`text` as printed (line breaks and repeated spaces made single spaces), or a
    ValidationError saying how long it is and what to give instead when it is longer than a
    contact line can be."""
    line = " ".join(text.split())
    if len(line) > CONTACT_LIMIT:
        raise ValidationError(
            f"{what} is {len(line):,} characters long; a plan prints at most {CONTACT_LIMIT}. "
            "Give a short line, such as a phone number (07700 900123) or an email address.",
            field=field,
        )
    return line
