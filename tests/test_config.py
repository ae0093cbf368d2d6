"""Configuration picks safe local defaults and understands the usual database URLs."""

from config import INSTANCE_DIR, database_url


def test_sqlite_under_instance_by_default():
    assert database_url(None) == f"sqlite:///{INSTANCE_DIR / 'temubisnis.db'}"


def test_postgresql_urls_use_psycopg_3():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h:5432/db") == "postgresql+psycopg://u@h:5432/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_gunicorn_replaces_its_workers_rarely():
    # A new worker costs ~1.5 s of CPU and starts with an empty feed cache: not every minute under load.
    import runpy

    from config import BASE_DIR

    settings = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert settings["max_requests"] >= 100000
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["worker_class"] == "gthread"
