"""Reviewing a version (grid, agendas, unscheduled), adjusting a draft by hand, and publishing it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import VersionStatus
from app.security.roles import organizer_required
from app.timetable import adjust
from app.timetable.blueprint import bp
from app.timetable.forms import ActionForm, MoveForm, SwapForm
from app.timetable.loading import entry_or_404, event_or_404, request_or_404, version_or_404
from app.timetable.problem_builder import event_booths
from app.timetable.publish import NotADraft, announce_published, diff_against_published, publish_version
from app.timetable.versions import NotPublished, copy_to_draft, discard_draft, previous_published
from app.timetable.views import (
    affected_names,
    agendas,
    booth_sheets,
    change_rows,
    counterpart,
    guest_of,
    left_out,
    load_entries,
    slot_choices,
)

PAGE_SIZE = 50  # cooperatives or left-out requests per page


@bp.get("/versions/<int:version_id>")
@organizer_required
def show_version(event_id: int, version_id: int):
    """Show a version as a grid of slots against one booth's tables (the booth chosen in ?booth=)."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    booths = event_booths(event)
    chosen = next((b for b in booths if str(b.id) == request.args.get("booth")), booths[0] if booths else None)
    sheets = booth_sheets(version, [chosen]) if chosen else []
    return render_template(
        "timetable/grid.html",
        event=event,
        version=version,
        booths=booths,
        chosen=chosen,
        sheets=sheets,
        guest_of=guest_of,
        action_form=ActionForm(),
        problems=adjust.draft_problems(version) if version.status == VersionStatus.DRAFT else [],
        left_out_count=len(version.unscheduled or []),
    )


@bp.get("/versions/<int:version_id>/cooperatives")
@organizer_required
def show_agendas(event_id: int, version_id: int):
    """Show each cooperative's meetings in the version (filtered by ?q=)."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    query = request.args.get("q", "")[:100]
    found = agendas(version, query)
    page = _page_of(found)
    return render_template(
        "timetable/agendas.html",
        event=event,
        version=version,
        agendas=page.items,
        total=len(found),
        page=page,
        query=query,
        counterpart=counterpart,
    )


@bp.get("/versions/<int:version_id>/unscheduled")
@organizer_required
def show_unscheduled(event_id: int, version_id: int):
    """List the requests the version leaves out, with the reasons."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    items = left_out(version)
    page = _page_of(items)
    return render_template(
        "timetable/unscheduled.html", event=event, version=version, items=page.items, total=len(items), page=page
    )


@bp.get("/versions/<int:version_id>/entries/<int:entry_id>")
@organizer_required
def edit_entry(event_id: int, version_id: int, entry_id: int):
    """Show one meeting of a draft with the forms to move, swap, lock or remove it."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    entry = entry_or_404(version, entry_id)
    return _render_entry(event, version, entry, _move_form(event, entry), _swap_form(version, entry))


@bp.post("/versions/<int:version_id>/entries/<int:entry_id>/move")
@organizer_required
def move_entry(event_id: int, version_id: int, entry_id: int):
    """Move a draft meeting to another slot and table, if no rule is broken."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    entry = entry_or_404(version, entry_id)
    form = _move_form(event, entry)
    if not form.validate_on_submit():
        return _render_entry(event, version, entry, form, _swap_form(version, entry)), 400
    slot = next(s for s in event.slots if s.id == form.slot_id.data)
    return _apply(event, version, lambda: adjust.move_entry(version, entry, slot, form.table.data), _("Meeting moved."))


@bp.post("/versions/<int:version_id>/entries/<int:entry_id>/swap")
@organizer_required
def swap_entry(event_id: int, version_id: int, entry_id: int):
    """Let two draft meetings trade places, if no rule is broken."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    entry = entry_or_404(version, entry_id)
    form = _swap_form(version, entry)
    if not form.validate_on_submit():
        return _render_entry(event, version, entry, _move_form(event, entry), form), 400
    other = entry_or_404(version, form.other_id.data)
    return _apply(event, version, lambda: adjust.swap_entries(version, entry, other), _("Meetings swapped."))


@bp.post("/versions/<int:version_id>/entries/<int:entry_id>/remove")
@organizer_required
def remove_entry(event_id: int, version_id: int, entry_id: int):
    """Take a meeting out of the draft."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    entry = entry_or_404(version, entry_id)
    return _apply(event, version, lambda: adjust.remove_entry(version, entry), _("Meeting taken out of the draft."))


@bp.post("/versions/<int:version_id>/entries/<int:entry_id>/lock")
@organizer_required
def lock_entry(event_id: int, version_id: int, entry_id: int):
    """Lock a draft meeting in place, or unlock it (?unlock=1)."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    entry = entry_or_404(version, entry_id)
    locked = request.args.get("unlock") != "1"
    message = _("Meeting locked: a new build keeps it in place.") if locked else _("Meeting unlocked.")
    return _apply(event, version, lambda: adjust.set_locked(version, entry, locked), message, entry_id=entry.id)


@bp.route("/versions/<int:version_id>/requests/<int:request_id>/place", methods=["GET", "POST"])
@organizer_required
def place_request(event_id: int, version_id: int, request_id: int):
    """Put a request the draft leaves out into a slot and table by hand."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    meeting_request = request_or_404(event, request_id)
    if meeting_request.booth is None:
        abort(404)
    form = MoveForm()
    form.slot_id.choices = slot_choices(event)
    form.table.choices = [(t, str(t)) for t in range(1, meeting_request.booth.table_count + 1)]
    if form.validate_on_submit():
        slot = next(s for s in event.slots if s.id == form.slot_id.data)
        return _apply(
            event,
            version,
            lambda: adjust.place_request(version, meeting_request, slot, form.table.data),
            _("Meeting placed."),
            back=url_for("timetable.place_request", event_id=event.id, version_id=version.id, request_id=request_id),
        )
    return render_template(
        "timetable/place.html", event=event, version=version, meeting_request=meeting_request, form=form
    )


@bp.post("/versions/<int:version_id>/copy")
@organizer_required
def copy_version(event_id: int, version_id: int):
    """Start a new draft from the published version, to adjust it by hand."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    try:
        draft = copy_to_draft(version)
        db.session.commit()
    except NotPublished:
        db.session.rollback()
        abort(409)
    flash(_("A new draft was made from the published timetable."), "success")
    return redirect(url_for("timetable.show_version", event_id=event.id, version_id=draft.id))


@bp.post("/versions/<int:version_id>/discard")
@organizer_required
def discard_version(event_id: int, version_id: int):
    """Set a draft aside."""
    event = event_or_404(event_id)
    discard_draft(version_or_404(event, version_id))
    db.session.commit()
    flash(_("Draft set aside."), "info")
    return redirect(url_for("timetable.overview", event_id=event.id))


@bp.get("/versions/<int:version_id>/changes")
@organizer_required
def show_changes(event_id: int, version_id: int):
    """Show what a version changes against the one published before it, and who is affected."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    diff = diff_against_published(version)
    return render_template(
        "timetable/changes.html",
        event=event,
        version=version,
        previous=previous_published(version),
        rows=change_rows(diff),
        diff=diff,
        affected=affected_names(diff),
        action_form=ActionForm(),
        problems=adjust.draft_problems(version) if version.status == VersionStatus.DRAFT else [],
    )


@bp.post("/versions/<int:version_id>/publish")
@organizer_required
def publish(event_id: int, version_id: int):
    """Publish a draft: it becomes what attendees and their calendars see."""
    event = event_or_404(event_id)
    version = version_or_404(event, version_id)
    problems = adjust.draft_problems(version) if version.status == VersionStatus.DRAFT else []
    if problems:
        for problem in problems:
            flash(problem, "error")
        return redirect(url_for("timetable.show_changes", event_id=event.id, version_id=version.id))
    try:
        diff = publish_version(version)
        db.session.commit()
    except NotADraft:
        db.session.rollback()
        flash(_("Only a draft can be published."), "error")
        return redirect(url_for("timetable.overview", event_id=event.id))
    announce_published(version, diff)
    flash(_("Timetable published: attendees now see it."), "success")
    return redirect(url_for("timetable.show_changes", event_id=event.id, version_id=version.id))


@dataclass
class Page:
    """One page of a long list, with the links to its neighbours (light on a weak connection)."""

    number: int
    count: int
    items: list
    prev_url: str | None
    next_url: str | None


def _page_of(items: list) -> Page:
    """Return the page asked for in ?page=, keeping the other query arguments in its links."""
    count = max(1, -(-len(items) // PAGE_SIZE))
    number = min(max(request.args.get("page", 1, type=int), 1), count)

    def link(n: int) -> str | None:
        if not 1 <= n <= count or n == number:
            return None
        return url_for(request.endpoint, **request.view_args, **{**request.args.to_dict(), "page": n})

    shown = items[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    return Page(number, count, shown, link(number - 1), link(number + 1))


def _apply(event, version, change, success: str, entry_id: int | None = None, back: str | None = None):
    """Run one hand change in one transaction; on a clash roll back and say why."""
    try:
        change()
        db.session.commit()
    except adjust.ClashError as clash:
        db.session.rollback()
        for message in clash.messages:
            flash(_("Not saved: %(reason)s", reason=message), "error")
        return redirect(
            back or request.referrer or url_for("timetable.show_version", event_id=event.id, version_id=version.id)
        )
    except adjust.NotEditable:
        db.session.rollback()
        flash(_("Only a draft can be changed. Start a new draft from the published timetable."), "error")
        return redirect(url_for("timetable.show_version", event_id=event.id, version_id=version.id))
    flash(success, "success")
    if entry_id is not None:
        return redirect(url_for("timetable.edit_entry", event_id=event.id, version_id=version.id, entry_id=entry_id))
    return redirect(url_for("timetable.show_version", event_id=event.id, version_id=version.id))


def _move_form(event, entry) -> MoveForm:
    form = MoveForm(slot_id=entry.slot_id, table=entry.table_number)
    form.slot_id.choices = slot_choices(event)
    tables = entry.booth.table_count if entry.booth else entry.table_number
    form.table.choices = [(t, str(t)) for t in range(1, tables + 1)]
    return form


def _swap_form(version, entry) -> SwapForm:
    """Offer the meetings at the same booth or of the same guest, the likely partners of a swap."""
    form = SwapForm()
    parties = {entry.request.requester_id, entry.request.target_id}
    candidates = [
        e
        for e in load_entries(version)
        if e.id != entry.id
        and (e.booth_id == entry.booth_id or {e.request.requester_id, e.request.target_id} & parties)
    ]
    candidates.sort(key=lambda e: (e.slot.starts_at, e.table_number))
    form.other_id.choices = [
        (
            e.id,
            f"{e.slot.starts_at.astimezone(version.event.zone).strftime('%H.%M')} · "
            f"{e.booth.name if e.booth else '-'} {_('table')} {e.table_number} · {guest_of(e).display_name}",
        )
        for e in candidates
    ]
    return form


def _render_entry(event, version, entry, move_form: MoveForm, swap_form: SwapForm):
    return render_template(
        "timetable/entry.html",
        event=event,
        version=version,
        entry=entry,
        guest=guest_of(entry),
        move_form=move_form,
        swap_form=swap_form,
        action_form=ActionForm(),
    )
