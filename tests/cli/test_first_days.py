"""A new partnership's first days from a fresh install, on the command line as the README tells
it, with no demo: the coordinator puts the partnership's own catalogue in place by putting a
file in each laptop's data folder (no variable to set: a program started from the desktop's
menu sees none), makes a caseload, enrols three keyworkers' laptops both ways, each keyworker
adds their first parents and sends a bundle, and the coordinator merges the three and reports.
Real commands, real encrypted caseloads and bundles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.catalogue import parse_catalogue
from journeyapp.core.documents.sender import Sender
from tests.catalogues import DEFAULT
from tests.clock import real_days_ago

# The partnership's own: its name, a locality, a service and a milestone type of its own.
TAYSIDE = (
    DEFAULT.replace('name = "Making It Work (default catalogue)"', 'name = "Tayside Parents"')
    .replace('key = "edinburgh"\nlabel = "Edinburgh"', 'key = "dundee"\nlabel = "Dundee"')
    .replace(
        '[[milestone_types]]\nkey = "first_meeting"',
        '[[milestone_types]]\nkey = "came_to_cafe"\nlabel = "Came to the cafe"\n'
        '[[milestone_types]]\nkey = "first_meeting"',
    )
)
KEYWORKERS = ("Aileen", "Ben", "Chloe")
BUNDLE_PASSPHRASE = "winter harbour lantern otter"


def passphrase(who: str) -> str:
    return f"{who.lower()} keeps this caseload safe 7"


class Partnership:
    """Each person's laptop: its own data folder (where the catalogue goes) and caseload."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.runner = CliRunner()
        for variable in (paths.CATALOGUE_ENV, paths.CODES_ENV, paths.PASSPHRASE_ENV, paths.DB_ENV):
            monkeypatch.delenv(variable, raising=False)

    def data_home(self, who: str) -> Path:
        return self.root / who / "data"

    def caseload(self, who: str) -> Path:
        return self.data_home(who) / paths.APP_NAME / "caseload.db"

    def prepare(self, who: str) -> None:
        """The coordinator copies the partnership's catalogue into the laptop's data folder."""
        folder = self.data_home(who) / paths.APP_NAME
        folder.mkdir(parents=True)
        (folder / paths.CATALOGUE_FILE).write_text(TAYSIDE, encoding="utf-8")

    def run(self, who: str, *args: str) -> Result:
        env = {
            "XDG_DATA_HOME": str(self.data_home(who)),
            paths.PASSPHRASE_ENV: passphrase(who),
            paths.BUNDLE_PASSPHRASE_ENV: BUNDLE_PASSPHRASE,
        }
        result = self.runner.invoke(cli, [args[0], *args[1:]], env=env)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
        return result

    def code(self, who: str) -> str:
        said = self.run(who, "devices", "--code").output
        return said.split("Enrolment code for this laptop: ", 1)[1].split()[0]


@pytest.fixture
def partnership(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Partnership:
    return Partnership(tmp_path, monkeypatch)


def test_a_catalogue_in_the_data_folder_is_the_partnerships_without_a_variable(
    partnership: Partnership,
) -> None:
    partnership.prepare("coordinator")
    made = " ".join(partnership.run("coordinator", "new").output.split())
    # `new` says which catalogue the laptop uses, and what comes next.
    ours = partnership.data_home("coordinator") / paths.APP_NAME / paths.CATALOGUE_FILE
    assert f"milestone types: “Tayside Parents”, from {ours}." in made
    assert "Next: put who the plans are from in File > Settings" in made
    assert "journeyapp parent --new" in made  # enrolling there too, since the parent command
    report = partnership.run("coordinator", "report").output
    assert report.startswith("Programme report — Tayside Parents")
    assert "Dundee" in report
    assert "Edinburgh" not in report
    assert "Came to the cafe" in report
    # --help says where to put it.
    helped = partnership.run("coordinator", "--help").output
    assert paths.CATALOGUE_FILE in " ".join(helped.split())


def test_the_catalogue_a_variable_names_comes_before_the_data_folders(
    partnership: Partnership, monkeypatch: pytest.MonkeyPatch
) -> None:
    partnership.prepare("coordinator")
    monkeypatch.setenv("XDG_DATA_HOME", str(partnership.data_home("coordinator")))
    assert paths.catalogue_path() == paths.data_dir() / paths.CATALOGUE_FILE
    other = partnership.root / "other.toml"
    other.write_text(DEFAULT, encoding="utf-8")
    monkeypatch.setenv(paths.CATALOGUE_ENV, str(other))
    assert paths.catalogue_path() == other
    # Codes are found the same way; with none in the data folder, the bundled ones.
    assert paths.codes_path() == paths.resource(paths.CODES_FILE)
    (paths.data_dir() / paths.CODES_FILE).write_text("", encoding="utf-8")
    assert paths.codes_path() == paths.data_dir() / paths.CODES_FILE


def test_a_broken_catalogue_in_the_data_folder_is_refused_naming_it(
    partnership: Partnership,
) -> None:
    partnership.prepare("coordinator")
    ours = partnership.data_home("coordinator") / paths.APP_NAME / paths.CATALOGUE_FILE
    ours.write_text(TAYSIDE.replace("[[services]]", "[[servces]]"), encoding="utf-8")
    result = partnership.runner.invoke(
        cli,
        ["new"],
        env={
            "XDG_DATA_HOME": str(partnership.data_home("coordinator")),
            paths.PASSPHRASE_ENV: passphrase("coordinator"),
        },
    )
    assert result.exit_code == 1
    assert str(ours) in " ".join(result.output.split())
    assert "did you mean services?" in result.output
    assert not partnership.caseload("coordinator").exists()


def test_three_laptops_to_a_first_report(partnership: Partnership, tmp_path: Path) -> None:
    partnership.prepare("coordinator")
    partnership.run("coordinator", "new")
    for name in KEYWORKERS:
        partnership.prepare(name)
        partnership.run(name, "new")
        partnership.run("coordinator", "devices", "--enrol", partnership.code(name), "--name", name)
        partnership.run(name, "devices", "--enrol", partnership.code("coordinator"), "--name", "Us")
    listed = partnership.run("coordinator", "devices").output
    assert all(name in listed for name in KEYWORKERS)

    bundles = []
    for number, name in enumerate(KEYWORKERS):
        parents = tmp_path / f"{name}.csv"
        joined = real_days_ago(3 - number).isoformat()
        parents.write_text(
            "ref,preferred_name,locality,joined_on,keyworker\n"
            f"{name[0]}1,First of {name},Dundee,{joined},{name}\n"
            f"{name[0]}2,Second of {name},dundee,{joined},{name}\n",
            encoding="utf-8",
        )
        partnership.run(name, "import", str(parents))
        partnership.run(name, "plans", "--out", str(tmp_path / f"{name}-plans"))
        assert len(list((tmp_path / f"{name}-plans").iterdir())) == 2
        bundle = tmp_path / f"{name}.jlb"
        sent = " ".join(partnership.run(name, "bundle", "--out", str(bundle)).output.split())
        assert "Give the file to your coordinator" in sent  # and what comes next
        assert "never with the file" in sent
        bundles.append(str(bundle))

    merged = partnership.run("coordinator", "merge", *bundles).output
    assert "not vouched" not in merged  # every laptop enrolled: nothing waits
    assert "0 edits need a decision" in merged
    report = partnership.run("coordinator", "report", "--exact").output
    assert "Parents reached: 6" in report
    assert "(not in this partnership's list)" not in report  # every laptop used the partnership's
    for name in KEYWORKERS:
        assert f"  {name} " in report
    assert os.path.getsize(partnership.caseload("coordinator")) > 0


def test_a_bundle_from_a_laptop_not_enrolled_yet_is_named_with_how_to_enrol_it(
    partnership: Partnership, tmp_path: Path
) -> None:
    for who in ("coordinator", "Aileen", "Ben"):
        partnership.prepare(who)
        partnership.run(who, "new")
    # Ben's laptop is enrolled; Aileen's was forgotten.
    partnership.run("coordinator", "devices", "--enrol", partnership.code("Ben"), "--name", "Ben")
    bundles = []
    for name in ("Aileen", "Ben"):
        parents = tmp_path / f"{name}.csv"
        parents.write_text(
            "ref,preferred_name,locality,joined_on\n"
            f"{name[0]}1,Parent of {name},Dundee,{real_days_ago(2).isoformat()}\n",
            encoding="utf-8",
        )
        partnership.run(name, "import", str(parents))
        bundle = tmp_path / f"{name.lower()}.jlb"
        partnership.run(name, "bundle", "--out", str(bundle))
        bundles.append(str(bundle))
    aileen_id = partnership.code("Aileen").split(".")[0]
    merged = " ".join(partnership.run("coordinator", "merge", *bundles).output.split())
    assert (
        f"aileen.jlb (laptop {aileen_id[:8]}) was written on a laptop not enrolled here" in merged
    )
    assert "ben.jlb" not in merged
    assert "journeyapp devices --enrol CODE --name NAME" in merged
    # Once enrolled, its next bundle is trusted and nothing more is said.
    partnership.run("coordinator", "devices", "--enrol", partnership.code("Aileen"), "--name", "A")
    partnership.run(
        "Aileen", "contact", "Parent of Aileen", "--log", "--on", real_days_ago(1).isoformat()
    )
    later = tmp_path / "aileen-later.jlb"
    partnership.run("Aileen", "bundle", "--out", str(later))
    again = partnership.run("coordinator", "import", str(later)).output
    assert "not enrolled" not in again
    assert "1 new" in again


def test_the_first_minutes_on_the_command_line_say_what_to_do_next(
    partnership: Partnership, tmp_path: Path
) -> None:
    # No catalogue put in place: the default, and where a partnership's own goes.
    made = " ".join(partnership.run("Ben", "new", "--db", str(tmp_path / "ben.db")).output.split())
    assert "“Making It Work (default catalogue)”, the default" in made
    folder = partnership.data_home("Ben") / paths.APP_NAME
    assert f"A partnership's own goes in {folder / paths.CATALOGUE_FILE} on every laptop" in made
    partnership.prepare("Aileen")
    partnership.run("Aileen", "new")
    words = " ".join(partnership.run("Aileen", "devices").output.split())
    assert "No other laptop is enrolled here yet" in words
    assert "journeyapp devices --enrol CODE --name NAME" in words
    # Printing plans before any parent is enrolled: refused, saying how to enrol one.
    refused = partnership.runner.invoke(
        cli,
        ["plans", "--out", str(tmp_path / "plans")],
        env={
            "XDG_DATA_HOME": str(partnership.data_home("Aileen")),
            paths.PASSPHRASE_ENV: passphrase("Aileen"),
        },
    )
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert "There are no parents in this caseload yet" in said
    assert "Parent > New parent, Ctrl+N" in said
    assert not (tmp_path / "plans").exists()
    # A first plan, before File > Settings has a phone number: the note says where it goes.
    parents = tmp_path / "parents.csv"
    parents.write_text(
        f"ref,preferred_name,locality,joined_on\nA1,Siobhán,Dundee,{real_days_ago(1)}\n",
        encoding="utf-8",
    )
    partnership.run("Aileen", "import", str(parents))
    first = partnership.run("Aileen", "plan", "Siobhán", "--out", str(tmp_path / "first.pdf"))
    assert "File > Settings" in first.output
    assert "--contact" in first.output
    batch = partnership.run("Aileen", "plans", "--out", str(tmp_path / "all"))
    assert "File > Settings" in batch.output
    # With a number to call, nothing more is said.
    given = partnership.run(
        "Aileen", "plan", "Siobhán", "--out", str(tmp_path / "given.pdf"), "--contact", "07700"
    )
    assert "File > Settings" not in given.output
    caseload = Caseload.open(
        partnership.caseload("Aileen"), passphrase("Aileen"), catalogue=parse_catalogue(TAYSIDE)
    )
    try:  # as File > Settings saves it
        caseload.settings.set_sender(Sender(keyworker="Aileen", phone="01382 000000"))
    finally:
        caseload.close()
    set_up = partnership.run("Aileen", "plan", "Siobhán", "--out", str(tmp_path / "set.pdf"))
    assert "File > Settings" not in set_up.output


def test_a_new_caseloads_report_says_to_merge_first(
    partnership: Partnership, tmp_path: Path
) -> None:
    partnership.prepare("coordinator")
    partnership.run("coordinator", "new")
    shown = partnership.run("coordinator", "report")
    assert "Parents reached: 0" in shown.stdout
    # A list with no rows says so, as the PDF and the window do (it was a bare title).
    assert "\nParents reached by keyworker\n  Nothing recorded yet.\n" in shown.stdout
    assert "No parents in this caseload yet" in shown.stderr
    assert "journeyapp merge" in " ".join(shown.stderr.split())
    written = partnership.run("coordinator", "report", "--out", str(tmp_path / "first.pdf"))
    assert "No parents in this caseload yet" in written.stderr
    # A period in which nobody came is an answer: nothing more is said.
    dated = partnership.run(
        "coordinator",
        "report",
        "--from",
        real_days_ago(30).isoformat(),
        "--to",
        real_days_ago(1).isoformat(),
    )
    assert "No parents in this caseload yet" not in dated.stderr


def test_a_bundle_from_a_laptop_left_with_another_catalogue_is_named(
    partnership: Partnership, tmp_path: Path
) -> None:
    """Ben's laptop was prepared with the partnership's catalogue; Aileen's was not (the
    default's): the coordinator hears which, and what to do, rather than finding her parents
    "(not in this partnership's list)" in the report later."""
    for who in ("coordinator", "Ben"):
        partnership.prepare(who)
    partnership.run("coordinator", "new")
    bundles = []
    for name, locality in (("Aileen", "Fife"), ("Ben", "Dundee")):
        partnership.run(name, "new")
        code = partnership.code(name)
        partnership.run("coordinator", "devices", "--enrol", code, "--name", name)
        parents = tmp_path / f"{name}.csv"
        parents.write_text(
            "ref,preferred_name,locality,joined_on\n"
            f"{name[0]}1,Parent of {name},{locality},{real_days_ago(2).isoformat()}\n",
            encoding="utf-8",
        )
        partnership.run(name, "import", str(parents))
        bundle = tmp_path / f"{name.lower()}.jlb"
        partnership.run(name, "bundle", "--out", str(bundle))
        bundles.append(str(bundle))
    merged = " ".join(partnership.run("coordinator", "merge", *bundles).output.split())
    assert (
        "aileen.jlb (“Making It Work (default catalogue)”) was written on a laptop using "
        "another catalogue" in merged
    )
    assert "than this caseload's (“Tayside Parents”)" in merged
    assert "ben.jlb" not in merged
    # Merged again (nothing new): nothing more is said.
    again = partnership.run("coordinator", "merge", bundles[0]).output
    assert "another catalogue" not in again


def test_an_import_naming_an_entry_of_another_catalogue_names_the_one_in_use(
    partnership: Partnership, tmp_path: Path
) -> None:
    """A keyworker's laptop not yet given the partnership's catalogue: importing its parents
    in Dundee is refused, and the message names the catalogue in use (the default)."""
    partnership.run("Chloe", "new")
    parents = tmp_path / "parents.csv"
    parents.write_text(
        f"ref,preferred_name,locality,joined_on\nC1,Aoife,Dundee,{real_days_ago(1)}\n",
        encoding="utf-8",
    )
    refused = partnership.runner.invoke(
        cli,
        ["import", str(parents)],
        env={
            "XDG_DATA_HOME": str(partnership.data_home("Chloe")),
            paths.PASSPHRASE_ENV: passphrase("Chloe"),
        },
    )
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert (
        "Locality 'Dundee' is not in the catalogue in use here (“Making It Work (default "
        "catalogue)”); use one of: Edinburgh" in said
    )
    assert "nothing was imported" in said
