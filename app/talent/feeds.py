"""Performance figures other features compare over time (evaluation's level 4)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.talent.models import Predikat, SkpPeriod, SkpRating

# The predikat as a number, so that changes can be averaged (5 = Sangat Baik … 1 = Sangat Kurang).
PREDIKAT_SCORE = {
    Predikat.SANGAT_BAIK: 5,
    Predikat.BAIK: 4,
    Predikat.BUTUH_PERBAIKAN: 3,
    Predikat.KURANG: 2,
    Predikat.SANGAT_KURANG: 1,
}


def annual_scores(instansi_id: int, years: tuple[int, ...]) -> dict[tuple[int, int], int]:
    """(employee, year) → the annual SKP predikat as 1–5, for one instansi: one query."""
    rows = db.session.execute(
        select(SkpRating.employee_id, SkpRating.year, SkpRating.predikat).where(
            SkpRating.instansi_id == instansi_id,
            SkpRating.period == SkpPeriod.ANNUAL,
            SkpRating.year.in_(years),
        )
    )
    return {(e, y): PREDIKAT_SCORE[Predikat(p)] for e, y, p in rows}
