"""Following the plan through the year: planned against realised, per item, and items at risk.

Nominations and events link to the plan item they realise (`plan_item_id`, set by training
from the need a nomination comes from, or chosen on the event form). An item keeps its key
across revisions, so what was nominated under revision 0 still counts once revision 1 is in
force. Realised figures come from training's public feed; a fixed number of queries.

Risks: an item scheduled in a month without any event starting then (neither one chosen for
it nor one of its program), and an item whose unit budget line has less left than the item
still has to commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, select

from app.extensions import db
from app.needs.planning_feed import competency_labels
from app.planning import services
from app.planning.models import (
    BudgetLine,
    ItemStatus,
    PlanItem,
    PlanStatus,
    PlanTarget,
    Revision,
)
from app.training import plan_links
from app.training.planning_feed import (
    Realised,
    budget_lines_for,
    events_in_year,
    linked_event_months,
    outside_plan_count,
    realisation_by_item,
)

RISK_NO_EVENT = "no_event"
RISK_BUDGET = "budget"


@dataclass(frozen=True)
class RealisationRow:
    item_id: int
    title: str
    month: int | None
    planned_participants: int
    planned_jp: float  # JP × participants
    planned_cost: int
    realised: Realised
    risks: tuple[str, ...]

    @property
    def realised_share(self) -> float:
        if not self.planned_participants:
            return 0.0
        return self.realised.completed / self.planned_participants


@dataclass
class RealisationView:
    revision: Revision
    rows: list[RealisationRow]
    outside_plan: int
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def at_risk(self) -> list[RealisationRow]:
        return [row for row in self.rows if row.risks]


def _sum(parts: list[Realised]) -> Realised:
    return Realised(
        sum(p.nominated for p in parts),
        sum(p.approved for p in parts),
        sum(p.completed for p in parts),
        sum(p.jp_credited for p in parts),
        sum(p.committed for p in parts),
        sum(p.spent for p in parts),
    )


def realisation(revision: Revision) -> RealisationView:
    """Planned and realised per active item of the revision, with its risks (eight queries)."""
    plan = revision.plan
    labels = competency_labels(plan.instansi_id)
    items = list(
        db.session.execute(
            select(
                PlanItem.id, PlanItem.key, PlanItem.title, PlanItem.competency_code,
                PlanItem.form, PlanItem.schedule_month, PlanItem.participants, PlanItem.jp,
                PlanItem.total_cost, PlanItem.program_id, BudgetLine.source_line_id,
            )
            .outerjoin(BudgetLine, BudgetLine.id == PlanItem.budget_line_id)
            .where(PlanItem.revision_id == revision.id, PlanItem.status == ItemStatus.ACTIVE)
            .order_by(PlanItem.competency_code, PlanItem.form, PlanItem.id)
        )
    )  # fmt: skip
    keys = {row[1] for row in items}
    siblings: dict[str, list[int]] = defaultdict(list)  # key → item ids in every revision
    for item_id, key in db.session.execute(
        select(PlanItem.id, PlanItem.key)
        .join(Revision, Revision.id == PlanItem.revision_id)
        .where(Revision.plan_id == plan.id)
    ):
        if key in keys:
            siblings[key].append(int(item_id))
    every_id = [i for ids in siblings.values() for i in ids]
    realised = realisation_by_item(every_id)
    linked = linked_event_months(every_id)
    program_months: dict[int, set[int]] = defaultdict(set)
    for event in events_in_year(plan.instansi_id, plan.year):
        program_months[event.program_id].add(event.start_date.month)
    remaining = {
        line.line_id: line.amount - line.committed
        for line in budget_lines_for(plan.instansi_id, plan.year)
    }
    rows = []
    for (item_id, key, title, code, form, month, people, jp, cost, program_id,
         source_line) in items:  # fmt: skip
        done = _sum([realised[i] for i in siblings[key] if i in realised])
        months = set().union(*(linked.get(i, set()) for i in siblings[key]))
        if program_id:
            months |= program_months.get(int(program_id), set())
        risks = []
        if month and month not in months:
            risks.append(RISK_NO_EVENT)
        if source_line is not None and int(source_line) in remaining:
            still = max(int(cost or 0) - done.committed, 0)
            if still > 0 and remaining[int(source_line)] < still:
                risks.append(RISK_BUDGET)
        rows.append(
            RealisationRow(
                item_id=int(item_id),
                title=services.display_title(title, code, form, labels),
                month=month,
                planned_participants=int(people or 0),
                planned_jp=float(jp or 0) * int(people or 0),
                planned_cost=int(cost or 0),
                realised=done,
                risks=tuple(risks),
            )
        )
    view = RealisationView(revision, rows, outside_plan_count(plan.instansi_id, plan.year))
    view.totals = {
        "planned_participants": sum(r.planned_participants for r in rows),
        "planned_jp": sum(r.planned_jp for r in rows),
        "planned_cost": sum(r.planned_cost for r in rows),
        "approved": sum(r.realised.approved for r in rows),
        "completed": sum(r.realised.completed for r in rows),
        "jp_credited": sum(r.realised.jp_credited for r in rows),
        "committed": sum(r.realised.committed for r in rows),
        "spent": sum(r.realised.spent for r in rows),
    }
    return view


# ---- the links training asks for --------------------------------------------------------------

_IN_FORCE_FIRST = case((Revision.status == PlanStatus.ADOPTED, 0), else_=1)
_LIVE = (
    PlanStatus.ADOPTED,
    PlanStatus.DRAFT,
    PlanStatus.REVIEW,
    PlanStatus.SUBMITTED,
    PlanStatus.RETURNED,
)


def item_for_need(need_id: int) -> int | None:
    """The active item whose targets hold the need: in the plan in force, else the newest."""
    found = db.session.scalar(
        select(PlanItem.id)
        .join(PlanTarget, PlanTarget.item_id == PlanItem.id)
        .join(Revision, Revision.id == PlanItem.revision_id)
        .where(
            PlanTarget.need_id == need_id,
            PlanItem.status == ItemStatus.ACTIVE,
            Revision.status.in_(_LIVE),
        )
        .order_by(_IN_FORCE_FIRST, Revision.number.desc())
        .limit(1)
    )
    return int(found) if found is not None else None


def item_choices(instansi_id: int, year: int) -> list[tuple[int, str]]:
    """Active items of the year's plan (in force, else the newest revision) for the event form."""
    plan = services.plan_for(instansi_id, year)
    if plan is None:
        return []
    revision = services.adopted_revision(plan.id) or services.latest_revision(plan.id)
    if revision is None:
        return []
    labels = competency_labels(instansi_id)
    return [
        (int(i), f"#{i} {services.display_title(t, c, f, labels)}")
        for i, t, c, f in db.session.execute(
            select(PlanItem.id, PlanItem.title, PlanItem.competency_code, PlanItem.form)
            .where(PlanItem.revision_id == revision.id, PlanItem.status == ItemStatus.ACTIVE)
            .order_by(PlanItem.competency_code, PlanItem.id)
            .limit(3000)
        )
    ]


plan_links.register(item_for_need, item_choices)
