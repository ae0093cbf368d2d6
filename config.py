"""Configuration read from the environment, with safe local defaults."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def database_url(raw: str | None) -> str:
    """Return a SQLAlchemy URL: SQLite under instance/ by default, psycopg 3 for PostgreSQL."""
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'temubisnis.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def local_secret_key() -> str:
    """Return a secret key kept in instance/secret_key, created on first use (local runs only)."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings for a real run; every value can be set through the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or None  # filled by create_app from instance/ when unset
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # No pre-ping (it cost a round trip to the database on every request): pooled connections are replaced after
    # DATABASE_POOL_RECYCLE seconds, below the idle timeouts of firewalls and poolers; a connection the server dropped
    # anyway (restart, failover) fails the request using it with a 503 (app/__init__.py), and SQLAlchemy then
    # replaces every pooled connection of that process, so the next request connects afresh.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": int(os.environ.get("DATABASE_POOL_RECYCLE", 1800))}
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("id", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
    SOLVER_TIME_LIMIT = float(os.environ.get("SOLVER_TIME_LIMIT", 60))
    SOLVER_WORKERS = int(os.environ.get("SOLVER_WORKERS", 2))
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or None
    # Background jobs (app/jobs): a solve may outlive its time limit by SOLVE_GRACE_SECONDS (building the problem,
    # writing the draft) before it is interrupted, and by twice that before it is killed and marked failed.
    SOLVE_GRACE_SECONDS = float(os.environ.get("SOLVE_GRACE_SECONDS", 30))
    # 1: background jobs (emails after publishing) run in the caller before it returns; for debugging.
    JOBS_EAGER = os.environ.get("JOBS_EAGER", "0") == "1"
    # Only this site's own scripts, styles and images: no inline script or style, no framing, no outside hosts.
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    # When on, organizers must set up an authenticator app (two-step login) before using organizer pages.
    TWO_FACTOR_REQUIRED_FOR_ORGANIZERS = os.environ.get("TWO_FACTOR_REQUIRED_FOR_ORGANIZERS", "0") == "1"
    # Rate limits: in memory for one process; point at Redis (redis://127.0.0.1:6379/1) when scaled out.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    # Per address, on routes that take a secret token: personal links, and calendar feeds (which calendar
    # services such as Google fetch for many people from one address, hence the higher default).
    TOKEN_RATE_LIMIT = os.environ.get("TOKEN_RATE_LIMIT", "60 per minute")
    FEED_RATE_LIMIT = os.environ.get("FEED_RATE_LIMIT", "1200 per minute")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # json: one JSON object per log line (for log collectors); text: plain lines for a terminal.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Temu Bisnis <noreply@localhost>")
    # Public address of the site, used in links sent by email and in calendar subscriptions.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Calendar feeds: UIDs end in this domain (default: the host of PUBLIC_BASE_URL; never change it once feeds
    # are out), cancelled meetings stay visible this many days, reminders ring this many minutes before (0: none).
    CALENDAR_UID_DOMAIN = os.environ.get("CALENDAR_UID_DOMAIN") or None
    CALENDAR_CANCELLED_DAYS = int(os.environ.get("CALENDAR_CANCELLED_DAYS", 30))
    CALENDAR_ALARM_MINUTES = int(os.environ.get("CALENDAR_ALARM_MINUTES", 15))
    # Seconds a rendered attendee feed is reused while its fingerprint (meetings, programme, seats, the event's content
    # revision) is unchanged: every change made through the app shows at once; this only bounds raw-SQL edits.
    CALENDAR_FEED_CACHE_SECONDS = float(os.environ.get("CALENDAR_FEED_CACHE_SECONDS", 3600))
    # Build every attendee feed of an event into the cache right after it is published (a background job).
    CALENDAR_WARM_FEEDS = os.environ.get("CALENDAR_WARM_FEEDS", "1") == "1"
    # Seconds a rendered agenda page is reused while the cooperative's meetings, programme and seats are unchanged.
    AGENDA_CACHE_SECONDS = float(os.environ.get("AGENDA_CACHE_SECONDS", 60))
    # Redis shared by the web processes for rendered feeds (redis://127.0.0.1:6379/2): each feed is built once, not
    # once per process. Unset: every process caches alone.
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    # Email iTIP invitations (REQUEST / CANCEL) to cooperatives when a timetable is published.
    CALENDAR_ITIP_EMAILS = os.environ.get("CALENDAR_ITIP_EMAILS", "1") == "1"
    # One translation catalog per area (app/translations, app/<area>/translations), merged by Flask-Babel.
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        str(p.relative_to(BASE_DIR / "app")) for p in sorted((BASE_DIR / "app").glob("**/translations")) if p.is_dir()
    )


class TestConfig(Config):
    """Settings for the test suite: a throwaway database, a fixed key, CSRF off unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    # Tests use DATABASE_URL when CI points it at a scratch PostgreSQL database, else SQLite in memory.
    SQLALCHEMY_DATABASE_URI = (
        database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else "sqlite://"
    )
    # Most tests post forms directly; tests of CSRF itself switch it back on.
    WTF_CSRF_ENABLED = False
    # Tests post many logins; the limiter's own tests build an app with it switched on.
    RATELIMIT_ENABLED = False
    SOLVER_TIME_LIMIT = 10.0
    # Background jobs run in the caller, so a test sees their effects (emails) when the call returns; the tests of
    # the background runners (tests/jobs) switch this off.
    JOBS_EAGER = True
    # Publishing does not build every feed ahead in the test suite (tests/calendar/test_feed_warming.py does).
    CALENDAR_WARM_FEEDS = False
