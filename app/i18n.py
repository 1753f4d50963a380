"""Flask-Babel setup: Bahasa Indonesia by default, English on request.

The Indonesian texts live in app/translations/id/LC_MESSAGES/messages.po (see CONTRIBUTING.md);
`make setup`, `make run` and `make test` compile it. The app also compiles a missing or stale
.mo when it starts, so that `pytest` or `flask run` straight after editing the .po sees the edit.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from app.clock import current_zone
from app.extensions import babel

APP_DIR = Path(__file__).resolve().parent


TRANSLATIONS_DIR = APP_DIR / "translations"


def compile_catalogs(directory: Path) -> None:
    """Compile each .po whose .mo is missing or older, atomically (several workers may start)."""
    for po_path in directory.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo_path)


def select_locale() -> str:
    """The signed-in user's choice, else the visitor's session choice, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") if request else None
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Dates and times are shown in the zone the clock uses (the user's instansi, or the portal's)."""
    return str(current_zone())


def init_i18n(app: Flask) -> None:
    compile_catalogs(TRANSLATIONS_DIR)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "id")
