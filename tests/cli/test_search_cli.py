"""`journeyapp search`: the window's search box on the command line. The same one search finds
the same parents and places, the words that matched marked as the window's list shows them in
bold (between [ and ] when not on a terminal); a word written with two or more apostrophes or
hyphens is found typed without them, or with one (Hypothesis writes the words and the marks).
Real caseload file, the real command."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from journeyapp.cli import cli
from journeyapp.core.search import APOSTROPHES, HYPHENS, squeezed
from tests.cli.record_harness import caseload_at, pid_of
from tests.clock import real_days_ago


def _search(path: Path, *words: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["search", *words, "--db", str(path)])
    return done.exit_code, done.stdout


@pytest.fixture(scope="module")
def path() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        made = Path(name) / "caseload.db"
        with caseload_at(made) as c:
            pid = pid_of(c)
            c.log_contact(pid, on=real_days_ago(2), note="Met at O'Neill's café, then to her")
            c.add_goal(pid, "Stay at my mother-in-law’s flat less")
            c.add_strength(pid, "Feels self-employed-ish now")
        yield made


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("oneills", "Siobhán · contact: Met at [O'Neill's] café, then to her"),
        ("o'neills", "Siobhán · contact: Met at [O'Neill's] café, then to her"),
        ("motherinlaws", "Siobhán · goal: Stay at my [mother-in-law’s] flat less"),
        (
            "selfemployedish",
            "Siobhán · strength or thing in the way: Feels [self-employed-ish] now",
        ),
        ("siob", "Parent: [Siob]hán"),
    ],
)
def test_search_finds_and_marks_as_the_window_does(path: Path, typed: str, line: str) -> None:
    code, out = _search(path, typed)
    assert code == 0, out
    assert any(shown.startswith(line) for shown in out.splitlines()), out


def test_nothing_found_or_nothing_to_look_for_is_said(path: Path) -> None:
    code, out = _search(path, "zzqx")
    assert (code, out) == (0, "Nothing found for 'zzqx'.\n")
    done = CliRunner().invoke(cli, ["search", "  ", "--db", str(path)])
    assert done.exit_code == 1
    assert "Give the words to look for" in done.output
    # A page pasted: refused in words, not "Unexpected error (… Expression tree is too large)".
    done = CliRunner().invoke(cli, ["search", "ab " * 20_000, "--db", str(path)])
    assert done.exit_code == 1
    assert "That is 20,000 words; search looks for at most 200 at a time" in done.output


@st.composite
def _marked_words(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the same word written with two or three marks between its letters."""
    word = draw(st.text(alphabet="abcdefgklmnoprstuwy", min_size=4, max_size=12))
    places = draw(
        st.lists(st.integers(1, len(word) - 1), min_size=2, max_size=3, unique=True).map(sorted)
    )
    marks = draw(st.lists(st.sampled_from(APOSTROPHES + HYPHENS), min_size=3, max_size=3))
    written = "".join(
        (marks[places.index(n)] if n in places else "") + ch for n, ch in enumerate(word)
    )
    return word, written


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pair=_marked_words(), one_kept=st.booleans())
def test_a_word_with_several_marks_is_found_and_marked_whole_on_the_command_line(
    tmp_path: Path, pair: tuple[str, str], one_kept: bool
) -> None:
    word, written = pair
    first = next(n for n, ch in enumerate(written) if ch in APOSTROPHES + HYPHENS)
    typed = written[: first + 1] + squeezed(written[first + 1 :]) if one_kept else word
    around = "we talked about {} then"
    assume(squeezed(word) not in squeezed(around))
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "caseload.db"
    with caseload_at(path) as c:
        c.log_contact(pid_of(c), on=real_days_ago(2), note=around.format(written))
    code, out = _search(path, typed)
    assert code == 0, out
    assert f"[{written}]" in out, (typed, out)
