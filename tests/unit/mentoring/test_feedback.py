"""The mentee's feedback is stored as a survey response; "not working" flags the pairing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.errors import ServiceError
from app.extensions import db
from app.mentoring import feedback
from app.mentoring.models import MentoringSession, Pairing
from app.surveys.models import Answer, Audience, Campaign, CampaignStatus, Response
from app.surveys.services import answer_rows
from tests.unit.mentoring.factories import make_pairing, make_session, today


def answers(session, **changes) -> dict[str, object]:
    values: dict[str, object] = {
        **feedback.prefill(session),
        "manfaat": "5",
        "kesiapan_mentor": "4",
        "kejelasan_tindak_lanjut": "4",
        "berjalan_baik": "ya",
        "rencana_tindak_lanjut": "Menyusun draf",
    }
    values.update(changes)
    return values


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def confirmed(m) -> MentoringSession:
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    session = make_session(pairing, minutes=60, confirmed=True)
    db.session.commit()
    return session


def test_answers_go_to_the_survey_tables(m, confirmed):
    response = feedback.submit_feedback(confirmed, answers(confirmed), "id", today())
    assert response.status == "submitted" and response.rater_role == "mentee"
    assert response.respondent_employee_id == m.mentee.id
    assert response.subject_employee_id == m.mentor.id
    assert response.definition_id == "umpan_balik_mentoring"
    campaign = db.session.get(Campaign, response.campaign_id)
    assert campaign.audience == Audience.MENTEE and campaign.status == CampaignStatus.OPEN
    assert campaign.instansi_id == m.program.instansi_id
    assert campaign.cycle_year == confirmed.held_on.year
    stored = {
        a.field: (a.value_number, a.value_text)
        for a in db.session.scalars(select(Answer).where(Answer.response_id == response.id))
    }
    assert stored["manfaat"] == (5.0, None)
    assert stored["durasi_menit"] == (60.0, None)
    assert stored["berjalan_baik"] == (None, "ya")
    assert stored["tanggal_sesi"] == (None, confirmed.held_on.isoformat())
    assert "kendala" not in stored  # not relevant when the pairing works
    assert db.session.get(MentoringSession, confirmed.id).feedback_response_id == response.id
    assert db.session.get(Pairing, confirmed.pairing_id).flagged_at is None


def test_not_working_flags_the_pairing_for_hr(confirmed):
    feedback.submit_feedback(
        confirmed,
        answers(
            confirmed,
            berjalan_baik="tidak",
            kendala="Jadwal selalu batal",
            perlu_koordinator="ya",
        ),
        "id",
        today(),
    )
    pairing = db.session.get(Pairing, confirmed.pairing_id)
    assert pairing.flagged_at is not None and pairing.flag_note == "Jadwal selalu batal"


def test_incomplete_answers_are_refused_and_nothing_is_saved(confirmed):
    with pytest.raises(feedback.FeedbackIncomplete) as excinfo:
        feedback.submit_feedback(
            confirmed, answers(confirmed, berjalan_baik="tidak", manfaat="9"), "id", today()
        )
    assert {"kendala", "perlu_koordinator", "manfaat"} <= set(excinfo.value.state.errors)
    db.session.rollback()
    assert count(Response) == count(Answer) == count(Campaign) == 0
    assert db.session.get(Pairing, confirmed.pairing_id).flagged_at is None


def test_double_submit_stores_one_response_and_campaign_is_reused(m, confirmed):
    first = feedback.submit_feedback(confirmed, answers(confirmed), "id", today())
    again = feedback.submit_feedback(confirmed, answers(confirmed), "id", today())
    assert first.id == again.id and count(Response) == 1
    other = make_session(db.session.get(Pairing, confirmed.pairing_id), confirmed=True)
    db.session.commit()
    feedback.submit_feedback(other, answers(other), "en", today())
    assert count(Response) == 2 and count(Campaign) == 1


def test_feedback_needs_a_confirmed_session(m):
    pairing = make_pairing(m.program, m.mentor, m.mentee)
    session = make_session(pairing)
    db.session.commit()
    with pytest.raises(ServiceError):
        feedback.submit_feedback(session, answers(session), "id", today())
    assert count(Response) == 0


def test_answer_rows_types(ctx):
    definition = feedback.feedback_definition()
    rows = answer_rows(
        definition, 7, {"manfaat": 4, "berjalan_baik": "ya", "topik": "", "kendala": None}
    )
    assert sorted(rows, key=lambda row: str(row["field"])) == [
        {
            "response_id": 7,
            "field": "berjalan_baik",
            "item_id": "berjalan_baik",
            "row_id": None,
            "column_id": None,
            "value_number": None,
            "value_text": "ya",
        },
        {
            "response_id": 7,
            "field": "manfaat",
            "item_id": "manfaat",
            "row_id": None,
            "column_id": None,
            "value_number": 4.0,
            "value_text": None,
        },
    ]


def test_pairing_question_codes_exist_in_the_instrument(ctx):
    item = feedback.feedback_definition().item(feedback.PAIRING_QUESTION)
    assert {choice.code for choice in item.choices} == {"ya", "sebagian", "tidak"}
    assert feedback.PROBLEM_ITEM in {i.id for i in feedback.feedback_definition().items}


def test_only_the_pairing_question_drives_relevance(ctx):
    assert feedback.relevance_drivers(feedback.feedback_definition()) == {"berjalan_baik"}
