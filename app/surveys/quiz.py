"""Scores of scored items (pre/post tests): pure functions of a definition and its answers.

API for other features (evaluation's pre/post tests)::

    from app.surveys.quiz import score_answers, QuizResult
    result = score_answers(definition, answers)   # None when the form has no scored item
    result.score, result.total, result.percent, result.passed, result.items

``answers`` maps field paths to values as the engine stores them: a code (``single``), a list of
codes or one code per line (``multiple``, as in ``Answer.value_text``), a number or its text
(``integer``/``decimal``), a text. Unanswered and irrelevant items earn 0 but still count in the
total, so every respondent of one version is scored out of the same total. ``passed`` is None
when the definition has no pass mark. Scores are always recomputed from the raw answers, never
stored, so a corrected key re-scores every response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.surveys.definition import Definition, Item


@dataclass(frozen=True)
class ItemScore:
    """One scored item of one response."""

    item_id: str
    points: float
    max_points: float
    answered: bool
    correct: bool  # earned the item's maximum


@dataclass(frozen=True)
class QuizResult:
    """A response's score; ``percent`` is 0..100 (0 when the total is 0)."""

    score: float
    total: float
    pass_mark: float | None
    items: tuple[ItemScore, ...]

    @property
    def percent(self) -> float:
        """Score as a percentage of the total, rounded to one decimal."""
        return round(100 * self.score / self.total, 1) if self.total else 0.0

    @property
    def passed(self) -> bool | None:
        """Whether the score reaches the pass mark (None without a pass mark)."""
        if self.pass_mark is None:
            return None
        return self.score + 1e-9 >= self.pass_mark


def _codes(value: object) -> list[str]:
    """Chosen codes of a stored answer (list, one per line, or one code)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v)]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _number(value: object) -> float | None:
    """A stored number or its text (comma decimals accepted)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None


def _is_correct(item: Item, value: object) -> bool:
    """Whether an answer equals the item's correct answer exactly."""
    if item.type in ("single", "multiple"):
        return set(_codes(value)) == set(item.correct)
    if item.type in ("integer", "decimal"):
        number = _number(value)
        return number is not None and abs(number - float(item.correct[0])) < 1e-9
    return str(value).strip().casefold() == item.correct[0].casefold()


def score_item(item: Item, value: object) -> ItemScore:
    """Points one answer earns on one scored item."""
    maximum = item.max_points
    answered = value not in (None, "", [], ())
    if not answered:
        return ItemScore(item.id, 0.0, maximum, False, False)
    if item.correct:
        right = _is_correct(item, value)
        return ItemScore(item.id, maximum if right else 0.0, maximum, True, right)
    chosen = set(_codes(value))
    points = sum(c.points or 0.0 for c in item.choices if c.code in chosen)
    points = max(0.0, points)
    return ItemScore(item.id, points, maximum, True, abs(points - maximum) < 1e-9)


def score_answers(definition: Definition, answers: Mapping[str, object]) -> QuizResult | None:
    """The score of one response; None when the definition has no scored item."""
    scored = definition.scored_items
    if not scored:
        return None
    items = tuple(score_item(item, answers.get(item.id)) for item in scored)
    quiz = definition.quiz
    total = quiz.total if quiz is not None else sum(item.max_points for item in scored)
    return QuizResult(
        score=round(sum(s.points for s in items), 6),
        total=total,
        pass_mark=quiz.pass_mark if quiz is not None else None,
        items=items,
    )


def shows_result(definition: Definition) -> bool:
    """Whether the respondent sees the score after submitting."""
    return definition.quiz is not None and definition.quiz.show_result
