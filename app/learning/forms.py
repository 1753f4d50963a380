"""Forms of the learning record: HR records an activity from outside the portal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.web.forms import BaseForm


class ManualRecordForm(BaseForm):
    nip = StringField(
        _l("NIP"), validators=[DataRequired(), Length(max=30)], render_kw={"inputmode": "numeric"}
    )
    title = StringField(_l("Activity"), validators=[DataRequired(), Length(max=200)])
    activity_date = DateField(_l("Date"), validators=[DataRequired()])
    jp = FloatField(
        _l("JP (1 JP = 45 minutes)"), validators=[InputRequired(), NumberRange(min=0.25, max=1000)]
    )
    certificate_number = StringField(_l("Certificate number"), validators=[Length(max=100)])
