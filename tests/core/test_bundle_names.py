"""The name a journey log (or a plan) is offered under: the laptop's or keyworker's (the
parent's) name in its own letters, whatever the script, and the day; a name every system
takes; and never the name of a file already there (a bundle is never written over)."""

from __future__ import annotations

import tempfile
import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.core.file_names import bundle_name, name_part
from journeyapp.plans.documents import safe_file_name

DAY = date(2026, 12, 5)


def test_named_after_the_laptop_and_the_day(tmp_path: Path) -> None:
    assert (
        bundle_name("Aileen's laptop", DAY, tmp_path) == tmp_path / "aileens-laptop-2026-12-05.jlb"
    )
    assert bundle_name("Siobhán Ó Briain", DAY, tmp_path).name == "siobhan-o-briain-2026-12-05.jlb"
    assert bundle_name("", DAY, tmp_path).name == "journey-log-2026-12-05.jlb"
    assert bundle_name("Юлія", DAY, tmp_path).name == "юлія-2026-12-05.jlb"


def test_names_in_every_script_keep_their_letters(tmp_path: Path) -> None:
    """Arabic, Chinese and Ukrainian names were dropped ("journey-log-2026-12-05.jlb" for
    each, so two laptops' bundles shared a name); they are kept, as Latin ones are."""
    assert bundle_name("Олена Коваль", DAY, tmp_path).name == "олена-коваль-2026-12-05.jlb"
    assert bundle_name("فاطمة الزهراء", DAY, tmp_path).name == "فاطمة-الزهراء-2026-12-05.jlb"
    assert bundle_name("王芳的电脑", DAY, tmp_path).name == "王芳的电脑-2026-12-05.jlb"
    assert safe_file_name("王芳", "1a2b3c4d-5e") == "plan-王芳-1a2b3c4d.pdf"
    assert safe_file_name("Łucja Øvergaard", "1a2b3c4d") == "plan-lucja-overgaard-1a2b3c4d.pdf"
    # A name with no letter or digit (emoji) is told apart from another by a fingerprint.
    assert name_part("🙂", "journey-log") != name_part("🌻", "journey-log")
    assert name_part("🙂", "journey-log").startswith("journey-log-")


# Names as people write them: words of one script each, with spaces, apostrophes, hyphens.
SCRIPTS = {
    "cyrillic": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВГҐДЕЄЖЗИІЇЙКЛМНОП",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "chinese": "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗芳娜敏静丽",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔ",
    "latin": "abcdefghijklmnopqrstuvwxyz",
}
WORD = st.sampled_from(list(SCRIPTS.values())).flatmap(
    lambda letters: st.text(alphabet=letters, min_size=1, max_size=8)
)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=4))
def test_a_name_of_letters_keeps_every_letter(words: list[str]) -> None:
    name = " ".join(words)
    part = name_part(name, "journey-log")
    expected = "-".join(w.lower() for w in words)
    if len(expected) <= 40:
        assert part == expected
    else:
        assert expected.startswith(part)
    # Two different names of letters are two different files (case aside).
    other = name + "ж"
    assert name_part(other, "journey-log") != part or len(expected) >= 40


WINDOWS_REFUSES = set('<>:"/\\|?*')


def test_a_second_bundle_that_day_gets_a_name_of_its_own(tmp_path: Path) -> None:
    first = bundle_name("Ben", DAY, tmp_path)
    first.write_bytes(b"sent")
    second = bundle_name("Ben", DAY, tmp_path)
    assert second.name == "ben-2026-12-05-2.jlb"
    second.write_bytes(b"sent")
    assert bundle_name("Ben", DAY, tmp_path).name == "ben-2026-12-05-3.jlb"


@settings(max_examples=200, deadline=None)
@given(who=st.text(max_size=80), taken=st.integers(min_value=0, max_value=3))
def test_any_name_gives_a_plain_new_file_in_the_folder(who: str, taken: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        made = [bundle_name(who, DAY, where) for _ in range(taken)]
        for path in made:
            path.write_bytes(b"")
        offered = bundle_name(who, DAY, where)
        assert offered.parent == where
        assert not offered.exists()
        name = offered.name
        assert name.endswith(".jlb")
        assert unicodedata.is_normalized("NFC", name)
        assert not WINDOWS_REFUSES & set(name)
        assert all(unicodedata.category(ch)[0] in "LNM" or ch in "-." for ch in name), name
        assert not name.startswith(("-", "."))
        assert "--" not in name
        assert len(name.encode()) <= 255
        offered.write_bytes(b"")  # this system makes it, under that name
        assert offered.exists()
