"""A partnership's own catalogue: any that keeps the rules is read as written (labels in any
script, with accents and apostrophes, lists in their own order); any that breaks one is refused
in one line naming the file and what to put right, never read wrong (a typing slip ignored, two
entries an import could not tell apart). Generated catalogues, written to real files."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journeyapp.core.catalogue import _LISTS, _norm, load_catalogue
from journeyapp.core.errors import ValidationError
from tests.catalogues import DEFAULT

FILES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
# Labels as partnerships write them: accents, apostrophes, long, other scripts, punctuation.
LABELS = st.one_of(
    st.sampled_from(
        [
            "Café club (Tuesdays)",
            "Parent's drop-in",
            "Łódź & Kraków",
            "Київ",
            "مجموعة الأمهات",
            "Fàilte — Gàidhlig",
            'Say "hello"',
            "Trying things out — courses, volunteering, work tasters and whatever else feels "
            "right for me just now",
        ]
    ),
    st.text(
        st.characters(categories=("L", "N", "Zs", "P", "S"), exclude_characters="\\"),
        min_size=1,
        max_size=60,
    ).filter(lambda t: t.strip() and any(c.isalnum() for c in t)),
)


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, list[tuple[str, str]]]:
    """Each list's (key, label) entries, no two of a list reading the same."""
    made: dict[str, list[tuple[str, str]]] = {}
    for list_name in _LISTS:
        entries: list[tuple[str, str]] = []
        seen: dict[str, str] = {}
        for key, label in draw(st.lists(st.tuples(KEYS, LABELS), min_size=1, max_size=6)):
            words = {_norm(key), _norm(label)}
            if any(seen.get(w, key) != key for w in words) or key in dict(entries):
                continue
            seen.update(dict.fromkeys(words, key))
            entries.append((key, label))
        made[list_name] = entries
    return made


def quoted(text: str) -> str:
    """`text` as a TOML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_text(
    lists: dict[str, list[tuple[str, str]]], name: str = "Ours", job: str | None = None
) -> str:
    """The catalogue of `lists` as a file gives it; `job`: the milestone type marked as
    starting work."""
    lines = [f"name = {quoted(name)}", "[[pipeline]]", "number = 2", 'label = "Stage 2"']
    for list_name, entries in lists.items():
        for key, label in entries:
            lines += [f"[[{list_name}]]", f"key = {quoted(key)}", f"label = {quoted(label)}"]
            if list_name == "stages":
                lines.append("pipeline = 2")
            if list_name == "milestone_types" and key == job:
                lines.append("job_entry = true")
    return "\n".join(lines) + "\n"


def refusal(data: bytes) -> str:
    """The one-line message a catalogue file holding `data` is refused with."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "ours.toml"
        path.write_bytes(data)
        with pytest.raises(ValidationError) as caught:
            load_catalogue(path)
        message = caught.value.message
        assert str(path) in message, message
    assert "\n" not in message
    assert "Traceback" not in message
    return message


@FILES
@given(lists=catalogues(), bom=st.booleans())
def test_a_catalogue_that_keeps_the_rules_is_read_as_written(
    lists: dict[str, list[tuple[str, str]]], bom: bool
) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "ours.toml"
        # Notepad saves UTF-8 with a byte-order mark: no part of the text.
        path.write_bytes(("\ufeff" if bom else "").encode() + toml_text(lists).encode())
        catalogue = load_catalogue(path)
    assert catalogue.name == "Ours"
    for list_name, entries in lists.items():
        assert [(e.key, e.label) for e in getattr(catalogue, list_name)] == entries
        # Every entry is found by its key and by its label, as an import looks it up.
        for key, label in entries:
            assert catalogue.find_key(list_name, label) == key
            assert catalogue.find_key(list_name, key) == key


def _entry(lists: dict[str, list[tuple[str, str]]], list_name: str) -> tuple[str, str]:
    return lists[list_name][0]


# (name, what it does to a valid catalogue's text, words the refusal must have)
FAULTS = [
    ("toml syntax", lambda t, k, lab: t.replace("[[services]]", "[[services]", 1), "line"),
    ("capitals", lambda t, k, lab: t.replace(f'key = "{k}"', f'key = "{k.upper()}X"', 1), "key"),
    ("space", lambda t, k, lab: t.replace(f'key = "{k}"', f'key = "{k} x"', 1), "no spaces"),
    ("blank label", lambda t, k, lab: re.sub(r'label = ".*"', 'label = "  "', t, count=1), "label"),
    (
        "label line break",
        lambda t, k, lab: re.sub(r'label = "', 'label = "a\\n', t, count=1),
        "line",
    ),
    ("duplicate key", lambda t, k, lab: t + f'[[stages]]\nkey = "{k}"\nlabel = "Zz 9"\n', "twice"),
    (
        "same label",
        lambda t, k, lab: t + f'[[stages]]\nkey = "zz9"\nlabel = {quoted(lab)}\n',
        "same",
    ),
    ("section typo", lambda t, k, lab: t.replace("[[partners]]", "[[partner]]"), "partners"),
    ("field typo", lambda t, k, lab: t.replace("pipeline = 2", "pipline = 2", 1), "pipeline"),
    (
        "no stages",
        lambda t, k, lab: re.sub(r"\[\[stages\]\]\n(.*\n){3}", "", t),
        "[[stages]]",
    ),
    (
        "empty stages",
        lambda t, k, lab: "stages = []\n" + re.sub(r"\[\[stages\]\]\n(.*\n){3}", "", t),
        "[[stages]]",
    ),
    ("pipeline 6", lambda t, k, lab: t.replace("pipeline = 2", "pipeline = 6", 1), "1 to 5"),
    (
        "job entry text",
        lambda t, k, lab: t.replace(
            "[[milestone_types]]\n", '[[milestone_types]]\njob_entry = "yes"\n', 1
        ),
        "job_entry = true",
    ),
]


@FILES
@given(lists=catalogues(), fault=st.sampled_from(FAULTS))
def test_a_catalogue_that_breaks_a_rule_is_refused_in_one_line_naming_the_file(
    lists: dict[str, list[tuple[str, str]]], fault: tuple[str, object, str]
) -> None:
    _name, change, words = fault
    key, label = _entry(lists, "stages")
    assume(key != "zz9" and _norm(label) != "zz9")
    text = change(toml_text(lists), key, label)  # type: ignore[operator]
    assert text != toml_text(lists)
    message = refusal(text.encode("utf-8"))
    assert words in message, message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (DEFAULT.encode("latin-1", "replace").replace(b"Fife", b"F\xecfe"), "not UTF-8"),
        (b"", "has no [[stages]] entries"),
        (DEFAULT.replace("number = 5", "number = 4").encode(), "appears twice"),
        (DEFAULT.replace('label = "Stage 5: In-work support"\n', "").encode(), "number and a"),
        (DEFAULT.replace('name = "', 'name = 5\n# "').encode(), "partnership's name"),
        (DEFAULT.replace('high = "I feel sure', 'high = 3\n# "').encode(), "low and high"),
        (
            (
                DEFAULT.split("# Scotland")[0]
                + DEFAULT.split('label = "Stage 5: In-work support"\n')[1]
            ).encode(),
            "add one with number = 1",
        ),
    ],
    ids=["not utf-8", "empty", "pipeline twice", "pipeline label", "name", "high", "no pipeline"],
)
def test_more_broken_catalogues_are_refused_saying_what_to_fix(data: bytes, words: str) -> None:
    assert words in refusal(data)


def test_the_default_catalogue_keeps_the_rules() -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "default.toml"
        path.write_text(DEFAULT, encoding="utf-8")
        assert load_catalogue(path).keys("stages")[0] == "getting_started"
