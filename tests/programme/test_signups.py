"""Seats in sessions: never more confirmed than capacity, and a waiting list that fills freed seats in order."""

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import SessionKind, SignupStatus
from app.programme.services import ProgrammeError, SessionInput, update_session
from app.programme.signups import (
    SignupError,
    check_in,
    confirmed_count,
    fill_freed_seats,
    leave,
    sign_up,
    waiting_position,
)
from config import TestConfig
from tests.factories import make_event
from tests.postgres import scratch_database
from tests.programme.factories import at, join, make_registration, make_session


def statuses(signups):
    return [(s.registration.organization.display_name, s.status, waiting_position(s)) for s in signups]


def test_waiting_list_fills_freed_seats_in_order():
    event = make_event()
    panel = make_session(event, capacity=2)
    first, second, third, fourth = (make_registration(event) for _ in range(4))
    signups = [join(panel, r) for r in (first, second, third, fourth)]
    assert [s.status for s in signups] == [SignupStatus.CONFIRMED] * 2 + [SignupStatus.WAITLISTED] * 2
    assert [waiting_position(s) for s in signups] == [None, None, 1, 2]

    promoted = leave(signups[0])

    assert promoted == [signups[2]]
    assert signups[2].status == SignupStatus.CONFIRMED
    assert waiting_position(signups[3]) == 1
    promoted = leave(signups[1])
    assert promoted == [signups[3]]
    assert confirmed_count(panel) == 2


def test_a_cooperative_that_leaves_and_comes_back_queues_at_the_end():
    event = make_event()
    panel = make_session(event, capacity=1)
    a, b, c = (make_registration(event) for _ in range(3))
    seat_a, wait_b = join(panel, a), join(panel, b)
    leave(seat_a)  # b takes the seat
    wait_c = join(panel, c)
    again_a = join(panel, a)
    assert wait_b.status == SignupStatus.CONFIRMED
    assert (waiting_position(wait_c), waiting_position(again_a)) == (1, 2)


def test_signing_up_twice_keeps_one_place_and_the_latest_question():
    event = make_event()
    panel = make_session(event, capacity=1)
    registration = make_registration(event)
    first = join(panel, registration, question="Bagaimana skema kredit untuk gudang?")
    again = join(panel, registration, question="Berapa margin penyaluran LPG?")
    assert again is first
    assert confirmed_count(panel) == 1
    assert again.question == "Berapa margin penyaluran LPG?"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cancelled": True}, "cancelled"),
        ({"for_everyone": True}, "no sign-up"),
        ({"starts_at": at(8), "ends_at": at(9)}, "over"),
    ],
)
def test_sign_up_is_refused_for_sessions_that_take_no_sign_ups(overrides, message):
    event = make_event()
    panel = make_session(event, **overrides)
    with pytest.raises(SignupError, match=message):
        join(panel, make_registration(event), now=at(9, 30))


def test_a_registration_for_another_event_cannot_take_a_seat():
    panel = make_session(make_event())
    with pytest.raises(SignupError, match="another event"):
        join(panel, make_registration(make_event()))


def test_a_freed_seat_is_announced_by_email_to_the_next_cooperative():
    from app.programme.notices import seat_notices

    event = make_event()
    panel = make_session(event, capacity=1)
    seated, waiting = make_registration(event), make_registration(event)
    seat = join(panel, seated)
    join(panel, waiting)
    promoted = leave(seat)
    notices = seat_notices(promoted)
    assert [n.to for n in notices] == [waiting.organization.representatives[0].email]
    assert "Koperasi Anda berada di urutan berikutnya" in notices[0].body


def test_raising_the_capacity_seats_the_waiting_list_and_lowering_it_below_the_taken_seats_is_refused():
    event = make_event()
    panel = make_session(event, capacity=1)
    regs = [make_registration(event) for _ in range(3)]
    signups = [join(panel, r) for r in regs]
    data = SessionInput(
        title=panel.title, kind=SessionKind.PANEL, room=panel.room, starts_at=panel.starts_at, ends_at=panel.ends_at
    )

    update_session(panel, SessionInput(**{**data.__dict__, "capacity": 2}))
    assert [s.status for s in signups] == [SignupStatus.CONFIRMED, SignupStatus.CONFIRMED, SignupStatus.WAITLISTED]

    with pytest.raises(ProgrammeError, match="2 cooperatives already hold a seat"):
        update_session(panel, SessionInput(**{**data.__dict__, "capacity": 1}))


def test_only_a_seated_cooperative_can_be_checked_in():
    event = make_event()
    panel = make_session(event, capacity=1)
    seated = join(panel, make_registration(event))
    waiting = join(panel, make_registration(event))
    check_in(seated, now=at(10, 5))
    assert seated.checked_in_at == at(10, 5)
    with pytest.raises(SignupError):
        check_in(waiting)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacity=st.integers(min_value=1, max_value=3),
    actions=st.lists(st.tuples(st.sampled_from(["join", "leave"]), st.integers(0, 5)), min_size=1, max_size=25),
)
def test_capacity_is_never_exceeded_and_the_queue_keeps_its_order(capacity, actions):
    event = make_event()
    panel = make_session(event, capacity=capacity)
    registrations = [make_registration(event) for _ in range(6)]
    signups = {}
    for action, who in actions:
        if action == "join":
            signups[who] = join(panel, registrations[who])
        elif who in signups:
            leave(signups[who])
        db.session.refresh(panel)
        confirmed = [s for s in panel.signups if s.status == SignupStatus.CONFIRMED]
        waiting = [s for s in panel.signups if s.status == SignupStatus.WAITLISTED]
        assert len(confirmed) <= capacity
        # Nobody waits while a seat is free; waiting positions run 1, 2, 3... in order of arrival.
        assert not waiting or len(confirmed) == capacity
        ordered = sorted(waiting, key=lambda s: s.position)
        assert [waiting_position(s) for s in ordered] == list(range(1, len(waiting) + 1))
    db.session.rollback()


@pytest.mark.postgres
def test_simultaneous_sign_ups_never_overfill_a_session(build_app):
    with scratch_database() as url:

        class ScratchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = url

        scratch = build_app(ScratchConfig)
        with scratch.app_context():
            db.create_all()
            event = make_event()
            panel = make_session(event, capacity=3)
            registration_ids = [make_registration(event).id for _ in range(12)]
            panel_id = panel.id
            db.session.commit()

        start = threading.Barrier(len(registration_ids))
        errors = []

        def attend(registration_id):
            from app.models import Registration

            with scratch.app_context():
                try:
                    registration = db.session.get(Registration, registration_id)
                    start.wait(timeout=10)
                    sign_up(panel_id, registration, now=at(7))
                    db.session.commit()
                except Exception as error:  # collected and asserted below
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=attend, args=(rid,)) for rid in registration_ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)

        with scratch.app_context():
            from app.models import ProgrammeSession

            session = db.session.get(ProgrammeSession, panel_id)
            assert errors == []
            assert confirmed_count(session) == 3
            assert sum(1 for s in session.signups if s.status == SignupStatus.WAITLISTED) == 9
            assert fill_freed_seats(session) == []
            db.session.remove()
            db.drop_all()


def test_nothing_is_sent_while_nobody_is_promoted(mailbox):
    event = make_event()
    panel = make_session(event, capacity=None)
    join(panel, make_registration(event))
    assert fill_freed_seats(panel) == []
    assert mailbox == []
