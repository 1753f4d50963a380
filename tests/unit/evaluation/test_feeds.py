"""What the evaluation feeds to the plan and the optimiser: review flags with their reasons,
and the measured L2 effect per form, checked against hand computation."""

from __future__ import annotations

import pytest

from app.evaluation.feeds import measured_effects, normalised_gain, review_flags
from app.evaluation.models import EvaluationSettings, Level
from app.evaluation.results import program_evaluation
from app.extensions import db
from app.training.attendance import programs
from tests.conftest import QueryCounter
from tests.unit.evaluation.factories import answer_tests, level_invitations, rated_program

LOW = {
    "materi.relevan_tugas": 2,
    "pengajar.menguasai": 4,
    "relevansi_pekerjaan": 3,
    "kepuasan_umum": 2,
    "saran_perbaikan": "Materi kurang sesuai tugas",
}


def test_a_program_below_its_threshold_is_flagged_with_its_reasons(ctx, world):
    event = rated_program(world, [LOW] * 5)
    flags = review_flags([event.program_id])
    flag = flags[event.program_id]
    # aspects: material 2, instructor 4, relevance 3, overall 2 → (2 + 4 + 3 + 2) / 4 = 2.75
    assert flag.satisfaction == 2.75 and flag.responses == 5 and flag.threshold == 3.5
    assert [key for key, _label, _value in flag.reasons] == ["material", "overall"]
    assert flag.comments == ("Materi kurang sesuai tugas",) * 3
    # the same verdict as the program's evaluation page
    info = programs(world.a.id, event.program_id)[0]
    assert program_evaluation(info).flagged and program_evaluation(info).reaction.overall == 2.75


def test_no_flag_below_the_privacy_threshold_or_above_the_threshold(ctx, world):
    few = rated_program(world, [LOW] * 4, code="PP-02")
    good = rated_program(world, [{"materi.relevan_tugas": 5, "kepuasan_umum": 4}] * 5, "PP-03")
    assert review_flags([few.program_id, good.program_id]) == {}
    # a program's own, higher threshold flags a 4.5
    db.session.add(EvaluationSettings(program_id=good.program_id, flag_threshold=4.6))
    db.session.commit()
    assert review_flags([good.program_id])[good.program_id].satisfaction == 4.5
    assert review_flags([]) == {}


def test_flags_take_the_same_statements_for_one_or_many_programs(app, ctx, world):
    one = [rated_program(world, [LOW] * 5, code="PP-10").program_id]
    with QueryCounter(app) as small:
        assert len(review_flags(one)) == 1
    many = one + [rated_program(world, [LOW] * 5, code=f"PP-2{n}").program_id for n in range(4)]
    with QueryCounter(app) as large:
        assert len(review_flags(many)) == 5
    assert large.count == small.count <= 5


def test_normalised_gain_by_hand():
    assert normalised_gain(20, 60) == pytest.approx(0.5)  # 40 of the 80 points left
    assert normalised_gain(50, 40) == pytest.approx(-0.2)
    assert normalised_gain(100, 100) is None


# q1, q2, q4 are worth one point each, q3 two: 5 in all
PRE = [
    {"q1": "a"},
    {"q1": "b"},
    {"q1": "a", "q2": "a"},
    {"q1": "a"},
    {"q1": "c"},
]  # 20, 0, 40, 20, 0 %
POST = [
    {"q1": "a", "q2": "a", "q4": "b"},  # 60 %: (60-20)/80 = 0.5
    {"q1": "a", "q2": "a"},  # 40 %: 40/100 = 0.4
    {"q1": "a", "q2": "a", "q4": "b"},  # 60 %: 20/60 = 1/3
    {"q1": "a"},  # 20 %: 0
    {"q1": "a", "q2": "a", "q4": "b"},  # 60 %: 0.6
]


def test_measured_effect_is_the_mean_normalised_gain_of_the_form(ctx, world):
    event = rated_program(world, [{}] * 5, tests=True)
    assert len(level_invitations(event.id, Level.PRETEST)) == 5
    answer_tests(event.id, PRE, POST)
    effects = measured_effects(world.a.id)
    measured = effects["classical"]
    expected = (0.5 + 0.4 + 1 / 3 + 0 + 0.6) / 5
    assert measured.value == round(expected, 3) and measured.responses == 5
    assert measured.adoptable == round(expected, 2) and measured.programs == 1


def test_no_measured_effect_below_the_privacy_threshold(ctx, world):
    event = rated_program(world, [{}] * 4, tests=True)
    answer_tests(event.id, PRE, POST)
    assert measured_effects(world.a.id) == {}
