"""SKP import from an e-Kinerja export (CSV or XLSX): preview every bad row, then all or nothing.

Columns: NIP, TAHUN, PERIODE (tahunan, TW1…TW4; tahunan when empty), HASIL_KERJA, PERILAKU and
optionally PREDIKAT, which must agree with the matrix. The upload is staged under a random name;
nothing is written until HR confirms, and the confirmed import is one transaction of two
executemany statements (remove the periods being replaced, insert the new rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, delete, insert, select

from app.clock import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee
from app.org.transfer import RowProblem, read_rows
from app.talent import audit
from app.talent.matrix import PREDIKAT_LABELS, RATING_LABELS, predikat
from app.talent.models import Predikat, Rating, SkpPeriod, SkpRating, SkpSource
from app.web import imports

MAX_ROWS = 50_000
STAGING_KIND = "skp"
ALIASES = {
    "NIP": "NIP",
    "NIP_BARU": "NIP",
    "TAHUN": "TAHUN",
    "TAHUN_PENILAIAN": "TAHUN",
    "PERIODE": "PERIODE",
    "PERIODE_PENILAIAN": "PERIODE",
    "HASIL_KERJA": "HASIL_KERJA",
    "RATING_HASIL_KERJA": "HASIL_KERJA",
    "PERILAKU": "PERILAKU",
    "PERILAKU_KERJA": "PERILAKU",
    "RATING_PERILAKU": "PERILAKU",
    "PREDIKAT": "PREDIKAT",
    "PREDIKAT_KINERJA": "PREDIKAT",
}
REQUIRED = ("NIP", "TAHUN", "HASIL_KERJA", "PERILAKU")

RATING_WORDS = {
    "diatas": Rating.ABOVE,
    "above": Rating.ABOVE,
    "sesuai": Rating.MEETS,
    "meets": Rating.MEETS,
    "dibawah": Rating.BELOW,
    "below": Rating.BELOW,
}
PREDIKAT_WORDS = {
    "sangatbaik": Predikat.SANGAT_BAIK,
    "baik": Predikat.BAIK,
    "butuhperbaikan": Predikat.BUTUH_PERBAIKAN,
    "kurang": Predikat.KURANG,
    "misconduct": Predikat.KURANG,
    "kurangmisconduct": Predikat.KURANG,
    "sangatkurang": Predikat.SANGAT_KURANG,
}
PERIOD_WORDS = {
    "": SkpPeriod.ANNUAL,
    "tahunan": SkpPeriod.ANNUAL,
    "annual": SkpPeriod.ANNUAL,
    "tw1": SkpPeriod.Q1,
    "triwulan1": SkpPeriod.Q1,
    "triwulani": SkpPeriod.Q1,
    "tw2": SkpPeriod.Q2,
    "triwulan2": SkpPeriod.Q2,
    "triwulanii": SkpPeriod.Q2,
    "tw3": SkpPeriod.Q3,
    "triwulan3": SkpPeriod.Q3,
    "triwulaniii": SkpPeriod.Q3,
    "tw4": SkpPeriod.Q4,
    "triwulan4": SkpPeriod.Q4,
    "triwulaniv": SkpPeriod.Q4,
}


def _word(text: str) -> str:
    """Lower case, letters and digits only, without the word 'ekspektasi'."""
    return re.sub(r"[^a-z0-9]", "", text.lower()).replace("ekspektasi", "")


def parse_rating(text: str) -> Rating | None:
    return RATING_WORDS.get(_word(text))


def parse_predikat(text: str) -> Predikat | None:
    return PREDIKAT_WORDS.get(_word(text))


def parse_period(text: str) -> SkpPeriod | None:
    return PERIOD_WORDS.get(_word(text))


@dataclass
class SkpPreview:
    token: str
    filename: str
    instansi_id: int
    year: int
    total: int = 0
    replaces: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    valid: list[dict[str, object]] = field(default_factory=list)


def build_preview(
    instansi_id: int, year: int, filename: str, content: bytes, token: str
) -> SkpPreview:
    """Check every row; each bad one is listed with its line and every reason it is refused."""
    preview = SkpPreview(token=token, filename=filename, instansi_id=instansi_id, year=year)
    rows = list(read_rows(filename, content, ALIASES, REQUIRED))
    if len(rows) > MAX_ROWS:
        raise ServiceError(_l("At most %(n)d rows per file.", n=MAX_ROWS), field="file")
    employees = dict(
        db.session.execute(
            select(Employee.nip, Employee.id).where(Employee.instansi_id == instansi_id)
        ).all()
    )
    existing = {
        (employee_id, str(period))
        for employee_id, period in db.session.execute(
            select(SkpRating.employee_id, SkpRating.period).where(
                SkpRating.instansi_id == instansi_id, SkpRating.year == year
            )
        )
    }
    seen: dict[tuple[str, SkpPeriod], int] = {}
    for line, row in rows:
        preview.total += 1
        nip = row.get("NIP", "").replace(" ", "")
        reasons: list[str] = []
        employee_id = employees.get(nip)
        if employee_id is None:
            reasons.append(str(_l("Unknown NIP '%(nip)s' in this instansi.", nip=nip)))
        raw_year = row.get("TAHUN", "").strip()
        if raw_year != str(year):
            reasons.append(
                str(
                    _l(
                        "Period %(value)s is outside the year %(year)d.",
                        value=raw_year or "-",
                        year=year,
                    )
                )
            )
        period = parse_period(row.get("PERIODE", ""))
        if period is None:
            reasons.append(
                str(
                    _l(
                        "Unknown period '%(value)s' (tahunan, TW1–TW4).",
                        value=row.get("PERIODE", ""),
                    )
                )
            )
        ratings: dict[str, Rating] = {}
        for column, label in (("HASIL_KERJA", _l("Hasil kerja")), ("PERILAKU", _l("Perilaku"))):
            rating = parse_rating(row.get(column, ""))
            if rating is None:
                reasons.append(
                    str(
                        _l(
                            "%(column)s '%(value)s' is not di atas, sesuai or di bawah ekspektasi.",
                            column=label,
                            value=row.get(column, ""),
                        )
                    )
                )
            else:
                ratings[column] = rating
        computed = None
        if len(ratings) == 2:
            computed = predikat(ratings["HASIL_KERJA"], ratings["PERILAKU"])
            typed = row.get("PREDIKAT", "").strip()
            if typed:
                given = parse_predikat(typed)
                if given is None:
                    reasons.append(str(_l("Unknown predikat '%(value)s'.", value=typed)))
                elif given != computed:
                    reasons.append(
                        str(
                            _l(
                                "Predikat '%(given)s' contradicts the matrix: %(hasil)s and "
                                "%(perilaku)s give %(computed)s.",
                                given=typed,
                                hasil=RATING_LABELS[ratings["HASIL_KERJA"]],
                                perilaku=RATING_LABELS[ratings["PERILAKU"]],
                                computed=PREDIKAT_LABELS[computed],
                            )
                        )
                    )
        if period is not None:
            key = (nip, period)
            if key in seen:
                reasons.append(str(_l("Same NIP and period as line %(line)d.", line=seen[key])))
            else:
                seen[key] = line
        if reasons or employee_id is None or period is None or computed is None:
            preview.problems.append(RowProblem(line, nip, " ".join(reasons)))
            continue
        if (employee_id, period.value) in existing:
            preview.replaces += 1
        preview.valid.append(
            {
                "employee_id": employee_id,
                "period": period.value,
                "hasil_kerja": ratings["HASIL_KERJA"].value,
                "perilaku": ratings["PERILAKU"].value,
                "predikat": computed.value,
            }
        )
    return preview


def stage(instansi_id: int, year: int, user_id: int, filename: str, content: bytes) -> SkpPreview:
    """Check the upload and keep it under a random name until it is confirmed or discarded."""
    token = imports.staging_token(STAGING_KIND)
    preview = build_preview(instansi_id, year, filename, content, token)
    imports.stage_upload(token, user_id, filename, content, instansi_id=instansi_id, year=year)
    return preview


def load_staged(token: str, user_id: int) -> SkpPreview:
    """Re-check a staged upload: the database may have changed since the preview."""
    staged = imports.load_staged(STAGING_KIND, token, user_id)
    meta = staged.meta
    return build_preview(meta["instansi_id"], meta["year"], staged.filename, staged.content, token)


def discard(token: str) -> None:
    imports.discard_staged(STAGING_KIND, token)


def apply(preview: SkpPreview, user_id: int) -> int:
    """Write every valid row in one transaction; refused when any row is bad."""
    if preview.problems:
        raise ServiceError(
            _l("%(n)d rows have problems; correct the file first.", n=len(preview.problems))
        )
    if not preview.valid:
        raise ServiceError(_l("There is no valid row to import."))
    table = SkpRating.__table__
    now = utcnow()
    try:
        db.session.execute(
            delete(table).where(
                and_(
                    table.c.employee_id == bindparam("e"),
                    table.c.year == preview.year,
                    table.c.period == bindparam("p"),
                )
            ),
            [{"e": v["employee_id"], "p": v["period"]} for v in preview.valid],
        )
        db.session.execute(
            insert(table),
            [
                {
                    **values,
                    "instansi_id": preview.instansi_id,
                    "year": preview.year,
                    "source": SkpSource.E_KINERJA.value,
                    "note": "",
                    "entered_by_id": user_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for values in preview.valid
            ],
        )
        audit.record(
            preview.instansi_id,
            "skp_import",
            preview.year,
            "import",
            f"{preview.filename}: {len(preview.valid)} rows, {preview.replaces} replaced",
            user_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    discard(preview.token)
    return len(preview.valid)
