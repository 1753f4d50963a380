"""The predikat matrix and the 9-box: hand-worked cases and every combination, Python and SQL."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import literal, select

from app.extensions import db
from app.talent.matrix import (
    BOXES,
    POOL_BOXES,
    RECOMMENDATIONS,
    PotentialCategory,
    box_of,
    box_sql,
    performance_of,
    performance_sql,
    potential_category,
    potential_sql,
    predikat,
    predikat_sql,
)
from app.talent.models import Predikat, Rating

A, M, B = Rating.ABOVE, Rating.MEETS, Rating.BELOW

# Written out by hand from PermenPANRB 6/2022 Lampiran, row by row (hasil kerja, perilaku).
HAND_WORKED = [
    (A, A, Predikat.SANGAT_BAIK),
    (A, M, Predikat.BAIK),
    (A, B, Predikat.KURANG),
    (M, A, Predikat.BAIK),
    (M, M, Predikat.BAIK),
    (M, B, Predikat.KURANG),
    (B, A, Predikat.BUTUH_PERBAIKAN),
    (B, M, Predikat.BUTUH_PERBAIKAN),
    (B, B, Predikat.SANGAT_KURANG),
]


@pytest.mark.parametrize(("hasil", "perilaku", "expected"), HAND_WORKED)
def test_predikat_hand_worked(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected


@given(st.sampled_from(list(Rating)), st.sampled_from(list(Rating)))
def test_predikat_properties(hasil, perilaku):
    """Every combination has one predikat, and it follows the regulation's reading rules."""
    value = predikat(hasil, perilaku)
    assert value == dict(((h, p), e) for h, p, e in HAND_WORKED)[(hasil, perilaku)]
    if perilaku == B:  # misconduct dominates unless results are also below
        assert value == (Predikat.SANGAT_KURANG if hasil == B else Predikat.KURANG)
    elif hasil == B:
        assert value == Predikat.BUTUH_PERBAIKAN
    elif hasil == A and perilaku == A:
        assert value == Predikat.SANGAT_BAIK
    else:
        assert value == Predikat.BAIK


def test_sql_matrix_agrees_with_python(ctx):
    for hasil, perilaku in itertools.product(Rating, Rating):
        sql = db.session.scalar(select(predikat_sql(literal(hasil.value), literal(perilaku.value))))
        assert sql == predikat(hasil, perilaku).value


# Box numbers as in the guide's table: rows kinerja (above, meets, below), columns potential.
HAND_BOXES = {
    (A, "rendah"): 4, (A, "menengah"): 7, (A, "tinggi"): 9,
    (M, "rendah"): 2, (M, "menengah"): 5, (M, "tinggi"): 8,
    (B, "rendah"): 1, (B, "menengah"): 3, (B, "tinggi"): 6,
}  # fmt: skip


def test_boxes_hand_worked_and_sql(ctx):
    assert sorted(BOXES.values()) == list(range(1, 10))
    for (performance, potential), expected in HAND_BOXES.items():
        assert box_of(performance, PotentialCategory(potential)) == expected
        sql = db.session.scalar(select(box_sql(literal(performance.value), literal(potential))))
        assert sql == expected
    pool = {(A, "menengah"), (A, "tinggi"), (M, "tinggi")}  # above-and-not-low, or high-and-meets
    assert set(POOL_BOXES) == {b for key, b in BOXES.items() if key in pool}
    assert set(RECOMMENDATIONS) == set(range(1, 10))


def test_performance_axis_from_predikat(ctx):
    assert performance_of(Predikat.SANGAT_BAIK) == A
    assert performance_of(Predikat.BAIK) == M
    for value in (Predikat.BUTUH_PERBAIKAN, Predikat.KURANG, Predikat.SANGAT_KURANG):
        assert performance_of(value) == B
    for value in Predikat:
        assert db.session.scalar(select(performance_sql(literal(value.value)))) == (
            performance_of(value).value
        )


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_potential_cutoffs_are_half_open(score):
    category = potential_category(score, 78, 90)
    if score >= 90:
        assert category == PotentialCategory.HIGH
    elif score >= 78:
        assert category == PotentialCategory.MEDIUM
    else:
        assert category == PotentialCategory.LOW


def test_potential_sql_boundaries(ctx):
    for score, expected in (
        (77.99, "rendah"),
        (78, "menengah"),
        (89.99, "menengah"),
        (90, "tinggi"),
    ):
        assert db.session.scalar(select(potential_sql(literal(score), 78, 90))) == expected
    assert potential_category(78, 78, 90) == PotentialCategory.MEDIUM
