"""Two organizers moving meetings of the same draft at the same moment never double-book a table or a cooperative."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Registration, Role, TimetableEntry, TimetableVersion, User, VersionStatus
from app.timetable import adjust
from tests.factories import make_booth, make_event, make_organization, make_request, make_slot
from tests.organizer.conftest import log_in, make_user
from tests.security.races import Rendezvous, pause_before, postgres_app, run_in_parallel

pytestmark = pytest.mark.postgres

NINE = datetime(2025, 10, 8, 9, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class Draft:
    """A draft with three meetings: K1 at booth A (09.00) and booth B (09.20), K2 at booth A (09.20)."""

    event_id: int
    version_id: int
    slots: list[int]
    k1_at_a: int  # entry ids (a moved meeting gets a new entry, for the same request)
    k1_at_b: int
    k2_at_a: int
    organizers: list[int]
    requests: dict[int, int]  # entry id -> request id


@pytest.fixture
def race_app():
    with postgres_app() as app:
        yield app


def make_draft(app) -> Draft:
    with app.app_context():
        event = make_event()
        slots = [make_slot(event, NINE + timedelta(minutes=20 * i)) for i in range(4)]
        booth_a, booth_b = make_booth(event, table_count=2, label="A"), make_booth(event, table_count=2, label="B")
        k1, k2 = make_organization(name="KDKMP Gerbo"), make_organization(name="KDKMP Wonokerto")
        db.session.add_all([Registration(event=event, organization=k1), Registration(event=event, organization=k2)])
        placements = [(k1, booth_a, slots[0]), (k1, booth_b, slots[1]), (k2, booth_a, slots[1])]
        version = TimetableVersion(event_id=event.id, number=1, status=VersionStatus.DRAFT, unscheduled=[])
        for cooperative, booth, slot in placements:
            request = make_request(event, cooperative, booth)
            version.entries.append(
                TimetableEntry(request_id=request.id, slot_id=slot.id, booth_id=booth.id, table_number=1)
            )
        db.session.add(version)
        organizers = [make_user(Role.ORGANIZER).id, make_user(Role.ORGANIZER).id]
        db.session.commit()
        ids = [e.id for e in version.entries]
        requests = {e.id: e.request_id for e in version.entries}
        return Draft(event.id, version.id, [s.id for s in slots], *ids, organizers, requests)


def move_at_once(app, draft: Draft, moves: list[tuple[int, int, int]]) -> list:
    """Let each organizer move one entry (entry id, slot id, table) at the same moment; return their responses."""
    clients = []
    for user_id in draft.organizers:
        client = app.test_client()
        with app.app_context():
            log_in(client, db.session.get(User, user_id))
        clients.append(client)
    base = f"/organizer/events/{draft.event_id}/timetable/versions/{draft.version_id}/entries"
    return run_in_parallel(
        [
            lambda client=client, move=move: client.post(
                f"{base}/{move[0]}/move", data={"slot_id": str(move[1]), "table": str(move[2])}
            )
            for client, move in zip(clients, moves, strict=True)
        ]
    )


def entries(app, draft: Draft) -> dict[int, tuple[int, int, int]]:
    """Return, keyed by the original entry id, where each meeting (request) now stands: (slot id, booth id, table)."""
    with app.app_context():
        rows = db.session.scalars(select(TimetableEntry).where(TimetableEntry.version_id == draft.version_id))
        by_request = {e.request_id: (e.slot_id, e.booth_id, e.table_number) for e in rows}
    return {entry_id: by_request[request_id] for entry_id, request_id in draft.requests.items()}


def same_table_moves(draft: Draft) -> list[tuple[int, int, int]]:
    """Both organizers move a booth A meeting to booth A, table 2, at 09.40."""
    return [(draft.k1_at_a, draft.slots[2], 2), (draft.k2_at_a, draft.slots[2], 2)]


def same_cooperative_moves(draft: Draft) -> list[tuple[int, int, int]]:
    """One organizer moves K1's booth A meeting to 10.00, the other K1's booth B meeting to 10.00."""
    return [(draft.k1_at_a, draft.slots[3], 1), (draft.k1_at_b, draft.slots[3], 1)]


def test_two_organizers_moving_into_the_same_table_and_slot_one_is_refused(race_app, monkeypatch):
    draft = make_draft(race_app)
    rendezvous = Rendezvous(2)
    pause_before(monkeypatch, adjust, "_write", rendezvous)
    results = move_at_once(race_app, draft, same_table_moves(draft))
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    at_target = [e for e in entries(race_app, draft).values() if e[0] == draft.slots[2]]
    assert len(at_target) == 1, "exactly one of the two moves was saved"
    assert not rendezvous.met, "the draft lock makes the second move wait for the first"


def test_two_organizers_moving_one_cooperatives_meetings_into_one_slot_one_is_refused(race_app, monkeypatch):
    draft = make_draft(race_app)
    rendezvous = Rendezvous(2)
    pause_before(monkeypatch, adjust, "_write", rendezvous)
    results = move_at_once(race_app, draft, same_cooperative_moves(draft))
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    stored = entries(race_app, draft)
    k1_slots = [stored[draft.k1_at_a][0], stored[draft.k1_at_b][0]]
    assert k1_slots.count(draft.slots[3]) == 1, "KDKMP Gerbo is in one meeting at 10.00, not two"
    assert not rendezvous.met


def test_control_without_the_draft_lock_a_cooperative_is_double_booked(race_app, monkeypatch):
    monkeypatch.setattr(adjust, "lock_version", lambda version: None)
    draft = make_draft(race_app)
    rendezvous = Rendezvous(2)
    pause_before(monkeypatch, adjust, "_write", rendezvous)
    results = move_at_once(race_app, draft, same_cooperative_moves(draft))
    assert rendezvous.met, "both moves were checked before either was saved"
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    stored = entries(race_app, draft)
    assert stored[draft.k1_at_a][0] == stored[draft.k1_at_b][0] == draft.slots[3]


def test_control_without_the_draft_lock_the_second_move_into_a_table_crashes_on_the_key(race_app, monkeypatch):
    monkeypatch.setattr(adjust, "lock_version", lambda version: None)
    draft = make_draft(race_app)
    rendezvous = Rendezvous(2)
    pause_before(monkeypatch, adjust, "_write", rendezvous)
    results = move_at_once(race_app, draft, same_table_moves(draft))
    assert rendezvous.met
    assert sum(isinstance(r, IntegrityError) for r in results) == 1, results
