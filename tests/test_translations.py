"""Every interface string has its Bahasa Indonesia translation, and the catalog matches the code."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def msgids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_every_message_in_the_catalog_is_translated_to_indonesian():
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="id")
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    assert untranslated == []
    assert catalog.plural_forms == "nplurals=1; plural=0;"


def test_the_catalog_holds_every_string_the_code_uses(tmp_path):
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
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    missing = msgids(pot) - msgids(CATALOG)
    assert missing == set(), "run `make messages` and translate the new strings"
