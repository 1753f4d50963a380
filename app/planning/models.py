"""The annual competency development plan (RPK, PP 11/2017 Pasal 205–207) of one instansi.

A plan covers one instansi and one year. Its contents live in numbered revisions: revision 0
is the plan as first adopted, 1, 2 … are later changes (perubahan), each with its own review
and adoption. Items carry the seven required contents; targets name the employees (or a count
per unit and position) an item is for; budget lines say where the money comes from. Items keep
a stable `key` across refreshes and revisions, so a refresh keeps HR's edits and a revision can
be compared with the one before. The audit trail is append-only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum
from app.org.models import Instansi
from app.training.models import TrainingForm

FORM_VALUES = frozenset(f.value for f in TrainingForm)


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"  # HR drafts and edits
    REVIEW = "review"  # reviewed inside BKPSDM
    SUBMITTED = "submitted"  # submitted to the PPK
    ADOPTED = "adopted"  # ditetapkan: frozen
    RETURNED = "returned"  # sent back with comments; editable again
    SUPERSEDED = "superseded"  # an adopted revision replaced by a later adopted one


EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class FundingSource(enum.StrEnum):
    APBD = "apbd"
    APBN = "apbn"
    DAK = "dak"
    PARTNER = "partner"  # funded by a partner (university, private sector)
    OTHER = "other"


class ProviderKind(enum.StrEnum):
    INTERNAL = "internal"  # the instansi itself (BKPSDM, the OPD)
    BPSDM = "bpsdm"  # the province's development agency
    LAN = "lan"
    MINISTRY = "ministry"
    UNIVERSITY = "university"
    PRIVATE = "private"
    OTHER = "other"


SOURCE_VALUES = frozenset(s.value for s in FundingSource)


class ItemStatus(enum.StrEnum):
    ACTIVE = "active"
    DROPPED = "dropped"
    DEFERRED = "deferred"  # moved to next year, with a reason


class ItemOrigin(enum.StrEnum):
    DRAFTED = "drafted"  # grouped from accepted development needs
    MANUAL = "manual"  # added by HR
    SPLIT = "split"  # split off another item
    CARRIED = "carried"  # deferred from the previous year's plan


class ChangeKind(enum.StrEnum):
    """What a refresh changed, shown until the next refresh."""

    ADDED = "added"
    REMOVED = "removed"
    TARGETS = "targets"
    FIELD = "field"
    KEPT = "kept"  # the needs behind an edited item are gone; HR's item stays


class PlanActionKind(enum.StrEnum):
    DRAFT = "draft"
    REFRESH = "refresh"
    ADD_ITEM = "add_item"
    EDIT_ITEM = "edit_item"
    TARGETS = "targets"
    SPLIT = "split"
    MERGE = "merge"
    DROP = "drop"
    DEFER = "defer"
    RESTORE = "restore"
    BUDGET_LINE = "budget_line"
    SUBMIT_REVIEW = "submit_review"
    SUBMIT_PPK = "submit_ppk"
    RETURN = "return"
    ADOPT = "adopt"
    REVISE = "revise"
    APPLY = "apply"  # chosen items applied by a tool (the budget optimiser)


class ActorCapacity(enum.StrEnum):
    DEFINITIVE = "definitive"
    PLT = "plt"
    PLH = "plh"
    HR = "hr"
    SYSTEM = "system"


class PlanSettings(Base):
    """Who adopts the plan for the PPK and how the signature block reads."""

    __tablename__ = "planning_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(
        ForeignKey("instansi.id", ondelete="CASCADE"), unique=True
    )
    # The position that adopts: the PPK's, or the official the PPK delegates to (e.g. Sekda).
    ppk_position_id: Mapped[int | None] = mapped_column(
        ForeignKey("position.id", ondelete="SET NULL")
    )
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_nip: Mapped[str] = mapped_column(String(18), default="")
    place: Mapped[str] = mapped_column(String(100), default="")  # "Dumai", printed by the date


class Provider(Timestamped, Base):
    """A provider register entry: the instansi itself, LAN/BPSDM, a university, a partner."""

    __tablename__ = "planning_provider"
    __table_args__ = (UniqueConstraint("instansi_id", "name", name="provider_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProviderKind] = mapped_column(str_enum(ProviderKind))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    accredited: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Plan(Timestamped, Base):
    """The RPK of one instansi for one year; its contents are in its revisions."""

    __tablename__ = "planning_plan"
    __table_args__ = (UniqueConstraint("instansi_id", "year", name="one_plan_per_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    instansi: Mapped[Instansi] = relationship(lazy="joined")


class Revision(Timestamped, Base):
    """Revision `number` of a plan (0: the original); `version` guards status changes."""

    __tablename__ = "planning_revision"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="one_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plan.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(Text, default="")  # why a revision was opened
    comment: Mapped[str] = mapped_column(Text, default="")  # the latest return comment
    decree_number: Mapped[str] = mapped_column(String(120), default="")
    decree_date: Mapped[date | None] = mapped_column(Date)
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adopted_by_name: Mapped[str] = mapped_column(String(200), default="")
    adopted_by_position: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refreshes: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(lazy="joined")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class BudgetLine(Base):
    """A budget line of one revision: sub-kegiatan code and name, funding source, amount.

    Drafting copies the units' training budget lines (`source_line_id`); HR adds others, e.g.
    a partner-funded line. Items name the line that pays for them.
    """

    __tablename__ = "planning_budget_line"
    __table_args__ = (
        UniqueConstraint("revision_id", "key", name="line_key"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("planning_revision.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    code: Mapped[str] = mapped_column(String(60), default="")
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[FundingSource] = mapped_column(str_enum(FundingSource))
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    source_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("budget_line.id", ondelete="SET NULL")
    )


class PlanItem(Base):
    """One development activity of the plan with the seven contents of Pasal 207(3).

    `edited` lists the fields HR changed (comma-separated), which a refresh never overwrites;
    `targets_locked` keeps HR's target list as it is. `version` rises on every change, so two
    editors of one item cannot overwrite each other silently.
    """

    __tablename__ = "planning_item"
    __table_args__ = (
        UniqueConstraint("revision_id", "key", name="item_key"),
        Index("ix_planning_item_revision_status", "revision_id", "status"),
        CheckConstraint(
            "schedule_month IS NULL OR schedule_month BETWEEN 1 AND 12", name="month_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("planning_revision.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    origin: Mapped[ItemOrigin] = mapped_column(str_enum(ItemOrigin))
    status: Mapped[ItemStatus] = mapped_column(str_enum(ItemStatus), default=ItemStatus.ACTIVE)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    competency_code: Mapped[str | None] = mapped_column(String(30))
    form: Mapped[str | None] = mapped_column(String(30))  # a TrainingForm value
    path: Mapped[str | None] = mapped_column(String(20))  # a TrainingPath value
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_provider.id", ondelete="SET NULL")
    )
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_program.id", ondelete="SET NULL")
    )
    mentoring_program_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_program.id", ondelete="SET NULL")
    )
    schedule_month: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    curriculum_conform: Mapped[bool | None] = mapped_column(Boolean)
    curriculum_note: Mapped[str] = mapped_column(Text, default="")
    jp: Mapped[float | None] = mapped_column(Float)
    unit_cost: Mapped[int | None] = mapped_column(BigInteger)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    total_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_budget_line.id", ondelete="SET NULL")
    )
    priority: Mapped[float | None] = mapped_column(Float)  # highest priority of its needs
    importance: Mapped[float | None] = mapped_column(Float)  # stakeholder importance
    importance_respondents: Mapped[int] = mapped_column(Integer, default=0)
    need_count: Mapped[int] = mapped_column(Integer, default=0)
    edited: Mapped[str] = mapped_column(String(400), default="")
    targets_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_name: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def edited_fields(self) -> set[str]:
        return {name for name in self.edited.split(",") if name}


class PlanTarget(Base):
    """Who an item is for: a named employee (usually from a need), or a count per unit/position."""

    __tablename__ = "planning_target"
    __table_args__ = (
        Index("ix_planning_target_item", "item_id", "org_unit_id"),
        CheckConstraint("headcount > 0", name="positive_headcount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("planning_item.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("development_need.id", ondelete="SET NULL"), index=True
    )
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    headcount: Mapped[int] = mapped_column(Integer, default=1)


class PlanChange(Base):
    """What the latest refresh changed; replaced by the next refresh (the audit keeps counts)."""

    __tablename__ = "planning_change"
    __table_args__ = (Index("ix_planning_change_revision", "revision_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("planning_revision.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(Integer)  # None once the item is gone
    item_key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind))
    detail: Mapped[str] = mapped_column(Text, default="")


class PlanAction(Base):
    """Append-only audit: who did what to which revision or item, in what capacity."""

    __tablename__ = "planning_action"
    __table_args__ = (Index("ix_planning_action_plan", "plan_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("planning_plan.id", ondelete="CASCADE"))
    revision_id: Mapped[int | None] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[PlanActionKind] = mapped_column(str_enum(PlanActionKind))
    from_status: Mapped[PlanStatus | None] = mapped_column(str_enum(PlanStatus))
    to_status: Mapped[PlanStatus | None] = mapped_column(str_enum(PlanStatus))
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    actor_name: Mapped[str] = mapped_column(String(200))
    position_id: Mapped[int | None] = mapped_column(Integer)
    position_name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[ActorCapacity] = mapped_column(str_enum(ActorCapacity))
    delegation_id: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")  # JSON: what changed
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlanDocument(Base):
    """A generated document of a revision (PDF, DOCX or XLSX), made by a background job.

    `stamp` is the content stamp of the revision when it was made: the same stamp and format
    serve the stored file again; a change to the plan makes a new one.
    """

    __tablename__ = "planning_document"
    __table_args__ = (UniqueConstraint("revision_id", "fmt", "stamp", name="one_document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("planning_revision.id", ondelete="CASCADE"), index=True
    )
    fmt: Mapped[str] = mapped_column(String(8))
    stamp: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AppendOnlyError(RuntimeError):
    """The plan's audit trail is never changed or deleted."""


@event.listens_for(PlanAction, "before_update")
@event.listens_for(PlanAction, "before_delete")
def _refuse_audit_change(*_args: object) -> None:
    raise AppendOnlyError("planning_action rows are append-only")
