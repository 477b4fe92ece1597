"""The funder's quarterly return: one coded row per parent on the programme in the quarter, and
the tables (starts, leavers, job outcomes and sustainment) by priority group, age band, sex,
ethnicity, disability and SIMD quintile, with withheld counts as in the programme report: none
can be worked out from the tables, nor from them and the programme reports a coordinator sends
the funder beside them (every quarter's of its calendar and financial year, those years', all
dates': reports_beside, _withheld).

Nothing is typed twice: every value comes from the records (core.monitoring derives priority
groups, age bands and full time; core.returns the weeks in work; the partnership's postcode
lookup the SIMD quintile). The column layout comes from a mapping file (resources/returns/
smf.toml unless another is given), so a partnership matches its council's template without code
changes. The individual rows carry codes, numbers and journey dates only: the parent appears
under the partnership's keyed pseudonym, never with a name, free text, postcode or date of birth.
"""

from __future__ import annotations

import io
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path
from typing import Any

from journeyapp import __version__, paths
from journeyapp.caseload import Caseload
from journeyapp.core.areas import normalise_postcode
from journeyapp.core.catalogue import read_text
from journeyapp.core.codes import JOB_ENTRY_OUTCOME, Codes
from journeyapp.core.dates import long_date
from journeyapp.core.enums import ParticipantStatus
from journeyapp.core.errors import ValidationError
from journeyapp.core.monitoring import (
    PRIORITY_GROUPS,
    ReturnFacts,
    age_band_at,
    family_facts,
    is_full_time,
    priority_groups,
)
from journeyapp.core.private_files import write_private
from journeyapp.core.records import Circumstances, Equalities, Job, Milestone, Participant
from journeyapp.core.returns import (
    SUSTAINMENT_WEEKS,
    Quarter,
    latest_job,
    quarter_of,
    sustained,
    sustained_in,
    weeks_reached_on,
)
from journeyapp.core.text import with_family_initial
from journeyapp.exchange.disclosure import THRESHOLD, Cell, Relation, solvable, withhold
from journeyapp.exchange.export import Pseudonyms, neutralise
from journeyapp.exchange.report import Disclosure, month_run, protected_report_set

# The kinds of record a check's line opens (core.records' KIND of each).
CIRCUMSTANCES, EQUALITIES, JOBS = Circumstances.KIND, Equalities.KIND, Job.KIND
NOT_RECORDED = "not_recorded"
_LEFT = (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
_STATUSES = frozenset(str(s) for s in ParticipantStatus)

# Every value a mapping's column can take: its source name and what it is.
SOURCES: dict[str, str] = {
    "pseudonym": "the partnership's keyed pseudonym for the parent",
    "locality": "the locality's catalogue key",
    "start_date": "the day the parent joined",
    "started_in_quarter": "yes when the parent joined in the quarter",
    "age_band_at_start": "age group on the start date (codes.toml age_band)",
    "sex": "equalities answer (codes.toml sex)",
    "gender_identity": "equalities answer (codes.toml gender_identity)",
    "ethnicity": "equalities answer (codes.toml ethnicity)",
    "disability": "equalities answer (codes.toml disability)",
    "disabled_child": "equalities answer (codes.toml disabled_child)",
    "sexual_orientation": "equalities answer (codes.toml sexual_orientation)",
    "care_experience": "equalities answer (codes.toml care_experience)",
    "equalities_consent": "yes when the parent agreed to equalities monitoring",
    "lone_parent": "the parent's answer (codes.toml lone_parent)",
    "children": "number of children recorded",
    **{f"priority_{g}": f"priority family group {g} (yes/no)" for g in PRIORITY_GROUPS},
    "priority_groups": "how many priority family groups the family is in",
    "simd_quintile": "SIMD quintile of the postcode (1 most deprived to 5), from the lookup",
    "urban_rural": "urban/rural class of the postcode, from the lookup",
    "employment_status_at_start": "answer (codes.toml employment_status)",
    "time_out_of_work_at_start": "answer (codes.toml time_out_of_work)",
    "benefits_at_start": "kinds of benefit at start, codes joined by ';'",
    "stage_at_end": "journey stage's catalogue key at the quarter's end",
    "pipeline_stage": "employability pipeline stage (1-5) at the quarter's end",
    "status_at_end": "active, paused, moved_on or closed at the quarter's end",
    "left_on": "the day the parent moved on or closed, by the quarter's end",
    "job_start_date": "start of the latest job started by the quarter's end",
    "job_entry_in_quarter": "yes when a job started in the quarter",
    "job_hours": "the job's hours a week",
    "job_full_time": "full time (yes/no), as said or from the hours",
    "job_contract_type": "codes.toml contract_type",
    "job_living_wage": "codes.toml living_wage",
    "job_sector": "codes.toml sector",
    **{
        f"in_work_{w}_weeks": f"in the job {w} weeks after its start: yes, no, not yet"
        for w in SUSTAINMENT_WEEKS
    },
    "job_left_on": "the day the job ended, by the quarter's end",
    "job_leaving_reason": "codes.toml leaving_reason",
    "in_work_progression": "codes.toml progression (or better_job), by the quarter's end",
    "education_or_training": "an education or training milestone by the quarter's end",
    "qualification": "a qualification milestone by the quarter's end",
    "volunteering": "a volunteering milestone by the quarter's end",
}
_YES_NO = {
    "started_in_quarter",
    "equalities_consent",
    *(f"priority_{g}" for g in PRIORITY_GROUPS),
    "job_entry_in_quarter",
    "job_full_time",
    *(f"in_work_{w}_weeks" for w in SUSTAINMENT_WEEKS),
    "education_or_training",
    "qualification",
    "volunteering",
}

# The tables: what is counted (in the quarter) and by what.
MEASURES: dict[str, str] = {
    "on_programme": "On the programme",
    "starts": "Started",
    "leavers": "Left",
    "job_entries": "Started work",
    "in_work_13_weeks": "In work at 13 weeks",
    "in_work_26_weeks": "In work at 26 weeks",
    "in_work_52_weeks": "In work at 52 weeks",
    "education_or_training": "Entered education or training",
    "qualification": "Gained a qualification",
    "volunteering": "Started volunteering",
    "in_work_progression": "Progressed in work",
}
DIMENSIONS: dict[str, str] = {
    "all": "All parents",
    "priority_group": "Priority family group",
    "age_band": "Age band at start",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Disability or long-term condition",
    "simd_quintile": "SIMD quintile",
}
PRIORITY_LABELS = {
    "lone_parent": "Lone parent",
    "three_or_more_children": "Three or more children",
    "youngest_under_one": "Youngest child under 1",
    "disabled_parent_or_child": "Disabled parent or child",
    "minority_ethnic": "Minority ethnic family",
    "young_mother": "Mother aged under 25",
}
_OUTCOMES = ("education_or_training", "qualification", "volunteering", "in_work_progression")


# -- the mapping file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the individual sheet."""

    header: str
    source: str
    meaning: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    """A council template's layout (see resources/returns/smf.toml)."""

    name: str
    columns: tuple[Column, ...]
    sheet: str = "Individuals"
    tables_sheet: str = "Tables"
    withheld: str = "withheld"
    yes_no: dict[str, str] = field(default_factory=dict)
    source: Path | None = None

    def cell(self, column: Column, value: Any) -> Any:
        """A value as this template writes it: yes/no words from [yes_no] (or the column's
        own values), codes rewritten by the column's values, the rest as they are."""
        if column.source in _YES_NO and (
            value is None or isinstance(value, bool) or value == "not_yet"
        ):
            word = {True: "yes", False: "no", None: "unknown"}.get(value, "not_yet")
            return column.values.get(word, self.yes_no.get(word, "" if word == "unknown" else word))
        if isinstance(value, str) and value in column.values:
            return column.values[value]
        return "" if value is None else value


# How people are shown the mapping that ships (not the place it is installed in).
BUILT_IN_LAYOUT = "Scottish Government layout, Shared Measurement Framework (built in)"


def default_mapping_path() -> Path:
    """The mapping that ships: the Shared Measurement Framework's layout."""
    return paths.resource("returns/smf.toml")


def layout_name(path: Path | None) -> str:
    """The layout as a person is shown it: the built-in one by name, a chosen file by its path."""
    if path is None or path.resolve() == default_mapping_path().resolve():
        return BUILT_IN_LAYOUT
    return str(path)


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and check a mapping file; a wrong one is refused saying where and what to do."""
    path = Path(path) if path is not None else default_mapping_path()
    if not path.exists():
        raise ValidationError(f"There is no mapping file at {path}; check the path.")
    text = read_text(path, "the mapping file", "is")  # says what is wrong, in plain words
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"The mapping file {path.name} is not valid TOML: {exc}.") from None
    raw = data.get("column")
    if not isinstance(raw, list) or not raw:
        raise ValidationError(
            f"The mapping file {path.name} has no [[column]] entries; copy smf.toml and edit it."
        )
    columns: list[Column] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        where = f"{path.name}, column {n}"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} is not a table; write it as [[column]].")
        header, source = item.get("header"), item.get("source")
        if not isinstance(header, str) or not header.strip():
            raise ValidationError(f"{where} has no header; give the heading the template uses.")
        if not isinstance(source, str):  # a list or table is no name (nor can be looked up)
            said = "has no source" if source is None else "has a source that is not one name"
            raise ValidationError(
                f'{where} ({header}) {said}; write it like source = "pseudonym", one of the '
                "sources in resources/returns/README.md."
            )
        if source not in SOURCES:
            raise ValidationError(
                f"{where} ({header}): source {source!r} is unknown; use one of the sources in "
                "resources/returns/README.md."
            )
        if header in seen:
            raise ValidationError(f"{where}: the header {header!r} is used twice; keep one.")
        seen.add(header)
        values = item.get("values", {})
        if not isinstance(values, dict) or not all(
            isinstance(v, (str, int)) for v in values.values()
        ):
            raise ValidationError(f"{where} ({header}): values must map codes to words.")
        columns.append(
            Column(
                header=header,
                source=str(source),
                meaning=str(item.get("meaning", "")),
                values={str(k): str(v) for k, v in values.items()},
            )
        )
    yes_no = data.get("yes_no", {})
    if not isinstance(yes_no, dict):
        raise ValidationError(f"{path.name}: [yes_no] must map yes, no, not_yet, unknown to words.")
    sheet = _sheet_name(data.get("sheet", "Individuals"), "sheet", path)
    tables_sheet = _sheet_name(data.get("tables_sheet", "Tables"), "tables_sheet", path)
    if len({sheet.casefold(), tables_sheet.casefold(), "about", "columns"}) < 4:
        raise ValidationError(
            f"{path.name}: sheet and tables_sheet must differ from each other and from "
            "'About' and 'Columns'; rename one."
        )
    return Mapping(
        name=str(data.get("name", path.stem)),
        columns=tuple(columns),
        sheet=sheet,
        tables_sheet=tables_sheet,
        withheld=str(data.get("withheld", "withheld")),
        yes_no={str(k): str(v) for k, v in yes_no.items()},
        source=path,
    )


def _sheet_name(value: object, key: str, path: Path) -> str:
    """A sheet name a workbook accepts (up to 31 characters, none of [ ] : * ? / \\)."""
    name = str(value).strip()
    if not name or len(name) > 31 or any(ch in name for ch in "[]:*?/\\"):
        raise ValidationError(
            f"{path.name}: {key} = {name[:40]!r} cannot name a sheet; use up to 31 letters, "
            "numbers and spaces."
        )
    return name


# -- the return -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One parent's line of the return, as values by source, and what the tables count."""

    participant_id: str
    values: dict[str, Any]
    groups: dict[str, str]  # dimension -> group key (priority groups apart)
    priority: frozenset[str]
    measures: frozenset[str]


@dataclass
class FunderReturn:
    """A quarter's return: the individual lines and the tables with their withheld cells."""

    quarter: Quarter
    people: list[Person]
    tables: dict[str, list[tuple[str, str]]]  # dimension -> [(group key, label)]
    counts: dict[Cell, int]
    withheld: set[Cell]
    made_at: str = ""
    key_check: str = ""
    partnership: str = ""
    # What a reader can add up: (a total, the cells that add up to it).
    relations: list[Relation] = field(default_factory=list)
    # What each parent in the return was read from (for the check; never written out).
    facts: dict[str, ReturnFacts] = field(default_factory=dict, repr=False)

    def count(self, dimension: str, group: str, measure: str) -> int | None:
        """A table cell as published: None when withheld."""
        cell = (dimension, group, measure)
        return None if cell in self.withheld else self.counts.get(cell, 0)

    def rows(self, mapping: Mapping) -> list[list[Any]]:
        """The individual sheet's rows (without the heading), as the mapping writes them."""
        return [
            [mapping.cell(c, p.values.get(c.source)) for c in mapping.columns] for p in self.people
        ]

    def write_xlsx(self, out: Path, mapping: Mapping, *, tables_only: bool = False) -> None:
        """The return as a workbook: About, the individual sheet (unless tables only), the
        tables and what each column means. Dates are dates; text never runs as a formula."""
        _write_xlsx(self, Path(out), mapping, tables_only=tables_only)


def _status_timeline(
    history: list[tuple[str, Any]],
) -> list[tuple[str, str]]:
    return [(at[:10], str(value)) for at, value in history if value in _STATUSES]


def _status_at(
    participant: Participant, timeline: list[tuple[str, str]], day: date
) -> tuple[ParticipantStatus, date | None]:
    """Status on `day` from the journey log, and the day they left (moved on or closed) if they
    had by then."""
    left: date | None = None
    if not timeline:
        status = participant.status
        if status in _LEFT and participant.updated_at:
            left = date.fromisoformat(participant.updated_at[:10])
        return status, left
    end = day.isoformat()
    before = [(d, v) for d, v in timeline if d <= end]
    status = ParticipantStatus(before[-1][1] if before else timeline[0][1])
    if status in _LEFT:
        # The day of the last move from being on the programme to having left.
        previous = None
        for d, v in before:
            if v in _LEFT and previous not in _LEFT:
                left = date.fromisoformat(d)
            previous = v
        # Recorded as having left only after `day` (an import, or a demo built later), with no
        # dated move before: when they left is unknown, so they count as having left at joining
        # (in no later quarter's return) rather than as on the programme for ever.
        left = left or participant.joined_on
    return status, left


def build_return(
    caseload: Caseload,
    quarter: Quarter,
    *,
    key: bytes | None = None,
    today: date | None = None,
) -> FunderReturn:
    """The return for one quarter: every parent on the programme at some time in it (joined by
    its end, and not moved on or closed before its start). Everything is read as it stood at
    the quarter's end or `today` (the caseload's), whichever comes first: a quarter still going
    counts nothing dated after today (a record written on a laptop whose clock was ahead), as
    the programme report does."""
    known = min(quarter.end, today or caseload.today())
    codes: Codes = caseload.codes
    catalogue = caseload.catalogue
    pseudonyms = Pseudonyms(key if key is not None else caseload.exchange.pseudonym_key())
    history = caseload.exchange.field_history(Participant.KIND, "status")
    facts = caseload.return_facts()
    postcodes = {
        f.participant.id: normalise_postcode(f.circumstances.postcode)
        for f in facts
        if f.circumstances is not None
    }
    areas = caseload.areas.find([p for p in postcodes.values() if p])
    outcome_types = {o: codes.outcome_milestones(o) for o in _OUTCOMES}
    people: list[Person] = []
    read: dict[str, ReturnFacts] = {}
    for f in sorted(facts, key=lambda f: pseudonyms(f.participant.id) or ""):
        p = f.participant
        if p.joined_on > known:
            continue
        timeline = _status_timeline(history.get(p.id, []))
        status, left_on = _status_at(p, timeline, known)
        if left_on is not None and left_on < quarter.start:
            continue
        read[p.id] = f
        people.append(
            _person(
                f,
                quarter,
                known,
                status,
                left_on,
                pseudonyms,
                codes,
                catalogue,
                areas,
                postcodes,
                outcome_types,
            )
        )
    beside = [
        (since, until, protected_report_set(caseload, since=since, until=until)[1])
        for since, until in reports_beside(quarter)
    ]
    return _tabulate(
        FunderReturn(
            quarter=quarter,
            people=people,
            tables={},
            counts={},
            withheld=set(),
            made_at=caseload.clock().astimezone(UTC).isoformat(timespec="seconds"),
            key_check=pseudonyms.fingerprint,
            partnership=catalogue.name,
            facts=read,
        ),
        codes,
        beside,
        frozenset(caseload.job_entry_types()),  # as the report beside it counts them
    )


def _person(
    f: ReturnFacts,
    quarter: Quarter,
    known: date,
    status: ParticipantStatus,
    left_on: date | None,
    pseudonyms: Pseudonyms,
    codes: Codes,
    catalogue: Any,
    areas: dict[str, Any],
    postcodes: dict[str, str | None],
    outcome_types: dict[str, frozenset[str]],
) -> Person:
    p, e, c = f.participant, f.equalities, f.circumstances
    end = known  # the quarter's end, or today in a quarter still going
    if status is not ParticipantStatus.CLOSED and any(
        b.started_on <= end and (b.ended_on is None or b.ended_on > end) for b in f.pauses
    ):
        status = ParticipantStatus.PAUSED  # a break the parent chose, at the quarter's end
    elif status is ParticipantStatus.PAUSED:
        status = ParticipantStatus.ACTIVE
    stages = [s for s in f.stages if s.on <= end]
    stage = max(stages, key=lambda s: (s.on, s.created_at)).stage if stages else p.stage
    family = family_facts(f.children, end)
    groups_now = priority_groups(f, end, codes)
    area = areas.get(postcodes.get(p.id) or "")
    jobs = [j for j in f.jobs if j.started_on <= end]
    job = latest_job(jobs, end)
    milestones = [m for m in f.milestones if m.achieved_on <= end]
    reached = {o: [m for m in milestones if m.type in types] for o, types in outcome_types.items()}
    progression = ""
    if (
        job is not None
        and job.progression
        and (job.progressed_on is None or job.progressed_on <= end)
    ):
        progression = job.progression
    elif reached["in_work_progression"]:
        progression = "better_job"
    values: dict[str, Any] = {
        "pseudonym": pseudonyms(p.id),
        "locality": p.locality,
        "start_date": p.joined_on,
        "started_in_quarter": p.joined_on in quarter,
        "age_band_at_start": age_band_at(p, e, p.joined_on, codes),
        "equalities_consent": f.equalities_consent,
        "lone_parent": c.lone_parent if c else "",
        "children": family.children,
        **{f"priority_{g}": g in groups_now for g in PRIORITY_GROUPS},
        "priority_youngest_under_one": (
            None if family.youngest_under_one is None else "youngest_under_one" in groups_now
        ),
        "priority_groups": len(groups_now),
        "simd_quintile": area.simd_quintile if area else None,
        "urban_rural": area.urban_rural if area else None,
        "employment_status_at_start": c.employment_status if c else "",
        "time_out_of_work_at_start": c.time_out_of_work if c else "",
        "benefits_at_start": ";".join(c.benefits) if c else "",
        "stage_at_end": stage,
        "pipeline_stage": catalogue.pipeline_stage(stage),
        "status_at_end": str(status),
        "left_on": left_on,
        "job_start_date": job.started_on if job else None,
        "job_entry_in_quarter": any(j.started_on in quarter for j in jobs),
        "job_hours": job.hours_per_week if job else None,
        "job_full_time": is_full_time(job, codes) if job else None,
        "job_contract_type": job.contract_type if job else "",
        "job_living_wage": job.living_wage if job else "",
        "job_sector": job.sector if job else "",
        "job_left_on": job.left_on if job and job.left_on and job.left_on <= end else None,
        "job_leaving_reason": job.leaving_reason
        if job and job.left_on and job.left_on <= end
        else "",
        "in_work_progression": progression,
        **{o: bool(reached[o]) for o in ("education_or_training", "qualification", "volunteering")},
    }
    for w in SUSTAINMENT_WEEKS:
        state = sustained(job, w, known) if job else None
        values[f"in_work_{w}_weeks"] = (
            "" if job is None else ("not_yet" if state is None else state)
        )
    for name in (
        "sex",
        "gender_identity",
        "ethnicity",
        "disability",
        "disabled_child",
        "sexual_orientation",
        "care_experience",
    ):
        values[name] = getattr(e, name) if e is not None else ""
    measures = {"on_programme"}
    if p.joined_on in quarter:
        measures.add("starts")
    if left_on is not None and left_on in quarter:
        measures.add("leavers")
    if values["job_entry_in_quarter"]:
        measures.add("job_entries")
    for w in SUSTAINMENT_WEEKS:
        if any(weeks_reached_on(j, w) <= known and sustained_in(j, w, quarter) for j in jobs):
            measures.add(f"in_work_{w}_weeks")
    for o in _OUTCOMES:
        if any(m.achieved_on in quarter for m in reached[o]):
            measures.add(o)
    if any(
        j.progressed_on is not None and j.progressed_on in quarter and j.progressed_on <= end
        for j in jobs
    ):
        measures.add("in_work_progression")
    groups = {
        "all": "all",
        "age_band": values["age_band_at_start"] or NOT_RECORDED,
        "sex": values["sex"] or NOT_RECORDED,
        "ethnicity": values["ethnicity"] or NOT_RECORDED,
        "disability": values["disability"] or NOT_RECORDED,
        "simd_quintile": str(values["simd_quintile"] or NOT_RECORDED),
    }
    return Person(p.id, values, groups, groups_now, frozenset(measures))


def _tabulate(
    result: FunderReturn,
    codes: Codes,
    beside: Sequence[Beside] = (),
    job_entry_types: frozenset[str] = frozenset(),
) -> FunderReturn:
    """Count every table cell and mark those to withhold (exchange.disclosure), so that none
    can be worked out from the tables, nor from them and the programme reports `beside`."""
    people = result.people
    tables: dict[str, list[tuple[str, str]]] = {
        "all": [("all", "All parents")],
        "priority_group": [(g, PRIORITY_LABELS[g]) for g in PRIORITY_GROUPS],
    }
    for dimension, list_name in (
        ("age_band", "age_band"),
        ("sex", "sex"),
        ("ethnicity", "ethnicity"),
        ("disability", "disability"),
    ):
        tables[dimension] = [(e.key, e.label) for e in codes.entries(list_name)]
    tables["simd_quintile"] = [
        (str(q), f"{q}{' (most deprived)' if q == 1 else ' (least deprived)' if q == 5 else ''}")
        for q in range(1, 6)
    ]
    for dimension, rows in tables.items():
        if dimension in ("all", "priority_group"):
            continue
        known = {k for k, _ in rows}
        extra = sorted({p.groups[dimension] for p in people} - known - {NOT_RECORDED})
        rows += [(k, k) for k in extra] + [(NOT_RECORDED, "Not recorded")]
    counts: Counter[Cell] = Counter()
    for person in people:
        for measure in person.measures:
            for dimension, group in person.groups.items():
                counts[(dimension, group, measure)] += 1
            for group in person.priority:
                counts[("priority_group", group, measure)] += 1
    values: dict[Cell, int] = {
        (d, g, m): counts.get((d, g, m), 0)
        for d, rows in tables.items()
        for g, _ in rows
        for m in MEASURES
    }
    relations: list[Relation] = []
    minority = codes.flagged("ethnicity", "minority")
    for m in MEASURES:
        whole = ("all", "all", m)
        for d, rows in tables.items():
            if d not in ("all", "priority_group"):
                relations.append((whole, [(d, g, m) for g, _ in rows]))
        # The minority ethnic group is the sum of the minority ethnic groups' rows.
        relations.append(
            (
                ("priority_group", "minority_ethnic", m),
                [("ethnicity", g, m) for g, _ in tables["ethnicity"] if g in minority],
            )
        )
    result.tables = tables
    result.counts = values
    result.relations = relations
    result.withheld = _withheld(result.quarter, values, relations, beside, codes, job_entry_types)
    return result


# A programme report for a period, beside the return: (from, to, what its withholding saw).
Beside = tuple[date | None, date | None, Disclosure]


def reports_beside(quarter: Quarter) -> list[tuple[date | None, date | None]]:
    """The programme reports a coordinator is likely to send the funder with a quarter's
    return, whose figures a reader can set beside it: every quarter's of its calendar year and
    of its financial year (April to March), those two years', and the one over all dates (a
    year's less three of its quarters' is the fourth's)."""
    start = quarter.start
    april = date(start.year if start.month >= 4 else start.year - 1, 4, 1)
    periods: list[tuple[date | None, date | None]] = []
    for first in (date(start.year, 1, 1), april):
        year = quarter_of(first)
        for _ in range(4):
            if (year.start, year.end) not in periods:
                periods.append((year.start, year.end))
            year = year.next()
    periods += [
        (date(start.year, 1, 1), date(start.year, 12, 31)),
        (april, date(april.year + 1, 3, 31)),
        (None, None),
    ]
    return periods


# The return's figures for all parents and the programme report's for the same period that
# count the same parents under one name, whenever they are equal (a reader takes one for the
# other): those who started; those who left (moved on or closed).
_SAME_PARENTS_AS_THE_REPORT: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("starts", (("starts_and_leavers", "started"),)),
    ("leavers", (("starts_and_leavers", "moved_on"), ("starts_and_leavers", "closed"))),
)


def _report_relations(
    quarter: Quarter,
    values: dict[Cell, int],
    since: date | None,
    until: date | None,
    report: Disclosure,
    tag: Any,
    milestone_outcomes: dict[str, frozenset[str]],
) -> list[Relation]:
    """How a return's tables and a programme report of the period `since` to `until` fit
    together (report cells tagged `tag`): the parents who started in the quarter are those
    the report has joining in its months, when its period takes in the quarter; and, when its
    period is the quarter, the rows counting the same parents (_SAME_PARENTS_AS_THE_REPORT,
    and an outcome the partnership counts by one milestone type: that type's row)."""

    def reported(section: str, row: str) -> Cell:
        return (tag, (None, section, row))

    found: list[Relation] = []
    if (since is None or since <= quarter.start) and (until is None or until >= quarter.end):
        months = month_run([quarter.start.isoformat()[:7], quarter.end.isoformat()[:7]])
        found.append((("all", "all", "starts"), [reported("by_month_joined", m) for m in months]))
    if (since, until) != (quarter.start, quarter.end):
        return found
    same = list(_SAME_PARENTS_AS_THE_REPORT)
    for measure, types in milestone_outcomes.items():
        if len(types) == 1:
            same.append((measure, (("milestones", f"pct:{next(iter(types))}"),)))
    for measure, rows in same:
        cells: list[Cell] = [(None, *row) for row in rows]
        if values[("all", "all", measure)] == sum(report.values.get(c, 0) for c in cells):
            found.append((("all", "all", measure), [(tag, c) for c in cells]))
    return found


def _withheld(
    quarter: Quarter,
    values: dict[Cell, int],
    relations: list[Relation],
    beside: Sequence[Beside],
    codes: Codes,
    job_entry_types: frozenset[str],
) -> set[Cell]:
    """The return's cells to withhold: none can be worked out from its tables, nor from them
    and the reports beside it (whose withheld counts the return gives away none of either).
    A figure those reports give away on their own, with every count of the return withheld,
    is known to their readers already: shown, as they show it, when it is 0 or 5 and over."""
    if not beside:
        return withhold(values, relations)
    outcomes = {
        "job_entries": job_entry_types,
        **{o: codes.outcome_milestones(o) for o in _OUTCOMES},
    }
    cells = dict(values)
    sums = list(relations)
    unpublished: set[Cell] = set()
    elsewhere: set[Cell] = set()
    for n, (since, until, report) in enumerate(beside):
        tag = ("report", n)
        cells.update({(tag, c): v for c, v in report.values.items()})
        sums += [((tag, t), [(tag, p) for p in ps]) for t, ps in report.relations]
        unpublished |= {(tag, c) for c in report.unpublished}
        elsewhere |= {(tag, c) for c in report.hidden}
        sums += _report_relations(quarter, values, since, until, report, tag, outcomes)
    own = {c for c, v in values.items() if v}
    given = set(solvable(cells, sums, own | elsewhere | unpublished))
    settled = {c: c in elsewhere and c not in given for c in cells if c not in values}
    settled.update({c: False for c in own & given if not 0 < values[c] < THRESHOLD})
    lost = {c for c in own & given if 0 < values[c] < THRESHOLD}  # the reports' doing
    for c in unpublished:
        settled.pop(c, None)
    return withhold(cells, sums, unpublished | lost, settled=settled) | lost


# -- the workbook -----------------------------------------------------------------------------

ABOUT_NOTE = (
    "Each parent appears under the partnership's keyed pseudonym, with codes, numbers and the "
    "dates of their journey only: no names, contact details, postcodes, dates of birth or "
    "anyone's words. The individual sheet is personal data for the funder under your data "
    "sharing agreement; publish only the tables."
)
# The tables only (the workbook to publish): no individual sheet to speak of.
ABOUT_NOTE_TABLES = (
    "The tables only, with small counts withheld as above: no line for any one parent, and no "
    "names, contact details, postcodes, dates of birth or anyone's words."
)


def _write_xlsx(result: FunderReturn, out: Path, mapping: Mapping, *, tables_only: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if out.exists():
        raise ValidationError(f"{out} already exists; choose a new file name.")
    bold = Font(name="Calibri", bold=True)  # the workbook's own font, in bold
    book = Workbook()
    about = book.active
    about.title = "About"
    q = result.quarter
    parents: Any = len(result.people)
    if tables_only:
        # The workbook to publish: how many parents, as its tables give it (withheld there,
        # withheld here too), not the number of individual lines it leaves out.
        on_programme = result.count("all", "all", "on_programme")
        parents = mapping.withheld if on_programme is None else on_programme
    lines: list[tuple[str, Any]] = [
        ("Return", mapping.name),
        ("Partnership", result.partnership),
        ("Quarter", q.name),
        ("From", q.start),
        ("To", q.end),
        ("Parents in the return", parents),
        ("Made", result.made_at),
        ("Made by", f"JourneyApp {__version__}"),
        ("Pseudonym key check", result.key_check),
        ("Column layout", mapping.source.name if mapping.source else ""),
        ("Withheld counts", _WITHHELD_NOTE.format(mark=mapping.withheld)),
        ("What is left out", ABOUT_NOTE_TABLES if tables_only else ABOUT_NOTE),
    ]
    for number, (name, value) in enumerate(lines, start=1):
        about.append([name, _cell(value)])
        _date_format(about, number, 2)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 90
    if not tables_only:
        sheet = book.create_sheet(mapping.sheet)
        sheet.append([_cell(c.header) for c in mapping.columns])
        for cell in sheet[1]:
            cell.font = bold
        for number, row in enumerate(result.rows(mapping), start=2):
            sheet.append([_cell(v) for v in row])
            _date_format(sheet, number, len(mapping.columns))
        sheet.freeze_panes = "B2"
        widest = [0] * len(mapping.columns)
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for n, value in enumerate(row):
                shown = 10 if isinstance(value, date) else len(str(value or ""))
                widest[n] = max(widest[n], shown)
        for n, (column, wide) in enumerate(zip(mapping.columns, widest, strict=True), start=1):
            # Wide enough for the values; headings wrap rather than widen every column.
            width = max(8, wide + 2, min(len(column.header), 14))
            sheet.column_dimensions[get_column_letter(n)].width = min(28, width)
            sheet.cell(1, n).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[1].height = 45
    tables = book.create_sheet(mapping.tables_sheet)
    tables.append(
        [_cell(f"{mapping.name}: {q.name} ({q.start.isoformat()} to {q.end.isoformat()})")]
    )
    tables["A1"].font = bold
    for dimension, rows in result.tables.items():
        tables.append([])
        tables.append([DIMENSIONS[dimension], *MEASURES.values()])
        for cell in tables[tables.max_row]:
            cell.font = bold
        for group, label in rows:
            counts = [result.count(dimension, group, m) for m in MEASURES]
            tables.append(
                [_cell(label), *(_cell(mapping.withheld) if v is None else v for v in counts)]
            )
    tables.column_dimensions["A"].width = 50
    for n in range(2, len(MEASURES) + 2):
        tables.column_dimensions[get_column_letter(n)].width = 14
    columns = book.create_sheet("Columns")
    columns.append(["Column", "Source", "Meaning"])
    for cell in columns[1]:
        cell.font = bold
    for column in mapping.columns:
        columns.append(
            [_cell(column.header), column.source, _cell(column.meaning or SOURCES[column.source])]
        )
    columns.column_dimensions["A"].width = 32
    columns.column_dimensions["B"].width = 30
    columns.column_dimensions["C"].width = 100
    # Printed (or turned into a PDF) the way a person reads it: landscape, whole rows of the
    # tables on one page, long text wrapped, the headings again on every page.
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet_, column_, chars in ((about, "B", 90), (columns, "C", 100)):
        for cell in sheet_[column_]:
            cell.alignment = wrap
            wrapped = -(-len(str(cell.value or "")) // chars)
            if wrapped > 1:  # spreadsheet programs do not all grow a row for wrapped text
                sheet_.row_dimensions[cell.row].height = 15 * wrapped
    for row in tables.iter_rows(min_row=2):
        if row[0].font.bold:  # a table's headings: wrapped over two lines
            tables.row_dimensions[row[0].row].height = 45
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, horizontal="right", vertical="top")
            row[0].alignment = Alignment(vertical="top")
        else:  # counts and the withheld word line up alike
            for cell in row[1:]:
                cell.alignment = Alignment(horizontal="right")
    for cell in about["A"]:
        cell.alignment = Alignment(vertical="top")
    for each in book.worksheets:
        each.page_setup.orientation = "landscape"
        each.page_setup.paperSize = each.PAPERSIZE_A4
        each.sheet_properties.pageSetUpPr.fitToPage = True
        each.page_setup.fitToWidth = 1 if each.title != mapping.sheet else 3
        each.page_setup.fitToHeight = 0
    if not tables_only:
        book[mapping.sheet].print_title_rows = "1:1"
    buffer = io.BytesIO()
    book.save(buffer)
    # Whole or not at all, this account's only; a place that cannot be written is named.
    write_private(
        out, buffer.getvalue(), register=paths.in_progress_register(), doing="write the return"
    )


_WITHHELD_NOTE = (
    "Counts from 1 to 4 show '{mark}', and so do a few larger ones chosen so that none of them "
    "can be worked out from totals or other rows, here or in the programme reports for the "
    "same quarter, its year or all dates."
)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    return value


def _date_format(sheet: Any, row: int, width: int) -> None:
    """Dates shown as dates, and neutralised text kept as text, in one row just written (its
    cells named outright: asking openpyxl for "the row" measures the whole sheet each time)."""
    for cell in (sheet.cell(row, column) for column in range(1, width + 1)):
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(cell.value, str) and cell.value.startswith("'"):
            cell.data_type = "s"


# -- checking before sending ------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A missing or contradictory answer the return needs; participant_id None: the caseload's."""

    participant_id: str | None
    who: str
    what: str
    # Where it is put right: the kind of record (and which one, and its field) to open.
    kind: str = ""
    record_id: str = ""
    field: str = ""

    def __str__(self) -> str:
        return f"{self.who}: {self.what}" if self.who else self.what


def check_return(
    caseload: Caseload, quarter: Quarter, built: FunderReturn | None = None
) -> list[Problem]:
    """What to complete or correct before the quarter's return is sent, parent by parent
    (`built`: the quarter's return, when it has been worked out already)."""
    codes: Codes = caseload.codes
    problems: list[Problem] = []
    started_work = frozenset(caseload.catalogue.job_entry_types)
    listed = codes.outcome_milestones(JOB_ENTRY_OUTCOME)
    if listed and listed != started_work:
        # An older copy of the codes still lists starting work's milestone types, and not
        # the ones the catalogue marks (which the return and the report follow): said, so the
        # list is not taken for the setting.
        marked = ", ".join(caseload.catalogue.job_entry_types) or "no milestone type"
        problems.append(
            Problem(
                None,
                "",
                f"The answer codes ({codes.source}) list {', '.join(sorted(listed))} as "
                f"starting work ([[outcomes]] job_entry), but the catalogue marks {marked} "
                "(job_entry = true), and the return follows the catalogue: take the "
                "milestones line out of job_entry in the codes, and mark the milestone type "
                "that means starting work job_entry = true in the catalogue.",
            )
        )
    info = caseload.areas.info()
    if not info.postcodes:
        problems.append(
            Problem(
                None,
                "",
                "No postcode lookup is held, so no SIMD quintile can be given: import the "
                "partnership's file (journeyapp lookup, or Partnership > Postcode lookup).",
            )
        )
    result = built if built is not None and built.quarter == quarter else None
    facts = (result or build_return(caseload, quarter)).facts
    postcodes = {
        pid: normalise_postcode(f.circumstances.postcode)
        for pid, f in facts.items()
        if f.circumstances is not None and f.circumstances.postcode
    }
    held = caseload.areas.find([p for p in postcodes.values() if p]) if info.postcodes else {}
    names = _told_apart(
        {pid: f.participant for pid, f in facts.items()},
        lambda key: caseload.catalogue.label("localities", key),
    )
    for pid, f in sorted(facts.items(), key=lambda kv: names[kv[0]].casefold()):
        who = names[pid]

        p, e, c = f.participant, f.equalities, f.circumstances

        def add(
            what: str,
            kind: str = CIRCUMSTANCES,
            record_id: str | None = None,
            field: str = "",
            pid: str = pid,
            who: str = who,
            c_id: str = c.id if c is not None else "",
        ) -> None:
            if record_id is None:
                record_id = c_id if kind == CIRCUMSTANCES else ""
            problems.append(Problem(pid, who, what, kind, record_id, field))

        if p.date_of_birth is None and not (e and e.age_band):
            add(
                "no date of birth or age group, so no age band",
                Participant.KIND,
                p.id,
                "date_of_birth",
            )
        if f.equalities_consent and e is None:
            add("agreed to equalities monitoring, but no answers are recorded yet", EQUALITIES)
        if c is None or not c.employment_status:
            add(
                "no answer about work when they started (circumstances at start)",
                field="employment_status",
            )
        if c is None or not c.lone_parent:
            add("not recorded whether they bring up their children alone", field="lone_parent")
        if (
            c is not None
            and c.employment_status in ("employed", "self_employed")
            and c.time_out_of_work
            not in (
                "",
                "in_work",
                "prefer_not_to_say",
            )
        ):
            add(
                f"in work when they started, but time out of work says "
                f"'{codes.label('time_out_of_work', c.time_out_of_work)}'",
                field="time_out_of_work",
            )
        if (
            c is not None
            and c.time_out_of_work == "in_work"
            and c.employment_status
            in (
                "unemployed_looking",
                "not_working_not_looking",
            )
        ):
            add(
                "not working when they started, but time out of work says in work",
                field="time_out_of_work",
            )
        if c is None or not c.postcode:
            add("no postcode, so no SIMD quintile", field="postcode")
        elif info.postcodes and postcodes.get(pid) not in held:
            add(
                f"postcode {c.postcode} is not in the partnership's postcode lookup",
                field="postcode",
            )
        job_ids = {j.milestone_id for j in f.jobs if j.milestone_id}
        job_days = {j.started_on for j in f.jobs}
        # What had happened by the quarter's end (later jobs belong to a later return).
        for m in (m for m in f.milestones if m.achieved_on <= quarter.end):
            if m.type in started_work and m.id not in job_ids and m.achieved_on not in job_days:
                add(
                    f"'started work' on {long_date(m.achieved_on)} has no job record "
                    "(hours, contract, sector)",
                    Milestone.KIND,
                    m.id,
                )
        for j in (j for j in f.jobs if j.started_on <= quarter.end):
            day = long_date(j.started_on)  # as every line a person reads gives a day
            job = {"kind": JOBS, "record_id": j.id}
            if j.hours_per_week is None and not j.working_pattern:
                add(f"the job started {day} has no hours and no full or part time", **job)
            if j.left_on is not None and j.left_on < j.started_on:
                add(
                    f"the job started {day} ends before it starts ({long_date(j.left_on)})",
                    **job,
                )
            if j.started_on < p.joined_on:
                add(
                    f"the job started {day}, before they joined ({long_date(p.joined_on)})",
                    **job,
                )
            if j.progressed_on is not None and j.progressed_on < j.started_on:
                add(f"the job started {day} got better before it started", **job)
            if j.left_on is not None and not j.leaving_reason:
                add(f"the job started {day} ended, but not why", **job)
    return problems


def _who(p: Participant) -> str:
    name = with_family_initial(p.preferred_name, p.full_name)
    return f"{name} ({p.ref})" if p.ref else name


def _told_apart(people: dict[str, Participant], locality: Callable[[str], str]) -> dict[str, str]:
    """Each parent's name for the check's lines; two parents who would read alike (one preferred
    name and family initial, no reference) are told apart by the day they joined, and by their
    locality when they joined on the same day."""
    names = {pid: _who(p) for pid, p in people.items()}
    shared = Counter(names.values())
    for pid, p in people.items():
        if shared[names[pid]] > 1:
            names[pid] = f"{names[pid]}, joined {long_date(p.joined_on)}"
    shared = Counter(names.values())
    for pid, p in people.items():
        if shared[names[pid]] > 1 and p.locality:
            names[pid] = f"{names[pid]} in {locality(p.locality)}"
    return names


def source_names() -> Sequence[str]:
    """Every source a mapping's column can name."""
    return tuple(SOURCES)
