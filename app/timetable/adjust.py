"""Changing a draft by hand: move, swap, remove, place or lock a meeting, checked before anything is saved.

Every change is tried on the spec's timetable first and judged by `scheduling.check` against the event as
it is now; a change that adds a violation is refused with a message naming the clash, and the draft stays
as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.i18n import local_time
from app.models import Event, MeetingRequest, Slot, TimetableEntry, TimetableVersion, VersionStatus
from app.scheduling import Problem, check
from app.scheduling.timetable import Meeting as SpecMeeting
from app.scheduling.timetable import Timetable, Unscheduled
from app.timetable.problem_builder import build_problem, request_key
from app.timetable.versions import REMOVED_BY_ORGANIZER, apply_figures, touch, version_timetable

# request id -> (slot, table), or None to take the meeting out of the draft
Changes = dict[int, tuple[Slot, int] | None]


class ClashError(Exception):
    """A hand change that would break a rule: `messages` name the clash in the user's language."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class NotEditable(Exception):
    """Raised when a version that is not a draft is changed."""


def move_entry(version: TimetableVersion, entry: TimetableEntry, slot: Slot, table: int) -> None:
    """Move a meeting of the draft to another slot and table of its booth."""
    change(version, {entry.request_id: (slot, table)})


def swap_entries(version: TimetableVersion, first: TimetableEntry, second: TimetableEntry) -> None:
    """Let two meetings trade slots (and tables, at the same booth)."""
    same_booth = first.booth_id == second.booth_id
    change(
        version,
        {
            first.request_id: (second.slot, second.table_number if same_booth else first.table_number),
            second.request_id: (first.slot, first.table_number if same_booth else second.table_number),
        },
    )


def remove_entry(version: TimetableVersion, entry: TimetableEntry) -> None:
    """Take a meeting out of the draft; the request stays, listed as removed by the organizer."""
    change(version, {entry.request_id: None})


def place_request(version: TimetableVersion, request: MeetingRequest, slot: Slot, table: int) -> None:
    """Put an unscheduled request of the draft into a slot and table by hand."""
    change(version, {request.id: (slot, table)})


def set_locked(version: TimetableVersion, entry: TimetableEntry, locked: bool) -> None:
    """Lock a meeting of the draft in place (a re-solve keeps it) or unlock it."""
    _require_draft(version)
    entry.locked = locked
    touch(version)
    db.session.flush()


def change(version: TimetableVersion, changes: Changes) -> None:
    """Apply hand changes to a draft after checking them; raise ClashError and change nothing on a clash."""
    lock_version(version)
    _require_draft(version)
    problem = build_problem(version.event, pins={})
    before = version_timetable(version, problem)
    after = _changed_timetable(before, problem, changes)
    report = check(problem, after)
    added = [v for v in report.violations if v not in set(check(problem, before).violations)]
    if added:
        focus = {request_key(rid) for rid in changes}
        raise ClashError(explain_clashes(version.event, problem, after, focus) or added)
    _write(version, changes, problem)
    apply_figures(version, report)
    touch(version)
    db.session.flush()


def lock_version(version: TimetableVersion) -> None:
    """Lock the version's row until commit (PostgreSQL) and re-read everything: hand changes go one at a time.

    Two organizers moving meetings at once would otherwise each check against the draft as it was before the
    other's move, and together double-book a table or a cooperative.
    """
    db.session.execute(select(TimetableVersion.id).where(TimetableVersion.id == version.id).with_for_update())
    db.session.expire_all()


def draft_problems(version: TimetableVersion) -> list[str]:
    """Return what keeps a draft from being published as it is (withdrawn requests, clashes), in words."""
    problem = build_problem(version.event, pins={})
    timetable = version_timetable(version, problem)
    if check(problem, timetable).ok:
        return []
    return explain_clashes(version.event, problem, timetable, None) or check(problem, timetable).violations


def explain_clashes(event: Event, problem: Problem, timetable: Timetable, focus: set[str] | None) -> list[str]:
    """Name, in the user's language, the clashes of the timetable that involve the `focus` requests (or all)."""
    messages: list[str] = []
    party_load: Counter[tuple[str, str]] = Counter(
        (p, m.slot) for m in _known(problem, timetable) for p in _parties(problem, m)
    )
    tables: dict[tuple[str | None, str, int], list[str]] = {}
    for m in _known(problem, timetable):
        tables.setdefault((problem.host_of(problem.request_by_id[m.request]), m.slot, m.table), []).append(m.request)
    for m in timetable.meetings:
        if focus is not None and m.request not in focus:
            continue
        if m.request not in problem.request_by_id:
            messages.append(_("A meeting in this timetable belongs to a request that was declined or withdrawn."))
            continue
        if m.slot not in problem.slot_by_id:
            messages.append(_("A meeting in this timetable is in a slot that no longer exists."))
            continue
        when = local_time(problem.slot_by_id[m.slot].start, event.timezone)
        request = problem.request_by_id[m.request]
        host = problem.host_of(request)
        for pid in request.parties:
            party = problem.party_by_id[pid]
            if m.slot in party.unavailable:
                messages.append(_("%(name)s cannot meet at %(time)s.", name=party.name, time=when))
            elif party_load[pid, m.slot] > party.capacity:
                messages.append(_("%(name)s already has another meeting at %(time)s.", name=party.name, time=when))
        count = problem.table_count(host)
        owner = problem.party_by_id[host].name if host else _("the shared tables")
        if not 1 <= m.table <= count:
            messages.append(_("%(owner)s has no table %(table)d.", owner=owner, table=m.table))
        elif len(tables[host, m.slot, m.table]) > 1:
            messages.append(
                _("Table %(table)d of %(owner)s is already taken at %(time)s.", table=m.table, owner=owner, time=when)
            )
    return list(dict.fromkeys(messages))


def _changed_timetable(before: Timetable, problem: Problem, changes: Changes) -> Timetable:
    keys = {request_key(rid): placement for rid, placement in changes.items()}
    meetings = [m for m in before.meetings if m.request not in keys]
    meetings += [SpecMeeting(k, p[0].code, p[1]) for k, p in keys.items() if p is not None]
    placed = {m.request for m in meetings}
    unscheduled = [u for u in before.unscheduled if u.request not in placed]
    listed = {u.request for u in unscheduled}
    unscheduled += [
        Unscheduled(k, "removed by the organizer", REMOVED_BY_ORGANIZER)
        for k, p in keys.items()
        if p is None and k not in listed
    ]
    return replace(before, meetings=tuple(meetings), unscheduled=tuple(unscheduled), objective={})


def _write(version: TimetableVersion, changes: Changes, problem: Problem) -> None:
    """Replace the changed entries: old ones out first, so trading places never trips the unique tables rule."""
    old = {e.request_id: e for e in version.entries if e.request_id in changes}
    locked = {rid: e.locked for rid, e in old.items()}
    for entry in old.values():
        version.entries.remove(entry)
    db.session.flush()
    requests = {r.id: r for r in db.session.scalars(db.select(MeetingRequest).where(MeetingRequest.id.in_(changes)))}
    unscheduled = [u for u in version.unscheduled or [] if u.get("request") not in changes]
    for rid, placement in changes.items():
        if placement is None:
            unscheduled.append({"request": rid, "reason": "removed by the organizer", "kind": REMOVED_BY_ORGANIZER})
            continue
        slot, table = placement
        host = problem.host_of(problem.request_by_id[request_key(rid)])
        version.entries.append(
            TimetableEntry(
                request_id=rid,
                slot_id=slot.id,
                booth_id=requests[rid].booth_id if host is not None else None,
                table_number=table,
                locked=locked.get(rid, False),
            )
        )
    version.unscheduled = unscheduled


def _require_draft(version: TimetableVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise NotEditable(version.id)


def _known(problem: Problem, timetable: Timetable) -> list[SpecMeeting]:
    return [m for m in timetable.meetings if m.request in problem.request_by_id and m.slot in problem.slot_by_id]


def _parties(problem: Problem, meeting: SpecMeeting) -> tuple[str, ...]:
    return problem.request_by_id[meeting.request].parties
