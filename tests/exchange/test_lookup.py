"""The partnership's postcode lookup: read like an import, refused by line, all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.areas import Area, normalise_postcode
from journeyapp.exchange.lookup import import_lookup, read_lookup
from journeyapp.exchange.spreadsheet import ImportRefused

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "returns" / "fictional-simd.csv"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fictional_lookup_imports_with_its_title_row_and_urban_rural_scheme(
    caseload: Caseload,
) -> None:
    report = import_lookup(caseload, FIXTURE)
    assert report.ok, report.problems
    assert report.applied
    assert report.scheme == 6
    assert "line 2" in " ".join(report.notes)  # the title row above the headings
    held = caseload.areas.find(["ZZ1 2AB", "ZZ1 2AC", "ZZ4 1DB", "ZZ9 9ZZ"])
    assert held == {
        "ZZ1 2AB": Area("ZZ1 2AB", 2, 2),
        "ZZ1 2AC": Area("ZZ1 2AC", 2, 2),
        "ZZ4 1DB": Area("ZZ4 1DB", 5, 5),
    }
    info = caseload.areas.info()
    assert info.postcodes == 10
    assert info.urban_rural_scheme == 6
    assert "10 postcodes" in info.describe()


def test_a_malformed_file_is_refused_by_line_and_changes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    import_lookup(caseload, FIXTURE)
    bad = write(
        tmp_path / "bad.csv",
        "postcode,quintile\nZZ5 1AA,3\nnot a code,2\nZZ5 1AB,7\nZZ5 1AC,\n,4\nzz5 1aa,4\n",
    )
    report = import_lookup(caseload, bad)
    assert not report.applied
    lines = [str(p) for p in report.problems]
    assert lines[0].startswith("Line 3: 'not a code' is not a postcode")
    assert lines[1].startswith("Line 4: the SIMD quintile for ZZ5 1AB is '7'")
    assert "from 1 (most deprived) to 5 (least deprived)" in lines[1]
    assert lines[2].startswith("Line 5: the SIMD quintile for ZZ5 1AC is ''")
    assert lines[3].startswith("Line 6: the postcode is empty")
    assert lines[4] == (
        "Line 7: ZZ5 1AA is also on line 2 with another quintile or class; keep the right one."
    )
    assert "lookup was not changed" in report.summary()
    # The lookup held before is untouched.
    assert caseload.areas.info().postcodes == 10
    assert caseload.areas.find(["ZZ5 1AA"]) == {}


def test_files_that_are_not_lookups_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match="must name a postcode column and a SIMD quintile"):
        read_lookup(write(tmp_path / "a.csv", "ref,preferred_name\n1,Ann\n"))
    with pytest.raises(ImportRefused, match="more than one quintile column"):
        read_lookup(
            write(tmp_path / "b.csv", "postcode,income quintile,access quintile\nZZ1 1AA,1,2\n")
        )
    with pytest.raises(ImportRefused, match="no postcodes below them"):
        read_lookup(write(tmp_path / "c.csv", "postcode,quintile\n"))
    bad_class = read_lookup(write(tmp_path / "d.csv", "postcode,quintile,UR6\nZZ1 1AA,1,8\n"))
    assert str(bad_class.problems[0]).startswith("Line 2: urban/rural class 8 is not in the 6-fold")


def test_an_xlsx_lookup_on_a_second_sheet_reads_like_an_import(
    caseload: Caseload, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.append(["Notes about this file"])
    sheet = book.create_sheet("lookup")
    sheet.append(["Postcode", "SIMD2020v2_Quintile", "UrbanRural8Fold2020"])
    sheet.append(["ZZ7 1AA", 1, 7])
    sheet.append(["zz7  1ab", 4.0, None])
    path = tmp_path / "lookup.xlsx"
    book.save(path)
    report = import_lookup(caseload, path)
    assert report.ok, report.problems
    assert report.scheme == 8
    assert "sheet 'lookup', line 1" in " ".join(report.notes)
    assert caseload.areas.find(["ZZ7 1AA", "ZZ7 1AB"]) == {
        "ZZ7 1AA": Area("ZZ7 1AA", 1, 7),
        "ZZ7 1AB": Area("ZZ7 1AB", 4, None),
    }


def test_a_new_lookup_replaces_the_old_one_whole(caseload: Caseload, tmp_path: Path) -> None:
    import_lookup(caseload, FIXTURE)
    import_lookup(caseload, write(tmp_path / "new.csv", "Postcode,Quintile\nZZ8 1AA,2\n"))
    assert caseload.areas.info().postcodes == 1
    assert caseload.areas.info().urban_rural_scheme is None
    assert caseload.areas.find(["ZZ1 1AA"]) == {}


@given(
    area=st.sampled_from(["ZZ", "Z", "EH", "G"]),
    district=st.integers(1, 99),
    sector=st.integers(0, 9),
    unit=st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
    spaces=st.lists(st.sampled_from([" ", "  ", "\t", ""]), min_size=3, max_size=3),
    lower=st.booleans(),
)
def test_a_postcode_compares_the_same_however_it_is_written(
    area: str, district: int, sector: int, unit: str, spaces: list[str], lower: bool
) -> None:
    canonical = f"{area}{district} {sector}{unit}"
    typed = f"{spaces[0]}{area}{district}{spaces[1]}{sector}{unit}{spaces[2]}"
    if lower:
        typed = typed.lower()
    assert normalise_postcode(typed) == canonical
    assert normalise_postcode(canonical) == canonical


def test_the_lookup_command(tmp_path: Path) -> None:
    db = tmp_path / "coordinator.db"
    Caseload.open(db, create=True, plain=True).close()
    runner = CliRunner()
    shown = runner.invoke(cli, ["lookup", "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "No postcode lookup yet" in shown.output
    bad = write(tmp_path / "bad.csv", "postcode,quintile\nZZ1 1AA,0\n")
    refused = runner.invoke(cli, ["lookup", "--db", str(db), str(bad)])
    assert refused.exit_code == 1
    assert "Line 2: the SIMD quintile for ZZ1 1AA is '0'" in refused.output
    assert "Traceback" not in refused.output
    dry = runner.invoke(cli, ["lookup", "--db", str(db), str(FIXTURE), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "nothing was saved" in dry.output
    done = runner.invoke(cli, ["lookup", "--db", str(db), str(FIXTURE)])
    assert done.exit_code == 0, done.output
    assert "Imported the postcode lookup fictional-simd.csv: 10 postcodes" in done.output
    assert "10 postcodes" in runner.invoke(cli, ["lookup", "--db", str(db)]).output


def test_a_checked_file_is_used_as_checked_unless_it_changed(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "l.csv", "postcode,quintile\nZZ1 1AA,1\n")
    checked = import_lookup(caseload, path, dry_run=True)
    assert caseload.areas.info().postcodes == 0
    import journeyapp.exchange.lookup as lookup

    real = lookup.read_lookup
    monkeypatch.setattr(lookup, "read_lookup", lambda p: pytest.fail("read again"))
    assert import_lookup(caseload, path, checked=checked).applied
    assert caseload.areas.find(["ZZ1 1AA"])["ZZ1 1AA"].simd_quintile == 1
    monkeypatch.setattr(lookup, "read_lookup", real)
    write(path, "postcode,quintile\nZZ1 1AA,9\n")  # changed since it was checked
    again = import_lookup(caseload, path, checked=checked)
    assert not again.applied
    assert str(again.problems[0]).startswith("Line 2: the SIMD quintile for ZZ1 1AA is '9'")


def test_a_formula_with_no_saved_value_says_what_to_do(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Postcode", "Quintile"])
    book.active.append(["ZZ1 1AA", "=1+1"])  # openpyxl saves no value for it
    path = tmp_path / "f.xlsx"
    book.save(path)
    report = read_lookup(path)
    assert "A formula with no saved value reads as empty" in str(report.problems[0])


@given(cell=st.text(alphabet="0123456789²³¹⁴⁵⁶⁷⁸⁹₁①٣ .-x", min_size=1, max_size=3))
def test_any_urban_rural_cell_is_read_or_refused_by_line(cell: str) -> None:
    """An urban/rural class cell holding any digits is read as a class or refused by its line,
    never a failure ('²' is a digit int() cannot read: it raised ValueError)."""
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "u.csv", f"postcode,quintile,UR8\nZZ1 1AA,1,{cell}\n")
        lookup = read_lookup(path)
    if lookup.problems:
        assert str(lookup.problems[0]).startswith("Line 2:")
