"""A Celery worker whose long solves keep running after their first progress report. For the kill test.

The real solver now proves small events optimal in well under a second, so a test that kills the worker
"in the middle of a solve" needs a solve that is surely still running: a solve with a time limit of 20 s
or more reports its first progress, as the real one does, and then works on (sleeps) until killed.
Shorter solves are the real thing. Started as `celery -A tests.jobs.slow_solver_worker worker ...`.
"""

import time

from app.jobs.celery_worker import celery, flask_app  # noqa: F401  (the Celery app this module stands for)
from app.timetable import jobs

real_solve = jobs.solve


def slow_solver(problem, options, on_progress=None):
    """Report progress like the real solver, then keep 'solving' until the process is killed."""
    if options.time_limit < 20:
        return real_solve(problem, options, on_progress)
    if on_progress is not None:
        on_progress({"level": "served", "objective": {"served": 0}, "bound": {"served": len(problem.parties)},
                     "seconds": 0.0})
    time.sleep(3600)


jobs.solve = slow_solver
