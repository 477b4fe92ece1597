"""`journeyapp parent`, `pace` and `choice` on real caseload files: sequences of commands, each
checked against what the caseload then holds; refusals in one line that change nothing (the
file's bytes as they were); and the journey log of a command the same, field for field, as that
of the window's use case called as the window calls it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.enums import ConsentPurpose, Decision, Destination, Pace, Rhythm, Voice
from journeyapp.core.records import Event
from tests.cli.refusals import folder_state, refused
from tests.clock import real_days_ago, real_today, ticking_clock

NAME = "Siobhán"
SETTINGS = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Words as a person types them, spaces at either end included (trimmed as the window trims).
WORDS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), whitelist_characters=" "),
    max_size=20,
)
SERVICES = ["volunteering", "Job search support", "MONEY_ADVICE", "wellbeing support"]
SERVICE_KEYS = {
    "volunteering": "volunteering",
    "Job search support": "job_search",
    "MONEY_ADVICE": "money_advice",
    "wellbeing support": "wellbeing_support",
}


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(path)])


@contextmanager
def opened(path: Path) -> Iterator[Caseload]:
    """The caseload file, its today the real one (the command's)."""
    caseload = Caseload.open(path, create=not path.exists(), plain=True)
    caseload.clock = ticking_clock(real_today())
    try:
        yield caseload
    finally:
        caseload.close()


def with_one_parent(path: Path) -> str:
    with opened(path) as caseload:
        return caseload.enrol_participant(NAME, "fife", joined_on=real_days_ago(200)).id


def fresh(tmp_path: Path) -> Path:
    """A new file in a folder of its own (each example Hypothesis tries gets one)."""
    return Path(tempfile.mkdtemp(dir=tmp_path)) / "c.db"


# -- the harness: a sequence of commands, the caseload checked after each ----------------------

DETAIL_OPTIONS = {
    "full_name": "--full-name",
    "phone": "--phone",
    "address": "--address",
    "keyworker": "--keyworker",
    "referral_source": "--referral-source",
}

details_step = st.tuples(
    st.just("details"),
    st.dictionaries(st.sampled_from(sorted(DETAIL_OPTIONS)), WORDS, min_size=1, max_size=3),
    st.none() | st.sampled_from(list(Destination)),
    st.none() | st.sampled_from(["en", "Polish", "uk", "ARABIC"]),
)
pace_step = st.tuples(
    st.just("pace"),
    st.sampled_from(list(Pace)),
    st.none() | st.sampled_from(list(Rhythm)),
    st.integers(0, 150),
    WORDS,
    st.none() | st.sampled_from(list(Voice)),
)
choice_step = st.tuples(
    st.just("choice"),
    st.sampled_from(SERVICES),
    st.none() | st.sampled_from(list(Decision)),
    st.none() | st.integers(0, 150),
    st.none() | WORDS,
    st.none() | st.sampled_from(list(Voice)),
)
remove_choice_step = st.tuples(st.just("remove choice"), st.sampled_from(SERVICES))
refused_step = st.sampled_from(
    [
        ("refused", ["pace", NAME, "--set", "flying"]),
        ("refused", ["pace", NAME, "--check-in", "daily"]),
        ("refused", ["choice", NAME, "--service", "skydiving", "--decision", "chosen"]),
        ("refused", ["choice", NAME, "--service", "volunteering", "--decision", "yes"]),
        ("refused", ["parent", NAME, "--email", "not an address"]),
        ("refused", ["parent", NAME, "--date-of-birth", "1850-01-01"]),
        ("refused", ["parent", NAME, "--name", "  "]),
        ("refused", ["parent", NAME, "--locality", "Atlantis"]),
        ("refused", ["parent", NAME, "--joined-on", "2020-01-01"]),
        ("refused", ["pace", NAME, "--id", "nope", "--reason", "x"]),
    ]
)
STEPS = st.lists(
    st.one_of(details_step, pace_step, choice_step, remove_choice_step, refused_step),
    min_size=1,
    max_size=6,
)


def held(caseload: Caseload, pid: str) -> dict[str, Any]:
    """What the caseload holds of the parent's details, pace changes and choices."""
    journey = caseload.journey(pid)
    p = journey.participant
    return {
        "details": {f: getattr(p, f) for f in DETAIL_OPTIONS}
        # No language held reads as English, as the About tab shows it (and saves no change).
        | {"destination": p.destination, "language": p.language or "en"},
        "pace": sorted(
            (c.pace.value, c.rhythm.value, c.changed_on, c.reason, c.voice.value)
            for c in journey.pace
        ),
        "choices": {
            c.service: (c.decision, c.decided_on, c.reason, c.voice) for c in journey.choices
        },
    }


LANGUAGES = {"en": "en", "Polish": "pl", "uk": "uk", "ARABIC": "ar"}


def step_through(
    path: Path, step: tuple[Any, ...], model: dict[str, Any], order: list[Any]
) -> None:
    """Run one step's command; change `model` as the command says it changed the caseload
    (`order`: the pace changes made, by day and then in the order they were recorded)."""
    kind = step[0]
    if kind == "refused":
        before = folder_state(path.parent)
        refused(run(path, *step[1]))
        assert folder_state(path.parent) == before
        return
    if kind == "details":
        _, texts, destination, language = step
        argv = ["parent", NAME]
        for field, words in texts.items():
            argv += [DETAIL_OPTIONS[field], words]
            model["details"][field] = words.strip()
        if destination is not None:
            argv += ["--destination", destination.value]
            model["details"]["destination"] = destination
        if language is not None:
            argv += ["--language", language]
            model["details"]["language"] = LANGUAGES[language]
        done = run(path, *argv)
        assert done.exit_code == 0, done.output
    elif kind == "pace":
        _, pace, rhythm, back, reason, voice = step
        argv = ["pace", NAME, "--set", pace.value, "--on", real_days_ago(back).isoformat()]
        argv += ["--reason", reason]
        if rhythm is not None:
            argv += ["--check-in", rhythm.value]
        else:  # as it was: the latest change's, else fortnightly (the form starts from it)
            latest = max(order, default=None)  # by day, then the order they were recorded in
            rhythm = latest[2] if latest else Rhythm.FORTNIGHTLY
        order.append((real_days_ago(back), len(order), rhythm))
        if voice is not None:
            argv += ["--chosen-by", voice.value]
        done = run(path, *argv)
        assert done.exit_code == 0, done.output
        model["pace"].append(
            (
                pace.value,
                rhythm.value,
                real_days_ago(back),
                reason.strip(),
                (voice or Voice.PARENT).value,
            )
        )
        model["pace"].sort()
    elif kind == "choice":
        _, service, decision, back, reason, voice = step
        key = SERVICE_KEYS[service]
        was = model["choices"].get(key)
        argv = ["choice", NAME, "--service", service]
        if decision is not None:
            argv += ["--decision", decision.value]
        if back is not None:
            argv += ["--on", real_days_ago(back).isoformat()]
        if reason is not None:
            argv += ["--reason", reason]
        if voice is not None:
            argv += ["--chosen-by", voice.value]
        done = run(path, *argv)
        given = [decision, back, reason, voice]
        if (was is None and decision is None) or (was is not None and given == [None] * 4):
            refused(done, "Say what")  # a new decision needs --decision; a correction, a change
            return
        assert done.exit_code == 0, done.output
        old = was or (Decision.CHOSEN, real_today(), "", Voice.PARENT)
        model["choices"][key] = (
            decision or old[0],
            real_days_ago(back) if back is not None else old[1],
            old[2] if reason is None else reason.strip(),
            voice or old[3],
        )
    elif kind == "remove choice":
        key = SERVICE_KEYS[step[1]]
        done = run(path, "choice", NAME, "--service", step[1], "--remove")
        if key in model["choices"]:
            assert done.exit_code == 0, done.output
            assert "Removed the choice about" in done.output
            del model["choices"][key]
        else:
            refused(done, f"{NAME} has no decision recorded about")


@SETTINGS
@given(steps=STEPS)
def test_a_sequence_of_commands_leaves_what_each_said(tmp_path: Path, steps: list[Any]) -> None:
    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        model = held(caseload, pid)
    order: list[Any] = []
    for step in steps:
        step_through(path, step, model, order)
        with opened(path) as caseload:
            assert held(caseload, pid) == model, step


# -- the same journey log as the window's use case ----------------------------------------------


def events(caseload: Caseload) -> list[tuple[str, str, dict[str, object]]]:
    """The journey log, kind, action and changed fields, without ids and times."""

    def fields(e: Event) -> dict[str, object]:
        kept = {
            k: v
            for k, v in e.fields.items()
            if k not in {"id", "participant_id", "created_at", "updated_at"}
        }
        replaced = kept.get("_replaced")
        if isinstance(replaced, dict):  # the ids of the events each change replaced
            kept["_replaced"] = {k: len(v) for k, v in replaced.items()}
        return kept

    return [(e.kind, e.action, fields(e)) for e in caseload.events()]


def same_log(
    tmp_path: Path,
    window: Callable[[Caseload, str], object],
    commands: list[list[str]],
    before: Callable[[Caseload, str], object] | None = None,
) -> list[Result]:
    """The window's use case on one file, the commands on another: the same journey log."""
    here, there = fresh(tmp_path), fresh(tmp_path)
    for path in (here, there):
        pid = with_one_parent(path)
        if before is not None:
            with opened(path) as caseload:
                before(caseload, pid)
    with opened(here) as caseload:
        window(caseload, caseload.participants()[0].id)
    results = [run(there, *argv) for argv in commands]
    for result in results:
        assert result.exit_code == 0, result.output
    with opened(here) as a, opened(there) as b:
        assert events(a)[1:] == events(b)[1:]  # after the parent's enrolment (its id)
    return results


@SETTINGS
@given(
    full_name=WORDS,
    keyworker=st.none() | WORDS,
    source=st.none() | st.sampled_from(["Jobcentre", "Health visitor", " A friend "]),
    back=st.integers(0, 150),
    language=st.none() | st.sampled_from(["en", "pl", "ar"]),
)
def test_a_parent_enrolled_on_the_command_line_is_the_new_parent_forms(
    qtbot: QtBot,
    tmp_path: Path,
    full_name: str,
    keyworker: str | None,
    source: str | None,
    back: int,
    language: str | None,
) -> None:
    """Parent > New parent… filled in (what is not given left as the form offers it) and
    `parent --new` given the same: the same parent, the same journey log."""
    from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
    from journeyapp.ui.widgets.forms import select_key

    day = real_days_ago(back)

    def window(caseload: Caseload, pid: str) -> None:
        dialog = EnrolDialog(caseload)
        qtbot.addWidget(dialog)
        dialog.preferred_name.setText(" Ann ")
        dialog.full_name.setText(full_name)
        select_key(dialog.locality, "glasgow")
        dialog.joined_on.setText(day.strftime("%d/%m/%Y"))
        if keyworker is not None:
            dialog.keyworker.setCurrentText(keyworker)
        if source is not None:
            dialog.referral_source.setCurrentText(source)
        if language is not None:
            select_key(dialog.language, language)
        dialog.submit()
        assert dialog.participant is not None
        dialog.forget_draft()

    argv = ["parent", "--new", "--name", " Ann ", "--locality", "Glasgow"]
    argv += ["--joined-on", day.isoformat(), "--full-name", full_name]
    for option, value in (
        ("--keyworker", keyworker),
        ("--referral-source", source),
        ("--language", language),
    ):
        if value is not None:
            argv += [option, value]
    [done] = same_log(tmp_path, window, [argv])
    assert "Enrolled Ann (id " in done.output


def test_enrolling_prints_the_new_id_and_notes_a_parent_of_the_same_name(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    first = with_one_parent(path)
    done = run(path, "parent", "--new", "--name", "siobhán", "--locality", "fife")
    assert done.exit_code == 0, done.output
    new_id = done.stdout.split("Enrolled siobhán (id ", 1)[1].split(")", 1)[0]
    assert f"another parent is called siobhán too: {NAME}" in done.stderr
    assert first in done.stderr
    with opened(path) as caseload:
        made = caseload.participant(new_id)
        assert (made.preferred_name, made.locality, made.joined_on) == (
            "siobhán",
            "fife",
            real_today(),
        )
        assert made.language == "en"
        # Enrolled as the form enrols: at the first stage, with its move on the day they joined.
        journey = caseload.journey(new_id)
        assert [(s.stage, s.on) for s in journey.stages] == [("getting_started", real_today())]


@SETTINGS
@given(
    phone=st.none() | WORDS,
    email=st.none() | st.sampled_from(["", "ann@example.org"]),
    born=st.none() | st.integers(20 * 365, 40 * 365),
    destination=st.none() | st.sampled_from(list(Destination)),
)
def test_details_corrected_on_the_command_line_are_the_about_tabs_save(
    tmp_path: Path,
    phone: str | None,
    email: str | None,
    born: int | None,
    destination: Destination | None,
) -> None:
    changes: dict[str, Any] = {}
    argv = ["parent", NAME]
    if phone is not None:
        argv += ["--phone", phone]
        changes["phone"] = phone.strip()
    if email is not None:
        argv += ["--email", email]
        changes["email"] = email
    if born is not None:
        argv += ["--date-of-birth", real_days_ago(born).isoformat()]
        changes["date_of_birth"] = real_days_ago(born)
    if destination is not None:
        argv += ["--destination", destination.value]
        changes["destination"] = destination

    def window(caseload: Caseload, pid: str) -> None:
        # The About tab writes only what differs from what is saved.
        p = caseload.participant(pid)
        differ = {
            k: v
            for k, v in changes.items()
            if v != (getattr(p, k) or ("" if k != "date_of_birth" else None))
        }
        if differ:
            caseload.update_participant(pid, **differ)

    [done] = same_log(tmp_path, window, [argv])
    if not changes:
        assert "Name to call them by: Siobhán" in done.output  # only shown


def _a_pace(caseload: Caseload, pid: str) -> None:
    caseload.change_pace(
        pid,
        Pace.STEADY,
        Rhythm.MONTHLY,
        on=real_days_ago(30),
        reason="To start",
        voice=Voice.TOGETHER,
    )


@SETTINGS
@given(
    pace=st.sampled_from(list(Pace)),
    rhythm=st.none() | st.sampled_from(list(Rhythm)),
    back=st.integers(0, 29),
    reason=WORDS,
    voice=st.none() | st.sampled_from(list(Voice)),
)
def test_a_pace_set_on_the_command_line_is_the_pace_forms(
    qtbot: QtBot,
    tmp_path: Path,
    pace: Pace,
    rhythm: Rhythm | None,
    back: int,
    reason: str,
    voice: Voice | None,
) -> None:
    """The Pace tab's Change pace… form (it starts from the pace held: steady, monthly; whose
    words: the parent's) and `pace --set`: the same pace change, the same journey log."""
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.pace import PaceDialog

    def window(caseload: Caseload, pid: str) -> None:
        dialog = PaceDialog(caseload, caseload.journey(pid))
        qtbot.addWidget(dialog)
        select_key(dialog.pace, pace.value)
        if rhythm is not None:
            select_key(dialog.rhythm, rhythm.value)
        dialog.reason.setText(reason)
        if voice is not None:
            select_key(dialog.voice, voice.value)
        dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    argv = ["pace", NAME, "--set", label_of(pace), "--on", real_days_ago(back).isoformat()]
    argv += ["--note", reason]
    if rhythm is not None:
        argv += ["--check-in", rhythm.value]
    if voice is not None:
        argv += ["--chosen-by", voice.value]
    [done] = same_log(tmp_path, window, [argv], before=_a_pace)
    assert f"Recorded {NAME}'s pace" in done.output


def label_of(value: Any) -> str:
    """A value as a person might type it: its words, upper case."""
    from journeyapp.core.enums import label

    return label(value).upper()


def test_a_pace_change_corrected_and_removed_is_the_forms_and_removes(tmp_path: Path) -> None:
    """The change named by the start of its id, as listed: corrected with only what is given,
    then removed, as the Pace tab's form and Remove do."""

    def window(caseload: Caseload, pid: str) -> None:
        [held_one] = caseload.journey(pid).pace
        caseload.update_record("pace", held_one.id, rhythm=Rhythm.WEEKLY, reason="Busy")
        caseload.delete_record("pace", held_one.id)

    here, there = fresh(tmp_path), fresh(tmp_path)
    for path in (here, there):
        pid = with_one_parent(path)
        with opened(path) as caseload:
            _a_pace(caseload, pid)
    with opened(here) as caseload:
        window(caseload, caseload.participants()[0].id)
    with opened(there) as caseload:
        [theirs] = caseload.journey(caseload.participants()[0].id).pace
    start = theirs.id[:8]
    corrected = run(
        there, "pace", NAME, "--id", start, "--check-in", "weekly", "--reason", " Busy "
    )
    assert corrected.exit_code == 0, corrected.output
    assert "checking in weekly, chosen together, why: “Busy”" in corrected.output
    removed = run(there, "pace", NAME, "--id", start, "--remove")
    assert removed.exit_code == 0, removed.output
    assert "Removed the pace change on" in removed.output
    assert f"{NAME} has not chosen a pace yet" in removed.output
    with opened(here) as a, opened(there) as b:
        assert events(a)[1:] == events(b)[1:]


def _a_choice(caseload: Caseload, pid: str) -> None:
    caseload.choose_service(
        pid,
        "volunteering",
        Decision.MAYBE_LATER,
        on=real_days_ago(10),
        reason="Later",
        voice=Voice.TOGETHER,
    )


@SETTINGS
@given(
    decision=st.none() | st.sampled_from(list(Decision)),
    reason=st.none() | WORDS,
    provider=st.none() | WORDS,
    back=st.none() | st.integers(0, 9),
)
def test_a_choice_corrected_on_the_command_line_is_the_choices_forms(
    qtbot: QtBot,
    tmp_path: Path,
    decision: Decision | None,
    reason: str | None,
    provider: str | None,
    back: int | None,
) -> None:
    """The Choices tab's Record choice… form on a decision held (it starts from it and saves
    every field) and `choice --service` with only what changes: the same journey log."""
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.choices import ChoiceDialog

    if (decision, reason, provider, back) == (None, None, None, None):
        decision = Decision.CHOSEN

    def window(caseload: Caseload, pid: str) -> None:
        [current] = caseload.journey(pid).choices
        service = next(e for e in caseload.catalogue.services if e.key == "volunteering")
        dialog = ChoiceDialog(caseload, pid, service, current)
        qtbot.addWidget(dialog)
        if decision is not None:
            select_key(dialog.decision, decision.value)
        if reason is not None:
            dialog.reason.setText(reason)
        if provider is not None:
            dialog.provider.setText(provider)
        if back is not None:
            dialog.on.setText(real_days_ago(back).strftime("%d/%m/%Y"))
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    argv = ["choice", NAME, "--service", "Volunteering"]
    if decision is not None:
        argv += ["--decision", label_of(decision)]
    if reason is not None:
        argv += ["--reason", reason]
    if provider is not None:
        argv += ["--provider", provider]
    if back is not None:
        argv += ["--on", real_days_ago(back).isoformat()]
    same_log(tmp_path, window, [argv], before=_a_choice)


def test_a_choice_recorded_and_removed_is_the_choices_tabs(tmp_path: Path) -> None:
    def window(caseload: Caseload, pid: str) -> None:
        made = caseload.choose_service(
            pid, "job_search", Decision.NOT_FOR_ME_NOW, reason="Not yet", voice=Voice.PARENT
        )
        caseload.choose_service(pid, "money_advice", Decision.CHOSEN)
        caseload.delete_record("choices", made.id)

    results = same_log(
        tmp_path,
        window,
        [
            [
                "choice",
                NAME,
                "--service",
                "JOB SEARCH SUPPORT",
                "--decision",
                "not for me now",
                "--reason",
                "Not yet ",
            ],
            ["choice", NAME, "--service", "money_advice", "--decision", "chosen"],
            ["choice", NAME, "--service", "job_search", "--remove"],
        ],
    )
    assert "Money and debt advice: Chosen (decided" in results[-1].output
    assert "Job search support: not talked about yet" in results[-1].output


# -- refusals ----------------------------------------------------------------------------------

REFUSED = {
    "enrol with a name given twice": (
        ["parent", NAME, "--new", "--locality", "fife"],
        "--new enrols",
    ),
    "enrol, no name": (["parent", "--new", "--locality", "fife"], "Write the name"),
    "enrol, no locality": (["parent", "--new", "--name", "Ann"], "Choose the locality"),
    "enrol, joined after today": (
        ["parent", "--new", "--name", "Ann", "--locality", "fife", "--joined-on", "2999-01-01"],
        "after today",
    ),
    "no parent said": (["parent"], "Say which parent"),
    "joined-on corrected": (["parent", NAME, "--joined-on", "2026-01-01"], "goes with --new"),
    "not a destination": (["parent", NAME, "--destination", "moon"], "is not one of"),
    "not a language": (["parent", NAME, "--language", "klingon"], "not a language"),
    "a name with an escape in it": (["parent", NAME, "--name", "Ann\x1b[31m"], "control character"),
    "enrol, a name with a bell in it": (
        ["parent", "--new", "--name", "Ann\x07Bo", "--locality", "fife"],
        "(--name) holds a control character (U+0007)",
    ),
    "consent, not given nor withdrawn": (
        ["parent", NAME, "--consent", "referrals=maybe"],
        "is not PURPOSE=given",
    ),
    "consent, no such purpose": (["parent", NAME, "--consent", "flying=given"], "not one of"),
    "consent given and withdrawn": (
        ["parent", NAME, "--consent", "referrals=given", "--consent", "Referrals=no"],
        "both given and withdrawn",
    ),
    "a child, no such one": (["parent", NAME, "--child", "nope", "--remove-child"], "No child"),
    "a child, nothing to correct": (["parent", NAME, "--child", "nope"], "Say what to correct"),
    "a child added and corrected": (
        ["parent", NAME, "--child", "nope", "--add-child", "3"],
        "not both",
    ),
    "an age without a child": (["parent", NAME, "--age-or-year", "3"], "goes with --child"),
    "a child removed and corrected": (
        ["parent", NAME, "--child", "nope", "--remove-child", "--age-or-year", "3"],
        "not both",
    ),
    "how, without consent": (["parent", NAME, "--how", "signed form"], "goes with --consent"),
    "consent day, without consent": (
        ["parent", NAME, "--consent-on", "2026-01-01"],
        "goes with --consent",
    ),
    "consent after today, with a phone": (
        [
            "parent",
            NAME,
            "--consent",
            "referrals=given",
            "--consent-on",
            "2999-01-01",
            "--phone",
            "0770",
        ],
        "after today",
    ),
    "pace, nothing to say": (["pace", NAME, "--on", "2026-01-01"], "Say what to do"),
    "pace, no pace yet": (["pace", NAME, "--check-in", "weekly"], "has not chosen a pace yet"),
    "pace, remove with a change": (
        ["pace", NAME, "--id", "x", "--remove", "--set", "steady"],
        "does not go with --remove",
    ),
    "pace, remove without id": (["pace", NAME, "--remove"], "--remove needs"),
    "choice, no service": (["choice", NAME, "--decision", "chosen"], "Say which service"),
    "choice, no decision": (["choice", NAME, "--service", "volunteering"], "Say what"),
    "choice, remove with a change": (
        ["choice", NAME, "--service", "volunteering", "--remove", "--reason", "x"],
        "does not go with --remove",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_command_says_why_in_one_line_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    argv, words = REFUSED[case]
    path = fresh(tmp_path)
    with_one_parent(path)
    before = folder_state(path.parent)
    line = refused(run(path, *argv), words)
    assert "Nothing was recorded" in line or "after today" in line, line
    assert folder_state(path.parent) == before


def test_a_service_not_in_the_catalogue_is_refused_naming_every_one(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    with_one_parent(path)
    line = refused(run(path, "choice", NAME, "--service", "skydiving", "--decision", "chosen"))
    assert "volunteering (Volunteering)" in line
    assert "job_search (Job search support)" in line


def test_removing_a_decision_never_recorded_names_the_ones_there_are(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        _a_choice(caseload, pid)
    line = refused(run(path, "choice", NAME, "--service", "money advice", "--remove"))
    assert "Volunteering (maybe later)" in line, line


def test_the_listings_show_what_the_tabs_show(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        caseload.update_participant(pid, phone="07700 900123", date_of_birth=date(1990, 3, 4))
        caseload.add_child(pid, real_today().year - 3, "Nursery mornings")
        _a_pace(caseload, pid)
        _a_choice(caseload, pid)
    about = run(path, "parent", NAME)
    assert about.exit_code == 0, about.output
    for words in (
        "Phone: 07700 900123",
        "Date of birth: 1990-03-04",
        "Email: (not given)",
        "Locality: Fife",
        "Stage: Getting started",
        "(about 3), childcare: Nursery mornings",
        "Holding their information: not asked yet",
    ):
        assert words in about.output, about.output
    pace = run(path, "pace", NAME)
    assert "Siobhán's pace: Steady, checking in monthly" in pace.output, pace.output
    assert "chosen together, why: “To start” (agreed together)" in pace.output, pace.output
    choices = run(path, "choice", NAME)
    assert "Volunteering: Maybe later (decided" in choices.output, choices.output
    assert "Keyworker support: not talked about yet" in choices.output


@pytest.mark.parametrize("command", ["parent", "pace", "choice", "plan", "contact"])
def test_a_parent_named_in_a_new_caseload_is_refused_saying_how_to_enrol_one(
    tmp_path: Path, command: str
) -> None:
    """A new caseload has no parents: naming one used to say only "Try part of their name …"."""
    path = fresh(tmp_path)
    with opened(path):
        pass
    before = folder_state(path.parent)
    out = ["--out", str(tmp_path / "p.pdf")] if command == "plan" else []
    line = refused(run(path, command, "Ann", *out), "No parent matches 'Ann'")
    assert (
        "There are no parents in this caseload yet: enrol one with journeyapp parent --new" in line
    )
    assert folder_state(path.parent) == before


def test_a_choice_about_a_service_the_catalogue_no_longer_lists_is_listed_and_can_go(
    tmp_path: Path,
) -> None:
    """A decision about a retired service (or another laptop's) is shown under its key, never
    hidden; it can be corrected or removed by that key, as the list shows it."""
    from journeyapp.core.records import Choice

    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        old = Choice(
            participant_id=pid,
            service="old_thing",
            decision=Decision.CHOSEN,
            decided_on=real_days_ago(3),
        )
        caseload.add_records([old], checked=True)
    listed = run(path, "choice", NAME)
    assert "Old thing (not in this partnership's list): Chosen (decided" in listed.output, (
        listed.output
    )
    kept = run(path, "choice", NAME, "--service", "old_thing", "--reason", "kept")
    assert kept.exit_code == 0, kept.output
    gone = run(path, "choice", NAME, "--service", "OLD THING", "--remove")
    assert gone.exit_code == 0, gone.output
    assert "Removed the choice about old thing (chosen)." in gone.output
    with opened(path) as caseload:
        assert caseload.journey(pid).choices == ()
    # A key no parent holds and the catalogue does not list stays refused.
    refused(run(path, "choice", NAME, "--service", "old_thing", "--decision", "chosen"), "not in")


@SETTINGS
@given(
    typed=st.sampled_from(["0", "3", " 7 years", "25", "", "2019", f"{real_today().year}"]),
    needs=WORDS,
)
def test_a_child_noted_on_the_command_line_is_the_child_forms(
    tmp_path: Path, typed: str, needs: str
) -> None:
    from journeyapp.core.validation import birth_year_from

    def window(caseload: Caseload, pid: str) -> None:
        # As the About tab's child form saves it.
        year = birth_year_from(typed, caseload.today().year)
        caseload.add_child(pid, year, needs.strip())

    argv = ["parent", NAME, "--add-child", typed, "--childcare-needs", needs]
    [done] = same_log(tmp_path, window, [argv])
    assert f"Noted a child of {NAME}'s." in done.output


@pytest.mark.parametrize(
    ("child", "words"),
    [
        ("²", "is not an age or a year"),  # a digit int() cannot read: a ValueError before
        ("1980", "does not look right for a child"),
        ("3\n", "control character"),
    ],
)
@pytest.mark.parametrize("new", [False, True])
def test_a_child_refused_leaves_the_parent_as_they_were(
    tmp_path: Path, child: str, words: str, new: bool
) -> None:
    """A child refused refuses the whole command: no parent enrolled without them, and no
    detail given beside them saved."""
    path = fresh(tmp_path)
    with_one_parent(path)
    before = folder_state(path.parent)
    who = ["--new", "--name", "Ann", "--locality", "fife"] if new else [NAME]
    line = refused(run(path, "parent", *who, "--add-child", child, "--phone", "0770"), words)
    assert "Traceback" not in line
    assert folder_state(path.parent) == before


def test_the_windows_child_form_refuses_an_age_in_a_digit_python_cannot_read(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The window's child form raised ValueError ("invalid literal for int()") on '²', a
    digit that is not a decimal one; it is refused beside the field, and nothing is saved."""
    from journeyapp.ui.workspace.about import ChildDialog

    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        dialog = ChildDialog(caseload, pid)
        qtbot.addWidget(dialog)
        dialog.birth_year.setText("²")
        dialog._try_save()
        assert dialog.result_value is None
        dialog.forget_draft()
        assert caseload.journey(pid).children == ()
        dialog = ChildDialog(caseload, pid)
        qtbot.addWidget(dialog)
        dialog.birth_year.setText("３")  # a full-width digit is a digit
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()
        [child] = caseload.journey(pid).children
        assert child.birth_year == caseload.today().year - 3


PURPOSES = st.sampled_from(list(ConsentPurpose))
HOW = st.sampled_from(["", "signed form", "said so on the phone"])


@SETTINGS
@given(
    held=st.dictionaries(PURPOSES, st.tuples(st.booleans(), HOW), max_size=3),
    typed=st.dictionaries(PURPOSES, st.booleans(), min_size=1, max_size=3),
    how=st.none() | WORDS,
    words=st.booleans(),
)
def test_consent_recorded_on_the_command_line_is_the_consent_forms(
    qtbot: QtBot,
    tmp_path: Path,
    held: dict[ConsentPurpose, tuple[bool, str]],
    typed: dict[ConsentPurpose, bool],
    how: str | None,
    words: bool,
) -> None:
    """The About tab's consent form, opened from the first purpose typed, each purpose typed
    set given or withdrawn (and how it was recorded, when given): the same consents and the
    same journey log as `parent NAME --consent PURPOSE=given|withdrawn [--how ...]`."""
    from journeyapp.core.enums import label
    from journeyapp.ui.widgets.forms import select_key
    from journeyapp.ui.workspace.about import ConsentDialog

    def before(caseload: Caseload, pid: str) -> None:
        if held:
            caseload.record_consents(pid, held, on=real_days_ago(30))

    def window(caseload: Caseload, pid: str) -> None:
        consents = caseload.journey(pid).consents
        first = next(iter(typed))
        current = next((c for c in consents if c.purpose == first), None)
        dialog = ConsentDialog(caseload, pid, first, current, consents=consents)
        qtbot.addWidget(dialog)
        for purpose, yes in typed.items():
            select_key(dialog.states[purpose], "yes" if yes else "no")
            if how is not None:
                dialog.hows[purpose].setText(how)
        dialog._try_save()
        assert dialog.result() == 1
        dialog.forget_draft()

    argv = ["parent", NAME]
    for purpose, yes in typed.items():
        shown = label(purpose) if words else purpose.value
        argv += ["--consent", f"{shown}={'given' if yes else 'withdrawn'}"]
    if how is not None:
        argv += ["--how", how]
    same_log(tmp_path, window, [argv], before=before)


def test_consent_redated_on_the_command_line_is_the_consent_form_correcting_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """--consent-on with a consent that does not change corrects its day, as the consent form
    opened on that consent's row does."""
    from journeyapp.ui.workspace.about import ConsentDialog

    purpose = ConsentPurpose.HOLDING_DATA

    def before(caseload: Caseload, pid: str) -> None:
        caseload.record_consents(pid, {purpose: (True, "signed form")}, on=real_days_ago(30))

    def window(caseload: Caseload, pid: str) -> None:
        consents = caseload.journey(pid).consents
        [current] = consents
        dialog = ConsentDialog(caseload, pid, purpose, current, consents=consents, correcting=True)
        qtbot.addWidget(dialog)
        dialog.on.setText(real_days_ago(40).strftime("%d/%m/%Y"))
        dialog._try_save()
        assert dialog.result() == 1
        dialog.forget_draft()

    argv = ["parent", NAME, "--consent", "holding_data=given"]
    argv += ["--consent-on", real_days_ago(40).isoformat()]
    [done] = same_log(tmp_path, window, [argv], before=before)
    assert f"Holding their information: given on {real_days_ago(40).isoformat()}" in done.output


def test_consent_as_it_was_changes_nothing_and_says_so(tmp_path: Path) -> None:
    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        caseload.record_consents(pid, {ConsentPurpose.REFERRALS: (False, "")})
        logged = len(caseload.events())
    done = run(path, "parent", NAME, "--consent", "Referrals to other services=withdrawn")
    assert done.exit_code == 0, done.output
    assert "Nothing to change: consent is as it was." in done.output
    with opened(path) as caseload:
        [consent] = caseload.journey(pid).consents
        assert not consent.given
        assert len(caseload.events()) == logged  # nothing written to the journey log


def test_the_pace_listing_says_a_break_is_being_taken(tmp_path: Path) -> None:
    """As the Pace tab says it under the pace: their choice, with where to see the breaks."""
    path = fresh(tmp_path)
    pid = with_one_parent(path)
    with opened(path) as caseload:
        _a_pace(caseload, pid)
        caseload.pause(pid, on=real_days_ago(5), reason="Moving house")
    listed = run(path, "pace", NAME)
    assert listed.exit_code == 0, listed.output
    since = real_days_ago(5).isoformat()
    assert (
        f"{NAME} is taking a break since {since} (their choice; journeyapp break" in listed.output
    )


def _a_child(caseload: Caseload, pid: str) -> None:
    caseload.add_child(pid, real_today().year - 4, "Nursery mornings")


@SETTINGS
@given(
    typed=st.none() | st.sampled_from(["2", " 6 years", "2020", ""]),
    needs=st.none() | WORDS,
)
def test_a_child_corrected_on_the_command_line_is_the_child_forms_change(
    qtbot: QtBot, tmp_path: Path, typed: str | None, needs: str | None
) -> None:
    """About > a child > Change (the child form on the child noted, saving both fields) and
    `parent NAME --child ID` with only what changes: the same journey log."""
    from journeyapp.ui.workspace.about import ChildDialog

    if typed is None and needs is None:
        needs = "After-school club"

    def window(caseload: Caseload, pid: str) -> None:
        [kid] = caseload.journey(pid).children
        dialog = ChildDialog(caseload, pid, existing=kid)
        qtbot.addWidget(dialog)
        if typed is not None:
            dialog.birth_year.setText(typed)
        if needs is not None:
            dialog.needs.setText(needs)
        dialog._try_save()
        assert dialog.result_value is not None
        dialog.forget_draft()

    def command(path: Path) -> None:
        with opened(path) as caseload:
            [kid] = caseload.journey(caseload.participants()[0].id).children
        argv = ["parent", NAME, "--child", kid.id[:8]]
        if typed is not None:
            argv += ["--age-or-year", typed]
        if needs is not None:
            argv += ["--childcare-needs", needs]
        done = run(path, *argv)
        assert done.exit_code == 0, done.output

    here, there = fresh(tmp_path), fresh(tmp_path)
    for path in (here, there):
        pid = with_one_parent(path)
        with opened(path) as caseload:
            _a_child(caseload, pid)
    with opened(here) as caseload:
        window(caseload, caseload.participants()[0].id)
    command(there)
    with opened(here) as a, opened(there) as b:
        assert events(a)[1:] == events(b)[1:]


def test_a_child_removed_on_the_command_line_is_the_windows_removal(tmp_path: Path) -> None:
    def window(caseload: Caseload, pid: str) -> None:
        [kid] = caseload.journey(pid).children
        caseload.delete_record("children", kid.id)

    here, there = fresh(tmp_path), fresh(tmp_path)
    for path in (here, there):
        pid = with_one_parent(path)
        with opened(path) as caseload:
            _a_child(caseload, pid)
    with opened(here) as caseload:
        window(caseload, caseload.participants()[0].id)
    with opened(there) as caseload:
        [kid] = caseload.journey(caseload.participants()[0].id).children
    done = run(there, "parent", NAME, "--child", kid.id, "--remove-child")
    assert done.exit_code == 0, done.output
    assert f"Removed the child born in {real_today().year - 4}." in done.output
    assert "No children noted yet." in done.output
    with opened(here) as a, opened(there) as b:
        assert events(a)[1:] == events(b)[1:]
