"""resources/ is found from a checkout and ships inside the wheel (frozen builds: packaging/)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from journeyapp import paths

ROOT = Path(__file__).resolve().parent.parent


def test_resources_found_from_the_checkout() -> None:
    assert paths.resource("catalogue.toml").is_file()
    assert paths.resource("fonts/DejaVuSans.ttf").is_file()
    assert paths.resource("fonts/LICENSE-DejaVu.txt").is_file()


def test_default_database_and_catalogue_can_be_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("JOURNEYAPP_DB", str(tmp_path / "mine.db"))
    monkeypatch.setenv("JOURNEYAPP_CATALOGUE", str(tmp_path / "ours.toml"))
    assert paths.default_db_path() == tmp_path / "mine.db"
    assert paths.catalogue_path() == tmp_path / "ours.toml"
    monkeypatch.delenv("JOURNEYAPP_DB")
    assert paths.default_db_path().parent == paths.data_dir()


@pytest.mark.slow
def test_wheel_carries_the_resources(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="hatchling builds the wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("journeyapp-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "journeyapp/_resources/catalogue.toml" in names
    assert "journeyapp/_resources/fonts/DejaVuSans.ttf" in names
    assert "journeyapp/cli/__init__.py" in names
