"""Demo evaluations: the last 110 days are replayed day by day through the due scan, and the
requests each day issued are partly answered, so every evaluation page has something real."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.demo.seed import DemoContext
from app.evaluation.models import (
    ChangeProject,
    EvaluationRequest,
    EvaluationSettings,
    EventInstrument,
    Level,
    ProjectStatus,
)
from app.evaluation.scan import run_due
from app.extensions import db
from app.org.models import Instansi
from app.surveys.demo import respond_to
from app.surveys.models import Campaign
from app.surveys.services.days import local_today
from app.training.attendance import in_program, participations, programs

REPLAY_DAYS = 110
PRE_POST_TEST = "uji_pengetahuan_pelayanan_publik"
TESTED_PROGRAM = "BIMTEK-YANPRIM"
LEADERSHIP_PROGRAM = "PKP"
ANSWER_RATES = {  # share of requests answered the day they were issued
    "evaluasi_reaksi_pelatihan": 0.75,
    "tindak_lanjut_90_hari": 0.6,
    PRE_POST_TEST: 0.85,
}
PROJECTS = (
    ("Digitalisasi antrean layanan puskesmas", ProjectStatus.IMPLEMENTED),
    ("Standar pelayanan terpadu di kecamatan", ProjectStatus.IN_PROGRESS),
    ("Dasbor kinerja bidang berbasis data", ProjectStatus.PLANNED),
)


def seed_demo_data(context: DemoContext) -> None:
    if db.session.scalar(select(func.count()).select_from(EvaluationRequest)):
        return
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    if dumai is None:
        return
    catalogue = {p.code: p for p in programs(dumai.id)}
    if TESTED_PROGRAM in catalogue:
        db.session.add(
            EvaluationSettings(
                program_id=catalogue[TESTED_PROGRAM].id,
                pretest_definition=PRE_POST_TEST,
                posttest_definition=PRE_POST_TEST,
            )
        )
        db.session.commit()
    today = local_today()
    for offset in range(REPLAY_DAYS, -1, -1):
        day = today - timedelta(days=offset)
        result = run_due(day)
        db.session.commit()
        for campaign_id in result.campaign_ids:
            _answer(campaign_id, context, day == today)
    _change_projects(catalogue.get(LEADERSHIP_PROGRAM))
    db.session.commit()


def _answer(campaign_id: int, context: DemoContext, issued_today: bool) -> None:
    """Answer a share of a campaign's requests; those issued today stay mostly open."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return
    level = db.session.scalar(
        select(EventInstrument.level).where(EventInstrument.campaign_id == campaign_id)
    )
    rate = ANSWER_RATES.get(campaign.definition_id, 0.6) * (0.5 if issued_today else 1.0)
    correct = 0.45 if level == Level.PRETEST else 0.8  # people learn something
    respond_to(campaign_id, context.rng.random(), rate, correct_rate=correct)
    db.session.commit()


def _change_projects(program) -> None:
    if program is None:
        return
    for index, p in enumerate(participations(include=in_program(program.id))[: len(PROJECTS) * 2]):
        title, status = PROJECTS[index % len(PROJECTS)]
        db.session.add(
            ChangeProject(participation_id=p.participation_id, title=title, status=status)
        )
