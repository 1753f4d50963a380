"""Full page for browsers and history restores; one named block for targeted htmx swaps."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from jinja2_fragments.flask import render_block


def is_partial() -> bool:
    """htmx 4 marks targeted requests `HX-Request-Type: partial` (history restores are `full`)."""
    return request.headers.get("HX-Request-Type") == "partial"


def render_page(template: str, block: str, **context: Any) -> str:
    """Render the whole page, or only `block` when htmx asked for a partial swap."""
    if is_partial():
        return render_block(template, block, **context)
    return render_template(template, **context)
