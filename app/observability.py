"""Logging: one line per request with a request id, as plain text or as JSON for log collectors."""

from __future__ import annotations

import json
import logging
import time
import uuid

from flask import Flask, g, has_request_context, request

access_log = logging.getLogger("app.access")


class JsonFormatter(logging.Formatter):
    """Format each record as one JSON object with time, level, logger, message and request fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = getattr(g, "request_id", None)
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def register_logging(app: Flask) -> None:
    """Configure the root logger once and log every request with its duration and status."""
    handler = logging.StreamHandler()
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(getattr(h, "_temubisnis", False) for h in root.handlers):
        handler._temubisnis = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])

    @app.before_request
    def start_timer() -> None:
        # Keep a proxy's request id so one request can be followed across web, worker and proxy logs.
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = getattr(g, "request_started", None)
        if started is not None and not access_log.isEnabledFor(logging.INFO):
            # LOG_LEVEL above INFO: no access line, so none is put together; the request id header still goes out.
            response.headers["X-Request-ID"] = g.request_id
        elif started is not None:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            fields = {
                "method": request.method,
                "path": request.path,  # never the query string: it may carry a secret token
                "status": response.status_code,
                "duration_ms": duration_ms,
                "remote_addr": request.remote_addr,
            }
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={"fields": fields},
            )
            response.headers["X-Request-ID"] = g.request_id
        return response
