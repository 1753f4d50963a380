"""Forms of the SIASN pages: the instansi's codes, the mapping, exports, imports, evidence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.siasn.models import ExportFormat
from app.web.forms import BaseForm, choices


class ProfileForm(BaseForm):
    siasn_instansi_id = StringField(
        _l("SIASN instansi id (instansiId)"), validators=[DataRequired(), Length(max=64)]
    )
    lokasi_id = StringField(_l("SIASN location id (lokasiId)"), validators=[Length(max=64)])
    default_provider = StringField(
        _l("Default provider (for records without one)"), validators=[Length(max=200)]
    )


class MappingForm(BaseForm):
    jenis_diklat_id = StringField(
        _l("SIASN jenis diklat (jenisDiklatId)"), validators=[Length(max=40)]
    )
    jenis_kursus = StringField(_l("SIASN jenis kursus (jenisKursus)"), validators=[Length(max=40)])
    jenis_kursus_sertipikat = StringField(
        _l("SIASN certificate type (jenisKursusSertipikat)"), validators=[Length(max=40)]
    )


class ExportForm(BaseForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    format = SelectField(
        _l("Format"),
        choices=choices(
            [
                (ExportFormat.CSV.value, "CSV"),
                (ExportFormat.XLSX.value, "XLSX"),
                (ExportFormat.JSONL.value, _l("JSON lines")),
            ]
        ),
        default=ExportFormat.CSV.value,
    )
    full = BooleanField(
        _l("Every record again (not only new and changed ones)"), validators=[Optional()]
    )


class ConfirmForm(BaseForm):
    """Only the CSRF token: what is confirmed is named by the URL."""
