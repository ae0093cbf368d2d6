"""Fixtures of the job tests: background runners switched on, and small events ready to publish."""

from __future__ import annotations

import random

import pytest

from app.extensions import db
from app.jobs import thread_runner
from app.models import Representative, TimetableEntry, TimetableVersion, VersionStatus
from app.timetable.versions import next_version_number
from tests.timetable.conftest import SmallEvent, make_small_event


@pytest.fixture
def background(app, monkeypatch):
    """Jobs run in background threads, as in production without a broker (the suite runs them in the caller)."""
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    yield thread_runner
    assert thread_runner.join(timeout=30), "a background job was still running 30 s after its test"


def make_publishable_event(cooperatives: int = 3, booths: int = 1, slots: int = 3, seed: int = 7) -> SmallEvent:
    """Return a small event whose cooperatives each have a representative with an email address."""
    small = make_small_event(slots=slots, booths=booths, tables=2, cooperatives=cooperatives)
    rng = random.Random(seed)
    for request in small.requests:
        request.priority = rng.choice([1, 2, 3])
    for n, coop in enumerate(small.cooperatives, start=1):
        coop.representatives.append(Representative(name=f"Ketua {n}", email=f"ketua{n}@kdkmp.example"))
    db.session.flush()
    return small


def make_draft(small: SmallEvent, placements: list[tuple[int, int, int]]) -> TimetableVersion:
    """Return a draft placing requests: [(request index, slot index, table)] at the first booth."""
    version = TimetableVersion(event=small.event, number=next_version_number(small.event), status=VersionStatus.DRAFT)
    for r, s, t in placements:
        request = small.requests[r]
        version.entries.append(
            TimetableEntry(request=request, slot=small.slots[s], booth=request.booth, table_number=t)
        )
    db.session.add(version)
    db.session.flush()
    return version
