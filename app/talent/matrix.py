"""The two fixed rule tables: the SKP predikat matrix and the 9-box, in Python and in SQL.

Predikat (PermenPANRB 6/2022), hasil kerja × perilaku:

    hasil \\ perilaku   di bawah          sesuai            di atas
    di atas            Kurang/Misconduct Baik              Sangat Baik
    sesuai             Kurang/Misconduct Baik              Baik
    di bawah           Sangat Kurang     Butuh Perbaikan   Butuh Perbaikan

9-box (PermenPANRB 3/2020, numbering of the regional SIMPEG apps), kinerja × potensial:

    kinerja \\ potensial  rendah  menengah  tinggi
    di atas              4       7         9
    sesuai               2       5         8
    di bawah             1       3         6

The SQL versions are built from the same tables, so they cannot drift from the Python ones.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, case, literal

from app.talent.models import Predikat, Rating


class PotentialCategory(enum.StrEnum):
    LOW = "rendah"
    MEDIUM = "menengah"
    HIGH = "tinggi"


PREDIKAT_MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.ABOVE, Rating.BELOW): Predikat.KURANG,
    (Rating.ABOVE, Rating.MEETS): Predikat.BAIK,
    (Rating.ABOVE, Rating.ABOVE): Predikat.SANGAT_BAIK,
    (Rating.MEETS, Rating.BELOW): Predikat.KURANG,
    (Rating.MEETS, Rating.MEETS): Predikat.BAIK,
    (Rating.MEETS, Rating.ABOVE): Predikat.BAIK,
    (Rating.BELOW, Rating.BELOW): Predikat.SANGAT_KURANG,
    (Rating.BELOW, Rating.MEETS): Predikat.BUTUH_PERBAIKAN,
    (Rating.BELOW, Rating.ABOVE): Predikat.BUTUH_PERBAIKAN,
}

# The performance axis of the 9-box read from the predikat: Sangat Baik is above expectations,
# Baik meets them, the other three are below (as the regional SIMPEG apps do).
PERFORMANCE_OF_PREDIKAT: dict[Predikat, Rating] = {
    Predikat.SANGAT_BAIK: Rating.ABOVE,
    Predikat.BAIK: Rating.MEETS,
    Predikat.BUTUH_PERBAIKAN: Rating.BELOW,
    Predikat.KURANG: Rating.BELOW,
    Predikat.SANGAT_KURANG: Rating.BELOW,
}

BOXES: dict[tuple[Rating, PotentialCategory], int] = {
    (Rating.ABOVE, PotentialCategory.LOW): 4,
    (Rating.ABOVE, PotentialCategory.MEDIUM): 7,
    (Rating.ABOVE, PotentialCategory.HIGH): 9,
    (Rating.MEETS, PotentialCategory.LOW): 2,
    (Rating.MEETS, PotentialCategory.MEDIUM): 5,
    (Rating.MEETS, PotentialCategory.HIGH): 8,
    (Rating.BELOW, PotentialCategory.LOW): 1,
    (Rating.BELOW, PotentialCategory.MEDIUM): 3,
    (Rating.BELOW, PotentialCategory.HIGH): 6,
}
BOX_POSITION: dict[int, tuple[Rating, PotentialCategory]] = {box: key for key, box in BOXES.items()}
POOL_BOXES = (7, 8, 9)  # the priority boxes that form the talent pool and succession groups

RECOMMENDATIONS: dict[int, tuple[object, ...]] = {
    9: (_l("Promote and retain"), _l("Succession group"), _l("Award")),
    8: (
        _l("Retain"),
        _l("Succession group"),
        _l("Rotation or job enlargement"),
        _l("Performance coaching"),
    ),
    7: (
        _l("Retain"),
        _l("Succession group"),
        _l("Rotation"),
        _l("Competency development"),
        _l("Study assignment (tugas belajar)"),
    ),
    6: (_l("Suitable placement"), _l("Performance coaching and counselling")),
    5: (_l("Suitable placement"), _l("Coaching"), _l("Competency development")),
    4: (_l("Rotation"), _l("Competency development")),
    3: (_l("Coaching"), _l("Counselling"), _l("Development"), _l("Placement")),
    2: (_l("Coaching"), _l("Development"), _l("Placement")),
    1: (_l("Handled under the applicable rules"),),
}

RATING_LABELS: dict[Rating, object] = {
    Rating.ABOVE: _l("Above expectations"),
    Rating.MEETS: _l("Meets expectations"),
    Rating.BELOW: _l("Below expectations"),
}
PREDIKAT_LABELS: dict[Predikat, object] = {
    Predikat.SANGAT_BAIK: _l("Very good (Sangat Baik)"),
    Predikat.BAIK: _l("Good (Baik)"),
    Predikat.BUTUH_PERBAIKAN: _l("Needs improvement (Butuh Perbaikan)"),
    Predikat.KURANG: _l("Poor/Misconduct (Kurang)"),
    Predikat.SANGAT_KURANG: _l("Very poor (Sangat Kurang)"),
}
POTENTIAL_LABELS: dict[PotentialCategory, object] = {
    PotentialCategory.LOW: _l("Low potential"),
    PotentialCategory.MEDIUM: _l("Medium potential"),
    PotentialCategory.HIGH: _l("High potential"),
}


def predikat(hasil_kerja: Rating, perilaku: Rating) -> Predikat:
    """The predikat of an SKP: never typed, always read from the matrix."""
    return PREDIKAT_MATRIX[(Rating(hasil_kerja), Rating(perilaku))]


def performance_of(value: Predikat) -> Rating:
    return PERFORMANCE_OF_PREDIKAT[Predikat(value)]


def potential_category(score: float, medium_from: float, high_from: float) -> PotentialCategory:
    if score >= high_from:
        return PotentialCategory.HIGH
    if score >= medium_from:
        return PotentialCategory.MEDIUM
    return PotentialCategory.LOW


def box_of(performance: Rating, potential: PotentialCategory) -> int:
    return BOXES[(Rating(performance), PotentialCategory(potential))]


def predikat_sql(hasil: ColumnElement[str], perilaku: ColumnElement[str]) -> ColumnElement[str]:
    """The matrix as one CASE over the two rating columns."""
    return case(
        *[
            (and_(hasil == h.value, perilaku == p.value), literal(value.value))
            for (h, p), value in PREDIKAT_MATRIX.items()
        ],
        else_=None,
    )


def performance_sql(predikat_column: ColumnElement[str]) -> ColumnElement[str]:
    return case(
        {p.value: r.value for p, r in PERFORMANCE_OF_PREDIKAT.items()},
        value=predikat_column,
        else_=None,
    )


def potential_sql(
    score: ColumnElement[float], medium_from: float, high_from: float
) -> ColumnElement[str]:
    return case(
        (score.is_(None), None),
        (score >= high_from, PotentialCategory.HIGH.value),
        (score >= medium_from, PotentialCategory.MEDIUM.value),
        else_=PotentialCategory.LOW.value,
    )


def box_sql(performance: ColumnElement[str], potential: ColumnElement[str]) -> ColumnElement[int]:
    """Nested simple CASEs: each argument is evaluated once per row, not once per box."""
    return case(
        {
            r.value: case(
                {c.value: box for (row, c), box in BOXES.items() if row == r},
                value=potential,
                else_=None,
            )
            for r in Rating
        },
        value=performance,
        else_=None,
    )
