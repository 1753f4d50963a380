"""Changes HR makes to evaluations: a program's settings, change projects, a scan on demand."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import jobs
from app.errors import ServiceError
from app.evaluation.models import ChangeProject, EvaluationSettings, ProjectStatus
from app.extensions import db
from app.jobs.models import Job
from app.surveys.services.days import local_today
from app.surveys.services.definitions import read_definition_source


@dataclass(frozen=True)
class SettingsData:
    follow_up_days: int
    pretest_definition: str | None
    posttest_definition: str | None
    flag_threshold: float


def settings_for(program_id: int) -> EvaluationSettings | None:
    return db.session.scalar(
        select(EvaluationSettings).where(EvaluationSettings.program_id == program_id)
    )


def save_settings(program_id: int, data: SettingsData) -> EvaluationSettings:
    """Pre/post tests must be scored survey definitions; the caller has checked the program."""
    for field, definition_id in (
        ("pretest_definition", data.pretest_definition),
        ("posttest_definition", data.posttest_definition),
    ):
        if definition_id:
            definition = read_definition_source(definition_id)[1]
            if definition.quiz is None:
                raise ServiceError(_l("This survey has no scored questions."), field)
    settings = settings_for(program_id) or EvaluationSettings(program_id=program_id)
    settings.follow_up_days = data.follow_up_days
    settings.pretest_definition = data.pretest_definition or None
    settings.posttest_definition = data.posttest_definition or None
    settings.flag_threshold = data.flag_threshold
    db.session.add(settings)
    db.session.commit()
    return settings


def save_project(
    participation_id: int, title: str, status: ProjectStatus, note: str, user_id: int | None
) -> ChangeProject:
    project = ChangeProject(
        participation_id=participation_id,
        title=title.strip()[:200],
        status=status,
        note=note.strip(),
        updated_by_id=user_id,
    )
    db.session.add(project)
    db.session.commit()
    return project


def queue_scan(instansi_id: int, user_id: int | None) -> Job:
    """Run today's due scan now, as the scheduler does each morning (the scan is idempotent)."""
    job = jobs.enqueue(
        "evaluation.run_due",
        day=local_today().isoformat(),
        instansi_id=instansi_id,
        created_by_id=user_id,
    )
    db.session.commit()
    return job
