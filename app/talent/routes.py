"""Performance and careers: SKP, potential and the 9-box, targets, IDP, pool and succession.

The routes live in one module per area; importing them registers them on `bp`.
"""

from __future__ import annotations

from app.talent import box_routes, career_routes, skp_routes  # noqa: F401
from app.talent.web import bp

__all__ = ["bp"]
