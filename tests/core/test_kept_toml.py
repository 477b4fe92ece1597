"""TOML parsed once per laptop and kept: the same data as tomllib's, no tomllib loaded for a text
kept before, errors as before, and a kept file that is damaged or not safely this user's is
ignored (core.kept_toml)."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from journeyapp import paths
from journeyapp.core import kept_toml
from journeyapp.core.catalogue import load_catalogue, parse_catalogue
from journeyapp.core.errors import ValidationError

ROOT = Path(__file__).resolve().parents[2]

# Reads the TOML file named second with the kept results in the folder named first; prints the
# data as JSON and whether tomllib had to be loaded.
SCRIPT = """
import json, sys
from pathlib import Path
from journeyapp.core import kept_toml
kept_toml.install(Path(sys.argv[1]))
data = kept_toml.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
print(json.dumps(data, sort_keys=True))
print("tomllib" in sys.modules)
"""


def _run(folder: Path, toml_file: Path) -> tuple[object, bool]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(folder), str(toml_file)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data, loaded = done.stdout.splitlines()
    return json.loads(data), loaded == "True"


def test_a_text_parsed_once_is_taken_from_the_kept_file_after(tmp_path: Path) -> None:
    catalogue = paths.catalogue_path()
    expected = json.loads(json.dumps(tomllib.loads(catalogue.read_text(encoding="utf-8"))))
    first = _run(tmp_path, catalogue)
    assert first == (expected, True)  # parsed, with tomllib
    assert kept_toml.kept_file(tmp_path).exists()
    assert _run(tmp_path, catalogue) == (expected, False)  # kept: tomllib not loaded
    other = tmp_path / "other.toml"
    other.write_text('name = "another"\n[[stages]]\nkey = "a"\nlabel = "A"\n', encoding="utf-8")
    assert _run(tmp_path, other) == (
        {"name": "another", "stages": [{"key": "a", "label": "A"}]},
        True,
    )
    assert _run(tmp_path, catalogue) == (expected, False)  # both kept


def test_kept_data_is_fresh_each_time_and_the_same_as_tomllibs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_toml, "_file", kept_toml.kept_file(tmp_path))
    monkeypatch.setattr(kept_toml, "_kept", {})
    monkeypatch.setattr(kept_toml, "_new", set())
    text = paths.catalogue_path().read_text(encoding="utf-8")
    first = kept_toml.loads(text)
    assert first == tomllib.loads(text)
    first["name"] = "changed by a caller"
    second = kept_toml.loads(text)
    assert second == tomllib.loads(text)  # a caller's change is not kept
    assert text in kept_toml._new
    kept_toml.keep()
    assert kept_toml._read(kept_toml.kept_file(tmp_path)).keys() == {text}
    assert parse_catalogue(text) == load_catalogue(paths.catalogue_path())


def test_dates_are_parsed_every_time_and_bad_toml_is_refused_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_toml, "_file", kept_toml.kept_file(tmp_path))
    monkeypatch.setattr(kept_toml, "_kept", {})
    monkeypatch.setattr(kept_toml, "_new", set())
    dated = "when = 2026-12-03\n"
    assert kept_toml.loads(dated) == tomllib.loads(dated)
    assert dated not in kept_toml._kept  # marshal cannot keep a date
    with pytest.raises(tomllib.TOMLDecodeError):
        kept_toml.loads("name = ")
    with pytest.raises(ValidationError, match=r"The catalogue x\.toml is not valid TOML: "):
        parse_catalogue("name = ", "x.toml")


def test_a_damaged_or_unsafe_kept_file_is_ignored(tmp_path: Path) -> None:
    catalogue = paths.catalogue_path()
    expected = json.loads(json.dumps(tomllib.loads(catalogue.read_text(encoding="utf-8"))))
    kept = kept_toml.kept_file(tmp_path)
    kept.write_bytes(b"not marshal at all")
    assert _run(tmp_path, catalogue) == (expected, True)
    # Someone else's data under the same text is not used when others can write the file.
    text = catalogue.read_text(encoding="utf-8")
    planted = marshal.dumps({text: marshal.dumps({"name": "planted"})})
    kept.write_bytes(planted)
    kept.chmod(0o666)
    assert _run(tmp_path, catalogue) == (expected, True)
    assert kept.stat().st_mode & 0o777 == 0o600  # replaced by what was parsed
    kept.write_bytes(planted)
    kept.chmod(0o600)
    assert _run(tmp_path, catalogue) == ({"name": "planted"}, False)  # the user's own file
