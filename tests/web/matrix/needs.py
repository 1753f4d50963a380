"""Routes of the needs analysis: dictionary, standards, analysis pages, development needs."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.needs import services
from app.needs.models import CompetencyGap, DevelopmentForm, DevelopmentNeed
from tests.web.matrix import ROLE_EMAILS, only

MANAGERS = {"hr_admin": 200, "sysadmin": 200}
VIEWERS = {**MANAGERS, "unit_head": 200}
# Supervisors see the per-employee lists narrowed to their team (read-only).
TEAM_VIEWERS = {**VIEWERS, "supervisor": 200}
PROFILE = {"employee": 200, "supervisor": 200, "unit_head": 200, **MANAGERS}

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "needs.index": ("GET", "/needs/", only(VIEWERS)),
    "needs.recompute": ("POST", "/needs/recompute", only({"hr_admin": 422, "sysadmin": 422})),
    "needs.ranking": ("GET", "/needs/ranking", only(VIEWERS)),
    "needs.heatmap": ("GET", "/needs/heatmap", only(VIEWERS)),
    "needs.employees": ("GET", "/needs/employees?code=M.01", only(TEAM_VIEWERS)),
    "needs.issues": ("GET", "/needs/issues", only(VIEWERS)),
    "needs.instruments": ("GET", "/needs/instruments", only(VIEWERS)),
    "needs.export": ("GET", "/needs/export.csv", only(VIEWERS)),
    "needs.development": ("GET", "/needs/development", only(TEAM_VIEWERS)),
    "needs.my_profile": (
        "GET",
        "/needs/me",
        {
            **dict.fromkeys(ROLE_EMAILS, 303),
            "hr_admin": 404,
            "stakeholder": 404,
            "sysadmin": 404,
            "anonymous": 303,
        },
    ),
    "needs.profile": ("GET", "/needs/employees/{staff}", only(PROFILE, others=404)),
    "needs.explain": (
        "GET",
        "/needs/employees/{staff}/explain/M.01?year=2026",
        only(PROFILE, others=404),
    ),
    "needs.decide": (
        "POST",
        "/needs/development/{need}",
        only({"hr_admin": 422, "sysadmin": 422, "unit_head": 403, "supervisor": 403}, others=404),
    ),
    "needs.bulk_decide": (
        "POST",
        "/needs/development/bulk",
        only({"hr_admin": 422, "sysadmin": 422}),
    ),
    "needs.competencies": ("GET", "/needs/competencies", only(MANAGERS)),
    "needs.competency_detail": ("GET", "/needs/competencies/{competency}", only(MANAGERS)),
    "needs.competency_create": ("GET", "/needs/competencies/new", only(MANAGERS)),
    "needs.competency_edit": ("GET", "/needs/competencies/{competency}/edit", only(MANAGERS)),
    "needs.competency_import": ("GET", "/needs/competencies/import", only(MANAGERS)),
    "needs.standards": ("GET", "/needs/standards", only(MANAGERS)),
    "needs.position_standards": (
        "GET",
        "/needs/standards/positions/{position}",
        only(MANAGERS),
    ),
    "needs.settings": ("GET", "/needs/settings", only(MANAGERS)),
}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A dictionary with one technical competency, a scored gap and a need of the staff."""
    services.seed_dictionary(world.a.id)
    technical = services.save_competency(
        world.a.id,
        services.CompetencyData(
            code="T.UJI.01", name_id="Uji", levels_id=[f"Level {n}" for n in range(1, 6)]
        ),
    )
    db.session.add(
        CompetencyGap(
            instansi_id=world.a.id,
            cycle_year=2026,
            employee_id=world.staff.id,
            org_unit_id=world.bidang.id,
            competency_code="M.01",
            required_level=3,
            current_level=1.5,
            gap=1.5,
        )
    )
    need = DevelopmentNeed(
        instansi_id=world.a.id,
        cycle_year=2026,
        employee_id=world.staff.id,
        competency_code="M.01",
        gap=1.5,
        suggested_form=DevelopmentForm.COACHING,
    )
    db.session.add(need)
    services.seed_defaults(world.a.id, date(2020, 1, 1))
    db.session.commit()
    return {
        "need": need.id,
        "competency": technical.id,
        "position": world.staff_position.id,
    }
