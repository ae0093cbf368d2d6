"""Booth staff work: the booth's offer, answering and making requests, the day's meetings and their outcomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    SCHEDULABLE_STATUSES,
    Booth,
    Interest,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    Organization,
    Registration,
    RequestStatus,
    Sector,
    User,
    utcnow,
)
from app.public.services import is_registration_open


class BoothActionError(Exception):
    """Raised when a booth action cannot be done; the message is for the user."""


@dataclass(frozen=True)
class CooperativeRow:
    """A registered cooperative as the booth sees it when looking for whom to invite."""

    registration: Registration
    matching: list[str]  # sector codes it needs that the booth offers
    theirs: MeetingRequest | None  # the cooperative's request to the booth
    ours: MeetingRequest | None  # the booth's request to the cooperative


def staff_booths(user: User) -> list[Booth]:
    """Return the booths of the staff member's organization, newest event first."""
    if user.organization_id is None:
        return []
    return list(
        db.session.scalars(
            select(Booth).where(Booth.organization_id == user.organization_id).order_by(Booth.event_id.desc())
        )
    )


def update_offer(booth: Booth, sector_codes: list[str], description: str | None) -> None:
    """Set the sectors the booth's organization offers and the booth's short description."""
    sectors = db.session.scalars(select(Sector).where(Sector.code.in_(sector_codes))).all()
    booth.organization.offers = list(sectors)
    booth.description = (description or "").strip() or None
    db.session.flush()


def incoming_requests(booth: Booth) -> list[MeetingRequest]:
    """Return the cooperatives' requests to the booth's organization, open ones first."""
    rows = db.session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.event_id == booth.event_id, MeetingRequest.target_id == booth.organization_id)
        .options(selectinload(MeetingRequest.requester).selectinload(Organization.needs))
        .order_by(MeetingRequest.priority.desc(), MeetingRequest.created_at)
    ).all()
    order = {RequestStatus.PENDING: 0, RequestStatus.ACCEPTED: 1, RequestStatus.DECLINED: 2, RequestStatus.WITHDRAWN: 3}
    return sorted(rows, key=lambda r: order[r.status])


def answer_request(booth: Booth, request_id: int, accept: bool) -> MeetingRequest:
    """Accept or decline a cooperative's request to the booth, until the timetable is published."""
    request = db.session.get(MeetingRequest, request_id)
    if request is None or request.target_id != booth.organization_id or request.event_id != booth.event_id:
        raise LookupError(request_id)
    if booth.event.is_published:
        raise BoothActionError(_("The timetable is published: requests can no longer be changed."))
    if request.status == RequestStatus.WITHDRAWN:
        raise BoothActionError(_("The cooperative has withdrawn this request."))
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    db.session.flush()
    return request


def cooperatives_to_ask(booth: Booth, query: str = "", limit: int = 50) -> list[CooperativeRow]:
    """Return registered cooperatives, best fit to the booth's offer first, optionally filtered by name."""
    statement = (
        select(Registration)
        .join(Registration.organization)
        .where(Registration.event_id == booth.event_id, Organization.id != booth.organization_id)
        .options(selectinload(Registration.organization).selectinload(Organization.needs))
        .order_by(Organization.name)
    )
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(Organization.name).like(pattern), func.lower(Organization.address).like(pattern))
        )
    registrations = db.session.scalars(statement).all()
    requests = db.session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == booth.event_id,
            or_(
                MeetingRequest.target_id == booth.organization_id,
                MeetingRequest.requester_id == booth.organization_id,
            ),
        )
    ).all()
    theirs = {r.requester_id: r for r in requests if r.target_id == booth.organization_id}
    ours = {r.target_id: r for r in requests if r.requester_id == booth.organization_id}
    offered = {s.code for s in booth.organization.offers}
    rows = [
        CooperativeRow(
            registration=r,
            matching=[s.code for s in r.organization.needs if s.code in offered],
            theirs=theirs.get(r.organization_id),
            ours=ours.get(r.organization_id),
        )
        for r in registrations
    ]
    rows.sort(key=lambda row: -len(row.matching))
    return rows[:limit]


def ask_cooperative(booth: Booth, organization_id: int, priority: int, now: datetime | None = None) -> MeetingRequest:
    """Ask a registered cooperative for a meeting; if it already asked the booth, mark that request mutual."""
    if not is_registration_open(booth.event, now):
        raise BoothActionError(_("Meeting requests are closed: the registration deadline has passed."))
    if priority not in (1, 2, 3):
        raise BoothActionError(_("Choose a priority from 1 to 3."))
    registered = db.session.scalar(
        select(Registration).where(
            Registration.event_id == booth.event_id, Registration.organization_id == organization_id
        )
    )
    if registered is None or organization_id == booth.organization_id:
        raise LookupError(organization_id)
    theirs = _find(booth, organization_id, booth.organization_id)
    if theirs is not None and theirs.status in SCHEDULABLE_STATUSES:
        theirs.mutual = True
        theirs.status = RequestStatus.ACCEPTED
        theirs.priority = max(theirs.priority, priority)
        db.session.flush()
        return theirs
    ours = _find(booth, booth.organization_id, organization_id)
    if ours is None:
        ours = MeetingRequest(
            event_id=booth.event_id, requester_id=booth.organization_id, target_id=organization_id, booth=booth
        )
        db.session.add(ours)
    ours.status = RequestStatus.PENDING
    ours.priority = priority
    db.session.flush()
    return ours


def meeting_days(booth: Booth) -> list[date]:
    """Return the local dates on which the booth has meetings, in order."""
    zone = booth.event.zone
    starts = db.session.scalars(
        select(Meeting).where(Meeting.booth_id == booth.id).options(selectinload(Meeting.slot))
    ).all()
    return sorted({m.slot.starts_at.astimezone(zone).date() for m in starts})


def pick_day(days: list[date], wanted: str | None, today: date) -> date | None:
    """Return the day to show: the one asked for, else today when it has meetings, else the first day."""
    for day in days:
        if wanted and day.isoformat() == wanted:
            return day
    if today in days:
        return today
    return days[0] if days else None


def tables_on(booth: Booth, day: date) -> dict[int, list[Meeting]]:
    """Return the booth's meetings of one local day, table by table, in time order."""
    zone = booth.event.zone
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.booth_id == booth.id)
        .options(
            selectinload(Meeting.slot),
            selectinload(Meeting.request).selectinload(MeetingRequest.requester),
            selectinload(Meeting.request).selectinload(MeetingRequest.target),
        )
    ).all()
    tables: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda m: (m.table_number, m.slot.starts_at)):
        if meeting.slot.starts_at.astimezone(zone).date() == day:
            tables[meeting.table_number].append(meeting)
    return dict(sorted(tables.items()))


def booth_meeting(booth: Booth, meeting_id: int) -> Meeting:
    """Return one of the booth's meetings, or raise LookupError."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.booth_id != booth.id:
        raise LookupError(meeting_id)
    return meeting


def set_meeting_status(booth: Booth, meeting_id: int, status: str) -> Meeting:
    """Mark a meeting held or no-show (or back to scheduled); cancelled meetings stay cancelled."""
    meeting = booth_meeting(booth, meeting_id)
    allowed = {MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.SCHEDULED}
    if status not in allowed:
        raise BoothActionError(_("Unknown meeting status."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise BoothActionError(_("This meeting was cancelled."))
    if meeting.status != status:
        meeting.status = MeetingStatus(status)
        meeting.revision += 1
        db.session.flush()
    return meeting


def outcome_of(meeting: Meeting) -> MeetingOutcome | None:
    """Return the outcome recorded for a meeting, if any."""
    return db.session.scalar(select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id))


def outcomes_by_meeting(meetings: list[Meeting]) -> dict[int, MeetingOutcome]:
    """Return the recorded outcomes of the given meetings, by meeting id."""
    ids = [m.id for m in meetings]
    if not ids:
        return {}
    rows = db.session.scalars(select(MeetingOutcome).where(MeetingOutcome.meeting_id.in_(ids)))
    return {o.meeting_id: o for o in rows}


OUTCOME_FIELDS = (
    "interest",
    "follow_up",
    "mou_signed",
    "rice_tonnes_month",
    "cooking_oil_litres_month",
    "lpg_cylinders_month",
    "fertiliser_tonnes",
    "financing_rupiah",
    "notes",
)


def record_outcome(booth: Booth, meeting_id: int, values: dict[str, Any], user: User) -> MeetingOutcome:
    """Record (or correct) a meeting's outcome; a scheduled meeting becomes held."""
    meeting = booth_meeting(booth, meeting_id)
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.NO_SHOW):
        raise BoothActionError(_("Outcomes are recorded for meetings that took place."))
    outcome = outcome_of(meeting) or MeetingOutcome(meeting=meeting)
    for name in OUTCOME_FIELDS:
        setattr(outcome, name, values.get(name))
    outcome.interest = Interest(values.get("interest") or Interest.NONE)
    for name in ("rice_tonnes_month", "fertiliser_tonnes"):
        value = values.get(name)
        setattr(outcome, name, float(value) if value is not None else None)
    outcome.notes = (values.get("notes") or "").strip() or None
    outcome.follow_up = bool(values.get("follow_up"))
    outcome.mou_signed = bool(values.get("mou_signed"))
    outcome.recorded_by = user
    outcome.recorded_at = utcnow()
    db.session.add(outcome)
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.revision += 1
    db.session.flush()
    return outcome


def _find(booth: Booth, requester_id: int, target_id: int) -> MeetingRequest | None:
    return db.session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.event_id == booth.event_id,
            MeetingRequest.requester_id == requester_id,
            MeetingRequest.target_id == target_id,
        )
    )
