"""Registering a cooperative for an event and handing out its personal access link."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.areas import Village
from app.extensions import db
from app.mail import send_mail
from app.models import (
    AccessLink,
    Event,
    Organization,
    OrganizationKind,
    Registration,
    Representative,
    Sector,
    utcnow,
)
from app.public.services import is_registration_open
from app.security.tokens import hash_token, new_token


class RegistrationError(Exception):
    """Raised when a registration cannot be taken; the message is for the user."""


@dataclass(frozen=True)
class Person:
    """A representative as typed in the form, WhatsApp number already normalised."""

    name: str
    whatsapp: str
    email: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class CooperativeDetails:
    """What a cooperative tells when it registers."""

    village: Village
    name: str
    representatives: list[Person]
    needs: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    available_from: datetime | None = None
    available_until: datetime | None = None
    topics: str | None = None


def sectors() -> list[Sector]:
    """Return every sector, for the needs and offers checkboxes."""
    return list(db.session.scalars(select(Sector).order_by(Sector.name_id)))


def existing_registration(event: Event, village_code: str) -> Registration | None:
    """Return the event's registration of the village's cooperative, if it registered already."""
    return db.session.scalar(
        select(Registration)
        .join(Registration.organization)
        .where(Registration.event_id == event.id, Organization.village_code == village_code)
    )


def register_cooperative(event: Event, details: CooperativeDetails, now: datetime | None = None) -> Registration:
    """Register the village's cooperative (reusing its organization from earlier events); flush, don't commit."""
    if not is_registration_open(event, now):
        raise RegistrationError(_("Registration for this event is not open."))
    if existing_registration(event, details.village.code) is not None:
        raise RegistrationError(_already_registered(details))
    with db.session.no_autoflush:  # written in one flush below, where a parallel registration is caught
        organization = db.session.scalar(select(Organization).where(Organization.village_code == details.village.code))
        if organization is None:
            organization = Organization(kind=OrganizationKind.COOPERATIVE, village_code=details.village.code)
            db.session.add(organization)
        organization.name = details.name.strip()
        organization.address = details.village.address
        chosen = {s.code: s for s in sectors()}
        organization.needs = [chosen[c] for c in details.needs if c in chosen]
        organization.offers = [chosen[c] for c in details.offers if c in chosen]
        _merge_representatives(organization, details.representatives)
        registration = Registration(
            event=event,
            organization=organization,
            available_from=details.available_from,
            available_until=details.available_until,
            topics=(details.topics or "").strip() or None,
        )
        db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        # The same village registered from another phone a moment ago: the unique keys on the village code and
        # on (event, organization) refuse the second one. The caller rolls the transaction back.
        raise RegistrationError(_already_registered(details)) from None
    return registration


def _already_registered(details: CooperativeDetails) -> str:
    return _(
        "The cooperative of %(village)s is already registered for this event. "
        "Its representatives received a personal link by email.",
        village=details.village.name,
    )


def _merge_representatives(organization: Organization, people: list[Person]) -> None:
    """Add the people not yet known by WhatsApp number; update the name and email of those who are."""
    known = {r.whatsapp: r for r in organization.representatives}
    for person in people:
        representative = known.get(person.whatsapp)
        if representative is None:
            representative = Representative(whatsapp=person.whatsapp)
            organization.representatives.append(representative)
        representative.name = person.name
        representative.email = person.email or representative.email
        representative.position = person.position or representative.position


def issue_access_link(registration: Registration) -> str:
    """Create a new personal link for the registration, revoking its earlier ones; return the raw token once."""
    for link in db.session.scalars(
        select(AccessLink).where(AccessLink.registration_id == registration.id, AccessLink.revoked_at.is_(None))
    ):
        link.revoke()
    token = new_token()
    db.session.add(
        AccessLink(
            event_id=registration.event_id,
            registration=registration,
            organization_id=registration.organization_id,
            token_hash=hash_token(token),
        )
    )
    db.session.flush()
    return token


def revoke_access_links(registration: Registration) -> int:
    """Revoke every live link of the registration; return how many stopped working."""
    links = db.session.scalars(
        select(AccessLink).where(AccessLink.registration_id == registration.id, AccessLink.revoked_at.is_(None))
    ).all()
    for link in links:
        link.revoke()
    db.session.flush()
    return len(links)


def access_url(token: str) -> str:
    """Return the full address of a personal link, on the configured public base URL."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for("attendee.open_link", token=token)


def send_access_link(registration: Registration, token: str) -> list[str]:
    """Email the personal link to the representatives who gave an address; return the addresses."""
    emails = sorted({r.email for r in registration.organization.representatives if r.email})
    if not emails:
        return []
    event = registration.event
    body = "\n".join(
        [
            _("Good day,"),
            "",
            _(
                "%(name)s is registered for %(event)s.",
                name=registration.organization.name,
                event=event.name,
            ),
            _("Open this personal link to ask for meetings and, later, to see your agenda:"),
            "",
            access_url(token),
            "",
            _("Keep this link to yourselves: whoever has it can act for your cooperative."),
            _("You can replace it with a new one at any time on the page it opens."),
            "",
            _("Organizing committee, %(event)s", event=event.name),
        ]
    )
    send_mail(emails, _("Your personal link for %(event)s", event=event.name), body)
    return emails


def mark_agenda_seen(registration: Registration, now: datetime | None = None) -> None:
    """Remember that the attendee has taken note of the agenda's changes so far."""
    registration.agenda_seen_at = now or utcnow()
    db.session.flush()
