"""The plan as the budget optimiser sees it, need by need, and how a chosen scenario comes back.

`need_candidates` lists every need placed in the revision's items (one target each) with its
item's form, cost, JP, line, provider and program; `committed_costs` what active items already
spend on each line for targets that are not needs (counted targets HR added). `apply_assignment`
turns a choice (need → form, or not funded) into ordinary plan items, so HR can still edit
them: needs funded with their item's form stay in it; needs funded with another form move to an
item of that competency and form (`opt:<code>:<form>`); needs not funded move to a dropped item
(`opt-unfunded:<code>:<form>`). Every item the choice touched holds its targets
(`targets_locked` or not drafted), so a refresh of the plan keeps the choice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, or_, select, update

from app.clock import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.needs.planning_feed import accepted_need_rows
from app.planning import drafting
from app.planning.audit import PlanActor, record
from app.planning.models import (
    BudgetLine,
    ItemOrigin,
    ItemStatus,
    PlanActionKind,
    PlanItem,
    PlanTarget,
    Revision,
)
from app.planning.services import ensure_editable
from app.training.models import FORM_PATH, TrainingForm

FUNDED_PREFIX = "opt:"
UNFUNDED_PREFIX = "opt-unfunded:"


@dataclass(frozen=True)
class NeedCandidate:
    need_id: int
    target_id: int
    employee_id: int
    org_unit_id: int
    item_id: int
    item_key: str
    item_title: str
    competency_code: str
    form: str  # the form of the item the need is in
    jp: float | None
    unit_cost: int | None
    budget_line_id: int | None
    provider_id: int | None
    program_id: int | None
    gap: float
    priority: float | None


def _considered(revision_id: int):
    """Items whose needs the optimiser may choose among: active ones and its own."""
    return (PlanItem.revision_id == revision_id) & or_(
        PlanItem.status == ItemStatus.ACTIVE,
        PlanItem.key.startswith(FUNDED_PREFIX),
        PlanItem.key.startswith(UNFUNDED_PREFIX),
    )


def need_candidates(revision_id: int, instansi_id: int, year: int) -> list[NeedCandidate]:
    """Every need placed in a considered item, with its item's cost and its gap (two queries)."""
    gaps = {row.need_id: (row.gap, row.priority) for row in accepted_need_rows(instansi_id, year)}
    rows = db.session.execute(
        select(
            PlanTarget.need_id,
            PlanTarget.id,
            PlanTarget.employee_id,
            PlanTarget.org_unit_id,
            PlanItem.id,
            PlanItem.key,
            PlanItem.title,
            PlanItem.competency_code,
            PlanItem.form,
            PlanItem.jp,
            PlanItem.unit_cost,
            PlanItem.budget_line_id,
            PlanItem.provider_id,
            PlanItem.program_id,
        )
        .join(PlanItem, PlanItem.id == PlanTarget.item_id)
        .where(
            _considered(revision_id),
            PlanTarget.need_id.is_not(None),
            PlanTarget.employee_id.is_not(None),
        )
        .order_by(PlanTarget.need_id)
    )
    found = []
    for need_id, tid, eid, uid, iid, key, title, code, form, jp, cost, line, prov, prog in rows:
        if need_id is None or eid is None:  # never: the query keeps targets with both
            continue
        gap, priority = gaps.get(int(need_id), (0.0, None))
        found.append(
            NeedCandidate(
                int(need_id),
                int(tid),
                int(eid),
                int(uid),
                int(iid),
                key,
                title or "",
                code or "",
                form or TrainingForm.CLASSICAL.value,
                jp,
                cost,
                line,
                prov,
                prog,
                float(gap),
                priority,
            )  # fmt: skip
        )
    return found


def committed_costs(revision_id: int) -> dict[int, int]:
    """Line id → cost of active items' targets that are not needs (HR's counted targets)."""
    return {
        int(line_id): int(total or 0)
        for line_id, total in db.session.execute(
            select(
                PlanItem.budget_line_id,
                func.sum(func.coalesce(PlanItem.unit_cost, 0) * PlanTarget.headcount),
            )
            .join(PlanTarget, PlanTarget.item_id == PlanItem.id)
            .where(
                PlanItem.revision_id == revision_id,
                PlanItem.status == ItemStatus.ACTIVE,
                PlanItem.budget_line_id.is_not(None),
                PlanTarget.need_id.is_(None),
            )
            .group_by(PlanItem.budget_line_id)
        )
        if line_id is not None  # always: the query keeps charged items
    }


@dataclass(frozen=True)
class FormTerms:
    """What an item in another form costs and gives, from the optimiser's settings."""

    jp: float
    unit_cost: int


def apply_assignment(
    revision: Revision,
    assignment: dict[int, str | None],
    terms: dict[str, FormTerms],
    reason: str,
    actor: PlanActor,
    partner_needs: set[int] | None = None,
    partner_line: int | None = None,
) -> dict[str, int]:
    """Apply need id → form (None: not funded) to the revision's items; commits.

    Needs in `partner_needs` are paid from `partner_line` (items keyed `opt:<code>:<form>:partner`).
    Needs of the revision the assignment does not mention stay where they are."""
    partner_needs = partner_needs or set()
    ensure_editable(revision)
    if not reason.strip():
        raise ServiceError(_l("Give the reason."), field="reason")
    plan = revision.plan
    candidates = {c.need_id: c for c in need_candidates(revision.id, plan.instansi_id, plan.year)}
    items = {
        key: (int(item_id), line)
        for item_id, key, line in db.session.execute(
            select(PlanItem.id, PlanItem.key, PlanItem.budget_line_id).where(
                PlanItem.revision_id == revision.id
            )
        )
    }
    # Where each need goes: its own item, or an optimiser item keyed by competency and form.
    moves: dict[int, str] = {}  # target id → destination item key
    wanted: dict[str, dict[str, object]] = {}
    for need_id, form in assignment.items():
        candidate = candidates.get(need_id)
        if candidate is None:
            continue
        # A need in an optimiser item has no original item to stay in.
        base = "" if candidate.item_key.startswith("opt") else candidate.item_key
        partner = need_id in partner_needs and partner_line is not None
        if form == candidate.form and base and not partner:
            continue  # stays in its (original) item
        if form is None:
            key = f"{UNFUNDED_PREFIX}{candidate.competency_code}:{candidate.form}"[:120]
            values = _item_values(candidate, candidate.form, None, ItemStatus.DROPPED, reason)
        else:
            suffix = ":partner" if partner else ""
            key = f"{FUNDED_PREFIX}{candidate.competency_code}:{form}{suffix}"[:120]
            values = _item_values(candidate, form, terms.get(form), ItemStatus.ACTIVE, "")
            if partner:
                values["budget_line_id"] = partner_line
        if candidate.item_key != key:
            moves[candidate.target_id] = key
        wanted.setdefault(key, values)
    now = utcnow()
    new_rows = [
        {**values, "revision_id": revision.id, "key": key, "updated_at": now,
         "updated_by_name": actor.name[:200]}
        for key, values in wanted.items()
        if key not in items
    ]  # fmt: skip
    if new_rows:
        db.session.execute(insert(PlanItem.__table__), new_rows)  # Core: one executemany
        items = {
            key: (int(item_id), line)
            for item_id, key, line in db.session.execute(
                select(PlanItem.id, PlanItem.key, PlanItem.budget_line_id).where(
                    PlanItem.revision_id == revision.id
                )
            )
        }
    if moves:
        db.session.execute(
            update(PlanTarget),
            [{"id": tid, "item_id": items[key][0]} for tid, key in moves.items()],
        )
    touched = {c.item_id for c in candidates.values() if c.need_id in assignment}
    touched |= {items[key][0] for key in wanted}
    summary = _settle(revision.id, touched, reason)
    summary["moved"] = len(moves)
    record(
        revision.plan_id, PlanActionKind.APPLY, actor, revision.id, comment=reason,
        detail=summary,
    )  # fmt: skip
    db.session.commit()
    return summary


def _item_values(
    candidate: NeedCandidate,
    form: str,
    terms: FormTerms | None,
    status: ItemStatus,
    reason: str,
) -> dict[str, object]:
    same = form == candidate.form
    path = FORM_PATH.get(TrainingForm(form)) if form in {f.value for f in TrainingForm} else None
    return {
        "origin": ItemOrigin.MANUAL,
        "status": status,
        "status_reason": reason.strip(),
        "title": candidate.item_title if same else "",
        "competency_code": candidate.competency_code,
        "form": form,
        "path": path.value if path else None,
        "provider_id": candidate.provider_id if same else None,
        "program_id": candidate.program_id if same else None,
        "jp": candidate.jp if same or terms is None else terms.jp,
        "unit_cost": candidate.unit_cost if same or terms is None else terms.unit_cost,
        "budget_line_id": candidate.budget_line_id,
        "priority": candidate.priority,
        "targets_locked": True,
    }


def _settle(revision_id: int, touched: set[int], reason: str) -> dict[str, int]:
    """Recount the touched items; empty optimiser items go, emptied items are dropped, items
    with funded needs are active (and hold their targets)."""
    ids = sorted(touched)
    drafting.recount(revision_id, ids)
    counts: dict[int, int] = defaultdict(int)
    for item_id, n in db.session.execute(
        select(PlanTarget.item_id, func.count())
        .where(PlanTarget.item_id.in_(ids))
        .group_by(PlanTarget.item_id)
    ):
        counts[int(item_id)] = int(n)
    keys = dict(
        db.session.execute(select(PlanItem.id, PlanItem.key).where(PlanItem.id.in_(ids))).all()
    )
    empty_own = [i for i in ids if not counts[i] and str(keys.get(i, "")).startswith("opt")]
    emptied = [i for i in ids if not counts[i] and i not in empty_own]
    funded = [i for i in ids if counts[i] and not str(keys.get(i, "")).startswith(UNFUNDED_PREFIX)]
    if empty_own:
        db.session.execute(delete(PlanItem).where(PlanItem.id.in_(empty_own)))
    if emptied:
        db.session.execute(
            update(PlanItem)
            .where(PlanItem.id.in_(emptied), PlanItem.status == ItemStatus.ACTIVE)
            .values(status=ItemStatus.DROPPED, status_reason=reason.strip(),
                    version=PlanItem.version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    if funded:
        db.session.execute(
            update(PlanItem)
            .where(PlanItem.id.in_(funded))
            .values(status=ItemStatus.ACTIVE, status_reason="", targets_locked=True,
                    version=PlanItem.version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    return {"funded_items": len(funded), "dropped_items": len(emptied), "removed": len(empty_own)}


def fill_missing_costs(revision: Revision, costs: dict[str, int], actor: PlanActor) -> int:
    """Give the considered items without a unit cost the estimate of their form (and, when
    they then cost money without a line, the revision's largest line); the fields count as
    HR's edits, so a refresh keeps them. Returns how many items were costed; commits."""
    ensure_editable(revision)
    rows = db.session.execute(
        select(PlanItem.id, PlanItem.form, PlanItem.budget_line_id, PlanItem.edited).where(
            _considered(revision.id), PlanItem.unit_cost.is_(None)
        )
    ).all()
    if not rows:
        return 0
    largest = db.session.scalar(
        select(BudgetLine.id)
        .where(BudgetLine.revision_id == revision.id)
        .order_by(BudgetLine.amount.desc(), BudgetLine.id)
        .limit(1)
    )
    changes = []
    for item_id, form, line_id, edited in rows:
        cost = int(costs.get(form or "", 0))
        fields = {name for name in (edited or "").split(",") if name} | {"unit_cost"}
        change: dict[str, object] = {"id": item_id, "unit_cost": cost}
        if cost and line_id is None and largest is not None:
            change["budget_line_id"] = largest
            fields.add("budget_line_id")
        change["edited"] = ",".join(sorted(fields))[:400]
        changes.append(change)
    db.session.execute(update(PlanItem), changes)
    drafting.recount(revision.id, [int(c["id"]) for c in changes])  # type: ignore[call-overload]
    record(
        revision.plan_id, PlanActionKind.EDIT_ITEM, actor, revision.id, comment=str(_l("Cost estimated per form")),
        detail={"estimated": len(changes)},
    )  # fmt: skip
    db.session.commit()
    return len(changes)
