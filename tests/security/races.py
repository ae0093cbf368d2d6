"""Parallel users against a scratch PostgreSQL database: an app on it, threads, and a rendezvous to force a race."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import Flask

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import FreshContextClient
from tests.postgres import scratch_database


@contextmanager
def postgres_app() -> Iterator[Flask]:
    """Yield an app on a fresh PostgreSQL database with every table created; skip where none is reachable."""
    with scratch_database() as url:
        config = type(
            "RaceConfig",
            (TestConfig,),
            {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 12, "max_overflow": 4}},
        )
        app = create_app(config)
        app.test_client_class = FreshContextClient
        with app.app_context():
            db.create_all()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


class Rendezvous:
    """Holds each thread at one point of the code until all have arrived, so their steps interleave for certain.

    Where a lock keeps the others out, the waiting thread gives up after `timeout` and goes on alone: `met` then
    stays False, which shows the lock serialised the threads.
    """

    def __init__(self, parties: int, timeout: float = 1.5) -> None:
        self._barrier = threading.Barrier(parties, timeout=timeout)
        self.met = False

    def wait(self) -> None:
        """Wait for the other threads (or until the barrier breaks)."""
        try:
            self._barrier.wait()
            self.met = True
        except threading.BrokenBarrierError:
            pass


def pause_after(monkeypatch, owner: Any, name: str, rendezvous: Rendezvous) -> None:
    """Make `owner.name` wait at the rendezvous after doing its work (a check that the race slips past)."""
    original = getattr(owner, name)

    @wraps(original)
    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        rendezvous.wait()
        return result

    monkeypatch.setattr(owner, name, paused)


def pause_before(monkeypatch, owner: Any, name: str, rendezvous: Rendezvous) -> None:
    """Make `owner.name` wait at the rendezvous before doing its work (a write that follows a check)."""
    original = getattr(owner, name)

    @wraps(original)
    def paused(*args, **kwargs):
        rendezvous.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, paused)


def run_in_parallel(actions: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Run each action in its own thread at the same time; return their results (or the exceptions they raised)."""
    results: list[Any] = [None] * len(actions)
    start = threading.Barrier(len(actions))

    def work(index: int) -> None:
        start.wait()
        try:
            results[index] = actions[index]()
        except BaseException as error:  # the test looks at what each user got, errors included
            results[index] = error

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a parallel user never finished (deadlock?)"
    return results
