"""Forms of the SIASN pages: the instansi's codes, the mapping, exports, imports, evidence."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

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


class CertificateImportForm(BaseForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )


class SubmitCertificateForm(BaseForm):
    course = StringField(_l("Course"), validators=[DataRequired(), Length(max=200)])
    provider = StringField(
        _l("Provider (e.g. LAN, LMS ASN, a ministry)"), validators=[DataRequired(), Length(max=200)]
    )
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[DataRequired()])
    jp = FloatField(
        _l("JP (1 JP = 45 minutes)"), validators=[InputRequired(), NumberRange(min=1, max=1000)]
    )
    certificate_number = StringField(
        _l("Certificate number"), validators=[DataRequired(), Length(max=100)]
    )
    evidence = FileField(
        _l("Certificate (PDF, PNG or JPEG, at most 5 MB)"),
        validators=[
            FileRequired(),
            FileAllowed(["pdf", "png", "jpg", "jpeg"], _l("Upload a PDF, PNG or JPEG file.")),
        ],
    )


class ReviewForm(BaseForm):
    decision = RadioField(
        _l("Decision"),
        choices=choices([("verify", _l("Verify and credit the JP")), ("reject", _l("Reject"))]),
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Note (required to reject)"), validators=[Length(max=1000)])


class ReferenceImportForm(BaseForm):
    kind = SelectField(
        _l("Reference list"),
        choices=choices(
            [
                ("unor", _l("Units (unor)")),
                ("jabatan", _l("Positions (jabatan)")),
                ("jenis_diklat", _l("Kinds of training (jenis diklat)")),
            ]
        ),
    )
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[
            FileRequired(),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    confirm = BooleanField(_l("Write the valid rows (otherwise only check)"))
