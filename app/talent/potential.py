"""Potential: weights and cut-offs per instansi, and the inputs HR keeps besides JPM.

Potential = (w_jpm·JPM + w_qual·qualification + w_ac·assessment) / (sum of the weights of the
inputs present), on 0–100. JPM comes from the needs analysis; without JPM and without an
assessment score the employee has no potential yet (a qualification alone says too little).
The qualification score per education level is a default seen in regional apps (secondary
source): IP ASN scores the kualifikasi dimension from the highest education in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import local_today, utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.org.models import Employee
from app.talent import audit
from app.talent.models import Education, PotentialInput, TalentSettings

QUALIFICATION_SCORES: dict[Education, float] = {
    Education.S3: 100.0,
    Education.S2: 90.0,
    Education.S1: 80.0,
    Education.D3: 65.0,
    Education.SMA: 50.0,
    Education.SMP: 35.0,
    Education.SD: 20.0,
}
EDUCATION_LABELS: dict[Education, str] = {
    Education.SD: "SD",
    Education.SMP: "SMP",
    Education.SMA: "SMA/SMK",
    Education.D3: "D-III",
    Education.S1: "S-1/D-IV",
    Education.S2: "S-2",
    Education.S3: "S-3",
}
SCALE_MIN, SCALE_MAX = 0.0, 100.0


def settings_for(instansi_id: int) -> TalentSettings:
    """The instansi's settings, or unsaved defaults (JPM 60 %, qualification 20 %, AC 20 %)."""
    found = db.session.scalars(
        select(TalentSettings).where(TalentSettings.instansi_id == instansi_id)
    ).first()
    return found or TalentSettings(
        instansi_id=instansi_id,
        weight_jpm=60.0,
        weight_qualification=20.0,
        weight_assessment=20.0,
        medium_from=78.0,
        high_from=90.0,
    )


@dataclass(frozen=True)
class Band:
    name: str
    low: float  # from (inclusive)
    high: float  # below (exclusive), or up to for the top band


def _n(value: float) -> str:
    return f"{value:g}"


def check_bands(low: Band, medium: Band, high: Band) -> list[tuple[str, str]]:
    """Refuse cut-offs that overlap or leave a gap, naming the values (0–100 must be covered)."""
    problems: list[tuple[str, str]] = []
    if low.low != SCALE_MIN:
        problems.append(
            (
                "low_from",
                str(
                    _l(
                        "Low potential must start at %(min)s, not %(value)s: scores below it "
                        "would have no category.",
                        min=_n(SCALE_MIN),
                        value=_n(low.low),
                    )
                ),
            )
        )
    if high.high != SCALE_MAX:
        problems.append(
            (
                "high_to",
                str(
                    _l(
                        "High potential must go up to %(max)s, not %(value)s.",
                        max=_n(SCALE_MAX),
                        value=_n(high.high),
                    )
                ),
            )
        )
    for band, field in ((low, "low_to"), (medium, "medium_to"), (high, "high_to")):
        if band.low >= band.high:
            problems.append(
                (
                    field,
                    str(
                        _l(
                            "%(band)s potential runs from %(low)s to %(high)s: the end must be "
                            "above the start.",
                            band=band.name,
                            low=_n(band.low),
                            high=_n(band.high),
                        )
                    ),
                )
            )
    for lower, upper, field in ((low, medium, "medium_from"), (medium, high, "high_from")):
        values = {
            "lower": lower.name,
            "upper": upper.name,
            "end": _n(lower.high),
            "start": _n(upper.low),
        }
        if lower.high < upper.low:
            message = _l(
                "%(lower)s potential ends at %(end)s but %(upper)s starts at %(start)s: scores "
                "from %(end)s to %(start)s would have no category.",
                **values,
            )
            problems.append((field, str(message)))
        elif lower.high > upper.low:
            message = _l(
                "%(lower)s potential ends at %(end)s but %(upper)s starts at %(start)s: scores "
                "from %(start)s to %(end)s would be in both.",
                **values,
            )
            problems.append((field, str(message)))
    return problems


def save_settings(
    instansi_id: int,
    weights: tuple[float, float, float],
    low: Band,
    medium: Band,
    high: Band,
    ppk_user_id: int | None,
    user_id: int,
) -> TalentSettings:
    """Weights must be ≥ 0 and add up to 100; the three bands must tile 0–100 exactly."""
    problems = check_bands(low, medium, high)
    for value, field in zip(
        weights, ("weight_jpm", "weight_qualification", "weight_assessment"), strict=True
    ):
        if value < 0:
            problems.append((field, str(_l("A weight cannot be negative."))))
    if abs(sum(weights) - 100.0) > 1e-6:
        problems.append(
            (
                "weight_jpm",
                str(_l("The weights add up to %(sum)s, not 100.", sum=_n(sum(weights)))),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    settings = settings_for(instansi_id)
    if settings.id is None:
        db.session.add(settings)
    before = (
        f"{_n(settings.weight_jpm)}/{_n(settings.weight_qualification)}/"
        f"{_n(settings.weight_assessment)}; {_n(settings.medium_from)}–{_n(settings.high_from)}"
    )
    settings.weight_jpm, settings.weight_qualification, settings.weight_assessment = weights
    settings.medium_from, settings.high_from = medium.low, high.low
    settings.ppk_user_id = ppk_user_id
    settings.updated_by_id, settings.updated_at = user_id, utcnow()
    db.session.flush()
    after = "/".join(_n(w) for w in weights) + f"; {_n(medium.low)}–{_n(high.low)}"
    audit.record(instansi_id, "settings", settings.id, "update", f"{before} ⇒ {after}", user_id)
    db.session.commit()
    return settings


def input_for(employee_id: int, year: int) -> PotentialInput | None:
    return db.session.scalars(
        select(PotentialInput).where(
            PotentialInput.employee_id == employee_id, PotentialInput.year == year
        )
    ).first()


def save_input(
    employee: Employee,
    year: int,
    education: Education | None,
    assessment_score: float | None,
    grade_since: date | None,
    user_id: int,
) -> PotentialInput:
    """HR records qualification, assessment-centre score and time in grade for a year."""
    problems = []
    if assessment_score is not None and not SCALE_MIN <= assessment_score <= SCALE_MAX:
        problems.append(("assessment_score", str(_l("The score must be between 0 and 100."))))
    if grade_since is not None and grade_since > local_today():
        problems.append(("grade_since", str(_l("This date is in the future."))))
    if problems:
        raise ValidationFailed(problems)
    row = input_for(employee.id, year)
    if row is None:
        row = PotentialInput(instansi_id=employee.instansi_id, employee_id=employee.id, year=year)
        db.session.add(row)
    row.education, row.assessment_score, row.grade_since = education, assessment_score, grade_since
    row.updated_by_id = user_id
    db.session.flush()
    audit.record(
        employee.instansi_id,
        "potential_input",
        row.id,
        "update",
        f"{year}: {education or '-'}, {assessment_score if assessment_score is not None else '-'}",
        user_id,
        employee.id,
    )
    db.session.commit()
    return row
