"""Forms of performance and careers: SKP entry and import, settings, targets, IDP, succession."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.talent.matrix import RATING_LABELS
from app.talent.models import Rating, SkpPeriod
from app.web.forms import BaseForm, choices

PERIOD_LABELS: dict[SkpPeriod, object] = {
    SkpPeriod.ANNUAL: _l("Annual"),
    SkpPeriod.Q1: _l("Quarter 1"),
    SkpPeriod.Q2: _l("Quarter 2"),
    SkpPeriod.Q3: _l("Quarter 3"),
    SkpPeriod.Q4: _l("Quarter 4"),
}


def optional_int(value: str | int | None) -> int | None:
    """A select's value as an int ('' or anything not a number: none)."""
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rating_choices() -> list:
    return choices((r.value, RATING_LABELS[r]) for r in Rating)


class AssessForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    period = SelectField(
        _l("Period"), choices=choices((p.value, PERIOD_LABELS[p]) for p in SkpPeriod)
    )
    hasil_kerja = RadioField(_l("Work results (hasil kerja)"), validators=[InputRequired()])
    perilaku = RadioField(_l("Work behaviour (perilaku)"), validators=[InputRequired()])
    note = TextAreaField(_l("Note for the employee"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.hasil_kerja.choices = rating_choices()
        self.perilaku.choices = rating_choices()


class SkpImportForm(BaseForm):
    instansi_id = SelectField(_l("Instansi"), coerce=optional_int, validators=[DataRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )


class SettingsForm(BaseForm):
    weight_jpm = DecimalField(_l("Weight of JPM (%)"), validators=[InputRequired()])
    weight_qualification = DecimalField(
        _l("Weight of qualification (%)"), validators=[InputRequired()]
    )
    weight_assessment = DecimalField(
        _l("Weight of the assessment-centre score (%)"), validators=[InputRequired()]
    )
    low_from = DecimalField(_l("Low potential from"), validators=[InputRequired()])
    low_to = DecimalField(_l("Low potential below"), validators=[InputRequired()])
    medium_from = DecimalField(_l("Medium potential from"), validators=[InputRequired()])
    medium_to = DecimalField(_l("Medium potential below"), validators=[InputRequired()])
    high_from = DecimalField(_l("High potential from"), validators=[InputRequired()])
    high_to = DecimalField(_l("High potential up to"), validators=[InputRequired()])
    ppk_user_id = SelectField(_l("PPK login"), coerce=optional_int, validators=[Optional()])


class PotentialInputForm(BaseForm):
    education = SelectField(_l("Highest education"), validators=[Optional()])
    assessment_score = DecimalField(
        _l("Assessment-centre score (0–100)"), validators=[Optional(), NumberRange(0, 100)]
    )
    grade_since = StringField(_l("In current grade since (YYYY-MM-DD)"), validators=[Optional()])


class TargetForm(BaseForm):
    position_id = SelectField(_l("Intended position"), coerce=optional_int, validators=[Optional()])
    reason = TextAreaField(_l("Why this position"), validators=[Optional(), Length(max=2000)])


class CareerPathForm(BaseForm):
    from_position_id = SelectField(
        _l("From position"), coerce=optional_int, validators=[DataRequired()]
    )
    to_position_id = SelectField(
        _l("To position"), coerce=optional_int, validators=[DataRequired()]
    )
    rumpun = StringField(_l("Rumpun jabatan"), validators=[Optional(), Length(max=120)])
    min_years_in_grade = IntegerField(
        _l("Years in grade before the step"), validators=[InputRequired(), NumberRange(0, 40)]
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


ACTIVITY_LABELS = {
    "training": _l("Training"),
    "mentoring": _l("Coaching or mentoring"),
    "e_learning": _l("E-learning"),
    "on_the_job": _l("On the job"),
}


class IdpItemForm(BaseForm):
    activity = SelectField(_l("Activity"), choices=choices(ACTIVITY_LABELS.items()))
    title = StringField(_l("What"), validators=[DataRequired(), Length(max=200)])
    jp_planned = DecimalField(_l("Planned JP"), validators=[InputRequired(), NumberRange(0.5, 500)])


class IdpDecisionForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices([("agree", _l("Agree to the plan")), ("return", _l("Return for changes"))]),
        validators=[InputRequired()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class KeyPositionForm(BaseForm):
    position_id = SelectField(_l("Position"), coerce=optional_int, validators=[DataRequired()])
    note = TextAreaField(_l("Why it is key"), validators=[Optional(), Length(max=2000)])


class PinForm(BaseForm):
    employee_id = IntegerField(_l("Employee"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
