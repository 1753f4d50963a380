"""Settings of the budget optimiser and the scenarios it ran, with one explained row per need.

`FormSetting` holds the expected effect of each form (the share of a competency gap it closes)
and what an item in that form costs and gives when it replaces another form; defaults live in
`app.optimiser.settings.DEFAULT_FORMS` until HR (or, later, the evaluation results) changes them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models import Base, str_enum


class FormSetting(Base):
    __tablename__ = "optimiser_form_setting"
    __table_args__ = (
        UniqueConstraint("instansi_id", "form", name="one_setting_per_form"),
        CheckConstraint("effect >= 0 AND effect <= 1", name="effect_range"),
        CheckConstraint("unit_cost >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(30))  # a TrainingForm value
    effect: Mapped[float] = mapped_column(Float)
    unit_cost: Mapped[int] = mapped_column(BigInteger, default=0)  # as an alternative form
    jp: Mapped[float] = mapped_column(Float, default=0)
    alternative: Mapped[bool] = mapped_column(Boolean, default=False)  # offered for any need


class Policy(Base):
    """HR's rules for one instansi (defaults in `app.optimiser.settings`)."""

    __tablename__ = "optimiser_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(
        ForeignKey("instansi.id", ondelete="CASCADE"), unique=True
    )
    jp_ceiling: Mapped[float | None] = mapped_column(Float)
    min_jp: Mapped[float] = mapped_column(Float, default=20)
    non_classical_share: Mapped[float] = mapped_column(Float, default=0.2)
    time_limit: Mapped[int] = mapped_column(Integer, default=60)
    mip_gap: Mapped[float] = mapped_column(Float, default=0.01)
    mandatory_keys: Mapped[str] = mapped_column(Text, default="")  # item keys, one a line
    # share of the expected effect kept for an item whose program is flagged for review
    flagged_factor: Mapped[float] = mapped_column(Float, default=0.5, server_default="0.5")


class ScenarioStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    INFEASIBLE = "infeasible"  # the rules conflict: `conflicts` says how
    REFUSED = "refused"  # bad input (a negative or missing cost): `conflicts` names the item


class Scenario(Base):
    """One run of the optimiser on a revision: its budget assumptions and what came out."""

    __tablename__ = "optimiser_scenario"
    __table_args__ = (Index("ix_optimiser_scenario_revision", "revision_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("planning_revision.id", ondelete="CASCADE"))
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    name: Mapped[str] = mapped_column(String(120))
    budget_scale: Mapped[float] = mapped_column(Float, default=1.0)
    partner_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[ScenarioStatus] = mapped_column(
        str_enum(ScenarioStatus), default=ScenarioStatus.QUEUED
    )
    solver: Mapped[str] = mapped_column(String(40), default="")
    solver_status: Mapped[str] = mapped_column(String(20), default="")
    objective: Mapped[float] = mapped_column(Float, default=0)
    gap_closed: Mapped[float] = mapped_column(Float, default=0)
    gap_total: Mapped[float] = mapped_column(Float, default=0)  # if every need were funded
    greedy_gap_closed: Mapped[float] = mapped_column(Float, default=0)
    cost: Mapped[int] = mapped_column(BigInteger, default=0)
    budget: Mapped[int] = mapped_column(BigInteger, default=0)
    bound: Mapped[float | None] = mapped_column(Float)
    optimality_gap: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float, default=0)
    needs_total: Mapped[int] = mapped_column(Integer, default=0)
    needs_funded: Mapped[int] = mapped_column(Integer, default=0)
    items_funded: Mapped[int] = mapped_column(Integer, default=0)
    employees_total: Mapped[int] = mapped_column(Integer, default=0)
    employees_reached: Mapped[int] = mapped_column(Integer, default=0)
    employees_at_min: Mapped[int] = mapped_column(Integer, default=0)  # reaching 20 JP
    conflicts: Mapped[str] = mapped_column(Text, default="")  # JSON list of notes
    notes: Mapped[str] = mapped_column(Text, default="")  # JSON list of notes
    shadow: Mapped[str] = mapped_column(Text, default="")  # JSON {line id: gap per million}
    job_id: Mapped[int | None] = mapped_column(Integer)
    created_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    applied_by_name: Mapped[str] = mapped_column(String(200), default="")


class Choice(Base):
    """One need of a scenario: the form chosen (or none) and why."""

    __tablename__ = "optimiser_choice"
    __table_args__ = (Index("ix_optimiser_choice_scenario", "scenario_id", "funded", "ratio"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("optimiser_scenario.id", ondelete="CASCADE")
    )
    need_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    competency_code: Mapped[str] = mapped_column(String(30), default="")
    current_form: Mapped[str] = mapped_column(String(30), default="")
    form: Mapped[str | None] = mapped_column(String(30))  # None: not funded
    funded: Mapped[bool] = mapped_column(Boolean, default=False)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    line_id: Mapped[int | None] = mapped_column(Integer)
    cost: Mapped[int] = mapped_column(BigInteger, default=0)
    value: Mapped[float] = mapped_column(Float, default=0)  # weighted gap closed (best option)
    ratio: Mapped[float] = mapped_column(Float, default=0)  # gap closed per million rupiah
    reason: Mapped[str] = mapped_column(String(40), default="")
    reason_params: Mapped[str] = mapped_column(Text, default="")  # JSON


class ProviderLimit(Base):
    """How many participants a provider can take in a year (none: unlimited)."""

    __tablename__ = "optimiser_provider_limit"
    __table_args__ = (CheckConstraint("participants >= 0", name="participants_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("planning_provider.id", ondelete="CASCADE"), unique=True
    )
    participants: Mapped[int] = mapped_column(Integer)
