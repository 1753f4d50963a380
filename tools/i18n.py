"""Maintain the Indonesian catalog: `python tools/i18n.py` re-extracts the English source texts
and writes app/translations/id/LC_MESSAGES/messages.po from the tables in tools/id_*.py.

Texts are written in English in the code; Indonesian is the default UI language, so every text
needs an entry. `tests/unit/test_translations.py` fails when one is missing.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """All translatable texts of the app, as pybabel sees them."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        CommandLineInterface().run(
            [
                "pybabel",
                "-q",
                "extract",
                "-F",
                str(ROOT / "babel.cfg"),
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "--ignore-dirs",
                ".*",
                "--ignore-dirs",
                "__pycache__",
                "--no-location",
                "--omit-header",
                "-o",
                str(pot),
                str(ROOT / "app"),
            ]
        )
        with pot.open("rb") as handle:
            return read_po(handle)


def tables() -> tuple[dict[object, str], list[object]]:
    """Translations from every tools/id_*.py (ID and PLURALS), and msgids to add regardless."""
    merged: dict[object, str] = {}
    extra: list[object] = []
    sys.path.insert(0, str(ROOT / "tools"))
    for path in sorted((ROOT / "tools").glob("id_*.py")):
        module = importlib.import_module(path.stem)
        merged.update(module.ID)
        merged.update(getattr(module, "PLURALS", {}))
        extra.extend(getattr(module, "EXTRA", []))
    return merged, extra


def main() -> int:
    translations, extra = tables()
    wanted = [message.id for message in extract() if message.id]
    wanted += [msgid for msgid in extra if msgid not in wanted]
    catalog = Catalog(locale="id", domain="messages", project="Bangkom")
    missing = []
    for msgid in wanted:
        text = translations.get(msgid)
        if text is None:
            missing.append(msgid)
        catalog.add(
            msgid, (text,) * catalog.num_plurals if isinstance(msgid, tuple) else (text or "")
        )
    PO_PATH.parent.mkdir(parents=True, exist_ok=True)
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True)
    for text in missing:
        print(f"missing Indonesian text: {text!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
