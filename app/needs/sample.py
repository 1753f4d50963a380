"""Bulk writers of campaigns, responses and answers, for the demo, the tests and the benchmark.

They insert rows directly (Core executemany in chunks), exactly as the survey engine stores a
submitted response: one `survey_answer` row per field, matrix cells with their row and column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice

from sqlalchemy import insert

from app.clock import local_today, utcnow
from app.extensions import db
from app.surveys.models import (
    Answer,
    Audience,
    Campaign,
    CampaignStatus,
    Response,
    ResponseStatus,
)

Value = float | int | str | list[str]


@dataclass
class ResponseSpec:
    """One submitted response: who answered, about whom, and the answer per field path."""

    rater_role: str
    answers: dict[str, Value]
    subject_employee_id: int | None = None
    respondent_employee_id: int | None = None
    org_unit_id: int | None = None
    stakeholder_group: str | None = None
    language: str = "id"


@dataclass
class CampaignSpec:
    instansi_id: int
    definition_id: str
    definition_version: int
    audience: Audience
    cycle_year: int
    title: str = ""
    status: CampaignStatus = CampaignStatus.CLOSED
    anonymous: bool = False
    opens_on: date | None = None
    closes_on: date | None = None
    definition_text: str = ""  # the YAML the campaign published (as the survey engine keeps it)


def add_campaign(spec: CampaignSpec) -> int:
    """Insert a campaign row and return its id."""
    opens = spec.opens_on or date(spec.cycle_year - 1, 9, 1)
    closes = spec.closes_on or date(spec.cycle_year - 1, 10, 31)
    now = utcnow()
    result = db.session.execute(
        insert(Campaign.__table__).returning(Campaign.__table__.c.id),
        {
            "instansi_id": spec.instansi_id,
            "definition_id": spec.definition_id,
            "definition_version": spec.definition_version,
            "title": spec.title or spec.definition_id,
            "audience": spec.audience.value,
            "cycle_year": spec.cycle_year,
            "opens_on": opens,
            "closes_on": closes,
            "status": spec.status.value,
            "anonymous": spec.anonymous,
            "public_token_hash": None,
            "definition_text": spec.definition_text,
            "definition_sha": hashlib.sha256(spec.definition_text.encode()).hexdigest()
            if spec.definition_text
            else "",
            "created_by_id": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    return int(result.scalar_one())


def split_field(path: str) -> tuple[str, str | None, str | None]:
    """'m01' → (m01, None, None); 'grid.k01.imp' → (grid, k01, imp)."""
    parts = path.split(".")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return parts[0], None, None


def _answer_rows(response_id: int, answers: dict[str, Value]) -> Iterator[dict[str, object]]:
    for path, value in answers.items():
        item_id, row_id, column_id = split_field(path)
        number: float | None = None
        text: str | None = None
        if isinstance(value, list):
            text = "\n".join(value)
        elif isinstance(value, str):
            text = value
        else:
            number = float(value)
        yield {
            "response_id": response_id,
            "field": path,
            "item_id": item_id,
            "row_id": row_id,
            "column_id": column_id,
            "value_number": number,
            "value_text": text,
        }


def add_responses(
    campaign_id: int,
    definition_id: str,
    definition_version: int,
    responses: Iterable[ResponseSpec],
    submitted_on: date | None = None,
    chunk: int = 2_000,
) -> int:
    """Insert submitted responses and their answers in chunks; returns how many responses."""
    moment = datetime.combine(submitted_on or local_today(), datetime.min.time(), UTC)
    table = Response.__table__
    iterator = iter(responses)
    total = 0
    while batch := list(islice(iterator, chunk)):
        rows = [
            {
                "campaign_id": campaign_id,
                "definition_id": definition_id,
                "definition_version": definition_version,
                "language": spec.language,
                "rater_role": spec.rater_role,
                "respondent_employee_id": spec.respondent_employee_id,
                "subject_employee_id": spec.subject_employee_id,
                "org_unit_id": spec.org_unit_id,
                "stakeholder_group": spec.stakeholder_group,
                "invitation_id": None,
                "resume_token_hash": None,
                "submission_key": None,
                "status": ResponseStatus.SUBMITTED.value,
                "draft_answers": "{}",
                "current_page": None,
                "started_on": moment.date(),
                "submitted_at": moment,
                "submitted_on": moment.date(),
                "updated_at": moment,
            }
            for spec in batch
        ]
        ids = (
            db.session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
            )
            .scalars()
            .all()
        )
        answers = [
            row
            for response_id, spec in zip(ids, batch, strict=True)
            for row in _answer_rows(response_id, spec.answers)
        ]
        if answers:
            db.session.execute(insert(Answer.__table__), answers)
        total += len(batch)
    return total
