"""Forms of evaluation: a program's evaluation settings and change projects."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.evaluation.models import ProjectStatus
from app.web.forms import BaseForm, choices

PROJECT_STATUS_LABELS = {
    ProjectStatus.PLANNED: _l("Planned"),
    ProjectStatus.IN_PROGRESS: _l("In progress"),
    ProjectStatus.IMPLEMENTED: _l("Implemented"),
    ProjectStatus.ABANDONED: _l("Abandoned"),
}


class SettingsForm(BaseForm):
    follow_up_days = IntegerField(
        _l("Follow-up after (days)"), validators=[DataRequired(), NumberRange(min=7, max=730)]
    )
    pretest_definition = SelectField(_l("Pre-test"), validators=[Optional()])
    posttest_definition = SelectField(_l("Post-test"), validators=[Optional()])
    flag_threshold = DecimalField(
        _l("Review below this satisfaction (1–5)"),
        places=1,
        validators=[DataRequired(), NumberRange(min=1, max=5)],
    )


class ProjectForm(BaseForm):
    participation_id = SelectField(_l("Participant"), coerce=int, validators=[DataRequired()])
    title = StringField(
        _l("Change project (aksi perubahan)"), validators=[DataRequired(), Length(max=200)]
    )
    status = SelectField(
        _l("Status"), choices=choices(PROJECT_STATUS_LABELS.items()), validators=[DataRequired()]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
