"""The one parser for integers taken from a request (query string, form values, select choices).

`request.args.get("unit", type=ID)` gives None for a missing, malformed or out-of-range value
instead of an integer the database cannot hold (`?unit=99999999999999999999` used to end in a
500 from SQLite's 64-bit or PostgreSQL's 32-bit columns). The range of `ID` is the range of the
`<int:...>` path converter (`app.DatabaseIntConverter`), so a path and a query string accept the
same ids.
"""

from __future__ import annotations

from flask import request

MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER columns on PostgreSQL
MAX_DIGITS = 12  # no bound below needs more; longer texts are refused before int() runs


class BoundedInt:
    """A `type=` callable for werkzeug's `MultiDict.get`: a whole number within [low, high].

    Raises ValueError otherwise, which `get` turns into its default."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, value: object) -> int:
        text = str(value).strip()
        if len(text) > MAX_DIGITS or not text.lstrip("+-").isascii():
            raise ValueError("not a bounded integer")
        number = int(text)
        if not self.low <= number <= self.high:
            raise ValueError("out of range")
        return number

    def parse(self, value: object) -> int | None:
        """The number, or None when `value` is missing or not a whole number in range."""
        if value is None or value == "":
            return None
        try:
            return self(value)
        except (TypeError, ValueError):
            return None

    def __repr__(self) -> str:
        return f"BoundedInt({self.low}, {self.high})"


ID = BoundedInt(1, MAX_ID)
PAGE = BoundedInt(1, 1_000_000)
YEAR = BoundedInt(2000, 2100)
COUNT = BoundedInt(0, 1_000_000)  # days, minutes and other small quantities


def page_arg(name: str = "page") -> int:
    """The page number from the query string: 1 when missing, malformed or out of range."""
    return request.args.get(name, 1, type=PAGE)


def id_value(value: object) -> int | None:
    """An id from a form value or select choice ('' and anything else not an id → None)."""
    return ID.parse(value)
