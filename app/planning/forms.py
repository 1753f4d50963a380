"""Forms of the plan: drafting, items, targets, budget lines, providers, settings, lifecycle."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.org.forms import optional_int
from app.planning.labels import MONTHS, pairs
from app.planning.models import FundingSource, ProviderKind
from app.training.forms import HiddenInt
from app.training.labels import pairs as training_pairs
from app.training.models import TrainingForm
from app.web.forms import BaseForm, choices

CONFORMITY = (("", _l("Not stated yet")), ("yes", _l("Yes")), ("no", _l("No")))


def conformity(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def conformity_value(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def optional_float(value: object) -> float | None:
    if value in (None, ""):
        return None
    return float(value)  # type: ignore[arg-type]


class DraftForm(BaseForm):
    instansi_id = SelectField(_l("Regional government"), coerce=optional_int)
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])


class VersionForm(BaseForm):
    """A button that acts on what the page showed: the version goes back with it."""

    version = HiddenInt(validators=[Optional()])


class ItemForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    title = StringField(_l("Title"), validators=[Length(max=300)])
    competency_code = SelectField(_l("Competency"), coerce=str, validate_choice=False)
    form = SelectField(
        _l("Form and path"),
        choices=choices([("", _l("Choose…")), *training_pairs(TrainingForm)]),
    )
    provider_id = SelectField(_l("Provider"), coerce=optional_int, validate_choice=False)
    schedule_month = SelectField(
        _l("Month"),
        coerce=optional_int,
        choices=choices(
            [("", _l("Not scheduled yet")), *((i + 1, m) for i, m in enumerate(MONTHS))]
        ),
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    curriculum_conform = SelectField(
        _l("Conforms to the curriculum and competency standard"), choices=choices(CONFORMITY)
    )
    curriculum_note = TextAreaField(
        _l("Curriculum note"), validators=[Length(max=2000)], render_kw={"rows": 2}
    )
    jp = FloatField(
        _l("JP per participant"), validators=[Optional(), NumberRange(min=0.25, max=1000)]
    )
    unit_cost = IntegerField(
        _l("Cost per participant (Rp)"), validators=[Optional(), NumberRange(min=0)]
    )
    budget_line_id = SelectField(_l("Budget line"), coerce=optional_int, validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)], render_kw={"rows": 2})


class StatusForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    status = SelectField(
        _l("Action"),
        choices=choices(
            [
                ("dropped", _l("Drop from the plan")),
                ("deferred", _l("Move to next year")),
                ("active", _l("Restore to the plan")),
            ]
        ),
    )
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)], render_kw={"rows": 2})


class CountTargetForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    org_unit_id = SelectField(_l("Unit"), coerce=optional_int, validate_choice=False)
    position_id = SelectField(_l("Position"), coerce=optional_int, validate_choice=False)
    headcount = IntegerField(
        _l("Number of employees"), validators=[InputRequired(), NumberRange(min=1, max=100000)]
    )


class TargetsForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    targets = SelectMultipleField(_l("Targets"), coerce=int, validate_choice=False)
    action = SelectField(
        _l("With the selected"),
        choices=choices([("split", _l("Move to a new item")), ("remove", _l("Remove"))]),
    )


class MergeForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    other_id = SelectField(_l("Merge this item with"), coerce=optional_int, validate_choice=False)


class LineForm(BaseForm):
    name = StringField(_l("Budget line"), validators=[DataRequired(), Length(max=200)])
    code = StringField(_l("Sub-activity code"), validators=[Length(max=60)])
    source = SelectField(_l("Funding source"), choices=choices(pairs(FundingSource)))
    amount = IntegerField(_l("Amount (Rp)"), validators=[InputRequired(), NumberRange(min=0)])
    org_unit_id = SelectField(_l("Unit"), coerce=optional_int, validate_choice=False)


class ProviderForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(pairs(ProviderKind)))
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    email = StringField(_l("Email"), validators=[Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    accredited = BooleanField(_l("Accredited"))
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)], render_kw={"rows": 2})
    active = BooleanField(_l("Active"), default=True)


class SettingsForm(BaseForm):
    ppk_position_id = SelectField(
        _l("Adopting official (the PPK or the official the PPK delegates to)"),
        coerce=optional_int,
        validate_choice=False,
    )
    signatory_name = StringField(
        _l("Name printed in the signature block"), validators=[Length(max=200)]
    )
    signatory_nip = StringField(
        _l("NIP printed in the signature block"), validators=[Length(max=22)]
    )
    place = StringField(_l("Place of signing"), validators=[Length(max=100)])


class CommentForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    comment = TextAreaField(_l("Comments"), validators=[Length(max=5000)], render_kw={"rows": 3})


class AdoptForm(BaseForm):
    version = HiddenInt(validators=[Optional()])
    decree_number = StringField(_l("Decree number"), validators=[DataRequired(), Length(max=120)])
    decree_date = DateField(_l("Decree date"), validators=[DataRequired()])


class ReviseForm(BaseForm):
    reason = TextAreaField(
        _l("Why the adopted plan changes"),
        validators=[DataRequired(), Length(max=5000)],
        render_kw={"rows": 3},
    )
