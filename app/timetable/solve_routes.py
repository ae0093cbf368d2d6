"""The timetable's home page, starting a solve, watching its progress and stopping it."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import SolveRun, SolveStatus
from app.security.roles import organizer_required
from app.timetable.blueprint import bp
from app.timetable.forms import ActionForm, SolveForm
from app.timetable.jobs import SolveAlreadyRunning, active_run, request_stop, runner_for, start_solve
from app.timetable.labels import phase_label
from app.timetable.loading import event_or_404, run_or_404
from app.timetable.problem_builder import current_draft
from app.timetable.run_errors import run_error_text
from app.timetable.versions import published_version
from app.timetable.views import conflict_texts

RECENT_RUNS = 5


@bp.get("/")
@organizer_required
def overview(event_id: int):
    """Show the draft, the published version, recent solves and the Solve button."""
    event = event_or_404(event_id)
    form = SolveForm(time_limit=int(current_app.config["SOLVER_TIME_LIMIT"]))
    runs = db.session.scalars(
        select(SolveRun).where(SolveRun.event_id == event.id).order_by(SolveRun.id.desc()).limit(RECENT_RUNS)
    ).all()
    return render_template(
        "timetable/overview.html",
        event=event,
        form=form,
        action_form=ActionForm(),
        draft=current_draft(event),
        published=published_version(event),
        running=active_run(event),
        runs=runs,
    )


@bp.post("/solve")
@organizer_required
def solve(event_id: int):
    """Queue a solve of the event and hand it to the job runner; never solve inside the request."""
    event = event_or_404(event_id)
    form = SolveForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("timetable.overview", event_id=event.id))
    try:
        run = start_solve(event, current_user.id, float(form.time_limit.data), form.keep_published.data)
        db.session.commit()
    except SolveAlreadyRunning:
        db.session.rollback()
        flash(_("A timetable is already being built for this event."), "error")
        return redirect(url_for("timetable.overview", event_id=event.id))
    runner_for(current_app._get_current_object()).submit(current_app._get_current_object(), run.id)
    return redirect(url_for("timetable.show_run", event_id=event.id, run_id=run.id))


@bp.get("/runs/<int:run_id>")
@organizer_required
def show_run(event_id: int, run_id: int):
    """Show a solve's live figures (refreshing by itself until it ends) and its outcome."""
    event = event_or_404(event_id)
    run = run_or_404(event, run_id)
    return render_template(
        "timetable/run.html",
        event=event,
        run=run,
        action_form=ActionForm(),
        conflicts=conflict_texts(event, run.conflicts or []),
        error=run_error_text(run.error),
    )


@bp.get("/runs/<int:run_id>/status.json")
@organizer_required
def run_status(event_id: int, run_id: int):
    """Answer the progress page's poll with the run's figures."""
    run = run_or_404(event_or_404(event_id), run_id)
    return jsonify(
        status=run.status.value,
        finished=run.is_finished,
        phase=run.phase,
        phase_label=phase_label(run.phase),
        stop_requested=run.stop_requested,
        best={"served": run.best_served, "weight": run.best_weight, "breaks": run.best_breaks},
        bound={"served": run.bound_served, "weight": run.bound_weight, "breaks": run.bound_breaks},
        url=url_for("timetable.show_run", event_id=event_id, run_id=run.id),
    )


@bp.post("/runs/<int:run_id>/stop")
@organizer_required
def stop_run(event_id: int, run_id: int):
    """Ask a running solve to stop; it keeps the best timetable found so far."""
    event = event_or_404(event_id)
    run = run_or_404(event, run_id)
    if ActionForm().validate_on_submit():
        request_stop(run)
        db.session.commit()
        if run.status in (SolveStatus.QUEUED, SolveStatus.RUNNING):
            flash(_("Stopping: the best timetable found so far will be kept."), "info")
    return redirect(url_for("timetable.show_run", event_id=event.id, run_id=run.id))
