"""Forms of the needs analysis; per-position and default level forms are built per request."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.needs.labels import FORM_LABELS
from app.web.forms import BaseForm, choices

LEVEL_CHOICES = [("", "–"), *((str(n), str(n)) for n in range(1, 6))]


class RecomputeForm(BaseForm):
    instansi_id = HiddenField(validators=[DataRequired()])
    year = IntegerField(
        _l("Cycle year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)]
    )


class CompetencyForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=30)],
        description=_l("For example T.KES.02; letters, digits, dots and dashes."),
    )
    name_id = StringField(_l("Name (Indonesian)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    definition_id = TextAreaField(
        _l("Definition (Indonesian)"), validators=[Optional(), Length(max=2000)]
    )
    definition_en = TextAreaField(
        _l("Definition (English)"), validators=[Optional(), Length(max=2000)]
    )
    level_1 = TextAreaField(_l("Level 1"), validators=[DataRequired(), Length(max=1000)])
    level_2 = TextAreaField(_l("Level 2"), validators=[DataRequired(), Length(max=1000)])
    level_3 = TextAreaField(_l("Level 3"), validators=[DataRequired(), Length(max=1000)])
    level_4 = TextAreaField(_l("Level 4"), validators=[DataRequired(), Length(max=1000)])
    level_5 = TextAreaField(_l("Level 5"), validators=[DataRequired(), Length(max=1000)])
    level_1_en = TextAreaField(_l("Level 1 (English)"), validators=[Optional(), Length(max=1000)])
    level_2_en = TextAreaField(_l("Level 2 (English)"), validators=[Optional(), Length(max=1000)])
    level_3_en = TextAreaField(_l("Level 3 (English)"), validators=[Optional(), Length(max=1000)])
    level_4_en = TextAreaField(_l("Level 4 (English)"), validators=[Optional(), Length(max=1000)])
    level_5_en = TextAreaField(_l("Level 5 (English)"), validators=[Optional(), Length(max=1000)])
    active = BooleanField(_l("Active (used by the analysis)"), default=True)


class ImportForm(BaseForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(), FileAllowed(["csv"], _l("Upload a .csv file."))],
    )


class SettingsForm(BaseForm):
    jpm_meets = FloatField(
        _l("JPM 'meets the requirements' from (%)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    jpm_still_meets = FloatField(
        _l("JPM 'still meets the requirements' from (%)"),
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    need_min_gap = FloatField(
        _l("Smallest gap that makes a development need"),
        validators=[InputRequired(), NumberRange(min=0, max=4)],
    )


def form_choices() -> list:
    return choices((value, label) for value, label in FORM_LABELS.items())


class DecideForm(BaseForm):
    action = SelectField(
        _l("Decision"),
        choices=choices(
            [
                ("accept", _l("Accept")),
                ("dismiss", _l("Dismiss")),
                ("reopen", _l("Reopen")),
                ("save", _l("Save")),
            ]
        ),
    )
    development_form = SelectField(_l("Development form"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.development_form.choices = [*choices([("", "–")]), *form_choices()]


class BulkForm(BaseForm):
    action = SelectField(
        _l("Decision"),
        choices=choices(
            [("accept", _l("Accept")), ("dismiss", _l("Dismiss")), ("reopen", _l("Reopen"))]
        ),
    )
    need_ids = SelectMultipleField(_l("Needs"), coerce=int, validate_choice=False)


def level_form(field_names: Iterable[tuple[str, str]]) -> type[BaseForm]:
    """A form with one level select (– or 1–5) per (field name, label)."""

    class LevelForm(BaseForm):
        pass

    for name, label in field_names:
        setattr(
            LevelForm,
            name,
            SelectField(label, choices=choices(LEVEL_CHOICES), coerce=str, validators=[Optional()]),
        )
    return LevelForm
