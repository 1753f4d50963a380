"""The demo gives every demo instansi a believable analysis; `flask needs recompute` works."""

from __future__ import annotations

import random

import pytest
from faker import Faker
from sqlalchemy import delete, func, select

from app.demo.seed import DemoContext, seed_demo
from app.evaluation.models import EvaluationRequest, EventInstrument
from app.extensions import db
from app.needs import demo
from app.needs.models import (
    AnalysisRun,
    CompetencyGap,
    DevelopmentNeed,
    EmployeeMatch,
    NeedStatus,
    UnitImportance,
)
from app.org.models import Employee, Instansi, OrgUnit
from app.surveys.models import Campaign, Response
from tests.unit.needs import builders as b


def runs() -> dict[str, AnalysisRun]:
    return {
        code: run
        for code, run in db.session.execute(
            select(Instansi.code, AnalysisRun).join(
                AnalysisRun, AnalysisRun.instansi_id == Instansi.id
            )
        )
    }


def assert_believable(code: str, run: AnalysisRun) -> None:
    active = db.session.scalar(
        select(func.count()).select_from(Employee).where(Employee.instansi_id == run.instansi_id)
    )
    assert run.computed_at is not None, code
    assert run.employees >= 0.6 * active, code  # most employees were rated
    assert run.needs > 0 and run.gaps >= 9 * run.employees * 0.9, code
    jpm = db.session.scalar(
        select(func.avg(EmployeeMatch.jpm)).where(EmployeeMatch.instansi_id == run.instansi_id)
    )
    assert 60 < jpm < 100, code
    with_importance = db.session.scalar(
        select(func.count())
        .select_from(CompetencyGap)
        .where(CompetencyGap.instansi_id == run.instansi_id, CompetencyGap.importance.is_not(None))
    )
    assert with_importance == run.gaps, code


def test_demo_analyses_every_demo_instansi(ctx):
    seed_demo(total_employees=120)
    found = runs()
    assert set(found) == {"kota-dumai", "kab-sorong"}
    for code, run in found.items():
        assert_believable(code, run)
    statuses = set(db.session.scalars(select(DevelopmentNeed.status).distinct()))
    assert NeedStatus.ACCEPTED in statuses and NeedStatus.PROPOSED in statuses


def test_demo_writes_its_own_responses_when_the_surveys_demo_wrote_none(ctx):
    seed_demo(total_employees=160)
    # evaluation requests and their per-event campaigns go first (they point at campaigns)
    for model in (EvaluationRequest, EventInstrument, Response, Campaign):
        db.session.execute(delete(model))
    db.session.commit()
    demo.seed_demo_data(DemoContext(rng=random.Random(7), fake=Faker("id_ID"), employees=160))
    for code, run in runs().items():
        assert_believable(code, run)
    roles = set(db.session.scalars(select(Response.rater_role).distinct()))
    assert roles == {"self", "supervisor", "peer", "stakeholder"}
    # Stakeholders of some OPDs were not consulted: those fall back to the instansi-wide mean.
    assert db.session.scalar(
        select(func.count())
        .select_from(UnitImportance)
        .where(UnitImportance.source_unit_id.is_(None))
    )
    # Dinas Pendidikan's staff are weaker in M.06 than the instansi as a whole.
    dumai = db.session.scalar(select(Instansi.id).where(Instansi.code == "kota-dumai"))
    pendidikan = db.session.scalar(
        select(OrgUnit.path).where(OrgUnit.instansi_id == dumai, OrgUnit.name == "Dinas Pendidikan")
    )
    in_opd = CompetencyGap.org_unit_id.in_(
        select(OrgUnit.id).where(OrgUnit.path.startswith(pendidikan))
    )
    base = (CompetencyGap.instansi_id == dumai, CompetencyGap.competency_code == "M.06")
    opd_gap = db.session.scalar(select(func.avg(CompetencyGap.gap)).where(*base, in_opd))
    all_gap = db.session.scalar(select(func.avg(CompetencyGap.gap)).where(*base))
    assert opd_gap > all_gap


@pytest.fixture
def cli_place(app):
    with app.app_context():
        place = b.build_place("kota-cli")
        defs = b.standard_set()
        assert defs  # bundled definitions are read from SURVEYS_DIR by the command
        db.session.remove()
    return place


def test_cli_recompute(app, cli_place):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["needs", "recompute", "--year", "2026", "--instansi", "kota-cli"])
    assert result.exit_code == 0, result.output
    assert "kota-cli 2026:" in result.output and "statements" in result.output
    every = runner.invoke(args=["needs", "recompute", "--year", "2026"])
    assert every.exit_code == 0 and "kota-cli" in every.output
    missing = runner.invoke(args=["needs", "recompute", "--year", "2026", "--instansi", "nope"])
    assert missing.exit_code != 0 and "nope" in missing.output
    bad_year = runner.invoke(args=["needs", "recompute", "--year", "1800"])
    assert bad_year.exit_code != 0
