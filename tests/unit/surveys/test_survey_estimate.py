"""The time estimate of a survey (app.surveys.estimate): seconds by question type, questions
that may still open at half weight, closed ones not at all, whole minutes rounded up."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from app.surveys.definition import load_definition
from app.surveys.estimate import (
    MATRIX_CELL_SECONDS,
    PAGE_SECONDS,
    estimate_minutes,
    estimate_seconds,
    item_seconds,
)
from app.surveys.logic import evaluate_all
from tests.unit.surveys.conftest import REPO_ROOT


def q(item_id: str, item_type: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": item_type, "label": {"id": item_id, "en": item_id}, **extra}


def seconds(definition, known=None) -> float:  # type: ignore[no-untyped-def]
    known = known or {}
    return estimate_seconds(definition, evaluate_all(definition, known, "id"), known)


def test_base_survey_adds_up_by_type(sv: SimpleNamespace) -> None:
    # p1: single 10 + integer 10; p2: matrix 2 rows × 2 columns × 6 + textarea 60; 2 pages × 5
    definition = sv.load(sv.data())
    assert seconds(definition) == 10 + 10 + 2 * 2 * MATRIX_CELL_SECONDS + 60 + 2 * PAGE_SECONDS
    assert estimate_minutes(definition, evaluate_all(definition, {}, "id"), {}) == 2  # 114 s


@pytest.mark.parametrize(
    ("item_type", "extra", "expected"),
    [
        ("note", {}, 5),
        ("single", {"choice_list": "yt"}, 10),
        ("rating", {"scale": "lv5"}, 8),
        ("multiple", {"choice_list": "yt"}, 15),
        ("date", {}, 10),
        ("text", {}, 20),
        ("textarea", {}, 60),
        ("calculate", {"calculate": "1 + 1"}, 0),
    ],
)
def test_seconds_of_each_type(
    sv: SimpleNamespace, item_type: str, extra: dict[str, Any], expected: int
) -> None:
    definition = sv.load(sv.one_page(q("x", item_type, **extra)))
    assert item_seconds(definition.item("x")) == expected


def test_a_question_that_may_open_counts_half_and_a_closed_one_not_at_all(
    sv: SimpleNamespace,
) -> None:
    definition = sv.load(
        sv.one_page(
            q("setuju", "single", choice_list="yt"),
            q("alasan", "textarea", relevant="${setuju} = 'tidak'"),
        )
    )
    assert seconds(definition) == PAGE_SECONDS + 10 + 30  # not answered yet: half of 60
    assert seconds(definition, {"setuju": "tidak"}) == PAGE_SECONDS + 10 + 60  # opened
    assert seconds(definition, {"setuju": "ya"}) == PAGE_SECONDS + 10  # decided: closed


def test_a_page_closed_by_the_prefill_does_not_count(sv: SimpleNamespace) -> None:
    data = sv.data()
    data["pages"][1]["relevant"] = "${q1} = 'ya'"
    definition = sv.load(data)
    both = 2 * PAGE_SECONDS + 20 + 24 + 60
    assert seconds(definition, {"q1": "ya"}) == both
    assert seconds(definition, {"q1": "tidak"}) == PAGE_SECONDS + 20
    assert seconds(definition) == PAGE_SECONDS + 20 + (PAGE_SECONDS + 24 + 60) / 2


def test_minutes_round_up_and_never_fall_below_one(sv: SimpleNamespace) -> None:
    tiny = sv.load(sv.one_page(q("x", "note")))
    assert estimate_minutes(tiny, evaluate_all(tiny, {}, "id"), {}) == 1  # 10 s
    long = sv.load(sv.one_page(*(q(f"t{n}", "textarea") for n in range(6))))
    assert estimate_minutes(long, evaluate_all(long, {}, "id"), {}) == 7  # 365 s


def test_the_stakeholder_consultation_takes_about_seven_minutes() -> None:
    definition = load_definition(REPO_ROOT / "surveys" / "konsultasi_pemangku_kepentingan.yaml")
    state = evaluate_all(definition, {}, "id")
    assert estimate_minutes(definition, state, {}) == 7
    # The public (prefilled group) is asked neither an institution nor a civil-service unit:
    # the two one-line texts counted at half while the group was unknown drop out.
    assert seconds(definition, {"kelompok": "masyarakat"}) == seconds(definition) - 20
