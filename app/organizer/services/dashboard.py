"""The event dashboard's figures: registrations, requests, served cooperatives, tables, gaps and outcomes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    SCHEDULABLE_STATUSES,
    Booth,
    Event,
    Interest,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingSeat,
    MeetingStatus,
    Registration,
    RequestStatus,
    Slot,
)

ACTIVE_MEETING = Meeting.status != MeetingStatus.CANCELLED


@dataclass(frozen=True)
class BoothFigures:
    """A booth's requests, meetings, and how much of its table time the meetings use."""

    booth: Booth
    requests: int
    meetings: int
    table_slots: int

    @property
    def table_use(self) -> float:
        """Return the share of table slots holding a meeting, 0..1."""
        return self.meetings / self.table_slots if self.table_slots else 0.0


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for one event."""

    registrations: int
    requests_by_status: dict[str, int]
    requesters: int
    served: int
    booths: list[BoothFigures]
    gaps: dict[str, int]  # "0", "1", "2", "3+" idle gaps -> number of cooperatives
    meetings_by_status: dict[str, int]
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def requests_total(self) -> int:
        """Return the number of requests in any status."""
        return sum(self.requests_by_status.values())

    @property
    def served_share(self) -> float:
        """Return the share of cooperatives with requests that have at least one meeting, 0..1."""
        return self.served / self.requesters if self.requesters else 0.0


def event_dashboard(event: Event) -> Dashboard:
    """Collect the dashboard's figures for an event in a handful of queries."""
    registrations = db.session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    by_status = dict(
        db.session.execute(
            select(MeetingRequest.status, func.count())
            .where(MeetingRequest.event_id == event.id)
            .group_by(MeetingRequest.status)
        )
        .tuples()
        .all()
    )
    requesters = db.session.scalar(
        select(func.count(func.distinct(MeetingRequest.requester_id))).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status.in_(SCHEDULABLE_STATUSES)
        )
    )
    seats = db.session.execute(
        select(MeetingSeat.organization_id, Meeting.slot_id)
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .where(Meeting.event_id == event.id, ACTIVE_MEETING)
    ).all()
    meetings_by_status = dict(
        db.session.execute(
            select(Meeting.status, func.count()).where(Meeting.event_id == event.id).group_by(Meeting.status)
        )
        .tuples()
        .all()
    )
    return Dashboard(
        registrations=registrations or 0,
        requests_by_status={str(s): by_status.get(s, 0) for s in RequestStatus},
        requesters=requesters or 0,
        served=len({org_id for org_id, _slot in seats}),
        booths=_booth_figures(event),
        gaps=_gap_histogram(event, seats),
        meetings_by_status={str(s): meetings_by_status.get(s, 0) for s in MeetingStatus},
        outcomes=_outcomes(event),
    )


def _booth_figures(event: Event) -> list[BoothFigures]:
    booths = db.session.scalars(select(Booth).where(Booth.event_id == event.id).order_by(Booth.label, Booth.id)).all()
    requests = dict(
        db.session.execute(
            select(MeetingRequest.booth_id, func.count())
            .where(MeetingRequest.event_id == event.id)
            .group_by(MeetingRequest.booth_id)
        )
        .tuples()
        .all()
    )
    meetings = dict(
        db.session.execute(
            select(Meeting.booth_id, func.count())
            .where(Meeting.event_id == event.id, ACTIVE_MEETING)
            .group_by(Meeting.booth_id)
        )
        .tuples()
        .all()
    )
    slots_per_day = dict(
        db.session.execute(select(Slot.day_id, func.count()).where(Slot.event_id == event.id).group_by(Slot.day_id))
        .tuples()
        .all()
    )
    figures = []
    for booth in booths:
        day_ids = [d.id for d in booth.days] or list(slots_per_day)
        slots = sum(slots_per_day.get(day_id, 0) for day_id in day_ids)
        figures.append(
            BoothFigures(booth, requests.get(booth.id, 0), meetings.get(booth.id, 0), slots * booth.table_count)
        )
    return figures


def _gap_histogram(event: Event, seats: list[tuple[int, int]]) -> dict[str, int]:
    """Count cooperatives by idle gaps: runs of free slots between two of their meetings on the same day."""
    position: dict[int, tuple[int, int]] = {}
    for day_id, slot_ids in _slots_by_day(event).items():
        for index, slot_id in enumerate(slot_ids):
            position[slot_id] = (day_id, index)
    taken: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for org_id, slot_id in seats:
        if slot_id in position:
            day_id, index = position[slot_id]
            taken[org_id][day_id].append(index)
    histogram = Counter({"0": 0, "1": 0, "2": 0, "3+": 0})
    for days in taken.values():
        gaps = 0
        for indexes in days.values():
            ordered = sorted(indexes)
            gaps += sum(1 for a, b in zip(ordered, ordered[1:], strict=False) if b - a > 1)
        histogram[str(gaps) if gaps < 3 else "3+"] += 1
    return dict(histogram)


def _slots_by_day(event: Event) -> dict[int, list[int]]:
    by_day: dict[int, list[int]] = defaultdict(list)
    for slot_id, day_id in db.session.execute(
        select(Slot.id, Slot.day_id).where(Slot.event_id == event.id).order_by(Slot.starts_at)
    ):
        by_day[day_id].append(slot_id)
    return by_day


def _outcomes(event: Event) -> dict[str, int]:
    """Return counts of recorded outcomes: how many, by interest, with follow-up, with a signed MoU."""
    base = select(func.count()).select_from(MeetingOutcome).join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
    base = base.where(Meeting.event_id == event.id)
    figures = {"recorded": db.session.scalar(base) or 0}
    for interest in Interest:
        figures[f"interest_{interest}"] = db.session.scalar(base.where(MeetingOutcome.interest == interest)) or 0
    figures["follow_up"] = db.session.scalar(base.where(MeetingOutcome.follow_up.is_(True))) or 0
    figures["mou_signed"] = db.session.scalar(base.where(MeetingOutcome.mou_signed.is_(True))) or 0
    return figures
