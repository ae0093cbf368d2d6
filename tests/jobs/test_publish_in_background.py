"""Publishing returns at once; the calendar invitations are written and sent by a background job."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.calendar import itip
from app.extensions import db
from app.jobs import registry
from app.mail import outbox
from app.models import Meeting, Role
from tests.jobs.conftest import make_draft, make_publishable_event
from tests.timetable.conftest import log_in, make_user


@pytest.fixture
def empty_outbox():
    outbox().messages.clear()
    yield outbox().messages
    outbox().messages.clear()


@pytest.fixture
def gated_invitations(monkeypatch):
    """Hold the invitation job at its start until the test opens the gate."""
    gate, started = threading.Event(), threading.Event()
    spec = registry.job_spec(itip.SEND_INVITATIONS)

    def held(**kwargs):
        started.set()
        assert gate.wait(timeout=20), "the test never opened the gate"
        return spec.function(**kwargs)

    monkeypatch.setitem(registry._jobs, spec.name, registry.JobSpec(spec.name, held, spec.queue))
    yield gate, started
    gate.set()


def publish_through_the_page(client, small, version):
    organizer = make_user(Role.ORGANIZER)
    db.session.commit()
    log_in(client, organizer)
    return client.post(f"/organizer/events/{small.event.id}/timetable/versions/{version.id}/publish")


def test_organizer_gets_the_published_page_before_the_invitations_are_sent(
    client, background, gated_invitations, empty_outbox
):
    gate, started = gated_invitations
    small = make_publishable_event(cooperatives=3)
    version = make_draft(small, [(0, 0, 1), (1, 0, 2), (2, 1, 1)])
    db.session.commit()

    response = publish_through_the_page(client, small, version)

    assert response.status_code == 302 and response.location.endswith(f"/versions/{version.id}/changes")
    assert started.wait(timeout=10)  # the job has started in the background...
    assert empty_outbox == []  # ...and the organizer already has the answer with no email written yet
    gate.set()
    assert background.join(timeout=30)
    assert sorted(m["To"] for m in empty_outbox) == [f"ketua{n}@kdkmp.example" for n in (1, 2, 3)]
    calendars = [p for m in empty_outbox for p in m.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert [p.get_param("method") for p in calendars] == ["REQUEST"] * 3
    meeting_ids = {m.id for m in db.session.scalars(select(Meeting))}
    uids = {
        line.split(":", 1)[1].split("@")[0]
        for p in calendars
        for line in p.get_content().splitlines()
        if line.startswith("UID:")
    }
    assert uids == {f"meeting-{i}" for i in meeting_ids}


def test_the_publish_signal_queues_plain_data_only(app, monkeypatch):
    submitted = []
    monkeypatch.setattr(itip, "submit_job", lambda name, **kwargs: submitted.append((name, kwargs)))
    small = make_publishable_event(cooperatives=2)
    from app.timetable.publish import announce_published, publish_version

    version = make_draft(small, [(0, 0, 1), (1, 1, 1)])
    diff = publish_version(version)
    db.session.commit()
    announce_published(version, diff)
    meetings = {m.request_id: m.id for m in db.session.scalars(select(Meeting))}
    assert submitted == [
        (
            itip.SEND_INVITATIONS,
            {"event_id": small.event.id, "changes": {str(meetings[r.id]): "new" for r in small.requests[:2]}},
        )
    ]


def test_a_job_that_cannot_be_queued_does_not_undo_the_publication(client, monkeypatch, caplog):
    def broker_down(*_args, **_kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr(itip, "submit_job", broker_down)
    small = make_publishable_event(cooperatives=2)
    version = make_draft(small, [(0, 0, 1)])
    db.session.commit()
    response = publish_through_the_page(client, small, version)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Meeting.status)) == "scheduled"
    assert "could not queue calendar invitations" in caplog.text


def test_the_invitation_job_of_a_deleted_event_does_nothing(app, empty_outbox):
    assert itip.send_invitations(event_id=987654, changes={"1": "new"}) == 0
    assert empty_outbox == []
