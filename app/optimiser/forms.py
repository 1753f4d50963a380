"""Forms of the budget optimiser: a scenario, the rules, the terms per form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.forms import BaseForm


class ScenarioForm(BaseForm):
    name = StringField(_l("Scenario name"), validators=[DataRequired(), Length(max=120)])
    budget_percent = FloatField(
        _l("Budget (percent of the lines)"),
        default=100,
        validators=[InputRequired(), NumberRange(0, 500)],
    )
    partner_amount = IntegerField(
        _l("Partner funding (Rp)"), default=0, validators=[InputRequired(), NumberRange(0, 10**13)]
    )


class ApplyForm(BaseForm):
    """Applying a scenario: a button with its CSRF token."""


class FormRow(Form):
    code = HiddenField()
    effect = FloatField(
        _l("Expected effect (0–1)"), validators=[InputRequired(), NumberRange(0, 1)]
    )
    unit_cost = IntegerField(
        _l("Cost per participant (Rp)"), validators=[InputRequired(), NumberRange(0)]
    )
    jp = FloatField(_l("JP"), validators=[InputRequired(), NumberRange(0, 1000)])
    alternative = BooleanField(_l("Offer for every need"))


class FormsForm(BaseForm):
    forms = FieldList(FormField(FormRow))


class RulesForm(BaseForm):
    jp_ceiling = FloatField(
        _l("JP ceiling per employee per year"), validators=[Optional(), NumberRange(1, 1000)]
    )
    min_jp = FloatField(
        _l("Everyone below this many JP gets an activity where the budget allows"),
        validators=[InputRequired(), NumberRange(0, 1000)],
    )
    non_classical_share = FloatField(
        _l("Minimum share of non-classical forms (%)"),
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    time_limit = IntegerField(
        _l("Solver time limit (seconds)"), validators=[InputRequired(), NumberRange(1, 600)]
    )
    mip_gap = FloatField(
        _l("Accepted optimality gap (%)"), validators=[InputRequired(), NumberRange(0, 20)]
    )
    flagged_percent = FloatField(
        _l("Expected effect kept for a program flagged for review (%)"),
        validators=[Optional(), NumberRange(0, 100)],  # left out: the rule stays as it is
    )
    mandatory = SelectMultipleField(_l("Mandatory items (always funded as they are)"), choices=[])


class AdoptForm(BaseForm):
    """Adopting the measured effect of one form as its expected effect."""

    effect = FloatField(
        _l("Expected effect (0–1)"), validators=[InputRequired(), NumberRange(0, 1)]
    )
