"""Meeting requests seen by the organizer: filtering, adding on a cooperative's behalf, suggested matches."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, insert, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    SCHEDULABLE_STATUSES,
    Booth,
    Event,
    MeetingRequest,
    Organization,
    OrganizationKind,
    Registration,
    RequestStatus,
)
from app.models.organization import organization_needs, organization_offers

PAGE_SIZE = 50


class RequestRefused(ValueError):
    """Raised with a message for the organizer when a request cannot be added."""


@dataclass(frozen=True)
class RequestFilters:
    """What the organizer narrows the list by; None means any."""

    booth_id: int | None = None
    cooperative: str | None = None  # part of the name or the village code
    status: RequestStatus | None = None
    priority: int | None = None


@dataclass(frozen=True)
class RequestPage:
    """One page of the filtered list with the counts the organizer reads above it."""

    requests: list[MeetingRequest]
    total: int
    page: int
    pages: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class Suggestion:
    """A cooperative and a booth whose sectors overlap, with no request between them yet."""

    cooperative: Organization
    booth: Booth
    sectors: list[str]

    @property
    def key(self) -> str:
        """Return the form value naming this pair."""
        return f"{self.cooperative.id}:{self.booth.id}"


def _filtered(event: Event, filters: RequestFilters) -> Select:
    query = (
        select(MeetingRequest)
        .join(Organization, Organization.id == MeetingRequest.requester_id)
        .where(MeetingRequest.event_id == event.id)
    )
    if filters.booth_id:
        query = query.where(MeetingRequest.booth_id == filters.booth_id)
    if filters.status:
        query = query.where(MeetingRequest.status == filters.status)
    if filters.priority:
        query = query.where(MeetingRequest.priority == filters.priority)
    if filters.cooperative:
        term = f"%{filters.cooperative.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Organization.name).like(term),
                func.lower(Organization.short_name).like(term),
                Organization.village_code.like(term),
            )
        )
    return query


def find_requests(event: Event, filters: RequestFilters, page: int = 1) -> RequestPage:
    """Return one page of the event's requests matching the filters, with totals by status."""
    query = _filtered(event, filters)
    counts = db.session.execute(
        query.with_only_columns(MeetingRequest.status, func.count()).group_by(MeetingRequest.status).order_by(None)
    ).all()
    by_status = {str(status): count for status, count in counts}
    total = sum(by_status.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    requests = db.session.scalars(
        query.options(
            selectinload(MeetingRequest.requester),
            selectinload(MeetingRequest.booth).selectinload(Booth.organization),
        )
        .order_by(Organization.name, MeetingRequest.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return RequestPage(list(requests), total, page, pages, by_status)


def find_registered_cooperative(event: Event, text: str) -> Organization | None:
    """Return the registered organization named by a village code, a 'code — name' choice or an exact name."""
    text = (text or "").strip()
    code = text.split(" ", 1)[0]
    query = select(Organization).join(Registration, Registration.organization_id == Organization.id)
    query = query.where(Registration.event_id == event.id)
    found = db.session.scalar(query.where(Organization.village_code == code))
    if found is None and text:
        matches = db.session.scalars(
            query.where(
                or_(func.lower(Organization.name) == text.lower(), func.lower(Organization.short_name) == text.lower())
            ).limit(2)
        ).all()
        found = matches[0] if len(matches) == 1 else None
    return found


def registered_cooperatives(event: Event, limit: int = 2000) -> list[Organization]:
    """Return the event's registered organizations by name (for the picker), at most `limit`."""
    return list(
        db.session.scalars(
            select(Organization)
            .join(Registration, Registration.organization_id == Organization.id)
            .where(Registration.event_id == event.id)
            .order_by(Organization.name)
            .limit(limit)
        )
    )


def open_request_count(event: Event, organization_id: int) -> int:
    """Return how many pending or accepted requests an organization has at the event (what the cap counts)."""
    return db.session.scalar(
        select(func.count()).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.requester_id == organization_id,
            MeetingRequest.status.in_(SCHEDULABLE_STATUSES),
        )
    )


def add_request(
    event: Event,
    cooperative: Organization,
    booth: Booth,
    priority: int = 2,
    status: RequestStatus = RequestStatus.PENDING,
) -> MeetingRequest:
    """Add a cooperative's request to meet a booth, within the event's meeting cap."""
    if booth.event_id != event.id:
        raise RequestRefused(_("Choose a booth of this event."))
    registered = db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id, Registration.organization_id == cooperative.id)
    )
    if not registered:
        raise RequestRefused(_("%(name)s is not registered for this event.", name=cooperative.display_name))
    if cooperative.id == booth.organization_id:
        raise RequestRefused(_("An organization cannot meet itself."))
    duplicate = select(MeetingRequest.id).where(
        MeetingRequest.event_id == event.id,
        MeetingRequest.requester_id == cooperative.id,
        MeetingRequest.target_id == booth.organization_id,
    )
    if db.session.scalar(duplicate):
        raise RequestRefused(
            _("%(name)s already asked to meet %(booth)s.", name=cooperative.display_name, booth=booth.name)
        )
    if status in SCHEDULABLE_STATUSES and event.meeting_cap:
        count = open_request_count(event, cooperative.id)
        if count >= event.meeting_cap:
            raise RequestRefused(
                _(
                    "%(name)s already has %(count)d requests; this event allows at most %(cap)d per cooperative.",
                    name=cooperative.display_name,
                    count=count,
                    cap=event.meeting_cap,
                )
            )
    request = MeetingRequest(
        event_id=event.id,
        requester_id=cooperative.id,
        target_id=booth.organization_id,
        booth_id=booth.id,
        priority=priority,
        status=status,
    )
    db.session.add(request)
    db.session.flush()
    return request


def suggest_matches(event: Event) -> list[Suggestion]:
    """Rank cooperative x booth pairs by how many sectors the cooperative needs and the booth offers.

    Pairs that already have a request (in any status) are skipped, and so are cooperatives at the meeting cap.
    Ties go to cooperatives with fewer requests so far, so that more cooperatives are served.
    """
    booths = db.session.scalars(
        select(Booth).where(Booth.event_id == event.id).options(selectinload(Booth.organization))
    ).all()
    offers: dict[int, set[str]] = {}
    for org_id, code in db.session.execute(
        select(organization_offers.c.organization_id, organization_offers.c.sector_code).where(
            organization_offers.c.organization_id.in_([b.organization_id for b in booths])
        )
    ):
        offers.setdefault(org_id, set()).add(code)
    needs: dict[int, set[str]] = {}
    for org_id, code in db.session.execute(
        select(organization_needs.c.organization_id, organization_needs.c.sector_code)
        .join(Registration, Registration.organization_id == organization_needs.c.organization_id)
        .where(Registration.event_id == event.id)
    ):
        needs.setdefault(org_id, set()).add(code)
    asked = set(
        db.session.execute(
            select(MeetingRequest.requester_id, MeetingRequest.target_id).where(MeetingRequest.event_id == event.id)
        )
        .tuples()
        .all()
    )
    open_counts = Counter(
        dict(
            db.session.execute(
                select(MeetingRequest.requester_id, func.count())
                .where(MeetingRequest.event_id == event.id, MeetingRequest.status.in_(SCHEDULABLE_STATUSES))
                .group_by(MeetingRequest.requester_id)
            )
            .tuples()
            .all()
        )
    )
    cooperatives = {
        o.id: o
        for o in db.session.scalars(
            select(Organization).where(Organization.id.in_(needs), Organization.kind == OrganizationKind.COOPERATIVE)
        )
    }
    ranked = []
    for org_id, needed in needs.items():
        if org_id not in cooperatives or (event.meeting_cap and open_counts[org_id] >= event.meeting_cap):
            continue
        for booth in booths:
            common = needed & offers.get(booth.organization_id, set())
            if common and (org_id, booth.organization_id) not in asked:
                ranked.append((-len(common), open_counts[org_id], cooperatives[org_id].name, org_id, booth.id, booth))
    ranked.sort(key=lambda r: r[:5])
    return [
        Suggestion(cooperatives[org_id], booth, sorted(needs[org_id] & offers[booth.organization_id]))
        for _score, _count, _name, org_id, _booth_id, booth in ranked
    ]


def create_suggested(event: Event, keys: list[str]) -> tuple[int, int]:
    """Create requests for the chosen suggestions (keys 'cooperative:booth'); return (created, left out by the cap)."""
    wanted = set(keys)
    chosen = [s for s in suggest_matches(event) if s.key in wanted]
    counts = Counter({s.cooperative.id: open_request_count(event, s.cooperative.id) for s in chosen})
    values, capped = [], 0
    for suggestion in chosen:
        org_id = suggestion.cooperative.id
        if event.meeting_cap and counts[org_id] >= event.meeting_cap:
            capped += 1
            continue
        counts[org_id] += 1
        values.append(
            {
                "event_id": event.id,
                "requester_id": org_id,
                "target_id": suggestion.booth.organization_id,
                "booth_id": suggestion.booth.id,
                "priority": 2,
                "status": RequestStatus.PENDING,
            }
        )
    if values:
        db.session.execute(insert(MeetingRequest), values)
        db.session.flush()
    return len(values), capped
