"""Browser tests: a live server on 127.0.0.1 and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestConfig

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """Return the Chromium to drive: $CHROMIUM_PATH, else Debian's chromium on PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; the browser tests skip where none is installed."""
    path = chromium_path()
    if not path:
        pytest.skip("no chromium found (install Debian's chromium or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """Serve the test app on a free port of 127.0.0.1 for the duration of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page (360 px wide) that refuses any request to another host."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="id-ID")
    context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: pytest.fail(f"page asked an outside host: {route.request.url}"),
    )
    page = context.new_page()
    # The strict Content-Security-Policy must never block anything the pages need.
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: blocked.append(f"script error: {error}"))
    yield page
    context.close()
    assert blocked == [], blocked


def screenshot(page, name: str) -> Path:
    """Save a screenshot for the guides and for looking at what users see."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # With a form field focused, a full-page capture leaves Debian's Chromium ignoring the next mouse click
    # (the form then never submits); taking the focus away first keeps the page usable after the picture.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def journey_app(app, tmp_path):
    """The app the browser talks to, with a database the solve thread and the requests can share safely.

    An in-memory SQLite database is one connection shared by every thread, so the background solve and the
    page's polls would step on each other's transactions: on SQLite this test uses a file instead.
    """
    if os.environ.get("DATABASE_URL"):
        yield app
        return

    class FileConfig(TestConfig):
        """TestConfig on a SQLite file, which threads can share as in production."""

        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'journey.db'}"

    own = create_app(FileConfig)
    with own.app_context():
        db.create_all()
    yield own
    with own.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def served(journey_app):
    """Serve the journey app on a free port of 127.0.0.1 (threaded, like a real server)."""
    server = make_server("127.0.0.1", 0, journey_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
