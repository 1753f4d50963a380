"""The surveys blueprint, shared by the HR pages (`routes`) and answering by link (`answer_routes`)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import get_locale

bp = Blueprint("surveys", __name__)


def lang() -> str:
    return str(get_locale() or "id")
