"""Catalogue, events, budget lines, delegations, nominations with their approval steps and audit.

The approval chain is data: each instansi lists its steps, and a nomination copies them when it
is submitted, so a later change of the chain never rewrites a nomination in flight. The approver
of a step is resolved from the org tree when the step opens. Decisions change a nomination only
through a conditional UPDATE on its `version`, so two concurrent decisions cannot both win.
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
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import ColumnElement

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum
from app.org.models import Employee, OrgUnit, Position


class TrainingPath(enum.StrEnum):
    """Jalur (PP 11/2017): education, or classical / non-classical training."""

    EDUCATION = "education"
    CLASSICAL = "classical"
    NON_CLASSICAL = "non_classical"


class TrainingForm(enum.StrEnum):
    """Bentuk (PerLAN 10/2018); values shared with `DevelopmentForm` keep the same spelling."""

    CLASSICAL = "classical"  # pelatihan klasikal (kepemimpinan, manajerial, teknis, fungsional)
    WORKSHOP = "workshop"
    SEMINAR = "seminar"
    COURSE = "course"
    TECHNICAL_GUIDANCE = "technical_guidance"  # bimbingan teknis
    E_LEARNING = "e_learning"
    DISTANCE_LEARNING = "distance_learning"
    COACHING = "coaching"
    MENTORING = "mentoring"
    JOB_ROTATION = "job_rotation"
    INTERNSHIP = "internship"  # magang / praktik kerja
    BENCHMARKING = "benchmarking"
    SELF_STUDY = "self_study"
    DEGREE = "degree"  # tugas belajar / izin belajar


FORM_PATH: dict[TrainingForm, TrainingPath] = {
    TrainingForm.CLASSICAL: TrainingPath.CLASSICAL,
    TrainingForm.WORKSHOP: TrainingPath.CLASSICAL,
    TrainingForm.SEMINAR: TrainingPath.CLASSICAL,
    TrainingForm.COURSE: TrainingPath.CLASSICAL,
    TrainingForm.TECHNICAL_GUIDANCE: TrainingPath.CLASSICAL,
    TrainingForm.E_LEARNING: TrainingPath.NON_CLASSICAL,
    TrainingForm.DISTANCE_LEARNING: TrainingPath.NON_CLASSICAL,
    TrainingForm.COACHING: TrainingPath.NON_CLASSICAL,
    TrainingForm.MENTORING: TrainingPath.NON_CLASSICAL,
    TrainingForm.JOB_ROTATION: TrainingPath.NON_CLASSICAL,
    TrainingForm.INTERNSHIP: TrainingPath.NON_CLASSICAL,
    TrainingForm.BENCHMARKING: TrainingPath.NON_CLASSICAL,
    TrainingForm.SELF_STUDY: TrainingPath.NON_CLASSICAL,
    TrainingForm.DEGREE: TrainingPath.EDUCATION,
}


class ProviderKind(enum.StrEnum):
    BPSDM = "bpsdm"  # the province's development agency
    LAN = "lan"
    MINISTRY = "ministry"
    UNIVERSITY = "university"
    PRIVATE = "private"
    INTERNAL = "internal"


class EventStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class StepKind(enum.StrEnum):
    """Who approves a step; the person is found in the org tree when the step opens."""

    SUPERVISOR = "supervisor"  # atasan langsung
    UNIT_HEAD = "unit_head"  # head of the nominee's own unit (bidang, seksi, UPTD …)
    OPD_HEAD = "opd_head"  # kepala OPD
    HR = "hr"  # verification by the instansi's HR administrators (BKPSDM)


DEFAULT_CHAIN: tuple[StepKind, ...] = (StepKind.SUPERVISOR, StepKind.OPD_HEAD, StepKind.HR)


class NominationState(enum.StrEnum):
    PENDING = "pending"  # waiting at `current_step_no`
    RETURNED = "returned"  # sent back for revision; the nominator may resubmit
    APPROVED = "approved"  # every step approved; budget and seat committed
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


ACTIVE_STATES = (NominationState.PENDING, NominationState.RETURNED, NominationState.APPROVED)
FINAL_STATES = (NominationState.APPROVED, NominationState.REJECTED, NominationState.WITHDRAWN)


class NominationOrigin(enum.StrEnum):
    NEED = "need"  # from an accepted development need
    SUPERVISOR = "supervisor"  # proposed by someone else (supervisor, head, HR)
    SELF = "self"  # the employee proposed themself


class StepStatus(enum.StrEnum):
    WAITING = "waiting"  # an earlier step is still open
    PENDING = "pending"  # open: its approver must decide
    APPROVED = "approved"
    SKIPPED = "skipped"  # no approver exists in the tree for it
    REJECTED = "rejected"
    RETURNED = "returned"
    CANCELLED = "cancelled"  # the nomination was withdrawn or returned before it opened


class ActionKind(enum.StrEnum):
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    AUTO_APPROVE = "auto_approve"  # same approver as the step just approved
    SKIP = "skip"
    REJECT = "reject"
    RETURN = "return"
    WITHDRAW = "withdraw"
    ESCALATE = "escalate"


class Capacity(enum.StrEnum):
    """In what capacity a person acted: the audit trail keeps it next to the position."""

    DEFINITIVE = "definitive"  # holds the position
    PLT = "plt"  # pelaksana tugas (permanent absence)
    PLH = "plh"  # pelaksana harian (temporary absence)
    HR = "hr"
    NOMINEE = "nominee"
    NOMINATOR = "nominator"
    SYSTEM = "system"


class RejectReason(enum.StrEnum):
    NOT_RELEVANT = "not_relevant"
    WORKLOAD = "workload"
    REQUIREMENTS = "requirements"
    ATTENDED_BEFORE = "attended_before"
    BUDGET = "budget"
    QUOTA = "quota"
    OTHER = "other"


class DelegationKind(enum.StrEnum):
    PLT = "plt"
    PLH = "plh"


class BudgetSource(enum.StrEnum):
    APBD = "apbd"
    APBN = "apbn"
    DAK = "dak"
    OTHER = "other"


class Attendance(enum.StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    ABSENT = "absent"


class Completion(enum.StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


class ReminderKind(enum.StrEnum):
    REMIND = "remind"
    ESCALATE = "escalate"


class TrainingProgram(Timestamped, Base):
    """A catalogue entry of one instansi: what is learned, how, from whom, for how many JP."""

    __tablename__ = "training_program"
    __table_args__ = (
        UniqueConstraint("instansi_id", "code", name="code_per_instansi"),
        CheckConstraint("jp > 0", name="positive_jp"),
        CheckConstraint("cost_per_participant >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    path: Mapped[TrainingPath] = mapped_column(str_enum(TrainingPath))
    form: Mapped[TrainingForm] = mapped_column(str_enum(TrainingForm, 30))
    jp: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    provider_kind: Mapped[ProviderKind] = mapped_column(str_enum(ProviderKind))
    provider_name: Mapped[str] = mapped_column(String(200))
    cost_per_participant: Mapped[int] = mapped_column(BigInteger, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    competencies: Mapped[list[ProgramCompetency]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="ProgramCompetency.competency_code",
    )

    @property
    def competency_codes(self) -> list[str]:
        return [item.competency_code for item in self.competencies]


class ProgramCompetency(Base):
    """A competency a program develops, up to a target level (1–5)."""

    __tablename__ = "training_program_competency"
    __table_args__ = (
        UniqueConstraint("program_id", "competency_code", name="one_code"),
        CheckConstraint("target_level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("training_program.id", ondelete="CASCADE"), index=True
    )
    competency_code: Mapped[str] = mapped_column(String(30), index=True)
    target_level: Mapped[int] = mapped_column(Integer)


class TrainingEvent(Timestamped, Base):
    """One batch (angkatan) of a program; `seats_taken` counts final approvals, up to `quota`."""

    __tablename__ = "training_event"
    __table_args__ = (
        CheckConstraint("quota > 0", name="positive_quota"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= quota", name="within_quota"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("training_program.id"), index=True)
    batch_code: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str] = mapped_column(String(300), default="")
    quota: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus), default=EventStatus.SCHEDULED
    )
    # The development plan item this batch realises (chosen on the event form), if any.
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_item.id", ondelete="SET NULL"), index=True
    )

    program: Mapped[TrainingProgram] = relationship(lazy="joined")

    @property
    def seats_left(self) -> int:
        return max(self.quota - self.seats_taken, 0)


class ApprovalChainStep(Base):
    """Step `step_no` of an instansi's approval chain; without rows, DEFAULT_CHAIN applies."""

    __tablename__ = "approval_chain_step"
    __table_args__ = (UniqueConstraint("instansi_id", "step_no", name="one_step_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Delegation(Timestamped, Base):
    """A Plt/Plh: `delegate` may act for the head `position` from `valid_from` to `valid_to`.

    Delegates approve nominations; decisions reserved to the definitive official (allocating
    budget, adopting the plan) stay refused to them (SE Kepala BKN 1/SE/I/2021).
    """

    __tablename__ = "delegation"
    __table_args__ = (
        CheckConstraint("valid_to >= valid_from", name="dates_in_order"),
        Index("ix_delegation_delegate", "delegate_employee_id", "valid_from", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    delegate_employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[DelegationKind] = mapped_column(str_enum(DelegationKind))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    sk_number: Mapped[str] = mapped_column(String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    position: Mapped[Position] = relationship(lazy="joined")
    delegate: Mapped[Employee] = relationship(lazy="joined")

    def active_on(self, day: date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to


class BudgetLine(Timestamped, Base):
    """The training budget (pagu) of a unit for a year; approvals commit against it."""

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "year", name="one_line_per_unit_year"),
        CheckConstraint("committed >= 0 AND committed <= amount", name="within_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(60), default="")  # kegiatan / sub-kegiatan code
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[BudgetSource] = mapped_column(str_enum(BudgetSource), default=BudgetSource.APBD)
    amount: Mapped[int] = mapped_column(BigInteger)
    committed: Mapped[int] = mapped_column(BigInteger, default=0)
    allocated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    @property
    def remaining(self) -> int:
        return self.amount - self.committed


class BudgetCommitment(Base):
    """The cost of one approved nomination, committed against a budget line."""

    __tablename__ = "budget_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_line_id: Mapped[int] = mapped_column(ForeignKey("budget_line.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    committed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


_ACTIVE = "state IN ('pending', 'returned', 'approved')"


class Nomination(Timestamped, Base):
    """A proposal that an employee attend an event; at most one active per employee and event."""

    __tablename__ = "nomination"
    __table_args__ = (
        Index(
            "uq_nomination_active",
            "employee_id",
            "event_id",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
        Index("ix_nomination_instansi_state", "instansi_id", "state"),
        Index("ix_nomination_event_state", "event_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("development_need.id"), index=True)
    # The development plan item it realises: from its need, else its event's; None: outside
    # the plan (allowed, and marked).
    plan_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("planning_item.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[NominationOrigin] = mapped_column(str_enum(NominationOrigin))
    justification: Mapped[str] = mapped_column(Text)
    nominated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    nominated_by_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    state: Mapped[NominationState] = mapped_column(
        str_enum(NominationState), default=NominationState.PENDING
    )
    round: Mapped[int] = mapped_column(Integer, default=1)  # +1 on each resubmission
    current_step_no: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 on every transition
    cost: Mapped[int] = mapped_column(BigInteger, default=0)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="joined")
    event: Mapped[TrainingEvent] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class NominationStep(Base):
    """One step of one round of a nomination, with the approver resolved when it opened."""

    __tablename__ = "nomination_step"
    __table_args__ = (
        UniqueConstraint("nomination_id", "round", "step_no", name="one_step"),
        Index("ix_nomination_step_open", "status", "approver_position_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    step_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind))
    status: Mapped[StepStatus] = mapped_column(str_enum(StepStatus), default=StepStatus.WAITING)
    approver_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    approver_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def is_current_step() -> ColumnElement[bool]:
    """Joins a nomination to the step it waits on: its current round and step number."""
    return and_(
        NominationStep.nomination_id == Nomination.id,
        NominationStep.round == Nomination.round,
        NominationStep.step_no == Nomination.current_step_no,
    )


class NominationAction(Base):
    """Append-only audit: who acted, for which position and in what capacity, and the change."""

    __tablename__ = "nomination_action"
    __table_args__ = (Index("ix_nomination_action_nomination", "nomination_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    step_no: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[ActionKind] = mapped_column(str_enum(ActionKind))
    from_state: Mapped[NominationState | None] = mapped_column(str_enum(NominationState))
    to_state: Mapped[NominationState] = mapped_column(str_enum(NominationState))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    actor_name: Mapped[str] = mapped_column(String(200))  # as it was when acting
    on_behalf_of_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    position_name: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[Capacity] = mapped_column(str_enum(Capacity))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id"))
    reason: Mapped[RejectReason | None] = mapped_column(str_enum(RejectReason))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AppendOnlyError(RuntimeError):
    """The audit trail is never changed or deleted."""


@event.listens_for(NominationAction, "before_update")
@event.listens_for(NominationAction, "before_delete")
def _refuse_audit_change(*_args: object) -> None:
    raise AppendOnlyError("nomination_action rows are append-only")


class Participation(Timestamped, Base):
    """Attendance and completion of an approved nominee; completion credits JP once."""

    __tablename__ = "participation"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    attendance: Mapped[Attendance] = mapped_column(str_enum(Attendance), default=Attendance.UNKNOWN)
    completion: Mapped[Completion] = mapped_column(
        str_enum(Completion), default=Completion.ENROLLED
    )
    certificate_number: Mapped[str] = mapped_column(String(100), default="")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    learning_record_id: Mapped[int | None] = mapped_column(ForeignKey("learning_record.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    employee: Mapped[Employee] = relationship(lazy="joined")


class ApprovalReminder(Base):
    """A reminder or escalation already sent for a step, so `flask approvals remind` is idempotent."""

    __tablename__ = "approval_reminder"
    __table_args__ = (UniqueConstraint("step_id", "kind", "period", "recipient", name="sent_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("nomination_step.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind))
    period: Mapped[int] = mapped_column(Integer)  # reminders repeat every N days: 1, 2, 3 …
    recipient: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CertificateSetting(Base):
    """How an instansi numbers the certificates the portal issues (see `certificates.py`)."""

    __tablename__ = "training_certificate_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), unique=True)
    pattern: Mapped[str] = mapped_column(String(80))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CertificateCounter(Base):
    """The last running number issued per instansi and year (0: a pattern without the year);
    raised by one atomic upsert, so concurrent completions never share a number."""

    __tablename__ = "training_certificate_counter"
    __table_args__ = (
        UniqueConstraint("instansi_id", "year", name="one_counter"),
        CheckConstraint("last_seq >= 0", name="seq_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    year: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
