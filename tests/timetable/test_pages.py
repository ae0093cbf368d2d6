"""The organizer's timetable pages: solve, watch, review, adjust, publish; every route behind the organizer login."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.jobs.celery_app import UNQUEUED
from app.models import Meeting, Role, SolveRun, SolveStatus, TimetableEntry, TimetableVersion, VersionStatus
from app.timetable import jobs
from app.timetable.jobs import InlineRunner, run_solve, start_solve
from tests.timetable.conftest import log_in, make_small_event, make_user


@pytest.fixture
def inline_runner(app):
    """Solve inside the request, so a test sees the outcome at once."""
    app.extensions[jobs.RUNNER_KEY] = InlineRunner()
    yield
    del app.extensions[jobs.RUNNER_KEY]


@pytest.fixture
def quick_draft(small):
    """A hand-made draft (no solving): each request at its own slot, table 1."""
    version = TimetableVersion(event=small.event, number=1, status=VersionStatus.DRAFT, solver_status="manual")
    for request, slot in zip(small.requests, small.slots, strict=True):
        version.entries.append(TimetableEntry(request=request, slot=slot, booth=small.booths[0], table_number=1))
    db.session.add(version)
    db.session.add(SolveRun(event=small.event, status=SolveStatus.SUCCEEDED, version=version))
    db.session.commit()
    return version


@pytest.fixture
def draft(small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    run_solve(run.id)
    db.session.expire_all()
    return db.session.get(SolveRun, run.id).version


def base(small):
    return f"/organizer/events/{small.event.id}/timetable"


def test_organizer_starts_a_solve_and_lands_on_its_progress_page(client, organizer, small, inline_runner):
    response = client.post(base(small) + "/solve", data={"time_limit": "3", "keep_published": "y"})
    run = db.session.scalars(select(SolveRun)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/runs/{run.id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Draf jadwal sudah siap: 3 pertemuan." in html
    status = client.get(base(small) + f"/runs/{run.id}/status.json").get_json()
    assert status["finished"] is True and status["best"]["served"] == 4


def test_the_request_hands_the_solve_to_the_runner_and_never_solves_itself(app, client, organizer, small):
    handed = []

    class RecordingRunner:
        def submit(self, app, solve_run_id):
            handed.append(solve_run_id)

    app.extensions[jobs.RUNNER_KEY] = RecordingRunner()
    try:
        response = client.post(base(small) + "/solve", data={"time_limit": "3"})
    finally:
        del app.extensions[jobs.RUNNER_KEY]
    run = db.session.scalars(select(SolveRun)).one()
    assert handed == [run.id] and run.status == SolveStatus.QUEUED and run.version_id is None
    assert response.headers["Location"].endswith(f"/runs/{run.id}")
    # The default runner then solves it in a thread of its own, with its own app context.
    runner = jobs.ThreadRunner()
    runner.submit(app, run.id)
    runner.join(run.id, timeout=30)
    db.session.expire_all()
    assert db.session.get(SolveRun, run.id).status == SolveStatus.SUCCEEDED


def test_a_running_page_refreshes_itself_and_offers_stop(client, organizer, small):
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    html = client.get(base(small) + f"/runs/{run.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in html and "js/timetable.js" in html
    assert "Hentikan dan simpan hasil terbaik" in html
    assert client.post(base(small) + f"/runs/{run.id}/stop").status_code == 302
    db.session.refresh(run)
    assert run.stop_requested


def test_a_time_limit_out_of_range_is_refused_in_indonesian(client, organizer, small):
    response = client.post(base(small) + "/solve", data={"time_limit": "9999"}, follow_redirects=True)
    assert "Pilih antara 2 dan 600 detik." in response.get_data(as_text=True)
    assert db.session.scalars(select(SolveRun)).all() == []


def test_a_second_solve_is_refused_while_one_runs(client, organizer, small):
    start_solve(small.event, None, 3.0)
    db.session.commit()
    response = client.post(base(small) + "/solve", data={"time_limit": "3"}, follow_redirects=True)
    assert "Jadwal untuk acara ini sedang disusun." in response.get_data(as_text=True)


def test_infeasible_run_page_names_the_clash(client, organizer, small):
    run = start_solve(small.event, None, 3.0)
    run.status = SolveStatus.INFEASIBLE
    run.conflicts = [
        {
            "kind": "pinned_unavailable",
            "message": "x",
            "parties": [f"org-{small.cooperatives[0].id}"],
            "slots": ["d20251008-0900"],
            "requests": [],
        }
    ]
    db.session.commit()
    html = client.get(base(small) + f"/runs/{run.id}").get_data(as_text=True)
    assert "KDKMP Desa 1 tidak dapat hadir" in html and "09.00 WIB" in html


def test_clash_found_by_search_is_introduced_once_in_indonesian(client, organizer, small):
    run = start_solve(small.event, None, 3.0)
    run.status = SolveStatus.INFEASIBLE
    run.conflicts = [{"kind": "combination", "message": "These rules cannot all hold together: 2 tables of the "
                      "shared pool", "parties": [], "slots": [], "requests": []}]
    db.session.commit()
    html = client.get(base(small) + f"/runs/{run.id}").get_data(as_text=True)
    assert "Aturan-aturan ini tidak dapat dipenuhi bersamaan: 2 tables of the shared pool" in html
    assert "These rules cannot all hold together" not in html


def test_review_pages_show_the_draft(client, organizer, small, draft):
    grid = client.get(base(small) + f"/versions/{draft.id}").get_data(as_text=True)
    assert "Meja 1" in grid and "Meja 2" in grid and "KDKMP Desa 1" in grid and "09.00" in grid
    agendas = client.get(base(small) + f"/versions/{draft.id}/cooperatives?q=desa 2").get_data(as_text=True)
    assert "KDKMP Desa 2" in agendas and "KDKMP Desa 3" not in agendas and "BUMN A" in agendas
    unscheduled = client.get(base(small) + f"/versions/{draft.id}/unscheduled").get_data(as_text=True)
    assert "Semua permintaan mendapat pertemuan." in unscheduled
    overview = client.get(base(small) + "/").get_data(as_text=True)
    assert "Versi 1" in overview and "terbaik yang mungkin" in overview


def test_unscheduled_reasons_are_shown_in_indonesian(client, organizer):
    small = make_small_event(slots=1, tables=1, cooperatives=2)
    db.session.commit()
    run = start_solve(small.event, None, 3.0)
    db.session.commit()
    run_solve(run.id)
    db.session.expire_all()
    version = db.session.get(SolveRun, run.id).version
    html = client.get(base(small) + f"/versions/{version.id}/unscheduled").get_data(as_text=True)
    assert "BUMN A sudah penuh di setiap waktu ketika keduanya luang." in html


def test_organizer_moves_a_meeting_to_a_free_table(client, organizer, small, draft):
    entry = draft.entries[0]
    request_id = entry.request_id
    response = client.post(
        base(small) + f"/versions/{draft.id}/entries/{entry.id}/move",
        data={"slot_id": small.slots[2].id, "table": 2},
        follow_redirects=True,
    )
    assert "Pertemuan dipindahkan." in response.get_data(as_text=True)
    db.session.expire_all()
    moved = next(e for e in db.session.get(TimetableVersion, draft.id).entries if e.request_id == request_id)
    assert (moved.slot_id, moved.table_number) == (small.slots[2].id, 2)
    assert db.session.get(TimetableVersion, draft.id).solver_status == "manual"


def test_a_move_onto_a_taken_table_is_refused_naming_the_clash(client, organizer, small, draft):
    first, second = sorted(draft.entries, key=lambda e: e.id)[:2]
    before = (first.slot_id, first.table_number)
    response = client.post(
        base(small) + f"/versions/{draft.id}/entries/{first.id}/move",
        data={"slot_id": second.slot_id, "table": second.table_number},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert f"Tidak disimpan: Meja {second.table_number} BUMN A pada pukul" in html and "sudah terpakai" in html
    db.session.expire_all()
    again = db.session.get(type(first), first.id)
    assert (again.slot_id, again.table_number) == before


def test_a_move_to_a_time_the_cooperative_is_away_is_refused(client, organizer, small, draft):
    from app.models import Registration

    entry = draft.entries[0]
    name = entry.request.requester.display_name
    registration = db.session.scalars(
        select(Registration).where(Registration.organization_id == entry.request.requester_id)
    ).one()
    registration.available_until = small.slots[1].starts_at
    free_slot = small.slots[2]
    db.session.commit()
    response = client.post(
        base(small) + f"/versions/{draft.id}/entries/{entry.id}/move",
        data={"slot_id": free_slot.id, "table": 1 if entry.table_number == 2 else 2},
        follow_redirects=True,
    )
    assert f"{name} tidak dapat bertemu pada pukul" in response.get_data(as_text=True)


def test_organizer_swaps_two_meetings(client, organizer, small, draft):
    first, second = sorted(draft.entries, key=lambda e: (e.slot.starts_at, e.table_number))[:2]
    places = {
        first.request_id: (second.slot_id, second.table_number),
        second.request_id: (first.slot_id, first.table_number),
    }
    response = client.post(base(small) + f"/versions/{draft.id}/entries/{first.id}/swap", data={"other_id": second.id})
    assert response.status_code == 302
    db.session.expire_all()
    now = {e.request_id: (e.slot_id, e.table_number) for e in db.session.get(TimetableVersion, draft.id).entries}
    assert {r: now[r] for r in places} == places


def test_organizer_locks_and_removes_a_meeting(client, organizer, small, draft):
    entry = draft.entries[0]
    client.post(base(small) + f"/versions/{draft.id}/entries/{entry.id}/lock")
    db.session.expire_all()
    assert db.session.get(type(entry), entry.id).locked
    client.post(base(small) + f"/versions/{draft.id}/entries/{entry.id}/lock?unlock=1")
    db.session.expire_all()
    assert not db.session.get(type(entry), entry.id).locked
    request_id = entry.request_id
    client.post(base(small) + f"/versions/{draft.id}/entries/{entry.id}/remove")
    db.session.expire_all()
    version = db.session.get(TimetableVersion, draft.id)
    assert request_id not in {e.request_id for e in version.entries}
    assert {
        "request": request_id,
        "reason": "removed by the organizer",
        "kind": "removed_by_organizer",
    } in version.unscheduled
    html = client.get(base(small) + f"/versions/{draft.id}/unscheduled").get_data(as_text=True)
    assert "Dikeluarkan oleh panitia." in html and "Tempatkan manual" in html
    response = client.post(
        base(small) + f"/versions/{draft.id}/requests/{request_id}/place",
        data={"slot_id": small.slots[2].id, "table": 2},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert request_id in {e.request_id for e in db.session.get(TimetableVersion, draft.id).entries}


def test_organizer_publishes_and_sees_the_changes(client, organizer, small, draft):
    preview = client.get(base(small) + f"/versions/{draft.id}/changes").get_data(as_text=True)
    assert "Belum ada yang diterbitkan sebelumnya: semua pertemuan baru." in preview
    response = client.post(base(small) + f"/versions/{draft.id}/publish", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Jadwal diterbitkan: peserta sekarang dapat melihatnya." in html
    assert len(db.session.scalars(select(Meeting)).all()) == 3
    # A second round: adjust the published timetable, move one meeting, publish again.
    client.post(base(small) + f"/versions/{draft.id}/copy")
    second = db.session.scalars(select(TimetableVersion).where(TimetableVersion.status == VersionStatus.DRAFT)).one()
    entry = second.entries[0]
    request_id, name = entry.request_id, entry.request.requester.display_name
    client.post(
        base(small) + f"/versions/{second.id}/entries/{entry.id}/move", data={"slot_id": small.slots[2].id, "table": 2}
    )
    changes = client.get(base(small) + f"/versions/{second.id}/changes").get_data(as_text=True)
    assert "Dibandingkan dengan versi 1" in changes and "Dipindah" in changes and name in changes
    client.post(base(small) + f"/versions/{second.id}/publish")
    meeting = db.session.scalars(select(Meeting).where(Meeting.request_id == request_id)).one()
    assert meeting.revision == 1 and meeting.slot_id == small.slots[2].id


def test_publishing_a_draft_with_a_withdrawn_request_is_refused(client, organizer, small, draft):
    from app.models import RequestStatus

    draft.entries[0].request.status = RequestStatus.WITHDRAWN
    db.session.commit()
    html = client.post(base(small) + f"/versions/{draft.id}/publish", follow_redirects=True).get_data(as_text=True)
    assert "ditolak atau ditarik" in html
    assert db.session.scalars(select(Meeting)).all() == []


def test_a_published_version_cannot_be_changed(client, organizer, small, draft):
    client.post(base(small) + f"/versions/{draft.id}/publish")
    entry = draft.entries[0]
    html = client.post(base(small) + f"/versions/{draft.id}/entries/{entry.id}/remove", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Hanya draf yang dapat diubah." in html


def test_pages_fit_a_phone_and_ask_no_outside_host(client, organizer, small, draft):
    html = client.get(base(small) + f"/versions/{draft.id}").get_data(as_text=True)
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert 'class="table-wrap"' in html  # the wide grid scrolls inside its box, not the page


ROUTES = [
    ("get", "/"),
    ("post", "/solve"),
    ("get", "/runs/{run}"),
    ("get", "/runs/{run}/status.json"),
    ("post", "/runs/{run}/stop"),
    ("get", "/versions/{version}"),
    ("get", "/versions/{version}/cooperatives"),
    ("get", "/versions/{version}/unscheduled"),
    ("get", "/versions/{version}/entries/{entry}"),
    ("post", "/versions/{version}/entries/{entry}/move"),
    ("post", "/versions/{version}/entries/{entry}/swap"),
    ("post", "/versions/{version}/entries/{entry}/remove"),
    ("post", "/versions/{version}/entries/{entry}/lock"),
    ("get", "/versions/{version}/requests/{request}/place"),
    ("post", "/versions/{version}/copy"),
    ("post", "/versions/{version}/discard"),
    ("get", "/versions/{version}/changes"),
    ("post", "/versions/{version}/publish"),
    ("get", "/versions/{version}/print/booths"),
    ("get", "/versions/{version}/print/cooperatives"),
    ("get", "/versions/{version}/booths.pdf"),
    ("get", "/versions/{version}/cooperatives.pdf"),
    ("get", "/versions/{version}/timetable.csv"),
    ("get", "/versions/{version}/timetable.xlsx"),
    ("get", "/versions/{version}/timetable.json"),
    ("get", "/problem.json"),
    ("get", "/import"),
    ("post", "/import"),
]


def _url(small, draft, path):
    run = db.session.scalars(select(SolveRun)).first()
    return base(small) + path.format(
        run=run.id, version=draft.id, entry=draft.entries[0].id, request=small.requests[0].id
    )


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", [None, Role.ATTENDEE, Role.BOOTH_STAFF, Role.MODERATOR])
def test_only_organizers_reach_the_timetable(client, small, quick_draft, method, path, role):
    draft = quick_draft
    if role is not None:
        user = make_user(role, organization=small.cooperatives[0] if role == Role.ATTENDEE else None)
        db.session.commit()
        log_in(client, user)
    response = getattr(client, method)(_url(small, draft, path))
    if role is None:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DRAFT


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[0] == "get"])
def test_the_organizer_opens_every_page(client, organizer, small, quick_draft, method, path):
    draft = quick_draft
    assert client.get(_url(small, draft, path)).status_code == 200


def test_another_events_version_is_not_found(client, organizer, small, draft):
    other = make_small_event()
    db.session.commit()
    assert client.get(f"/organizer/events/{other.event.id}/timetable/versions/{draft.id}").status_code == 404


def test_a_post_without_csrf_token_is_refused(app, client, organizer, small, draft):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(base(small) + f"/versions/{draft.id}/publish")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(TimetableVersion, draft.id).status == VersionStatus.DRAFT


def test_long_lists_come_in_pages_light_enough_for_a_weak_connection(client, organizer):
    many = make_small_event(slots=1, tables=1, cooperatives=60)
    version = TimetableVersion(event=many.event, number=1, status=VersionStatus.DRAFT, solver_status="manual")
    version.unscheduled = [{"request": r.id, "reason": "x", "kind": "host_full", "parties": []} for r in many.requests]
    db.session.add(version)
    db.session.commit()
    first = client.get(base(many) + f"/versions/{version.id}/unscheduled").get_data(as_text=True)
    assert "60 permintaan belum terjadwal" in first and "Halaman 1 dari 2" in first
    assert first.count('class="card"') == 50 and "page=2" in first
    second = client.get(base(many) + f"/versions/{version.id}/unscheduled?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 10 and "page=1" in second


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (jobs.OVERRAN, "Penyusunan melewati batas waktunya dan dihentikan."),
        (jobs.INTERRUPTED, "Penyusunan berhenti di tengah jalan"),
        (jobs.STALE, "Penyusunan berhenti di tengah jalan"),
        (jobs.ANOTHER_RUN, "Penyusunan lain untuk acara ini sedang berjalan."),
        (jobs.NO_TIMETABLE, "Tidak ada jadwal yang ditemukan dalam batas waktu."),
        (UNQUEUED, "Antrean pekerjaan tidak dapat dihubungi."),
        (jobs.BROKE_RULES + "table 3 used twice", "melanggar aturan, jadi tidak disimpan. Mohon beri tahu tim teknis"),
        ("ValueError: bad slot d1-0900", "Galat tak terduga (untuk tim teknis): ValueError: bad slot d1-0900"),
    ],
)
def test_a_failed_build_says_in_indonesian_what_went_wrong(client, organizer, small, stored, shown):
    run = start_solve(small.event, None, 3.0)
    run.status, run.error = SolveStatus.FAILED, stored
    db.session.commit()
    html = client.get(base(small) + f"/runs/{run.id}").get_data(as_text=True)
    assert shown in html
    if stored in (jobs.OVERRAN, jobs.INTERRUPTED, jobs.ANOTHER_RUN, jobs.NO_TIMETABLE, UNQUEUED):
        assert stored not in html  # the stored English text is not shown as it is
