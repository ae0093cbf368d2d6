"""Meeting requests between cooperatives and booths: asking, withdrawing, the cap, suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    SCHEDULABLE_STATUSES,
    Booth,
    Event,
    MeetingRequest,
    Organization,
    Registration,
    RequestStatus,
)
from app.public.services import is_registration_open


class RequestError(Exception):
    """Raised when a request cannot be made or changed; the message is for the user."""


@dataclass(frozen=True)
class BoothCard:
    """A booth as a cooperative sees it: what it offers, how well it fits, and where its request stands."""

    booth: Booth
    matching: list[str]  # sector codes the booth offers that the cooperative needs
    mine: MeetingRequest | None  # the cooperative's own request to it
    theirs: MeetingRequest | None  # the booth's request to the cooperative


def active_request_count(event: Event, organization_id: int) -> int:
    """Return how many live requests the cooperative itself made (what the meeting cap counts)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(MeetingRequest)
            .where(
                MeetingRequest.event_id == event.id,
                MeetingRequest.requester_id == organization_id,
                MeetingRequest.status.in_(SCHEDULABLE_STATUSES),
            )
        )
        or 0
    )


def booth_cards(registration: Registration) -> list[BoothCard]:
    """Return every booth of the event with its fit to the cooperative's needs, best fit first."""
    organization = registration.organization
    booths = db.session.scalars(
        select(Booth)
        .where(Booth.event_id == registration.event_id)
        .join(Booth.organization)
        .options(selectinload(Booth.organization).selectinload(Organization.offers))
        .order_by(Booth.label, Organization.name)
    ).all()
    requests = db.session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == registration.event_id,
            or_(MeetingRequest.requester_id == organization.id, MeetingRequest.target_id == organization.id),
        )
    ).all()
    mine = {r.target_id: r for r in requests if r.requester_id == organization.id}
    theirs = {r.requester_id: r for r in requests if r.target_id == organization.id}
    needs = {s.code for s in organization.needs}
    cards = [
        BoothCard(
            booth=b,
            matching=[s.code for s in b.organization.offers if s.code in needs],
            mine=mine.get(b.organization_id),
            theirs=theirs.get(b.organization_id),
        )
        for b in booths
    ]
    return sorted(cards, key=lambda c: -len(c.matching))


def suggestions(cards: list[BoothCard]) -> list[BoothCard]:
    """Return the booths that offer what the cooperative needs and that it has not asked yet."""
    return [c for c in cards if c.matching and not _is_live(c.mine)]


def my_requests(registration: Registration) -> list[MeetingRequest]:
    """Return the cooperative's own requests at the event, newest first."""
    return list(
        db.session.scalars(
            select(MeetingRequest)
            .where(
                MeetingRequest.event_id == registration.event_id,
                MeetingRequest.requester_id == registration.organization_id,
            )
            .options(selectinload(MeetingRequest.booth).selectinload(Booth.organization))
            .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        )
    )


def ask_booth(registration: Registration, booth: Booth, priority: int, now: datetime | None = None) -> MeetingRequest:
    """Ask a booth for a meeting (or mark the booth's own request mutual); respects the deadline and the cap."""
    event = registration.event
    _check_open(event, now)
    if booth.event_id != event.id:
        raise RequestError(_("This booth is not part of the event."))
    if priority not in (1, 2, 3):
        raise RequestError(_("Choose a priority from 1 to 3."))
    lock_registration(registration)
    organization_id = registration.organization_id
    theirs = _find(event, booth.organization_id, organization_id)
    if theirs is not None and theirs.status in SCHEDULABLE_STATUSES:
        theirs.mutual = True
        theirs.priority = max(theirs.priority, priority)
        theirs.status = RequestStatus.ACCEPTED
        db.session.flush()
        return theirs
    mine = _find(event, organization_id, booth.organization_id)
    if mine is not None and mine.status in SCHEDULABLE_STATUSES:
        mine.priority = priority
        db.session.flush()
        return mine
    if mine is not None and mine.status == RequestStatus.DECLINED:
        raise RequestError(_("%(booth)s has declined this meeting.", booth=booth.name))
    _check_cap(event, organization_id)
    if mine is None:
        mine = MeetingRequest(event=event, requester_id=organization_id, target_id=booth.organization_id, booth=booth)
        db.session.add(mine)
    mine.status = RequestStatus.PENDING
    mine.priority = priority
    db.session.flush()
    return mine


def lock_registration(registration: Registration) -> None:
    """Lock the cooperative's registration row until commit (PostgreSQL), so parallel requests count one by one.

    Without it, requests sent at the same moment from two phones all see the count below the cap and all pass.
    """
    db.session.execute(select(Registration.id).where(Registration.id == registration.id).with_for_update())


def withdraw_request(registration: Registration, request_id: int, now: datetime | None = None) -> MeetingRequest:
    """Withdraw one of the cooperative's own requests while registration is open."""
    request = db.session.get(MeetingRequest, request_id)
    if request is None or request.requester_id != registration.organization_id:
        raise LookupError(request_id)
    if request.event_id != registration.event_id:
        raise LookupError(request_id)
    _check_open(registration.event, now)
    if request.status not in SCHEDULABLE_STATUSES:
        raise RequestError(_("This request is no longer open."))
    request.status = RequestStatus.WITHDRAWN
    db.session.flush()
    return request


def _find(event: Event, requester_id: int, target_id: int) -> MeetingRequest | None:
    return db.session.scalar(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.requester_id == requester_id,
            MeetingRequest.target_id == target_id,
        )
    )


def _is_live(request: MeetingRequest | None) -> bool:
    return request is not None and request.status in SCHEDULABLE_STATUSES


def _check_open(event: Event, now: datetime | None) -> None:
    if not is_registration_open(event, now):
        raise RequestError(_("Meeting requests are closed: the registration deadline has passed."))


def _check_cap(event: Event, organization_id: int) -> None:
    cap = event.meeting_cap
    if cap is not None and active_request_count(event, organization_id) >= cap:
        raise RequestError(
            _(
                "You have reached the limit of %(cap)d meeting requests. Withdraw one to ask another booth.",
                cap=cap,
            )
        )
