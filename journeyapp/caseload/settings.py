"""The caseload's own settings (retention years, lock minutes, who printed plans are from),
kept in its file.

Settings that belong to the laptop rather than to the records (window sizes, the last file
opened) live with the window, not here; this manager is where new caseload-wide ones go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyapp.core.documents.sender import Sender, check_contact
from journeyapp.core.errors import ValidationError
from journeyapp.store import db as store_db
from journeyapp.store import letterhead

if TYPE_CHECKING:
    from journeyapp.caseload import Caseload

RETENTION_SETTING = "retention_years"
LOCK_SETTING = "lock_minutes"
DEFAULT_LOCK_MINUTES = 5
DEFAULT_RETENTION_YEARS = 3
REFERRAL_WAIT_SETTING = "referral_wait_days"
DEFAULT_REFERRAL_WAIT_DAYS = 14


class Settings:
    """`caseload.settings`: values kept in the caseload's settings table."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload

    def _number(self, key: str, default: int) -> int:
        value = store_db.setting(self._caseload.db, key)
        return int(value) if value and value.isdecimal() else default

    def _set_number(self, key: str, value: int) -> None:
        db = self._caseload.db
        with self._caseload.saving(), db.atomic():
            store_db.set_setting(db, key, str(int(value)))

    @property
    def retention_years(self) -> int:
        """Years after the last activity on a closed journey before it is due for review."""
        return self._number(RETENTION_SETTING, DEFAULT_RETENTION_YEARS)

    def set_retention_years(self, years: int) -> None:
        """Change the retention period (1 to 50 years)."""
        if not 1 <= int(years) <= 50:
            raise ValidationError("Give a retention period between 1 and 50 years.", field="years")
        self._set_number(RETENTION_SETTING, years)

    @property
    def lock_minutes(self) -> int:
        """Idle minutes before the window locks itself (default 5)."""
        return self._number(LOCK_SETTING, DEFAULT_LOCK_MINUTES)

    def set_lock_minutes(self, minutes: int) -> None:
        """Change the idle time before the window locks (1 to 120 minutes)."""
        if not 1 <= int(minutes) <= 120:
            raise ValidationError("Give a lock time between 1 and 120 minutes.", field="minutes")
        self._set_number(LOCK_SETTING, minutes)

    @property
    def referral_wait_days(self) -> int:
        """Days a referral may wait for an answer before This week lists it (default 14)."""
        return self._number(REFERRAL_WAIT_SETTING, DEFAULT_REFERRAL_WAIT_DAYS)

    def set_referral_wait_days(self, days: int) -> None:
        """Change how long a referral waits before This week lists it (1 to 365 days)."""
        if not 1 <= int(days) <= 365:
            raise ValidationError(
                "Give a number of days between 1 and 365 for referrals waiting.", field="days"
            )
        self._set_number(REFERRAL_WAIT_SETTING, days)

    # -- who printed plans are from (File > Settings; issue 15) ----------------------------------

    def sender(self) -> Sender:
        """This laptop's organisation, keyworker's name, phone, email, programme and laptop name."""
        return letterhead.read_sender(self._caseload.db)

    def set_sender(self, sender: Sender) -> None:
        """Remember who this laptop's documents are from; later changes are recorded by that name.

        A phone or email longer than a contact line can be is refused, saying which and how
        long (core.documents.sender.check_contact); nothing is saved then."""
        sender = letterhead.tidy(sender)
        check_contact(sender.phone, "The phone number", "phone")
        check_contact(sender.email, "The email address", "email")
        # Printed on every plan for parents to write to: an address, or nothing. (Loaded
        # here: a report opens the caseload without loading validation, issue 18.)
        from journeyapp.core.validation import check_email

        check_email(sender.email)
        db = self._caseload.db
        with self._caseload.saving(), db.atomic():
            letterhead.save_sender(db, sender)
        if sender.keyworker:
            self._caseload.actor = sender.keyworker
