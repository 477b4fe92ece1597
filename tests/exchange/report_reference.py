"""The programme report's figures worked out the plain way, from whole records in Python: the
reference the report's SQL-backed figures are held to (test_report_equivalence.py).

This is the report's computation as it stood before its figures were read with SQL (issue 18),
kept word for word apart from reading every table as whole records.
"""

# mypy: ignore-errors
# ruff: noqa

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from journeyapp.caseload import Caseload
from journeyapp.core.derived import days_between, distance_travelled
from journeyapp.core.enums import Decision, ParticipantStatus, ReferralOutcome, label
from journeyapp.core.records import (
    Assessment,
    Choice,
    Contact,
    Milestone,
    Participant,
    Pause,
    Referral,
    StageChange,
)
from journeyapp.exchange.report import (
    ProgrammeReport,
    Row,
    Section,
    ADDED_LEFT_NOTE,
    DEMO,
    _median,
    _report_set,
    month_run,
    unlisted,
)


def reference_report_set(
    caseload: Caseload, *, since: date | None = None, until: date | None = None
) -> dict[str | None, ProgrammeReport]:
    """build_report_set, every figure from whole records."""
    source = _Cached(caseload)
    return _report_set(
        caseload,
        lambda place: _build(source, since=since, until=until, locality=place),
        since,
        until,
    )


class _Cached:
    """The caseload's records read once for a set of reports."""

    def __init__(self, caseload: Caseload) -> None:
        self.caseload = caseload
        self.catalogue = caseload.catalogue
        self._records: dict[type[Any], list[Any]] = {}
        self._history: dict[tuple[str, str], dict[str, list[tuple[str, Any]]]] = {}
        self._decisions: int | None = None

    def all_records(self, cls: type[Any]) -> list[Any]:
        if cls not in self._records:
            self._records[cls] = self.caseload.all_records(cls)
        return self._records[cls]

    def field_history(self, kind: str, name: str) -> dict[str, list[tuple[str, Any]]]:
        if (kind, name) not in self._history:
            self._history[(kind, name)] = self.caseload.exchange.field_history(kind, name)
        return self._history[(kind, name)]

    def open_decisions(self) -> int:
        if self._decisions is None:
            self._decisions = len(self.caseload.exchange.decisions())
        return self._decisions


def _build(
    caseload: Any,
    *,
    since: date | None = None,
    until: date | None = None,
    locality: str | None = None,
) -> ProgrammeReport:
    """Work out every figure for parents reached in the period (and locality, if given).

    A parent counts as reached when they had joined by the end of the period and joined,
    were contacted or reached a milestone within it (with no dates: everyone enrolled).
    """
    catalogue = caseload.catalogue
    participants = [
        p
        for p in caseload.all_records(Participant)
        if (locality is None or p.locality == locality) and (until is None or p.joined_on <= until)
    ]
    ids = {p.id for p in participants}

    def mine(records: Iterable[Any]) -> list[Any]:
        return [r for r in records if r.participant_id in ids]

    contacts = mine(caseload.all_records(Contact))
    all_milestones = mine(caseload.all_records(Milestone))
    milestones = all_milestones
    pauses = [
        p
        for p in mine(caseload.all_records(Pause))
        if (until is None or p.started_on <= until)
        and (since is None or p.ended_on is None or p.ended_on >= since)
    ]
    if since is not None or until is not None:
        active = {c.participant_id for c in contacts if _in(c.on, since, until)}
        active |= {m.participant_id for m in milestones if _in(m.achieved_on, since, until)}
        active |= {p.id for p in participants if _in(p.joined_on, since, until)}
        # A parent on a break they chose during the period is still on the programme: reached.
        active |= {p.participant_id for p in pauses}
        participants = [p for p in participants if p.id in active]
        ids = {p.id for p in participants}
        contacts = [c for c in contacts if c.participant_id in ids and _in(c.on, since, until)]
        milestones = [
            m for m in milestones if m.participant_id in ids and _in(m.achieved_on, since, until)
        ]
        pauses = [p for p in pauses if p.participant_id in ids]
    # Self-assessments as at the period's end: none taken after it counts.
    assessments = [
        a for a in mine(caseload.all_records(Assessment)) if until is None or a.taken_on <= until
    ]
    choices = [c for c in mine(caseload.all_records(Choice)) if _in(c.decided_on, since, until)]
    referrals = [r for r in mine(caseload.all_records(Referral)) if _in(r.on, since, until)]
    stage_at, status_at, left, added_left = _as_at(caseload, participants, pauses, since, until)
    total = len(participants)

    def share(n: int, whole: int | None = None) -> float | None:
        whole = total if whole is None else whole
        return n / whole if whole else None

    def counted(
        key: str, title: str, counts: Counter[str], labels: dict[str, str], note: str = ""
    ) -> Section:
        keys = list(labels) + sorted(k for k in counts if k not in labels)
        return Section(
            key,
            title,
            tuple(
                Row(k, labels.get(k) or unlisted(k), counts.get(k, 0), share(counts.get(k, 0)))
                for k in keys
            ),
            note=note,
        )

    sections: list[Section] = []
    localities = {e.key: e.label for e in catalogue.localities}
    sections.append(
        counted(
            "by_locality",
            "Parents reached by locality",
            Counter(p.locality for p in participants),
            localities,
        )
    )
    by_keyworker = Counter(p.keyworker or "" for p in participants)
    sections.append(
        counted(
            "by_keyworker",
            "Parents reached by keyworker",
            by_keyworker,
            {k: k or "not recorded" for k in sorted(by_keyworker)},
        )
    )
    months = Counter(p.joined_on.strftime("%Y-%m") for p in participants)
    sections.append(
        counted(
            "by_month_joined", "Parents by month joined", months, {m: m for m in month_run(months)}
        )
    )
    statuses = Counter(str(status_at[p.id]) for p in participants)
    sections.append(
        counted(
            "by_status",
            "Where journeys stand",
            statuses,
            {
                str(s): label(str(s))
                if s is not ParticipantStatus.PAUSED
                else "Taking a break (their choice)"
                for s in ParticipantStatus
            },
        )
    )
    stages = {e.key: e.label for e in catalogue.stages}
    sections.append(
        counted(
            "by_stage",
            "Stage at the end of the period" if until else "Current stage",
            Counter(stage_at[p.id] for p in participants),
            stages,
        )
    )
    pipeline_labels = {str(e.pipeline): e.label for e in catalogue.pipeline}
    pipeline = Counter(str(catalogue.pipeline_stage(stage_at[p.id]) or "") for p in participants)
    if pipeline[""]:
        pipeline_labels[""] = "at a stage not mapped to a pipeline stage"
    sections.append(
        counted(
            "by_pipeline_stage",
            "Scotland's employability pipeline stage",
            pipeline,
            pipeline_labels,
        )
    )

    reached: dict[str, set[str]] = defaultdict(set)
    for m in milestones:
        reached[m.type].add(m.participant_id)
    # Times from joining are to the first milestone ever (by the period's end), not the first
    # one inside the period.
    first_milestone: dict[str, date] = {}
    work: dict[str, date] = {}
    for m in all_milestones:
        if m.participant_id not in ids or (until is not None and m.achieved_on > until):
            continue
        if (
            m.participant_id not in first_milestone
            or m.achieved_on < first_milestone[m.participant_id]
        ):
            first_milestone[m.participant_id] = m.achieved_on
        if m.type in catalogue.job_entry_types and (
            m.participant_id not in work or m.achieved_on < work[m.participant_id]
        ):
            work[m.participant_id] = m.achieved_on
    sections.append(
        Section(
            "milestones",
            "Milestones reached (parents, share of parents reached)",
            tuple(
                Row("pct:" + e.key, e.label, len(reached[e.key]), share(len(reached[e.key])))
                for e in catalogue.milestone_types
            )
            + tuple(
                Row("pct:" + k, unlisted(k), len(reached[k]), share(len(reached[k])))
                for k in sorted(reached)
                if k not in catalogue.key_set("milestone_types")
            ),
        )
    )
    joined = {p.id: p.joined_on for p in participants}
    to_first = [days_between(joined[pid], d) for pid, d in first_milestone.items()]
    to_work = [days_between(joined[pid], d) for pid, d in work.items()]
    typical = (
        ("joining_to_first_milestone", "From joining to a first milestone", to_first),
        ("joining_to_work", "From joining to starting work", to_work),
    )
    sections.append(
        Section(
            "median_days",
            "Typical time (median days)",
            tuple(
                Row(key, text, _median(days), is_count=False, unit=" days", basis=len(days))
                for key, text, days in typical
            ),
            chart=False,
        )
    )

    by_parent: dict[str, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_parent[a.participant_id].append(a)
    areas = [e.key for e in catalogue.outcome_areas]
    changes: dict[str, list[int]] = defaultdict(list)
    for parent_assessments in by_parent.values():
        for change in distance_travelled(parent_assessments):  # every area scored
            changes[change.area].append(change.change)
    areas += sorted(a for a in changes if a not in areas)
    area_labels = {e.key: e.label for e in catalogue.outcome_areas}
    sections.append(
        Section(
            "distance_travelled",
            "Distance travelled: mean change, first to latest self-assessment (1-10)",
            tuple(
                Row(
                    a,
                    area_labels.get(a) or unlisted(a),
                    statistics.fmean(changes[a]) if changes[a] else None,
                    is_count=False,
                    basis=len(changes[a]),
                    unit=" points",
                )
                for a in areas
            ),
            chart=False,
        )
    )
    sections.append(
        Section(
            "improved",
            "Share who improved, per outcome area",
            tuple(
                Row(
                    a,
                    area_labels.get(a) or unlisted(a),
                    100 * sum(c > 0 for c in changes[a]) / len(changes[a]) if changes[a] else None,
                    share=(sum(c > 0 for c in changes[a]) / len(changes[a]))
                    if changes[a]
                    else None,
                    is_count=False,
                    basis=len(changes[a]),
                    unit="%",
                )
                for a in areas
            ),
        )
    )
    per_parent = Counter(c.participant_id for c in contacts)
    counts_per_parent = [per_parent.get(pid, 0) for pid in ids]
    sections.append(
        Section(
            "contacts",
            "Contacts",
            (
                Row("total", "Contacts in all", len(contacts)),
                Row(
                    "per_parent_mean",
                    "Contacts per parent (mean)",
                    statistics.fmean(counts_per_parent) if counts_per_parent else None,
                    is_count=False,
                    basis=total,
                ),
                Row(
                    "per_parent_median",
                    "Contacts per parent (median)",
                    _median(counts_per_parent),
                    is_count=False,
                    basis=total,
                ),
                Row(
                    "hours",
                    "Hours together",
                    sum(c.minutes for c in contacts) / 60,
                    is_count=False,
                    basis=total,
                    unit=" h",
                ),
            ),
            chart=False,
        )
    )
    # A parent taking a break is still on their keyworker's caseload.
    active_now = Counter(
        p.keyworker or ""
        for p in participants
        if status_at[p.id] in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
    )
    sections.append(
        counted(
            "caseload_per_keyworker",
            "Active caseload per keyworker",
            active_now,
            {k: k or "not recorded" for k in sorted(active_now)},
        )
    )
    service_labels = {e.key: e.label for e in catalogue.services}
    chosen = Counter(c.service for c in choices if c.decision is Decision.CHOSEN)
    declined = Counter(c.service for c in choices if c.decision is not Decision.CHOSEN)
    sections.append(counted("services_chosen", "Services chosen", chosen, service_labels))
    sections.append(
        counted(
            "services_not_for_now",
            "Services parents said were not for them now, or maybe later",
            declined,
            service_labels,
            note="declining is a valid choice",
        )
    )
    sections.append(
        counted(
            "referral_outcomes",
            "Referral outcomes",
            Counter(str(r.outcome) for r in referrals),
            {str(o): label(str(o)) for o in ReferralOutcome},
        )
    )
    paused_parents = {p.participant_id for p in pauses}
    ongoing = {p.participant_id for p in pauses if p.ended_on is None}
    returned = {p.participant_id for p in pauses if p.ended_on is not None} - ongoing
    sections.append(
        Section(
            "pauses",
            "Breaks parents chose to take",
            (
                Row(
                    "parents_who_chose_a_break",
                    "Parents who chose to take a break",
                    len(paused_parents),
                    share(len(paused_parents)),
                ),
                Row("taking_a_break_now", "Taking a break now", len(ongoing), share(len(ongoing))),
                Row(
                    "picked_up_again",
                    "Picked up again after a break",
                    len(returned),
                    share(len(returned)),
                ),
            ),
            note="a break is the parent's own choice",
        )
    )
    started = sum(_in(p.joined_on, since, until) for p in participants)
    sections.append(
        Section(
            "starts_and_leavers",
            "Starts and moves on in the period",
            (
                Row("started", "Joined the programme", started, share(started)),
                Row(
                    "moved_on",
                    "Moved on",
                    left[ParticipantStatus.MOVED_ON],
                    share(left[ParticipantStatus.MOVED_ON]),
                ),
                Row(
                    "closed",
                    "Journey closed",
                    left[ParticipantStatus.CLOSED],
                    share(left[ParticipantStatus.CLOSED]),
                ),
            ),
            chart=False,
            note=ADDED_LEFT_NOTE if added_left else "",
        )
    )
    period = "All dates"
    if since or until:
        period = f"From {since.isoformat() if since else 'the start'} to {until.isoformat() if until else 'today'}"
    if locality:
        period += f" · {catalogue.label('localities', locality)}"
    return ProgrammeReport(
        title=f"Programme report — {DEMO if caseload.caseload.is_demo else ''}{catalogue.name}",
        period=period,
        participants=total,
        open_decisions=caseload.open_decisions(),
        sections=sections,
        filters={
            "from": since.isoformat() if since else None,
            "to": until.isoformat() if until else None,
            "locality": locality,
        },
    )


def _in(day: date | None, since: date | None, until: date | None) -> bool:
    return day is not None and (since is None or day >= since) and (until is None or day <= until)


def _as_at(
    caseload: Any,
    participants: list[Participant],
    pauses: list[Pause],
    since: date | None,
    until: date | None,
) -> tuple[dict[str, str], dict[str, ParticipantStatus], Counter[ParticipantStatus]]:
    """Each parent's stage and status at the period's end (from the stage records and the
    journey log), and how many moved on or closed within the period."""
    ids = {p.id for p in participants}
    stage_at = {p.id: p.stage for p in participants}
    status_at = {p.id: p.status for p in participants}
    left: Counter[ParticipantStatus] = Counter()
    if until is not None:
        moves: dict[str, list[StageChange]] = defaultdict(list)
        for change in caseload.all_records(StageChange):
            if change.participant_id in ids:
                moves[change.participant_id].append(change)
        for pid, changes in moves.items():
            before = [c for c in changes if c.on <= until]
            if before:
                stage_at[pid] = max(before, key=lambda c: (c.on, c.created_at)).stage
    end = until.isoformat() if until else "9999-12-31"
    start = since.isoformat() if since else ""
    histories = caseload.field_history(Participant.KIND, "status")
    # Added already moved on or closed: counted in a period holding the day they joined and the
    # day they were added.
    added_left = False
    for p in participants:
        known = [value for _, value in histories.get(p.id, []) if value in _STATUSES]
        first = known[0] if known else p.status
        if first in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED):
            added_left = True
            if (since is None or p.joined_on >= since) and p.created_at[:10] <= end:
                left[ParticipantStatus(first)] += 1
    for pid, history in histories.items():
        if pid not in ids:
            continue
        known = [(at[:10], value) for at, value in history if value in _STATUSES]
        if until is not None and known:
            by_then = [value for day, value in known if day <= end]
            status_at[pid] = ParticipantStatus(by_then[-1] if by_then else known[0][1])
        previous = None
        for day, value in known:
            if (
                value != previous
                and previous is not None
                and start <= day <= end
                and value in (ParticipantStatus.MOVED_ON, ParticipantStatus.CLOSED)
            ):
                left[ParticipantStatus(value)] += 1
            previous = value
    if until is not None:
        # A break is the parents' choice and lasts from its start to its end, whatever was
        # recorded when: on a break at the period's end means "taking a break".
        on_break = {
            p.participant_id
            for p in pauses
            if p.started_on <= until and (p.ended_on is None or p.ended_on > until)
        }
        for pid in ids:
            if pid in on_break and status_at[pid] is not ParticipantStatus.CLOSED:
                status_at[pid] = ParticipantStatus.PAUSED
            elif status_at[pid] is ParticipantStatus.PAUSED:
                status_at[pid] = ParticipantStatus.ACTIVE
    return stage_at, status_at, left, added_left


_STATUSES = frozenset(str(s) for s in ParticipantStatus)
