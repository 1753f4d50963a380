"""Forms of the catalogue, nominations, decisions, delegations, budget and participation."""

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
from wtforms.widgets import HiddenInput

from app.org.forms import optional_int
from app.training.labels import pairs
from app.training.models import (
    Attendance,
    BudgetSource,
    Completion,
    DelegationKind,
    ProviderKind,
    RejectReason,
    StepKind,
    TrainingForm,
)
from app.training.workflow import Decision
from app.web.forms import BaseForm, SelectChoice, choices


class HiddenInt(IntegerField):
    """The version or step a page was rendered with, posted back to detect stale decisions."""

    widget = HiddenInput()


class ProgramForm(BaseForm):
    instansi_id = SelectField(_l("Instansi"), coerce=optional_int, validators=[DataRequired()])
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    form = SelectField(_l("Form"), choices=choices(pairs(TrainingForm)))
    jp = FloatField(
        _l("JP (1 JP = 45 minutes)"), validators=[InputRequired(), NumberRange(min=0.25, max=2000)]
    )
    provider_kind = SelectField(_l("Provider kind"), choices=choices(pairs(ProviderKind)))
    provider_name = StringField(_l("Provider"), validators=[DataRequired(), Length(max=200)])
    cost_per_participant = IntegerField(
        _l("Cost per participant (Rp)"), validators=[InputRequired(), NumberRange(min=0)]
    )
    competencies = TextAreaField(
        _l("Competencies developed"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 4},
    )
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    active = BooleanField(_l("Open in the catalogue"), default=True)


class EventForm(BaseForm):
    batch_code = StringField(_l("Batch"), validators=[DataRequired(), Length(max=40)])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[DataRequired()])
    location = StringField(_l("Place"), validators=[Length(max=200)])
    online_url = StringField(_l("Online link"), validators=[Length(max=300)])
    quota = IntegerField(
        _l("Quota (seats)"), validators=[InputRequired(), NumberRange(min=1, max=10000)]
    )
    cancelled = BooleanField(_l("Cancelled"))
    plan_item_id = SelectField(
        _l("Development plan item it realises"), coerce=optional_int, validate_choice=False
    )


class NominateForm(BaseForm):
    employee_id = SelectField(_l("Employee"), coerce=optional_int, validators=[DataRequired()])
    justification = TextAreaField(
        _l("Justification"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 4},
    )


class NeedsNominateForm(BaseForm):
    need_ids = SelectMultipleField(
        _l("Development needs"), coerce=int, validate_choice=False, validators=[DataRequired()]
    )


class DecisionForm(BaseForm):
    decision = SelectField(
        _l("Decision"), choices=choices(pairs(Decision)), validators=[DataRequired()]
    )
    reason = SelectField(
        _l("Reason for rejection"),
        choices=choices([("", "–"), *pairs(RejectReason)]),
        validators=[Optional()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)], render_kw={"rows": 3})
    version = HiddenInt(validators=[InputRequired()])
    step = HiddenInt(validators=[InputRequired()])


class WithdrawForm(BaseForm):
    comment = TextAreaField(_l("Why (optional)"), validators=[Length(max=2000)])
    version = HiddenInt(validators=[InputRequired()])


class ReviseForm(BaseForm):
    justification = TextAreaField(
        _l("Justification"),
        validators=[DataRequired(), Length(max=2000)],
        render_kw={"rows": 5},
    )
    version = HiddenInt(validators=[InputRequired()])


class BulkApproveForm(BaseForm):
    """The inbox's checked rows: approved, or rejected with a reason (and comment)."""

    items = SelectMultipleField(
        _l("Nominations"), validate_choice=False, validators=[DataRequired()]
    )
    reason = SelectField(
        _l("Reason for rejecting the selected"),
        choices=choices([("", "–"), *pairs(RejectReason)]),
        validators=[Optional()],
    )
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)], render_kw={"rows": 2})


class ParticipationForm(BaseForm):
    attendance = SelectField(_l("Attendance"), choices=choices(pairs(Attendance)))
    completion = SelectField(_l("Completion"), choices=choices(pairs(Completion)))
    certificate_number = StringField(_l("Certificate number"), validators=[Length(max=100)])


class RosterBulkForm(BaseForm):
    """Attendance (and completion) for every checked participant of a roster in one request."""

    participants = SelectMultipleField(
        _l("Participants"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message=_l("Select at least one participant."))],
    )
    attendance = SelectField(
        _l("Attendance of the selected"),
        choices=choices(pair for pair in pairs(Attendance) if pair[0] != Attendance.UNKNOWN),
    )
    completion = SelectField(
        _l("Completion of the selected"),
        choices=choices([("", _l("Unchanged")), *pairs(Completion)]),
        default="",
    )


class CertificatePatternForm(BaseForm):
    pattern = StringField(
        _l("Certificate number pattern"), validators=[DataRequired(), Length(max=80)]
    )


def _step_choices() -> list[SelectChoice]:
    return choices([("", _l("— no step —")), *pairs(StepKind)])


class ChainForm(BaseForm):
    step_1 = SelectField(_l("Step 1"), choices=_step_choices(), default="")
    step_2 = SelectField(_l("Step 2"), choices=_step_choices(), default="")
    step_3 = SelectField(_l("Step 3"), choices=_step_choices(), default="")
    step_4 = SelectField(_l("Step 4"), choices=_step_choices(), default="")
    step_5 = SelectField(_l("Step 5"), choices=_step_choices(), default="")

    def kinds(self) -> list[StepKind]:
        values = [self.step_1, self.step_2, self.step_3, self.step_4, self.step_5]
        return [StepKind(field.data) for field in values if field.data]


class DelegationForm(BaseForm):
    position_id = SelectField(_l("Head position"), coerce=optional_int, validators=[DataRequired()])
    delegate_employee_id = SelectField(
        _l("Acting official"), coerce=optional_int, validators=[DataRequired()]
    )
    kind = SelectField(_l("Kind"), choices=choices(pairs(DelegationKind)))
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid until"), validators=[DataRequired()])
    sk_number = StringField(_l("SK number"), validators=[DataRequired(), Length(max=100)])


class BudgetForm(BaseForm):
    org_unit_id = SelectField(_l("Unit"), coerce=optional_int, validators=[DataRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    code = StringField(_l("Sub-activity code"), validators=[Length(max=60)])
    name = StringField(_l("Budget line"), validators=[DataRequired(), Length(max=200)])
    source = SelectField(_l("Funding source"), choices=choices(pairs(BudgetSource)))
    amount = IntegerField(
        _l("Amount (Rp)"), validators=[InputRequired(), NumberRange(min=0, max=10**14)]
    )
