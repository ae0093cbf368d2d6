"""In-process rate-limit counters that do not start a thread per request.

The `limits` library's memory:// storage purges expired counters from a `threading.Timer` of 10 ms that it
starts again on nearly every hit once the previous one has fired: under load, one new thread per request or two
in every web process, which cost more than the limit check itself. This storage purges inline instead, at most
once per SWEEP_SECONDS, on the request that comes due; counters are still checked for expiry on every read, so
limits behave exactly as with memory://. create_app uses it whenever RATELIMIT_STORAGE_URI is memory://.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SCHEME = "memory-swept"
SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """memory:// counters, purged inline once a second instead of by a timer thread started per hit."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # MemoryStorage calls its private __schedule_expiry on every hit (incr, decr, acquire_entry, ...): this
    # replaces it for this class only (Python mangles the name to _MemoryStorage__schedule_expiry).
    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()
        finally:
            self._sweep_lock.release()


def storage_uri(configured: str) -> str:
    """Return the storage URI to use: memory:// becomes the swept memory storage, anything else is kept."""
    return SCHEME + configured[len("memory") :] if configured.startswith("memory://") else configured
