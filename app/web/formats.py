"""One style of dates, numbers, JP and rupiah on every page, through Babel in the user's locale.

Indonesian: ``13 Nov 2026``, ``13 Nov 2026 21.40``, ``14,5 JP``, ``Rp1.250.000``. Templates use the
filters (``{{ day|date }}``, ``{{ at|datetime }}``, ``{{ value|number(2) }}``, ``{{ jp|jp }}``,
``{{ amount|rupiah }}``); Python code that writes a message calls the functions.
"""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime as DateTime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_decimal, format_time

EMPTY = "–"
Number = int | float | Decimal


def day(value: Date | DateTime | None) -> str:
    """A date the way people write it: 13 Nov 2026 (Indonesian), Nov 13, 2026 (English)."""
    if value is None:
        return EMPTY
    return str(format_date(value, "medium"))


def moment(value: DateTime | None) -> str:
    """A date and time in the portal's time zone, minutes only: 13 Nov 2026 21.40."""
    if value is None:
        return EMPTY
    return f"{format_date(value, 'medium')} {format_time(value, 'short')}"


def number(value: Number | None, digits: int = 1) -> str:
    """A number with up to ``digits`` decimals and no trailing zeros: 14,5 · 14 · 1.250."""
    if value is None:
        return EMPTY
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern))


def jp(value: Number | None) -> str:
    """Learning hours (jam pelajaran): 14,5 JP."""
    return f"{number(value or 0, 1)} JP"


def rupiah(amount: Number | None) -> str:
    """Whole rupiah: Rp1.250.000."""
    return str(format_currency(int(amount or 0), "IDR", format="¤#,##0", currency_digits=False))


FILTERS = {"date": day, "datetime": moment, "number": number, "jp": jp, "rupiah": rupiah}


def init_formats(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
