"""Every interface string has its Bahasa Indonesia translation in one of the areas' catalogs."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted((ROOT / "app").glob("**/translations/id/LC_MESSAGES/messages.po"))


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="id")


def msgids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_in_a_catalog_is_translated_to_indonesian(path):
    catalog = read_catalog(path)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []
    assert catalog.plural_forms == "nplurals=1; plural=0;"


def test_the_catalogs_hold_every_string_the_code_uses(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    known = set().union(*(msgids(read_catalog(p)) for p in CATALOGS))
    missing = sorted(msgids(read_catalog(pot)) - known)
    assert missing == [], "translate these in your area's catalog (app/<area>/translations/id/LC_MESSAGES/messages.po)"


def test_one_english_message_reads_the_same_in_every_catalog():
    translations: dict[str, dict[str, str]] = {}
    for path in CATALOGS:
        for message in read_catalog(path):
            if message.id and isinstance(message.id, str) and message.string:
                translations.setdefault(message.id, {})[str(path.relative_to(ROOT))] = message.string
    differing = {msgid: where for msgid, where in translations.items() if len(set(where.values())) > 1}
    assert differing == {}


@pytest.mark.parametrize(("english", "indonesian"), [("organization", "organisasi"), ("cooperative", "koperasi")])
def test_a_term_is_translated_the_same_way_everywhere(english, indonesian):
    """Organizers meet one word for one thing (not "lembaga" on one page and "organisasi" on the next)."""
    off = [
        (message.id, message.string)
        for path in CATALOGS
        for message in read_catalog(path)
        if isinstance(message.id, str) and english in re.sub(r"%\(\w+\)s", "", message.id).lower()
        and indonesian not in (message.string or "").lower()
    ]
    assert off == []
