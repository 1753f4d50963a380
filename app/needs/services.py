"""Business rules of the needs analysis: dictionary, standards, settings, decisions on needs.

Also what other features call: `recompute` (the scoring lives in scoring.py), the status
changes of a need that training makes (`mark_nominated`, `release_nominated`). The gaps they
read are in gaps.py and the competency codes and names in competencies.py; both are
re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select, update

from app import jobs
from app.clock import local_today, utcnow
from app.database import rowcount
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.needs import scoring
from app.needs.competencies import competency_codes, dictionary_codes
from app.needs.dictionary import (
    CORE_COMPETENCIES,
    DEFAULT_LEVELS,
    CompetencyEntry,
    TechnicalEntry,
    core_entries,
    position_classes,
)
from app.needs.gaps import ID_CHUNK, standard_met, strengths, top_gaps
from app.needs.models import (
    AnalysisRun,
    Competency,
    CompetencyKind,
    CompetencyLevel,
    DevelopmentForm,
    DevelopmentNeed,
    NeedsSettings,
    NeedStatus,
    PositionStandard,
    StandardDefault,
)
from app.org.models import Instansi, OrgUnit, Position
from app.surveys.definition import Definition
from app.web import imports

LEVELS = (1, 2, 3, 4, 5)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
MAX_IMPORT_ROWS = 2_000


def recompute(
    instansi_id: int,
    year: int,
    user_id: int | None = None,
    definitions: dict[str, Definition] | None = None,
) -> scoring.RunSummary:
    """Recompute the analysis of one instansi and cycle year (one transaction)."""
    if not 2000 <= year <= 2100:
        raise ServiceError(_l("Choose a cycle year between 2000 and 2100."), field="year")
    if db.session.get(Instansi, instansi_id) is None:
        raise ServiceError(_l("Unknown instansi."), field="instansi_id")
    return scoring.recompute(instansi_id, year, user_id, definitions)


def recompute_key_prefix(instansi_id: int, year: int) -> str:
    return f"needs.recompute:{instansi_id}:{year}:"


def last_recompute_job(instansi_id: int, year: int) -> jobs.Job | None:
    """The latest recompute job of one instansi and cycle (running or finished), if any."""
    prefix = recompute_key_prefix(instansi_id, year)
    return db.session.scalar(
        select(jobs.Job)
        .where(
            jobs.Job.task == "needs.recompute",
            jobs.Job.instansi_id == instansi_id,
            jobs.Job.idempotency_key.startswith(prefix, autoescape=True),
        )
        .order_by(jobs.Job.id.desc())
        .limit(1)
    )


def queue_recompute(instansi_id: int, year: int, user_id: int | None) -> jobs.Job:
    """Queue the recompute as a job and commit; an unfinished one (or one queued this minute)
    is returned instead, so a double click runs one recompute."""
    if not 2000 <= year <= 2100:
        raise ServiceError(_l("Choose a cycle year between 2000 and 2100."), field="year")
    if db.session.get(Instansi, instansi_id) is None:
        raise ServiceError(_l("Unknown instansi."), field="instansi_id")
    last = last_recompute_job(instansi_id, year)
    if last is not None and not last.finished:
        return last
    minute = utcnow().strftime("%Y%m%d%H%M")
    job = jobs.enqueue(
        "needs.recompute",
        key=recompute_key_prefix(instansi_id, year) + minute,
        instansi_id=instansi_id,
        created_by_id=user_id,
        instansi=instansi_id,
        year=year,
        user_id=user_id,
    )
    db.session.commit()
    return job


# ---- competency dictionary ---------------------------------------------------------------


@dataclass
class CompetencyData:
    """Input for adding or changing a technical competency."""

    code: str
    name_id: str
    name_en: str = ""
    definition_id: str = ""
    definition_en: str = ""
    levels_id: list[str] = field(default_factory=lambda: [""] * 5)
    levels_en: list[str] = field(default_factory=lambda: [""] * 5)
    active: bool = True


def competencies(instansi_id: int) -> list[Competency]:
    """The dictionary of an instansi: managerial, socio-cultural, then technical, by code."""
    order = {
        CompetencyKind.MANAGERIAL: 0,
        CompetencyKind.SOCIO_CULTURAL: 1,
        CompetencyKind.TECHNICAL: 2,
    }
    rows = list(db.session.scalars(select(Competency).where(Competency.instansi_id == instansi_id)))
    return sorted(rows, key=lambda c: (order.get(c.kind, 9), c.code))


def levels_of(competency_id: int) -> dict[int, CompetencyLevel]:
    """Level descriptions of one competency by level."""
    rows = db.session.scalars(
        select(CompetencyLevel).where(CompetencyLevel.competency_id == competency_id)
    )
    return {row.level: row for row in rows}


def _check_competency(
    instansi_id: int, data: CompetencyData, existing: Competency | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    code = data.code.strip()
    if existing is None:
        if not code or len(code) > 30 or not CODE_RE.match(code):
            problems.append(
                ("code", str(_l("Use letters, digits, dots, dashes or underscores (at most 30).")))
            )
        elif code in CORE_COMPETENCIES:
            problems.append(("code", str(_l("This code belongs to a core competency."))))
        elif db.session.scalar(
            select(Competency.id).where(
                Competency.instansi_id == instansi_id, Competency.code == code
            )
        ):
            problems.append(("code", str(_l("The dictionary already has this code."))))
    if not data.name_id.strip():
        problems.append(("name_id", str(_l("Name is required."))))
    if len(data.name_id) > 200 or len(data.name_en) > 200:
        problems.append(("name_id", str(_l("Names may have at most 200 characters."))))
    for level, text in zip(LEVELS, data.levels_id, strict=False):
        if not text.strip():
            problems.append((f"level_{level}", str(_l("Describe level %(level)d.", level=level))))
    return problems


def _add_level(competency: Competency, level: int, text_id: str, text_en: str) -> None:
    """A competency's description of one level, in Indonesian and English."""
    db.session.add(
        CompetencyLevel(
            competency_id=competency.id,
            level=level,
            description_id=text_id,
            description_en=text_en,
        )
    )


def _write_levels(competency: Competency, data: CompetencyData) -> None:
    existing = levels_of(competency.id) if competency.id else {}
    for index, level in enumerate(LEVELS):
        text_id = data.levels_id[index].strip() if index < len(data.levels_id) else ""
        text_en = data.levels_en[index].strip() if index < len(data.levels_en) else ""
        row = existing.get(level)
        if row is None:
            _add_level(competency, level, text_id, text_en)
        else:
            row.description_id, row.description_en = text_id, text_en


def save_competency(
    instansi_id: int, data: CompetencyData, existing: Competency | None = None
) -> Competency:
    """Add a technical competency, or change one; core competencies are not edited here."""
    if existing is not None and existing.kind != CompetencyKind.TECHNICAL:
        raise ServiceError(_l("Core competencies are fixed by regulation."))
    problems = _check_competency(instansi_id, data, existing)
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    competency = existing or Competency(
        instansi_id=instansi_id, code=data.code.strip(), kind=CompetencyKind.TECHNICAL
    )
    competency.name_id = data.name_id.strip()
    competency.name_en = data.name_en.strip()
    competency.definition_id = data.definition_id.strip()
    competency.definition_en = data.definition_en.strip()
    competency.active = data.active
    db.session.add(competency)
    db.session.flush()
    _write_levels(competency, data)
    db.session.commit()
    return competency


def seed_dictionary(instansi_id: int, technical: Iterable[TechnicalEntry] = ()) -> int:
    """Add the nine core competencies (and the given technical ones) that are missing."""
    have = set(
        db.session.scalars(select(Competency.code).where(Competency.instansi_id == instansi_id))
    )
    added = 0
    entries = [*core_entries(), *(CompetencyEntry(**t, kind="teknis") for t in technical)]
    for entry in entries:
        if entry["code"] in have:
            continue
        competency = Competency(
            instansi_id=instansi_id,
            code=entry["code"],
            kind=CompetencyKind(entry["kind"]),
            name_id=entry["name_id"],
            name_en=entry["name_en"],
            definition_id=entry["definition_id"],
            definition_en=entry["definition_en"],
            active=True,
        )
        db.session.add(competency)
        db.session.flush()
        for level, (text_id, text_en) in zip(LEVELS, entry["levels"], strict=True):
            _add_level(competency, level, text_id, text_en)
        added += 1
    db.session.flush()
    return added


IMPORT_HEADERS = {
    "code": "code",
    "kode": "code",
    "name_id": "name_id",
    "nama": "name_id",
    "name": "name_id",
    "name_en": "name_en",
    "nama_en": "name_en",
    "definition_id": "definition_id",
    "definisi": "definition_id",
    "definition_en": "definition_en",
    "definisi_en": "definition_en",
    **{f"level_{n}": f"level_{n}" for n in LEVELS},
    **{f"level_{n}_id": f"level_{n}" for n in LEVELS},
    **{f"level_{n}_en": f"level_{n}_en" for n in LEVELS},
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    return list(imports.csv_lines(imports.decode(content, fallback=None)))


def import_competencies(instansi_id: int, content: bytes) -> ImportResult:
    """Technical competencies from CSV, added or updated by code; any bad row saves nothing."""
    rows = _csv_rows(content)
    if not rows:
        raise ServiceError(_l("The file is empty."), field="file")
    header = [IMPORT_HEADERS.get(h.strip().lower().replace(" ", "_"), "") for h in rows[0][1]]
    missing = [
        name for name in ("code", "name_id", *(f"level_{n}" for n in LEVELS)) if name not in header
    ]
    if missing:
        raise ServiceError(
            _l("Missing columns: %(columns)s.", columns=", ".join(missing)), field="file"
        )
    body = [(line, cells) for line, cells in rows[1:] if any(c.strip() for c in cells)]
    if len(body) > MAX_IMPORT_ROWS:
        raise ServiceError(_l("At most %(n)d rows per file.", n=MAX_IMPORT_ROWS), field="file")
    existing = {
        c.code: c
        for c in db.session.scalars(select(Competency).where(Competency.instansi_id == instansi_id))
    }
    problems: list[tuple[str, str]] = []
    parsed: list[tuple[CompetencyData, Competency | None]] = []
    seen: set[str] = set()
    for line, cells in body:
        values = {
            name: cells[i].strip() for i, name in enumerate(header) if name and i < len(cells)
        }
        data = CompetencyData(
            code=values.get("code", ""),
            name_id=values.get("name_id", ""),
            name_en=values.get("name_en", ""),
            definition_id=values.get("definition_id", ""),
            definition_en=values.get("definition_en", ""),
            levels_id=[values.get(f"level_{n}", "") for n in LEVELS],
            levels_en=[values.get(f"level_{n}_en", "") for n in LEVELS],
        )
        current = existing.get(data.code)
        row_problems: list[str] = []
        if data.code in seen:
            row_problems.append(str(_l("The code appears twice in the file.")))
        elif current is not None and current.kind != CompetencyKind.TECHNICAL:
            row_problems.append(str(_l("This code belongs to a core competency.")))
        else:
            row_problems.extend(m for _, m in _check_competency(instansi_id, data, current))
        seen.add(data.code)
        for message in row_problems:
            problems.append(
                ("file", str(_l("Row %(line)d: %(message)s", line=line, message=message)))
            )
        parsed.append((data, current))
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    result = ImportResult()
    for data, current in parsed:
        competency = current or Competency(
            instansi_id=instansi_id, code=data.code, kind=CompetencyKind.TECHNICAL, active=True
        )
        competency.name_id, competency.name_en = data.name_id, data.name_en
        competency.definition_id, competency.definition_en = data.definition_id, data.definition_en
        db.session.add(competency)
        db.session.flush()
        _write_levels(competency, data)
        if current is None:
            result.created += 1
        else:
            result.updated += 1
    db.session.commit()
    return result


# ---- position standards and defaults -----------------------------------------------------


def in_force(
    model: type[PositionStandard] | type[StandardDefault], as_of: date
) -> ColumnElement[bool]:
    """SQL condition: the dated row is in force on `as_of` (valid_to is exclusive)."""
    return and_(model.valid_from <= as_of, or_(model.valid_to.is_(None), model.valid_to > as_of))


def _change_dated(
    current: PositionStandard | StandardDefault | None,
    level: int | None,
    today: date,
    make: type[PositionStandard] | type[StandardDefault],
    **keys: object,
) -> bool:
    """Close the row in force and open a new one; a same-day change edits it in place."""
    if level is not None and level not in LEVELS:
        raise ServiceError(_l("Levels run from 1 to 5."))
    if current is not None and current.required_level == level:
        return False
    if current is None and level is None:
        return False
    if current is not None:
        if current.valid_from >= today:
            if level is None:
                db.session.delete(current)
            else:
                current.required_level = level
            return True
        current.valid_to = today
    if level is not None:
        db.session.add(make(required_level=level, valid_from=today, valid_to=None, **keys))
    return True


@dataclass(frozen=True)
class DefaultLine:
    position_type: str
    jenjang: str
    level: int | None
    valid_from: date | None


def default_lines(instansi_id: int, as_of: date) -> list[DefaultLine]:
    """Every position class with the default level in force (None: no default)."""
    rows = db.session.scalars(
        select(StandardDefault).where(
            StandardDefault.instansi_id == instansi_id, in_force(StandardDefault, as_of)
        )
    )
    current = {(r.position_type, r.jenjang): r for r in rows}
    lines = []
    for position_type, jenjang in position_classes():
        row = current.get((position_type, jenjang))
        lines.append(
            DefaultLine(
                position_type,
                jenjang,
                row.required_level if row else None,
                row.valid_from if row else None,
            )
        )
    return lines


def save_defaults(
    instansi_id: int, levels: dict[tuple[str, str], int | None], today: date | None = None
) -> int:
    """Change default levels (kept as history); returns how many classes changed."""
    today = today or local_today()
    known = set(position_classes())
    rows = db.session.scalars(
        select(StandardDefault).where(
            StandardDefault.instansi_id == instansi_id, in_force(StandardDefault, today)
        )
    )
    current = {(r.position_type, r.jenjang): r for r in rows}
    changed = 0
    for key, level in levels.items():
        if key not in known:
            raise ServiceError(_l("Unknown position type or jenjang."))
        changed += _change_dated(
            current.get(key),
            level,
            today,
            StandardDefault,
            instansi_id=instansi_id,
            position_type=key[0],
            jenjang=key[1],
        )
    db.session.commit()
    return changed


def seed_defaults(instansi_id: int, valid_from: date) -> int:
    """Add the starting default levels to an instansi that has none."""
    if db.session.scalar(
        select(StandardDefault.id).where(StandardDefault.instansi_id == instansi_id).limit(1)
    ):
        return 0
    db.session.add_all(
        StandardDefault(
            instansi_id=instansi_id,
            position_type=position_type,
            jenjang=jenjang,
            required_level=level,
            valid_from=valid_from,
        )
        for (position_type, jenjang), level in DEFAULT_LEVELS.items()
    )
    db.session.flush()
    return len(DEFAULT_LEVELS)


@dataclass(frozen=True)
class PositionLine:
    """A position with how many explicit standards it has and its default level."""

    id: int
    name: str
    unit: str
    position_type: str
    jenjang: str
    explicit: int
    default_level: int | None


def position_lines(
    instansi_id: int, as_of: date, unit_path: str | None = None
) -> list[PositionLine]:
    """Positions of an instansi in tree order, with their standards, in one query."""
    explicit = (
        select(PositionStandard.position_id, func.count().label("n"))
        .where(in_force(PositionStandard, as_of))
        .group_by(PositionStandard.position_id)
        .subquery()
    )
    defaults = (
        select(
            StandardDefault.position_type,
            StandardDefault.jenjang,
            func.max(StandardDefault.required_level).label("level"),
        )
        .where(StandardDefault.instansi_id == instansi_id, in_force(StandardDefault, as_of))
        .group_by(StandardDefault.position_type, StandardDefault.jenjang)
        .subquery()
    )
    jenjang = func.coalesce(Position.jenjang, "")
    query = (
        select(
            Position.id,
            Position.name,
            OrgUnit.name,
            Position.position_type,
            Position.jenjang,
            func.coalesce(explicit.c.n, 0),
            defaults.c.level,
        )
        .join(OrgUnit, OrgUnit.id == Position.org_unit_id)
        .outerjoin(explicit, explicit.c.position_id == Position.id)
        .outerjoin(
            defaults,
            and_(
                defaults.c.position_type == Position.position_type,
                defaults.c.jenjang == jenjang,
            ),
        )
        .where(Position.instansi_id == instansi_id)
        .order_by(OrgUnit.path, Position.name, Position.id)
    )
    if unit_path:
        query = query.where(OrgUnit.path.startswith(unit_path))
    return [
        PositionLine(
            pid,
            name,
            unit,
            str(ptype.value if ptype else ""),
            str(jj.value if jj else ""),
            int(n),
            level,
        )
        for pid, name, unit, ptype, jj, n, level in db.session.execute(query)
    ]


@dataclass(frozen=True)
class StandardLine:
    """One competency of a position's standard: explicit level, default, what applies."""

    competency: Competency
    explicit: int | None
    explicit_from: date | None
    default: int | None

    @property
    def effective(self) -> int | None:
        return self.explicit if self.explicit is not None else self.default

    @property
    def source(self) -> str:
        if self.explicit is not None:
            return "position"
        return "default" if self.default is not None else "none"


def default_level_for(instansi_id: int, position: Position, as_of: date) -> int | None:
    """The default level of the position's class in force on `as_of`."""
    return db.session.scalar(
        select(func.max(StandardDefault.required_level)).where(
            StandardDefault.instansi_id == instansi_id,
            StandardDefault.position_type == position.position_type.value,
            StandardDefault.jenjang == (position.jenjang.value if position.jenjang else ""),
            in_force(StandardDefault, as_of),
        )
    )


def standard_lines(position: Position, as_of: date) -> list[StandardLine]:
    """Every active competency of the dictionary with the position's level on `as_of`."""
    explicit = {
        row.competency_id: row
        for row in db.session.scalars(
            select(PositionStandard).where(
                PositionStandard.position_id == position.id, in_force(PositionStandard, as_of)
            )
        )
    }
    default = default_level_for(position.instansi_id, position, as_of)
    lines = []
    for competency in competencies(position.instansi_id):
        if not competency.active:
            continue
        row = explicit.get(competency.id)
        lines.append(
            StandardLine(
                competency,
                row.required_level if row else None,
                row.valid_from if row else None,
                None if competency.kind == CompetencyKind.TECHNICAL else default,
            )
        )
    return lines


def standard_history(position_id: int) -> list[tuple[PositionStandard, str]]:
    """Every standard row the position ever had, newest first, with the competency code."""
    rows = db.session.execute(
        select(PositionStandard, Competency.code)
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .where(PositionStandard.position_id == position_id)
        .order_by(Competency.code, PositionStandard.valid_from.desc(), PositionStandard.id.desc())
    )
    return [(row, code) for row, code in rows]


def save_position_levels(
    position: Position, levels: dict[int, int | None], today: date | None = None
) -> int:
    """Set explicit levels by competency id (None: back to the default), keeping history."""
    today = today or local_today()
    allowed = {
        c.id
        for c in db.session.scalars(
            select(Competency).where(Competency.instansi_id == position.instansi_id)
        )
    }
    current = {
        row.competency_id: row
        for row in db.session.scalars(
            select(PositionStandard).where(
                PositionStandard.position_id == position.id, in_force(PositionStandard, today)
            )
        )
    }
    changed = 0
    for competency_id, level in levels.items():
        if competency_id not in allowed:
            db.session.rollback()
            raise ServiceError(_l("The competency belongs to another instansi."))
        try:
            changed += _change_dated(
                current.get(competency_id),
                level,
                today,
                PositionStandard,
                position_id=position.id,
                competency_id=competency_id,
            )
        except ServiceError:
            db.session.rollback()
            raise
    db.session.commit()
    return changed


# ---- settings ----------------------------------------------------------------------------


def settings_for(instansi_id: int) -> NeedsSettings:
    """The instansi's thresholds (defaults when never saved)."""
    return scoring.settings_for(instansi_id)


def save_settings(
    instansi_id: int, jpm_meets: float, jpm_still_meets: float, need_min_gap: float
) -> NeedsSettings:
    """JPM category thresholds (0–100, still-meets below meets) and the need threshold."""
    problems: list[tuple[str, str]] = []
    if not 0 < jpm_meets <= 100:
        problems.append(("jpm_meets", str(_l("Enter a percentage between 0 and 100."))))
    if not 0 <= jpm_still_meets < jpm_meets:
        problems.append(
            ("jpm_still_meets", str(_l("Must be below the 'meets' threshold and at least 0.")))
        )
    if not 0 <= need_min_gap <= 4:
        problems.append(("need_min_gap", str(_l("Enter a gap between 0 and 4."))))
    if problems:
        raise ValidationFailed(problems)
    row = db.session.scalar(select(NeedsSettings).where(NeedsSettings.instansi_id == instansi_id))
    if row is None:
        row = NeedsSettings(instansi_id=instansi_id)
        db.session.add(row)
    row.jpm_meets, row.jpm_still_meets, row.need_min_gap = jpm_meets, jpm_still_meets, need_min_gap
    db.session.commit()
    return row


# ---- development needs: HR decisions -----------------------------------------------------

ACTIONS = ("accept", "dismiss", "reopen", "save")
_STATUS_FOR = {
    "accept": NeedStatus.ACCEPTED,
    "dismiss": NeedStatus.DISMISSED,
    "reopen": NeedStatus.PROPOSED,
}


def decide_need(
    need: DevelopmentNeed,
    action: str,
    user_id: int | None,
    form: str | None = None,
    note: str | None = None,
) -> DevelopmentNeed:
    """Accept, dismiss or reopen a need (or only change its form and note)."""
    if action not in ACTIONS:
        raise ServiceError(_l("Unknown action."))
    if need.status == NeedStatus.NOMINATED:
        raise ServiceError(_l("This need is already a nomination or plan item."))
    if form:
        try:
            need.suggested_form = DevelopmentForm(form)
        except ValueError:
            raise ServiceError(_l("Unknown development form."), field="form") from None
    if note is not None:
        need.note = note.strip()[:2000]
    if action in _STATUS_FOR:
        need.status = _STATUS_FOR[action]
        need.decided_by_id = None if action == "reopen" else user_id
        need.decided_at = None if action == "reopen" else utcnow()
    db.session.commit()
    return need


def bulk_decide(
    need_ids: Sequence[int], action: str, instansi_ids: set[int] | None, user_id: int | None
) -> int:
    """Accept or dismiss many needs in one statement; nominated ones are left alone.

    `instansi_ids` limits the change to the instansi the user manages (None: any).
    """
    if action not in _STATUS_FOR:
        raise ServiceError(_l("Unknown action."))
    ids = [int(i) for i in need_ids][:ID_CHUNK]
    if not ids:
        raise ServiceError(_l("Select at least one need."))
    status = _STATUS_FOR[action]
    reopen = action == "reopen"
    statement = (
        update(DevelopmentNeed)
        .where(
            DevelopmentNeed.id.in_(ids),
            DevelopmentNeed.status != NeedStatus.NOMINATED,
        )
        .values(
            status=status,
            decided_by_id=None if reopen else user_id,
            decided_at=None if reopen else utcnow(),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if instansi_ids is not None:
        statement = statement.where(DevelopmentNeed.instansi_id.in_(instansi_ids))
    changed = rowcount(db.session.execute(statement)) or 0
    db.session.commit()
    return int(changed)


def mark_nominated(needs: Iterable[DevelopmentNeed]) -> None:
    """Training nominated the employee for these accepted needs: they are taken (the caller's
    transaction; nothing is committed)."""
    for need in needs:
        need.status = NeedStatus.NOMINATED


def release_nominated(employee_id: int, competency_codes: Iterable[str]) -> None:
    """A nomination for these competencies was rejected or withdrawn: the employee's nominated
    needs are accepted again, ready for another nomination (the caller's transaction)."""
    db.session.execute(
        update(DevelopmentNeed)
        .where(
            DevelopmentNeed.employee_id == employee_id,
            DevelopmentNeed.status == NeedStatus.NOMINATED,
            DevelopmentNeed.competency_code.in_(list(competency_codes)),
        )
        .values(status=NeedStatus.ACCEPTED)
        .execution_options(synchronize_session="fetch")
    )


def accept_agreed(need_ids: Iterable[int], user_id: int) -> int:
    """The supervisor agreed to an individual development plan (IDP) that closes these needs:
    the proposed ones are accepted, so that the annual plan's drafting and the nominations from
    needs take them up. Accepted, nominated and dismissed needs keep their state (the caller's
    transaction)."""
    ids = sorted({int(i) for i in need_ids})[:ID_CHUNK]
    if not ids:
        return 0
    result = db.session.execute(
        update(DevelopmentNeed)
        .where(DevelopmentNeed.id.in_(ids), DevelopmentNeed.status == NeedStatus.PROPOSED)
        .values(
            status=NeedStatus.ACCEPTED,
            decided_by_id=user_id,
            decided_at=utcnow(),
            updated_at=utcnow(),
        )  # fmt: skip
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def accepted_needs(instansi_id: int, year: int) -> list[DevelopmentNeed]:
    """Needs HR accepted, ready to become nominations or plan items (highest priority first)."""
    return list(
        db.session.scalars(
            select(DevelopmentNeed)
            .where(
                DevelopmentNeed.instansi_id == instansi_id,
                DevelopmentNeed.cycle_year == year,
                DevelopmentNeed.status == NeedStatus.ACCEPTED,
            )
            .order_by(
                DevelopmentNeed.priority.desc().nulls_last(),
                DevelopmentNeed.gap.desc(),
                DevelopmentNeed.id,
            )
        )
    )


def last_run(instansi_id: int, year: int) -> AnalysisRun | None:
    return db.session.scalar(
        select(AnalysisRun).where(
            AnalysisRun.instansi_id == instansi_id, AnalysisRun.cycle_year == year
        )
    )


__all__ = [  # re-exported for the callers of services.X
    "competency_codes",
    "dictionary_codes",
    "standard_met",
    "strengths",
    "top_gaps",
]
