"""The organizer's dashboard of an event, with charts drawn as inline SVG."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from app.organizer.blueprint import bp
from app.organizer.charts import bar_chart
from app.organizer.common import event_or_404
from app.organizer.labels import status_labels
from app.organizer.services.dashboard import event_dashboard
from app.security.roles import organizer_required


@bp.get("/events/<int:event_id>/dashboard")
@organizer_required
def show_dashboard(event_id: int):
    """Show registrations, requests, served cooperatives, table use, idle gaps and outcomes."""
    event = event_or_404(event_id)
    figures = event_dashboard(event)
    labels = status_labels()
    gap_labels = {"0": _("no idle gap"), "1": _("1 idle gap"), "2": _("2 idle gaps"), "3+": _("3 idle gaps or more")}
    charts = {
        "requests": bar_chart(_("Requests by status"), [(labels[k], v) for k, v in figures.requests_by_status.items()]),
        "booth_requests": bar_chart(_("Requests by booth"), [(b.booth.name, b.requests) for b in figures.booths]),
        "table_use": bar_chart(
            _("Table use by booth"),
            [(b.booth.name, round(100 * b.table_use)) for b in figures.booths],
            [f"{round(100 * b.table_use)} % ({b.meetings}/{b.table_slots})" for b in figures.booths],
        ),
        "gaps": bar_chart(
            _("Cooperatives by idle gaps between their meetings"),
            [(gap_labels[k], v) for k, v in figures.gaps.items()],
        ),
        "meetings": bar_chart(_("Meetings by status"), [(labels[k], v) for k, v in figures.meetings_by_status.items()]),
    }
    return render_template("organizer/dashboard.html", event=event, figures=figures, charts=charts)
