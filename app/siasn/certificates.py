"""Certificates and JP from LMS ASN and other platforms: checked rows, then verified records.

An upload (CSV or XLSX: NIP, course, provider, dates, JP, certificate number, optional form
code) is checked row by row into a preview listing every bad row with its reason, duplicates
included (same NIP, course and start date, within the file or already recorded). Nothing is
written until it is confirmed; the confirmed rows become learning records and certificate rows
in one transaction, with a fixed number of statements per 5,000 rows.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from app.clock import local_today, utcnow
from app.errors import ServiceError
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import NewCredit, credit_many, titles_on_dates
from app.org.models import Employee
from app.org.nip import NipError, normalize_nip, parse_nip
from app.org.transfer import RowProblem, read_rows
from app.siasn.models import CertificateOrigin, CertificateStatus, ExternalCertificate
from app.siasn.services import CERTIFICATE_KEY, MAPPING_KEYS
from app.web import imports

MAX_ROWS = 50_000
STAGING_KIND = "certificates"
JP_MIN, JP_MAX = 1, 1000
CHUNK = 5000
HEADER_ALIASES = {
    "NIP": "NIP",
    "NIP_BARU": "NIP",
    "NAMA_KURSUS": "COURSE",
    "KURSUS": "COURSE",
    "NAMA_PELATIHAN": "COURSE",
    "JUDUL": "COURSE",
    "COURSE": "COURSE",
    "PENYELENGGARA": "PROVIDER",
    "INSTITUSI_PENYELENGGARA": "PROVIDER",
    "PROVIDER": "PROVIDER",
    "TANGGAL_MULAI": "START",
    "TGL_MULAI": "START",
    "START_DATE": "START",
    "TANGGAL_SELESAI": "END",
    "TGL_SELESAI": "END",
    "END_DATE": "END",
    "JP": "JP",
    "JUMLAH_JP": "JP",
    "JAM_PELAJARAN": "JP",
    "NOMOR_SERTIFIKAT": "CERTIFICATE",
    "NO_SERTIFIKAT": "CERTIFICATE",
    "CERTIFICATE_NUMBER": "CERTIFICATE",
    "JENIS": "CODE",
    "KODE": "CODE",
    "BENTUK": "CODE",
}
REQUIRED = ("NIP", "COURSE", "PROVIDER", "START", "END", "JP", "CERTIFICATE")
_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")


def parse_day(text: str) -> date | None:
    """dd-mm-yyyy (SIASN, LMS ASN), dd/mm/yyyy, yyyy-mm-dd or an XLSX date cell."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", text):
        text = text[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def course_key(text: str) -> str:
    return _clean(text).lower()


@dataclass(frozen=True)
class CertificateFacts:
    course: str
    provider: str
    start: date | None
    end: date | None
    jp: float | None
    certificate_number: str
    code: str


def check_facts(facts: CertificateFacts) -> list[tuple[str, str]]:
    """(field, reason) for every rule a certificate breaks; the import and the form share it."""
    problems: list[tuple[str, str]] = []
    if not facts.course:
        problems.append(("course", str(_l("The course name is empty."))))
    elif len(facts.course) > 200:
        problems.append(("course", str(_l("The course name has more than 200 characters."))))
    if not facts.provider:
        problems.append(("provider", str(_l("The provider is empty."))))
    if facts.start is None:
        problems.append(("start_date", str(_l("The start date is not a date (dd-mm-yyyy)."))))
    if facts.end is None:
        problems.append(("end_date", str(_l("The end date is not a date (dd-mm-yyyy)."))))
    if facts.start and facts.end:
        if facts.end < facts.start:
            problems.append(("end_date", str(_l("The end date is before the start date."))))
        elif facts.end > local_today():
            problems.append(("end_date", str(_l("The end date is in the future."))))
    if facts.jp is None or not JP_MIN <= facts.jp <= JP_MAX:
        problems.append(
            ("jp", str(_l("JP must be a number from %(lo)d to %(hi)d.", lo=JP_MIN, hi=JP_MAX)))
        )
    if not facts.certificate_number:
        problems.append(("certificate_number", str(_l("The certificate number is empty."))))
    if facts.code and facts.code not in MAPPING_KEYS:
        problems.append(("code", str(_l("Unknown code '%(code)s'.", code=facts.code))))
    return problems


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if value == value else None  # NaN is not a number of JP


class ValidCertificate(TypedDict):
    """One importable line: the columns of its ExternalCertificate row, and where it came from."""

    line: int
    employee_id: int
    instansi_id: int
    course: str
    provider: str
    start_date: date
    end_date: date
    jp: float
    certificate_number: str
    mapping_key: str


@dataclass
class CertificatePreview:
    token: str
    filename: str
    instansi_id: int | None
    total: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: int = 0
    valid: list[ValidCertificate] = field(default_factory=list)

    @property
    def importable(self) -> int:
        return len(self.valid)


def _employees(nips: list[str], instansi_id: int | None) -> dict[str, tuple[int, int]]:
    """NIP → (employee id, instansi id) of active employees (in the instansi): chunked IN."""
    found: dict[str, tuple[int, int]] = {}
    unique = sorted(set(nips))
    for start in range(0, len(unique), CHUNK):
        query = select(Employee.nip, Employee.id, Employee.instansi_id).where(
            Employee.nip.in_(unique[start : start + CHUNK]), Employee.active.is_(True)
        )
        if instansi_id is not None:
            query = query.where(Employee.instansi_id == instansi_id)
        found.update((nip, (eid, iid)) for nip, eid, iid in db.session.execute(query))
    return found


def _recorded(employee_ids: list[int], first: date, last: date) -> set[tuple[int, str, date]]:
    """(employee, course, start date) of certificates, and (employee, title, end) of records."""
    found = titles_on_dates(employee_ids, first, last)
    unique = sorted(set(employee_ids))
    for start in range(0, len(unique), CHUNK):
        rows = db.session.execute(
            select(
                ExternalCertificate.employee_id,
                ExternalCertificate.course,
                ExternalCertificate.start_date,
            ).where(
                ExternalCertificate.employee_id.in_(unique[start : start + CHUNK]),
                ExternalCertificate.status != CertificateStatus.REJECTED,
                ExternalCertificate.start_date >= first,
                ExternalCertificate.start_date <= last,
            )
        )
        found.update((eid, course_key(course), day) for eid, course, day in rows)
    return found


def build_preview(
    filename: str, content: bytes, instansi_id: int | None, token: str = ""
) -> CertificatePreview:
    """Check every row; the NIPs must belong to `instansi_id` (any instansi when None)."""
    preview = CertificatePreview(token=token, filename=filename, instansi_id=instansi_id)
    rows = list(read_rows(filename, content, HEADER_ALIASES, REQUIRED))
    if len(rows) > MAX_ROWS:
        raise ServiceError(_l("At most %(n)d rows per file.", n=MAX_ROWS), field="file")
    parsed = []
    for line, row in rows:
        nip = normalize_nip(row.get("NIP", ""))
        facts = CertificateFacts(
            _clean(row.get("COURSE", "")),
            _clean(row.get("PROVIDER", ""))[:200],
            parse_day(row.get("START", "")),
            parse_day(row.get("END", "")),
            _number(row.get("JP", "")),
            _clean(row.get("CERTIFICATE", ""))[:100],
            row.get("CODE", "").strip().lower(),
        )
        parsed.append((line, row.get("NIP", ""), nip, facts))
    employees = _employees([nip for _, _, nip, _ in parsed], instansi_id)
    days = [d for *_, f in parsed for d in (f.start, f.end) if d is not None]
    recorded = (
        _recorded([e for e, _ in employees.values()], min(days), max(days)) if days else set()
    )
    seen: dict[tuple[str, str, date], int] = {}
    for line, raw_nip, nip, facts in parsed:
        preview.total += 1
        reasons = [message for _, message in check_facts(facts)]
        match = employees.get(nip)
        try:
            parse_nip(nip)
        except NipError as error:
            reasons.insert(0, str(error))
        else:
            if match is None:
                reasons.insert(0, str(_l("No active employee of this instansi has this NIP.")))
        duplicate = False
        if facts.start is not None and facts.course:
            key = (nip, course_key(facts.course), facts.start)
            if key in seen:
                reasons.append(
                    str(_l("Same NIP, course and start date as line %(line)d.", line=seen[key]))
                )
                duplicate = True
            else:
                seen[key] = line
            if match is not None and (
                (match[0], key[1], facts.start) in recorded
                or (facts.end is not None and (match[0], key[1], facts.end) in recorded)
            ):
                reasons.append(str(_l("Already recorded (same NIP, course and date).")))
                duplicate = True
        preview.duplicates += duplicate
        if reasons or match is None or facts.start is None or facts.end is None:
            preview.problems.append(RowProblem(line, raw_nip, " ".join(reasons)))
            continue
        preview.valid.append(
            {
                "line": line,
                "employee_id": match[0],
                "instansi_id": match[1],
                "course": facts.course,
                "provider": facts.provider,
                "start_date": facts.start,
                "end_date": facts.end,
                "jp": round(float(facts.jp or 0), 2),
                "certificate_number": facts.certificate_number,
                "mapping_key": facts.code or CERTIFICATE_KEY,
            }
        )
    return preview


def apply_import(preview: CertificatePreview, user_id: int | None) -> int:
    """Write the valid rows as verified records in one transaction: all of them or none."""
    if not preview.valid:
        raise ServiceError(_l("There is no valid row to import."), field="file")
    batch = preview.token or secrets.token_hex(8)
    now = utcnow()
    try:
        for start in range(0, len(preview.valid), CHUNK):
            chunk = preview.valid[start : start + CHUNK]
            ids = credit_many(
                LearningSource.CERTIFICATE,
                [
                    NewCredit(
                        int(row["employee_id"]),
                        float(row["jp"]),
                        f"certificate:{batch}:{row['line']}",
                        row["end_date"],
                        str(row["course"]),
                        str(row["certificate_number"]),
                    )
                    for row in chunk
                ],
            )
            db.session.execute(
                insert(ExternalCertificate),
                [
                    {
                        **{k: v for k, v in row.items() if k != "line"},
                        "origin": CertificateOrigin.IMPORT,
                        "status": CertificateStatus.VERIFIED,
                        "submitted_by_id": user_id,
                        "verified_by_id": user_id,
                        "verified_at": now,
                        "review_note": "",
                        "learning_record_id": ids[f"certificate:{batch}:{row['line']}"],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for row in chunk
                ],
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    discard_staged(preview.token)
    return len(preview.valid)


# ---- staging an upload between the preview and the confirmation -----------------------------


def stage_upload(
    instansi_id: int, user_id: int, filename: str, content: bytes
) -> CertificatePreview:
    token = imports.staging_token(STAGING_KIND)
    preview = build_preview(filename, content, instansi_id, token)
    imports.stage_upload(token, user_id, filename, content, instansi_id=instansi_id)
    return preview


def load_staged(token: str, user_id: int) -> CertificatePreview:
    """Check the staged upload again (the records may have changed since the preview)."""
    staged = imports.load_staged(STAGING_KIND, token, user_id)
    return build_preview(staged.filename, staged.content, staged.meta["instansi_id"], token)


def discard_staged(token: str) -> None:
    imports.discard_staged(STAGING_KIND, token)


def problems_text(problems: Iterable[RowProblem]) -> list[str]:
    return [f"line {p.line} (NIP {p.nip}): {p.reason}" for p in problems]
