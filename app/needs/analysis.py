"""Read side of the analysis: overview, rankings, heatmap, drill-downs, explain, exports.

Every function answers with a fixed number of grouped queries, whatever the number of
employees (the web tests count them at two data sizes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, union
from sqlalchemy.orm import aliased

from app.clock import local_today
from app.extensions import db
from app.needs import formulas
from app.needs.models import (
    AnalysisIssue,
    AnalysisRun,
    Competency,
    CompetencyGap,
    DevelopmentNeed,
    EmployeeMatch,
    IssueReason,
    NeedsSettings,
    NeedStatus,
    PositionStandard,
    RaterScore,
    RuleScore,
    StandardDefault,
    UnitImportance,
)
from app.needs.policy import Scope
from app.needs.scoring import cycle_definitions, reference_date, settings_for
from app.needs.scoring_plan import GAP, AnalysisPlan, BandSpec, build_plan
from app.org.models import Employee, OrgUnit, Position
from app.surveys.models import Answer, Campaign, Response, ResponseStatus
from app.web import exports
from app.web.pagination import Page, paginate

PER_PAGE = 50
EXPORT_COLUMNS = (
    "NIP",
    "NAMA",
    "UNIT_KERJA",
    "JABATAN",
    "KODE_KOMPETENSI",
    "KOMPETENSI",
    "LEVEL_STANDAR",
    "LEVEL_SAAT_INI",
    "KESENJANGAN",
    "KEPENTINGAN",
    "PRIORITAS",
    "KATEGORI",
    "JPM_PERSEN",
)


def years_for(instansi_id: int) -> list[int]:
    """Cycle years with campaigns or results, newest first; this year is always offered."""
    years = set(
        db.session.scalars(
            union(
                select(Campaign.cycle_year).where(Campaign.instansi_id == instansi_id),
                select(AnalysisRun.cycle_year).where(AnalysisRun.instansi_id == instansi_id),
            )
        )
    )
    years.add(local_today().year)
    return sorted(years, reverse=True)


def default_year(instansi_id: int) -> int:
    """The latest year with a computed analysis, else the latest campaign year, else now."""
    latest = db.session.scalar(
        select(func.max(AnalysisRun.cycle_year)).where(
            AnalysisRun.instansi_id == instansi_id, AnalysisRun.computed_at.is_not(None)
        )
    )
    if latest is None:
        latest = db.session.scalar(
            select(func.max(Campaign.cycle_year)).where(Campaign.instansi_id == instansi_id)
        )
    return int(latest or local_today().year)


def competency_names(instansi_id: int) -> dict[str, Competency]:
    """The instansi's dictionary by code."""
    return {
        c.code: c
        for c in db.session.scalars(select(Competency).where(Competency.instansi_id == instansi_id))
    }


def jpm_category_case(jpm: Any, settings: NeedsSettings) -> Any:
    """SQL CASE giving the JPM category with the instansi's thresholds."""
    return case(
        (jpm >= formulas.floor_of(settings.jpm_meets), literal(formulas.JPM_MEETS)),
        (jpm >= formulas.floor_of(settings.jpm_still_meets), literal(formulas.JPM_STILL_MEETS)),
        else_=literal(formulas.JPM_BELOW),
    )


def thresholds(settings: NeedsSettings) -> formulas.JpmThresholds:
    return formulas.JpmThresholds(settings.jpm_meets, settings.jpm_still_meets)


# ---- overview ----------------------------------------------------------------------------


@dataclass
class Overview:
    run: AnalysisRun | None
    settings: NeedsSettings
    employees: int = 0
    mean_jpm: float | None = None
    categories: dict[str, int] = field(default_factory=dict)
    gaps: int = 0
    needs_by_status: dict[str, int] = field(default_factory=dict)
    issues_by_reason: dict[str, int] = field(default_factory=dict)


def overview(scope: Scope) -> Overview:
    """Headline numbers of one cycle within the scope."""
    settings = settings_for(scope.instansi_id)
    run = db.session.scalar(
        select(AnalysisRun).where(
            AnalysisRun.instansi_id == scope.instansi_id, AnalysisRun.cycle_year == scope.year
        )
    )
    result = Overview(run=run, settings=settings)
    m = EmployeeMatch
    category = jpm_category_case(m.jpm, settings)
    rows = db.session.execute(
        select(category, func.count(), func.avg(m.jpm))
        .where(
            m.instansi_id == scope.instansi_id,
            m.cycle_year == scope.year,
            scope.units(m.org_unit_id),
        )
        .group_by(category)
    ).all()
    total = sum(n for _, n, _ in rows)
    result.employees = total
    result.categories = {key: n for key, n, _ in rows}
    if total:
        result.mean_jpm = sum(avg * n for _, n, avg in rows) / total
    g = CompetencyGap
    result.gaps = int(
        db.session.scalar(
            select(func.count()).where(
                g.instansi_id == scope.instansi_id,
                g.cycle_year == scope.year,
                scope.units(g.org_unit_id),
            )
        )
        or 0
    )
    n, e = DevelopmentNeed, Employee
    result.needs_by_status = {
        str(status.value if hasattr(status, "value") else status): count
        for status, count in db.session.execute(
            select(n.status, func.count())
            .join(e, e.id == n.employee_id)
            .where(
                n.instansi_id == scope.instansi_id,
                n.cycle_year == scope.year,
                scope.units(e.org_unit_id),
            )
            .group_by(n.status)
        )
    }
    result.issues_by_reason = {
        str(reason.value if hasattr(reason, "value") else reason): count
        for reason, count in db.session.execute(
            select(AnalysisIssue.reason, func.count())
            .where(*_issue_scope(scope))
            .group_by(AnalysisIssue.reason)
        )
    }
    return result


# ---- ranking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    code: str
    employees: int
    needs: int
    mean_required: float | None
    mean_current: float | None
    mean_gap: float | None
    mean_importance: float | None
    total_priority: float | None


def _gap_rows(scope: Scope, unit: OrgUnit | None) -> list[Any]:
    g = CompetencyGap
    conditions = [
        g.instansi_id == scope.instansi_id,
        g.cycle_year == scope.year,
        scope.units(g.org_unit_id),
    ]
    if unit is not None:
        conditions.append(
            g.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path)))
        )
    return conditions


def ranking(scope: Scope, unit: OrgUnit | None = None) -> list[RankRow]:
    """Competencies ranked by the summed priority of their needs, then by how many."""
    g = CompetencyGap
    threshold = formulas.floor_of(settings_for(scope.instansi_id).need_min_gap)
    is_need = g.gap >= threshold
    needs = func.sum(case((is_need, 1), else_=0))
    total_priority = func.sum(case((is_need, g.priority), else_=None))
    query = (
        select(
            g.competency_code,
            func.count(),
            needs,
            func.avg(g.required_level),
            func.avg(g.current_level),
            func.avg(g.gap),
            func.avg(g.importance),
            total_priority,
        )
        .where(*_gap_rows(scope, unit))
        .group_by(g.competency_code)
        .order_by(
            total_priority.desc().nulls_last(),
            needs.desc(),
            func.avg(g.gap).desc(),
            g.competency_code,
        )
    )
    return [RankRow(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class UnitTop:
    unit_id: int
    unit_name: str
    code: str
    needs: int
    total_priority: float | None


def unit_ranking(scope: Scope, units: list[OrgUnit], limit: int = 3) -> dict[int, list[UnitTop]]:
    """For each given unit (its whole subtree): the competencies with the most priority."""
    if not units:
        return {}
    g = CompetencyGap
    row_unit = aliased(OrgUnit)
    employee_unit = aliased(OrgUnit)
    threshold = formulas.floor_of(settings_for(scope.instansi_id).need_min_gap)
    total = func.sum(g.priority)
    grouped = (
        select(
            row_unit.id.label("unit_id"),
            row_unit.name.label("unit_name"),
            g.competency_code.label("code"),
            func.count().label("needs"),
            total.label("total"),
            func.row_number()
            .over(
                partition_by=row_unit.id,
                order_by=(total.desc().nulls_last(), func.count().desc(), g.competency_code),
            )
            .label("rank"),
        )
        .join(employee_unit, employee_unit.id == g.org_unit_id)
        .join(row_unit, employee_unit.path.startswith(row_unit.path))
        .where(
            row_unit.id.in_([u.id for u in units]),
            g.instansi_id == scope.instansi_id,
            g.cycle_year == scope.year,
            g.gap >= threshold,
            scope.units(g.org_unit_id),
        )
        .group_by(row_unit.id, row_unit.name, g.competency_code)
        .subquery()
    )
    result: dict[int, list[UnitTop]] = defaultdict(list)
    for row in db.session.execute(
        select(grouped).where(grouped.c.rank <= limit).order_by(grouped.c.unit_id, grouped.c.rank)
    ):
        result[row.unit_id].append(
            UnitTop(row.unit_id, row.unit_name, row.code, row.needs, row.total)
        )
    return result


# ---- heatmap -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    mean_gap: float | None
    employees: int
    needs: int

    @property
    def heat(self) -> int:
        """The colour class on a scale centred on the standard: -2 (well above it), -1 (above),
        0 (meets it), 1 … 4 (small to large gap); the number is always shown too."""
        if self.mean_gap is None or self.mean_gap == 0:
            return 0
        if self.mean_gap < 0:
            return -2 if self.mean_gap <= -1.0 else -1
        for level, limit in ((4, 2.0), (3, 1.0), (2, 0.5)):
            if self.mean_gap >= limit:
                return level
        return 1


@dataclass
class Heatmap:
    parent: OrgUnit | None
    rows: list[OrgUnit]
    has_children: set[int]
    codes: list[str]
    cells: dict[tuple[int, str], Cell]


def scope_top_units(scope: Scope) -> list[OrgUnit]:
    """The first level of the tree a viewer sees: the OPDs, or the unit they head."""
    query = select(OrgUnit).where(OrgUnit.instansi_id == scope.instansi_id)
    if scope.unit_path is None:
        query = query.where(OrgUnit.parent_id.is_(None))
    else:
        query = query.where(OrgUnit.path == scope.unit_path)
    return list(db.session.scalars(query.order_by(OrgUnit.name)))


def child_units(parent: OrgUnit) -> list[OrgUnit]:
    return list(
        db.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == parent.id).order_by(OrgUnit.name)
        )
    )


def heatmap(scope: Scope, parent: OrgUnit | None = None) -> Heatmap:
    """Units (the children of `parent`, or the scope's top) × competencies: mean gap per cell."""
    rows = child_units(parent) if parent is not None else scope_top_units(scope)
    ids = [u.id for u in rows]
    has_children: set[int] = set()
    if ids:
        query_parents = select(OrgUnit.parent_id).where(OrgUnit.parent_id.in_(ids)).distinct()
        has_children = {pid for pid in db.session.scalars(query_parents) if pid is not None}
    g = CompetencyGap
    threshold = formulas.floor_of(settings_for(scope.instansi_id).need_min_gap)
    row_unit = aliased(OrgUnit)
    employee_unit = aliased(OrgUnit)
    cells: dict[tuple[int, str], Cell] = {}
    codes: list[str] = []
    if ids:
        query = (
            select(
                row_unit.id,
                g.competency_code,
                func.avg(g.gap),
                func.count(),
                func.sum(case((g.gap >= threshold, 1), else_=0)),
            )
            .join(employee_unit, employee_unit.id == g.org_unit_id)
            .join(row_unit, employee_unit.path.startswith(row_unit.path))
            .where(
                row_unit.id.in_(ids),
                g.instansi_id == scope.instansi_id,
                g.cycle_year == scope.year,
                scope.units(g.org_unit_id),
            )
            .group_by(row_unit.id, g.competency_code)
        )
        for unit_id, code, mean_gap, count, needs in db.session.execute(query):
            cells[(unit_id, code)] = Cell(mean_gap, int(count), int(needs or 0))
        codes = sorted({code for _, code in cells})
    return Heatmap(parent, rows, has_children, codes, cells)


# ---- drill-down to employees -------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeRow:
    employee_id: int
    name: str
    nip: str
    unit: str
    code: str | None
    required: float | None
    current: float | None
    gap: float | None
    priority: float | None
    band: str | None
    jpm: float | None
    category: str | None


def employee_rows(
    scope: Scope,
    unit: OrgUnit | None = None,
    code: str | None = None,
    category: str | None = None,
    needs_only: bool = False,
    page: int = 1,
) -> Page:
    """Employees behind a number: one competency's gaps, or everyone's JPM."""
    settings = settings_for(scope.instansi_id)
    m, e, u = EmployeeMatch, Employee, OrgUnit
    category_expr = jpm_category_case(m.jpm, settings)
    who = (e.id, e.name, e.nip, u.name)  # every row starts with the employee and their unit
    query: Select[*tuple[Any, ...]]  # the two branches select the same columns, some as NULL
    if code:
        g = CompetencyGap
        query = (
            select(
                *who,
                g.competency_code,
                g.required_level,
                g.current_level,
                g.gap,
                g.priority,
                g.band,
                m.jpm,
                category_expr,
            )
            .select_from(g)
            .join(e, e.id == g.employee_id)
            .join(u, u.id == g.org_unit_id)
            .outerjoin(m, and_(m.employee_id == g.employee_id, m.cycle_year == g.cycle_year))
            .where(*_gap_rows(scope, unit), scope.members(e.id), g.competency_code == code)
            .order_by(g.gap.desc().nulls_last(), e.name, e.id)
        )
        if needs_only:
            query = query.where(g.gap >= formulas.floor_of(settings.need_min_gap))
    else:
        query = (
            select(
                *who,
                literal(None),
                m.required_sum,
                m.achieved_sum,
                literal(None),
                literal(None),
                literal(None),
                m.jpm,
                category_expr,
            )
            .select_from(m)
            .join(e, e.id == m.employee_id)
            .join(u, u.id == m.org_unit_id)
            .where(
                m.instansi_id == scope.instansi_id,
                m.cycle_year == scope.year,
                scope.units(m.org_unit_id),
                scope.members(e.id),
            )
            .order_by(m.jpm, e.name, e.id)
        )
        if unit is not None:
            query = query.where(
                m.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path)))
            )
    if category in (formulas.JPM_MEETS, formulas.JPM_STILL_MEETS, formulas.JPM_BELOW):
        query = query.where(category_expr == category)
    return paginate(query, page, PER_PAGE).map(lambda row: EmployeeRow(*row))


# ---- one employee ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileLine:
    gap: CompetencyGap
    competency: Competency | None
    need: DevelopmentNeed | None


@dataclass
class Profile:
    year: int
    lines: list[ProfileLine]
    match: EmployeeMatch | None
    category: str | None
    settings: NeedsSettings

    @property
    def need_count(self) -> int:
        """Competencies whose positive gap reaches the instansi's need threshold."""
        threshold = formulas.floor_of(self.settings.need_min_gap)
        return sum(
            1
            for line in self.lines
            if line.gap.gap is not None and line.gap.gap > 0 and line.gap.gap >= threshold
        )


def profile(employee: Employee, year: int) -> Profile:
    """An employee's gap profile for one cycle: every scored competency, JPM, needs."""
    rows = db.session.execute(
        select(CompetencyGap, Competency, DevelopmentNeed)
        .outerjoin(
            Competency,
            and_(
                Competency.instansi_id == CompetencyGap.instansi_id,
                Competency.code == CompetencyGap.competency_code,
            ),
        )
        .outerjoin(
            DevelopmentNeed,
            and_(
                DevelopmentNeed.cycle_year == CompetencyGap.cycle_year,
                DevelopmentNeed.employee_id == CompetencyGap.employee_id,
                DevelopmentNeed.competency_code == CompetencyGap.competency_code,
            ),
        )
        .where(CompetencyGap.employee_id == employee.id, CompetencyGap.cycle_year == year)
        .order_by(CompetencyGap.gap.desc().nulls_last(), CompetencyGap.competency_code)
    ).all()
    match = db.session.scalar(
        select(EmployeeMatch).where(
            EmployeeMatch.employee_id == employee.id, EmployeeMatch.cycle_year == year
        )
    )
    settings = settings_for(employee.instansi_id)
    category = formulas.jpm_category(match.jpm if match else None, thresholds(settings))
    return Profile(year, [ProfileLine(*row) for row in rows], match, category, settings)


def profile_years(employee_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(CompetencyGap.cycle_year)
            .where(CompetencyGap.employee_id == employee_id)
            .distinct()
            .order_by(CompetencyGap.cycle_year.desc())
        )
    )


@dataclass(frozen=True)
class AnswerLine:
    role: str
    rater: str | None  # None: an anonymous group member
    definition_id: str
    field: str
    value: float
    scale_min: float
    scale_max: float

    @property
    def level(self) -> float:
        return formulas.to_level(self.value, self.scale_min, self.scale_max)


@dataclass
class Explanation:
    """The arithmetic of one score, step by step."""

    gap: CompetencyGap
    competency: Competency | None
    groups: list[formulas.GroupMean]
    shares: dict[str, float]
    declared_roles: dict[str, float]
    blended: float | None
    required_source: str  # "position", "default" or "none"
    required_from: date | None
    importance: UnitImportance | None
    importance_unit: OrgUnit | None
    band_labels: dict[str, dict[str, str]]
    answers: list[AnswerLine]
    plan_definition: str | None


def plan_for(instansi_id: int, year: int) -> AnalysisPlan:
    """The plan the recompute would build now (for band labels and answer fields)."""
    loaded, missing = cycle_definitions(instansi_id, year)
    known = set(
        db.session.scalars(
            select(Competency.code).where(
                Competency.instansi_id == instansi_id, Competency.active.is_(True)
            )
        )
    )
    return build_plan(loaded, known, missing)


def band_labels(plan: AnalysisPlan) -> dict[str, dict[str, str]]:
    """Band key → label per language, from the gap rule and every group rule."""
    bands: list[BandSpec] = list(plan.gap.bands) if plan.gap else []
    for rule in plan.rules:
        bands.extend(rule.bands)
    labels: dict[str, dict[str, str]] = {}
    for spec in bands:
        labels.setdefault(spec.key, spec.labels)
    return labels


def explain(employee: Employee, code: str, year: int, show_raters: bool) -> Explanation | None:
    """Rater means, weights, the required level and its source, importance and answers."""
    gap = db.session.scalar(
        select(CompetencyGap).where(
            CompetencyGap.employee_id == employee.id,
            CompetencyGap.cycle_year == year,
            CompetencyGap.competency_code == code,
        )
    )
    if gap is None:
        return None
    competency = db.session.scalar(
        select(Competency).where(Competency.instansi_id == gap.instansi_id, Competency.code == code)
    )
    scores = list(
        db.session.scalars(
            select(RaterScore)
            .where(
                RaterScore.instansi_id == gap.instansi_id,
                RaterScore.employee_id == employee.id,
                RaterScore.cycle_year == year,
                RaterScore.competency_code == code,
            )
            .order_by(RaterScore.weight.desc(), RaterScore.rater_role)
        )
    )
    groups = [
        formulas.GroupMean(s.rater_role, s.mean_level, s.raters, s.weight, s.min_group)
        for s in scores
    ]
    required_source, required_from = _required_source(employee, gap, competency, year)
    importance = db.session.scalar(
        select(UnitImportance).where(
            UnitImportance.instansi_id == gap.instansi_id,
            UnitImportance.cycle_year == year,
            UnitImportance.org_unit_id == gap.org_unit_id,
            UnitImportance.competency_code == code,
        )
    )
    importance_unit = (
        db.session.get(OrgUnit, importance.source_unit_id)
        if importance is not None and importance.source_unit_id is not None
        else None
    )
    plan = plan_for(gap.instansi_id, year)
    declared = {role: spec.weight for role, spec in (plan.gap.roles.items() if plan.gap else [])}
    kept = {s.rater_role for s in scores if s.used}
    answers = _answers(employee, code, year, plan, kept, show_raters)
    return Explanation(
        gap=gap,
        competency=competency,
        groups=groups,
        shares=formulas.effective_weights(groups),
        declared_roles=declared,
        blended=formulas.blended_level(groups),
        required_source=required_source,
        required_from=required_from,
        importance=importance,
        importance_unit=importance_unit,
        band_labels=band_labels(plan),
        answers=answers,
        plan_definition=plan.gap.definition_id if plan.gap else None,
    )


def _required_source(
    employee: Employee, gap: CompetencyGap, competency: Competency | None, year: int
) -> tuple[str, date | None]:
    """Where the required level came from: the position's own standard, or the default."""
    if gap.required_level is None or competency is None or employee.position_id is None:
        return "none", None
    as_of = reference_date(year)
    row = db.session.scalar(
        select(PositionStandard)
        .where(
            PositionStandard.position_id == employee.position_id,
            PositionStandard.competency_id == competency.id,
            PositionStandard.valid_from <= as_of,
            or_(PositionStandard.valid_to.is_(None), PositionStandard.valid_to > as_of),
        )
        .limit(1)
    )
    if row is not None:
        return "position", row.valid_from
    position = employee.position
    default = db.session.scalar(
        select(StandardDefault)
        .where(
            StandardDefault.instansi_id == gap.instansi_id,
            StandardDefault.position_type == (position.position_type.value if position else ""),
            StandardDefault.jenjang
            == (position.jenjang.value if position and position.jenjang else ""),
            StandardDefault.valid_from <= as_of,
            or_(StandardDefault.valid_to.is_(None), StandardDefault.valid_to > as_of),
        )
        .limit(1)
    )
    return ("default", default.valid_from) if default is not None else ("none", None)


def _answers(
    employee: Employee,
    code: str,
    year: int,
    plan: AnalysisPlan,
    kept_roles: set[str],
    show_raters: bool,
) -> list[AnswerLine]:
    """The raw answers behind one competency score; peers stay anonymous."""
    if plan.gap is None:
        return []
    rows = [row for row in plan.gap.rows if row.group_key == code and row.purpose == GAP]
    if not rows:
        return []
    r, a = Response, Answer
    respondent = aliased(Employee)
    subject = case(
        (r.rater_role == "self", func.coalesce(r.subject_employee_id, r.respondent_employee_id)),
        else_=r.subject_employee_id,
    )
    matches = or_(
        *[
            and_(
                r.definition_id == row.definition_id,
                r.rater_role == row.rater_role,
                a.item_id == row.item_id,
                func.coalesce(a.row_id, "") == row.row_key,
                func.coalesce(a.column_id, "") == row.column_key,
            )
            for row in rows
        ]
    )
    bounds = {
        (row.definition_id, row.rater_role, row.item_id, row.row_key, row.column_key): row
        for row in rows
    }
    query = (
        select(
            r.rater_role,
            respondent.name,
            r.definition_id,
            a.item_id,
            a.row_id,
            a.column_id,
            a.field,
            a.value_number,
        )
        .join(a, a.response_id == r.id)
        .join(Campaign, Campaign.id == r.campaign_id)
        .outerjoin(respondent, respondent.id == r.respondent_employee_id)
        .where(
            Campaign.cycle_year == year,
            Campaign.instansi_id == employee.instansi_id,
            r.status == ResponseStatus.SUBMITTED,
            subject == employee.id,
            a.value_number.is_not(None),
            matches,
        )
        .order_by(r.rater_role, r.id)
    )
    lines = []
    for role, name, definition_id, item_id, row_id, column_id, path, value in db.session.execute(
        query
    ):
        spec = bounds.get((definition_id, role, item_id, row_id or "", column_id or ""))
        if spec is None or role not in kept_roles or value is None:
            continue
        named = role in ("self", "supervisor") and show_raters
        lines.append(
            AnswerLine(
                role,
                name if named else None,
                definition_id,
                path,
                float(value),
                spec.scale_min,
                spec.scale_max,
            )
        )
    return lines


# ---- instrument results (Hennessy-Hicks, Borich, priority product, mean) -----------------


@dataclass
class RuleResult:
    definition_id: str
    rule_id: str
    method: str
    labels: dict[str, str]
    rows: list[RuleScore]


def rule_results(scope: Scope, unit: OrgUnit | None) -> list[RuleResult]:
    """Each group rule's scores for the instansi (or one unit), best-ranked first."""
    plan = plan_for(scope.instansi_id, scope.year)
    labels = {(r.definition_id, r.rule_id): r.labels for r in plan.rules}
    query = select(RuleScore).where(
        RuleScore.instansi_id == scope.instansi_id, RuleScore.cycle_year == scope.year
    )
    if unit is None:
        query = query.where(RuleScore.org_unit_id.is_(None))
    else:
        query = query.where(RuleScore.org_unit_id == unit.id)
    grouped: dict[tuple[str, str], RuleResult] = {}
    for row in db.session.scalars(
        query.order_by(
            RuleScore.definition_id, RuleScore.rule_id, RuleScore.score.desc(), RuleScore.group_key
        )
    ):
        key = (row.definition_id, row.rule_id)
        if key not in grouped:
            grouped[key] = RuleResult(
                row.definition_id, row.rule_id, row.method, labels.get(key, {}), []
            )
        grouped[key].rows.append(row)
    return list(grouped.values())


def rule_units(scope: Scope) -> list[OrgUnit]:
    """Units with at least one group-rule score, within the scope."""
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(
                OrgUnit.id.in_(
                    select(RuleScore.org_unit_id).where(
                        RuleScore.instansi_id == scope.instansi_id,
                        RuleScore.cycle_year == scope.year,
                    )
                ),
                scope.units(OrgUnit.id),
            )
            .order_by(OrgUnit.path)
        )
    )


# ---- skipped and why ---------------------------------------------------------------------

INSTANSI_LEVEL_REASONS = (
    IssueReason.DEFINITION_MISSING,
    IssueReason.UNKNOWN_COMPETENCY,
    IssueReason.OUT_OF_RANGE,
    IssueReason.NO_SUBJECT,
)


def _issue_scope(scope: Scope) -> list[Any]:
    i = AnalysisIssue
    conditions = [i.instansi_id == scope.instansi_id, i.cycle_year == scope.year]
    if scope.unit_path is not None:
        employee_units = select(Employee.id).where(scope.units(Employee.org_unit_id))
        conditions.append(
            or_(
                i.reason.in_(INSTANSI_LEVEL_REASONS),
                i.employee_id.in_(employee_units),
                and_(i.employee_id.is_(None), scope.units(i.org_unit_id)),
            )
        )
    return conditions


@dataclass(frozen=True)
class IssueLine:
    issue: AnalysisIssue
    employee: str | None
    nip: str | None
    unit: str | None


def issue_rows(scope: Scope, reason: IssueReason | None, page: int = 1) -> Page:
    """The report's rows (optionally of one reason), employees and units named."""
    i, e, u = AnalysisIssue, Employee, OrgUnit
    query = (
        select(i, e.name, e.nip, u.name)
        .outerjoin(e, e.id == i.employee_id)
        .outerjoin(u, u.id == func.coalesce(i.org_unit_id, e.org_unit_id))
        .where(*_issue_scope(scope))
        .order_by(i.reason, u.name, e.name, i.definition_id, i.competency_code, i.id)
    )
    if reason is not None:
        query = query.where(i.reason == reason)
    return paginate(query, page, PER_PAGE).map(lambda row: IssueLine(*row))


# ---- development needs list --------------------------------------------------------------


@dataclass(frozen=True)
class NeedLine:
    need: DevelopmentNeed
    employee: str
    nip: str
    unit: str


def need_rows(
    scope: Scope,
    status: str | None = None,
    unit: OrgUnit | None = None,
    code: str | None = None,
    form: str | None = None,
    page: int = 1,
    employee_id: int | None = None,
) -> Page:
    """Needs of the cycle in the scope (optionally of one employee), highest priority first."""
    n, e, u = DevelopmentNeed, Employee, OrgUnit
    query = (
        select(n, e.name, e.nip, u.name)
        .join(e, e.id == n.employee_id)
        .join(u, u.id == e.org_unit_id)
        .where(
            n.instansi_id == scope.instansi_id,
            n.cycle_year == scope.year,
            scope.units(e.org_unit_id),
            scope.members(e.id),
        )
        .order_by(n.priority.desc().nulls_last(), n.gap.desc(), e.name, n.id)
    )
    if employee_id is not None:
        query = query.where(n.employee_id == employee_id)
    if status in {s.value for s in NeedStatus}:
        query = query.where(n.status == NeedStatus(status))
    if unit is not None:
        query = query.where(
            e.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path)))
        )
    if code:
        query = query.where(n.competency_code == code)
    if form:
        query = query.where(n.suggested_form == form)
    return paginate(query, page, PER_PAGE).map(lambda row: NeedLine(*row))


def need_line(need_id: int) -> NeedLine | None:
    row = db.session.execute(
        select(DevelopmentNeed, Employee.name, Employee.nip, OrgUnit.name)
        .join(Employee, Employee.id == DevelopmentNeed.employee_id)
        .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .where(DevelopmentNeed.id == need_id)
    ).first()
    return NeedLine(*row) if row else None


# ---- export ------------------------------------------------------------------------------


def export_query(scope: Scope, unit: OrgUnit | None = None) -> Select[*tuple[Any, ...]]:
    """Every gap row of the scope with the employee, unit, position and JPM."""
    g, e, u, p, m, c = CompetencyGap, Employee, OrgUnit, Position, EmployeeMatch, Competency
    settings = settings_for(scope.instansi_id)
    return (
        select(
            e.nip,
            e.name,
            u.name,
            p.name,
            g.competency_code,
            c.name_id,
            g.required_level,
            g.current_level,
            g.gap,
            g.importance,
            g.priority,
            jpm_category_case(m.jpm, settings),
            m.jpm,
        )
        .select_from(g)
        .join(e, e.id == g.employee_id)
        .join(u, u.id == g.org_unit_id)
        .outerjoin(p, p.id == e.position_id)
        .outerjoin(c, and_(c.instansi_id == g.instansi_id, c.code == g.competency_code))
        .outerjoin(m, and_(m.employee_id == g.employee_id, m.cycle_year == g.cycle_year))
        .where(*_gap_rows(scope, unit))
        .order_by(u.path, e.name, e.id, g.competency_code)
    )


def _cells(row: Any) -> list[object]:
    out: list[object] = []
    for value in row:
        out.append(
            round(value, 3) if isinstance(value, float) else ("" if value is None else value)
        )
    return out


def csv_batches(query: Select[*tuple[Any, ...]]) -> Iterator[list[list[object]]]:
    """Rows for `app.web.exports.csv_response`, in batches while they stream (constant memory)."""

    def rows() -> Iterator[list[object]]:
        result = db.session.execute(query.execution_options(yield_per=1000))
        try:
            for row in result:
                yield _cells(row)
        finally:
            result.close()

    return exports.batched(rows())


def write_xlsx(query: Select[*tuple[Any, ...]]) -> Path:
    """The export as an XLSX file in a temporary path (constant memory; NIP as text)."""

    def fill(book: exports.Workbook) -> None:
        sheet = book.sheet("Kesenjangan")
        sheet.set_column(0, 0, 22, text=True)
        sheet.header(EXPORT_COLUMNS)
        for row in db.session.execute(query.execution_options(yield_per=1000)):
            sheet.row(_cells(row), text_columns=(0,))

    return exports.write_xlsx(fill, prefix="kebutuhan-")
