"""Lazily compiled patterns behave as the real ones for every use the libraries make of them,
and the swap of re.compile is confined to the libraries' imports (issue 18)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from journeyapp.core.lazy_patterns import LazyPattern, lazy_compiles

ROOT = Path(__file__).resolve().parents[2]

# Patterns of the kinds the libraries compile lazily: a URL matcher with wide Unicode ranges
# and IGNORECASE (reportlab), a verbose multi-line parser (sqlite-utils), a Unicode splitter.
PATTERNS: list[tuple[str, int]] = [
    (
        r"(^(?:[a-z0-9\.\-\+]*)://)(?:\S+(?::\S*)?@)?([a-z\xa1-\uffff0-9-]{1,63})(?:[/?#]\S*)?\Z",
        re.I,
    ),
    (
        r"""^\s*CREATE\s+VIRTUAL\s+TABLE\s+
        ("(?P<dquoted>[^"]*(?:""[^"]*)*)"|(?P<identifier>[A-Za-z_][A-Za-z_0-9\$]*))
        \s+(IF\s+NOT\s+EXISTS\s+)?USING\s+(?P<using>\w+)""",
        re.VERBOSE | re.IGNORECASE,
    ),
    ("([\u2e80-\uffff])", re.UNICODE),
    (r"\s+|(\".*?\")", 0),
]
TEXT = st.one_of(
    st.text(),
    st.sampled_from(["http://example.org/a?b", 'CREATE VIRTUAL TABLE "x" USING fts5', "a 日本 b"]),
    st.builds(
        lambda a, b: a + b,
        st.sampled_from(["https://", "create virtual table t using ", '"q" ', ""]),
        st.text(),
    ),
)


def _same(lazy: object, real: object) -> None:
    """Two results of a pattern method are alike: match objects by their groups and span."""
    if isinstance(real, re.Match):
        assert isinstance(lazy, re.Match)
        assert (lazy.groups(), lazy.span(), lazy.groupdict()) == (
            real.groups(),
            real.span(),
            real.groupdict(),
        )
    elif isinstance(real, list) and real and isinstance(real[0], re.Match):
        assert isinstance(lazy, list)
        for one, other in zip(lazy, real, strict=True):
            _same(one, other)
    else:
        assert lazy == real


@given(which=st.integers(0, len(PATTERNS) - 1), text=TEXT)
def test_a_lazy_pattern_answers_as_the_real_one(which: int, text: str) -> None:
    source, flags = PATTERNS[which]
    lazy, real = LazyPattern(source, flags), re.compile(source, flags)
    _same(lazy.match(text), real.match(text))
    _same(lazy.search(text), real.search(text))
    _same(lazy.fullmatch(text), real.fullmatch(text))
    assert lazy.split(text) == real.split(text)
    assert lazy.findall(text) == real.findall(text)
    _same(list(lazy.finditer(text)), list(real.finditer(text)))
    assert lazy.sub("-", text) == real.sub("-", text)
    assert lazy.subn("-", text) == real.subn("-", text)
    _same(lazy.match(text, 1), real.match(text, 1))  # with a position, as reportlab calls it


def test_attributes_and_bound_methods_are_the_real_patterns() -> None:
    lazy = LazyPattern(r"(?P<word>\w+)\s", re.I)
    real = re.compile(r"(?P<word>\w+)\s", re.I)
    assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == (
        real.pattern,
        real.flags,
        real.groups,
        real.groupindex,
    )
    split = LazyPattern(r"[ \t]+").split  # reportlab keeps a bound method at import
    assert split("a \t b  c") == ["a", "b", "c"]


def test_a_bad_pattern_fails_when_first_used_with_the_usual_error() -> None:
    lazy = LazyPattern("(unclosed")
    try:
        lazy.match("x")
    except re.error:
        pass
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("re.error expected")


def test_only_the_named_modules_top_level_patterns_are_lazy() -> None:
    names = {"__name__": "some.library"}
    code = compile(
        "import re\n"
        "top = re.compile('a+')\n"
        "def later():\n    return re.compile('b+')\n"
        "inside = later()\n",
        "<library>",
        "exec",
    )
    with lazy_compiles(frozenset({"some.library"})):
        exec(code, names)
        elsewhere = re.compile("c+")
    assert isinstance(names["top"], LazyPattern)
    assert isinstance(names["inside"], re.Pattern)  # compiled inside a function: at once
    assert isinstance(elsewhere, re.Pattern)
    assert isinstance(re.compile("d+"), re.Pattern)  # the swap ended with the block


def test_the_libraries_patterns_are_lazy_and_still_work() -> None:
    """In a fresh process: after sqlite-utils (loaded as the store loads it to migrate) and the
    plans are imported, re.compile is itself again; sqlite-utils still finds an FTS table's
    module and reportlab wraps a long link."""
    script = """
import re, sqlite3
real = re.compile
import journeyapp.store, journeyapp.plans, sys
journeyapp.store.load_sqlite_utils()  # as a migration loads it
from journeyapp.core.lazy_patterns import LazyPattern
assert re.compile is real
assert isinstance(sys.modules["sqlite_utils.db"]._virtual_table_using_re, LazyPattern)
assert isinstance(sys.modules["reportlab.platypus.paragraph"].uri_pat, LazyPattern)
import sqlite_utils
db = sqlite_utils.Database(sqlite3.connect(":memory:"))
db.execute("CREATE VIRTUAL TABLE notes USING fts5(body)")
assert db["notes"].virtual_table_using == "FTS5"
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, uriWasteReduce=0.3)
link = "https://www.example.org/" + "a-long-path/" * 20
lines = Paragraph("See " + link + " today", style).wrap(200, 800)
uri_pat = sys.modules["reportlab.platypus.paragraph"].uri_pat
print(lines[1] > 20, "_compiled" in vars(uri_pat))  # wrapped on several lines, through uri_pat
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True True"
