"""Publishing: the draft becomes the live timetable; meetings keep their ids, revisions tell what changed."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    EventStatus,
    Meeting,
    MeetingSeat,
    MeetingStatus,
    TimetableEntry,
    TimetableVersion,
    VersionStatus,
)
from app.timetable.publish import NotADraft, diff_against_published, publish_version
from app.timetable.signals import timetable_published
from app.timetable.versions import next_version_number


def draft(small, placements, locked=()):
    """A draft of the small event: placements is [(request index, slot index, table)]."""
    version = TimetableVersion(event=small.event, number=next_version_number(small.event), status=VersionStatus.DRAFT)
    for r, s, t in placements:
        version.entries.append(
            TimetableEntry(
                request=small.requests[r],
                slot=small.slots[s],
                booth=small.booths[0],
                table_number=t,
                locked=r in locked,
            )
        )
    db.session.add(version)
    db.session.flush()
    return version


def meeting_of(request):
    return db.session.scalar(select(Meeting).where(Meeting.request_id == request.id))


@pytest.fixture
def first_publication(small):
    diff = publish_version(draft(small, [(0, 0, 1), (1, 0, 2), (2, 1, 1)]))
    db.session.flush()
    return diff


def test_first_publication_creates_a_meeting_with_a_seat_for_each_cooperative(small, first_publication):
    assert len(first_publication.new) == 3 and not first_publication.moved and not first_publication.cancelled
    meeting = meeting_of(small.requests[2])
    assert (meeting.slot_id, meeting.table_number, meeting.revision) == (small.slots[1].id, 1, 0)
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.booth_id == small.booths[0].id
    assert [s.organization_id for s in meeting.seats] == [small.cooperatives[2].id]
    assert small.event.status == EventStatus.PUBLISHED
    assert {c.meeting_id for c in first_publication.new} == {m.id for m in db.session.scalars(select(Meeting))}


def test_republishing_keeps_meeting_ids_and_raises_revision_only_of_changed_ones(small, first_publication):
    before = {r.id: meeting_of(r).id for r in small.requests}
    diff = publish_version(draft(small, [(0, 0, 1), (1, 2, 2), (2, 1, 2)]))
    after = {r.id: meeting_of(r) for r in small.requests}
    assert {r: m.id for r, m in after.items()} == before
    unchanged, moved_slot, moved_table = (after[r.id] for r in small.requests)
    assert unchanged.revision == 0
    assert (moved_slot.revision, moved_slot.slot_id) == (1, small.slots[2].id)
    assert (moved_table.revision, moved_table.table_number) == (1, 2)
    assert {c.request_id for c in diff.moved} == {small.requests[1].id, small.requests[2].id}
    assert not diff.new and not diff.cancelled


def test_the_seat_moves_with_its_meeting(small, first_publication):
    publish_version(draft(small, [(0, 0, 1), (1, 2, 2), (2, 1, 1)]))
    seat = db.session.scalar(select(MeetingSeat).where(MeetingSeat.organization_id == small.cooperatives[1].id))
    assert seat.slot_id == small.slots[2].id and seat.meeting_id == meeting_of(small.requests[1]).id


def test_meetings_can_trade_places(small, first_publication):
    publish_version(draft(small, [(0, 0, 2), (1, 0, 1), (2, 1, 1)]))
    assert meeting_of(small.requests[0]).table_number == 2
    assert meeting_of(small.requests[1]).table_number == 1


def test_a_dropped_request_cancels_its_meeting_and_frees_the_seat(small, first_publication):
    diff = publish_version(draft(small, [(0, 0, 1), (1, 0, 2)]))
    meeting = meeting_of(small.requests[2])
    assert meeting.status == MeetingStatus.CANCELLED and meeting.revision == 1 and meeting.seats == []
    assert [c.request_id for c in diff.cancelled] == [small.requests[2].id]
    assert diff.affected_organization_ids == {small.cooperatives[2].id, small.booths[0].organization_id}


def test_a_cancelled_meeting_that_comes_back_is_the_same_row(small, first_publication):
    publish_version(draft(small, [(0, 0, 1), (1, 0, 2)]))
    publish_version(draft(small, [(0, 0, 1), (1, 0, 2), (2, 2, 1)]))
    meeting = meeting_of(small.requests[2])
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.revision == 2
    assert [s.slot_id for s in meeting.seats] == [small.slots[2].id]


def test_the_previous_published_version_is_superseded(small, first_publication):
    first = db.session.scalar(select(TimetableVersion).where(TimetableVersion.status == VersionStatus.PUBLISHED))
    second = draft(small, [(0, 0, 1)])
    publish_version(second)
    assert first.status == VersionStatus.SUPERSEDED
    assert second.status == VersionStatus.PUBLISHED and second.published_at is not None


def test_only_a_draft_can_be_published(small, first_publication):
    published = db.session.scalar(select(TimetableVersion).where(TimetableVersion.status == VersionStatus.PUBLISHED))
    with pytest.raises(NotADraft):
        publish_version(published)


def test_locks_are_carried_to_the_live_meetings(small, first_publication):
    publish_version(draft(small, [(0, 0, 1), (1, 0, 2), (2, 1, 1)], locked={2}))
    assert meeting_of(small.requests[2]).locked and meeting_of(small.requests[2]).revision == 0


def test_the_changes_are_computed_from_the_two_versions(small, first_publication):
    pending = draft(small, [(0, 1, 1), (2, 1, 2)])
    diff = diff_against_published(pending)
    assert [c.request_id for c in diff.moved] == [small.requests[0].id, small.requests[2].id]
    assert [c.request_id for c in diff.cancelled] == [small.requests[1].id]
    assert diff.moved[0].before.slot_id == small.slots[0].id and diff.moved[0].after.slot_id == small.slots[1].id
    publish_version(pending)
    # Once published, the version still shows what it changed against its predecessor.
    assert diff_against_published(pending) == diff


def test_held_meetings_are_history_and_never_rewritten(small, first_publication):
    meeting = meeting_of(small.requests[0])
    meeting.status = MeetingStatus.HELD
    publish_version(draft(small, [(1, 0, 2), (2, 1, 1)]))
    assert meeting.status == MeetingStatus.HELD and meeting.revision == 0


def test_publication_signal_carries_version_and_diff(small, client, organizer):
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs))

    version = draft(small, [(0, 0, 1)])
    db.session.commit()
    with timetable_published.connected_to(listener):
        response = client.post(f"/organizer/events/{small.event.id}/timetable/versions/{version.id}/publish")
    assert response.status_code == 302
    [(sender, kwargs)] = received
    assert sender.id == small.event.id and kwargs["version"].id == version.id
    assert [c.request_id for c in kwargs["diff"].new] == [small.requests[0].id]
