"""Key positions and their successors: the talent pool (boxes 7–9) ranked by readiness.

Readiness of a candidate for a key position = the job-person match of their current levels
against that position's standard (Σ min(current, required) / Σ required × 100), then the box,
then the years in grade. Ready now: match ≥ 90 and box 8 or 9; ready in 1–2 years: match
≥ 75; later otherwise (cut-offs kept here as defaults; secondary source). A fixed number of
statements per key position, whatever the pool's size.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, true

from app.clock import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.needs.targets import TargetGapLine, gaps_for_position, latest_year
from app.org.models import Employee, Position
from app.talent import audit
from app.talent.models import KeyPosition, SuccessionCandidate, TalentSettings
from app.talent.placement import BoxFilter, with_movement, with_names

READY_NOW_MATCH, READY_SOON_MATCH = 90.0, 75.0
MAX_CANDIDATES = 200


class Readiness(enum.StrEnum):
    NOW = "now"
    SOON = "soon"  # 1–2 years
    LATER = "later"


READINESS_LABELS: dict[Readiness, object] = {
    Readiness.NOW: _l("Ready now"),
    Readiness.SOON: _l("Ready in 1–2 years"),
    Readiness.LATER: _l("Ready later"),
}


def key_positions(instansi_id: int) -> list[KeyPosition]:
    return list(
        db.session.scalars(
            select(KeyPosition)
            .where(KeyPosition.instansi_id == instansi_id)
            .order_by(KeyPosition.id)
        )
    )


def mark_key(instansi_id: int, position_id: int, note: str, user_id: int) -> KeyPosition:
    position = db.session.get(Position, position_id)
    if position is None or position.instansi_id != instansi_id:
        raise ServiceError(_l("Choose a position of this instansi."), "position_id")
    if db.session.scalars(
        select(KeyPosition).where(KeyPosition.position_id == position_id)
    ).first():
        raise ServiceError(_l("This position is a key position already."), "position_id")
    key = KeyPosition(instansi_id=instansi_id, position_id=position_id, note=note.strip()[:2000])
    db.session.add(key)
    db.session.flush()
    audit.record(instansi_id, "key_position", key.id, "mark", position.name, user_id)
    db.session.commit()
    return key


def unmark_key(key: KeyPosition, user_id: int) -> None:
    audit.record(key.instansi_id, "key_position", key.id, "unmark", key.position.name, user_id)
    db.session.delete(key)
    db.session.commit()


@dataclass
class Candidate:
    employee_id: int
    name: str
    unit: str
    position: str
    box: int
    predikat: str | None
    match: float | None
    years_in_grade: float | None
    readiness: Readiness
    to_close: list[TargetGapLine] = field(default_factory=list)
    pinned: SuccessionCandidate | None = None


def readiness_of(match: float | None, box: int) -> Readiness:
    if match is not None and match >= READY_NOW_MATCH and box in (8, 9):
        return Readiness.NOW
    if match is not None and match >= READY_SOON_MATCH:
        return Readiness.SOON
    return Readiness.LATER


def _match(lines: list[TargetGapLine]) -> float | None:
    required = sum(line.required for line in lines if line.required > 0)
    if not required:
        return None
    return 100.0 * sum(min(line.current, line.required) for line in lines) / required


def candidates(settings: TalentSettings, key: KeyPosition, year: int, day: date) -> list[Candidate]:
    """The pool's members (not the holder) ranked for one key position; four statements."""
    placed = with_movement(settings, BoxFilter(key.instansi_id, year), true())
    holders = select(Employee.id).where(
        Employee.position_id == key.position_id, Employee.active.is_(True)
    )
    rows: list[Any] = list(
        db.session.execute(
            with_names(placed)
            .where(placed.c.box.in_((7, 8, 9)), placed.c.employee_id.not_in(holders))
            .order_by(placed.c.box.desc(), placed.c.potential.desc())
            .limit(MAX_CANDIDATES)
        ).mappings()
    )
    pinned = {
        c.employee_id: c
        for c in db.session.scalars(
            select(SuccessionCandidate).where(
                SuccessionCandidate.key_position_id == key.id,
                SuccessionCandidate.removed_at.is_(None),
            )
        )
    }
    ids = [r["employee_id"] for r in rows]
    cycle = latest_year(ids, year)
    gaps = gaps_for_position(key.instansi_id, cycle, ids, key.position_id) if cycle else {}
    result = []
    for row in rows:
        lines = gaps.get(row["employee_id"], [])
        match = _match(lines)
        since = row["grade_since"]
        years = round((day - since).days / 365.25, 1) if since else None
        result.append(
            Candidate(
                row["employee_id"],
                row["name"],
                row["unit_name"],
                row["position_name"] or "",
                row["box"],
                row["predikat"],
                match,
                years,
                readiness_of(match, row["box"]),
                [line for line in lines if line.gap > 0][:5],
                pinned.get(row["employee_id"]),
            )
        )
    order = list(Readiness)
    result.sort(
        key=lambda c: (
            c.pinned is None,
            order.index(c.readiness),
            -(c.match or 0),
            -c.box,
            -(c.years_in_grade or 0),
            c.name,
        )
    )
    return result


def pin(key: KeyPosition, employee: Employee, note: str, user_id: int) -> SuccessionCandidate:
    """HR puts a candidate into the key position's succession plan (audited)."""
    if employee.instansi_id != key.instansi_id:
        raise ServiceError(_l("The candidate must belong to the same instansi."))
    current = db.session.scalars(
        select(SuccessionCandidate).where(
            SuccessionCandidate.key_position_id == key.id,
            SuccessionCandidate.employee_id == employee.id,
            SuccessionCandidate.removed_at.is_(None),
        )
    ).first()
    if current is not None:
        raise ServiceError(_l("This employee is in the succession plan already."))
    row = SuccessionCandidate(
        key_position_id=key.id, employee_id=employee.id, added_by_id=user_id, note=note[:2000]
    )
    db.session.add(row)
    db.session.flush()
    audit.record(key.instansi_id, "succession", key.id, "add", employee.name, user_id, employee.id)
    db.session.commit()
    return row


def unpin(key: KeyPosition, row: SuccessionCandidate, user_id: int) -> None:
    if row.key_position_id != key.id or row.removed_at is not None:
        raise ServiceError(_l("This employee is not in the succession plan."))
    row.removed_at = utcnow()
    audit.record(
        key.instansi_id, "succession", key.id, "remove", str(row.employee_id), user_id,
        row.employee_id,
    )  # fmt: skip
    db.session.commit()
