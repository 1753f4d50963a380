"""QR codes as SVG images (no inline style or script: the CSP stays strict)."""

from __future__ import annotations

import io

import segno
from flask import Response


def qr_svg_response(data: str, *, private: bool = False) -> Response:
    """The QR code of `data`; `private` ones (a TOTP secret) are never cached."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title="QR"
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response
