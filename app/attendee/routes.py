"""Attendee routes: registration is public; the rest opens with a personal access link."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.areas import find_village
from app.attendee import agenda as agenda_service
from app.attendee import requests as request_service
from app.attendee import services
from app.attendee.access import (
    attendee_required,
    current_link,
    current_registration,
    find_link,
    forget_link,
    remember_link,
)
from app.attendee.agenda_cache import cached_agenda_page
from app.attendee.choices import area_children, area_choice, attendance_choices, parse_choice_time, sector_choices
from app.attendee.forms import ConfirmForm, MeetingRequestForm, RegistrationForm
from app.attendee.labels import label_helpers
from app.calendar.feeds import feed_urls, issue_feed
from app.calendar.services import attendee_calendar
from app.extensions import db, limiter, without_transaction
from app.models import Booth, Event, EventStatus, FeedKind
from app.phone import wa_link
from app.public.services import registration_state

bp = Blueprint("attendee", __name__)
bp.context_processor(label_helpers)


def _event_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or event.status == EventStatus.DRAFT:
        abort(404)
    return event


def _registration_form(event: Event) -> RegistrationForm:
    form = RegistrationForm()
    choices = sector_choices(services.sectors(), str(get_locale()))
    form.needs.choices = choices
    form.offers.choices = choices
    form.available_from.choices, form.available_until.choices = attendance_choices(event)
    return form


@bp.route("/e/<slug>/daftar", methods=["GET", "POST"])
def register(slug: str):
    """Register a village cooperative: choose the village step by step, then fill in the form."""
    event = _event_or_404(slug)
    state = registration_state(event)
    args = request.args
    chooser = area_choice(args.get("prov"), args.get("kab"), args.get("kec"), args.get("desa"))
    form = _registration_form(event)
    village = chooser.village
    if request.method == "GET" and village is not None:
        form.village_code.data = village.code
        form.name.data = form.name.data or village.cooperative_name
    if request.method == "POST":
        village = find_village(form.village_code.data or "")
    if state == "open" and form.validate_on_submit():
        if village is None:
            flash(_("Choose your village first."), "error")
        else:
            try:
                registration = services.register_cooperative(event, _details(form, village))
            except services.RegistrationError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                token = services.issue_access_link(registration)
                emails = services.send_access_link(registration, token)
                db.session.commit()
                remember_link(find_link(token))
                return _show_new_link(registration, token, emails, registered=True)
    already = services.existing_registration(event, village.code) if village is not None else None
    return render_template(
        "attendee/register.html",
        event=event,
        state=state,
        chooser=chooser,
        village=village,
        already=already,
        form=form,
    )


def _details(form: RegistrationForm, village) -> services.CooperativeDetails:
    people = [
        services.Person(
            name=row.form.name.data.strip(),
            whatsapp=row.form.whatsapp.data,
            email=(row.form.email.data or "").strip().lower() or None,
            position=(row.form.position.data or "").strip() or None,
        )
        for row in form.representatives
        if not row.form.is_blank
    ]
    return services.CooperativeDetails(
        village=village,
        name=form.name.data,
        representatives=people,
        needs=form.needs.data or [],
        offers=form.offers.data or [],
        available_from=parse_choice_time(form.available_from.data),
        available_until=parse_choice_time(form.available_until.data),
        topics=form.topics.data,
    )


def _show_new_link(registration, token: str, emails: list[str], registered: bool = False):
    url = services.access_url(token)
    message = _(
        "Personal link of %(name)s for %(event)s: %(url)s",
        name=registration.organization.display_name,
        event=registration.event.name,
        url=url,
    )
    return render_template(
        "attendee/link.html",
        registration=registration,
        url=url,
        emails=emails,
        registered=registered,
        share_url=wa_link("", message),
    )


@bp.get("/areas/<code>.json")
def area_list(code: str):
    """Send the areas one level below a code, for the registration page's village chooser."""
    rows = area_children(code)
    if rows is None:
        abort(404)
    response = jsonify(rows)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/a/<token>")
@limiter.limit(lambda: current_app.config["TOKEN_RATE_LIMIT"])
def open_link(token: str):
    """Open a personal link: check it, remember it on this browser, go to the cooperative's page."""
    link = find_link(token)
    if link is None:
        forget_link()
        return render_template("attendee/no_access.html"), 404
    remember_link(link)
    return redirect(url_for("attendee.home"))


@bp.get("/saya")
@attendee_required
def home():
    """Show the cooperative's registration and where things stand."""
    registration = current_registration()
    return render_template(
        "attendee/home.html",
        registration=registration,
        event=registration.event,
        state=registration_state(registration.event),
        request_count=request_service.active_request_count(registration.event, registration.organization_id),
        via_link=current_link() is not None,
        form=ConfirmForm(),
    )


@bp.get("/saya/permintaan")
@attendee_required
def list_requests():
    """Show the booths, suggestions and the cooperative's own meeting requests."""
    registration = current_registration()
    event = registration.event
    cards = request_service.booth_cards(registration)
    return render_template(
        "attendee/requests.html",
        registration=registration,
        event=event,
        is_open=registration_state(event) == "open",
        cards=cards,
        suggested=request_service.suggestions(cards),
        requests=request_service.my_requests(registration),
        count=request_service.active_request_count(event, registration.organization_id),
        form=MeetingRequestForm(),
        confirm=ConfirmForm(),
    )


@bp.post("/saya/permintaan")
@attendee_required
def ask_booth():
    """Ask a booth for a meeting with a priority."""
    registration = current_registration()
    form = MeetingRequestForm()
    if not form.validate_on_submit() or not form.booth_id.data.isdigit():
        abort(400)
    booth = db.session.get(Booth, int(form.booth_id.data))
    if booth is None or booth.event_id != registration.event_id:
        abort(404)
    try:
        meeting_request = request_service.ask_booth(registration, booth, int(form.priority.data))
    except request_service.RequestError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        if meeting_request.mutual:
            flash(_("%(booth)s also wants to meet you: the meeting gets extra weight.", booth=booth.name), "info")
        else:
            flash(_("Meeting requested with %(booth)s.", booth=booth.name), "info")
    return redirect(url_for("attendee.list_requests"))


@bp.post("/saya/permintaan/<int:request_id>/tarik")
@attendee_required
def withdraw_request(request_id: int):
    """Withdraw one of the cooperative's own requests."""
    registration = current_registration()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        withdrawn = request_service.withdraw_request(registration, request_id)
    except LookupError:
        abort(404)
    except request_service.RequestError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Request to %(booth)s withdrawn.", booth=withdrawn.target.display_name), "info")
    return redirect(url_for("attendee.list_requests"))


@bp.get("/saya/agenda")
@without_transaction
@attendee_required
def show_agenda():
    """Show the cooperative's meetings once the timetable is published, with the day's sessions."""
    registration = current_registration()
    event = registration.event
    if not event.is_published:
        return render_template("attendee/agenda_pending.html", registration=registration, event=event)

    def render() -> str:
        agenda = agenda_service.build_agenda(registration)
        return render_template(
            "attendee/agenda.html",
            registration=registration,
            event=event,
            agenda=agenda,
            share_url=wa_link("", agenda_service.share_text(registration, agenda)),
            form=ConfirmForm(),
        )

    if not agenda_service.needs_first_look(registration):
        # Re-reads (the page left open and reloaded) come from the cache while nothing it shows has changed.
        return cached_agenda_page(registration, render)
    # Rendered before the commit: a commit expires every loaded row, and the page would load each meeting again.
    page = render()
    agenda_service.mark_first_look(registration)
    db.session.commit()
    return page


@bp.post("/saya/agenda/dilihat")
@attendee_required
def mark_agenda_seen():
    """Take note of the agenda's changes: they stop being highlighted."""
    registration = current_registration()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_agenda_seen(registration)
    db.session.commit()
    return redirect(url_for("attendee.show_agenda"))


@bp.get("/saya/agenda.ics")
@attendee_required
def download_calendar():
    """Send the cooperative's meetings and sessions as an .ics file."""
    registration = current_registration()
    if not registration.event.is_published:
        abort(404)
    calendar = attendee_calendar(registration.event, registration.organization, str(get_locale()))
    return Response(
        calendar.body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{calendar.filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.post("/saya/kalender")
@attendee_required
def subscribe_calendar():
    """Create the cooperative's calendar subscription link (replacing any earlier one) and show it once."""
    registration = current_registration()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = issue_feed(
        registration.event, FeedKind.ATTENDEE, organization=registration.organization, locale=str(get_locale())
    )
    db.session.commit()
    return render_template(
        "attendee/subscribe.html", registration=registration, event=registration.event, urls=feed_urls(token)
    )


@bp.get("/saya/tautan")
@attendee_required
def manage_link():
    """Explain the personal link and offer to replace it."""
    registration = current_registration()
    return render_template(
        "attendee/manage_link.html", registration=registration, link=current_link(), form=ConfirmForm()
    )


@bp.post("/saya/tautan/baru")
@attendee_required
def renew_link():
    """Revoke the cooperative's links and issue a new one; the old one stops working at once."""
    registration = current_registration()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = services.issue_access_link(registration)
    emails = services.send_access_link(registration, token)
    db.session.commit()
    remember_link(find_link(token))
    return _show_new_link(registration, token, emails)


@bp.post("/saya/keluar")
def leave():
    """Forget the personal link on this browser (the link itself keeps working)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    forget_link()
    flash(_("This device no longer opens your cooperative's pages. Your personal link still works."), "info")
    return redirect(url_for("public.list_events"))
