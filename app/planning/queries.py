"""Read side of the plan: the plan page, an item page, the list of plans.

Every function answers with a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app.evaluation.feeds import ReviewFlag, review_flags
from app.extensions import db
from app.needs.planning_feed import competency_labels
from app.org.models import Instansi
from app.planning import services
from app.planning.models import (
    BudgetLine,
    ItemStatus,
    Plan,
    PlanAction,
    PlanChange,
    PlanItem,
    Provider,
    Revision,
)


@dataclass(frozen=True)
class ItemRow:
    id: int
    number: int
    title: str
    code: str
    competency: str
    form: str | None
    path: str | None
    provider: str
    month: int | None
    start_date: Any
    participants: int
    jp: float | None
    unit_cost: int | None
    total_cost: int
    line: str
    source: str | None
    status: ItemStatus
    origin: str
    missing: list[str]
    raised: bool
    importance: float | None
    curriculum_conform: bool | None
    version: int
    flag: ReviewFlag | None = None  # its catalogue program is flagged for review


@dataclass
class PlanFilters:
    status: str = ""
    incomplete: bool = False
    search: str = ""
    competency: str = ""
    page: int = 1

    def args(self) -> dict[str, object]:
        return {
            k: v
            for k, v in (
                ("status", self.status),
                ("incomplete", "1" if self.incomplete else ""),
                ("q", self.search),
                ("competency", self.competency),
            )
            if v
        }


RAISE_IMPORTANCE = 4.0
PAGE_SIZE = 100  # item rows per page of the plan page  # stakeholder importance (1–5) from which a need counts as raised


@dataclass
class PlanView:
    plan: Plan
    revision: Revision
    revisions: list[Revision]
    items: list[ItemRow]
    shown: int
    totals: services.Totals
    lines: list[services.LineUse]
    gaps: list[ItemRow]
    changes: list[PlanChange]
    actions: list[PlanAction]
    flagged: list[ItemRow] = field(default_factory=list)
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    page: int = 1
    pages: int = 1

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def over_budget(self) -> list[services.LineUse]:
        return [use for use in self.lines if use.shortfall > 0]


def item_rows(revision: Revision, labels: dict[str, tuple[str, str, str]]) -> list[ItemRow]:
    """Every item of a revision with provider, budget line and its program's review flag, in
    plan order (one query, and the flags' fixed few)."""
    rows = db.session.execute(
        select(PlanItem, Provider.name, BudgetLine.name, BudgetLine.code, BudgetLine.source)
        .outerjoin(Provider, Provider.id == PlanItem.provider_id)
        .outerjoin(BudgetLine, BudgetLine.id == PlanItem.budget_line_id)
        .where(PlanItem.revision_id == revision.id)
        .order_by(
            PlanItem.competency_code.is_(None),
            PlanItem.competency_code,
            PlanItem.form,
            PlanItem.id,
        )
    ).all()
    flags = review_flags(item.program_id for item, *_rest in rows if item.program_id)
    result = []
    for number, (item, provider, line, line_code, source) in enumerate(rows, start=1):
        result.append(
            ItemRow(
                id=item.id,
                number=number,
                title=services.display_title(item.title, item.competency_code, item.form, labels),
                code=item.competency_code or "",
                competency=labels.get(item.competency_code or "", ("", "", ""))[0],
                form=item.form,
                path=item.path,
                provider=provider or "",
                month=item.schedule_month,
                start_date=item.start_date,
                participants=item.participants,
                jp=item.jp,
                unit_cost=item.unit_cost,
                total_cost=item.total_cost,
                line=f"{line_code} {line}".strip() if line else "",
                source=source.value if source is not None else None,
                status=item.status,
                origin=item.origin.value,
                missing=services.missing_parts(item) if item.status == ItemStatus.ACTIVE else [],
                raised=(item.importance or 0) >= RAISE_IMPORTANCE,
                importance=item.importance,
                curriculum_conform=item.curriculum_conform,
                version=item.version,
                flag=flags.get(item.program_id) if item.program_id else None,
            )
        )
    return result


def flagged_rows(rows: list[ItemRow]) -> list[ItemRow]:
    """Items in the plan whose program is flagged for review: a warning, not a blocker."""
    return [row for row in rows if row.flag is not None and row.status == ItemStatus.ACTIVE]


def _matches(row: ItemRow, filters: PlanFilters) -> bool:
    if filters.status and row.status.value != filters.status:
        return False
    if filters.incomplete and not row.missing:
        return False
    if filters.competency and row.code != filters.competency:
        return False
    if filters.search:
        needle = filters.search.lower()
        if needle not in row.title.lower() and needle not in row.provider.lower():
            return False
    return True


def plan_view(revision: Revision, filters: PlanFilters | None = None) -> PlanView:
    filters = filters or PlanFilters()
    plan = revision.plan
    labels = competency_labels(plan.instansi_id)
    rows = item_rows(revision, labels)
    shown = [row for row in rows if _matches(row, filters)]
    pages = max((len(shown) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(filters.page, 1), pages)
    return PlanView(
        plan=plan,
        revision=revision,
        revisions=services.revisions_of(plan.id),
        items=shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        shown=len(shown),
        page=page,
        pages=pages,
        totals=services.totals(revision.id),
        lines=services.budget_lines(revision.id),
        gaps=[row for row in rows if row.missing],
        flagged=flagged_rows(rows),
        changes=list(
            db.session.scalars(
                select(PlanChange)
                .where(PlanChange.revision_id == revision.id)
                .order_by(PlanChange.id)
                .limit(200)
            )
        ),
        actions=list(
            db.session.scalars(
                select(PlanAction)
                .where(PlanAction.plan_id == plan.id)
                .order_by(PlanAction.id.desc())
                .limit(30)
            )
        ),
        labels=labels,
    )


@dataclass(frozen=True)
class PlanListRow:
    plan: Plan
    instansi: Instansi
    revision: Revision | None
    items: int
    cost: int


def plan_list(scope: Any) -> list[PlanListRow]:
    """Plans in scope with their latest revision, item count and cost (three queries)."""
    plans = list(
        db.session.execute(
            select(Plan, Instansi)
            .join(Instansi, Instansi.id == Plan.instansi_id)
            .where(scope)
            .order_by(Instansi.name, Plan.year.desc())
        )
    )
    ids = [plan.id for plan, _ in plans]
    latest: dict[int, Revision] = {}
    counts: dict[int, tuple[int, int]] = {}
    if ids:
        newest = (
            select(Revision.plan_id, func.max(Revision.number).label("n"))
            .where(Revision.plan_id.in_(ids))
            .group_by(Revision.plan_id)
            .subquery()
        )
        for revision in db.session.scalars(
            select(Revision).join(
                newest, (newest.c.plan_id == Revision.plan_id) & (newest.c.n == Revision.number)
            )
        ):
            latest[revision.plan_id] = revision
        rev_ids = [r.id for r in latest.values()]
        if rev_ids:
            for rev_id, count, cost in db.session.execute(
                select(PlanItem.revision_id, func.count(), func.sum(PlanItem.total_cost))
                .where(PlanItem.revision_id.in_(rev_ids), PlanItem.status == ItemStatus.ACTIVE)
                .group_by(PlanItem.revision_id)
            ):
                counts[int(rev_id)] = (int(count), int(cost or 0))
    result = []
    for plan, instansi in plans:
        shown = latest.get(plan.id)
        count, cost = counts.get(shown.id, (0, 0)) if shown else (0, 0)
        result.append(PlanListRow(plan, instansi, shown, count, cost))
    return result


def item_history(item_id: int) -> list[PlanAction]:
    return list(
        db.session.scalars(
            select(PlanAction)
            .where(PlanAction.item_id == item_id)
            .order_by(PlanAction.id.desc())
            .limit(50)
        )
    )


def merge_choices(
    revision_id: int, item: PlanItem, labels: dict[str, tuple[str, str, str]]
) -> list[tuple[int, str]]:
    """Other items of the revision, those of the same competency first."""
    rows = db.session.execute(
        select(PlanItem.id, PlanItem.title, PlanItem.competency_code, PlanItem.form)
        .where(PlanItem.revision_id == revision_id, PlanItem.id != item.id)
        .order_by(PlanItem.competency_code != (item.competency_code or ""), PlanItem.id)
        .limit(2000)
    )
    return [(int(i), f"#{i} {services.display_title(t, c, f, labels)}") for i, t, c, f in rows]
