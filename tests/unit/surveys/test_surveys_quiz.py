"""Scored items: correct answers, choice points, total, pass mark; loader errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from app.surveys.definition import ERROR, DefinitionError
from app.surveys.quiz import score_answers, shows_result

L = {"id": "Soal", "en": "Question"}


def choice(code: str, points: float | None = None) -> dict[str, Any]:
    """A choice, with points when given."""
    out: dict[str, Any] = {"code": code, "label": {"id": code.upper(), "en": code.upper()}}
    if points is not None:
        out["points"] = points
    return out


def quiz_items() -> list[dict[str, Any]]:
    """Four scored items of every kind and one unscored."""
    return [
        {
            "id": "q1",
            "type": "single",
            "label": L,
            "choices": [choice("a"), choice("b"), choice("c")],
            "correct": "b",
        },
        {
            "id": "q2",
            "type": "multiple",
            "label": L,
            "choices": [choice("a"), choice("b"), choice("c")],
            "correct": ["a", "c"],
            "points": 2,
        },
        {
            "id": "q3",
            "type": "single",
            "label": L,
            "choices": [choice("x", 0), choice("y", 1), choice("z", 3)],
        },
        {"id": "q4", "type": "integer", "label": L, "correct": 12},
        {"id": "q5", "type": "text", "label": L, "correct": "Jakarta"},
        {"id": "nama", "type": "text", "label": L},
    ]


def load_quiz(sv: SimpleNamespace, **quiz: Any) -> Any:
    """A one-page definition with the quiz items and a quiz block."""
    return sv.load(sv.one_page(*quiz_items(), quiz=quiz or {"pass_mark": 5}))


def problems(sv: SimpleNamespace, data: dict[str, Any]) -> list[str]:
    """Error lines of a definition that must fail."""
    with pytest.raises(DefinitionError) as info:
        sv.load(data)
    return [f"{p.item}: {p.reason}" for p in info.value.problems if p.severity == ERROR]


class TestScoring:
    def test_total_is_the_sum_of_item_maximums(self, sv: SimpleNamespace) -> None:
        definition = load_quiz(sv, pass_mark=5, show_result=True)
        assert [i.id for i in definition.scored_items] == ["q1", "q2", "q3", "q4", "q5"]
        assert definition.quiz.total == 1 + 2 + 3 + 1 + 1
        assert shows_result(definition)

    def test_all_right_earns_the_total(self, sv: SimpleNamespace) -> None:
        definition = load_quiz(sv)
        answers = {"q1": "b", "q2": ["c", "a"], "q3": "z", "q4": 12, "q5": " jakarta ", "nama": "x"}
        result = score_answers(definition, answers)
        assert result is not None
        assert (result.score, result.total, result.percent, result.passed) == (8, 8, 100.0, True)
        assert all(s.correct for s in result.items)

    def test_partial_and_missing_answers(self, sv: SimpleNamespace) -> None:
        definition = load_quiz(sv)
        result = score_answers(definition, {"q1": "a", "q2": "a\nc", "q3": "y"})
        assert result is not None
        by_item = {s.item_id: s for s in result.items}
        assert by_item["q1"].points == 0 and by_item["q1"].answered
        assert by_item["q2"].points == 2  # one code per line, as Answer.value_text stores it
        assert by_item["q3"].points == 1 and not by_item["q3"].correct
        assert not by_item["q4"].answered and by_item["q4"].points == 0
        assert (result.score, result.passed) == (3, False)

    def test_multiple_needs_exactly_the_correct_set(self, sv: SimpleNamespace) -> None:
        definition = load_quiz(sv)
        result = score_answers(definition, {"q2": ["a", "b", "c"]})
        assert result is not None and result.items[1].points == 0

    def test_pass_percent_becomes_points(self, sv: SimpleNamespace) -> None:
        definition = load_quiz(sv, pass_percent=75)
        assert definition.quiz.pass_mark == 6
        result = score_answers(definition, {"q1": "b", "q2": ["a", "c"], "q3": "z"})
        assert result is not None and result.score == 6 and result.passed

    def test_scored_items_without_a_quiz_block(self, sv: SimpleNamespace) -> None:
        definition = sv.load(sv.one_page(*quiz_items()))
        result = score_answers(definition, {"q1": "b"})
        assert result is not None and result.total == 8 and result.passed is None
        assert not shows_result(definition)

    def test_no_scored_item_gives_none(self, sv: SimpleNamespace) -> None:
        assert score_answers(sv.load(sv.data()), {}) is None

    def test_negative_choice_points_never_go_below_zero(self, sv: SimpleNamespace) -> None:
        item = {
            "id": "m",
            "type": "multiple",
            "label": L,
            "choices": [choice("a", 2), choice("b", -3), choice("c", 1)],
        }
        definition = sv.load(sv.one_page(item))
        assert definition.item("m").max_points == 3
        result = score_answers(definition, {"m": ["a", "b"]})
        assert result is not None and result.score == 0


class TestLoaderErrors:
    def test_correct_must_be_a_choice(self, sv: SimpleNamespace) -> None:
        items = quiz_items()
        items[0]["correct"] = "d"
        assert "q1: correct answer 'd' is not one of the choices" in problems(
            sv, sv.one_page(*items)
        )

    def test_single_takes_one_correct_answer(self, sv: SimpleNamespace) -> None:
        items = quiz_items()
        items[0]["correct"] = ["a", "b"]
        assert "q1: only multiple items take a list of correct answers" in problems(
            sv, sv.one_page(*items)
        )

    def test_correct_and_choice_points_conflict(self, sv: SimpleNamespace) -> None:
        items = quiz_items()
        items[2]["correct"] = "z"
        assert "q3: give either 'correct' or points on the choices, not both" in problems(
            sv, sv.one_page(*items)
        )

    def test_points_without_correct(self, sv: SimpleNamespace) -> None:
        item = {"id": "t", "type": "text", "label": L, "points": 2}
        assert any("points without 'correct'" in p for p in problems(sv, sv.one_page(item)))

    def test_integer_correct_must_be_whole(self, sv: SimpleNamespace) -> None:
        item = {"id": "n", "type": "integer", "label": L, "correct": "1.5"}
        assert "n: correct answer '1.5' is not a whole number" in problems(sv, sv.one_page(item))

    def test_pass_mark_above_total(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(*quiz_items(), quiz={"pass_mark": 9})
        assert "quiz: pass_mark must be above 0 and at most the total 8" in problems(sv, data)

    def test_quiz_without_scored_items(self, sv: SimpleNamespace) -> None:
        data = sv.data(quiz={"show_result": True})
        assert any("needs at least one scored item" in p for p in problems(sv, data))

    def test_unknown_quiz_key_and_show_correct_alone(self, sv: SimpleNamespace) -> None:
        data = sv.one_page(*quiz_items(), quiz={"show_correct": True, "passmark": 3})
        lines = problems(sv, data)
        assert "quiz: unknown key 'passmark'" in lines
        assert "quiz: show_correct needs show_result: true" in lines

    def test_correct_on_a_date_item_is_an_unknown_key(self, sv: SimpleNamespace) -> None:
        item = {"id": "d", "type": "date", "label": L, "correct": "2024-01-01"}
        assert any("'correct' does not apply" in p for p in problems(sv, sv.one_page(item)))


QUIZ_MD = """\
| survey |
|        | type                | name | label     | correct | points |
|        | select_one abc      | q1   | Pick b    | b       | 2      |
|        | select_multiple abc | q2   | Pick a, c | a c     |        |
|        | integer             | q3   | 6 x 2     | 12      |        |
|        | select_one pts      | q4   | Best      |         |        |
| choices |
|         | list_name | name | label | points |
|         | abc       | a    | A     |        |
|         | abc       | b    | B     |        |
|         | abc       | c    | C     |        |
|         | pts       | x    | X     | 0      |
|         | pts       | y    | Y     | 3      |
| settings |
|          | form_title | form_id | pass_percent | show_result |
|          | Quiz       | quiz    | 50           | yes         |
"""


def test_xlsform_columns_import_as_a_quiz(tmp_path: Any) -> None:
    from app.surveys.definition import definition_from_data
    from app.surveys.xlsform import convert_xlsform

    path = tmp_path / "quiz.md"
    path.write_text(QUIZ_MD, encoding="utf-8")
    result = convert_xlsform(path)
    assert not result.errors, [str(i) for i in result.issues]
    definition, _ = definition_from_data(result.data)
    assert definition is not None and definition.quiz is not None
    assert (definition.quiz.total, definition.quiz.pass_mark) == (2 + 1 + 1 + 3, 3.5)
    assert definition.quiz.show_result
    scored = score_answers(definition, {"q1": "b", "q2": ["a", "c"], "q4": "x"})
    assert scored is not None and scored.score == 3 and not scored.passed
