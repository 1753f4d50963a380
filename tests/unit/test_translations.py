"""Indonesian is the default language: every UI text in the code has an Indonesian translation."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402


def test_every_text_has_an_indonesian_translation():
    translations, _ = i18n.tables()
    missing = [
        message.id for message in i18n.extract() if message.id and message.id not in translations
    ]
    assert not missing, f"add Indonesian texts to tools/id_*.py, then run tools/i18n.py: {missing}"


def test_committed_catalog_is_up_to_date():
    translations, extra = i18n.tables()
    with i18n.PO_PATH.open("rb") as handle:
        catalog = read_po(handle)
    wanted = {message.id for message in i18n.extract() if message.id} | set(extra)
    in_catalog = {message.id for message in catalog if message.id}
    assert wanted == in_catalog, "run `python tools/i18n.py` to refresh the catalog"
    stale = [
        m.id
        for m in catalog
        if m.id and not isinstance(m.id, tuple) and m.string != translations[m.id]
    ]
    assert not stale, f"catalog differs from tools/id_*.py for {stale[:5]}"
