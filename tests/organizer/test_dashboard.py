"""The event dashboard: registrations, requests, served cooperatives, table use, idle gaps and outcomes."""

from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Interest, MeetingOutcome, MeetingStatus, Registration, RequestStatus
from app.organizer.services.dashboard import event_dashboard
from tests.factories import make_booth, make_event, make_meeting, make_organization, make_request, make_slot

NINE_WIB = datetime(2025, 10, 8, 2, 0, tzinfo=UTC)


def setup_day():
    event = make_event()
    slots = [make_slot(event, NINE_WIB + timedelta(minutes=20 * n)) for n in range(5)]
    booth = make_booth(event, table_count=2)
    coops = []
    for n in range(3):
        coop = make_organization(name=f"KDKMP {n}")
        db.session.add(Registration(event=event, organization=coop))
        coops.append(coop)
    return event, slots, booth, coops


def test_dashboard_counts_served_cooperatives_table_use_and_gaps():
    event, slots, booth, coops = setup_day()
    other_booth = make_booth(event, table_count=1)
    # KDKMP 0 meets twice with one idle gap (slots 0 and 2); KDKMP 1 once; KDKMP 2 asked but got nothing.
    make_meeting(make_request(event, coops[0], booth, status=RequestStatus.ACCEPTED), slots[0], 1)
    make_meeting(make_request(event, coops[0], other_booth), slots[2], 1, status=MeetingStatus.HELD)
    make_meeting(make_request(event, coops[1], booth), slots[1], 2, status=MeetingStatus.NO_SHOW)
    make_request(event, coops[2], booth)
    make_request(event, coops[2], other_booth, status=RequestStatus.DECLINED)
    figures = event_dashboard(event)

    assert figures.registrations == 3
    assert figures.requests_by_status == {"pending": 3, "accepted": 1, "declined": 1, "withdrawn": 0}
    assert (figures.served, figures.requesters) == (2, 3)
    by_booth = {f.booth.id: f for f in figures.booths}
    assert (by_booth[booth.id].requests, by_booth[booth.id].meetings, by_booth[booth.id].table_slots) == (3, 2, 10)
    assert by_booth[other_booth.id].table_use == 1 / 5
    assert figures.gaps == {"0": 1, "1": 1, "2": 0, "3+": 0}
    assert figures.meetings_by_status["held"] == 1 and figures.meetings_by_status["no_show"] == 1


def test_dashboard_page_draws_charts_as_inline_svg_and_shows_outcomes(organizer_client):
    event, slots, booth, coops = setup_day()
    meeting = make_meeting(make_request(event, coops[0], booth), slots[0], 1, status=MeetingStatus.HELD)
    db.session.add(MeetingOutcome(meeting=meeting, interest=Interest.HIGH, follow_up=True, mou_signed=True))
    db.session.commit()
    page = organizer_client.get(f"/organizer/events/{event.id}/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 4
    assert "<script" not in page.text
    assert "Permintaan menurut status" in page.text
    assert "1 / 1" in page.text  # served / with requests
    assert "<dt>MoU ditandatangani</dt><dd>1</dd>" in page.text
