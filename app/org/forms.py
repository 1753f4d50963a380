"""Forms for units, positions, employees and the employee import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.org.labels import code_label
from app.org.models import GOLONGAN, EmployeeStatus, Jenjang, PositionType, UnitKind
from app.web.forms import BaseForm, choices
from app.web.params import id_value

optional_int = id_value  # select fields post '' for "none"; anything not an id is none


class EmployeeForm(BaseForm):
    nip = StringField(
        _l("NIP"), validators=[DataRequired(), Length(max=30)], render_kw={"inputmode": "numeric"}
    )
    name = StringField(_l("Full name with titles"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(_l("Status"), choices=choices((s.value, s.value) for s in EmployeeStatus))
    golongan = SelectField(
        _l("Golongan/ruang"),
        choices=choices([("", "–"), *((g, f"{g} · {p}") for g, p in GOLONGAN.items())]),
    )
    org_unit_id = SelectField(_l("Unit"), coerce=optional_int, validators=[DataRequired()])
    position_id = SelectField(_l("Position"), coerce=optional_int, validators=[Optional()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])


class UnitForm(BaseForm):
    name = StringField(_l("Unit name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=choices([(k.value, code_label(k)) for k in UnitKind]),
    )
    parent_id = SelectField(_l("Parent unit"), coerce=optional_int, validators=[Optional()])


class PositionForm(BaseForm):
    name = StringField(_l("Position name"), validators=[DataRequired(), Length(max=200)])
    position_type = SelectField(
        _l("Position type"), choices=choices((t.value, code_label(t)) for t in PositionType)
    )
    jenjang = SelectField(
        _l("Jenjang"),
        choices=choices([("", "–"), *((j.value, code_label(j)) for j in Jenjang)]),
    )
    heads_unit = BooleanField(_l("This position heads the unit"))
    superior_id = SelectField(_l("Superior position"), coerce=optional_int, validators=[Optional()])


class ImportForm(BaseForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    instansi_id = SelectField(_l("Instansi"), coerce=optional_int, validators=[DataRequired()])
