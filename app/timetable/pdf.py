"""Printable PDFs of a version: a sheet per booth and an agenda per cooperative (reportlab: no system libraries)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.i18n import local_date, local_time
from app.models import TimetableVersion
from app.timetable.views import agendas, booth_sheets, counterpart, guest_of

GRID_STYLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)


def booth_sheets_pdf(version: TimetableVersion) -> bytes:
    """Return one page per booth: every slot against the booth's tables, with the guest at each."""
    event = version.event
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    story: list = []
    for sheet in booth_sheets(version):
        if story:
            story.append(PageBreak())
        story.append(Paragraph(escape(sheet.booth.name), styles["Title"]))
        story.append(Paragraph(escape(_heading(version)), styles["Normal"]))
        story.append(Spacer(1, 4 * mm))
        header = [_("Time")] + [_("Table %(num)d", num=n) for n in range(1, sheet.booth.table_count + 1)]
        rows = [header]
        for slot, cells in sheet.rows:
            when = f"{local_time(slot.starts_at, event.timezone, False)}–{local_time(slot.ends_at, event.timezone)}"
            rows.append([when] + [Paragraph(escape(guest_of(c).name), cell) if c else "" for c in cells])
        table = Table(rows, repeatRows=1)
        table.setStyle(GRID_STYLE)
        story.append(table)
    return _build(story, landscape(A4), version)


def agendas_pdf(version: TimetableVersion) -> bytes:
    """Return each cooperative's agenda: when, which booth and table, whom it meets."""
    event = version.event
    styles = getSampleStyleSheet()
    story: list = [Paragraph(escape(_heading(version)), styles["Normal"]), Spacer(1, 4 * mm)]
    for agenda in agendas(version):
        rows = [[_("Time"), _("Booth"), _("Table"), _("Meets")]]
        for entry in agenda.entries:
            rows.append(
                [
                    f"{local_time(entry.slot.starts_at, event.timezone, False)}–"
                    f"{local_time(entry.slot.ends_at, event.timezone)}",
                    entry.booth.label or "" if entry.booth else "",
                    str(entry.table_number),
                    Paragraph(escape(counterpart(entry, agenda.organization).name), styles["BodyText"]),
                ]
            )
        table = Table(rows, colWidths=[38 * mm, 18 * mm, 14 * mm, 100 * mm], repeatRows=1)
        table.setStyle(GRID_STYLE)
        story.append(KeepTogether([Paragraph(escape(agenda.organization.name), styles["Heading3"]), table]))
        story.append(Spacer(1, 5 * mm))
    return _build(story, A4, version)


def _heading(version: TimetableVersion) -> str:
    event = version.event
    days = ", ".join(local_date(day.date) for day in event.days)
    return f"{event.name} · {event.venue} · {days} · {_('Version %(num)d', num=version.number)}"


def _build(story: list, pagesize, version: TimetableVersion) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=version.event.name,
        author="Temu Bisnis",
    )
    document.build(story or [Paragraph(escape(_("No meetings.")), getSampleStyleSheet()["Normal"])])
    return out.getvalue()
