"""A cached feed is kept for an hour, yet whatever the organizers change in the app shows on the next poll."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Event, Organization, Registration, Representative, SessionPerson
from tests.factories import make_booth, make_event, make_organization


@pytest.fixture(autouse=True)
def hour_long_cache(app, monkeypatch):
    """The production default: a rendering is kept for an hour while its fingerprint holds."""
    monkeypatch.setitem(app.config, "CALENDAR_FEED_CACHE_SECONDS", 3600)


def revision(event_id: int) -> int:
    """Read an event's content revision as the database has it."""
    return db.session.scalar(db.select(Event.content_revision).where(Event.id == event_id))


def test_a_renamed_counterpart_shows_on_the_next_poll(client, day, feed, builds):
    first = client.get(feed)
    day.bulog.organization.name = "Perum BULOG Kantor Cabang Pasuruan"
    day.bulog.organization.short_name = None
    db.session.commit()
    again = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "Kantor Cabang Pasuruan" in again.get_data(as_text=True)
    assert len(builds) == 2


def test_a_new_contact_person_at_the_booth_shows_on_the_next_poll(client, day, feed):
    client.get(feed)
    day.bulog.organization.representatives.append(Representative(name="Rina Wulandari", position="Staf Penjualan"))
    db.session.commit()
    assert "Rina Wulandari" in client.get(feed).get_data(as_text=True)


def test_a_booth_moved_to_another_hall_and_a_renamed_venue_show_on_the_next_poll(client, day, feed):
    client.get(feed)
    day.bulog.hall = "Hall Bromo"
    db.session.commit()
    assert "Hall Bromo" in client.get(feed).get_data(as_text=True)
    day.event.venue = "Gedung Serbaguna Pasuruan"
    db.session.commit()
    assert "Gedung Serbaguna Pasuruan" in client.get(feed).get_data(as_text=True)


def test_a_changed_panelist_raises_the_revision_of_the_panels_event(day):
    before = revision(day.event.id)
    person = db.session.scalars(db.select(SessionPerson).where(SessionPerson.name == "Budi Santoso")).one()
    person.position = "Direktur Perum BULOG"
    db.session.commit()
    assert revision(day.event.id) == before + 1


def test_changes_at_another_event_leave_this_feed_cached(client, day, feed, builds):
    first = client.get(feed)
    other = make_event(slug="temu-bisnis-sidoarjo", name="Temu Bisnis KDKMP Sidoarjo")
    booth = make_booth(other, organization=make_organization(name="PT Pupuk Indonesia", village_code=None))
    db.session.commit()
    booth.hall = "Hall B"
    other.venue = "GOR Delta Sidoarjo"
    db.session.commit()
    assert client.get(feed, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(builds) == 1


def test_a_cooperative_registering_late_leaves_the_published_feeds_cached(client, day, feed, builds):
    first = client.get(feed)
    before = revision(day.event.id)
    newcomer = make_organization(name="KDKMP Gempol")
    newcomer.representatives.append(Representative(name="Slamet Riyadi"))
    db.session.add(Registration(event=day.event, organization=newcomer))
    db.session.commit()
    assert revision(day.event.id) == before
    assert client.get(feed, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(builds) == 1


def test_a_removed_booth_raises_the_revision_of_its_event(day):
    before = revision(day.event.id)
    db.session.delete(day.bulog)
    db.session.commit()
    assert revision(day.event.id) == before + 1


def test_renaming_an_organization_reaches_every_event_it_takes_part_in(day):
    other = make_event(slug="temu-bisnis-probolinggo", name="Temu Bisnis KDKMP Probolinggo")
    make_booth(other, organization=day.bulog.organization)
    db.session.commit()
    before = {day.event.id: revision(day.event.id), other.id: revision(other.id)}
    organization = db.session.get(Organization, day.bulog.organization_id)
    organization.name = "Perum BULOG (Persero)"
    db.session.commit()
    assert {event_id: revision(event_id) for event_id in before} == {k: v + 1 for k, v in before.items()}
