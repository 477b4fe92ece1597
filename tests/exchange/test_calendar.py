"""The keyworker's calendar file: RFC 5545 parsed back, first names only, private, and the same
from the command line; and the printed plan says when and where the next meeting is."""

from __future__ import annotations

import io
import re
import stat
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.dates import long_date
from journeyapp.exchange.calendar import write_calendar
from journeyapp.plans.documents import pdf_with_pages
from tests.clock import real_today, ticking_clock
from tests.conftest import TODAY


def parse_ics(text: str) -> list[dict[str, str]]:
    """The VEVENTs of an .ics text as {property (with its parameters): value}, unfolded and
    unescaped; checks the lines on the way (CRLF, at most 75 octets)."""
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    raw = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    events: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            events.append({})
        elif events and line != "END:VEVENT" and not line.startswith(("BEGIN:", "END:")):
            name, value = line.split(":", 1)
            value = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)
            events[-1][name] = value
    return events


def _meetings(caseload: Caseload) -> dict[str, str]:
    caseload.settings.set_sender(
        caseload.settings.sender().__class__(
            **{**vars(caseload.settings.sender()), "keyworker": "Morag"}
        )
    )
    d = lambda n: TODAY + timedelta(days=n)  # noqa: E731
    siobhan = caseload.enrol_participant(
        "Siobhán Mary",
        "fife",
        joined_on=d(-100),
        full_name="Siobhán Mary O'Brien",
        keyworker="Morag",
    )
    other = caseload.enrol_participant("Tess", "fife", joined_on=d(-100), keyworker="Ben")
    unassigned = caseload.enrol_participant("Una", "fife", joined_on=d(-100))
    long_place = "Room 4, Community Centre; 12 Long Road, Kirkcaldy — ask at the desk " * 2
    caseload.arrange_meeting(
        siobhan.id,
        d(2),
        time="10:30",
        minutes=45,
        place=long_place,
        with_whom="Morag, and Jo from Money Matters",
    )
    caseload.arrange_meeting(siobhan.id, d(-1), time="09:00", place="Past place")
    caseload.arrange_meeting(other.id, d(1), time="11:00", place="Ben's meeting")
    caseload.arrange_meeting(unassigned.id, d(3), place="Home visit")
    caseload.create_group_session("Coffee morning", on=d(4), venue="Hub")
    return {"place": long_place.strip()}


def test_the_calendar_reads_back_with_first_names_only(caseload: Caseload, tmp_path: Path) -> None:
    made = _meetings(caseload)
    out = tmp_path / "meetings.ics"
    assert write_calendar(caseload, out) == 3
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_bytes().decode("utf-8")
    events = parse_ics(text)
    assert [e["SUMMARY"] for e in events] == [
        "Meeting with Siobhán",
        "Meeting with Una",
        "Group session: Coffee morning",
    ]
    first = events[0]
    assert first["DTSTART"] == (TODAY + timedelta(days=2)).strftime("%Y%m%dT103000")
    assert first["DURATION"] == "PT45M"
    assert first["LOCATION"] == made["place"]
    assert first["DESCRIPTION"] == "With Morag, and Jo from Money Matters"
    assert events[1]["DTSTART;VALUE=DATE"] == (TODAY + timedelta(days=3)).strftime("%Y%m%d")
    assert len({e["UID"] for e in events}) == 3
    # Nothing but the first name: no family name, no second name, no one else's meeting.
    for word in ("O'Brien", "Mary", "Tess", "Ben's meeting", "Past place"):
        assert word not in text.replace("\r\n ", "")


def test_the_command_lists_and_writes_the_calendar(
    caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    # The command reads today from the real clock, so the meeting is arranged on it too: over a
    # year ahead (its year is shown), not years ahead (a year typed wrong is refused).
    caseload.clock = ticking_clock(real_today())
    day = real_today() + timedelta(days=400)
    pid = caseload.enrol_participant("Ama Lee", "fife", joined_on=real_today()).id
    caseload.arrange_meeting(pid, day, time="14:00", place="Hub")
    caseload.close()
    listed = CliRunner().invoke(cli, ["appointments", "--db", str(db_path), "--keyworker", ""])
    assert listed.exit_code == 0, listed.output
    assert f"{day:%a} {long_date(day)} 14:00  Meeting with Ama at Hub" in listed.output
    out = tmp_path / "mine.ics"
    result = CliRunner().invoke(
        cli, ["appointments", "--db", str(db_path), "--ics", str(out), "--keyworker", ""]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 1 meetings" in result.output
    assert [e["SUMMARY"] for e in parse_ics(out.read_bytes().decode("utf-8"))] == [
        "Meeting with Ama"
    ]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    (tmp_path / "a-file").write_text("not a folder")
    bad = CliRunner().invoke(
        cli, ["appointments", "--db", str(db_path), "--ics", str(tmp_path / "a-file" / "y.ics")]
    )
    assert bad.exit_code == 1
    assert "Traceback" not in bad.output
    # Refused as every command refuses a name inside a file (cli/options.FileName), before any
    # calendar is written.
    assert "a-file is a file, not a folder" in bad.output.splitlines()[-1]
    assert "Nothing was done." in bad.output.splitlines()[-1]


def test_the_printed_plan_says_when_and_where_we_next_meet(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Ama", "fife", joined_on=TODAY - timedelta(days=30)).id
    caseload.arrange_meeting(pid, TODAY - timedelta(days=2), time="09:00", place="Old place")
    caseload.arrange_meeting(pid, TODAY + timedelta(days=9), place="Later place")
    caseload.arrange_meeting(
        pid, TODAY + timedelta(days=3), time="10:30", place="Kirkcaldy Hub", with_whom="Morag"
    )
    data, _ = pdf_with_pages([caseload.document(pid)])
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "What happens next" in text
    assert "Our next meeting: 1 December 2026 at 10:30." in text
    assert "Where: Kirkcaldy Hub" in text
    assert "With: Morag" in text
    assert "Old place" not in text
    assert "Later place" not in text


def test_the_command_says_when_your_name_is_no_parents_keyworker(
    caseload: Caseload, db_path: Path
) -> None:
    """Your name in Settings ("Denise") as no parent's record spells it ("Denise (demo)"):
    `appointments` listed only the meetings of parents with no keyworker, saying nothing; it
    says so, with the spelling the records use. Spelled as they do, nothing is said."""
    from journeyapp.core.documents import Sender

    caseload.clock = ticking_clock(real_today())
    day = real_today() + timedelta(days=3)
    pid = caseload.enrol_participant(
        "Ama Lee", "fife", joined_on=real_today(), keyworker="Denise (demo)"
    ).id
    caseload.arrange_meeting(pid, day, time="14:00", place="Hub")
    caseload.settings.set_sender(Sender(keyworker="Denise"))
    caseload.close()
    listed = CliRunner().invoke(cli, ["appointments", "--db", str(db_path)])
    assert listed.exit_code == 0, listed.output
    assert "Meeting with Ama" not in listed.stdout
    assert "no parent has 'Denise' (Your name in File > Settings) as keyworker" in listed.stderr
    assert "(the records say 'Denise (demo)')" in listed.stderr
    again = Caseload.open(db_path, plain=True)
    again.settings.set_sender(Sender(keyworker="denise (demo)"))
    again.close()
    listed = CliRunner().invoke(cli, ["appointments", "--db", str(db_path)])
    assert listed.exit_code == 0, listed.output
    assert "Meeting with Ama" in listed.stdout
    assert "Note:" not in listed.stderr
