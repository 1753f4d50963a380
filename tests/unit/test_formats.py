"""One style of dates, numbers, JP and rupiah through Babel, in the user's locale."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale

from app.web import formats


def test_indonesian_formats(app):
    with app.test_request_context(), force_locale("id"):
        assert formats.day(date(2026, 11, 13)) == "13 Nov 2026"
        assert formats.number(14.5) == "14,5" and formats.number(14.0) == "14"
        assert formats.number(0.0, 2) == "0" and formats.number(1250, 0) == "1.250"
        assert formats.jp(14.5) == "14,5 JP"
        assert formats.rupiah(1_250_000) == "Rp1.250.000"
        assert formats.day(None) == formats.moment(None) == formats.number(None) == "–"
        assert formats.moment(datetime(2026, 11, 27, 14, 40)).startswith("27 Nov 2026 ")


def test_english_formats(app):
    with app.test_request_context(), force_locale("en"):
        assert formats.day(date(2026, 11, 13)) == "Nov 13, 2026"
        assert formats.number(1250.5) == "1,250.5"


def test_filters_are_registered(app):
    for name in ("date", "datetime", "number", "jp", "rupiah"):
        assert name in app.jinja_env.filters
