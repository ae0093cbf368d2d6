"""Keeping a parsed upload between preview and confirmation: a server-side file under the instance folder."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.organizer.services.spreadsheet import Sheet

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StoredUpload:
    """A parsed upload waiting for the organizer's confirmation."""

    key: str
    event_id: int
    user_id: int
    filename: str
    sheet: Sheet


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORT_DIR") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(key: str) -> Path | None:
    return _folder() / f"{key}.json" if KEY_PATTERN.match(key or "") else None


def save_upload(event_id: int, user_id: int, filename: str, sheet: Sheet) -> str:
    """Store a parsed sheet under a new random key and return the key; old leftovers are cleared."""
    _clear_stale()
    key = secrets.token_urlsafe(24)
    payload = {
        "event_id": event_id,
        "user_id": user_id,
        "filename": filename[:200],
        "header": sheet.header,
        "rows": sheet.rows,
    }
    path = _path(key)
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)
    return key


def load_upload(key: str, event_id: int, user_id: int) -> StoredUpload | None:
    """Return the stored upload when it exists and belongs to this event and this user."""
    path = _path(key)
    if path is None or not path.exists():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    if payload["event_id"] != event_id or payload["user_id"] != user_id:
        return None
    sheet = Sheet(payload["header"], [(line, values) for line, values in payload["rows"]])
    return StoredUpload(key, event_id, user_id, payload["filename"], sheet)


def delete_upload(key: str) -> None:
    """Remove a stored upload (after it was imported or cancelled)."""
    path = _path(key)
    if path is not None:
        path.unlink(missing_ok=True)


def _clear_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
