"""Every organizer page opens for an organizer, with the event's data in Bahasa Indonesia."""

import pytest

from app.extensions import db
from tests.factories import make_booth, make_event, make_organization, make_request


@pytest.fixture
def event(sectors):
    event = make_event(name="Temu Bisnis Pasuruan")
    booth = make_booth(event, label="A1")
    coop = make_organization()
    from app.models import Registration

    db.session.add(Registration(event=event, organization=coop))
    make_request(event, coop, booth)
    db.session.commit()
    return event


@pytest.mark.parametrize(
    "path",
    [
        "/organizer/",
        "/organizer/events/new",
        "/organizer/events/{id}/",
        "/organizer/events/{id}/edit",
        "/organizer/events/{id}/schedule",
        "/organizer/events/{id}/booths",
        "/organizer/events/{id}/booths/new",
        "/organizer/events/{id}/rooms",
        "/organizer/events/{id}/import",
        "/organizer/events/{id}/requests",
        "/organizer/events/{id}/requests/suggestions",
        "/organizer/events/{id}/dashboard",
        "/organizer/users",
        "/organizer/sectors",
    ],
)
def test_organizer_opens_each_page_of_an_event(organizer_client, event, path):
    response = organizer_client.get(path.format(id=event.id))
    assert response.status_code == 200
    assert "Temu Bisnis" in response.text
    assert 'lang="id"' in response.text
