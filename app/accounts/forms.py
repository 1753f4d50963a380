"""Login, language and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.web.forms import BaseForm, choices


class LoginForm(BaseForm):
    login = StringField(_l("Email or NIP"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class LanguageForm(BaseForm):
    locale = SelectField(
        _l("Language"), choices=choices([("id", "Bahasa Indonesia"), ("en", "English")])
    )


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=12, max=128)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class SecondFactorForm(BaseForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])


class SecondFactorDisableForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=128)]
    )
