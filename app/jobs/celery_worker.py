"""The Celery worker's entry point: `celery -A app.jobs.celery_worker worker --concurrency 1 -Q solve,mail`.

It builds the Flask app from the environment (the same as the web's: DATABASE_URL, CELERY_BROKER_URL, ...);
every task then runs inside an app context of that app.
"""

from app import create_app
from app.jobs.celery_app import CELERY_KEY

flask_app = create_app()
celery = flask_app.extensions.get(CELERY_KEY)
if celery is None:
    raise RuntimeError("CELERY_BROKER_URL is not set: a Celery worker needs a broker (e.g. redis://127.0.0.1:6379/0)")
