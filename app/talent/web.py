"""The talent blueprint and the small request helpers its route modules share."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request

from app.access.guards import current_principal
from app.clock import local_today
from app.org.models import Instansi
from app.training.policy import Acting, acting_for
from app.web.params import ID, YEAR

bp = Blueprint("talent", __name__, url_prefix="/talent")


def today() -> date:
    return local_today()


def chosen_year(default: int | None = None) -> int:
    """?year=, kept between 2000 and 2100; otherwise `default` or this year."""
    fallback = default or today().year
    year = request.args.get("year", type=YEAR) or fallback
    return year if 2000 <= year <= 2100 else fallback


def current_acting() -> Acting:
    """The signed-in user with every position held or acted for (Plt/Plh) today."""
    return acting_for(current_principal(), today())


def pick_instansi(options: list[Instansi]) -> Instansi:
    """The instansi named by ?instansi= among `options`, else the first; 403 without any."""
    wanted = request.args.get("instansi", type=ID)
    chosen = next((i for i in options if i.id == wanted), options[0] if options else None)
    if chosen is None:
        abort(403)
    return chosen
