"""The plan's lifecycle: draft → BKPSDM review → submitted to the PPK → adopted, or returned
with comments; an adopted revision is frozen and a change is a new numbered revision.

Every transition is a conditional UPDATE on the revision's `version`, so a stale page cannot
act twice, and writes an append-only audit row naming the actor, the position and capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import cast, insert, select, update
from sqlalchemy.orm import aliased

from app.clock import utcnow
from app.database import rowcount
from app.errors import ServiceError
from app.extensions import db
from app.planning import services
from app.planning.audit import PlanActor, record
from app.planning.models import (
    EDITABLE_STATUSES,
    BudgetLine,
    Plan,
    PlanActionKind,
    PlanItem,
    PlanStatus,
    PlanTarget,
    Revision,
)
from app.planning.policy import adoption_refusal
from app.training.policy import Acting


class NotAllowed(ServiceError):
    status = 403


def _move(
    revision: Revision,
    seen_version: int | None,
    allowed: tuple[PlanStatus, ...],
    to: PlanStatus,
    **values: object,
) -> PlanStatus:
    """Change the status if it is still what the page showed; 409 otherwise."""
    before = revision.status
    if before not in allowed:
        raise services.Conflict(_l("The plan has moved on since this page was shown; reload it."))
    result = db.session.execute(
        update(Revision)
        .where(Revision.id == revision.id, Revision.version == (seen_version or revision.version))
        .values(status=to, version=Revision.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        db.session.rollback()
        raise services.Conflict(_l("Someone acted on this plan meanwhile; reload it."))
    return before


def submission_problems(revision: Revision) -> list[str]:
    """Why the plan cannot go forward: incomplete items, lines over budget, no item at all."""
    problems: list[str] = []
    gaps = services.incomplete_items(revision.id)
    if gaps:
        problems.append(str(_l("%(n)d items are incomplete.", n=len(gaps))))
    for use in services.budget_problems(revision.id):
        problems.append(
            str(
                _l(
                    "%(line)s: planned %(planned)s, available %(amount)s, short by %(short)s.",
                    line=f"{use.line.code} {use.line.name}".strip(),
                    planned=services.rupiah(use.planned),
                    amount=services.rupiah(use.line.amount),
                    short=services.rupiah(use.shortfall),
                )
            )
        )
    if not services.totals(revision.id).active:
        problems.append(str(_l("The plan has no item.")))
    return problems


def send_to_review(revision: Revision, seen_version: int | None, actor: PlanActor) -> None:
    """HR sends a complete draft, within budget, to the BKPSDM review."""
    problems = submission_problems(revision)
    if problems:
        raise ServiceError(" ".join(problems))
    before = _move(revision, seen_version, EDITABLE_STATUSES, PlanStatus.REVIEW, comment="")
    record(revision.plan_id, PlanActionKind.SUBMIT_REVIEW, actor, revision.id,
           from_status=before, to_status=PlanStatus.REVIEW)  # fmt: skip
    db.session.commit()


def submit_to_ppk(revision: Revision, seen_version: int | None, actor: PlanActor) -> None:
    """BKPSDM's review passes: the plan goes to the PPK (checked again)."""
    problems = submission_problems(revision)
    if problems:
        raise ServiceError(" ".join(problems))
    before = _move(
        revision, seen_version, (PlanStatus.REVIEW,), PlanStatus.SUBMITTED, submitted_at=utcnow()
    )
    record(revision.plan_id, PlanActionKind.SUBMIT_PPK, actor, revision.id,
           from_status=before, to_status=PlanStatus.SUBMITTED)  # fmt: skip
    db.session.commit()


def return_plan(
    revision: Revision, seen_version: int | None, comment: str, actor: PlanActor
) -> None:
    """Send the plan back with comments (from the review or from the PPK)."""
    comment = comment.strip()
    if not comment:
        raise ServiceError(_l("Say what has to change."), field="comment")
    before = _move(
        revision,
        seen_version,
        (PlanStatus.REVIEW, PlanStatus.SUBMITTED),
        PlanStatus.RETURNED,
        comment=comment,
    )
    record(revision.plan_id, PlanActionKind.RETURN, actor, revision.id, from_status=before,
           to_status=PlanStatus.RETURNED, comment=comment)  # fmt: skip
    db.session.commit()


def adopt(
    revision: Revision,
    seen_version: int | None,
    acting: Acting,
    decree_number: str,
    decree_date: date | None,
    actor: PlanActor,
) -> None:
    """The PPK (definitive) adopts: the revision is frozen, the previous adopted one superseded."""
    settings = services.settings_for(revision.plan.instansi_id)
    refusal = adoption_refusal(acting, settings.ppk_position_id)
    if refusal is not None:
        raise NotAllowed(refusal)
    if not decree_number.strip():
        raise ServiceError(_l("Give the decree number."), field="decree_number")
    if decree_date is None:
        raise ServiceError(_l("Give the decree date."), field="decree_date")
    before = _move(
        revision,
        seen_version,
        (PlanStatus.SUBMITTED,),
        PlanStatus.ADOPTED,
        decree_number=decree_number.strip()[:120],
        decree_date=decree_date,
        adopted_at=utcnow(),
        adopted_by_name=actor.name[:200],
        adopted_by_position=actor.position_name[:200],
    )
    db.session.execute(
        update(Revision)
        .where(
            Revision.plan_id == revision.plan_id,
            Revision.id != revision.id,
            Revision.status == PlanStatus.ADOPTED,
        )
        .values(status=PlanStatus.SUPERSEDED)
        .execution_options(synchronize_session=False)
    )
    record(revision.plan_id, PlanActionKind.ADOPT, actor, revision.id, from_status=before,
           to_status=PlanStatus.ADOPTED, comment=decree_number.strip(),
           detail={"decree_number": decree_number.strip(), "decree_date": decree_date})  # fmt: skip
    db.session.commit()


def open_revision(plan: Plan, reason: str, actor: PlanActor) -> Revision:
    """A change to the adopted plan: a new numbered draft copying it (set-based copy)."""
    if not reason.strip():
        raise ServiceError(_l("Say why the adopted plan changes."), field="reason")
    latest = services.latest_revision(plan.id)
    if latest is None or latest.status != PlanStatus.ADOPTED:
        raise services.Conflict(
            _l("Only the adopted plan, with no change in progress, can be revised.")
        )
    new = Revision(
        plan_id=plan.id, number=latest.number + 1, status=PlanStatus.DRAFT, reason=reason.strip()
    )
    db.session.add(new)
    db.session.flush()
    _copy(latest.id, new.id)
    record(plan.id, PlanActionKind.REVISE, actor, new.id, to_status=PlanStatus.DRAFT,
           comment=reason.strip(), detail={"from_revision": latest.number})  # fmt: skip
    db.session.commit()
    return new


_LINE_COLUMNS = ("key", "org_unit_id", "code", "name", "source", "amount", "source_line_id")
_ITEM_COLUMNS = (
    "key", "origin", "status", "status_reason", "title", "competency_code", "form", "path",
    "provider_id", "program_id", "mentoring_program_id", "schedule_month", "start_date",
    "end_date", "curriculum_conform", "curriculum_note", "jp", "unit_cost", "participants",
    "total_cost", "priority", "importance", "importance_respondents", "need_count", "edited",
    "targets_locked", "note", "updated_by_name", "updated_at",
)  # fmt: skip
_TARGET_COLUMNS = ("employee_id", "need_id", "org_unit_id", "position_id", "headcount")


def _copy(old_id: int, new_id: int) -> None:
    """Lines, items (charged to the copied lines) and targets in three INSERT … SELECTs."""
    db.session.execute(
        insert(BudgetLine).from_select(
            ["revision_id", *_LINE_COLUMNS],
            select(
                cast(new_id, BudgetLine.revision_id.type),
                *(getattr(BudgetLine, c) for c in _LINE_COLUMNS),
            ).where(BudgetLine.revision_id == old_id),
        )
    )
    old_line, new_line = aliased(BudgetLine), aliased(BudgetLine)
    mapped_line = (
        select(new_line.id)
        .join(old_line, old_line.key == new_line.key)
        .where(old_line.id == PlanItem.budget_line_id, new_line.revision_id == new_id)
        .scalar_subquery()
    )
    db.session.execute(
        insert(PlanItem).from_select(
            ["revision_id", *_ITEM_COLUMNS, "budget_line_id", "version"],
            select(
                cast(new_id, PlanItem.revision_id.type),
                *(getattr(PlanItem, c) for c in _ITEM_COLUMNS),
                mapped_line,
                cast(1, PlanItem.version.type),
            ).where(PlanItem.revision_id == old_id),
        )
    )
    old_item, new_item = aliased(PlanItem), aliased(PlanItem)
    db.session.execute(
        insert(PlanTarget).from_select(
            ["item_id", *_TARGET_COLUMNS],
            select(new_item.id, *(getattr(PlanTarget, c) for c in _TARGET_COLUMNS))
            .join(old_item, old_item.id == PlanTarget.item_id)
            .join(new_item, (new_item.key == old_item.key) & (new_item.revision_id == new_id))
            .where(old_item.revision_id == old_id),
        )
    )


# ---- diff against the previous revision ------------------------------------------------------

DIFF_FIELDS = (
    "status", "title", "competency_code", "form", "provider_id", "schedule_month", "start_date",
    "jp", "unit_cost", "participants", "total_cost", "curriculum_conform",
)  # fmt: skip


@dataclass(frozen=True)
class ItemDiff:
    key: str
    title: str
    kind: str  # "added", "removed", "changed"
    fields: list[tuple[str, object, object]]


def diff(revision: Revision) -> tuple[Revision | None, list[ItemDiff]]:
    """What this revision changes against the one before (by item key), in two queries."""
    previous = db.session.scalar(
        select(Revision).where(
            Revision.plan_id == revision.plan_id, Revision.number == revision.number - 1
        )
    )
    if previous is None:
        return None, []
    labels = services.competency_labels(revision.plan.instansi_id)

    def rows(revision_id: int) -> dict[str, dict[str, object]]:
        found = {}
        for row in db.session.execute(
            select(PlanItem.key, *(getattr(PlanItem, c) for c in DIFF_FIELDS)).where(
                PlanItem.revision_id == revision_id
            )
        ):
            found[row[0]] = dict(zip(DIFF_FIELDS, row[1:], strict=True))
        return found

    old, new = rows(previous.id), rows(revision.id)
    result: list[ItemDiff] = []

    def title(values: dict[str, object]) -> str:
        def text(name: str) -> str | None:  # the three columns are strings or NULL
            value = values[name]
            return value if isinstance(value, str) else None

        return services.display_title(text("title"), text("competency_code"), text("form"), labels)

    for key in sorted(new.keys() | old.keys()):
        if key not in old:
            result.append(ItemDiff(key, title(new[key]), "added", []))
        elif key not in new:
            result.append(ItemDiff(key, title(old[key]), "removed", []))
        else:
            fields = [
                (f, old[key][f], new[key][f]) for f in DIFF_FIELDS if old[key][f] != new[key][f]
            ]
            if fields:
                result.append(ItemDiff(key, title(new[key]), "changed", fields))
    return previous, result
