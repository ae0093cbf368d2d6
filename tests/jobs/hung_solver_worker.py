"""A Celery worker whose solver hangs as native code can: deaf to the soft time limit. For the hard-limit test.

Started as `celery -A tests.jobs.hung_solver_worker worker ...`; everything else is the real worker.
"""

import signal
import time

from app.jobs.celery_worker import celery, flask_app  # noqa: F401  (the Celery app this module stands for)
from app.timetable import jobs


def hung_solver(problem, options, on_progress=None):
    """Never return: the soft time limit's signal (SIGUSR1) stays blocked, as while CP-SAT runs in C++."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    time.sleep(3600)


jobs.solve = hung_solver
