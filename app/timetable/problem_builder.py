"""Turn an event's rows into the solver's matching-problem/1: slots, parties, requests, pinned meetings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    SCHEDULABLE_STATUSES,
    Booth,
    Event,
    Meeting,
    MeetingRequest,
    MeetingStatus,
    Organization,
    Registration,
    Slot,
    TimetableVersion,
    VersionStatus,
)
from app.scheduling import Problem
from app.timetable.availability import booth_absent_slots, guest_unavailable_slots, on_stage_slots

PARTY_PREFIX = "org-"
REQUEST_PREFIX = "req-"


@dataclass(frozen=True)
class Pin:
    """A request held to one slot: a locked meeting (required) or a published one kept in place (not required)."""

    slot_id: int
    required: bool = True


def party_key(organization_id: int) -> str:
    """Return the problem's id of an organization, e.g. org-12."""
    return f"{PARTY_PREFIX}{organization_id}"


def request_key(request_id: int) -> str:
    """Return the problem's id of a meeting request, e.g. req-40."""
    return f"{REQUEST_PREFIX}{request_id}"


def id_from_key(key: str, prefix: str) -> int | None:
    """Return the database id inside a problem id such as req-40, or None when it is not one."""
    if not key.startswith(prefix) or not key[len(prefix) :].isdigit():
        return None
    return int(key[len(prefix) :])


def event_slots(event: Event) -> list[Slot]:
    """Return the event's slots in time order."""
    return list(db.session.scalars(select(Slot).where(Slot.event_id == event.id).order_by(Slot.starts_at)))


def event_booths(event: Event) -> list[Booth]:
    """Return the event's booths with their organizations and days, in label then name order."""
    booths = db.session.scalars(
        select(Booth)
        .where(Booth.event_id == event.id)
        .options(selectinload(Booth.organization), selectinload(Booth.days))
    ).all()
    return sorted(booths, key=lambda b: ((b.label or "~"), b.name.lower(), b.id))


def schedulable_requests(event: Event) -> list[MeetingRequest]:
    """Return the requests the solver should try to place: pending or accepted ones."""
    return list(
        db.session.scalars(
            select(MeetingRequest)
            .where(MeetingRequest.event_id == event.id, MeetingRequest.status.in_(SCHEDULABLE_STATUSES))
            .options(
                selectinload(MeetingRequest.requester),
                selectinload(MeetingRequest.target),
                selectinload(MeetingRequest.booth),
            )
            .order_by(MeetingRequest.id)
        )
    )


def current_draft(event: Event) -> TimetableVersion | None:
    """Return the event's newest draft version, if any."""
    return db.session.scalar(
        select(TimetableVersion)
        .where(TimetableVersion.event_id == event.id, TimetableVersion.status == VersionStatus.DRAFT)
        .order_by(TimetableVersion.number.desc())
        .limit(1)
    )


def locked_pins(event: Event) -> dict[int, Pin]:
    """Return the meetings the organizer locked: from the current draft, else from the published meetings."""
    draft = current_draft(event)
    if draft is not None:
        return {e.request_id: Pin(e.slot_id) for e in draft.entries if e.locked}
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.event_id == event.id, Meeting.locked.is_(True), Meeting.status == MeetingStatus.SCHEDULED
        )
    )
    return {m.request_id: Pin(m.slot_id) for m in meetings}


def published_pins(event: Event) -> dict[int, Pin]:
    """Return every published, still scheduled meeting as a pin the solver may drop but not move."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.SCHEDULED)
    )
    return {m.request_id: Pin(m.slot_id, required=False) for m in meetings}


def solve_pins(event: Event, keep_published: bool) -> dict[int, Pin]:
    """Return the pins of a re-solve: published meetings when asked to keep them, locked ones always."""
    pins = published_pins(event) if keep_published else {}
    pins.update(locked_pins(event))
    return pins


def build_problem(event: Event, pins: Mapping[int, Pin] | None = None) -> Problem:
    """Build the event's matching-problem/1; `pins` (request id -> Pin) default to the locked meetings."""
    return Problem.from_dict(problem_document(event, locked_pins(event) if pins is None else pins))


def problem_document(event: Event, pins: Mapping[int, Pin]) -> dict[str, Any]:
    """Return the matching-problem/1 document (a dict) of the event with the given pins."""
    slots = event_slots(event)
    code = {slot.id: slot.code for slot in slots}
    booths = event_booths(event)
    requests = schedulable_requests(event)
    parties = _parties(event, slots, booths, requests)
    return {
        "format": "matching-problem/1",
        "name": event.name,
        "timezone": event.timezone,
        "slots": [_slot_document(slot, code[slot.id]) for slot in slots],
        "tables": 0,
        "parties": [
            {
                "id": party_key(org.id),
                "name": org.display_name,
                "tables": tables,
                "unavailable": [code[s.id] for s in slots if s.id in unavailable],
            }
            for org, tables, unavailable in parties
        ],
        "requests": [_request_document(r, pins.get(r.id), code) for r in requests],
        "rules": {"max_break_spread": None},
    }


def _slot_document(slot: Slot, code: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": code, "start": slot.starts_at.isoformat(), "end": slot.ends_at.isoformat()}
    if slot.session_label:
        doc["session"] = slot.session_label
    return doc


def _request_document(request: MeetingRequest, pin: Pin | None, code: dict[int, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": request_key(request.id),
        "parties": [party_key(request.requester_id), party_key(request.target_id)],
        "weight": request.weight,
    }
    host = _host(request)
    if host is not None:
        doc["host"] = party_key(host)
    if pin is not None and pin.slot_id in code:
        doc["fixed_slot"] = code[pin.slot_id]
        doc["required"] = pin.required
    return doc


def _host(request: MeetingRequest) -> int | None:
    booth = request.booth
    if booth is None or booth.table_count < 1 or booth.organization_id not in (request.requester_id, request.target_id):
        return None
    return booth.organization_id


def _parties(
    event: Event, slots: list[Slot], booths: list[Booth], requests: list[MeetingRequest]
) -> list[tuple[Organization, int, set[int]]]:
    """Every organization that meets, with its table count and unavailable slot ids, booths first."""
    organizations: dict[int, Organization] = {}
    tables: dict[int, int] = {}
    unavailable: dict[int, set[int]] = defaultdict(set)
    for booth in booths:
        organizations[booth.organization_id] = booth.organization
        tables[booth.organization_id] = max(0, booth.table_count)
        unavailable[booth.organization_id] |= booth_absent_slots(booth, slots)
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.organization))
        .order_by(Registration.id)
    )
    for registration in registrations:
        organizations.setdefault(registration.organization_id, registration.organization)
        unavailable[registration.organization_id] |= guest_unavailable_slots(registration, slots)
    for request in requests:  # a party asked for or asked by a request always takes part
        organizations.setdefault(request.requester_id, request.requester)
        organizations.setdefault(request.target_id, request.target)
    for organization_id, slot_ids in on_stage_slots(event).items():
        if organization_id in organizations:
            unavailable[organization_id] |= slot_ids
    return [(org, tables.get(org_id, 0), unavailable[org_id]) for org_id, org in organizations.items()]
