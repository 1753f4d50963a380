"""Forms of mentoring: they parse input; the business rules live in the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.mentoring.models import MatchingMode, PairingState, SessionMode
from app.web.forms import BaseForm, choices
from app.web.params import id_value

MATCHING_MODE_LABELS = {
    MatchingMode.ADMIN: _l("HR pairs mentors and mentees"),
    MatchingMode.SELF: _l("Mentees choose their mentor"),
    MatchingMode.SUGGESTED: _l("Mentees choose from ranked suggestions"),
}

SESSION_MODE_LABELS = {
    SessionMode.IN_PERSON: _l("In person"),
    SessionMode.ONLINE: _l("Online"),
    SessionMode.PHONE: _l("Phone"),
}

STATE_LABELS = {
    PairingState.PROPOSED: _l("Proposed"),
    PairingState.ACTIVE: _l("Active"),
    PairingState.COMPLETED: _l("Completed"),
    PairingState.CANCELLED: _l("Cancelled"),
}


_int_or_none = id_value  # select values as ids; anything else becomes None


class ProgramForm(BaseForm):
    instansi_id = SelectField(_l("Instansi"), coerce=_int_or_none, validate_choice=False)
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    objective = TextAreaField(_l("Objective"), validators=[Optional(), Length(max=2000)])
    min_weeks = IntegerField(_l("Minimum duration (weeks)"), validators=[InputRequired()])
    max_weeks = IntegerField(_l("Maximum duration (weeks)"), validators=[InputRequired()])
    matching_mode = SelectField(
        _l("Matching mode"),
        choices=choices((mode.value, label) for mode, label in MATCHING_MODE_LABELS.items()),
        validate_choice=False,
    )
    minutes_per_jp = IntegerField(_l("Minutes of mentoring per JP"), validators=[InputRequired()])
    active = BooleanField(_l("Open for new pairings"), default=True)


class ProfileForm(BaseForm):
    capacity = IntegerField(_l("Capacity (mentees at a time)"), validators=[InputRequired()])
    available = BooleanField(_l("Taking new mentees"), default=True)
    availability = StringField(
        _l("When are you available?"), validators=[Optional(), Length(max=200)]
    )
    bio = TextAreaField(_l("About you as a mentor"), validators=[Optional(), Length(max=2000)])
    strengths = SelectMultipleField(
        _l("Competencies you are strong in"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class ProposeForm(BaseForm):
    program_id = SelectField(_l("Program"), coerce=_int_or_none, validate_choice=False)
    mentee_id = HiddenField(validators=[Optional()])
    mentor_id = SelectField(_l("Mentor"), coerce=_int_or_none, validate_choice=False)
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("Planned end date"), validators=[InputRequired()])
    focus = TextAreaField(
        _l("What should the mentoring help with?"), validators=[Optional(), Length(max=2000)]
    )


class DecisionForm(BaseForm):
    decision = SelectField(
        _l("Decision"),
        choices=choices([("approve", _l("Approve")), ("reject", _l("Reject"))]),
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CloseForm(BaseForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=choices(
            [
                (PairingState.COMPLETED.value, _l("Completed")),
                (PairingState.CANCELLED.value, _l("Cancelled")),
            ]
        ),
        validators=[InputRequired()],
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class GoalForm(BaseForm):
    description = StringField(_l("Goal"), validators=[InputRequired(), Length(max=300)])
    competency_code = SelectField(_l("Competency"), validate_choice=False)


class GoalProgressForm(BaseForm):
    progress = IntegerField(_l("Progress in percent"), validators=[InputRequired()])


class SessionForm(BaseForm):
    """The one small form a mentor fills in after a session."""

    pairing_id = SelectField(_l("Mentee"), coerce=_int_or_none, validate_choice=False)
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    duration_minutes = IntegerField(_l("Duration (minutes)"), validators=[InputRequired()])
    mode = SelectField(
        _l("Mode"),
        choices=choices((mode.value, label) for mode, label in SESSION_MODE_LABELS.items()),
        validate_choice=False,
    )
    topics = StringField(_l("Topics"), validators=[InputRequired(), Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    agreed_actions = TextAreaField(_l("Agreed actions"), validators=[Optional(), Length(max=5000)])
