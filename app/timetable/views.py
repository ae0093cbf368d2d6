"""What the timetable pages show: grids, agendas, reasons and changes, read from a version in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.i18n import local_time
from app.models import Booth, Event, MeetingRequest, Organization, Slot, TimetableEntry, TimetableVersion
from app.timetable.problem_builder import PARTY_PREFIX, event_booths, event_slots, id_from_key
from app.timetable.publish import Change, TimetableDiff


@dataclass
class BoothSheet:
    """One booth's tables over the day: per slot, the entry at each table (None when free)."""

    booth: Booth
    rows: list[tuple[Slot, list[TimetableEntry | None]]]

    @property
    def meeting_count(self) -> int:
        """How many meetings the booth holds."""
        return sum(1 for _slot, cells in self.rows for cell in cells if cell is not None)


@dataclass
class Agenda:
    """One cooperative's meetings in time order."""

    organization: Organization
    entries: list[TimetableEntry] = field(default_factory=list)


@dataclass
class LeftOut:
    """An unscheduled request with its reason in the user's language."""

    request: MeetingRequest | None
    reason: str
    kind: str


@dataclass
class ChangeRow:
    """A change between two versions, ready to show: who meets whom, before and after."""

    kind: str  # new / moved / cancelled
    request: MeetingRequest
    before: tuple[Slot, Booth | None, int] | None
    after: tuple[Slot, Booth | None, int] | None


def load_entries(version: TimetableVersion) -> list[TimetableEntry]:
    """Return the version's entries with their request, parties, slot and booth loaded."""
    return list(
        db.session.scalars(
            select(TimetableEntry)
            .where(TimetableEntry.version_id == version.id)
            .options(
                selectinload(TimetableEntry.slot),
                selectinload(TimetableEntry.booth).selectinload(Booth.organization),
                selectinload(TimetableEntry.request).selectinload(MeetingRequest.requester),
                selectinload(TimetableEntry.request).selectinload(MeetingRequest.target),
            )
        )
    )


def booth_sheets(version: TimetableVersion, booths: Iterable[Booth] | None = None) -> list[BoothSheet]:
    """Return a sheet per booth: every slot of the event against the booth's tables."""
    event = version.event
    slots = event_slots(event)
    at: dict[tuple[int | None, int, int], TimetableEntry] = {
        (e.booth_id, e.slot_id, e.table_number): e for e in load_entries(version)
    }
    sheets = []
    for booth in booths if booths is not None else event_booths(event):
        rows = [(slot, [at.get((booth.id, slot.id, t)) for t in range(1, booth.table_count + 1)]) for slot in slots]
        sheets.append(BoothSheet(booth, rows))
    return sheets


def agendas(version: TimetableVersion, query: str = "") -> list[Agenda]:
    """Return each guest's meetings (organizations without a booth), by name; `query` filters names."""
    booth_orgs = {b.organization_id for b in event_booths(version.event)}
    by_org: dict[int, Agenda] = {}
    for entry in sorted(load_entries(version), key=lambda e: e.slot.starts_at):
        for org in entry.request.parties:
            if org.id in booth_orgs:
                continue
            by_org.setdefault(org.id, Agenda(org)).entries.append(entry)
    found = sorted(by_org.values(), key=lambda a: a.organization.display_name.lower())
    needle = query.strip().lower()
    return [a for a in found if needle in a.organization.name.lower() or needle in a.organization.display_name.lower()]


def counterpart(entry: TimetableEntry, organization: Organization) -> Organization:
    """Return whom the organization meets in this entry."""
    requester, target = entry.request.parties
    return target if requester.id == organization.id else requester


def guest_of(entry: TimetableEntry) -> Organization:
    """Return the guest at the booth's table: the party that is not the booth's organization."""
    requester, target = entry.request.parties
    booth_org = entry.booth.organization_id if entry.booth else None
    return target if requester.id == booth_org else requester


def left_out(version: TimetableVersion) -> list[LeftOut]:
    """Return the version's unscheduled requests, each with its reason translated where the kind is known."""
    items = version.unscheduled or []
    requests = _requests_by_id({item.get("request") for item in items})
    names = _names(id_from_key(p, PARTY_PREFIX) for item in items for p in item.get("parties", ()))
    slots = {slot.code: slot for slot in event_slots(version.event)}
    out = [
        LeftOut(
            requests.get(item.get("request")),
            reason_text(item, names, slots, version.event),
            item.get("kind", ""),
        )
        for item in items
    ]
    return sorted(out, key=lambda x: (x.request is None, x.request.requester.display_name if x.request else ""))


def reason_text(item: dict[str, Any], names: dict[int, str], slots: dict[str, Slot], event: Event) -> str:
    """Put the solver's reason for leaving a request out into the user's language (its own text otherwise)."""
    kind = item.get("kind", "")
    who = [names.get(id_from_key(p, PARTY_PREFIX) or -1, p) for p in item.get("parties", ())]
    times = ", ".join(
        local_time(slots[c].starts_at, event.timezone, False) for c in item.get("slots", ()) if c in slots
    )
    if kind == "no_common_slot":
        return _("The two have no free time in common.")
    if kind == "pinned_unavailable":
        return _("One of the two cannot attend at the locked time.")
    if kind == "host_full" and who:
        return _("%(name)s is full at every time both are free.", name=who[0])
    if kind == "party_full" and who:
        return _("%(name)s already has meetings at every time both are free.", name=who[0])
    if kind == "no_room":
        return _("No time is left where both are free and a table is free.")
    if kind == "not_placed":
        return _("Both are still free at %(times)s; the solver stopped before placing it.", times=times)
    if kind == "predecessor_unscheduled":
        return _("It must come after a meeting that is not scheduled.")
    if kind == "zero_weight":
        return _("Its weight is zero.")
    if kind == "fairness":
        return _("Placing it would break the fairness rule.")
    if kind == "new_request":
        return _("Requested after this timetable was made.")
    if kind == "removed_by_organizer":
        return _("Taken out by the organizer.")
    return str(item.get("reason", ""))


SOLVER_LEAD_IN = "These rules cannot all hold together: "  # how the solver starts a clash it found by search


def conflict_texts(event: Event, conflicts: list[dict[str, Any]]) -> list[str]:
    """Put an infeasible run's conflicts into the user's language, naming who and when."""
    names = _names(id_from_key(p, PARTY_PREFIX) for c in conflicts for p in c.get("parties", ()))
    slots = {slot.code: slot for slot in event_slots(event)}
    texts = []
    for conflict in conflicts:
        who = ", ".join(names.get(id_from_key(p, PARTY_PREFIX) or -1, p) for p in conflict.get("parties", ()))
        times = ", ".join(
            local_time(slots[c].starts_at, event.timezone) for c in conflict.get("slots", ()) if c in slots
        )
        kind = conflict.get("kind")
        if kind == "pinned_unavailable":
            texts.append(_("A locked meeting is at %(time)s, but %(who)s cannot meet then.", time=times, who=who))
        elif kind == "pinned_overload":
            texts.append(_("Too many meetings are locked at %(time)s for %(who)s.", time=times, who=who or "-"))
        elif kind == "no_common_slot":
            texts.append(_("%(who)s have no free time in common for a locked meeting.", who=who))
        elif kind in ("party_overload", "tables_overload"):
            texts.append(_("%(who)s has more locked meetings than free times.", who=who or "-"))
        else:  # the solver's own words (English) follow the translated lead-in once
            detail = conflict.get("message", "").removeprefix(SOLVER_LEAD_IN)
            texts.append(_("These rules cannot all hold together: %(detail)s", detail=detail))
    return texts


def change_rows(diff: TimetableDiff) -> list[ChangeRow]:
    """Return the diff's changes with their requests, slots and booths loaded, ready to show."""
    changes = diff.changes
    requests = _requests_by_id({c.request_id for c in changes})
    slot_ids = {p.slot_id for c in changes for p in (c.before, c.after) if p}
    booth_ids = {p.booth_id for c in changes for p in (c.before, c.after) if p and p.booth_id}
    slots = {s.id: s for s in db.session.scalars(select(Slot).where(Slot.id.in_(slot_ids)))}
    booths = {
        b.id: b
        for b in db.session.scalars(
            select(Booth).where(Booth.id.in_(booth_ids)).options(selectinload(Booth.organization))
        )
    }

    def placed(change: Change, side: str) -> tuple[Slot, Booth | None, int] | None:
        where = getattr(change, side)
        return None if where is None else (slots[where.slot_id], booths.get(where.booth_id), where.table_number)

    kinds = [("new", diff.new), ("moved", diff.moved), ("cancelled", diff.cancelled)]
    return [
        ChangeRow(kind, requests[c.request_id], placed(c, "before"), placed(c, "after"))
        for kind, group in kinds
        for c in group
        if c.request_id in requests
    ]


def affected_names(diff: TimetableDiff) -> list[str]:
    """Return the names of the organizations a diff concerns, sorted."""
    return sorted(_names(diff.affected_organization_ids).values(), key=str.lower)


def slot_choices(event: Event) -> list[tuple[int, str]]:
    """Return the event's slots as form choices, labelled with local date and time."""
    by_day: dict[str, list[Slot]] = defaultdict(list)
    slots = event_slots(event)
    for slot in slots:
        by_day[slot.day_id].append(slot)
    many_days = len(by_day) > 1
    return [
        (
            slot.id,
            (slot.starts_at.astimezone(event.zone).strftime("%d/%m ") if many_days else "")
            + local_time(slot.starts_at, event.timezone),
        )
        for slot in slots
    ]


def _requests_by_id(ids: set[Any]) -> dict[int, MeetingRequest]:
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.id.in_(wanted))
        .options(selectinload(MeetingRequest.requester), selectinload(MeetingRequest.target))
    )
    return {r.id: r for r in rows}


def _names(organization_ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in organization_ids if i is not None}
    if not wanted:
        return {}
    return {o.id: o.display_name for o in db.session.scalars(select(Organization).where(Organization.id.in_(wanted)))}
