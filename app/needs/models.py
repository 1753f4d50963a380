"""Competency dictionary, position standards (SKJ), computed gaps and development needs.

These tables are a contract shared with training (nominations from accepted needs) and
mentoring (matching on gaps and strengths): add columns freely, do not rename.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, Timestamped, str_enum


class CompetencyKind(enum.StrEnum):
    MANAGERIAL = "manajerial"
    SOCIO_CULTURAL = "sosial_kultural"
    TECHNICAL = "teknis"


class Competency(Timestamped, Base):
    """A dictionary entry of one instansi: M.01–M.08, SK.01, and technical competencies."""

    __tablename__ = "competency"
    __table_args__ = (UniqueConstraint("instansi_id", "code", name="competency_code_per_instansi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    kind: Mapped[CompetencyKind] = mapped_column(str_enum(CompetencyKind))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    definition_id: Mapped[str] = mapped_column(Text, default="")
    definition_en: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CompetencyLevel(Base):
    """What level 1–5 of a competency looks like in behaviour."""

    __tablename__ = "competency_level"
    __table_args__ = (UniqueConstraint("competency_id", "level", name="one_description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    description_id: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text, default="")


class PositionStandard(Base):
    """Required level of a competency for a position (SKJ), valid for a period.

    A change closes the old row (valid_to) and opens a new one, so an analysis of an earlier
    year reads the standard that was in force then.
    """

    __tablename__ = "position_standard"
    __table_args__ = (
        Index("ix_position_standard_lookup", "position_id", "competency_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    required_level: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: still in force


class CompetencyGap(Base):
    """Computed by the needs analysis for one cycle: an employee's level against the standard.

    Always recomputed from the raw survey answers; `current_level` blends the rater groups.
    """

    __tablename__ = "competency_gap"
    __table_args__ = (
        UniqueConstraint("cycle_year", "employee_id", "competency_code", name="one_gap"),
        Index("ix_competency_gap_unit", "instansi_id", "cycle_year", "org_unit_id"),
        # Covers the cockpit's count of profiled employees.
        Index(
            "ix_competency_gap_profiled",
            "instansi_id",
            "cycle_year",
            "employee_id",
            "current_level",
            "org_unit_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    competency_code: Mapped[str] = mapped_column(String(30))
    required_level: Mapped[float | None] = mapped_column(Float)  # None: no standard found
    current_level: Mapped[float | None] = mapped_column(Float)  # None: no rating at all
    gap: Mapped[float | None] = mapped_column(Float)  # required − current; > 0 is a need
    importance: Mapped[float | None] = mapped_column(Float)  # stakeholder importance for the unit
    priority: Mapped[float | None] = mapped_column(Float)  # gap × importance
    band: Mapped[str | None] = mapped_column(String(40))  # e.g. "high", "medium", "low"


class NeedStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    NOMINATED = "nominated"  # turned into a training nomination or a plan item


class DevelopmentForm(enum.StrEnum):
    """Suggested path/form (PerLAN 10/2018): classical or non-classical development."""

    CLASSICAL = "classical"  # pelatihan klasikal
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    WORKSHOP = "workshop"
    TECHNICAL_GUIDANCE = "technical_guidance"  # bimbingan teknis
    JOB_ROTATION = "job_rotation"
    SELF_STUDY = "self_study"


class DevelopmentNeed(Timestamped, Base):
    """A need found by the analysis that HR accepts or dismisses; accepted ones become nominations."""

    __tablename__ = "development_need"
    __table_args__ = (
        UniqueConstraint("cycle_year", "employee_id", "competency_code", name="one_need"),
        Index("ix_development_need_status", "instansi_id", "cycle_year", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(30))
    gap: Mapped[float] = mapped_column(Float)
    priority: Mapped[float | None] = mapped_column(Float)
    suggested_form: Mapped[DevelopmentForm] = mapped_column(str_enum(DevelopmentForm))
    status: Mapped[NeedStatus] = mapped_column(str_enum(NeedStatus), default=NeedStatus.PROPOSED)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The position the need serves: None for the current one, else the intended position
    # (jabatan tujuan) whose standard the employee does not meet yet (PP 11/2017 Pasal 206).
    target_position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="SET NULL")
    )


# ---- added by the needs analysis (new tables only; the contract above is unchanged) --------


class StandardDefault(Base):
    """Required level of managerial and socio-cultural competencies by position type and jenjang.

    Used when a position has no explicit standard for a competency; kept as editable, dated data
    (the levels seen in practice differ between regions), closed and reopened like a standard.
    `jenjang` is '' for position types without a jenjang (administrator, pengawas, pelaksana).
    """

    __tablename__ = "needs_standard_default"
    __table_args__ = (
        Index("ix_needs_standard_default_lookup", "instansi_id", "position_type", "jenjang"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    position_type: Mapped[str] = mapped_column(String(20))
    jenjang: Mapped[str] = mapped_column(String(20), default="")
    required_level: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: still in force


class NeedsSettings(Base):
    """Per-instansi thresholds of the analysis: JPM categories and the gap that makes a need."""

    __tablename__ = "needs_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(
        ForeignKey("instansi.id", ondelete="CASCADE"), unique=True
    )
    jpm_meets: Mapped[float] = mapped_column(Float, default=80.0)  # ≥: memenuhi syarat
    jpm_still_meets: Mapped[float] = mapped_column(Float, default=68.0)  # ≥: masih memenuhi
    need_min_gap: Mapped[float] = mapped_column(Float, default=1.0)  # gap ≥ this: a need


class AnalysisRun(Base):
    """The latest recompute of one instansi and cycle year, with what it produced."""

    __tablename__ = "needs_analysis_run"
    __table_args__ = (UniqueConstraint("instansi_id", "cycle_year", name="needs_one_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    computed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    definitions: Mapped[str] = mapped_column(Text, default="")  # "id@version" list, one per line
    employees: Mapped[int] = mapped_column(Integer, default=0)
    gaps: Mapped[int] = mapped_column(Integer, default=0)
    needs: Mapped[int] = mapped_column(Integer, default=0)
    issues: Mapped[int] = mapped_column(Integer, default=0)
    statements: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class FieldMap(Base):
    """Scratch mapping built from the definitions at recompute time: answer field → meaning.

    Rows live only inside the recompute's transaction (keyed by the run); the scoring joins
    answers to it, so the SQL stays generic whatever the definitions declare.
    """

    __tablename__ = "needs_field_map"
    __table_args__ = (
        Index(
            "ix_needs_field_map_join",
            "run_id",
            "purpose",
            "definition_id",
            "item_id",
            "row_key",
            "column_key",
            "rater_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(80))  # "gap" or "<definition>:<rule>"
    definition_id: Mapped[str] = mapped_column(String(80))
    item_id: Mapped[str] = mapped_column(String(60))
    row_key: Mapped[str] = mapped_column(String(60), default="")  # '' when not a matrix cell
    column_key: Mapped[str] = mapped_column(String(60), default="")
    rater_role: Mapped[str] = mapped_column(String(20), default="")  # '' for any role
    group_key: Mapped[str] = mapped_column(String(60))  # competency code or item/row id
    observation: Mapped[str] = mapped_column(String(60), default="")  # pairs a row's columns
    dimension: Mapped[str] = mapped_column(String(1), default="a")  # a: current/importance
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    min_group: Mapped[int] = mapped_column(Integer, default=1)
    scale_min: Mapped[float] = mapped_column(Float)
    scale_max: Mapped[float] = mapped_column(Float)


class RaterScore(Base):
    """Mean level given by one rater group to one employee on one competency (explain view).

    Derived data rewritten by every recompute (three rows per employee and competency), so it
    carries no foreign keys: checking them row by row would double PostgreSQL's recompute time.
    """

    __tablename__ = "needs_rater_score"
    __table_args__ = (
        Index("ix_needs_rater_score_run", "instansi_id", "cycle_year", "employee_id", "rater_role"),
        # Small partial indexes for the "skipped" report: groups left out, values ignored.
        Index(
            "ix_needs_rater_score_left_out",
            "instansi_id",
            "cycle_year",
            sqlite_where=text("used = 0"),
            postgresql_where=text("used = false"),
        ),
        Index(
            "ix_needs_rater_score_ignored",
            "instansi_id",
            "cycle_year",
            sqlite_where=text("ignored > 0"),
            postgresql_where=text("ignored > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(Integer)
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(Integer)
    competency_code: Mapped[str] = mapped_column(String(30))
    rater_role: Mapped[str] = mapped_column(String(20))
    mean_level: Mapped[float | None] = mapped_column(Float)  # None: every value was ignored
    raters: Mapped[int] = mapped_column(Integer)
    ignored: Mapped[int] = mapped_column(Integer, default=0)  # values outside the scale
    weight: Mapped[float] = mapped_column(Float)
    min_group: Mapped[int] = mapped_column(Integer, default=1)
    used: Mapped[bool] = mapped_column(Boolean)  # False: fewer raters than the minimum group


class RuleScore(Base):
    """Result of a Hennessy-Hicks, Borich, priority-product or mean rule for a group.

    `org_unit_id` None is the whole instansi; `mean_a`/`mean_b` are the means of the rule's two
    inputs (importance and performance/ability) over the respondents who answered both.
    """

    __tablename__ = "needs_rule_score"
    __table_args__ = (Index("ix_needs_rule_score_run", "instansi_id", "cycle_year", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    definition_id: Mapped[str] = mapped_column(String(80))
    rule_id: Mapped[str] = mapped_column(String(60))
    method: Mapped[str] = mapped_column(String(30))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    group_key: Mapped[str] = mapped_column(String(60))
    respondents: Mapped[int] = mapped_column(Integer)
    mean_a: Mapped[float | None] = mapped_column(Float)
    mean_b: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(40))


class UnitImportance(Base):
    """Stakeholder importance of a competency for a unit: its own or its nearest ancestor's."""

    __tablename__ = "needs_unit_importance"
    __table_args__ = (
        Index("ix_needs_unit_importance_lookup", "instansi_id", "cycle_year", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    competency_code: Mapped[str] = mapped_column(String(30))
    importance: Mapped[float] = mapped_column(Float)
    # The unit whose stakeholders gave it; None when the instansi-wide mean is used.
    source_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE")
    )
    respondents: Mapped[int] = mapped_column(Integer)


class EmployeeMatch(Base):
    """Job-person match of one employee in one cycle: achieved levels over required levels."""

    __tablename__ = "needs_employee_match"
    __table_args__ = (
        UniqueConstraint("cycle_year", "employee_id", name="needs_one_match"),
        Index("ix_needs_employee_match_unit", "instansi_id", "cycle_year", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    competencies: Mapped[int] = mapped_column(Integer)
    required_sum: Mapped[float] = mapped_column(Float)
    achieved_sum: Mapped[float] = mapped_column(Float)
    jpm: Mapped[float] = mapped_column(Float)  # percent


class IssueReason(enum.StrEnum):
    """Why the analysis left something out (the "skipped and why" report)."""

    DEFINITION_MISSING = "definition_missing"
    UNKNOWN_COMPETENCY = "unknown_competency"
    OUT_OF_RANGE = "out_of_range"
    NO_SUBJECT = "no_subject"
    MISSING_RATER_GROUP = "missing_rater_group"
    SMALL_RATER_GROUP = "small_rater_group"
    NO_STANDARD = "no_standard"
    PARTIAL_ANSWERS = "partial_answers"
    NO_RATINGS = "no_ratings"
    NO_IMPORTANCE = "no_importance"


class AnalysisIssue(Base):
    """One thing the recompute skipped or worked around, with the numbers behind it."""

    __tablename__ = "needs_analysis_issue"
    __table_args__ = (Index("ix_needs_analysis_issue_run", "instansi_id", "cycle_year", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    reason: Mapped[IssueReason] = mapped_column(str_enum(IssueReason, 30))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    definition_id: Mapped[str | None] = mapped_column(String(80))
    competency_code: Mapped[str | None] = mapped_column(String(60))
    rater_role: Mapped[str | None] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[str] = mapped_column(String(300), default="")


class GapStage(Base):
    """Scratch copy of a recompute's new gap rows, merged into competency_gap afterwards.

    The merge writes only what changed (INSERT … SELECT new rows, UPDATE … FROM changed ones,
    DELETE vanished ones), so recomputing unchanged answers rewrites nothing. Rows live only
    inside the recompute's transaction.
    """

    __tablename__ = "needs_gap_stage"
    __table_args__ = (Index("ix_needs_gap_stage_key", "run_id", "employee_id", "competency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(Integer)
    org_unit_id: Mapped[int] = mapped_column(Integer)
    competency_code: Mapped[str] = mapped_column(String(30))
    required_level: Mapped[float | None] = mapped_column(Float)
    current_level: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    importance: Mapped[float | None] = mapped_column(Float)
    priority: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str | None] = mapped_column(String(40))
    # Filled before the inserts, so no INSERT … SELECT reads the table it writes to.
    present: Mapped[bool] = mapped_column(Boolean, default=False)  # already in competency_gap
    has_need: Mapped[bool] = mapped_column(Boolean, default=False)  # already a development_need


class TargetPosition(Base):
    """An employee's intended position (jabatan tujuan), the analysis's second target.

    The gap against its standard is scored next to the current one; needs it alone causes
    carry its id. Set by the employee or HR through the talent pages.
    """

    __tablename__ = "needs_target_position"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employee.id", ondelete="CASCADE"), unique=True
    )
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
