"""Organizer pages for events: the list, creating one, details, days and breaks with the slot grid, status, rooms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import BreakKind, EventBreak, EventDay, Room
from app.organizer.blueprint import bp
from app.organizer.common import apply_change, child_or_404, event_or_404
from app.organizer.forms import ActionForm
from app.organizer.forms.events import BreakForm, DayForm, EventDetailsForm, RoomForm, StatusForm
from app.organizer.services import events as setup
from app.organizer.services.events import STATUS_FLOW, BreakDetails, EventDetails, SetupError
from app.security.roles import organizer_required


def _details(form: EventDetailsForm) -> EventDetails:
    return EventDetails(
        name=form.name.data,
        slug=(form.slug.data or "").strip(),
        venue=form.venue.data,
        city=form.city.data,
        description=form.description.data,
        timezone=form.timezone.data,
        slot_minutes=form.slot_minutes.data,
        gap_minutes=form.gap_minutes.data,
        registration_opens=form.registration_opens.data,
        registration_closes=form.registration_closes.data,
        meeting_cap=form.meeting_cap.data,
        changeover_minutes=form.changeover_minutes.data,
    )


@bp.get("/")
@organizer_required
def home():
    """Show every event and the way to create one."""
    return render_template("organizer/home.html", events=setup.list_events())


@bp.route("/events/new", methods=["GET", "POST"])
@organizer_required
def new_event():
    """Create a draft event from its details."""
    form = EventDetailsForm()
    if form.validate_on_submit():
        try:
            event = setup.create_event(_details(form))
            db.session.commit()
        except SetupError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Event created. Now add its days and breaks."), "success")
            return redirect(url_for("organizer.show_schedule", event_id=event.id))
    return render_template("organizer/event_form.html", form=form, event=None)


@bp.get("/events/<int:event_id>/")
@organizer_required
def show_event(event_id: int):
    """Show an event's overview: status and what to do next."""
    event = event_or_404(event_id)
    return render_template(
        "organizer/event.html", event=event, next_statuses=STATUS_FLOW[event.status], status_form=StatusForm()
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_event(event_id: int):
    """Change an event's details; the slot grid follows."""
    event = event_or_404(event_id)
    form = EventDetailsForm(obj=event)
    if not form.is_submitted():
        zone = ZoneInfo(event.timezone)
        for field, value in (
            (form.registration_opens, event.registration_opens_at),
            (form.registration_closes, event.registration_closes_at),
        ):
            field.data = value.astimezone(zone).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        if apply_change(lambda: setup.update_event(event, _details(form)), _("Event saved."), (SetupError,)):
            return redirect(url_for("organizer.show_event", event_id=event.id))
    return render_template("organizer/event_form.html", form=form, event=event)


@bp.post("/events/<int:event_id>/status")
@organizer_required
def change_status(event_id: int):
    """Move the event along its status flow."""
    event = event_or_404(event_id)
    form = StatusForm()
    target = form.target_status() if form.validate_on_submit() else None
    if target is None:
        flash(_("The event cannot go from this status to that one."), "error")
    else:
        apply_change(lambda: setup.change_status(event, target), _("Status changed."), (SetupError,))
    return redirect(url_for("organizer.show_event", event_id=event.id))


def _break_form(event, item: EventBreak | None = None) -> BreakForm:
    form = BreakForm(obj=item, data={"day_id": item.day_id or 0} if item else None)
    form.day_id.choices = [(0, _("Every day"))] + [(d.id, d.date.strftime("%d-%m-%Y")) for d in event.days]
    if item is not None:
        form.submit.label.text = _("Save break")
    return form


def _break_details(event, form: BreakForm) -> BreakDetails:
    """The break form's answers."""
    day = next((d for d in event.days if d.id == form.day_id.data), None)
    return BreakDetails(
        form.title.data, BreakKind(form.kind.data), form.starts.data, form.ends.data, day, form.fridays_only.data
    )


def _schedule_page(event, day_form=None, break_form=None):
    return render_template(
        "organizer/schedule.html",
        event=event,
        day_form=day_form or DayForm(formdata=None),
        break_form=break_form or _break_form(event),
        action_form=ActionForm(),
        grid=setup.slot_grid(event),
        presets=setup.PRAYER_PRESETS,
    )


@bp.get("/events/<int:event_id>/schedule")
@organizer_required
def show_schedule(event_id: int):
    """Show the days, breaks and the resulting slot grid, with the forms that change them."""
    return _schedule_page(event_or_404(event_id))


@bp.post("/events/<int:event_id>/days")
@organizer_required
def save_day(event_id: int):
    """Add a day, or change a day's meeting window."""
    event = event_or_404(event_id)
    form = DayForm()
    if not form.validate_on_submit():
        return _schedule_page(event, day_form=form), 400
    change = lambda: setup.save_day(event, form.date.data, form.meetings_start.data, form.meetings_end.data)  # noqa: E731
    apply_change(change, _("Day saved; the slots are updated."), (SetupError,))
    return redirect(url_for("organizer.show_schedule", event_id=event.id))


@bp.post("/events/<int:event_id>/days/<int:day_id>/delete")
@organizer_required
def remove_day(event_id: int, day_id: int):
    """Remove a day and its slots."""
    event = event_or_404(event_id)
    day = child_or_404(EventDay, day_id, event)
    if ActionForm().validate_on_submit():
        apply_change(lambda: setup.remove_day(event, day), _("Day removed."), (SetupError,))
    return redirect(url_for("organizer.show_schedule", event_id=event.id))


@bp.post("/events/<int:event_id>/breaks")
@organizer_required
def add_break(event_id: int):
    """Add a break on every day, on one day, or on Fridays only."""
    event = event_or_404(event_id)
    form = _break_form(event)
    if not form.validate_on_submit():
        return _schedule_page(event, break_form=form), 400
    details = _break_details(event, form)
    apply_change(lambda: setup.add_break(event, details), _("Break added; the slots are updated."), (SetupError,))
    return redirect(url_for("organizer.show_schedule", event_id=event.id))


@bp.route("/events/<int:event_id>/breaks/<int:break_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_break(event_id: int, break_id: int):
    """Change a break's name, kind, times or days; the slots follow."""
    event = event_or_404(event_id)
    item = child_or_404(EventBreak, break_id, event)
    form = _break_form(event, item)
    if form.validate_on_submit():
        details = _break_details(event, form)
        change = lambda: setup.change_break(event, item, details)  # noqa: E731
        if apply_change(change, _("Break saved; the slots are updated."), (SetupError,)):
            return redirect(url_for("organizer.show_schedule", event_id=event.id))
    status = 400 if form.is_submitted() else 200
    return render_template("organizer/break_form.html", event=event, form=form, item=item), status


@bp.post("/events/<int:event_id>/breaks/prayer/<preset>")
@organizer_required
def add_prayer_break(event_id: int, preset: str):
    """Quick-add Sholat Dzuhur (every day) or Sholat Jumat (Fridays only)."""
    event = event_or_404(event_id)
    if ActionForm().validate_on_submit():
        apply_change(
            lambda: setup.add_prayer_break(event, preset), _("Break added; the slots are updated."), (SetupError,)
        )
    return redirect(url_for("organizer.show_schedule", event_id=event.id))


@bp.post("/events/<int:event_id>/breaks/<int:break_id>/delete")
@organizer_required
def remove_break(event_id: int, break_id: int):
    """Remove a break; its time becomes meeting slots again."""
    event = event_or_404(event_id)
    item = child_or_404(EventBreak, break_id, event)
    if ActionForm().validate_on_submit():
        apply_change(lambda: setup.remove_break(event, item), _("Break removed; the slots are updated."), (SetupError,))
    return redirect(url_for("organizer.show_schedule", event_id=event.id))


@bp.route("/events/<int:event_id>/rooms", methods=["GET", "POST"])
@organizer_required
def rooms(event_id: int):
    """List the venue's rooms and add one."""
    event = event_or_404(event_id)
    form = RoomForm()
    if form.validate_on_submit():
        if apply_change(
            lambda: setup.add_room(event, form.name.data, form.capacity.data), _("Room added."), (SetupError,)
        ):
            return redirect(url_for("organizer.rooms", event_id=event.id))
    return render_template(
        "organizer/rooms.html", event=event, form=form, rooms=setup.list_rooms(event), action_form=ActionForm()
    )


@bp.post("/events/<int:event_id>/rooms/<int:room_id>/delete")
@organizer_required
def remove_room(event_id: int, room_id: int):
    """Remove a room."""
    event = event_or_404(event_id)
    room = child_or_404(Room, room_id, event)
    if ActionForm().validate_on_submit():
        apply_change(lambda: setup.remove_room(room), _("Room removed."), (SetupError,))
    return redirect(url_for("organizer.rooms", event_id=event.id))
