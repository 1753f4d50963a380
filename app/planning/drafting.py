"""Drafting and refreshing a plan from the evidence, with a fixed number of statements.

Accepted development needs of the same competency and form become one item whose targets are
the employees with that need. Each item takes what the catalogue (a program developing the
competency, preferably in the same form) or a mentoring program offers: title, JP, unit cost,
provider, month of the year's first batch. The units' budget lines of the year become the
plan's budget lines, and every costed item is charged to the line of the OPD holding most of
its targets.

A refresh keeps HR's work: fields HR edited (`PlanItem.edited`) are never overwritten, the
targets of a split, merged or otherwise locked item stay as they are, and needs already
placed in such an item (or in a dropped or deferred one) are not placed again. Whatever a
refresh changed is listed in `planning_change` until the next refresh.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from app.clock import utcnow
from app.evaluation.feeds import review_flags
from app.extensions import db
from app.mentoring.services import programs_of as mentoring_programs_of
from app.needs.planning_feed import (
    Importance,
    NeedRow,
    accepted_need_rows,
    unit_importance,
)
from app.org.models import Instansi, OrgUnit
from app.planning.audit import PlanActor, record
from app.planning.models import (
    FORM_VALUES,
    BudgetLine,
    ChangeKind,
    FundingSource,
    ItemOrigin,
    ItemStatus,
    Plan,
    PlanActionKind,
    PlanChange,
    PlanItem,
    PlanStatus,
    PlanTarget,
    Provider,
    ProviderKind,
    Revision,
)
from app.training.models import FORM_PATH, TrainingForm
from app.training.planning_feed import (
    Offer,
    budget_lines_for,
    catalogue_offers,
    events_in_year,
)

MENTORING_FORMS = {TrainingForm.MENTORING.value, TrainingForm.COACHING.value}
# A mentoring or coaching item is estimated at one hour a week over the program's minimum.
MENTORING_MINUTES_PER_WEEK = 60

# Fields a refresh fills from the evidence, unless HR edited them.
DRAFTED_FIELDS = (
    "title",
    "competency_code",
    "form",
    "path",
    "provider_id",
    "program_id",
    "mentoring_program_id",
    "schedule_month",
    "curriculum_conform",
    "jp",
    "unit_cost",
    "budget_line_id",
)
# Fields always recomputed (HR does not edit them).
DERIVED_FIELDS = ("priority", "importance", "importance_respondents", "need_count")
COMPARED_FIELDS = ("title", "provider_id", "schedule_month", "jp", "unit_cost", "budget_line_id")


def need_key(code: str, form: str, slot: int = 0) -> str:
    """The stable key of the item grouping needs of one competency and form."""
    return f"need:{code}:{form}" + (f":{slot + 1}" if slot else "")


@dataclass
class Drafted:
    """What the evidence says one item should be."""

    key: str
    values: dict[str, Any]
    needs: list[NeedRow]


@dataclass
class RefreshResult:
    revision_id: int
    items: int = 0
    added: int = 0
    removed: int = 0
    updated: int = 0
    targets_added: int = 0
    targets_removed: int = 0
    kept: int = 0
    carried: int = 0
    needs: int = 0
    flagged: int = 0  # drafted items whose catalogue program is flagged for review
    changes: list[dict[str, object]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "items": self.items,
            "added": self.added,
            "removed": self.removed,
            "updated": self.updated,
            "targets_added": self.targets_added,
            "targets_removed": self.targets_removed,
            "kept": self.kept,
            "carried": self.carried,
            "needs": self.needs,
            "flagged": self.flagged,
        }


# ---- evidence -------------------------------------------------------------------------------


@dataclass
class Evidence:
    instansi: Instansi
    year: int
    needs: list[NeedRow]
    offers: list[Offer]
    mentoring: list[tuple[int, str, int, int]]  # id, name, min_weeks, minutes_per_jp
    first_month: dict[int, int]  # program id → month of its first batch in the year
    importance: dict[tuple[int, str], Importance]
    unit_paths: dict[int, str]
    providers: dict[str, int]  # lower-case name → provider id
    internal_provider: int
    lines: list[tuple[int, str, int]]  # plan line id, unit path ('' if none), amount


def _providers(instansi: Instansi, offers: Sequence[Offer]) -> tuple[dict[str, int], int]:
    """The register by name; the catalogue's providers and the instansi itself are added."""
    existing = {
        name.lower(): int(pid)
        for pid, name in db.session.execute(
            select(Provider.id, Provider.name).where(Provider.instansi_id == instansi.id)
        )
    }
    wanted: dict[str, tuple[str, ProviderKind]] = {
        instansi.name.lower(): (instansi.name, ProviderKind.INTERNAL)
    }
    for offer in offers:
        kind = (
            ProviderKind(offer.provider_kind)
            if offer.provider_kind in {k.value for k in ProviderKind}
            else ProviderKind.OTHER
        )
        wanted.setdefault(offer.provider_name.strip().lower(), (offer.provider_name.strip(), kind))
    missing = [
        {"instansi_id": instansi.id, "name": name[:200], "kind": kind, "active": True}
        for low, (name, kind) in wanted.items()
        if low and low not in existing
    ]
    if missing:
        db.session.execute(insert(Provider), missing)
        existing = {
            name.lower(): int(pid)
            for pid, name in db.session.execute(
                select(Provider.id, Provider.name).where(Provider.instansi_id == instansi.id)
            )
        }
    return existing, existing[instansi.name.lower()]


def _sync_budget_lines(
    revision: Revision, instansi_id: int, year: int
) -> list[tuple[int, str, int]]:
    """Copy the units' training budget lines of the year into the revision (kept in sync)."""
    unit_lines = budget_lines_for(instansi_id, year)
    existing = {
        key: int(line_id)
        for line_id, key in db.session.execute(
            select(BudgetLine.id, BudgetLine.key).where(BudgetLine.revision_id == revision.id)
        )
    }
    new_rows, changed = [], []
    for line in unit_lines:
        key = f"unit:{line.line_id}"
        source = (
            FundingSource(line.source)
            if line.source in {s.value for s in FundingSource}
            else FundingSource.OTHER
        )
        values = {
            "org_unit_id": line.org_unit_id,
            "code": line.code[:60],
            "name": line.name[:200],
            "source": source,
            "amount": line.amount,
            "source_line_id": line.line_id,
        }
        if key in existing:
            changed.append({"id": existing[key], **values})
        else:
            new_rows.append({"revision_id": revision.id, "key": key, **values})
    if new_rows:
        db.session.execute(insert(BudgetLine), new_rows)
    if changed:
        db.session.execute(update(BudgetLine), changed)
    return [
        (int(line_id), path or "", int(amount))
        for line_id, path, amount in db.session.execute(
            select(BudgetLine.id, OrgUnit.path, BudgetLine.amount)
            .outerjoin(OrgUnit, OrgUnit.id == BudgetLine.org_unit_id)
            .where(BudgetLine.revision_id == revision.id)
            .order_by(BudgetLine.id)
        )
    ]


def gather(revision: Revision, instansi: Instansi, year: int) -> Evidence:
    """Everything drafting reads, in a fixed number of queries."""
    offers = catalogue_offers(instansi.id)
    first_month: dict[int, int] = {}
    for event in events_in_year(instansi.id, year):
        first_month.setdefault(event.program_id, event.start_date.month)
    providers, internal = _providers(instansi, offers)
    return Evidence(
        instansi=instansi,
        year=year,
        needs=accepted_need_rows(instansi.id, year),
        offers=offers,
        mentoring=[
            (p.id, p.name, p.min_weeks, p.minutes_per_jp)
            for p in mentoring_programs_of([instansi.id], active_only=True)
        ],
        first_month=first_month,
        importance=unit_importance(instansi.id, year),
        unit_paths={
            int(uid): path
            for uid, path in db.session.execute(
                select(OrgUnit.id, OrgUnit.path).where(OrgUnit.instansi_id == instansi.id)
            )
        },
        providers=providers,
        internal_provider=internal,
        lines=_sync_budget_lines(revision, instansi.id, year),
    )


# ---- grouping -------------------------------------------------------------------------------


def best_offer(offers: Iterable[Offer], code: str, form: str) -> Offer | None:
    """A program developing `code`: same form first, then same path, then cheapest."""
    path = FORM_PATH.get(TrainingForm(form)) if form in FORM_VALUES else None
    matching = [offer for offer in offers if code in offer.levels]
    if not matching:
        return None
    matching.sort(
        key=lambda o: (
            o.form != form,
            path is None or o.path != path.value,
            -o.levels[code],
            o.cost,
            o.code,
        )
    )
    return matching[0]


def _line_for(evidence: Evidence, needs: Sequence[NeedRow]) -> int | None:
    """The budget line of the unit holding most targets (deepest match), else the largest."""
    if not evidence.lines:
        return None
    votes: Counter[int] = Counter()
    for need in needs:
        path = evidence.unit_paths.get(need.org_unit_id, "")
        best: tuple[int, int] | None = None
        for line_id, line_path, _amount in evidence.lines:
            if line_path and path.startswith(line_path):
                if best is None or len(line_path) > best[0]:
                    best = (len(line_path), line_id)
        if best is not None:
            votes[best[1]] += 1
    if votes:
        return votes.most_common(1)[0][0]
    return max(evidence.lines, key=lambda line: (line[2], -line[0]))[0]


def drafted_values(
    evidence: Evidence, code: str, form: str, needs: Sequence[NeedRow]
) -> dict[str, Any]:
    """The item the evidence suggests for the needs of one competency and form."""
    values: dict[str, Any] = dict.fromkeys(DRAFTED_FIELDS)
    values.update(competency_code=code, form=form, title="")
    path = FORM_PATH.get(TrainingForm(form)) if form in FORM_VALUES else None
    values["path"] = path.value if path else None
    offer = None
    if form in MENTORING_FORMS and evidence.mentoring:
        program_id, name, weeks, minutes_per_jp = evidence.mentoring[0]
        values.update(
            title=name[:300],
            mentoring_program_id=program_id,
            provider_id=evidence.internal_provider,
            jp=round(weeks * MENTORING_MINUTES_PER_WEEK / max(minutes_per_jp, 1), 1),
            unit_cost=0,
        )
    else:
        offer = best_offer(evidence.offers, code, form)
    if offer is not None:
        values.update(
            title=offer.title[:300],
            program_id=offer.program_id,
            provider_id=evidence.providers.get(offer.provider_name.strip().lower()),
            jp=offer.jp,
            unit_cost=offer.cost,
            schedule_month=evidence.first_month.get(offer.program_id),
            curriculum_conform=True,
            form=offer.form,
            path=offer.path,
        )
    if values["unit_cost"]:
        values["budget_line_id"] = _line_for(evidence, needs)
    priorities = [n.priority for n in needs if n.priority is not None]
    best_importance: Importance | None = None
    for need in needs:
        found = evidence.importance.get((need.org_unit_id, code))
        if found is not None and (best_importance is None or found.value > best_importance.value):
            best_importance = found
    values.update(
        priority=max(priorities) if priorities else None,
        importance=best_importance.value if best_importance else None,
        importance_respondents=best_importance.respondents if best_importance else 0,
        need_count=len(needs),
    )
    return values


# ---- the refresh ----------------------------------------------------------------------------


@dataclass
class _Existing:
    id: int
    key: str
    origin: ItemOrigin
    status: ItemStatus
    locked: bool
    edited: set[str]
    values: dict[str, Any]
    title: str


def _existing_items(revision_id: int) -> dict[str, _Existing]:
    columns = [getattr(PlanItem, name) for name in (*DRAFTED_FIELDS, *DERIVED_FIELDS)]
    rows = db.session.execute(
        select(
            PlanItem.id,
            PlanItem.key,
            PlanItem.origin,
            PlanItem.status,
            PlanItem.targets_locked,
            PlanItem.edited,
            *columns,
        ).where(PlanItem.revision_id == revision_id)
    )
    names = (*DRAFTED_FIELDS, *DERIVED_FIELDS)
    result = {}
    for row in rows:
        values = dict(zip(names, row[6:], strict=True))
        result[row[1]] = _Existing(
            int(row[0]),
            row[1],
            row[2],
            row[3],
            bool(row[4]),
            {n for n in (row[5] or "").split(",") if n},
            values,
            values["title"] or "",
        )
    return result


def _existing_targets(revision_id: int) -> dict[int, dict[int, int]]:
    """item id → {need id → target id} for targets that came from needs."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for target_id, item_id, need_id in db.session.execute(
        select(PlanTarget.id, PlanTarget.item_id, PlanTarget.need_id)
        .join(PlanItem, PlanItem.id == PlanTarget.item_id)
        .where(PlanItem.revision_id == revision_id, PlanTarget.need_id.is_not(None))
    ):
        if need_id is not None:  # always: the query keeps targets of needs
            found[item_id][need_id] = target_id
    return found


def _holds(item: _Existing) -> bool:
    """Items whose targets a refresh leaves alone: locked, not drafted, dropped or deferred."""
    return item.locked or item.origin != ItemOrigin.DRAFTED or item.status != ItemStatus.ACTIVE


def _target_row(item_id: int, need: NeedRow) -> dict[str, object]:
    return {
        "item_id": item_id,
        "employee_id": need.employee_id,
        "need_id": need.need_id,
        "org_unit_id": need.org_unit_id,
        "position_id": need.position_id,
        "headcount": 1,
    }


def _fmt(value: object) -> str:
    return "–" if value is None else str(value)


def refresh(revision: Revision, actor: PlanActor) -> RefreshResult:
    """Build or refresh the draft of an editable revision from the evidence; commits."""
    plan = revision.plan
    instansi = db.session.get(Instansi, plan.instansi_id)
    assert instansi is not None
    evidence = gather(revision, instansi, plan.year)
    existing = _existing_items(revision.id)
    targets = _existing_targets(revision.id)
    by_id = {item.id: item for item in existing.values()}
    claimed = {
        need_id
        for item_id, needs in targets.items()
        if item_id in by_id and _holds(by_id[item_id])
        for need_id in needs
    }
    groups: dict[tuple[str, str], list[NeedRow]] = defaultdict(list)
    for need in evidence.needs:
        if need.need_id not in claimed:
            groups[(need.competency_code, need.form)].append(need)

    result = RefreshResult(revision.id, needs=len(evidence.needs))
    drafted: list[Drafted] = []
    for (code, form), needs in sorted(groups.items()):
        slot = 0
        while need_key(code, form, slot) in existing and _holds(
            existing[need_key(code, form, slot)]
        ):
            slot += 1
        key = need_key(code, form, slot)
        drafted.append(Drafted(key, drafted_values(evidence, code, form, needs), needs))

    flags = review_flags(p for item in drafted if (p := item.values.get("program_id")))
    result.flagged = sum(1 for item in drafted if item.values.get("program_id") in flags)
    changes: list[dict[str, object]] = []
    new_items: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    target_rows: list[tuple[str, NeedRow]] = []  # (item key, need) for new targets
    removed_targets: list[int] = []
    now = utcnow()
    seen: set[str] = set()
    for item in drafted:
        seen.add(item.key)
        current = existing.get(item.key)
        if current is None:
            new_items.append(
                {
                    "revision_id": revision.id,
                    "key": item.key,
                    "origin": ItemOrigin.DRAFTED,
                    "status": ItemStatus.ACTIVE,
                    **item.values,
                    "updated_at": now,
                    "updated_by_name": actor.name[:200],
                }
            )
            target_rows.extend((item.key, need) for need in item.needs)
            changes.append(_change(None, item.key, ChangeKind.ADDED, f"{len(item.needs)}"))
            result.added += 1
            continue
        row: dict[str, object] = {"id": current.id}
        notes = []
        for name in DRAFTED_FIELDS:
            keep = name in current.edited
            value = current.values[name] if keep else item.values[name]
            row[name] = value
            if not keep and name in COMPARED_FIELDS and current.values[name] != value:
                notes.append(f"{name}: {_fmt(current.values[name])} → {_fmt(value)}")
        for name in DERIVED_FIELDS:
            row[name] = item.values[name]
        had = targets.get(current.id, {})
        wanted = {need.need_id for need in item.needs}
        gone = [target_id for need_id, target_id in had.items() if need_id not in wanted]
        fresh = [need for need in item.needs if need.need_id not in had]
        removed_targets.extend(gone)
        target_rows.extend((item.key, need) for need in fresh)
        if fresh or gone:
            result.targets_added += len(fresh)
            result.targets_removed += len(gone)
            changes.append(
                _change(current, item.key, ChangeKind.TARGETS, f"+{len(fresh)} −{len(gone)}")
            )
        if notes:
            changes.append(_change(current, item.key, ChangeKind.FIELD, "; ".join(notes)))
        if notes or fresh or gone:
            result.updated += 1
        updates.append(row)

    # Drafted items no longer backed by any need: gone, unless HR worked on them.
    dropped_ids: list[int] = []
    for current in existing.values():
        if current.key in seen or _holds(current) or not current.key.startswith("need:"):
            continue
        if current.edited:
            removed_targets.extend(targets.get(current.id, {}).values())
            changes.append(_change(current, current.key, ChangeKind.KEPT, ""))
            result.kept += 1
        else:
            dropped_ids.append(current.id)
            changes.append(_change(current, current.key, ChangeKind.REMOVED, ""))
            result.removed += 1

    result.carried = _carry_deferred(revision, plan, existing, new_items, changes, now, actor)
    if dropped_ids:
        db.session.execute(delete(PlanItem).where(PlanItem.id.in_(dropped_ids)))
    if removed_targets:
        db.session.execute(delete(PlanTarget).where(PlanTarget.id.in_(removed_targets)))
    if updates:
        db.session.execute(update(PlanItem), updates)
    if new_items:
        db.session.execute(insert(PlanItem), new_items)
    if target_rows:
        ids = {
            key: int(item_id)
            for item_id, key in db.session.execute(
                select(PlanItem.id, PlanItem.key).where(PlanItem.revision_id == revision.id)
            )
        }
        db.session.execute(
            insert(PlanTarget), [_target_row(ids[key], need) for key, need in target_rows]
        )
    recount(revision.id)
    _write_changes(revision.id, changes)
    first = revision.refreshes == 0
    revision.refreshes += 1
    revision.refreshed_at = now
    result.items = int(
        db.session.scalar(select(func.count()).where(PlanItem.revision_id == revision.id)) or 0
    )
    record(
        plan.id,
        PlanActionKind.DRAFT if first else PlanActionKind.REFRESH,
        actor,
        revision_id=revision.id,
        detail=result.summary(),
    )
    db.session.commit()
    result.changes = changes
    return result


def _change(
    current: _Existing | None, key: str, kind: ChangeKind, detail: str
) -> dict[str, object]:
    return {
        "item_id": current.id if current else None,
        "item_key": key,
        "title": current.title if current else "",
        "kind": kind,
        "detail": detail,
    }


def _write_changes(revision_id: int, changes: list[dict[str, object]]) -> None:
    db.session.execute(delete(PlanChange).where(PlanChange.revision_id == revision_id))
    if changes:
        ids = {
            key: int(item_id)
            for item_id, key in db.session.execute(
                select(PlanItem.id, PlanItem.key).where(PlanItem.revision_id == revision_id)
            )
        }
        db.session.execute(
            insert(PlanChange),
            [
                {
                    **change,
                    "revision_id": revision_id,
                    "item_id": change["item_id"] or ids.get(str(change["item_key"])),
                }
                for change in changes
            ],
        )


def recount(revision_id: int, item_ids: Sequence[int] | None = None) -> None:
    """Participants and total cost of items from their targets, in one UPDATE."""
    participants = (
        select(func.coalesce(func.sum(PlanTarget.headcount), 0))
        .where(PlanTarget.item_id == PlanItem.id)
        .scalar_subquery()
    )
    statement = (
        update(PlanItem)
        .where(PlanItem.revision_id == revision_id)
        .values(
            participants=participants,
            total_cost=func.coalesce(PlanItem.unit_cost, 0) * participants,
        )
        .execution_options(synchronize_session=False)
    )
    if item_ids is not None:
        statement = statement.where(PlanItem.id.in_(list(item_ids)))
    db.session.execute(statement)


def _carry_deferred(
    revision: Revision,
    plan: Plan,
    existing: dict[str, _Existing],
    new_items: list[dict[str, object]],
    changes: list[dict[str, object]],
    now: object,
    actor: PlanActor,
) -> int:
    """Items the previous year's plan moved to this year come in as carried items (once)."""
    previous = db.session.scalar(
        select(Revision.id)
        .join(Plan, Plan.id == Revision.plan_id)
        .where(
            Plan.instansi_id == plan.instansi_id,
            Plan.year == plan.year - 1,
            Revision.status == PlanStatus.ADOPTED,
        )
        .order_by(Revision.number.desc())
        .limit(1)
    )
    if previous is None:
        return 0
    columns = (
        "key", "title", "competency_code", "form", "path", "provider_id", "program_id",
        "mentoring_program_id", "curriculum_conform", "curriculum_note", "jp", "unit_cost",
        "status_reason",
    )  # fmt: skip
    carried = 0
    for row in db.session.execute(
        select(*(getattr(PlanItem, c) for c in columns)).where(
            PlanItem.revision_id == previous, PlanItem.status == ItemStatus.DEFERRED
        )
    ):
        values = dict(zip(columns, row, strict=True))
        key = f"carried:{values.pop('key')}"[:120]
        reason = values.pop("status_reason")
        if key in existing:
            continue
        new_items.append(
            {
                **values,
                "revision_id": revision.id,
                "key": key,
                "origin": ItemOrigin.CARRIED,
                "status": ItemStatus.ACTIVE,
                "note": reason,
                "targets_locked": True,
                "updated_at": now,
                "updated_by_name": actor.name[:200],
            }
        )
        changes.append(_change(None, key, ChangeKind.ADDED, "carried"))
        carried += 1
    return carried
