"""The answer codes behind the funder's return: questions, answers and their codes (config, not code).

One registry (resources/codes.toml, in the catalogue's style): every list the monitoring form,
the job record, validation, exports and the return use is read from here, so a partnership can
match its council's template without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from journeyapp.core.catalogue import keyed_items, read_text, toml_data
from journeyapp.core.errors import ValidationError

PREFER_NOT_TO_SAY = "prefer_not_to_say"
# The return's outcome that is starting work. Its milestone types are the catalogue's
# (`job_entry = true`, Catalogue.job_entry_types), not a list here: one setting for the return
# and the report. A list left on it in an older copy of the codes is named by the return's check
# when it says otherwise (exchange.returns.check_return).
JOB_ENTRY_OUTCOME = "job_entry"

# The lists a record field takes its codes from (field name -> list name is the same name,
# except where said here), and the lists the registry must have.
EQUALITIES_LISTS = (
    "sex",
    "gender_identity",
    "age_band",
    "ethnicity",
    "disability",
    "disabled_child",
    "sexual_orientation",
    "care_experience",
)
CIRCUMSTANCES_LISTS = ("lone_parent", "employment_status", "time_out_of_work", "benefits")
JOB_LISTS = (
    "working_pattern",
    "contract_type",
    "living_wage",
    "sector",
    "leaving_reason",
    "progression",
)
REQUIRED_LISTS = (*EQUALITIES_LISTS, *CIRCUMSTANCES_LISTS, *JOB_LISTS, "outcomes")


@dataclass(frozen=True)
class CodeEntry:
    """One answer: a stable code (in data and the return) and its label (shown to people)."""

    key: str
    label: str
    flags: frozenset[str] = frozenset()
    # age_band only: the youngest and oldest age in the band.
    ages: tuple[int, int] | None = None
    # outcomes only: the milestone types (catalogue keys) that count as this outcome.
    milestones: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Question:
    """The words of one question in the form, and why it is asked."""

    question: str = ""
    why: str = ""


@dataclass(frozen=True)
class Codes:
    """The registry: each list's entries in file order, its question, and a few settings."""

    lists: dict[str, tuple[CodeEntry, ...]]
    questions: dict[str, Question] = field(default_factory=dict)
    full_time_hours: int = 30
    source: str = "codes"

    def entries(self, list_name: str) -> tuple[CodeEntry, ...]:
        """The entries of one list, in order (empty for a list the registry does not have)."""
        return self.lists.get(list_name, ())

    def keys(self, list_name: str) -> tuple[str, ...]:
        """The codes of one list, in order."""
        return tuple(e.key for e in self.entries(list_name))

    def label(self, list_name: str, key: str) -> str:
        """The label of a code (an unknown code is shown as itself; "" stays "")."""
        for entry in self.entries(list_name):
            if entry.key == key:
                return entry.label
        return key

    def flagged(self, list_name: str, flag: str) -> frozenset[str]:
        """The codes of a list that carry `flag` (e.g. ethnicity "minority")."""
        return frozenset(e.key for e in self.entries(list_name) if flag in e.flags)

    def question(self, list_name: str) -> str:
        """The form's question for a list."""
        return self.questions.get(list_name, Question()).question

    def why(self, list_name: str) -> str:
        """Why the question is asked, in plain words."""
        return self.questions.get(list_name, Question()).why

    def outcome_milestones(self, outcome: str) -> frozenset[str]:
        """The milestone types that count as an outcome (e.g. "qualification"); starting work
        (JOB_ENTRY_OUTCOME) is the catalogue's job_entry types instead, so none are listed."""
        for entry in self.entries("outcomes"):
            if entry.key == outcome:
                return entry.milestones
        return frozenset()

    def age_band(self, age: int) -> str:
        """The age_band code an age falls in ("" when none does)."""
        for entry in self.entries("age_band"):
            if entry.ages is not None and entry.ages[0] <= age <= entry.ages[1]:
                return entry.key
        return ""


def _strings(value: object, what: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f'{what} must be a list of words in quotes, like ["a", "b"].')
    return frozenset(value)


def parse_codes(text: str, source: str = "codes") -> Codes:
    """Build the registry from TOML text; a malformed file gets a message naming what to fix."""
    data = toml_data(text, f"The answer codes {source} are")
    lists: dict[str, tuple[CodeEntry, ...]] = {}
    for list_name, raw in data.items():
        if list_name in ("settings", "questions"):
            continue
        if not isinstance(raw, list):
            raise ValidationError(
                f"{list_name!r} in the answer codes {source} should be [[{list_name}]] entries."
            )
        entries = []
        place = f"[[{list_name}]] in the answer codes {source}"
        for key, item in keyed_items(raw, place, "code"):
            where = f"Entry {key!r} of [[{list_name}]] in the answer codes {source}:"
            ages = item.get("ages")
            if ages is not None and not (
                isinstance(ages, list)
                and len(ages) == 2
                and all(isinstance(a, int) for a in ages)
                and ages[0] <= ages[1]
            ):
                raise ValidationError(f"{where} ages must be [youngest, oldest], like [20, 24].")
            entries.append(
                CodeEntry(
                    key,
                    str(item["label"]),
                    flags=_strings(item.get("flags"), f"{where} flags"),
                    ages=(ages[0], ages[1]) if ages is not None else None,
                    milestones=_strings(item.get("milestones"), f"{where} milestones"),
                )
            )
        lists[list_name] = tuple(entries)
    missing = [name for name in REQUIRED_LISTS if not lists.get(name)]
    if missing:
        raise ValidationError(
            f"The answer codes {source} have no [[{missing[0]}]] entries; add at least one "
            "with a key and a label."
        )
    questions = {
        name: Question(str(q.get("question", "")), str(q.get("why", "")))
        for name, q in (data.get("questions") or {}).items()
        if isinstance(q, dict)
    }
    settings = data.get("settings") or {}
    hours = settings.get("full_time_hours", 30)
    if not isinstance(hours, int) or not 1 <= hours <= 80:
        raise ValidationError(
            f"full_time_hours in the answer codes {source} must be a whole number of hours "
            "from 1 to 80."
        )
    return Codes(lists=lists, questions=questions, full_time_hours=hours, source=source)


def load_codes(path: Path) -> Codes:
    """Read the answer codes file; a missing or unreadable file gets a clear message."""
    return parse_codes(read_text(path, "the answer codes", "are"), str(path))
