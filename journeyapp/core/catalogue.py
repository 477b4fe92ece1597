"""The partnership's catalogue: stages, outcome areas, services, milestone types and more (config, not code)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeyapp.core import kept_toml
from journeyapp.core.errors import ValidationError
from journeyapp.core.file_names import not_a_file


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: a stable key (in data and exports) and a label (shown to people)."""

    key: str
    label: str
    pipeline: int | None = None
    # Outcome areas only: what a score of 1 and of 10 mean, in plain words (printed by the chart).
    low: str = ""
    high: str = ""
    # Milestone types only: reaching it means the parent started work (a job entry).
    job_entry: bool = False
    # The partnership's own words in a printed plan's other languages: ("label_pl", "…"),
    # ("low_uk", "…"); what is not given prints from the translations, else as written.
    translated: tuple[tuple[str, str], ...] = ()

    def words(self, field: str, language: str) -> str:
        """The entry's `field` ("label", "low", "high") in `language`, as the catalogue
        gives it there; "" when it does not."""
        return dict(self.translated).get(f"{field}_{language}", "")


@dataclass(frozen=True)
class Catalogue:
    """The partnership's lists. Every list keeps its order from the file."""

    name: str
    stages: tuple[Entry, ...]
    outcome_areas: tuple[Entry, ...]
    services: tuple[Entry, ...]
    milestone_types: tuple[Entry, ...]
    contact_kinds: tuple[Entry, ...]
    localities: tuple[Entry, ...]
    partners: tuple[Entry, ...]
    pipeline: tuple[Entry, ...] = ()

    def label(self, list_name: str, key: str) -> str:
        """The label for `key` in one of the lists; a key the list does not have (retired
        since, or from a laptop with another catalogue) in words made from it (`readable`)."""
        for entry in getattr(self, list_name):
            if entry.key == key:
                return str(entry.label)
        return readable(key)

    def entry(self, list_name: str, key: str) -> Entry | None:
        """The entry of `key` in one of the lists, or None when the list does not have it."""
        return next((e for e in getattr(self, list_name) if e.key == key), None)

    def shown(self, list_name: str, key: str) -> str:
        """How a key held in a record is shown to a keyworker: its label, or the key in words
        marked "(not in this partnership's list)" (`unlisted`) when the list does not have it (retired since,
        or from a laptop with another catalogue), as the report shows it."""
        return self.label(list_name, key) if key in self.key_set(list_name) else unlisted(key)

    def keys(self, list_name: str) -> tuple[str, ...]:
        """The keys of one list, in order."""
        return tuple(e.key for e in getattr(self, list_name))

    def key_set(self, list_name: str) -> frozenset[str]:
        """The keys of one list as a set (cached: used on every validation)."""
        cache: dict[str, frozenset[str]] | None = self.__dict__.get("_key_sets")
        if cache is None:
            cache = self.__dict__["_key_sets"] = {}
        found = cache.get(list_name)
        if found is None:
            found = cache[list_name] = frozenset(self.keys(list_name))
        return found

    def find_key(self, list_name: str, key_or_label: str, held: Iterable[str] = ()) -> str | None:
        """The key whose key or label matches (case and spacing ignored), or None; after the
        list's own, any of `held` (keys in use that the list may not have) matched by key."""
        # Worked out once per list (an import looks up every row): the first entry whose key
        # or label matches wins, as a search in order would find it.
        cache: dict[str, dict[str, str]] = self.__dict__.setdefault("_found_keys", {})
        found = cache.get(list_name)
        if found is None:
            found = {}
            for entry in getattr(self, list_name):
                found.setdefault(_norm(entry.key), str(entry.key))
                found.setdefault(_norm(entry.label), str(entry.key))
            cache[list_name] = found
        hit = found.get(_norm(key_or_label))
        if hit is None and held:
            # A key in use the list does not have, typed as itself or as a report shows it.
            wanted, keys = _norm(key_or_label), self.key_set(list_name)
            hit = next(
                (k for k in held if k not in keys and wanted in (_norm(k), _norm(unlisted(k)))),
                None,
            )
        return hit

    def choices(self, list_name: str, held: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(key, label) for every entry of one list, in order, then for every key in `held`
        (those in use: a locality parents are recorded in) that the list does not have,
        labelled as a report shows it (`unlisted`), so it can be picked as it is seen."""
        listed = [(str(e.key), str(e.label)) for e in getattr(self, list_name)]
        keys = self.key_set(list_name)
        return listed + [(k, unlisted(k)) for k in dict.fromkeys(held) if k and k not in keys]

    @property
    def job_entry_types(self) -> tuple[str, ...]:
        """The milestone types that mean the parent started work (`job_entry = true`), in
        order: the first is the one a job recorded on its own is given. A catalogue that marks
        none (written before the mark existed) has its "started_work" type, if it has one."""
        marked = tuple(e.key for e in self.milestone_types if e.job_entry)
        if marked:
            return marked
        return (
            (UNMARKED_JOB_ENTRY,) if UNMARKED_JOB_ENTRY in self.key_set("milestone_types") else ()
        )

    def pipeline_stage(self, stage_key: str) -> int | None:
        """Scotland's employability pipeline stage (1-5) a journey stage maps to."""
        for entry in self.stages:
            if entry.key == stage_key:
                return entry.pipeline
        return None


@functools.lru_cache(maxsize=4096)
def _norm(text: str) -> str:
    # Remembered: an import asks for the same few words on every row.
    return "".join(ch for ch in text.casefold() if ch.isalnum())


# After a key that the partnership's catalogue does not list (a service retired from it, a
# milestone type from a laptop with another catalogue, a locality no longer listed): shown
# in words made from its key, marked, wherever a keyworker or coordinator sees it (the
# report, the window, the command line, the window's choices).
NOT_LISTED = "(not in this partnership's list)"


def readable(key: str) -> str:
    """A catalogue key as words ("volunteering_start" is "Volunteering start"): how a key
    the catalogue does not list is read, by a parent on their plan as by a keyworker."""
    words = " ".join(key.replace("_", " ").split())
    return words[:1].upper() + words[1:]


def unlisted(key: str) -> str:
    """How a key the partnership's catalogue does not list is shown: in words made from the
    key (`readable`), marked, so nothing held is dropped or passed off as a catalogue entry."""
    return f"{readable(key)} {NOT_LISTED}" if key else "not recorded"


# The milestone type a catalogue that marks no job entry (written before `job_entry` existed)
# counts as starting work: the key the default catalogue has always used for it.
UNMARKED_JOB_ENTRY = "started_work"

_LISTS = (
    "stages",
    "outcome_areas",
    "services",
    "milestone_types",
    "contact_kinds",
    "localities",
    "partners",
)


def toml_data(text: str, what_is: str) -> dict[str, Any]:
    """The TOML in `text`; if it is not valid, a message starting with `what_is` ("The
    catalogue x.toml is")."""
    try:
        return kept_toml.loads(text)  # parsed once per laptop (tomllib loaded only then)
    except ValueError as exc:
        import tomllib

        if not isinstance(exc, tomllib.TOMLDecodeError):
            raise
        raise ValidationError(
            f"{what_is} not valid TOML: {exc}. Put that line right in a text editor, then try "
            "again."
        ) from None


SETTINGS_FILE_MOST = 16 * 1024 * 1024  # bytes: a catalogue, the codes or a mapping (TOML)


def read_text(path: Path, what: str, be: str) -> str:
    """A UTF-8 file's text; a missing, unreadable, too big or non-UTF-8 file gets a clear
    message naming `what` it is ("the catalogue") with its verb `be` ("is" or "are")."""
    there = not_a_file(path)
    if there not in (None, "a folder", "a device"):
        # A named pipe ($JOURNEYAPP_CATALOGUE=fifo): opened, it waits for ever for a writer.
        raise ValidationError(
            f"{what[0].upper()}{what[1:]} {path} {be} {there}, not a file: check the path "
            "names the right file."
        )
    try:
        # Read no more than such a file can hold: a device (/dev/zero) or a big file named by
        # mistake is refused, not read until memory runs out.
        with Path(path).open("rb") as handle:
            raw = handle.read(SETTINGS_FILE_MOST + 1)
        if len(raw) > SETTINGS_FILE_MOST:
            raise ValidationError(
                f"{what[0].upper()}{what[1:]} {path} {be} bigger than "
                f"{SETTINGS_FILE_MOST // (1024 * 1024)} MB, too big to be {what}: check "
                "the path names the right file."
            )
        # A byte-order mark (Notepad writes one) is no part of the text.
        return raw.decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        raise ValidationError(
            f"Cannot read {what} {path}: {exc.strerror}. Check the path."
        ) from None
    except UnicodeDecodeError:
        raise ValidationError(
            f"{what[0].upper()}{what[1:]} {path} {be} not UTF-8 text. Open it in a text editor "
            "and save it with the encoding UTF-8, then try again."
        ) from None


def keyed_items(raw: list[Any], place: str, word: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each TOML [[list]] entry of `raw` with its key, in order; an entry without both a key and
    a label, or a key that appears twice, gets a message naming `place` (the list and file)."""
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        if (
            not isinstance(item, dict)
            or not _words(item.get("key"))
            or not _words(item.get("label"))
        ):
            # A list or a table is no key or label either (it was taken as its Python text).
            raise ValidationError(
                f"Entry {n} of {place} needs both a key and a label, each in quotes "
                '(key = "fife", label = "Fife").'
            )
        key = str(item["key"])
        if key in seen:
            raise ValidationError(f"The {word} {key!r} appears twice in {place}.")
        seen.add(key)
        yield key, item


def _words(value: Any) -> bool:
    """True for a key or label as a file gives it: text (or a number), not empty."""
    return isinstance(value, str | int) and not isinstance(value, bool) and bool(str(value).strip())


def _stage_number(value: Any, where: str) -> int:
    """A pipeline stage number (1 to 5) as a catalogue gives it, or a message saying where."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        shown = repr(value) if isinstance(value, str | int | float) else "not a number"
        raise ValidationError(
            f"The pipeline stage {where} is {shown}; give a whole number from 1 to 5 (the "
            "employability pipeline's stage, as pipeline = 3)."
        )
    return value


# What each list's entries may have besides a key and a label; and the file's other names.
_FIELDS = {
    "stages": ("pipeline",),
    "outcome_areas": ("low", "high"),
    "milestone_types": ("job_entry",),
}
_TOP = ("name", "pipeline", *_LISTS)
# A key as data and exports carry it: lower-case letters, digits and _ (no spaces).
_KEY = re.compile(r"[a-z0-9_]+")
KEY_MOST = 100  # characters: a key is a short name, not words


def is_key(text: object) -> bool:
    """Whether `text` is written as a catalogue key is (whichever catalogue lists it)."""
    return isinstance(text, str) and len(text) <= KEY_MOST and _KEY.fullmatch(text) is not None


def job_entries_with(catalogue: Catalogue, others: Iterable[str]) -> tuple[str, ...]:
    """The milestone types that mean starting work: the catalogue's (`job_entry_types`), then
    those another laptop's catalogue marked so (`others`, carried by its journey-log bundle)
    where this catalogue does not list them: a job entry recorded under a type the
    coordinator's catalogue lacks is a job entry still. A type this catalogue lists is as it
    marks it."""
    own = catalogue.job_entry_types
    listed = catalogue.key_set("milestone_types")
    extra = [key for key in dict.fromkeys(others) if is_key(key) and key not in listed]
    return own + tuple(sorted(extra))


def keys_written(text: str | None) -> tuple[str, ...]:
    """Catalogue keys as a JSON list of them (a bundle's or a setting's), in order: anything
    else in it (or text that is no JSON list) is left out, never trusted."""
    if not text:
        return ()
    import json  # here: a laptop's start reads no bundle

    try:
        value = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(key for key in value[:1000] if is_key(key)))


def _unknown(name: str, known: Iterable[str], where: str, what: str) -> ValidationError:
    """The refusal of a name the catalogue does not use (a typing slip, most often), naming
    where it is and `what` may be there instead."""
    import difflib

    known = list(known)
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"did you mean {near[0]}? It" if near else "it"
    return ValidationError(
        f"{where} has {name!r}, which {what} cannot have: {hint} may have {', '.join(known)}."
    )


def _checked_key(key: str, n: int, place: str) -> None:
    """Refuse a key with capitals, spaces or other marks, saying the key to write instead."""
    if _KEY.fullmatch(key):
        return
    plain = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
    instead = f' (as key = "{plain}")' if plain and plain.isascii() else ""
    raise ValidationError(
        f"The key {key!r} of entry {n} of {place} is not a key: write it in lower-case "
        f"letters a-z, digits and _ only, no spaces{instead}; the label is what people see."
    )


# The partnership's own words in another language: label_pl, low_uk, high_ar.
_TRANSLATED = re.compile(r"(label|low|high)_[a-z]{2,3}")


def _translation(value: Any, field: str, key: str, place: str) -> str:
    """A label (or low, high) in another language, checked as the English one is; a language
    printed plans are not in is refused, naming those they are."""
    from journeyapp.core.documents.wording import LANGUAGES

    language = field.rsplit("_", 1)[1]
    if language not in LANGUAGES or language == "en":
        others = ", ".join(
            f"{field.rsplit('_', 1)[0]}_{code}" for code in LANGUAGES if code != "en"
        )
        raise ValidationError(
            f"The entry {key!r} of {place} has {field!r}, but plans are not printed in "
            f"{language!r}: give {others}."
        )
    if not _words(value) or not isinstance(value, str):
        raise ValidationError(f"{field} on {key!r} in {place} is words, in quotes.")
    _checked_label(value, key, place)
    return value.strip()


def _checked_label(label: str, key: str, place: str) -> None:
    """Refuse a label on more than one line (a report's row, a list's entry, is one line)."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in label):
        raise ValidationError(
            f"The label of {key!r} in {place} has a line break or a control character: "
            "write it on one line."
        )


def parse_catalogue(text: str, source: str = "catalogue") -> Catalogue:
    """Build a Catalogue from TOML text; a malformed file gets a message naming what to fix."""
    data = toml_data(text, f"The catalogue {source} is")
    for name in data:
        if name not in _TOP:
            raise _unknown(name, _TOP, f"The catalogue {source}", "a catalogue")
    lists: dict[str, tuple[Entry, ...]] = {}
    for list_name in _LISTS:
        raw = data.get(list_name)
        if not isinstance(raw, list) or not raw:
            raise ValidationError(
                f"The catalogue {source} has no [[{list_name}]] entries; add at least one "
                "with a key and a label."
            )
        place = f"[[{list_name}]] in the catalogue {source}"
        fields = ("key", "label", *_FIELDS.get(list_name, ()))
        # Each entry's key and label, as an import matches what a spreadsheet names: two
        # entries that read the same could not be told apart there, nor in a report's rows.
        named: dict[str, tuple[str, str]] = {}
        entries = []
        for n, (key, item) in enumerate(keyed_items(raw, place, "key"), start=1):
            translated = []
            for field in item:
                if _TRANSLATED.fullmatch(field) and field.split("_")[0] in fields:
                    translated.append((field, _translation(item[field], field, key, place)))
                elif field not in fields:
                    raise _unknown(field, fields, f"The entry {key!r} of {place}", "an entry there")
            _checked_key(key, n, place)
            label = str(item["label"])
            _checked_label(label, key, place)
            for said in dict.fromkeys((key, label)):
                other, other_said = named.get(_norm(said), ("", ""))
                if other and other != key:
                    raise ValidationError(
                        f"The entries {other!r} and {key!r} of {place} read the same "
                        f"({other_said!r} and {said!r}): give each entry its own label, so a "
                        "spreadsheet or a report row naming one means that one."
                    )
                if _norm(said):
                    named[_norm(said)] = (key, said)
            pipeline = item.get("pipeline")
            job_entry = item.get("job_entry", False)
            if not isinstance(job_entry, bool):
                raise ValidationError(
                    f"job_entry on {key!r} in {place}: write job_entry = true or job_entry = false."
                )
            low, high = item.get("low", ""), item.get("high", "")
            if not isinstance(low, str) or not isinstance(high, str):
                raise ValidationError(
                    f"low and high on {key!r} in {place} are words, in quotes "
                    '(low = "I do not feel sure of myself.").'
                )
            entries.append(
                Entry(
                    key,
                    label,
                    (
                        _stage_number(pipeline, f"of {key!r} in {place}")
                        if pipeline is not None
                        else None
                    ),
                    low=low,
                    high=high,
                    job_entry=job_entry,
                    translated=tuple(translated),
                )
            )
        lists[list_name] = tuple(entries)
    name = data.get("name", source)
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(
            f"The name in the catalogue {source} is the partnership's name, in quotes "
            '(name = "Making It Work").'
        )
    pipeline = _pipeline(data.get("pipeline", []), source)
    numbers = {e.pipeline for e in pipeline}
    for stage in lists["stages"]:
        if stage.pipeline is not None and stage.pipeline not in numbers:
            # The report would show its parents under a bare number ("4 (not in the catalogue)").
            raise ValidationError(
                f"The stage {stage.key!r} in the catalogue {source} maps to pipeline stage "
                f"{stage.pipeline}, which its [[pipeline]] entries do not name: add one with "
                f'number = {stage.pipeline} and its label (label = "Stage {stage.pipeline}: …").'
            )
    return Catalogue(name=name, pipeline=pipeline, **lists)


def _pipeline(raw: Any, source: str) -> tuple[Entry, ...]:
    """The employability pipeline's stages as [[pipeline]] names them: each a number from 1 to 5
    given once, with a label."""
    place = f"[[pipeline]] in the catalogue {source}"
    if not isinstance(raw, list):
        raise ValidationError(f"Write {place} as entries, each with a number and a label.")
    found: dict[int, Entry] = {}
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not _words(item.get("label")):
            raise ValidationError(
                f"Entry {n} of {place} needs both a number and a label "
                '(number = 1, label = "Stage 1: Engagement").'
            )
        for field in item:
            if field not in ("number", "label"):
                raise _unknown(
                    field, ("number", "label"), f"Entry {n} of {place}", "an entry there"
                )
        number = _stage_number(item.get("number"), f"numbered in {place}")
        if number in found:
            raise ValidationError(f"The pipeline stage {number} appears twice in {place}.")
        label = str(item["label"])
        _checked_label(label, str(number), place)
        found[number] = Entry(str(number), label, number)
    return tuple(found.values())


def load_catalogue(path: Path) -> Catalogue:
    """Read a catalogue file; a missing or unreadable file gets a clear message."""
    return parse_catalogue(read_text(path, "the catalogue", "is"), str(path))
