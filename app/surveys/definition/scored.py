"""Loader part for scored items (pre/post tests) and the top-level ``quiz`` block.

An item is scored in one of two ways:

* ``correct``: the correct answer (a choice code, a list of codes for ``multiple``, a number for
  ``integer``/``decimal``, a text for ``text``); the item earns ``points`` (default 1) when the
  answer equals it exactly (all codes and no others for ``multiple``; texts compared trimmed
  and case-insensitively), else 0;
* ``points`` on choices: the item earns the points of the chosen choice (``single``) or the sum
  over the chosen choices (``multiple``; negative points are allowed and the item never goes
  below 0).

``quiz: {pass_mark: 7 | pass_percent: 70, show_result: true, show_correct: false}`` sets the pass
mark and whether the respondent sees the score after submitting. A ``quiz`` block needs at least
one scored item; scored items without a ``quiz`` block are still scored (no pass mark, result not
shown).
"""

from __future__ import annotations

from typing import Any

from app.surveys.definition.base import LoaderBase
from app.surveys.definition.model import Choice, Item, Quiz
from app.surveys.definition.yaml_source import _yaml_repr

_QUIZ_KEYS = ("pass_mark", "pass_percent", "show_result", "show_correct")


class ScoredLoader(LoaderBase):
    """Validates ``correct``/``points`` on items and choices, and the ``quiz`` block."""

    def scored(
        self, spec: dict[str, Any], where: str, item_type: str, choices: tuple[Choice, ...]
    ) -> tuple[tuple[str, ...], float | None]:
        """The item's correct answer(s) and points; errors for answers that cannot be right."""
        points = None
        if "points" in spec:
            points = self.number(spec["points"], where, "points")
            if points is not None and points <= 0:
                self.error(where, "points must be greater than 0")
                points = None
        if "correct" not in spec:
            if "points" in spec:
                self.error(where, "points without 'correct' (put points on the choices instead)")
            return (), None
        raw = spec["correct"]
        if any(c.points is not None for c in choices):
            self.error(where, "give either 'correct' or points on the choices, not both")
            return (), None
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            self.error(where, "correct must not be empty")
            return (), None
        if len(values) > 1 and item_type != "multiple":
            self.error(where, "only multiple items take a list of correct answers")
            return (), None
        out: list[str] = []
        for value in values:
            if isinstance(value, bool) or value is None or isinstance(value, list | dict):
                self.error(where, f"correct answer `{_yaml_repr(value)}` is not a code or value")
                return (), None
            text = str(value).strip()
            if item_type in ("single", "multiple"):
                if not any(c.code == text for c in choices):
                    self.error(where, f"correct answer '{text}' is not one of the choices")
                    return (), None
            elif item_type in ("integer", "decimal"):
                try:
                    number = float(text.replace(",", "."))
                except ValueError:
                    self.error(where, f"correct answer '{text}' is not a number")
                    return (), None
                if item_type == "integer" and not number.is_integer():
                    self.error(where, f"correct answer '{text}' is not a whole number")
                    return (), None
            if text in out:
                self.error(where, f"correct answer '{text}' is listed twice")
                return (), None
            out.append(text)
        return tuple(out), points

    def load_quiz(self, value: object, items: dict[str, Item]) -> Quiz | None:
        """The quiz block; the total is the sum of every scored item's maximum."""
        data = self.mapping(value, "quiz", "quiz")
        if data is None:
            return None
        self.keys(data, "quiz", _QUIZ_KEYS)
        scored = [item for item in items.values() if item.is_scored]
        total = sum(item.max_points for item in scored)
        if not scored:
            self.error("quiz", "a quiz needs at least one scored item (correct or choice points)")
        elif total <= 0:
            self.error("quiz", "the scored items can earn no points (total is 0)")
        if "pass_mark" in data and "pass_percent" in data:
            self.error("quiz", "give either pass_mark (points) or pass_percent, not both")
        pass_mark = None
        if "pass_mark" in data:
            pass_mark = self.number(data["pass_mark"], "quiz", "pass_mark")
            if pass_mark is not None and not 0 < pass_mark <= total:
                self.error("quiz", f"pass_mark must be above 0 and at most the total {total:g}")
        elif "pass_percent" in data:
            percent = self.number(data["pass_percent"], "quiz", "pass_percent")
            if percent is not None and not 0 < percent <= 100:
                self.error("quiz", "pass_percent must be above 0 and at most 100")
            elif percent is not None:
                pass_mark = round(total * percent / 100, 6)
        show_result = self.boolean(data.get("show_result", False), "quiz", "show_result")
        show_correct = self.boolean(data.get("show_correct", False), "quiz", "show_correct")
        if show_correct and not show_result:
            self.error("quiz", "show_correct needs show_result: true")
        return Quiz(
            total=total, pass_mark=pass_mark, show_result=show_result, show_correct=show_correct
        )
