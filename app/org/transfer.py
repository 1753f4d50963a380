"""Employee import and export in the columns of a SIASN-style list (CSV and XLSX).

An upload is parsed and checked into a preview; nothing is written until the user confirms,
and the confirmed import runs in one transaction, so a failure leaves the database as it was.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import Select, func, select

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee, OrgUnit, Position
from app.org.services import EmployeeData, check_employee_fields
from app.web import exports, imports

EXPORT_COLUMNS = ("NIP", "NAMA", "JABATAN", "UNIT_KERJA", "GOLONGAN", "STATUS", "EMAIL")
MAX_IMPORT_ROWS = 50_000
STAGING_KIND = "employees"

# Header spellings seen in SIASN and regional exports, mapped to our column names.
HEADER_ALIASES = {
    "NIP": "NIP",
    "NIP_BARU": "NIP",
    "NAMA": "NAMA",
    "NAMA_LENGKAP": "NAMA",
    "JABATAN": "JABATAN",
    "JABATAN_NAMA": "JABATAN",
    "NAMA_JABATAN": "JABATAN",
    "UNIT_KERJA": "UNIT_KERJA",
    "UNOR": "UNIT_KERJA",
    "UNOR_NAMA": "UNIT_KERJA",
    "GOLONGAN": "GOLONGAN",
    "GOL": "GOLONGAN",
    "GOL_AKHIR_NAMA": "GOLONGAN",
    "STATUS": "STATUS",
    "STATUS_PEGAWAI": "STATUS",
    "JENIS_PEGAWAI": "STATUS",
    "EMAIL": "EMAIL",
    "EMAIL_KANTOR": "EMAIL",
}
REQUIRED_COLUMNS = ("NIP", "NAMA", "UNIT_KERJA", "STATUS")


@dataclass
class RowProblem:
    line: int
    nip: str
    reason: str


@dataclass
class ImportPreview:
    token: str
    filename: str
    instansi_id: int
    total: int = 0
    creates: int = 0
    updates: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    valid: list[dict[str, object]] = field(default_factory=list)

    @property
    def importable(self) -> int:
        return self.creates + self.updates


def _normalise_header(name: object, aliases: dict[str, str] = HEADER_ALIASES) -> str:
    text = str(name or "").strip().upper().replace(" ", "_").replace("-", "_")
    return aliases.get(text, text)


def _clean_cell(value: object) -> str:
    """Text of a cell; undo the Excel text tricks (`'0123`, `="0123"`) people use for NIPs."""
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= 1e15:  # past a double's precision: the digits are already lost
            return f"{value:.6E}"
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.lstrip("'")


def read_rows(
    filename: str,
    content: bytes,
    aliases: dict[str, str] = HEADER_ALIASES,
    required: tuple[str, ...] = REQUIRED_COLUMNS,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row by column name) from a CSV or XLSX upload; line 1 is the header.

    Other imports (e.g. SKP from e-Kinerja) pass their own header aliases and required columns.
    """
    rows: Iterator[tuple[int, Sequence[object]]]
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    header: list[str] | None = None
    for line, cells in rows:
        if header is None:
            header = [_normalise_header(cell, aliases) for cell in cells]
            missing = [name for name in required if name not in header]
            if missing:
                raise ServiceError(
                    _l("Missing columns: %(columns)s.", columns=", ".join(missing)), field="file"
                )
            continue
        values = [_clean_cell(cell) for cell in cells]
        if not any(values):
            continue
        yield line, dict(zip(header, values, strict=False))


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    return imports.csv_lines(imports.decode(content))


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[object]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ServiceError(_l("The file is not a readable XLSX workbook."), field="file") from error
    try:
        sheet = workbook.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            for value in row:
                imports.check_cell(line, value)
            yield line, list(row)
    finally:
        workbook.close()


def _nip_precision_problem(raw: str) -> bool:
    """An 18-digit NIP typed into a number cell comes back rounded (e.g. 1.98609E+17)."""
    return "E+" in raw.upper()


def build_preview(instansi_id: int, filename: str, content: bytes, token: str) -> ImportPreview:
    """Check every row against the instansi's units and positions; list each bad row."""
    preview = ImportPreview(token=token, filename=filename, instansi_id=instansi_id)
    units = {
        name.strip().lower(): unit_id
        for unit_id, name in db.session.execute(
            select(OrgUnit.id, OrgUnit.name).where(OrgUnit.instansi_id == instansi_id)
        )
    }
    positions = {
        (unit_id, name.strip().lower()): position_id
        for position_id, unit_id, name in db.session.execute(
            select(Position.id, Position.org_unit_id, Position.name).where(
                Position.instansi_id == instansi_id
            )
        )
    }
    rows = list(read_rows(filename, content))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ServiceError(_l("At most %(n)d rows per file.", n=MAX_IMPORT_ROWS), field="file")
    nips = [row.get("NIP", "").replace(" ", "") for _, row in rows]
    existing = (
        {
            nip: (emp_id, emp_instansi)
            for nip, emp_id, emp_instansi in db.session.execute(
                select(Employee.nip, Employee.id, Employee.instansi_id).where(
                    Employee.nip.in_(nips)
                )
            )
        }
        if nips
        else {}
    )
    seen: dict[str, int] = {}
    for line, row in rows:
        preview.total += 1
        raw_nip = row.get("NIP", "")
        reasons: list[str] = []
        if _nip_precision_problem(raw_nip):
            reasons.append(
                str(
                    _l("The NIP was stored as a number and lost digits; format the column as text.")
                )
            )
        data = EmployeeData(
            nip=raw_nip,
            name=row.get("NAMA", ""),
            status=row.get("STATUS", ""),
            golongan=row.get("GOLONGAN") or None,
            org_unit_id=0,
            position_id=None,
            email=row.get("EMAIL") or None,
        )
        values, problems = check_employee_fields(data)
        reasons.extend(message for _, message in problems)
        unit_id = units.get(row.get("UNIT_KERJA", "").strip().lower())
        if unit_id is None:
            reasons.append(str(_l("Unknown unit '%(name)s'.", name=row.get("UNIT_KERJA", ""))))
        position_name = row.get("JABATAN", "").strip()
        position_id = None
        if position_name and unit_id is not None:
            position_id = positions.get((unit_id, position_name.lower()))
            if position_id is None:
                reasons.append(
                    str(_l("Unknown position '%(name)s' in this unit.", name=position_name))
                )
        nip = str(values.get("nip", raw_nip))
        if nip in seen:
            reasons.append(str(_l("Same NIP as line %(line)d.", line=seen[nip])))
        else:
            seen[nip] = line
        match = existing.get(nip)
        if match is not None and match[1] != instansi_id:
            reasons.append(str(_l("This NIP belongs to an employee of another instansi.")))
        if reasons:
            preview.problems.append(RowProblem(line, raw_nip, " ".join(reasons)))
            continue
        values.update(org_unit_id=unit_id, position_id=position_id, line=line)
        if match is not None:
            values["employee_id"] = match[0]
            preview.updates += 1
        else:
            preview.creates += 1
        preview.valid.append(values)
    return preview


def stage_upload(instansi_id: int, user_id: int, filename: str, content: bytes) -> ImportPreview:
    """Keep the upload under a random name and return its preview."""
    token = imports.staging_token(STAGING_KIND)
    preview = build_preview(instansi_id, filename, content, token)
    imports.stage_upload(token, user_id, filename, content, instansi_id=instansi_id)
    return preview


def load_staged(token: str, user_id: int) -> ImportPreview:
    """Re-check a staged upload (the database may have changed since the preview)."""
    staged = imports.load_staged(STAGING_KIND, token, user_id)
    return build_preview(staged.meta["instansi_id"], staged.filename, staged.content, token)


def discard_staged(token: str) -> None:
    imports.discard_staged(STAGING_KIND, token)


def apply_import(preview: ImportPreview) -> tuple[int, int]:
    """Write the valid rows in one transaction: all of them or, on any failure, none."""
    if not preview.valid:
        raise ServiceError(_l("There is no valid row to import."))
    updates = {values["employee_id"]: values for values in preview.valid if "employee_id" in values}
    try:
        for employee in db.session.scalars(select(Employee).where(Employee.id.in_(list(updates)))):
            values = updates[employee.id]
            for key in ("name", "status", "golongan", "org_unit_id", "position_id", "email"):
                setattr(employee, key, values[key])
            employee.active = True
        for values in preview.valid:
            if "employee_id" in values:
                continue
            db.session.add(
                Employee(
                    instansi_id=preview.instansi_id,
                    **{k: v for k, v in values.items() if k not in ("line", "phone")},
                    phone=values.get("phone"),
                )
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    discard_staged(preview.token)
    return preview.creates, preview.updates


def export_query(base: Select) -> Select:
    """The export columns for the employees selected by `base` (already scoped)."""
    scoped = base.with_only_columns(Employee.id).order_by(None).subquery()
    return (
        select(
            Employee.nip,
            Employee.name,
            Position.name,
            OrgUnit.name,
            Employee.golongan,
            Employee.status,
            Employee.email,
        )
        .join(scoped, scoped.c.id == Employee.id)
        .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .order_by(OrgUnit.path, Employee.name)
    )


def _export_rows(base: Select) -> Iterator[tuple[str, ...]]:
    result = db.session.execute(export_query(base).execution_options(yield_per=1000))
    try:
        for nip, name, position, unit, golongan, status, email in result:
            yield (nip, name, position or "", unit, golongan or "", str(status), email or "")
    finally:
        result.close()


def csv_batches(base: Select) -> Iterator[list[tuple[str, ...]]]:
    """Rows for `app.web.exports.csv_response`, in batches while they stream from the database."""
    return exports.batched(_export_rows(base))


def write_xlsx(base: Select) -> Path:
    """The XLSX in constant memory in a temporary file; every column (NIP first) is text."""

    def fill(book: exports.Workbook) -> None:
        sheet = book.sheet("Pegawai")
        sheet.set_column(0, 0, 22, text=True)
        sheet.set_column(1, 6, 28)
        sheet.header(EXPORT_COLUMNS)
        sheet.rows(_export_rows(base), text_columns=range(len(EXPORT_COLUMNS)))

    return exports.write_xlsx(fill, prefix="pegawai-")


def count_rows(base: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(base.order_by(None).subquery())) or 0
