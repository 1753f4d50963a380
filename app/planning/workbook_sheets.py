"""Extra sheets other features add to the plan's XLSX, registered rather than imported.

A feature above or beside planning (the budget optimiser) calls `register(fill)` when it is
imported; the plan's XLSX export calls `fill_extra(book, revision)` after its own sheets, so
planning never imports that feature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SheetFiller = Callable[[Any, Any], None]  # (app.web.exports.Workbook, Revision)

FILLERS: dict[str, SheetFiller] = {}


def register(name: str, fill: SheetFiller) -> None:
    FILLERS[name] = fill


def fill_extra(book: Any, revision: Any) -> None:
    for name in sorted(FILLERS):
        FILLERS[name](book, revision)
