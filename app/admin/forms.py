"""Forms of account and instansi administration."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.clock import TimeZoneName
from app.org.models import InstansiKind
from app.web.forms import BaseForm, choices


class RolesForm(BaseForm):
    roles = SelectMultipleField(
        _l("Granted roles"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class AccountForm(BaseForm):
    """A login for an employee (found by NIP) or for an external stakeholder."""

    kind = SelectField(
        _l("Account for"),
        choices=choices(
            [
                ("employee", _l("An employee (by NIP)")),
                ("stakeholder", _l("An external stakeholder")),
            ]
        ),
    )
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=30)])
    display_name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"), validators=[DataRequired(), Length(min=12, max=128)]
    )


ZONE_LABELS = {
    "": _l("The portal's time zone"),
    TimeZoneName.WIB.value: _l("WIB (Western Indonesia, UTC+7)"),
    TimeZoneName.WITA.value: _l("WITA (Central Indonesia, UTC+8)"),
    TimeZoneName.WIT.value: _l("WIT (Eastern Indonesia, UTC+9)"),
}


class InstansiForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use a-z, 0-9 and -.")),
        ],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"), choices=choices((k.value, k.value.capitalize()) for k in InstansiKind)
    )
    ppk_title = StringField(_l("Title of the PPK"), validators=[Optional(), Length(max=200)])
    time_zone = SelectField(_l("Time zone"), choices=choices(ZONE_LABELS.items()), default="")


class SecondFactorPolicyForm(BaseForm):
    required = BooleanField(_l("HR administrators must use a second factor"))
