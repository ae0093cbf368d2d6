"""An organizer tries the app out with the Pasuruan reference event."""

from sqlalchemy import func, select

from app.demo.pasuruan import EVENT_SLUG, load_pasuruan_demo
from app.extensions import db
from app.models import (
    Booth,
    Event,
    MeetingRequest,
    Organization,
    OrganizationKind,
    ProgrammeSession,
    Registration,
    Representative,
    Role,
    SessionRole,
    Slot,
    User,
)

MODELS = [Event, Organization, Representative, Booth, Registration, MeetingRequest, ProgrammeSession, Slot, User]


def counts():
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_demo_builds_the_pasuruan_day():
    event = load_pasuruan_demo()
    db.session.commit()
    assert event.name == "Temu Bisnis KDKMP Kabupaten Pasuruan"
    assert event.venue == "Auditorium Mpu Sindok"
    cooperatives = db.session.scalars(
        select(Organization).where(Organization.kind == OrganizationKind.COOPERATIVE)
    ).all()
    assert len(cooperatives) == 365
    assert all(c.village_code.startswith("35.14.") for c in cooperatives)
    wonokerto = db.session.scalar(select(Organization).where(Organization.village_code == "35.14.09.2019"))
    assert wonokerto.short_name == "KDKMP Wonokerto"
    booths = {b.organization.short_name: b for b in db.session.scalars(select(Booth))}
    assert set(booths) == {"BULOG", "Pertamina Patra Niaga", "Pupuk Indonesia", "ID FOOD", "Bank Mandiri"}
    assert all(b.table_count >= 8 for b in booths.values())
    requests = db.session.scalars(select(MeetingRequest)).all()
    assert 1000 <= len(requests) <= 1600
    assert {r.priority for r in requests} == {1, 2, 3}
    # A fifth of the cooperatives arrive late or leave early.
    partial = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where((Registration.available_from.is_not(None)) | (Registration.available_until.is_not(None)))
    )
    assert 0.1 * 365 < partial < 0.3 * 365
    assert len(event.slots) == 16
    titles = [s.title for s in db.session.scalars(select(ProgrammeSession).order_by(ProgrammeSession.starts_at))]
    assert titles[0].startswith("Pembukaan") and "Wonokerto" in titles[1] and "panel" in titles[2]
    panel = db.session.scalars(select(ProgrammeSession)).all()[2]
    moderator = panel.people_in(SessionRole.MODERATOR)[0]
    assert db.session.get(User, moderator.user_id).role == Role.MODERATOR
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)


def test_loading_the_demo_twice_duplicates_nothing(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    before = counts()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert counts() == before
    assert before["Organization"] == 370


def test_if_empty_leaves_an_existing_database_alone(runner):
    runner.invoke(args=["demo", "load"])
    db.session.execute(Event.__table__.update().values(name="Renamed"))
    db.session.commit()
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
    assert db.session.scalar(select(Event.name).where(Event.slug == EVENT_SLUG)) == "Renamed"


def test_demo_logins_work_with_the_documented_password():
    load_pasuruan_demo()
    db.session.commit()
    organizer = db.session.scalar(select(User).where(User.email == "organizer@example.org"))
    assert organizer.check_password("temubisnis-demo")
    assert not organizer.check_password("wrong")
    assert organizer.password_hash != "temubisnis-demo"
