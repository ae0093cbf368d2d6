"""Jobs that partly fail for a passing reason try again later with what is left; invitations do when SMTP fails."""

from __future__ import annotations

import pytest

from app.calendar import itip
from app.extensions import db
from app.jobs import MAIL_QUEUE, RetryLater, background_job, registry, submit_job
from app.jobs.celery_app import CELERY_KEY, init_celery
from app.jobs.runners import JOB_RUNNER_KEY
from app.mail import outbox
from app.timetable.jobs import RUNNER_KEY
from app.timetable.publish import announce_published, publish_version
from tests.jobs.conftest import make_draft, make_publishable_event

attempts: list[list[str]] = []


@background_job("tests.deliver_each", queue=MAIL_QUEUE, retry_delays=(0.05, 0.05))
def deliver_each(addresses: list[str], failing: int) -> None:
    """Deliver to each address; the first `failing` attempts leave the last address undelivered."""
    attempts.append(addresses)
    if len(attempts) <= failing:
        raise RetryLater("mail server busy", addresses=addresses[-1:], failing=failing)


@pytest.fixture(autouse=True)
def _clean():
    attempts.clear()
    outbox().messages.clear()
    yield
    outbox().messages.clear()


def test_a_job_tries_again_with_what_is_left(background):
    submit_job("tests.deliver_each", addresses=["a@kdkmp.example", "b@kdkmp.example"], failing=2)
    assert background.join(timeout=20)
    assert attempts == [["a@kdkmp.example", "b@kdkmp.example"], ["b@kdkmp.example"], ["b@kdkmp.example"]]


def test_a_job_gives_up_after_its_last_delay_and_says_so(background, caplog):
    submit_job("tests.deliver_each", addresses=["a@kdkmp.example"], failing=99)
    assert background.join(timeout=20)
    assert len(attempts) == 3  # the first attempt and one per delay
    assert "background job tests.deliver_each gave up after 3 attempts: mail server busy" in caplog.text


def test_on_celery_a_job_retries_through_the_task(app, monkeypatch):
    monkeypatch.setitem(app.config, "CELERY_BROKER_URL", "memory://")
    celery = init_celery(app)
    try:
        celery.conf.task_always_eager = True  # each retry runs at once, in this process
        celery.tasks["temubisnis.job"].apply(args=["tests.deliver_each", {"addresses": ["a", "b"], "failing": 1}])
        assert attempts == [["a", "b"], ["b"]]
    finally:
        celery.close()
        for key in (CELERY_KEY, RUNNER_KEY, JOB_RUNNER_KEY):
            app.extensions.pop(key, None)


def test_invitations_the_mail_server_refused_are_sent_again_and_only_those(background, monkeypatch):
    spec = registry.job_spec(itip.SEND_INVITATIONS)
    quick = registry.JobSpec(spec.name, spec.function, spec.queue, retry_delays=(0.05,))
    monkeypatch.setitem(registry._jobs, spec.name, quick)
    real_send_mail, refused = itip.send_mail, []

    def flaky_send_mail(to, subject, body, attachments=None):
        if to == ["ketua2@kdkmp.example"] and not refused:
            refused.append(to)
            raise ConnectionRefusedError("SMTP server restarting")
        return real_send_mail(to, subject, body, attachments)

    monkeypatch.setattr(itip, "send_mail", flaky_send_mail)
    small = make_publishable_event(cooperatives=3)
    version = make_draft(small, [(0, 0, 1), (1, 0, 2), (2, 1, 1)])
    diff = publish_version(version)
    db.session.commit()
    announce_published(version, diff)
    assert background.join(timeout=20)
    assert refused == [["ketua2@kdkmp.example"]]
    assert sorted(m["To"] for m in outbox().messages) == [f"ketua{n}@kdkmp.example" for n in (1, 2, 3)]
