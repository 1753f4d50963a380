"""How long a survey takes: the "± 6 menit" on its first page and in the invitation mail.

The rule, in seconds, for the questions a respondent will see:

============================  ==========================================
note (text to read)           5
single choice, rating         10, 8
multiple choice               15
integer, decimal, date        10
text (one line)               20
textarea (free text)          60
matrix                        6 per cell (rows × columns)
calculated value              0 (nothing to answer)
any other type                10
each page                     5 (reading its title, turning it)
============================  ==========================================

Which questions count is decided with what is known before the respondent starts (the
invitation's prefill: stakeholder group, rater role; or the answers of a draft):

* a question (or page) shown under those answers counts fully;
* one hidden by a condition that refers to a question not yet answered counts half (it may
  open, as "name of your institution" does for academics);
* one hidden by a condition decided by the known answers does not count;
* a repeated page counts its minimum number of instances, at least one.

The total is rounded up to whole minutes, never below one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.surveys.definition import Definition, Item
from app.surveys.expressions import Expression
from app.surveys.logic import FormState

SECONDS = {
    "note": 5,
    "single": 10,
    "rating": 8,
    "multiple": 15,
    "integer": 10,
    "decimal": 10,
    "date": 10,
    "text": 20,
    "textarea": 60,
    "calculate": 0,
}
OTHER_TYPE_SECONDS = 10
MATRIX_CELL_SECONDS = 6
PAGE_SECONDS = 5


def item_seconds(item: Item) -> int:
    """Seconds to read and answer one question of its type."""
    if item.is_calculated:
        return 0
    if item.type == "matrix":
        return MATRIX_CELL_SECONDS * len(item.rows) * max(len(item.columns), 1)
    return SECONDS.get(item.type, OTHER_TYPE_SECONDS)


def _weight(condition: Expression | None, shown: bool, known: Mapping[str, object]) -> float:
    """1 shown, 0.5 hidden for now (it depends on an unanswered question), 0 hidden for good."""
    if shown or condition is None:
        return 1.0 if shown else 0.0
    decided = all(_known(known, path) for path in condition.references)
    return 0.0 if decided else 0.5


def _known(answers: Mapping[str, object], path: str) -> bool:
    value = answers.get(path)
    return value is not None and value != "" and value != []


def estimate_seconds(
    definition: Definition, state: FormState, known: Mapping[str, object]
) -> float:
    """Seconds the survey takes, by the rule above; ``state`` evaluates ``known``."""
    total = 0.0
    for page in definition.pages:
        page_state = state.page(page.id)
        page_weight = _weight(page.relevant, page_state.relevant, known)
        if not page_weight:
            continue
        visible = {item.id for item in page_state.visible_items}
        instances = max(page.repeat.min, 1) if page.repeat is not None else 1
        seconds = float(PAGE_SECONDS)
        for item in page.items:
            # Inside a page hidden for now (the page's weight counts the doubt) or a repeat not
            # yet added to, an unconditional question is one the respondent will see.
            unconditional = item.relevant is None and (page_weight < 1 or bool(page.repeat))
            shown = item.id in visible or unconditional
            seconds += _weight(item.relevant, shown, known) * item_seconds(item)
        total += page_weight * instances * seconds
    return total


def estimate_minutes(definition: Definition, state: FormState, known: Mapping[str, object]) -> int:
    """Whole minutes, rounded up, at least one."""
    return max(1, math.ceil(estimate_seconds(definition, state, known) / 60))
