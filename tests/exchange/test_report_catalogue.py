"""The programme report and the partnership's catalogue: every milestone and service held is
counted whatever the catalogue lists (a type retired from it, or merged from a laptop with
another catalogue), and starting work is the catalogue's job-entry milestone type, not a name in
code. Real caseload files, the real `journeyapp report` command, its files read back."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path
from statistics import median

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.catalogue import NOT_LISTED, load_catalogue, readable
from journeyapp.core.codes import JOB_ENTRY_OUTCOME, load_codes
from journeyapp.core.enums import Decision
from journeyapp.core.errors import JourneyError, ValidationError
from journeyapp.core.returns import parse_quarter
from journeyapp.exchange.returns import build_return, check_return
from journeyapp.paths import resource
from tests.clock import past, past_quarter, ticking_clock
from tests.exchange.test_report_equivalence import assert_same_reports

DEFAULT = resource("catalogue.toml").read_text(encoding="utf-8")
MARK = "job_entry = true\n"
# Entries a laptop's catalogue had that the coordinator's may not: (list, key, label).
EXTRAS = (
    ("milestone_types", "passed_driving_test", "Passed my driving test"),
    ("milestone_types", "into_work", "Into work"),
    ("milestone_types", "started_self_employment", "Started self-employment"),
    ("services", "parenting_course", "Parenting course"),
    ("localities", "dundee", "Dundee"),
)


# The report's generated caseloads: each example builds and reports on a real one.
REPORTS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def catalogue_text(keep: frozenset[str], job_entry: frozenset[str] | None = None) -> str:
    """The default catalogue with the `keep` extras, and `job_entry` types marked (None: the
    default's marks; an empty set: none marked, as a catalogue written before the mark)."""
    text = DEFAULT if job_entry is None else DEFAULT.replace(MARK, "")
    for list_name, key, label in EXTRAS:
        if key in keep:
            text += f'\n[[{list_name}]]\nkey = "{key}"\nlabel = "{label}"\n'
    for key in sorted(job_entry or ()):
        at = text.index(f'key = "{key}"\n')
        at = text.index("\n", text.index("label =", at)) + 1
        text = text[:at] + MARK + text[at:]
    return text


def write_catalogue(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def report(
    db: Path, catalogue: Path, folder: Path, fmt: str = "json", *period: str, exact: bool = True
) -> Path:
    """Run `journeyapp report` with the partnership's catalogue; the file it wrote."""
    ending = "txt" if fmt == "text" else fmt  # the ending --out must have for the format
    out = folder / f"report-{len(list(folder.iterdir()))}.{ending}"
    args = ["report", "--db", str(db), "--format", fmt, "--out", str(out), *period]
    result = CliRunner().invoke(
        cli, [*args, *(["--exact"] if exact else [])], env={"JOURNEYAPP_CATALOGUE": str(catalogue)}
    )
    assert result.exit_code == 0, result.output
    return out


def period_args(since: date | None, until: date | None) -> list[str]:
    return [
        *(["--from", since.isoformat()] if since else []),
        *(["--to", until.isoformat()] if until else []),
    ]


def _in(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


DAYS = [past(2026, 1, 5), past(2026, 3, 31), past(2026, 4, 1), past(2026, 6, 30), past(2026, 9, 1)]
PERIODS = [(None, None), (past(2026, 4, 1), past(2026, 6, 30)), (None, past(2026, 3, 31))]
LOCALITIES = ["fife", "glasgow", "dundee"]
TYPES = ["first_meeting", "started_work", "passed_driving_test", "into_work"]
TYPES += ["started_self_employment"]
SERVICES = ["volunteering", "money_advice", "parenting_course"]

parent = st.tuples(st.sampled_from(DAYS[:3]), st.sampled_from(LOCALITIES))
milestone = st.tuples(st.integers(0, 5), st.sampled_from(DAYS), st.sampled_from(TYPES))
choice = st.tuples(
    st.integers(0, 5), st.sampled_from(DAYS), st.sampled_from(SERVICES), st.sampled_from(Decision)
)
EVERY_EXTRA = frozenset(key for _, key, _ in EXTRAS)


class Held:
    """What a laptop recorded under its wide catalogue, as plain facts to check a report by."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.parents: dict[str, tuple[date, str]] = {}  # id -> (joined on, locality)
        self.milestones: list[tuple[str, str, date]] = []  # (parent, type, achieved on)
        self.choices: list[tuple[str, str, Decision, date]] = []

    def reached(self, since: date | None, until: date | None) -> set[str]:
        """Parents reached in the period: joined by its end, and joined or reached a milestone
        in it (no contacts or breaks are made here)."""
        if since is None and until is None:
            return set(self.parents)
        active = {pid for pid, (joined, _) in self.parents.items() if _in(joined, since, until)}
        active |= {pid for pid, _, on in self.milestones if _in(on, since, until)}
        return {pid for pid in active if until is None or self.parents[pid][0] <= until}


def record(
    folder: Path,
    parents: list[tuple[date, str]],
    milestones: list[tuple[int, date, str]],
    choices: list[tuple[int, date, str, Decision]] = (),  # type: ignore[assignment]
) -> Held:
    """A caseload recorded under a catalogue holding every extra entry."""
    held = Held(folder / "laptop.db")
    wide = load_catalogue(write_catalogue(folder, "wide", catalogue_text(EVERY_EXTRA)))
    c = Caseload.open(held.db, create=True, plain=True, catalogue=wide)
    try:
        ids = []
        for joined, place in parents:
            c.clock = ticking_clock(joined)
            ids.append(c.enrol_participant("Ann", place, joined).id)
            held.parents[ids[-1]] = (joined, place)
        for who, on, kind in milestones:
            pid = ids[who % len(ids)]
            c.clock = ticking_clock(on)
            with contextlib.suppress(JourneyError):  # before joining: refused, as in the window
                c.record_milestone(pid, kind, achieved_on=on)
                held.milestones.append((pid, kind, on))
        for who, on, service, decision in choices:
            pid = ids[who % len(ids)]
            c.clock = ticking_clock(on)
            c.choose_service(pid, service, decision, on=on)
            # One choice per parent and service: a later decision replaces the earlier one.
            held.choices = [x for x in held.choices if x[:2] != (pid, service)]
            held.choices.append((pid, service, decision, on))
    finally:
        c.close()
    return held


@REPORTS
@given(
    parents=st.lists(parent, min_size=1, max_size=6),
    milestones=st.lists(milestone, max_size=25),
    choices=st.lists(choice, max_size=12),
    keep=st.frozensets(st.sampled_from(sorted(EVERY_EXTRA))),
    period=st.sampled_from(PERIODS),
)
def test_every_milestone_and_service_held_is_counted_whatever_the_catalogue_lists(
    parents: list[tuple[date, str]],
    milestones: list[tuple[int, date, str]],
    choices: list[tuple[int, date, str, Decision]],
    keep: frozenset[str],
    period: tuple[date | None, date | None],
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        held = record(folder, parents, milestones, choices)
        ours = write_catalogue(folder, "ours", catalogue_text(keep))
        catalogue = load_catalogue(ours)
        out = folder / "out"
        out.mkdir()
        data = json.loads(report(held.db, ours, out, "json", *period_args(*period)).read_text())
        since, until = period
        reached = held.reached(since, until)
        assert data["participants"] == len(reached)
        # The breakdowns of the parents reached add up to the headline figure.
        assert sum(data["by_locality"].values()) == len(reached)
        # Every milestone reached in the period is counted once per parent and type.
        pairs = {(pid, kind) for pid, kind, on in held.milestones if _in(on, since, until)}
        rows = data["milestones"]
        assert sum(row["participants"] for row in rows.values()) == len(pairs)
        for kind in {kind for _, kind in pairs}:
            assert rows[kind]["participants"] == len({pid for pid, k in pairs if k == kind})
        # Every choice made in the period by a parent reached is counted, under its service.
        made = [x for x in held.choices if x[0] in reached and _in(x[3], since, until)]
        chosen = [service for _, service, decision, _ in made if decision is Decision.CHOSEN]
        declined = [service for _, service, decision, _ in made if decision is not Decision.CHOSEN]
        assert sum(data["services_chosen"].values()) == len(chosen)
        assert sum(data["services_not_for_now"].values()) == len(declined)
        for service in set(chosen):
            assert data["services_chosen"][service] == chosen.count(service)
        # Each is shown in the catalogue's words, or under its key marked as not listed.
        labels = {key: row["label"] for key, row in rows.items()}
        for kind in labels:
            listed = kind in catalogue.key_set("milestone_types")
            expected = (
                catalogue.label("milestone_types", kind)
                if listed
                else f"{readable(kind)} {NOT_LISTED}"
            )
            assert labels[kind] == expected


def test_a_retired_service_and_milestone_type_show_in_every_format(tmp_path: Path) -> None:
    """Recorded under a laptop's catalogue, reported under the coordinator's, which lists
    neither: each is in the text, CSV, workbook and printed report, marked, not dropped."""
    parents = [(past(2026, 1, 5), "fife")] * 6
    held = record(
        tmp_path,
        parents,
        [(n, past(2026, 2, 1), "passed_driving_test") for n in range(6)],
        [(n, past(2026, 2, 1), "parenting_course", Decision.CHOSEN) for n in range(6)],
    )
    ours = write_catalogue(tmp_path, "ours", DEFAULT)
    out = tmp_path / "out"
    out.mkdir()
    driving = f"Passed driving test {NOT_LISTED}"
    parenting = f"Parenting course {NOT_LISTED}"
    text = report(held.db, ours, out, "text", exact=False).read_text()
    assert f"{driving}  6 (100%)" in text
    assert f"{parenting}  6" in text
    assert "DEMO" not in text  # said only of a demo caseload's report
    table = list(csv.reader(io.StringIO(report(held.db, ours, out, "csv").read_text("utf-8-sig"))))
    assert any(row[:4] == ["milestones", "passed_driving_test", driving, "6"] for row in table)
    assert any(row[:4] == ["services_chosen", "parenting_course", parenting, "6"] for row in table)
    sheet = load_workbook(report(held.db, ours, out, "xlsx", exact=False)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert any(r[:4] == ["milestones", "passed_driving_test", driving, 6] for r in rows)
    pdf = report(held.db, ours, out, "pdf", exact=False)
    printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert f"{driving} 6 (100%)" in printed
    assert f"{parenting} 6" in printed


@REPORTS
@given(
    parents=st.lists(parent, min_size=1, max_size=6),
    milestones=st.lists(milestone, max_size=25),
    job_entry=st.frozensets(
        st.sampled_from(["started_work", "into_work", "started_self_employment"])
    ),
    period=st.sampled_from(PERIODS),
)
def test_starting_work_is_the_catalogues_job_entry_types(
    parents: list[tuple[date, str]],
    milestones: list[tuple[int, date, str]],
    job_entry: frozenset[str],
    period: tuple[date | None, date | None],
) -> None:
    """The typical time from joining to starting work rests on exactly the parents reached who
    had a milestone of a type the catalogue marks `job_entry = true` by the period's end (a
    catalogue marking none: its started_work type, as before the mark), from the first."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        held = record(folder, parents, milestones)
        ours = write_catalogue(folder, "ours", catalogue_text(EVERY_EXTRA, job_entry))
        out = folder / "out"
        out.mkdir()
        data = json.loads(report(held.db, ours, out, "json", *period_args(*period)).read_text())
        since, until = period
        work = job_entry or {"started_work"}
        first: dict[str, date] = {}
        for pid, kind, on in held.milestones:
            if kind in work and (until is None or on <= until):
                first[pid] = min(on, first.get(pid, on))
        days = [(on - held.parents[pid][0]).days for pid, on in first.items()]
        days = [d for pid, d in zip(first, days, strict=True) if pid in held.reached(since, until)]
        assert data["parents_behind"]["median_days"]["joining_to_work"] == len(days)
        assert data["medians_days"]["joining_to_work"] == (median(days) if days else None)


def test_a_job_grows_from_the_catalogues_job_entry_type(tmp_path: Path) -> None:
    """A partnership whose catalogue calls starting work "into_work": a job recorded on its own
    makes that milestone, a job grows from one, and the return's check asks for its job."""
    ours = load_catalogue(write_catalogue(tmp_path, "ours", _without_started_work()))
    assert ours.job_entry_types == ("into_work",)
    c = Caseload.open(tmp_path / "c.db", create=True, plain=True, catalogue=ours)
    try:
        c.clock = ticking_clock(past(2026, 9, 30))
        pid = c.enrol_participant("Ann", "fife", past(2026, 1, 5)).id
        job = c.add_job(pid, past(2026, 8, 3), with_milestone=True)
        made = [m for m in c.journey(pid).milestones if m.id == job.milestone_id]
        assert [m.type for m in made] == ["into_work"]
        later = c.record_milestone(pid, "into_work", achieved_on=past(2026, 9, 7))
        assert c.add_job(pid, milestone_id=later.id).started_on == past(2026, 9, 7)
        other = c.record_milestone(pid, "first_meeting", achieved_on=past(2026, 1, 5))
        with pytest.raises(ValidationError, match="grows from"):
            c.add_job(pid, milestone_id=other.id)
        third = c.record_milestone(pid, "into_work", achieved_on=past(2026, 9, 21))
        problems = [
            (p.kind, p.record_id) for p in check_return(c, parse_quarter(past_quarter("2026Q3")))
        ]
        assert ("milestones", third.id) in problems
        assert ("milestones", later.id) not in problems
    finally:
        c.close()


STALE_CODES = 'key = "job_entry"\nlabel = "Started work"\nmilestones = ["started_work"]\n'


def test_starting_work_is_one_setting_for_the_return_and_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer codes list no milestone type for starting work: a partnership that calls it
    "into_work" marks it job_entry = true in its catalogue, and the return (its job entries,
    from the job kept on the milestone) and the report (time to work) both count it. An older
    copy of the codes that still lists another type is named by the return's check, and makes
    no difference to the return."""
    codes_text = resource("codes.toml").read_text(encoding="utf-8")
    assert 'key = "job_entry"\nlabel = "Started work"\n' in codes_text
    assert load_codes(resource("codes.toml")).outcome_milestones(JOB_ENTRY_OUTCOME) == frozenset()
    stale = tmp_path / "old-codes.toml"
    stale.write_text(
        codes_text.replace('key = "job_entry"\nlabel = "Started work"\n', STALE_CODES),
        encoding="utf-8",
    )
    quarter = parse_quarter(past_quarter("2026Q3"))

    def the_return(catalogue_text: str, codes: Path | None) -> tuple[list[str], list[dict]]:
        if codes is None:
            monkeypatch.delenv("JOURNEYAPP_CODES", raising=False)
        else:
            monkeypatch.setenv("JOURNEYAPP_CODES", str(codes))
        catalogue = write_catalogue(tmp_path, "ours", catalogue_text)
        db = tmp_path / "c.db"
        db.unlink(missing_ok=True)
        c = Caseload.open(db, create=True, plain=True, catalogue=load_catalogue(catalogue))
        try:
            c.clock = ticking_clock(past(2026, 9, 30))
            kind = c.catalogue.job_entry_types[0]
            for n in range(6):
                pid = c.enrol_participant(f"Ann {n}", "fife", past(2026, 1, 5)).id
                c.add_job(pid, past(2026, 8, 3), with_milestone=True)
                assert [m.type for m in c.journey(pid).milestones] == [kind]
            built = build_return(c, quarter, key=b"k" * 32)
            problems = [str(p) for p in check_return(c, quarter, built)]
            rows = [{k: v for k, v in p.values.items() if k != "pseudonym"} for p in built.people]
            assert built.count("all", "all", "job_entries") == 6
        finally:
            c.close()
        data = json.loads(report(db, catalogue, tmp_path, "json").read_text())
        assert data["parents_behind"]["median_days"]["joining_to_work"] == 6
        return problems, rows

    into_work = _without_started_work()
    problems, rows = the_return(into_work, None)
    assert not any("answer codes" in line for line in problems)
    # An older copy of the codes: its list is not the setting, and the check says so.
    stale_problems, stale_rows = the_return(into_work, stale)
    assert stale_rows == rows
    [said] = [line for line in stale_problems if "answer codes" in line]
    assert "list started_work as starting work" in said
    assert "the catalogue marks into_work (job_entry = true)" in said
    assert "take the milestones line out of job_entry" in said
    # The same older copy beside a catalogue that agrees with it (the default): nothing said.
    agreeing, _ = the_return(DEFAULT, stale)
    assert not any("answer codes" in line for line in agreeing)


def _without_started_work() -> str:
    """The default catalogue with its "started work" type called into_work, marked."""
    text = catalogue_text(frozenset(), frozenset())
    text = text.replace('key = "started_work"\n', 'key = "into_work"\n')
    return text.replace('label = "Started work"\n', 'label = "Into work"\n' + MARK)


def test_a_catalogue_marking_two_types_or_none_is_read_so(tmp_path: Path) -> None:
    two = load_catalogue(
        write_catalogue(
            tmp_path, "two", catalogue_text(EVERY_EXTRA, frozenset({"into_work", "started_work"}))
        )
    )
    assert two.job_entry_types == ("started_work", "into_work")  # in the catalogue's order
    none = load_catalogue(
        write_catalogue(tmp_path, "none", catalogue_text(frozenset(), frozenset()))
    )
    assert none.job_entry_types == ("started_work",)  # as before the mark existed
    bad = DEFAULT.replace(MARK, 'job_entry = "yes"\n')
    with pytest.raises(ValidationError, match="job_entry = true or job_entry = false"):
        load_catalogue(write_catalogue(tmp_path, "bad", bad))


@REPORTS
@given(
    parents=st.lists(parent, min_size=1, max_size=6),
    milestones=st.lists(milestone, max_size=10),
    keep=st.frozensets(st.sampled_from(sorted(EVERY_EXTRA))),
    period=st.sampled_from(PERIODS),
)
def test_a_report_can_be_asked_for_every_locality_it_shows(
    parents: list[tuple[date, str]],
    milestones: list[tuple[int, date, str]],
    keep: frozenset[str],
    period: tuple[date | None, date | None],
) -> None:
    """`journeyapp report --locality` takes any locality the whole report shows, listed in the
    catalogue or not, by its key in any case: its report holds that row's parents."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        held = record(folder, parents, milestones)
        ours = write_catalogue(folder, "ours", catalogue_text(keep))
        out = folder / "out"
        out.mkdir()
        times = period_args(*period)
        whole = json.loads(report(held.db, ours, out, "json", *times).read_text())
        for place, count in whole["by_locality"].items():
            typed = place.upper() if len(whole["by_locality"]) % 2 else place
            one = report(held.db, ours, out, "json", *times, "--locality", typed)
            assert json.loads(one.read_text())["participants"] == count


def test_a_locality_not_in_the_catalogue_is_reported_on_and_offered_in_the_refusal(
    tmp_path: Path,
) -> None:
    # Six parents in Dundee, recorded on a laptop whose catalogue lists it; the coordinator's
    # does not, and the report shows them under "dundee (not in the catalogue)".
    held = record(
        tmp_path, [(past(2026, 1, 5), place) for place in ["dundee", "fife"] for _ in range(6)], []
    )
    ours = write_catalogue(tmp_path, "ours", DEFAULT)
    out = tmp_path / "out"
    out.mkdir()
    shown = f"Dundee {NOT_LISTED}"
    whole = report(held.db, ours, out, "text", exact=False).read_text()
    assert f"{shown}  6" in whole
    for typed in ("dundee", "Dundee", " DUNDEE ", shown):
        text = report(held.db, ours, out, "text", "--locality", typed, exact=False).read_text()
        assert f"All dates · {shown}" in text
        assert "Parents reached: 6" in text
    # With nobody in Dundee reached in the period: a report of none, not a failure.
    later = report(
        held.db, ours, out, "json", "--from", past(2026, 6, 1).isoformat(), "--locality", "dundee"
    )
    assert json.loads(later.read_text())["participants"] == 0
    # A locality nobody is in is still refused, the choices listed with Dundee among them.
    result = CliRunner().invoke(
        cli,
        ["report", "--db", str(held.db), "--locality", "perth"],
        env={"JOURNEYAPP_CATALOGUE": str(ours)},
    )
    assert result.exit_code == 1
    assert "Locality 'perth' is unknown; use one of: edinburgh, fife, glasgow" in result.output
    assert f"south_lanarkshire, {shown}." in result.output


# Two outcome areas a laptop's catalogue had that the coordinator's may not.
AREA_EXTRAS = {
    "driving": '\n[[outcome_areas]]\nkey = "driving"\nlabel = "Driving"\n',
    "cooking": '\n[[outcome_areas]]\nkey = "cooking"\nlabel = "Cooking"\n',
}
AREAS = ["confidence", "wellbeing", "driving", "cooking"]
assessment = st.tuples(
    st.integers(0, 5),
    st.sampled_from(DAYS),
    st.dictionaries(st.sampled_from(AREAS), st.integers(1, 10), min_size=1),
)


def scored(
    folder: Path,
    parents: list[tuple[date, str]],
    assessments: list[tuple[int, date, dict[str, int]]],
) -> Path:
    """A caseload whose self-assessments were scored under a catalogue with both extra areas."""
    db = folder / "scored.db"
    text = DEFAULT + "".join(AREA_EXTRAS.values())
    wide = load_catalogue(write_catalogue(folder, "scored-under", text))
    c = Caseload.open(db, create=True, plain=True, catalogue=wide)
    try:
        ids = []
        for joined, place in parents:
            c.clock = ticking_clock(joined)
            ids.append(c.enrol_participant("Ann", place, joined).id)
        for who, on, scores in assessments:
            c.clock = ticking_clock(on)
            with contextlib.suppress(JourneyError):  # before joining: refused, as in the window
                c.record_assessment(ids[who % len(ids)], scores, taken_on=on)
    finally:
        c.close()
    return db


@REPORTS
@given(
    parents=st.lists(st.tuples(st.sampled_from(DAYS[:3]), st.just("fife")), min_size=1, max_size=6),
    assessments=st.lists(assessment, max_size=14),
    listed=st.frozensets(st.sampled_from(sorted(AREA_EXTRAS))),
    period=st.sampled_from(PERIODS),
)
def test_distance_travelled_counts_every_area_scored_whatever_the_catalogue_lists(
    parents: list[tuple[date, str]],
    assessments: list[tuple[int, date, dict[str, int]]],
    listed: frozenset[str],
    period: tuple[date | None, date | None],
) -> None:
    """An outcome area's distance travelled and share who improved (and the parents behind
    them) are the same whether the coordinator's catalogue lists the area or not; one it does
    not list comes after the catalogue's, wherever any parent has a change in it."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = scored(folder, parents, assessments)
        every = write_catalogue(folder, "every", DEFAULT + "".join(AREA_EXTRAS.values()))
        ours_text = DEFAULT + "".join(AREA_EXTRAS[a] for a in sorted(listed))
        ours = write_catalogue(folder, "ours", ours_text)
        ours_keys = list(load_catalogue(ours).keys("outcome_areas"))
        out = folder / "out"
        out.mkdir()
        times = period_args(*period)
        full = json.loads(report(db, every, out, "json", *times).read_text())
        seen = json.loads(report(db, ours, out, "json", *times).read_text())
        behind = full["parents_behind"]
        for section in ("distance_travelled", "improved"):
            expected = {
                area: value
                for area, value in full[section].items()
                if area in ours_keys or behind[section][area]
            }
            assert seen[section] == expected
            assert list(seen[section]) == ours_keys + sorted(set(expected) - set(ours_keys))
            assert seen["parents_behind"][section] == {a: behind[section][a] for a in expected}


def driving_six(folder: Path) -> Path:
    """Six parents in Fife who each scored "driving" 2 then 5, and confidence 3 then 5."""
    day, later = past(2026, 1, 6), past(2026, 3, 5)
    assessments = [(n, day, {"confidence": 3, "driving": 2}) for n in range(6)]
    assessments += [(n, later, {"confidence": 5, "driving": 5}) for n in range(6)]
    return scored(folder, [(past(2026, 1, 5), "fife")] * 6, assessments)


def test_an_area_not_in_the_catalogue_shows_in_every_format(tmp_path: Path) -> None:
    """Scored under a laptop's catalogue, reported under the coordinator's, which does not list
    the area: its distance travelled and share who improved are in the text, JSON, CSV,
    workbook and printed report, under its key, marked, and the fast figures are the plain
    ones (report_reference)."""
    db = driving_six(tmp_path)
    ours = write_catalogue(tmp_path, "ours", DEFAULT)
    out = tmp_path / "out"
    out.mkdir()
    driving = f"Driving {NOT_LISTED}"
    text = report(db, ours, out, "text", exact=False).read_text()
    assert f"{driving}  3.0 points, 6 parents" in text
    assert f"{driving}  100.0%, 6 parents" in text
    data = json.loads(report(db, ours, out, "json", exact=False).read_text())
    assert data["distance_travelled"]["driving"] == 3.0
    assert data["improved"]["driving"] == 100.0
    assert data["parents_behind"]["distance_travelled"]["driving"] == 6
    table = list(csv.reader(io.StringIO(report(db, ours, out, "csv").read_text("utf-8-sig"))))
    assert any(
        row[:6] == ["distance_travelled", "driving", driving, "", "", "3.0"] for row in table
    )
    assert any(row[:3] == ["improved", "driving", driving] for row in table)
    sheet = load_workbook(report(db, ours, out, "xlsx", exact=False)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert any(r[:3] == ["distance_travelled", "driving", driving] for r in rows)
    assert any(r[:3] == ["improved", "driving", driving] for r in rows)
    pdf = report(db, ours, out, "pdf", exact=False)
    printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert f"{driving} 3.0 points, 6 parents" in printed
    c = Caseload.open(db, plain=True, catalogue=load_catalogue(ours))
    c.clock = ticking_clock(past(2026, 11, 28))
    try:
        assert_same_reports(c)
    finally:
        c.close()
