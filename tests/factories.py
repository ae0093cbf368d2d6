"""Tiny factories: each builds one valid row with sensible defaults that a test can override."""

from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

from app.extensions import db
from app.models import (
    Booth,
    Event,
    EventDay,
    EventStatus,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    Organization,
    OrganizationKind,
    Slot,
)

_counter = itertools.count(1)


def make_event(**overrides: Any) -> Event:
    """Return a one-day event open for registration, with meetings 09:00-12:00 WIB."""
    n = next(_counter)
    values: dict[str, Any] = {
        "slug": f"event-{n}",
        "name": f"Temu Bisnis {n}",
        "venue": "Pendopo Kabupaten",
        "timezone": "Asia/Jakarta",
        "status": EventStatus.REGISTRATION_OPEN,
        "slot_minutes": 20,
    }
    values.update(overrides)
    day = values.pop("day", date(2025, 10, 8))
    event = Event(**values)
    event.days.append(EventDay(date=day, meetings_start=time(9), meetings_end=time(12)))
    db.session.add(event)
    db.session.flush()
    return event


def make_organization(**overrides: Any) -> Organization:
    """Return a village cooperative (KDKMP) with a unique village code."""
    n = next(_counter)
    values: dict[str, Any] = {
        "kind": OrganizationKind.COOPERATIVE,
        "name": f"Koperasi Desa Merah Putih {n}",
        "village_code": f"35.14.99.{2000 + n}",
    }
    values.update(overrides)
    org = Organization(**values)
    db.session.add(org)
    db.session.flush()
    return org


def make_booth(event: Event, **overrides: Any) -> Booth:
    """Return a state-owned enterprise's booth at the event with three tables."""
    org = overrides.pop("organization", None) or make_organization(
        kind=OrganizationKind.STATE_ENTERPRISE, name=f"BUMN {next(_counter)}", village_code=None
    )
    booth = Booth(event=event, organization=org, table_count=overrides.pop("table_count", 3), **overrides)
    db.session.add(booth)
    db.session.flush()
    return booth


def make_slot(event: Event, starts_at, minutes: int = 20) -> Slot:
    """Return a slot of the event's first day starting at the given aware time."""
    from datetime import timedelta

    slot = Slot(event=event, day=event.days[0], starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes))
    db.session.add(slot)
    db.session.flush()
    return slot


def make_request(event: Event, requester: Organization, booth: Booth, **overrides: Any) -> MeetingRequest:
    """Return a cooperative's request to meet a booth."""
    request = MeetingRequest(event=event, requester=requester, target=booth.organization, booth=booth, **overrides)
    db.session.add(request)
    db.session.flush()
    return request


def make_meeting(request: MeetingRequest, slot: Slot, table: int, **overrides: Any) -> Meeting:
    """Return a scheduled meeting with a seat for the requesting cooperative."""
    meeting = Meeting(
        event=request.event, request=request, slot=slot, booth=request.booth, table_number=table, **overrides
    )
    meeting.seats.append(MeetingSeat(organization_id=request.requester_id))
    db.session.add(meeting)
    db.session.flush()
    return meeting
