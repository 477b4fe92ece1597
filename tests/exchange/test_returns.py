"""The funder's return: a partnership with known circumstances gives exactly the rows and cells
worked out by hand, for a quarter and the next one; nothing identifying goes out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from journeyapp.caseload import Caseload, default_codes
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose, ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.core.monitoring import PRIORITY_GROUPS
from journeyapp.core.returns import parse_quarter
from journeyapp.exchange.disclosure import solvable
from journeyapp.exchange.export import Pseudonyms
from journeyapp.exchange.lookup import import_lookup
from journeyapp.exchange.returns import (
    MEASURES,
    FunderReturn,
    Person,
    _tabulate,
    build_return,
    check_return,
    load_mapping,
)
from tests.clock import past, past_quarter, ticking_clock
from tests.exchange.audit import recovered

LOOKUP = Path(__file__).resolve().parents[1] / "fixtures" / "returns" / "fictional-simd.csv"
KEY = bytes(range(32))
Q3, Q4 = parse_quarter("2026Q3"), parse_quarter("2026Q4")
EQUALITIES = ConsentPurpose.EQUALITIES_MONITORING
CANARY = "Zebedee-Canary-Quill"


def on(c: Caseload, day: date) -> Caseload:
    """Set the caseload's clock to a day, as if the keyworker recorded things then."""
    c.clock = ticking_clock(day)
    return c


def partnership(c: Caseload, back: int = 0) -> dict[str, str]:
    """Seven parents with known circumstances around the third quarter of 2026, or of the year
    `back` years before (every day and year of birth moved with it)."""

    def day(year: int, month: int, number: int) -> date:
        return date(year - back, month, number)

    ids: dict[str, str] = {}

    def enrol(name: str, joined: date, **details: Any) -> str:
        ids[name] = (
            on(c, joined)
            .enrol_participant(
                name,
                "fife",
                joined,
                full_name=f"{name} {CANARY}",
                notes=CANARY,
                phone="07700 900123",
                **details,
            )
            .id
        )
        return ids[name]

    # Ann: started work in Q3, 13 weeks in Q4; a baby this year; a young mother.
    ann = enrol("Ann", day(2026, 5, 4), date_of_birth=day(2003, 2, 1))
    c.record_consent(ann, EQUALITIES, True, on=day(2026, 5, 4))
    c.set_equalities(ann, sex="female", ethnicity="white_scottish", disability="no")
    c.set_circumstances(
        ann,
        postcode="zz1 1aa",
        lone_parent="yes",
        employment_status="unemployed_looking",
        time_out_of_work="1_to_2_years",
        benefits=["universal_credit", "child_benefit"],
    )
    c.add_child(ann, 2026 - back, CANARY)
    c.add_child(ann, 2020 - back)
    work = on(c, day(2026, 9, 7)).record_milestone(
        ann, "started_work", achieved_on=day(2026, 9, 7), note=CANARY
    )
    c.add_job(
        ann,
        milestone_id=work.id,
        job_title=CANARY,
        note=CANARY,
        hours_per_week=16,
        contract_type="permanent",
        living_wage="yes",
        sector="retail",
    )
    # Bea: started in Q3, three children, no equalities consent, a course in Q3.
    bea = enrol("Bea", day(2026, 7, 15), date_of_birth=day(1990, 6, 1))
    c.set_circumstances(
        bea,
        postcode="ZZ31CA",
        lone_parent="yes",
        employment_status="not_working_not_looking",
        time_out_of_work="over_5_years",
    )
    for year in (2015, 2018, 2024):
        c.add_child(bea, year - back)
    on(c, day(2026, 8, 20)).record_milestone(bea, "started_course", achieved_on=day(2026, 8, 20))
    # Cat: in work since February (26 weeks in Q3), more hours in Q3; minority ethnic, disabled.
    cat = enrol("Cat", day(2026, 1, 12))
    c.record_consent(cat, EQUALITIES, True, on=day(2026, 1, 12))
    c.set_equalities(
        cat, sex="male", ethnicity="asian_pakistani", disability="yes_a_little", age_band="30_34"
    )
    c.set_circumstances(
        cat,
        postcode="ZZ9 9ZZ",
        lone_parent="yes",
        employment_status="employed",
        time_out_of_work="in_work",
    )
    c.add_child(cat, 2019 - back)
    on(c, day(2026, 8, 20)).add_job(
        cat,
        day(2026, 2, 2),
        hours_per_week=35,
        contract_type="fixed_term",
        living_wage="not_known",
        sector="care",
        progression="more_hours",
        progressed_on=day(2026, 8, 15),
    )
    # Dee: a job that ended before 13 weeks; a qualification; moved on in Q3.
    dee = enrol("Dee", day(2026, 3, 2), date_of_birth=day(1985, 5, 5))
    c.record_consent(dee, EQUALITIES, True, on=day(2026, 3, 2))
    c.set_equalities(dee, sex="female", ethnicity="white_polish", disability="prefer_not_to_say")
    c.set_circumstances(dee, postcode="ZZ2 1BB", lone_parent="yes")
    on(c, day(2026, 8, 1)).add_job(
        dee,
        day(2026, 6, 1),
        working_pattern="part_time",
        left_on=day(2026, 8, 1),
        leaving_reason="contract_ended",
    )
    on(c, day(2026, 7, 20)).record_milestone(
        dee, "gained_qualification", achieved_on=day(2026, 7, 20)
    )
    on(c, day(2026, 8, 28)).set_status(dee, ParticipantStatus.MOVED_ON)
    # Eve: joined after Q3.
    enrol("Eve", day(2026, 10, 5))
    # Fay: closed before Q3.
    fay = enrol("Fay", day(2025, 11, 3))
    on(c, day(2026, 6, 10)).set_status(fay, ParticipantStatus.CLOSED)
    # Gail: nothing answered; on a break she chose since September.
    gail = enrol("Gail", day(2026, 4, 1))
    on(c, day(2026, 9, 1)).pause(gail, on=day(2026, 9, 1), reason=CANARY)
    on(c, day(2026, 11, 28))
    return ids


@pytest.fixture
def made(tmp_path: Path) -> Iterator[tuple[Caseload, dict[str, str]]]:
    c = Caseload.open(tmp_path / "coordinator.db", create=True, plain=True)
    try:
        import_lookup(c, LOOKUP)
        ids = partnership(c)
        yield c, ids
    finally:
        c.close()


@pytest.fixture
def made_in_real_past(tmp_path: Path) -> Iterator[tuple[Caseload, dict[str, str]]]:
    """The `made` partnership moved back by whole leap cycles until its days are no later than
    the real today (tests.clock.in_real_past), for a command run for real to read."""
    c = Caseload.open(tmp_path / "coordinator.db", create=True, plain=True)
    try:
        import_lookup(c, LOOKUP)
        ids = partnership(c, back=2026 - past(2026, 1, 1).year)
        yield c, ids
    finally:
        c.close()


def nonzero(result: Any) -> dict[tuple[str, str, str], int]:
    return {cell: n for cell, n in result.counts.items() if n}


def test_the_quarter_gives_exactly_the_rows_worked_out_by_hand(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    c, ids = made
    result = build_return(c, Q3, key=KEY, today=date(2026, 11, 28))
    pseudonym = Pseudonyms(KEY)
    rows = {p.participant_id: p.values for p in result.people}
    assert set(rows) == {ids[n] for n in ("Ann", "Bea", "Cat", "Dee", "Gail")}
    blank_job = {
        "job_start_date": None,
        "job_entry_in_quarter": False,
        "job_hours": None,
        "job_full_time": None,
        "job_contract_type": "",
        "job_living_wage": "",
        "job_sector": "",
        "in_work_13_weeks": "",
        "in_work_26_weeks": "",
        "in_work_52_weeks": "",
        "job_left_on": None,
        "job_leaving_reason": "",
        "in_work_progression": "",
    }
    no_answers = {
        "sex": "",
        "gender_identity": "",
        "ethnicity": "",
        "disability": "",
        "disabled_child": "",
        "sexual_orientation": "",
        "care_experience": "",
    }
    expected = {
        "Ann": {
            "locality": "fife",
            "start_date": date(2026, 5, 4),
            "started_in_quarter": False,
            "age_band_at_start": "20_24",
            **no_answers,
            "sex": "female",
            "ethnicity": "white_scottish",
            "disability": "no",
            "equalities_consent": True,
            "lone_parent": "yes",
            "children": 2,
            "priority_lone_parent": True,
            "priority_three_or_more_children": False,
            "priority_youngest_under_one": True,
            "priority_disabled_parent_or_child": False,
            "priority_minority_ethnic": False,
            "priority_young_mother": True,
            "priority_groups": 3,
            "simd_quintile": 1,
            "urban_rural": 1,
            "employment_status_at_start": "unemployed_looking",
            "time_out_of_work_at_start": "1_to_2_years",
            "benefits_at_start": "universal_credit;child_benefit",
            "stage_at_end": "getting_started",
            "pipeline_stage": 1,
            "status_at_end": "active",
            "left_on": None,
            **blank_job,
            "job_start_date": date(2026, 9, 7),
            "job_entry_in_quarter": True,
            "job_hours": 16,
            "job_full_time": False,
            "job_contract_type": "permanent",
            "job_living_wage": "yes",
            "job_sector": "retail",
            "in_work_13_weeks": "not_yet",
            "in_work_26_weeks": "not_yet",
            "in_work_52_weeks": "not_yet",
            "education_or_training": False,
            "qualification": False,
            "volunteering": False,
        },
        "Bea": {
            "locality": "fife",
            "start_date": date(2026, 7, 15),
            "started_in_quarter": True,
            "age_band_at_start": "35_49",
            **no_answers,
            "equalities_consent": False,
            "lone_parent": "yes",
            "children": 3,
            "priority_lone_parent": True,
            "priority_three_or_more_children": True,
            "priority_youngest_under_one": False,
            "priority_disabled_parent_or_child": False,
            "priority_minority_ethnic": False,
            "priority_young_mother": False,
            "priority_groups": 2,
            "simd_quintile": 4,
            "urban_rural": 2,
            "employment_status_at_start": "not_working_not_looking",
            "time_out_of_work_at_start": "over_5_years",
            "benefits_at_start": "",
            "stage_at_end": "getting_started",
            "pipeline_stage": 1,
            "status_at_end": "active",
            "left_on": None,
            **blank_job,
            "education_or_training": True,
            "qualification": False,
            "volunteering": False,
        },
        "Cat": {
            "locality": "fife",
            "start_date": date(2026, 1, 12),
            "started_in_quarter": False,
            "age_band_at_start": "30_34",
            **no_answers,
            "sex": "male",
            "ethnicity": "asian_pakistani",
            "disability": "yes_a_little",
            "equalities_consent": True,
            "lone_parent": "yes",
            "children": 1,
            "priority_lone_parent": True,
            "priority_three_or_more_children": False,
            "priority_youngest_under_one": False,
            "priority_disabled_parent_or_child": True,
            "priority_minority_ethnic": True,
            "priority_young_mother": False,
            "priority_groups": 3,
            "simd_quintile": None,  # ZZ9 9ZZ is not in the lookup
            "urban_rural": None,
            "employment_status_at_start": "employed",
            "time_out_of_work_at_start": "in_work",
            "benefits_at_start": "",
            "stage_at_end": "getting_started",
            "pipeline_stage": 1,
            "status_at_end": "active",
            "left_on": None,
            **blank_job,
            "job_start_date": date(2026, 2, 2),
            "job_hours": 35,
            "job_full_time": True,
            "job_contract_type": "fixed_term",
            "job_living_wage": "not_known",
            "job_sector": "care",
            "in_work_13_weeks": True,
            "in_work_26_weeks": True,
            "in_work_52_weeks": "not_yet",
            "in_work_progression": "more_hours",
            "education_or_training": False,
            "qualification": False,
            "volunteering": False,
        },
        "Dee": {
            "locality": "fife",
            "start_date": date(2026, 3, 2),
            "started_in_quarter": False,
            "age_band_at_start": "35_49",
            **no_answers,
            "sex": "female",
            "ethnicity": "white_polish",
            "disability": "prefer_not_to_say",
            "equalities_consent": True,
            "lone_parent": "yes",
            "children": 0,
            "priority_lone_parent": True,
            "priority_three_or_more_children": False,
            "priority_youngest_under_one": False,
            "priority_disabled_parent_or_child": False,
            "priority_minority_ethnic": False,
            "priority_young_mother": False,
            "priority_groups": 1,
            "simd_quintile": 3,
            "urban_rural": 5,
            "employment_status_at_start": "",
            "time_out_of_work_at_start": "",
            "benefits_at_start": "",
            "stage_at_end": "getting_started",
            "pipeline_stage": 1,
            "status_at_end": "moved_on",
            "left_on": date(2026, 8, 28),
            **blank_job,
            "job_start_date": date(2026, 6, 1),
            "job_full_time": False,
            "in_work_13_weeks": False,
            "in_work_26_weeks": False,
            "in_work_52_weeks": False,
            "job_left_on": date(2026, 8, 1),
            "job_leaving_reason": "contract_ended",
            "education_or_training": False,
            "qualification": True,
            "volunteering": False,
        },
        "Gail": {
            "locality": "fife",
            "start_date": date(2026, 4, 1),
            "started_in_quarter": False,
            "age_band_at_start": "",
            **no_answers,
            "equalities_consent": False,
            "lone_parent": "",
            "children": 0,
            "priority_lone_parent": False,
            "priority_three_or_more_children": False,
            "priority_youngest_under_one": False,
            "priority_disabled_parent_or_child": False,
            "priority_minority_ethnic": False,
            "priority_young_mother": False,
            "priority_groups": 0,
            "simd_quintile": None,
            "urban_rural": None,
            "employment_status_at_start": "",
            "time_out_of_work_at_start": "",
            "benefits_at_start": "",
            "stage_at_end": "getting_started",
            "pipeline_stage": 1,
            "status_at_end": "paused",
            "left_on": None,
            **blank_job,
            "education_or_training": False,
            "qualification": False,
            "volunteering": False,
        },
    }
    for name, values in expected.items():
        pid = ids[name]
        assert rows[pid] == {"pseudonym": pseudonym(pid), **values}, name


def test_the_quarters_tables_count_exactly_what_happened_in_it(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    c, _ids = made
    result = build_return(c, Q3, key=KEY, today=date(2026, 11, 28))
    on_programme = {
        ("all", "all"): 5,
        ("priority_group", "lone_parent"): 4,
        ("priority_group", "three_or_more_children"): 1,
        ("priority_group", "youngest_under_one"): 1,
        ("priority_group", "disabled_parent_or_child"): 1,
        ("priority_group", "minority_ethnic"): 1,
        ("priority_group", "young_mother"): 1,
        ("age_band", "20_24"): 1,
        ("age_band", "30_34"): 1,
        ("age_band", "35_49"): 2,
        ("age_band", "not_recorded"): 1,
        ("sex", "female"): 2,
        ("sex", "male"): 1,
        ("sex", "not_recorded"): 2,
        ("ethnicity", "white_scottish"): 1,
        ("ethnicity", "asian_pakistani"): 1,
        ("ethnicity", "white_polish"): 1,
        ("ethnicity", "not_recorded"): 2,
        ("disability", "no"): 1,
        ("disability", "yes_a_little"): 1,
        ("disability", "prefer_not_to_say"): 1,
        ("disability", "not_recorded"): 2,
        ("simd_quintile", "1"): 1,
        ("simd_quintile", "3"): 1,
        ("simd_quintile", "4"): 1,
        ("simd_quintile", "not_recorded"): 2,
    }
    expected = {(d, g, "on_programme"): n for (d, g), n in on_programme.items()}

    def one_parent(measure: str, groups: dict[str, str], priority: list[str]) -> None:
        expected[("all", "all", measure)] = 1
        for d, g in groups.items():
            expected[(d, g, measure)] = 1
        for g in priority:
            expected[("priority_group", g, measure)] = 1

    ann = {"age_band": "20_24", "sex": "female", "ethnicity": "white_scottish", "disability": "no"}
    one_parent(
        "job_entries",
        {**ann, "simd_quintile": "1"},
        ["lone_parent", "youngest_under_one", "young_mother"],
    )
    bea = {"age_band": "35_49", "sex": "not_recorded", "ethnicity": "not_recorded"}
    bea_groups = {**bea, "disability": "not_recorded", "simd_quintile": "4"}
    one_parent("starts", bea_groups, ["lone_parent", "three_or_more_children"])
    one_parent("education_or_training", bea_groups, ["lone_parent", "three_or_more_children"])
    cat = {"age_band": "30_34", "sex": "male", "ethnicity": "asian_pakistani"}
    cat_groups = {**cat, "disability": "yes_a_little", "simd_quintile": "not_recorded"}
    cat_priority = ["lone_parent", "disabled_parent_or_child", "minority_ethnic"]
    one_parent("in_work_26_weeks", cat_groups, cat_priority)
    one_parent("in_work_progression", cat_groups, cat_priority)
    dee = {"age_band": "35_49", "sex": "female", "ethnicity": "white_polish"}
    dee_groups = {**dee, "disability": "prefer_not_to_say", "simd_quintile": "3"}
    one_parent("leavers", dee_groups, ["lone_parent"])
    one_parent("qualification", dee_groups, ["lone_parent"])
    assert nonzero(result) == expected
    # Every row of every table is there, zeros included (the whole of codes.toml's lists).
    assert ("ethnicity", "arab", "starts") in result.counts
    assert len(result.counts) == len(MEASURES) * sum(len(r) for r in result.tables.values())


def test_thirteen_weeks_in_work_is_counted_in_the_next_quarter(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    c, ids = made
    # Before 13 weeks are up (7 December), the quarter's return does not claim them.
    early = build_return(c, Q4, key=KEY, today=date(2026, 11, 28))
    assert early.counts[("all", "all", "in_work_13_weeks")] == 0
    ann = next(p for p in early.people if p.participant_id == ids["Ann"])
    assert ann.values["in_work_13_weeks"] == "not_yet"
    result = build_return(c, Q4, key=KEY, today=date(2027, 1, 10))
    people = {p.participant_id: p for p in result.people}
    assert set(people) == {ids[n] for n in ("Ann", "Bea", "Cat", "Eve", "Gail")}
    ann = people[ids["Ann"]]
    assert ann.values["in_work_13_weeks"] is True
    assert ann.values["in_work_26_weeks"] == "not_yet"
    assert ann.values["job_entry_in_quarter"] is False
    assert ann.measures == {"on_programme", "in_work_13_weeks"}
    assert result.counts[("all", "all", "in_work_13_weeks")] == 1
    assert result.counts[("all", "all", "job_entries")] == 0
    assert result.counts[("all", "all", "starts")] == 1  # Eve
    assert result.counts[("all", "all", "leavers")] == 0  # Dee left in Q3: not in Q4's return
    # Dee's job ended before 13 weeks: she never counts for them, in any quarter.
    assert build_return(c, Q3, key=KEY).counts[("all", "all", "in_work_13_weeks")] == 0


def test_no_small_count_can_be_published_or_worked_out(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    c, _ids = made
    result = build_return(c, Q3, key=KEY, today=date(2026, 11, 28))
    for cell, n in result.counts.items():
        if 0 < n < 5:
            assert result.count(*cell) is None, cell
    assert result.count("all", "all", "on_programme") == 5  # its rows are all withheld
    # The attacker's integer program, over every relation the tables publish, pins none.
    assert result.relations
    assert solvable(result.counts, result.relations, result.withheld) == []


def test_the_workbook_carries_no_free_text_names_or_dates_of_birth(
    made: tuple[Caseload, dict[str, str]], tmp_path: Path
) -> None:
    c, ids = made
    out = tmp_path / "return.xlsx"
    result = build_return(c, Q3, key=KEY, today=date(2026, 11, 28))
    result.write_xlsx(out, load_mapping())
    book = load_workbook(out)
    assert book.sheetnames == ["About", "Individuals", "Tables", "Columns"]
    seen: list[Any] = [
        cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    ]
    text = " ".join(str(v) for v in seen if v is not None)
    for secret in (CANARY, "Ann", "Siob", "07700", "ZZ1 1AA", "ZZ9 9ZZ", *ids.values()):
        assert secret not in text, secret
    for born in (date(2003, 2, 1), date(1990, 6, 1), date(1985, 5, 5)):
        assert born.isoformat() not in text
        days = [v.date() if isinstance(v, datetime) else v for v in seen]
        assert born not in days
    sheet = book["Individuals"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Participant ID", "Local authority area", "Start date"]
    lines = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    ann = lines[Pseudonyms(KEY)(ids["Ann"])]
    assert ann["Lone parent"] == "Yes"
    assert ann["In work at 13 weeks"] == "Not yet"
    assert ann["Job start date"].date() == date(2026, 9, 7)  # a real date
    assert ann["SIMD quintile"] == 1
    assert lines[Pseudonyms(KEY)(ids["Gail"])]["SIMD quintile"] is None
    tables = [r for r in book["Tables"].iter_rows(values_only=True) if r and r[0]]
    all_row = next(r for r in tables if r[0] == "All parents" and r[1] != "On the programme")
    assert all_row[1:4] == (5, "withheld", "withheld")  # on the programme, started, left


def test_a_mapping_matches_a_councils_template_without_code(
    made: tuple[Caseload, dict[str, str]], tmp_path: Path
) -> None:
    c, ids = made
    mapping = tmp_path / "council.toml"
    mapping.write_text(
        'name = "Council template"\nsheet = "Data"\n[yes_no]\nyes = "Y"\nno = "N"\n'
        '[[column]]\nheader = "ID"\nsource = "pseudonym"\n'
        '[[column]]\nheader = "Gender"\nsource = "sex"\n[column.values]\nfemale = "F"\nmale = "M"\n'
        '[[column]]\nheader = "LP"\nsource = "priority_lone_parent"\n',
        encoding="utf-8",
    )
    result = build_return(c, Q3, key=KEY)
    rows = dict((r[0], r[1:]) for r in result.rows(load_mapping(mapping)))
    assert rows[Pseudonyms(KEY)(ids["Ann"])] == ["F", "Y"]
    assert rows[Pseudonyms(KEY)(ids["Cat"])] == ["M", "Y"]
    assert rows[Pseudonyms(KEY)(ids["Gail"])] == ["", "N"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[column]]\nheader = "X"\nsource = "full_name"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"column 1 \(X\): source 'full_name' is unknown"):
        load_mapping(bad)
    bad.write_text('sheet = "Q3/2026"\n[[column]]\nheader = "X"\nsource = "sex"\n')
    with pytest.raises(ValidationError, match="cannot name a sheet"):
        load_mapping(bad)
    bad.write_text('sheet = "tables"\n[[column]]\nheader = "X"\nsource = "sex"\n')
    with pytest.raises(ValidationError, match="must differ"):
        load_mapping(bad)
    bad.write_text("[[column]\n")
    with pytest.raises(ValidationError, match="is not valid TOML"):
        load_mapping(bad)


def test_the_check_lists_missing_and_contradictory_answers(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    c, ids = made
    gail = ids["Gail"]
    work = on(c, date(2026, 9, 20)).record_milestone(
        gail, "started_work", achieved_on=date(2026, 9, 20)
    )
    on(c, date(2026, 11, 28))
    problems = check_return(c, Q3)
    found = [(p.participant_id, p.what) for p in problems]
    # Each line says where it is put right: the record (and field) to open.
    where = {(p.participant_id, p.what): (p.kind, p.record_id, p.field) for p in problems}
    assert where[(gail, "no postcode, so no SIMD quintile")] == ("circumstances", "", "postcode")
    assert where[
        (gail, "'started work' on 20 Sep 2026 has no job record (hours, contract, sector)")
    ] == ("milestones", work.id, "")
    cat_postcode = (ids["Cat"], "postcode ZZ9 9ZZ is not in the partnership's postcode lookup")
    assert where[cat_postcode] == ("circumstances", c.circumstances(ids["Cat"]).id, "postcode")
    assert (ids["Cat"], "postcode ZZ9 9ZZ is not in the partnership's postcode lookup") in found
    assert (
        ids["Dee"],
        "the job started 1 Jun 2026 has no hours and no full or part time",
    ) not in found
    assert (ids["Dee"], "no answer about work when they started (circumstances at start)") in found
    assert (gail, "no date of birth or age group, so no age band") in found
    assert (gail, "no postcode, so no SIMD quintile") in found
    assert (
        gail,
        "'started work' on 20 Sep 2026 has no job record (hours, contract, sector)",
    ) in found
    assert not any(pid == ids["Ann"] for pid, _ in found)  # everything is recorded
    assert not any(pid in (ids["Eve"], ids["Fay"]) for pid, _ in found)  # not in Q3's return


def test_the_check_tells_apart_parents_whose_names_read_alike(
    made: tuple[Caseload, dict[str, str]],
) -> None:
    """Invariant: no two parents share a name on the check's lines, however alike they are."""
    c, _ = made
    alike = [
        ("Mackay", "fife", date(2026, 7, 6)),
        ("Munro", "fife", date(2026, 7, 20)),
        ("Murray", "edinburgh", date(2026, 7, 20)),
    ]
    ids = [
        on(c, joined).enrol_participant("Amira", place, joined, full_name=f"Amira {family}").id
        for family, place, joined in alike
    ]
    on(c, date(2026, 11, 28))
    named: dict[str, set[str]] = {}
    for problem in check_return(c, Q3):
        if problem.participant_id is not None:
            named.setdefault(problem.who, set()).add(problem.participant_id)
    assert all(len(people) == 1 for people in named.values())
    whos = {next(iter(people)): who for who, people in named.items()}
    assert whos[ids[0]] == "Amira M., joined 6 Jul 2026"
    assert whos[ids[1]] == "Amira M., joined 20 Jul 2026 in Fife"
    assert whos[ids[2]] == "Amira M., joined 20 Jul 2026 in Edinburgh"


def test_the_check_on_the_command_line_says_what_the_window_lists(
    made_in_real_past: tuple[Caseload, dict[str, str]],
) -> None:
    """`journeyapp return --check` prints the lines the window's Funder's return lists, days
    written as every other line a person reads writes them ("20 Sep 2026")."""
    c, ids = made_in_real_past
    quarter, started = past_quarter("2026Q3"), past(2026, 9, 20)
    on(c, started).record_milestone(ids["Gail"], "started_work", achieved_on=started)
    on(c, past(2026, 11, 28))
    listed = [str(p) for p in check_return(c, parse_quarter(quarter))]
    path = c.path
    c.close()
    checked = CliRunner().invoke(
        cli, ["return", "--db", str(path), "--quarter", quarter, "--check"]
    )
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.splitlines()[:-1] == listed
    assert (
        f"Gail Z.: 'started work' on 20 Sep {started.year} has no job record (hours, contract, "
        "sector)" in listed
    )
    assert started.isoformat() not in checked.stdout


def test_the_return_command(
    made_in_real_past: tuple[Caseload, dict[str, str]], tmp_path: Path
) -> None:
    c, _ids = made_in_real_past
    quarter = past_quarter("2026Q3")
    path = c.path
    c.close()
    runner = CliRunner()
    checked = runner.invoke(cli, ["return", "--db", str(path), "--quarter", quarter, "--check"])
    assert checked.exit_code == 0, checked.output
    assert "Gail Z.: no postcode, so no SIMD quintile" in checked.output
    out = tmp_path / "r.xlsx"
    made_it = runner.invoke(
        cli, ["return", "--db", str(path), "--quarter", quarter, "--out", str(out)]
    )
    assert made_it.exit_code == 0, made_it.output
    assert f"Wrote the {quarter} return (5 parents and the tables)" in made_it.output
    assert out.is_file()
    tables = tmp_path / "tables.xlsx"
    only = runner.invoke(
        cli,
        ["return", "--db", str(path), "--quarter", quarter, "--out", str(tables), "--tables-only"],
    )
    assert only.exit_code == 0, only.output
    assert load_workbook(tables).sheetnames == ["About", "Tables", "Columns"]
    wrong = runner.invoke(cli, ["return", "--db", str(path), "--quarter", "Q3", "--out", "x.xlsx"])
    assert wrong.exit_code == 1
    assert "is not a quarter; write 2026Q3" in wrong.output
    again = runner.invoke(
        cli, ["return", "--db", str(path), "--quarter", quarter, "--out", str(out)]
    )
    assert "already exists" in again.output
    assert "Traceback" not in again.output + wrong.output


def test_every_source_is_documented_and_the_default_layout_explains_every_column() -> None:
    from journeyapp import paths
    from journeyapp.exchange.returns import SOURCES

    readme = paths.resource("returns/README.md").read_text(encoding="utf-8")
    for source in SOURCES:
        assert f"| `{source}` |" in readme, source
    mapping = load_mapping()
    assert mapping.source == paths.resource("returns/smf.toml")
    assert all(column.meaning for column in mapping.columns)
    # Nothing a mapping can choose is free text, a name, a postcode or a date of birth.
    assert not {"full_name", "preferred_name", "postcode", "date_of_birth", "note"} & set(SOURCES)


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["16_19", "20_24", "35_49", ""]),
        st.sampled_from(["female", "male", "prefer_not_to_say", ""]),
        st.sampled_from(["white_scottish", "asian_pakistani", "african", "arab", ""]),
        st.sampled_from(["no", "yes_a_lot", ""]),
        st.sampled_from(["1", "2", "5", "not_recorded"]),
        st.frozensets(st.sampled_from(PRIORITY_GROUPS)),
        st.frozensets(st.sampled_from(sorted(MEASURES))),
    ),
    max_size=40,
)


def tabulated(
    people: list[tuple[str, str, str, str, str, frozenset[str], frozenset[str]]],
) -> FunderReturn:
    """A quarter's tables of parents with these answers (age band, sex, ethnic group,
    disability, SIMD quintile, priority groups, measures), all on the programme."""
    codes = default_codes()
    persons = [
        Person(
            participant_id=str(n),
            values={},
            groups={
                "all": "all",
                "age_band": age or "not_recorded",
                "sex": sex or "not_recorded",
                "ethnicity": ethnicity or "not_recorded",
                "disability": disability or "not_recorded",
                "simd_quintile": simd,
            },
            # The minority ethnic group follows from the ethnic group, as in the records.
            priority=(groups - {"minority_ethnic"})
            | (
                {"minority_ethnic"}
                if ethnicity in codes.flagged("ethnicity", "minority")
                else set()
            ),
            measures=measures | {"on_programme"},
        )
        for n, (age, sex, ethnicity, disability, simd, groups, measures) in enumerate(people)
    ]
    return _tabulate(FunderReturn(Q3, persons, tables={}, counts={}, withheld=set()), codes)


def worked_out(result: FunderReturn) -> list[Any]:
    """The withheld counts an attacker with the published tables works out (tests/exchange/
    audit.py: an integer program written apart from exchange.disclosure)."""
    seen = {cell: result.count(*cell) for cell in result.counts}
    return recovered(seen, result.relations)


# Random examples on every run: the invariant holds for any partnership, not a chosen few.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PEOPLE)
def test_any_quarters_tables_add_up_and_hide_every_small_count_for_good(
    people: list[tuple[str, str, str, str, str, frozenset[str], frozenset[str]]],
) -> None:
    result = tabulated(people)
    persons = result.people
    for measure in MEASURES:
        whole = result.counts[("all", "all", measure)]
        assert whole == sum(measure in p.measures for p in persons)
        for dimension, rows in result.tables.items():
            if dimension not in ("all", "priority_group"):
                assert sum(result.counts[(dimension, g, measure)] for g, _ in rows) == whole
    for cell, n in result.counts.items():
        if 0 < n < 5:
            assert result.count(*cell) is None
        if n == 0:
            assert result.count(*cell) == 0  # a zero is shown: a withheld count is never 0
    # No withheld count can be worked out from what is published.
    assert worked_out(result) == []


NOTHING: frozenset[str] = frozenset()
ONE_ASIAN_PAKISTANI_TWO_AFRICAN = [
    *[("35_49", "female", "white_scottish", "no", "1", NOTHING, NOTHING)] * 5,
    ("35_49", "female", "asian_pakistani", "no", "1", NOTHING, NOTHING),
    *[("35_49", "female", "african", "no", "1", NOTHING, NOTHING)] * 2,
]


def test_a_minority_ethnic_count_whose_rows_are_all_withheld_is_not_given_away() -> None:
    """Eight parents: five White Scottish, one Asian Pakistani, two African. The 1 and the 2
    are withheld, so is 'minority ethnic' (3), and in its own relation (3 = 1 + 2 + zeros)
    nothing is left to withhold; but all 8 minus the 5 White Scottish shown gives it away.
    The withholding looks further out (the ethnic groups' table) and withholds the 5 too."""
    result = tabulated(ONE_ASIAN_PAKISTANI_TWO_AFRICAN)
    programme = "on_programme"
    assert result.counts[("priority_group", "minority_ethnic", programme)] == 3
    assert result.count("priority_group", "minority_ethnic", programme) is None
    assert result.count("ethnicity", "asian_pakistani", programme) is None
    assert result.count("ethnicity", "african", programme) is None
    assert worked_out(result) == []
    # The nearest shown count, one relation further out: the White Scottish row.
    assert result.count("ethnicity", "white_scottish", programme) is None
    assert result.count("all", "all", programme) == 8
    assert solvable(result.counts, result.relations, result.withheld) == []


def test_a_mappings_words_never_run_as_formulas(
    made: tuple[Caseload, dict[str, str]], tmp_path: Path
) -> None:
    c, _ids = made
    mapping = tmp_path / "hostile.toml"
    mapping.write_text(
        'name = "=HYPERLINK(\\"http://x\\")"\nwithheld = "@w"\n'
        '[[column]]\nheader = "=1+1"\nsource = "pseudonym"\n'
        '[[column]]\nheader = "Sex"\nsource = "sex"\nmeaning = "+cmd"\n'
        '[column.values]\nfemale = "-2+3"\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.xlsx"
    build_return(c, Q3, key=KEY).write_xlsx(out, load_mapping(mapping))
    book = load_workbook(out)
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert "'=1+1" in texts
    assert "'-2+3" in texts
    assert "'+cmd" in texts
    assert "'@w" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert all(
        cell.data_type != "f"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )


@pytest.mark.parametrize(
    ("write", "said"),
    [
        (lambda p: p.write_bytes('name = "Caf\u00e9"\n'.encode("cp1252")), "not UTF-8 text"),
        (lambda p: p.mkdir(), "is a folder; give a file"),
        (lambda p: None, "There is no mapping file"),
    ],
    ids=["windows-text", "a-folder", "missing"],
)
def test_a_mapping_file_that_cannot_be_read_is_named_with_what_to_do(
    made: tuple[Caseload, dict[str, str]], tmp_path: Path, write: Any, said: str
) -> None:
    """A council's mapping saved as Windows text, a folder, or nothing there: one line through
    the command that names the file and says what to do, never Python's decoding error."""
    c, _ids = made
    mapping = tmp_path / "council.toml"
    write(mapping)
    out = tmp_path / "r.xlsx"
    command = ["return", "--db", str(c.path), "--quarter", "2026Q3", "--out", str(out)]
    done = CliRunner().invoke(cli, [*command, "--mapping", str(mapping)])
    assert done.exit_code != 0
    assert said in done.output
    assert "codec" not in done.output
    assert "Traceback" not in done.output
    assert not out.exists()
    if said == "not UTF-8 text":
        assert "save it with the encoding UTF-8" in done.output
