"""The instansi's SIASN codes and the mapping of Bangkom's forms to SIASN reference codes."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import ValidationFailed
from app.extensions import db
from app.siasn.models import SiasnMapping, SiasnProfile
from app.training.labels import LABELS
from app.training.models import TrainingForm

# Keys a mapping row can have: every form of a catalogue program, and the learning-record
# sources that do not come from a program (HR's manual entries and external certificates).
MANUAL_KEY = "manual"
CERTIFICATE_KEY = "certificate"
MAPPING_KEYS: tuple[str, ...] = (
    *(form.value for form in TrainingForm),
    MANUAL_KEY,
    CERTIFICATE_KEY,
)
CODE_MAX = 40


def mapping_label(key: str) -> object:
    if key == MANUAL_KEY:
        return _l("Recorded by HR")
    if key == CERTIFICATE_KEY:
        return _l("External certificate (LMS ASN and others)")
    try:
        return LABELS[TrainingForm][TrainingForm(key)]
    except ValueError:
        return key


def profile_of(instansi_id: int) -> SiasnProfile:
    """The instansi's SIASN profile; an unsaved empty one when HR has not filled it in yet."""
    profile = db.session.scalar(select(SiasnProfile).where(SiasnProfile.instansi_id == instansi_id))
    return profile or SiasnProfile(
        instansi_id=instansi_id, siasn_instansi_id="", lokasi_id="", default_provider=""
    )


def _code(value: str | None) -> str:
    return "".join((value or "").split())


def save_profile(
    instansi_id: int,
    siasn_instansi_id: str,
    lokasi_id: str,
    default_provider: str,
    user_id: int | None,
) -> SiasnProfile:
    problems: list[tuple[str, str]] = []
    siasn_instansi_id, lokasi_id = _code(siasn_instansi_id), _code(lokasi_id)
    if not siasn_instansi_id:
        problems.append(("siasn_instansi_id", str(_l("Give the instansi's SIASN id."))))
    if len(siasn_instansi_id) > 64 or len(lokasi_id) > 64:
        problems.append(("siasn_instansi_id", str(_l("SIASN ids have at most 64 characters."))))
    if problems:
        raise ValidationFailed(problems)
    profile = profile_of(instansi_id)
    profile.siasn_instansi_id = siasn_instansi_id
    profile.lokasi_id = lokasi_id
    profile.default_provider = " ".join(default_provider.split())[:200]
    profile.updated_by_id = user_id
    db.session.add(profile)
    db.session.commit()
    return profile


@dataclass(frozen=True)
class MappingRow:
    key: str
    label: object
    jenis_diklat_id: str
    jenis_kursus: str
    jenis_kursus_sertipikat: str

    @property
    def complete(self) -> bool:
        return bool(self.jenis_diklat_id and self.jenis_kursus)


def mappings_of(instansi_id: int) -> dict[str, SiasnMapping]:
    rows = db.session.scalars(select(SiasnMapping).where(SiasnMapping.instansi_id == instansi_id))
    return {row.key: row for row in rows}


def mapping_table(instansi_id: int) -> list[MappingRow]:
    """One row per mapping key, filled in or not: one query."""
    saved = mappings_of(instansi_id)
    rows = []
    for key in MAPPING_KEYS:
        row = saved.get(key)
        rows.append(
            MappingRow(
                key,
                mapping_label(key),
                row.jenis_diklat_id if row else "",
                row.jenis_kursus if row else "",
                row.jenis_kursus_sertipikat if row else "",
            )
        )
    return rows


def save_mapping(
    instansi_id: int,
    key: str,
    jenis_diklat_id: str,
    jenis_kursus: str,
    jenis_kursus_sertipikat: str,
    user_id: int | None,
    known_diklat_codes: set[str] | None = None,
) -> SiasnMapping:
    """Set the SIASN codes of one key; with reference data loaded, the codes must exist in it."""
    if key not in MAPPING_KEYS:
        raise ValidationFailed([("jenis_diklat_id", str(_l("Unknown form of development.")))])
    values = {
        "jenis_diklat_id": _code(jenis_diklat_id),
        "jenis_kursus": _code(jenis_kursus),
        "jenis_kursus_sertipikat": _code(jenis_kursus_sertipikat),
    }
    problems = [
        (name, str(_l("At most %(n)d characters.", n=CODE_MAX)))
        for name, value in values.items()
        if len(value) > CODE_MAX
    ]
    diklat = values["jenis_diklat_id"]
    if known_diklat_codes and diklat and diklat not in known_diklat_codes:
        problems.append(
            (
                "jenis_diklat_id",
                str(_l("Unknown SIASN jenis diklat code '%(code)s'.", code=diklat)),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    row = mappings_of(instansi_id).get(key) or SiasnMapping(instansi_id=instansi_id, key=key)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by_id = user_id
    db.session.add(row)
    db.session.commit()
    return row
