"""The score a respondent sees after submitting a scored form (``quiz: show_result``)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.surveys.models import Answer
from app.surveys.quiz import QuizResult, score_answers, shows_result
from app.surveys.services.answering import Seat


def seat_quiz_result(seat: Seat) -> QuizResult | None:
    """The submitted response's score when the definition shows it; one query."""
    if not shows_result(seat.definition) or seat.response is None or not seat.submitted:
        return None
    scored = {item.id for item in seat.definition.scored_items}
    rows = db.session.execute(
        select(Answer.field, Answer.value_number, Answer.value_text).where(
            Answer.response_id == seat.response.id, Answer.item_id.in_(scored)
        )
    ).all()
    answers = {field: text if number is None else number for field, number, text in rows}
    return score_answers(seat.definition, answers)
