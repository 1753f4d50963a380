"""The recompute: raw survey answers → rater means → gaps, priorities, JPM and needs, in SQL.

Every step is one set-based statement (INSERT … SELECT with GROUP BY and joins, portable
between SQLite and PostgreSQL), so the number of statements depends on the definitions, never
on the number of employees. The whole recompute is one transaction: a failure leaves the
previous results in place.

Steps: the definitions become a small mapping table (field → competency, rater role, weight,
scale); group rules (Hennessy-Hicks, Borich, …) and stakeholder importance per unit; rater
means per employee, competency and group; the blend with re-normalised weights, the standard in
force, importance, priority and band go to a stage table that is merged into competency_gap
(only changed rows are written); then JPM, development needs and the "skipped and why" report.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    delete,
    event,
    exists,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from app.clock import utcnow
from app.extensions import db
from app.needs.formulas import floor_of
from app.needs.models import (
    AnalysisIssue,
    AnalysisRun,
    Competency,
    CompetencyGap,
    CompetencyKind,
    DevelopmentForm,
    DevelopmentNeed,
    EmployeeMatch,
    FieldMap,
    GapStage,
    IssueReason,
    NeedsSettings,
    NeedStatus,
    RaterScore,
    RuleScore,
    UnitImportance,
)
from app.needs.scoring_plan import (
    GAP,
    LEVEL_MAX,
    LEVEL_MIN,
    UNKNOWN,
    AnalysisPlan,
    BandSpec,
    RulePlan,
    build_plan,
    load_cached,
)
from app.needs.targets import insert_proposed_needs, needs_from_targets, with_required
from app.needs.targets import reference_date as reference_date  # re-exported
from app.org.models import Employee, OrgUnit, Position
from app.surveys.definition import Definition, DefinitionError, definition_from_text
from app.surveys.models import Answer, Campaign, Response, ResponseStatus

# Suggested development form by competency kind and gap size (first match wins); HR can
# change the suggestion on every need. Large gaps go to classroom training, middle ones to
# coaching or technical guidance, small ones to e-learning or mentoring (the 10:20:70 idea).
SUGGESTED_FORMS: tuple[tuple[CompetencyKind, float, DevelopmentForm], ...] = (
    (CompetencyKind.TECHNICAL, 2.0, DevelopmentForm.CLASSICAL),
    (CompetencyKind.TECHNICAL, 1.0, DevelopmentForm.TECHNICAL_GUIDANCE),
    (CompetencyKind.MANAGERIAL, 2.0, DevelopmentForm.CLASSICAL),
    (CompetencyKind.MANAGERIAL, 1.0, DevelopmentForm.COACHING),
    (CompetencyKind.SOCIO_CULTURAL, 1.5, DevelopmentForm.WORKSHOP),
    (CompetencyKind.SOCIO_CULTURAL, 0.0, DevelopmentForm.MENTORING),
)
DEFAULT_FORM = DevelopmentForm.E_LEARNING
SQLITE_CACHE_KIB = 64 * 1024  # page cache while recomputing (SQLite's default is 2 MiB)
GAP_COLUMNS = (
    "employee_id",
    "org_unit_id",
    "competency_code",
    "required_level",
    "current_level",
    "gap",
    "importance",
    "priority",
    "band",
)
KEY = ("employee_id", "competency_code")


def suggested_form(kind: str | None, gap: float) -> DevelopmentForm:
    """The same rule as the SQL CASE, for one need."""
    for rule_kind, min_gap, form in SUGGESTED_FORMS:
        if kind == rule_kind.value and gap >= floor_of(min_gap):
            return form
    return DEFAULT_FORM


@dataclass
class RunSummary:
    """What one recompute produced."""

    instansi_id: int
    cycle_year: int
    employees: int = 0
    gaps: int = 0
    needs: int = 0
    issues: int = 0
    statements: int = 0
    duration_ms: int = 0
    definitions: list[str] = field(default_factory=list)


def settings_for(instansi_id: int) -> NeedsSettings:
    """The instansi's thresholds (defaults when never edited; not added to the session)."""
    found = db.session.scalar(select(NeedsSettings).where(NeedsSettings.instansi_id == instansi_id))
    return found or NeedsSettings(
        instansi_id=instansi_id, jpm_meets=80.0, jpm_still_meets=68.0, need_min_gap=1.0
    )


def cycle_definitions(
    instansi_id: int, year: int, supplied: dict[str, Definition] | None = None
) -> tuple[dict[str, Definition], dict[str, str]]:
    """Definitions of the cycle's campaigns and the roles they borrow; and those unusable.

    The file in SURVEYS_DIR wins (a corrected definition re-scores everything); a definition
    whose file is gone is read from the text its campaign published.
    """
    wanted = list(
        db.session.scalars(
            select(Campaign.definition_id)
            .where(Campaign.instansi_id == instansi_id, Campaign.cycle_year == year)
            .distinct()
            .order_by(Campaign.definition_id)
        )
    )
    loaded: dict[str, Definition] = {}
    missing: dict[str, str] = {}
    directory = current_app.config["SURVEYS_DIR"]

    def resolve(queue: list[str], published: dict[str, str]) -> None:
        while queue:
            definition_id = queue.pop(0)
            if definition_id in loaded or (definition_id in missing and not published):
                continue
            if definition_id in published:
                definition, reason = _from_published(definition_id, published[definition_id])
            elif supplied is not None:
                definition = supplied.get(definition_id)
                reason = "" if definition else "file not found"
            else:
                definition, reason = load_cached(directory, definition_id)
            if definition is None:
                missing[definition_id] = reason
                continue
            missing.pop(definition_id, None)
            loaded[definition_id] = definition
            if definition.scoring is not None:
                queue.extend(definition.scoring.external_raters.values())

    resolve(list(wanted), {})
    if missing and supplied is None:
        texts: dict[str, str] = {}
        for definition_id, text in db.session.execute(
            select(Campaign.definition_id, Campaign.definition_text)
            .where(
                Campaign.instansi_id == instansi_id,
                Campaign.definition_id.in_(list(missing)),
                Campaign.definition_text != "",
            )
            .order_by(Campaign.cycle_year.desc(), Campaign.id.desc())
        ):
            texts.setdefault(definition_id, text)
        if texts:
            resolve(list(texts), texts)
    return loaded, missing


def _from_published(definition_id: str, text: str) -> tuple[Definition | None, str]:
    """A definition from the YAML a campaign published (its file may have been removed)."""
    try:
        return definition_from_text(text, f"{definition_id}.yaml", expected_id=definition_id), ""
    except DefinitionError as error:
        return None, (str(error).splitlines() or ["invalid"])[0][:250]


@contextmanager
def _count_statements() -> Iterator[list[int]]:
    """Count the statements sent on the session's connection while the block runs."""
    counter = [0]
    connection = db.session.connection()

    def on_execute(*_args: Any) -> None:
        counter[0] += 1

    event.listen(connection, "before_cursor_execute", on_execute)
    try:
        yield counter
    finally:
        event.remove(connection, "before_cursor_execute", on_execute)


def _lock_run(instansi_id: int, year: int) -> AnalysisRun:
    """The run row of (instansi, year), locked so two recomputes of it take turns."""
    query = (
        select(AnalysisRun)
        .where(AnalysisRun.instansi_id == instansi_id, AnalysisRun.cycle_year == year)
        .with_for_update()
    )
    run = db.session.scalar(query)
    if run is not None:
        return run
    try:
        with db.session.begin_nested():
            db.session.add(AnalysisRun(instansi_id=instansi_id, cycle_year=year))
    except IntegrityError:
        pass  # another recompute created it first; wait for its lock below
    run = db.session.scalar(query)
    assert run is not None
    return run


def recompute(
    instansi_id: int,
    year: int,
    user_id: int | None = None,
    definitions: dict[str, Definition] | None = None,
) -> RunSummary:
    """Recompute the whole analysis of one instansi and cycle year from the raw answers."""
    started = time.perf_counter()
    try:
        with _count_statements() as statements:
            run = _lock_run(instansi_id, year)
            loaded, missing = cycle_definitions(instansi_id, year, definitions)
            known = set(
                db.session.scalars(
                    select(Competency.code).where(
                        Competency.instansi_id == instansi_id, Competency.active.is_(True)
                    )
                )
            )
            plan = build_plan(loaded, known, missing)
            settings = settings_for(instansi_id)
            engine = _Recompute(run.id, instansi_id, year, plan, settings)
            engine.run()
            counts = engine.counts()
            run.computed_at = utcnow()
            run.computed_by_id = user_id
            run.definitions = "\n".join(f"{d.id}@{d.version}" for d in loaded.values())
            run.employees, run.gaps, run.needs, run.issues = counts
            run.statements = statements[0] + 2  # + this UPDATE and the COMMIT
            run.duration_ms = round((time.perf_counter() - started) * 1000)
            db.session.flush()
        summary = RunSummary(
            instansi_id,
            year,
            *counts,
            statements=run.statements,
            duration_ms=run.duration_ms,
            definitions=sorted(loaded),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary


class _Recompute:
    """The statements of one recompute; tables are Core tables so nothing loads as objects."""

    def __init__(
        self,
        run_id: int,
        instansi_id: int,
        year: int,
        plan: AnalysisPlan,
        settings: NeedsSettings,
    ) -> None:
        self.run_id = run_id
        self.instansi_id = instansi_id
        self.year = year
        self.plan = plan
        self.settings = settings
        self.now = utcnow()
        self.i = literal(instansi_id, Integer)
        self.y = literal(year, Integer)

    def execute(self, statement: Any, params: Any = None) -> Any:
        return db.session.execute(statement, params) if params else db.session.execute(statement)

    # ---- driver -------------------------------------------------------------------------

    def run(self) -> None:
        self.tune_session()
        try:
            self.steps()
        finally:
            self.untune_session()

    def tune_session(self) -> None:
        """More memory for the big GROUP BYs of this transaction only (bounded, see bench)."""
        dialect = db.session.get_bind().dialect.name
        if dialect == "postgresql":
            self.execute(text("SET LOCAL work_mem = '64MB'"))
        elif dialect == "sqlite":
            self.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))

    def untune_session(self) -> None:
        if db.session.get_bind().dialect.name == "sqlite":
            self.execute(text("PRAGMA cache_size = -2000"))

    def steps(self) -> None:
        self.clear()
        rows = self.plan.all_rows()
        if rows:
            self.execute(insert(FieldMap.__table__), [r.as_dict(self.run_id) for r in rows])
            self.refresh_statistics(FieldMap)
        for rule in self.plan.rules:
            self.rule_scores(rule)
        if self.plan.importance is not None:
            self.unit_importance(self.plan.importance)
        if self.plan.gap is not None:
            self.rater_scores()
            self.refresh_statistics(RaterScore)
            self.gaps(self.plan.gap.bands)
        self.merge_gaps()
        self.refresh_statistics(CompetencyGap)
        if self.plan.gap is not None:
            self.matches()
        self.needs()
        needs_from_targets(
            self.execute,
            self.instansi_id,
            self.year,
            floor_of(self.settings.need_min_gap),
            self.form_for,
            self.now,
        )
        self.issues()
        self.execute(delete(FieldMap.__table__).where(FieldMap.run_id == self.run_id))
        self.execute(delete(GapStage.__table__).where(GapStage.run_id == self.run_id))

    def refresh_statistics(self, model: type[Any]) -> None:
        """PostgreSQL plans the next joins on table statistics; rows written in this
        transaction are invisible to autovacuum, so sample them now (a few ms)."""
        if db.session.get_bind().dialect.name == "postgresql":
            self.execute(text(f"ANALYZE {model.__tablename__}"))

    def clear(self) -> None:
        """Drop the previous results of this instansi and year (and any stale scratch rows)."""
        for model in (RaterScore, RuleScore, UnitImportance, EmployeeMatch, AnalysisIssue):
            table = model.__table__
            self.execute(
                delete(table).where(
                    table.c.instansi_id == self.instansi_id, table.c.cycle_year == self.year
                )
            )
        gap = CompetencyGap.__table__
        # Rows of this instansi's employees filed under another instansi (they moved) would
        # collide with the new ones; this instansi's own rows are merged in gaps().
        self.execute(
            delete(gap).where(
                gap.c.cycle_year == self.year,
                gap.c.instansi_id != self.instansi_id,
                gap.c.employee_id.in_(
                    select(Employee.id).where(Employee.instansi_id == self.instansi_id)
                ),
            )
        )
        self.execute(delete(GapStage.__table__).where(GapStage.run_id == self.run_id))
        self.execute(delete(FieldMap.__table__).where(FieldMap.run_id == self.run_id))

    # ---- shared pieces ------------------------------------------------------------------

    def answers(self, purpose_match: ColumnElement[bool], role_match: ColumnElement[bool]) -> Any:
        """FROM responses of this cycle → their answers → the mapping rows they match."""
        r, c, a, m = (
            Response.__table__,
            Campaign.__table__,
            Answer.__table__,
            FieldMap.__table__,
        )
        joined = (
            r.join(c, c.c.id == r.c.campaign_id)
            .join(a, a.c.response_id == r.c.id)
            .join(
                m,
                and_(
                    m.c.run_id == self.run_id,
                    purpose_match,
                    m.c.definition_id == r.c.definition_id,
                    m.c.item_id == a.c.item_id,
                    m.c.row_key == func.coalesce(a.c.row_id, ""),
                    m.c.column_key == func.coalesce(a.c.column_id, ""),
                    role_match,
                ),
            )
        )
        where = and_(
            c.c.instansi_id == self.instansi_id,
            c.c.cycle_year == self.year,
            r.c.status == ResponseStatus.SUBMITTED,
        )
        return joined, where

    @staticmethod
    def subject() -> ColumnElement[Any]:
        """Whom a rating is about; a self-assessment is about its respondent."""
        r = Response.__table__
        return case(
            (
                r.c.rater_role == "self",
                func.coalesce(r.c.subject_employee_id, r.c.respondent_employee_id),
            ),
            else_=r.c.subject_employee_id,
        )

    @staticmethod
    def band_case(score: ColumnElement[Any], bands: list[BandSpec]) -> ColumnElement[Any]:
        """CASE turning a score into the key of the first band it falls in."""
        if not bands:
            return null()
        whens = [
            (
                score >= floor_of(b.min)
                if b.max is None
                else and_(score >= floor_of(b.min), score < floor_of(b.max)),
                b.key,
            )
            for b in bands
        ]
        return case(*whens, else_=null())

    # ---- group rules (Hennessy-Hicks, Borich, priority product, mean) ---------------------

    def rule_scores(self, rule: RulePlan) -> None:
        """Scores per unit (the unit a response is about) and for the whole instansi."""
        r, a, m = Response.__table__, Answer.__table__, FieldMap.__table__
        joined, where = self.answers(m.c.purpose == rule.purpose, true())
        value = a.c.value_number
        obs = (
            select(
                r.c.id.label("response_id"),
                r.c.org_unit_id.label("unit_id"),
                m.c.observation,
                m.c.group_key,
                func.max(case((m.c.dimension == "a", value))).label("a"),
                func.max(case((m.c.dimension == "b", value))).label("b"),
                func.max(case((m.c.dimension == "b", m.c.scale_min + m.c.scale_max - value))).label(
                    "b_rev"
                ),
            )
            .select_from(joined)
            .where(where, value.between(m.c.scale_min, m.c.scale_max))
            .group_by(r.c.id, r.c.org_unit_id, m.c.observation, m.c.group_key)
            .subquery()
        )
        score = {
            "difference": func.avg(obs.c.a) - func.avg(obs.c.b),
            "borich_mwds": func.avg(obs.c.a) * func.avg(obs.c.a - obs.c.b),
            "priority_product": func.avg(obs.c.a * obs.c.b_rev),
            "mean": func.avg(obs.c.a),
        }[rule.method]
        usable: ColumnElement[bool] = obs.c.a.is_not(None)
        mean_b: ColumnElement[Any] = null()
        if rule.method != "mean":
            usable = and_(usable, obs.c.b.is_not(None))
            mean_b = func.avg(obs.c.b)
        respondents = func.count(obs.c.response_id.distinct())
        columns = [
            "instansi_id",
            "cycle_year",
            "definition_id",
            "rule_id",
            "method",
            "org_unit_id",
            "group_key",
            "respondents",
            "mean_a",
            "mean_b",
            "score",
            "band",
        ]
        for unit in (obs.c.unit_id, None):
            unit_column = unit if unit is not None else type_coerce(null(), Integer)
            query = (
                select(
                    self.i,
                    self.y,
                    literal(rule.definition_id, String),
                    literal(rule.rule_id, String),
                    literal(rule.method, String),
                    unit_column,
                    obs.c.group_key,
                    respondents,
                    func.avg(obs.c.a),
                    mean_b,
                    score,
                    self.band_case(score, rule.bands),
                )
                .where(usable, *([unit.is_not(None)] if unit is not None else []))
                .group_by(*([unit] if unit is not None else []), obs.c.group_key)
                .having(respondents >= rule.min_group)
            )
            self.execute(insert(RuleScore.__table__).from_select(columns, query))

    def unit_importance(self, rule: RulePlan) -> None:
        """For every unit: the importance of its own stakeholders, else its nearest ancestor's,
        else the instansi-wide mean."""
        rs = RuleScore.__table__
        unit = OrgUnit.__table__.alias("u")
        source = OrgUnit.__table__.alias("su")
        ranked = (
            select(
                unit.c.id.label("unit_id"),
                rs.c.group_key,
                rs.c.score,
                rs.c.org_unit_id.label("source_unit_id"),
                rs.c.respondents,
                func.row_number()
                .over(
                    partition_by=(unit.c.id, rs.c.group_key),
                    order_by=func.coalesce(source.c.depth, -1).desc(),
                )
                .label("rank"),
            )
            .select_from(
                unit.join(
                    rs,
                    and_(
                        rs.c.instansi_id == self.instansi_id,
                        rs.c.cycle_year == self.year,
                        rs.c.definition_id == rule.definition_id,
                        rs.c.rule_id == rule.rule_id,
                    ),
                ).outerjoin(source, source.c.id == rs.c.org_unit_id)
            )
            .where(
                unit.c.instansi_id == self.instansi_id,
                or_(rs.c.org_unit_id.is_(None), unit.c.path.startswith(source.c.path)),
            )
            .subquery()
        )
        query = select(
            self.i,
            self.y,
            ranked.c.unit_id,
            ranked.c.group_key,
            ranked.c.score,
            ranked.c.source_unit_id,
            ranked.c.respondents,
        ).where(ranked.c.rank == 1)
        self.execute(
            insert(UnitImportance.__table__).from_select(
                [
                    "instansi_id",
                    "cycle_year",
                    "org_unit_id",
                    "competency_code",
                    "importance",
                    "source_unit_id",
                    "respondents",
                ],
                query,
            )
        )

    # ---- regulatory gap -----------------------------------------------------------------

    def rater_scores(self) -> None:
        """Per employee, competency and rater group: the mean of each rater's own mean level.

        Values outside the item's scale are not used; they are counted in `ignored` (one pass
        over the answers serves the scores and the "skipped" report).
        """
        r, a, m, e = Response.__table__, Answer.__table__, FieldMap.__table__, Employee.__table__
        joined, where = self.answers(m.c.purpose == GAP, m.c.rater_role == r.c.rater_role)
        subject = self.subject()
        value = a.c.value_number
        in_range = value.between(m.c.scale_min, m.c.scale_max)
        level = case(
            (
                in_range,
                LEVEL_MIN
                + (value - m.c.scale_min)
                * (LEVEL_MAX - LEVEL_MIN)
                / (m.c.scale_max - m.c.scale_min),
            ),
            else_=null(),
        )
        per_answer = (
            select(
                r.c.id.label("response_id"),
                subject.label("employee_id"),
                m.c.rater_role,
                m.c.group_key.label("code"),
                level.label("level"),
                case((in_range, 0), else_=1).label("ignored"),
                m.c.weight,
                m.c.min_group,
            )
            .select_from(joined)
            .where(where, m.c.scale_max > m.c.scale_min, value.is_not(None))
            .subquery()
        )
        per_rater = per_answer
        if not self.plan.gap.one_field_per_rater:  # type: ignore[union-attr]
            # Several items rate the same competency: each rater's own mean first.
            per_rater = (
                select(
                    per_answer.c.response_id,
                    per_answer.c.employee_id,
                    per_answer.c.rater_role,
                    per_answer.c.code,
                    func.avg(per_answer.c.level).label("level"),
                    func.sum(per_answer.c.ignored).label("ignored"),
                    func.max(per_answer.c.weight).label("weight"),
                    func.max(per_answer.c.min_group).label("min_group"),
                )
                .group_by(
                    per_answer.c.response_id,
                    per_answer.c.employee_id,
                    per_answer.c.rater_role,
                    per_answer.c.code,
                )
                .subquery()
            )
        raters = func.count(per_rater.c.level)
        min_group = func.max(per_rater.c.min_group)
        query = (
            select(
                self.i,
                self.y,
                per_rater.c.employee_id,
                per_rater.c.code,
                per_rater.c.rater_role,
                func.avg(per_rater.c.level),
                raters,
                func.sum(per_rater.c.ignored),
                func.max(per_rater.c.weight),
                min_group,
                and_(raters > 0, raters >= min_group),
            )
            .select_from(per_rater.join(e, e.c.id == per_rater.c.employee_id))
            .where(e.c.instansi_id == self.instansi_id, e.c.active.is_(True))
            .group_by(per_rater.c.employee_id, per_rater.c.code, per_rater.c.rater_role)
        )
        self.execute(
            insert(RaterScore.__table__).from_select(
                [
                    "instansi_id",
                    "cycle_year",
                    "employee_id",
                    "competency_code",
                    "rater_role",
                    "mean_level",
                    "raters",
                    "ignored",
                    "weight",
                    "min_group",
                    "used",
                ],
                query,
            )
        )

    def gaps(self, bands: list[BandSpec]) -> None:
        """Blend the groups, read the standard, add importance, priority and band."""
        rs, e, p = RaterScore.__table__, Employee.__table__, Position.__table__
        comp, imp = Competency.__table__, UnitImportance.__table__
        old_gap, old_need = CompetencyGap.__table__, DevelopmentNeed.__table__
        blend = (
            select(
                rs.c.employee_id,
                rs.c.competency_code.label("code"),
                (func.sum(rs.c.weight * rs.c.mean_level) / func.sum(rs.c.weight)).label("current"),
            )
            .where(
                rs.c.instansi_id == self.instansi_id,
                rs.c.cycle_year == self.year,
                rs.c.used.is_(True),
                rs.c.weight > 0,
            )
            .group_by(rs.c.employee_id, rs.c.competency_code)
            .subquery()
        )
        base, required = with_required(
            blend.join(e, e.c.id == blend.c.employee_id)
            .outerjoin(p, p.c.id == e.c.position_id)
            .outerjoin(
                comp, and_(comp.c.instansi_id == self.instansi_id, comp.c.code == blend.c.code)
            ),
            self.instansi_id,
            self.year,
            e.c.position_id,
            blend.c.code,
            p,
            comp,
        )
        gap = type_coerce(required, Float) - blend.c.current
        priority = gap * imp.c.importance
        source = (
            base.outerjoin(
                imp,
                and_(
                    imp.c.instansi_id == self.instansi_id,
                    imp.c.cycle_year == self.year,
                    imp.c.org_unit_id == e.c.org_unit_id,
                    imp.c.competency_code == blend.c.code,
                ),
            )
            # Whether the key already has a gap row and a need: read now, so the inserts
            # that follow never read the table they write to.
            .outerjoin(
                old_gap,
                and_(
                    old_gap.c.cycle_year == self.year,
                    old_gap.c.employee_id == blend.c.employee_id,
                    old_gap.c.competency_code == blend.c.code,
                ),
            )
            .outerjoin(
                old_need,
                and_(
                    old_need.c.cycle_year == self.year,
                    old_need.c.employee_id == blend.c.employee_id,
                    old_need.c.competency_code == blend.c.code,
                ),
            )
        )
        query = select(
            literal(self.run_id, Integer),
            blend.c.employee_id,
            e.c.org_unit_id,
            blend.c.code,
            required,
            blend.c.current,
            gap,
            imp.c.importance,
            priority,
            self.band_case(gap, bands),
            old_gap.c.id.is_not(None),
            old_need.c.id.is_not(None),
        ).select_from(source)
        self.execute(
            insert(GapStage.__table__).from_select(
                ["run_id", *GAP_COLUMNS, "present", "has_need"], query
            )
        )

    def merge_gaps(self) -> None:
        """competency_gap := the staged rows, writing only what changed."""
        g, s = CompetencyGap.__table__, GapStage.__table__
        mine = and_(g.c.instansi_id == self.instansi_id, g.c.cycle_year == self.year)
        same = and_(
            s.c.run_id == self.run_id,
            s.c.employee_id == g.c.employee_id,
            s.c.competency_code == g.c.competency_code,
        )
        self.refresh_statistics(GapStage)
        self.execute(delete(g).where(mine, ~exists(select(s.c.id).where(same))))
        changed = or_(
            *[g.c[name].is_distinct_from(s.c[name]) for name in GAP_COLUMNS if name not in KEY]
        )
        self.execute(
            update(g)
            .where(mine, same, changed)
            .values({name: s.c[name] for name in GAP_COLUMNS if name not in KEY})
        )
        self.execute(
            insert(g).from_select(
                ["instansi_id", "cycle_year", *GAP_COLUMNS],
                select(self.i, self.y, *[s.c[name] for name in GAP_COLUMNS]).where(
                    s.c.run_id == self.run_id, s.c.present.is_(False)
                ),
            )
        )

    def matches(self) -> None:
        """JPM per employee: Σ min(current, required) / Σ required × 100."""
        g = CompetencyGap.__table__
        achieved = case(
            (g.c.current_level < g.c.required_level, g.c.current_level),
            else_=g.c.required_level,
        )
        query = (
            select(
                self.i,
                self.y,
                g.c.employee_id,
                func.max(g.c.org_unit_id),
                func.count(),
                func.sum(g.c.required_level),
                func.sum(achieved),
                100.0 * func.sum(achieved) / func.sum(g.c.required_level),
            )
            .where(
                g.c.instansi_id == self.instansi_id,
                g.c.cycle_year == self.year,
                g.c.required_level > 0,
                g.c.current_level.is_not(None),
            )
            .group_by(g.c.employee_id)
        )
        self.execute(
            insert(EmployeeMatch.__table__).from_select(
                [
                    "instansi_id",
                    "cycle_year",
                    "employee_id",
                    "org_unit_id",
                    "competencies",
                    "required_sum",
                    "achieved_sum",
                    "jpm",
                ],
                query,
            )
        )

    # ---- development needs --------------------------------------------------------------

    @staticmethod
    def form_for(kind: Any, gap: Any) -> Any:
        """The suggested form as SQL: first SUGGESTED_FORMS row matching kind and gap size."""
        return case(
            *[
                (and_(kind == rule_kind, gap >= floor_of(min_gap)), literal(form.value))
                for rule_kind, min_gap, form in SUGGESTED_FORMS
            ],
            else_=literal(DEFAULT_FORM.value),
        )

    def needs(self) -> None:
        """Proposed needs follow the gaps; HR's accepted, dismissed and nominated ones stay."""
        n, g, comp = DevelopmentNeed.__table__, CompetencyGap.__table__, Competency.__table__
        threshold = floor_of(self.settings.need_min_gap)
        same = and_(
            g.c.cycle_year == n.c.cycle_year,
            g.c.employee_id == n.c.employee_id,
            g.c.competency_code == n.c.competency_code,
        )
        mine = and_(n.c.instansi_id == self.instansi_id, n.c.cycle_year == self.year)
        self.execute(
            delete(n).where(
                mine,
                n.c.status == NeedStatus.PROPOSED.value,
                ~exists(select(g.c.id).where(same, g.c.gap >= threshold)),
            )
        )
        # UPDATE … FROM (PostgreSQL, SQLite ≥ 3.33): one join instead of a lookup per row.
        self.execute(
            update(n)
            .where(
                mine,
                same,
                n.c.target_position_id.is_(None),
                g.c.gap.is_not(None),
                g.c.instansi_id == self.instansi_id,
                or_(
                    n.c.gap.is_distinct_from(g.c.gap),
                    n.c.priority.is_distinct_from(g.c.priority),
                ),
            )
            .values(gap=g.c.gap, priority=g.c.priority, updated_at=self.now)
        )
        stage = GapStage.__table__
        self.execute(
            insert_proposed_needs(
                {
                    "instansi_id": self.i,
                    "cycle_year": self.y,
                    "employee_id": stage.c.employee_id,
                    "competency_code": stage.c.competency_code,
                    "gap": stage.c.gap,
                    "priority": stage.c.priority,
                    "suggested_form": self.form_for(comp.c.kind, stage.c.gap),
                },
                self.now,
                stage.outerjoin(
                    comp,
                    and_(
                        comp.c.instansi_id == self.instansi_id,
                        comp.c.code == stage.c.competency_code,
                    ),
                ),
                stage.c.run_id == self.run_id,
                stage.c.gap >= threshold,
                stage.c.has_need.is_(False),
            )
        )

    # ---- the "skipped and why" report ---------------------------------------------------

    def issue(self, columns: list[str], query: Any) -> None:
        self.execute(insert(AnalysisIssue.__table__).from_select(columns, query))

    def issues(self) -> None:
        """One statement per reason; each writes the rows that explain what was left out."""
        r, a, m = Response.__table__, Answer.__table__, FieldMap.__table__
        e, g, rs = Employee.__table__, CompetencyGap.__table__, RaterScore.__table__
        head = ["instansi_id", "cycle_year", "reason"]

        def reason(value: IssueReason) -> Any:
            return literal(value.value, String)

        if self.plan.missing:
            c = Campaign.__table__
            details = case(
                *[(c.c.definition_id == k, v[:300]) for k, v in self.plan.missing.items()],
                else_="",
            )
            self.issue(
                [*head, "definition_id", "count", "detail"],
                select(
                    self.i,
                    self.y,
                    reason(IssueReason.DEFINITION_MISSING),
                    c.c.definition_id,
                    func.count(r.c.id),
                    func.max(details),
                )
                .select_from(
                    c.outerjoin(
                        r, and_(r.c.campaign_id == c.c.id, r.c.status == ResponseStatus.SUBMITTED)
                    )
                )
                .where(
                    c.c.instansi_id == self.instansi_id,
                    c.c.cycle_year == self.year,
                    c.c.definition_id.in_(list(self.plan.missing)),
                )
                .group_by(c.c.definition_id),
            )
        if self.plan.unknown_rows:
            joined, where = self.answers(
                m.c.purpose.startswith(f"{UNKNOWN}:"),
                or_(m.c.rater_role == "", m.c.rater_role == r.c.rater_role),
            )
            self.issue(
                [*head, "definition_id", "competency_code", "count"],
                select(
                    self.i,
                    self.y,
                    reason(IssueReason.UNKNOWN_COMPETENCY),
                    m.c.definition_id,
                    m.c.group_key,
                    func.count(a.c.id.distinct()),
                )
                .select_from(joined)
                .where(where)
                .group_by(m.c.definition_id, m.c.group_key),
            )
        if self.plan.gap is None:
            return
        c = Campaign.__table__
        subject = self.subject()
        roles = list(self.plan.gap.roles.values())
        role_of_definition = or_(
            *[and_(r.c.definition_id == s.definition_id, r.c.rater_role == s.role) for s in roles]
        )
        self.issue(
            [*head, "definition_id", "rater_role", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.NO_SUBJECT),
                r.c.definition_id,
                r.c.rater_role,
                func.count(),
            )
            .select_from(r.join(c, c.c.id == r.c.campaign_id).outerjoin(e, e.c.id == subject))
            .where(
                c.c.instansi_id == self.instansi_id,
                c.c.cycle_year == self.year,
                r.c.status == ResponseStatus.SUBMITTED,
                role_of_definition,
                or_(
                    e.c.id.is_(None),
                    e.c.instansi_id != self.instansi_id,
                    e.c.active.is_not(True),
                ),
            )
            .group_by(r.c.definition_id, r.c.rater_role),
        )
        mine = and_(rs.c.instansi_id == self.instansi_id, rs.c.cycle_year == self.year)
        self.issue(
            [*head, "competency_code", "rater_role", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.OUT_OF_RANGE),
                rs.c.competency_code,
                rs.c.rater_role,
                func.sum(rs.c.ignored),
            )
            .where(mine, rs.c.ignored > 0)
            .group_by(rs.c.competency_code, rs.c.rater_role),
        )
        rated = select(rs.c.employee_id).where(mine).distinct().subquery()
        role_list = union_all(
            *[select(literal(s.role, String).label("role")) for s in roles]
        ).subquery()
        present = select(rs.c.employee_id, rs.c.rater_role).where(mine).distinct().subquery()
        self.issue(
            [*head, "employee_id", "rater_role", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.MISSING_RATER_GROUP),
                rated.c.employee_id,
                role_list.c.role,
                literal(1),
            )
            .select_from(
                rated.join(role_list, true()).outerjoin(
                    present,
                    and_(
                        present.c.employee_id == rated.c.employee_id,
                        present.c.rater_role == role_list.c.role,
                    ),
                )
            )
            .where(present.c.employee_id.is_(None)),
        )
        self.issue(
            [*head, "employee_id", "rater_role", "count", "detail"],
            select(
                self.i,
                self.y,
                reason(IssueReason.SMALL_RATER_GROUP),
                rs.c.employee_id,
                rs.c.rater_role,
                func.max(rs.c.raters),
                func.max(cast(rs.c.min_group, String)),
            )
            .where(mine, rs.c.used == false(), rs.c.raters > 0)
            .group_by(rs.c.employee_id, rs.c.rater_role),
        )
        gaps_mine = and_(g.c.instansi_id == self.instansi_id, g.c.cycle_year == self.year)
        with_gaps = select(g.c.employee_id).where(gaps_mine).distinct().subquery()
        self.issue(
            [*head, "employee_id", "org_unit_id", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.NO_STANDARD),
                g.c.employee_id,
                func.max(g.c.org_unit_id),
                func.count(),
            )
            .where(gaps_mine, g.c.required_level.is_(None))
            .group_by(g.c.employee_id),
        )
        expected = len(self.plan.gap.codes)
        scored = func.count(g.c.competency_code.distinct())
        self.issue(
            [*head, "employee_id", "org_unit_id", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.PARTIAL_ANSWERS),
                g.c.employee_id,
                func.max(g.c.org_unit_id),
                literal(expected) - scored,
            )
            .where(gaps_mine)
            .group_by(g.c.employee_id)
            .having(scored < expected),
        )
        self.issue(
            [*head, "employee_id", "org_unit_id", "count"],
            select(
                self.i, self.y, reason(IssueReason.NO_RATINGS), e.c.id, e.c.org_unit_id, literal(0)
            )
            .select_from(e.outerjoin(with_gaps, with_gaps.c.employee_id == e.c.id))
            .where(
                e.c.instansi_id == self.instansi_id,
                e.c.active.is_(True),
                with_gaps.c.employee_id.is_(None),
            ),
        )
        self.issue(
            [*head, "org_unit_id", "count"],
            select(
                self.i,
                self.y,
                reason(IssueReason.NO_IMPORTANCE),
                g.c.org_unit_id,
                func.count(g.c.employee_id.distinct()),
            )
            .where(gaps_mine, g.c.importance.is_(None))
            .group_by(g.c.org_unit_id),
        )

    def counts(self) -> tuple[int, int, int, int]:
        """(employees analysed, gap rows, needs, issues) in one query."""
        g, n, i = CompetencyGap.__table__, DevelopmentNeed.__table__, AnalysisIssue.__table__

        def scalar(table: Any, column: Any) -> Any:
            return (
                select(column)
                .where(table.c.instansi_id == self.instansi_id, table.c.cycle_year == self.year)
                .scalar_subquery()
            )

        row = self.execute(
            select(
                scalar(g, func.count(g.c.employee_id.distinct())),
                scalar(g, func.count()),
                scalar(n, func.count()),
                scalar(i, func.count()),
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])
