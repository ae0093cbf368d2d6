"""Fixtures of the programme's tests."""

import pytest

from app.mail import outbox


@pytest.fixture
def mailbox():
    """Return the app's outbox, emptied first: the messages this test sends."""
    messages = outbox().messages
    messages.clear()
    return messages


@pytest.fixture(autouse=True)
def _english_request(app):
    """Run service code as in a request whose user reads English, so messages can be matched in English."""
    with app.test_request_context("/?lang=en"):
        yield
