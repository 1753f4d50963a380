"""Hand-computed worked examples of every formula (plain Python reference)."""

from __future__ import annotations

import pytest

from app.needs import formulas
from app.needs.scoring_plan import BandSpec

BANDS = [
    BandSpec("high", 2, None, {"en": "High"}),
    BandSpec("medium", 1, 2, {"en": "Medium"}),
    BandSpec("meets", -4, 1, {"en": "Meets"}),
]


def test_blended_level_weights_rater_groups():
    # self 4, supervisor 2, peers 3/4/2 (mean 3); weights 0.2/0.5/0.3
    groups = [
        formulas.GroupMean("self", 4, 1, 0.2),
        formulas.GroupMean("supervisor", 2, 1, 0.5),
        formulas.GroupMean("peer", formulas.group_mean([3, 4, 2]), 3, 0.3, min_group=3),
    ]
    assert formulas.blended_level(groups) == pytest.approx(0.8 + 1.0 + 0.9)  # 2.7
    assert formulas.regulatory_gap(3, 2.7) == pytest.approx(0.3)
    assert formulas.priority(0.3, 4.5) == pytest.approx(1.35)


def test_a_missing_group_drops_out_and_weights_renormalise():
    groups = [formulas.GroupMean("self", 4, 1, 0.2), formulas.GroupMean("peer", 3, 3, 0.3)]
    assert formulas.blended_level(groups) == pytest.approx((0.8 + 0.9) / 0.5)  # 3.4
    assert formulas.effective_weights(groups) == pytest.approx({"self": 0.4, "peer": 0.6})


def test_a_group_below_its_minimum_size_is_left_out():
    groups = [
        formulas.GroupMean("self", 4, 1, 0.2),
        formulas.GroupMean("supervisor", 2, 1, 0.5),
        formulas.GroupMean("peer", 5, 2, 0.3, min_group=3),
    ]
    assert formulas.blended_level(groups) == pytest.approx(1.8 / 0.7)
    assert formulas.blended_level([]) is None


def test_a_group_whose_answers_were_all_ignored_is_left_out():
    # A stored rater score keeps mean_level NULL when every answer was ignored; such a group
    # is never blended, whatever its minimum size (the same rule as its `used` column).
    groups = [
        formulas.GroupMean("self", 4, 1, 0.2),
        formulas.GroupMean("supervisor", None, 0, 0.5, min_group=0),
    ]
    assert not groups[1].used
    assert formulas.blended_level(groups) == pytest.approx(4)
    assert formulas.effective_weights(groups) == pytest.approx({"self": 1.0})


def test_hennessy_hicks_difference_of_means_over_paired_answers():
    pairs = [(5, 2), (4, 3), (3, 3), (5, None)]  # the last respondent skipped performance
    assert formulas.hennessy_hicks(pairs) == pytest.approx(4 - 8 / 3)  # 1.3333
    assert formulas.hennessy_hicks([(None, 2)]) is None


def test_borich_mean_weighted_discrepancy_score():
    pairs = [(5, 2), (4, 3), (3, 3)]  # mean R = 4, discrepancies 3, 1, 0
    assert formulas.borich_mwds(pairs) == pytest.approx(4 * 4 / 3)  # 5.3333


def test_priority_product_reverse_codes_performance():
    pairs = [(5, 2), (4, 3), (3, 3)]  # 5×4, 4×3, 3×3 on a 1–5 scale
    assert formulas.priority_product(pairs, 1, 5) == pytest.approx(41 / 3)


def test_mean_and_levels_from_other_scales():
    assert formulas.mean([4, 5, 3]) == 4
    assert formulas.mean([]) is None
    assert formulas.to_level(7, 1, 7) == 5
    assert formulas.to_level(4, 1, 7) == pytest.approx(3)


def test_job_person_match_caps_each_competency_at_its_standard():
    pairs = [(2.7, 3), (4, 3), (1.5, 2), (None, 3), (4, None)]
    assert formulas.job_person_match(pairs) == pytest.approx(100 * 7.2 / 8)  # 90 %
    assert formulas.job_person_match([]) is None


@pytest.mark.parametrize(
    ("jpm", "category"),
    [(80, "meets"), (79.99, "still_meets"), (68, "still_meets"), (67.9, "below"), (None, None)],
)
def test_jpm_categories(jpm, category):
    assert formulas.jpm_category(jpm) == category


def test_bands_are_half_open_and_first_match_wins():
    assert formulas.band(2, BANDS) == "high"
    assert formulas.band(1.99, BANDS) == "medium"
    assert formulas.band(0.3, BANDS) == "meets"
    assert formulas.band(-5, BANDS) is None
    assert formulas.band(None, BANDS) is None


def test_nearest_importance_walks_up_the_tree():
    by_unit = {1: ("/1/", 4.0), 7: ("/1/5/7/", 3.0)}
    assert formulas.nearest_importance("/1/5/7/9/", by_unit, 2.0) == 3.0
    assert formulas.nearest_importance("/1/6/", by_unit, 2.0) == 4.0
    assert formulas.nearest_importance("/2/", by_unit, 2.0) == 2.0
