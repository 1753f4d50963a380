"""Business rules of the plan: drafting entry point, item edits, targets, providers, budget
lines, settings, completeness and the budget check.

Every function owns its transaction and raises `ServiceError` (422), `Conflict` (409) or
`Frozen` (409) on refusal. Items change only through a conditional UPDATE on their `version`,
so two editors of the same item cannot overwrite each other silently.

The public API the budget optimiser builds on: `candidate_items`, `budget_lines` and
`apply_choice`.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from app.clock import utcnow
from app.database import rowcount
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.needs.planning_feed import competency_labels
from app.org.models import Instansi, OrgUnit, Position
from app.planning import drafting
from app.planning.audit import PlanActor, record
from app.planning.models import (
    EDITABLE_STATUSES,
    FORM_VALUES,
    BudgetLine,
    FundingSource,
    ItemOrigin,
    ItemStatus,
    Plan,
    PlanAction,
    PlanActionKind,
    PlanItem,
    PlanSettings,
    PlanStatus,
    PlanTarget,
    Provider,
    ProviderKind,
    Revision,
)
from app.training.models import FORM_PATH, TrainingForm
from app.web import formats

MAX_JP = 1000
MAX_COST = 10**12
YEARS = range(2000, 2101)


class Conflict(ServiceError):
    """Someone else changed the object since it was shown: nothing was saved."""

    status = 409

    def __init__(self, message: object, by: str = "", at: object = None, changes: object = None):
        super().__init__(message)
        self.by = by
        self.at = at
        self.changes = changes or {}


class Frozen(ServiceError):
    """The revision is not editable (under review, submitted or adopted)."""

    status = 409


def rupiah(amount: int | None) -> str:
    return formats.rupiah(amount)


# ---- plans and revisions ------------------------------------------------------------------


def plan_for(instansi_id: int, year: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.instansi_id == instansi_id, Plan.year == year))


def revisions_of(plan_id: int) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision).where(Revision.plan_id == plan_id).order_by(Revision.number)
        )
    )


def latest_revision(plan_id: int) -> Revision | None:
    return db.session.scalar(
        select(Revision)
        .where(Revision.plan_id == plan_id)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def adopted_revision(plan_id: int) -> Revision | None:
    """The revision in force: the latest adopted one."""
    return db.session.scalar(
        select(Revision)
        .where(Revision.plan_id == plan_id, Revision.status == PlanStatus.ADOPTED)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def ensure_editable(revision: Revision) -> None:
    if revision.status not in EDITABLE_STATUSES:
        if revision.status in (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED):
            raise Frozen(_l("This plan is adopted and frozen; open a revision to change it."))
        raise Frozen(_l("This plan is under review; it can be edited again once returned."))


def draft_plan(instansi_id: int, year: int, actor: PlanActor) -> drafting.RefreshResult:
    """Build the instansi's draft for `year`, or refresh it; the one entry point for drafting
    (run in the request today, as a background job once the portal has a queue)."""
    if year not in YEARS:
        raise ServiceError(_l("Choose a year from 2000 to 2100."), field="year")
    instansi = db.session.get(Instansi, instansi_id)
    if instansi is None:
        raise ServiceError(_l("Unknown regional government."), field="instansi")
    plan = plan_for(instansi_id, year)
    if plan is None:
        plan = Plan(instansi_id=instansi_id, year=year, created_by_id=actor.user_id)
        db.session.add(plan)
        db.session.flush()
        revision = Revision(plan_id=plan.id, number=0, status=PlanStatus.DRAFT)
        db.session.add(revision)
        db.session.flush()
    else:
        latest = latest_revision(plan.id)
        assert latest is not None
        revision = latest
        ensure_editable(revision)
    return drafting.refresh(revision, actor)


# ---- settings -----------------------------------------------------------------------------


def settings_for(instansi_id: int) -> PlanSettings:
    found = db.session.scalar(select(PlanSettings).where(PlanSettings.instansi_id == instansi_id))
    return found or PlanSettings(instansi_id=instansi_id, signatory_name="", place="")


def save_settings(
    instansi_id: int,
    ppk_position_id: int | None,
    signatory_name: str,
    signatory_nip: str,
    place: str,
) -> PlanSettings:
    if ppk_position_id is not None:
        position = db.session.get(Position, ppk_position_id)
        if position is None or position.instansi_id != instansi_id:
            raise ServiceError(_l("Choose a position of this instansi."), field="ppk_position_id")
    nip = signatory_nip.replace(" ", "")
    if nip and (len(nip) != 18 or not nip.isdigit()):
        raise ServiceError(_l("A NIP has 18 digits."), field="signatory_nip")
    settings = db.session.scalar(
        select(PlanSettings).where(PlanSettings.instansi_id == instansi_id)
    )
    if settings is None:
        settings = PlanSettings(instansi_id=instansi_id)
        db.session.add(settings)
    settings.ppk_position_id = ppk_position_id
    settings.signatory_name = signatory_name.strip()[:200]
    settings.signatory_nip = nip
    settings.place = place.strip()[:100]
    db.session.commit()
    return settings


def position_choices(instansi_id: int) -> list[tuple[int, str]]:
    """Head positions of the instansi (the PPK's delegate is one of them), top units first."""
    return [
        (int(pid), f"{name} — {unit}")
        for pid, name, unit in db.session.execute(
            select(Position.id, Position.name, OrgUnit.name)
            .join(OrgUnit, OrgUnit.id == Position.org_unit_id)
            .where(Position.instansi_id == instansi_id, Position.heads_unit_id.is_not(None))
            .order_by(OrgUnit.depth, OrgUnit.name, Position.name)
        )
    ]


# ---- providers ----------------------------------------------------------------------------


@dataclass
class ProviderData:
    name: str
    kind: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    accredited: bool = False
    note: str = ""
    active: bool = True


def providers_of(instansi_id: int, active_only: bool = False) -> list[Provider]:
    query = select(Provider).where(Provider.instansi_id == instansi_id).order_by(Provider.name)
    if active_only:
        query = query.where(Provider.active.is_(True))
    return list(db.session.scalars(query))


def save_provider(
    instansi_id: int, data: ProviderData, provider: Provider | None = None
) -> Provider:
    problems: list[tuple[str, str]] = []
    name = data.name.strip()
    if not name:
        problems.append(("name", _("Enter the provider's name.")))
    if data.kind not in {k.value for k in ProviderKind}:
        problems.append(("kind", _("Choose a kind of provider.")))
    if name:
        clash = db.session.scalar(
            select(Provider.id).where(
                Provider.instansi_id == instansi_id,
                func.lower(Provider.name) == name.lower(),
                Provider.id != (provider.id if provider else -1),
            )
        )
        if clash:
            problems.append(("name", _("A provider with this name is already registered.")))
    if problems:
        raise ValidationFailed(problems)
    if provider is None:
        provider = Provider(instansi_id=instansi_id)
        db.session.add(provider)
    provider.name = name[:200]
    provider.kind = ProviderKind(data.kind)
    provider.contact_name = data.contact_name.strip()[:200]
    provider.email = data.email.strip()[:254]
    provider.phone = data.phone.strip()[:40]
    provider.address = data.address.strip()[:300]
    provider.accredited = data.accredited
    provider.note = data.note.strip()
    provider.active = data.active
    db.session.commit()
    return provider


# ---- budget lines -------------------------------------------------------------------------


@dataclass
class LineData:
    name: str
    code: str
    source: str
    amount: int | None
    org_unit_id: int | None = None


def save_line(
    revision: Revision, data: LineData, actor: PlanActor, line: BudgetLine | None = None
) -> BudgetLine:
    """Add or change a budget line of an editable revision (e.g. a partner-funded line)."""
    ensure_editable(revision)
    problems: list[tuple[str, str]] = []
    if not data.name.strip():
        problems.append(("name", _("Enter the name of the budget line.")))
    if data.source not in {s.value for s in FundingSource}:
        problems.append(("source", _("Choose a funding source.")))
    if data.amount is None or not 0 <= data.amount <= MAX_COST:
        problems.append(("amount", _("Enter an amount from 0.")))
    if line is not None and line.source_line_id is not None:
        problems.append(("name", _("This line comes from the unit's budget; change it there.")))
    if data.org_unit_id is not None:
        unit = db.session.get(OrgUnit, data.org_unit_id)
        if unit is None or unit.instansi_id != revision.plan.instansi_id:
            problems.append(("org_unit_id", _("Choose a unit of this instansi.")))
    if problems:
        raise ValidationFailed(problems)
    if line is None:
        line = BudgetLine(revision_id=revision.id, key=f"manual:{utcnow().timestamp():.6f}")
        db.session.add(line)
    line.name = data.name.strip()[:200]
    line.code = data.code.strip()[:60]
    line.source = FundingSource(data.source)
    line.amount = int(data.amount or 0)
    line.org_unit_id = data.org_unit_id
    db.session.flush()
    record(
        revision.plan_id,
        PlanActionKind.BUDGET_LINE,
        actor,
        revision_id=revision.id,
        detail={"line": line.name, "amount": line.amount, "source": line.source.value},
    )
    db.session.commit()
    return line


def lines_of(revision_id: int) -> list[BudgetLine]:
    return list(
        db.session.scalars(
            select(BudgetLine).where(BudgetLine.revision_id == revision_id).order_by(BudgetLine.id)
        )
    )


@dataclass(frozen=True)
class LineUse:
    line: BudgetLine
    unit_name: str
    planned: int
    items: int

    @property
    def shortfall(self) -> int:
        return max(self.planned - self.line.amount, 0)


def budget_lines(revision_id: int) -> list[LineUse]:
    """Every budget line of a revision with the cost of the active items charged to it."""
    sums = {
        int(line_id): (int(total or 0), int(count or 0))
        for line_id, total, count in db.session.execute(
            select(PlanItem.budget_line_id, func.sum(PlanItem.total_cost), func.count())
            .where(
                PlanItem.revision_id == revision_id,
                PlanItem.status == ItemStatus.ACTIVE,
                PlanItem.budget_line_id.is_not(None),
            )
            .group_by(PlanItem.budget_line_id)
        )
        if line_id is not None  # always: the query keeps charged items
    }
    rows = db.session.execute(
        select(BudgetLine, OrgUnit.name)
        .outerjoin(OrgUnit, OrgUnit.id == BudgetLine.org_unit_id)
        .where(BudgetLine.revision_id == revision_id)
        .order_by(BudgetLine.id)
    )
    return [LineUse(line, unit or "", *sums.get(line.id, (0, 0))) for line, unit in rows]


def budget_problems(revision_id: int) -> list[LineUse]:
    """Lines whose items cost more than the line holds."""
    return [use for use in budget_lines(revision_id) if use.shortfall > 0]


# ---- items --------------------------------------------------------------------------------

PARTS = ("competency", "target", "form", "provider", "schedule", "curriculum", "budget")
PART_FIELD = {
    "competency": "competency_code",
    "target": "targets",
    "form": "form",
    "provider": "provider_id",
    "schedule": "schedule_month",
    "curriculum": "curriculum_conform",
    "budget": "unit_cost",
}
PART_LABELS = {
    "competency": _l("competency"),
    "target": _l("target employees"),
    "form": _l("form and path"),
    "provider": _l("provider"),
    "schedule": _l("schedule"),
    "curriculum": _l("curriculum conformity"),
    "budget": _l("budget"),
}


def missing_parts(item: Any) -> list[str]:
    """The required contents an item still lacks (empty for a complete item)."""
    missing = []
    if not item.competency_code:
        missing.append("competency")
    if not item.participants:
        missing.append("target")
    if not item.form:
        missing.append("form")
    if not item.provider_id:
        missing.append("provider")
    if not item.schedule_month and not item.start_date:
        missing.append("schedule")
    if item.curriculum_conform is None:
        missing.append("curriculum")
    if item.unit_cost is None or (item.total_cost and not item.budget_line_id):
        missing.append("budget")
    return missing


@dataclass(frozen=True)
class Gap:
    item_id: int
    title: str
    parts: list[str]


def incomplete_items(revision_id: int) -> list[Gap]:
    """Active items lacking a required content, with what each lacks (one query)."""
    names = _item_titles(revision_id)
    gaps = []
    for item in db.session.scalars(
        select(PlanItem)
        .where(PlanItem.revision_id == revision_id, PlanItem.status == ItemStatus.ACTIVE)
        .order_by(PlanItem.id)
    ):
        parts = missing_parts(item)
        if parts:
            gaps.append(Gap(item.id, names.get(item.id, ""), parts))
    return gaps


def _item_titles(revision_id: int) -> dict[int, str]:
    plan_instansi = db.session.scalar(
        select(Plan.instansi_id)
        .join(Revision, Revision.plan_id == Plan.id)
        .where(Revision.id == revision_id)
    )
    labels = competency_labels(int(plan_instansi or 0))
    return {
        int(item_id): display_title(title, code, form, labels)
        for item_id, title, code, form in db.session.execute(
            select(PlanItem.id, PlanItem.title, PlanItem.competency_code, PlanItem.form).where(
                PlanItem.revision_id == revision_id
            )
        )
    }


def display_title(
    title: str | None, code: str | None, form: str | None, labels: dict[str, tuple[str, str, str]]
) -> str:
    """The item's title, or its form and competency when HR gave none."""
    if title:
        return title
    from app.training.labels import label

    name = labels.get(code or "", (code or "", "", ""))[0] if code else ""
    form_label = str(label(TrainingForm(form))) if form in FORM_VALUES else ""
    return f"{form_label}: {name}".strip(": ") or _("Untitled item")


@dataclass
class ItemData:
    title: str = ""
    competency_code: str | None = None
    form: str | None = None
    provider_id: int | None = None
    schedule_month: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    curriculum_conform: bool | None = None
    curriculum_note: str = ""
    jp: float | None = None
    unit_cost: int | None = None
    budget_line_id: int | None = None
    note: str = ""


EDIT_FIELDS = tuple(ItemData.__dataclass_fields__)


def _check_item(revision: Revision, data: ItemData) -> dict[str, Any]:
    """Validated values of an item form, or ValidationFailed with every problem."""
    problems: list[tuple[str, str]] = []
    plan = revision.plan
    values: dict[str, Any] = {
        "title": data.title.strip()[:300],
        "curriculum_note": data.curriculum_note.strip(),
        "note": data.note.strip(),
        "curriculum_conform": data.curriculum_conform,
        "start_date": data.start_date,
        "end_date": data.end_date,
    }
    code = (data.competency_code or "").strip() or None
    if code is not None and code not in competency_labels(plan.instansi_id):
        problems.append(("competency_code", _("Choose a competency of the dictionary.")))
    values["competency_code"] = code
    form = data.form or None
    if form is not None and form not in FORM_VALUES:
        problems.append(("form", _("Choose a form of development.")))
        form = None
    values["form"] = form
    values["path"] = FORM_PATH[TrainingForm(form)].value if form else None
    if data.provider_id is not None:
        provider = db.session.get(Provider, data.provider_id)
        if provider is None or provider.instansi_id != plan.instansi_id:
            problems.append(("provider_id", _("Choose a registered provider.")))
    values["provider_id"] = data.provider_id
    if data.schedule_month is not None and not 1 <= data.schedule_month <= 12:
        problems.append(("schedule_month", _("Choose a month.")))
    values["schedule_month"] = data.schedule_month
    for name in ("start_date", "end_date"):
        day = getattr(data, name)
        if day is not None and day.year != plan.year:
            problems.append((name, _("Choose a date in %(year)d.", year=plan.year)))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        problems.append(("end_date", _("The end date cannot be before the start date.")))
    if data.start_date and data.schedule_month is None:
        values["schedule_month"] = data.start_date.month
    if data.jp is not None and not 0 < data.jp <= MAX_JP:
        problems.append(("jp", _("Enter the JP, more than 0 and at most 1000.")))
    values["jp"] = data.jp
    if data.unit_cost is not None and not 0 <= data.unit_cost <= MAX_COST:
        problems.append(("unit_cost", _("Enter a cost from 0.")))
    values["unit_cost"] = data.unit_cost
    if data.budget_line_id is not None:
        line = db.session.get(BudgetLine, data.budget_line_id)
        if line is None or line.revision_id != revision.id:
            problems.append(("budget_line_id", _("Choose a budget line of this plan.")))
    values["budget_line_id"] = data.budget_line_id
    if problems:
        raise ValidationFailed(problems)
    return values


def _conflict(item_id: int) -> Conflict:
    """The refusal a stale editor sees, naming who changed the item and what."""
    item = db.session.get(PlanItem, item_id)
    if item is None:
        return Conflict(_l("This item no longer exists; it was merged or removed."))
    last = db.session.scalar(
        select(PlanAction)
        .where(PlanAction.item_id == item_id)
        .order_by(PlanAction.id.desc())
        .limit(1)
    )
    from app.planning.audit import detail_of

    changes = detail_of(last) if last is not None else {}
    by = last.actor_name if last is not None else item.updated_by_name
    return Conflict(
        _l(
            "%(name)s changed this item while you were editing it; nothing of yours was "
            "saved. Their change is shown below: check it and save again.",
            name=by,
        ),
        by=by,
        at=last.at if last is not None else item.updated_at,
        changes=changes if isinstance(changes, dict) else {},
    )


def save_item(
    revision: Revision,
    item: PlanItem | None,
    data: ItemData,
    seen_version: int | None,
    actor: PlanActor,
) -> PlanItem:
    """Create a manual item, or change one if nobody changed it since `seen_version`."""
    ensure_editable(revision)
    values = _check_item(revision, data)
    now = utcnow()
    if item is None:
        item = PlanItem(
            revision_id=revision.id,
            key=f"manual:{now.timestamp():.6f}",
            origin=ItemOrigin.MANUAL,
            status=ItemStatus.ACTIVE,
            targets_locked=True,
            updated_by_name=actor.name[:200],
            updated_at=now,
            **values,
        )
        db.session.add(item)
        db.session.flush()
        record(
            revision.plan_id, PlanActionKind.ADD_ITEM, actor, revision.id, item.id,
            detail={k: [None, v] for k, v in values.items() if v not in (None, "")},
        )  # fmt: skip
        db.session.commit()
        return item
    if item.revision_id != revision.id:
        raise ServiceError(_l("This item belongs to another plan."))
    changed = {
        name: [getattr(item, name), value]
        for name, value in values.items()
        if getattr(item, name) != value
    }
    if not changed:
        if seen_version is not None and seen_version != item.version:
            raise _conflict(item.id)
        return item
    edited = ",".join(sorted(item.edited_fields | set(changed)))[:400]
    result = db.session.execute(
        update(PlanItem)
        .where(PlanItem.id == item.id, PlanItem.version == (seen_version or item.version))
        .values(
            **values,
            edited=edited,
            version=PlanItem.version + 1,
            total_cost=func.coalesce(values["unit_cost"], 0) * PlanItem.participants,
            updated_by_name=actor.name[:200],
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        db.session.rollback()
        raise _conflict(item.id)
    record(revision.plan_id, PlanActionKind.EDIT_ITEM, actor, revision.id, item.id, detail=changed)
    db.session.commit()
    db.session.refresh(item)
    return item


def _bump(item: PlanItem, seen_version: int | None, **values: Any) -> None:
    """Conditional update of an item's status fields; 409 when someone changed it first."""
    result = db.session.execute(
        update(PlanItem)
        .where(PlanItem.id == item.id, PlanItem.version == (seen_version or item.version))
        .values(version=PlanItem.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        db.session.rollback()
        raise _conflict(item.id)


def set_item_status(
    revision: Revision,
    item: PlanItem,
    status: str,
    reason: str,
    seen_version: int | None,
    actor: PlanActor,
) -> None:
    """Drop an item, move it to next year (both with a reason), or restore it."""
    ensure_editable(revision)
    if status not in {s.value for s in ItemStatus}:
        raise ServiceError(_l("Unknown status."), field="status")
    reason = reason.strip()
    if status != ItemStatus.ACTIVE and not reason:
        raise ServiceError(_l("Give the reason."), field="reason")
    action = {
        ItemStatus.ACTIVE: PlanActionKind.RESTORE,
        ItemStatus.DROPPED: PlanActionKind.DROP,
        ItemStatus.DEFERRED: PlanActionKind.DEFER,
    }[ItemStatus(status)]
    _bump(
        item,
        seen_version,
        status=ItemStatus(status),
        status_reason="" if status == ItemStatus.ACTIVE else reason,
        updated_by_name=actor.name[:200],
    )
    record(
        revision.plan_id, action, actor, revision.id, item.id, comment=reason,
        detail={"status": [item.status.value, status]},
    )  # fmt: skip
    db.session.commit()


# ---- targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    id: int
    employee_id: int | None
    employee_name: str
    nip: str
    unit_id: int
    unit_name: str
    position_name: str
    headcount: int
    need_id: int | None


def targets_of(item_id: int, limit: int | None = None) -> list[TargetRow]:
    """An item's targets with names, by unit then name (one query)."""
    from app.org.models import Employee

    query = (
        select(
            PlanTarget.id,
            PlanTarget.employee_id,
            Employee.name,
            Employee.nip,
            PlanTarget.org_unit_id,
            OrgUnit.name,
            Position.name,
            PlanTarget.headcount,
            PlanTarget.need_id,
        )
        .join(OrgUnit, OrgUnit.id == PlanTarget.org_unit_id)
        .outerjoin(Employee, Employee.id == PlanTarget.employee_id)
        .outerjoin(Position, Position.id == PlanTarget.position_id)
        .where(PlanTarget.item_id == item_id)
        .order_by(OrgUnit.name, Employee.name, PlanTarget.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        TargetRow(int(a), b, c or "", d or "", int(e), f, g or "", int(h), i)
        for a, b, c, d, e, f, g, h, i in db.session.execute(query)
    ]


def add_count_target(
    revision: Revision,
    item: PlanItem,
    org_unit_id: int | None,
    position_id: int | None,
    headcount: int | None,
    seen_version: int | None,
    actor: PlanActor,
) -> None:
    """A target given as a number of employees of a unit (and position), not by name."""
    ensure_editable(revision)
    problems: list[tuple[str, str]] = []
    unit = db.session.get(OrgUnit, org_unit_id) if org_unit_id else None
    if unit is None or unit.instansi_id != revision.plan.instansi_id:
        problems.append(("org_unit_id", _("Choose a unit of this instansi.")))
    if position_id is not None:
        position = db.session.get(Position, position_id)
        if position is None or unit is None or position.org_unit_id != unit.id:
            problems.append(("position_id", _("Choose a position of that unit.")))
    if headcount is None or not 1 <= headcount <= 100_000:
        problems.append(("headcount", _("Enter a number of employees from 1.")))
    if problems:
        raise ValidationFailed(problems)
    _bump(item, seen_version, targets_locked=True, updated_by_name=actor.name[:200])
    db.session.add(
        PlanTarget(
            item_id=item.id, org_unit_id=org_unit_id, position_id=position_id, headcount=headcount
        )
    )
    db.session.flush()
    drafting.recount(revision.id, [item.id])
    record(
        revision.plan_id, PlanActionKind.TARGETS, actor, revision.id, item.id,
        detail={"added": {"unit": unit.name if unit else "", "headcount": headcount}},
    )  # fmt: skip
    db.session.commit()


def remove_targets(
    revision: Revision,
    item: PlanItem,
    target_ids: list[int],
    seen_version: int | None,
    actor: PlanActor,
) -> int:
    ensure_editable(revision)
    if not target_ids:
        raise ServiceError(_l("Select at least one target."), field="targets")
    _bump(item, seen_version, targets_locked=True, updated_by_name=actor.name[:200])
    removed = rowcount(
        db.session.execute(
            delete(PlanTarget)
            .where(PlanTarget.item_id == item.id, PlanTarget.id.in_(target_ids[:5000]))
            .execution_options(synchronize_session=False)
        )
    )
    drafting.recount(revision.id, [item.id])
    record(
        revision.plan_id, PlanActionKind.TARGETS, actor, revision.id, item.id,
        detail={"removed": removed},
    )  # fmt: skip
    db.session.commit()
    return int(removed or 0)


_COPIED = (
    "title", "competency_code", "form", "path", "provider_id", "program_id",
    "mentoring_program_id", "schedule_month", "start_date", "end_date", "curriculum_conform",
    "curriculum_note", "jp", "unit_cost", "budget_line_id", "priority", "importance",
    "importance_respondents", "note",
)  # fmt: skip


def split_item(
    revision: Revision,
    item: PlanItem,
    target_ids: list[int],
    seen_version: int | None,
    actor: PlanActor,
) -> PlanItem:
    """Move the chosen targets to a new item with the same contents; both keep their targets."""
    ensure_editable(revision)
    ids = [int(i) for i in target_ids][:5000]
    count = db.session.scalar(
        select(func.count()).where(PlanTarget.item_id == item.id, PlanTarget.id.in_(ids))
    )
    total = db.session.scalar(select(func.count()).where(PlanTarget.item_id == item.id))
    if not count:
        raise ServiceError(_l("Select the targets that move to the new item."), field="targets")
    if count == total:
        raise ServiceError(_l("Leave at least one target in this item."), field="targets")
    _bump(item, seen_version, targets_locked=True, updated_by_name=actor.name[:200])
    siblings = db.session.scalar(
        select(func.count()).where(
            PlanItem.revision_id == revision.id, PlanItem.key.startswith(f"split:{item.key}:")
        )
    )
    new = PlanItem(
        revision_id=revision.id,
        key=f"split:{item.key}:{int(siblings or 0) + 1}"[:120],
        origin=ItemOrigin.SPLIT,
        status=ItemStatus.ACTIVE,
        targets_locked=True,
        edited=item.edited,
        updated_by_name=actor.name[:200],
        updated_at=utcnow(),
        **{name: getattr(item, name) for name in _COPIED},
    )
    db.session.add(new)
    db.session.flush()
    db.session.execute(
        update(PlanTarget)
        .where(PlanTarget.item_id == item.id, PlanTarget.id.in_(ids))
        .values(item_id=new.id)
        .execution_options(synchronize_session=False)
    )
    drafting.recount(revision.id, [item.id, new.id])
    record(
        revision.plan_id, PlanActionKind.SPLIT, actor, revision.id, item.id,
        detail={"moved": int(count), "to_item": new.id},
    )  # fmt: skip
    db.session.commit()
    return new


def merge_items(
    revision: Revision,
    into: PlanItem,
    other_id: int | None,
    seen_version: int | None,
    actor: PlanActor,
) -> None:
    """Move another item's targets into this one and remove the other item."""
    ensure_editable(revision)
    other = db.session.get(PlanItem, other_id) if other_id else None
    if other is None or other.revision_id != revision.id or other.id == into.id:
        raise ServiceError(_l("Choose another item of this plan."), field="other_id")
    _bump(into, seen_version, targets_locked=True, updated_by_name=actor.name[:200])
    moved = rowcount(
        db.session.execute(
            update(PlanTarget)
            .where(PlanTarget.item_id == other.id)
            .values(item_id=into.id)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.execute(
        update(PlanItem)
        .where(PlanItem.id == into.id)
        .values(need_count=PlanItem.need_count + other.need_count)
        .execution_options(synchronize_session=False)
    )
    record(
        revision.plan_id, PlanActionKind.MERGE, actor, revision.id, into.id,
        detail={"merged_item": other.id, "key": other.key, "targets": int(moved or 0)},
    )  # fmt: skip
    db.session.execute(
        delete(PlanItem).where(PlanItem.id == other.id).execution_options(synchronize_session=False)
    )
    drafting.recount(revision.id, [into.id])
    db.session.commit()


# ---- the budget optimiser's API -----------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An item as an optimiser sees it: what it costs, on which line, how much it matters."""

    item_id: int
    key: str
    status: str
    competency_code: str | None
    participants: int
    jp: float | None
    unit_cost: int | None
    total_cost: int
    budget_line_id: int | None
    priority: float | None
    importance: float | None
    need_count: int


def candidate_items(revision_id: int) -> list[Candidate]:
    """Every item of a revision with its cost and weight (one query)."""
    return [
        Candidate(int(a), b, c.value, d, int(e), f, g, int(h or 0), i, j, k, int(m or 0))
        for a, b, c, d, e, f, g, h, i, j, k, m in db.session.execute(
            select(
                PlanItem.id,
                PlanItem.key,
                PlanItem.status,
                PlanItem.competency_code,
                PlanItem.participants,
                PlanItem.jp,
                PlanItem.unit_cost,
                PlanItem.total_cost,
                PlanItem.budget_line_id,
                PlanItem.priority,
                PlanItem.importance,
                PlanItem.need_count,
            )
            .where(PlanItem.revision_id == revision_id)
            .order_by(PlanItem.id)
        )
    ]


def apply_choice(
    revision: Revision, chosen_ids: set[int], reason: str, actor: PlanActor
) -> dict[str, int]:
    """Keep the chosen items active and drop the other active ones, giving `reason`
    (two statements); dropped items the choice includes are restored."""
    ensure_editable(revision)
    if not reason.strip():
        raise ServiceError(_l("Give the reason."), field="reason")
    ids = [int(i) for i in chosen_ids]
    dropped = rowcount(
        db.session.execute(
            update(PlanItem)
            .where(
                PlanItem.revision_id == revision.id,
                PlanItem.status == ItemStatus.ACTIVE,
                PlanItem.id.not_in(ids) if ids else PlanItem.id.is_not(None),
            )
            .values(
                status=ItemStatus.DROPPED,
                status_reason=reason.strip(),
                version=PlanItem.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
    )
    restored = 0
    if ids:
        restored = rowcount(
            db.session.execute(
                update(PlanItem)
                .where(
                    PlanItem.revision_id == revision.id,
                    PlanItem.status == ItemStatus.DROPPED,
                    PlanItem.id.in_(ids),
                )
                .values(status=ItemStatus.ACTIVE, status_reason="", version=PlanItem.version + 1)
                .execution_options(synchronize_session=False)
            )
        )
    summary = {"kept": len(ids), "dropped": int(dropped or 0), "restored": int(restored or 0)}
    record(
        revision.plan_id, PlanActionKind.APPLY, actor, revision.id, comment=reason, detail=summary
    )
    db.session.commit()
    return summary


# ---- summaries ----------------------------------------------------------------------------


@dataclass
class Totals:
    items: int = 0
    active: int = 0
    participants: int = 0
    jp_hours: float = 0.0  # JP × participants
    cost: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    jp_by_source: dict[str, float] = field(default_factory=dict)


def totals(revision_id: int) -> Totals:
    """Counts, JP and cost of the active items, with the cost per funding source (one query)."""
    result = Totals()
    source = BudgetLine.source
    for status, src, count, people, jp_hours, cost in db.session.execute(
        select(
            PlanItem.status,
            source,
            func.count(),
            func.sum(PlanItem.participants),
            func.sum(func.coalesce(PlanItem.jp, 0) * PlanItem.participants),
            func.sum(PlanItem.total_cost),
        )
        .outerjoin(BudgetLine, BudgetLine.id == PlanItem.budget_line_id)
        .where(PlanItem.revision_id == revision_id)
        .group_by(PlanItem.status, source)
    ):
        result.items += int(count)
        if status != ItemStatus.ACTIVE:
            continue
        key = src.value if isinstance(src, FundingSource) else "none"
        result.active += int(count)
        result.participants += int(people or 0)
        result.jp_hours += float(jp_hours or 0)
        result.cost += int(cost or 0)
        result.by_source[key] = result.by_source.get(key, 0) + int(cost or 0)
        result.jp_by_source[key] = result.jp_by_source.get(key, 0.0) + float(jp_hours or 0)
    return result


def month_name(month: int | None) -> str:
    if not month:
        return ""
    from app.planning.labels import MONTHS

    return str(MONTHS[month - 1]) if 1 <= month <= 12 else calendar.month_name[month]


def group_by_unit(revision_id: int) -> list[tuple[str, int, int, int]]:
    """(OPD name, items, participants, planned cost of their share) per OPD of the targets."""
    paths = {
        int(uid): (path, name, parent)
        for uid, path, name, parent in db.session.execute(
            select(OrgUnit.id, OrgUnit.path, OrgUnit.name, OrgUnit.parent_id)
            .join(Plan, Plan.instansi_id == OrgUnit.instansi_id)
            .join(Revision, Revision.plan_id == Plan.id)
            .where(Revision.id == revision_id)
        )
    }
    rows = db.session.execute(
        select(
            PlanTarget.org_unit_id,
            PlanTarget.item_id,
            func.sum(PlanTarget.headcount),
            PlanItem.unit_cost,
        )
        .join(PlanItem, PlanItem.id == PlanTarget.item_id)
        .where(PlanItem.revision_id == revision_id, PlanItem.status == ItemStatus.ACTIVE)
        .group_by(PlanTarget.org_unit_id, PlanTarget.item_id, PlanItem.unit_cost)
    )
    per: dict[str, list[Any]] = defaultdict(lambda: [set(), 0, 0])
    for unit_id, item_id, people, cost in rows:
        path, name, _parent = paths.get(int(unit_id), ("", "?", None))
        top = int(path.strip("/").split("/")[0]) if path.strip("/") else int(unit_id)
        opd = paths.get(top, ("", name, None))[1]
        entry = per[opd]
        entry[0].add(int(item_id))
        entry[1] += int(people or 0)
        entry[2] += int(people or 0) * int(cost or 0)
    return sorted(((name, len(v[0]), v[1], v[2]) for name, v in per.items()), key=lambda r: r[0])


def group_by_competency(
    revision_id: int, instansi_id: int
) -> list[tuple[str, str, int, int, float, int]]:
    """(code, name, items, participants, JP×participants, cost) per competency."""
    labels = competency_labels(instansi_id)
    rows = db.session.execute(
        select(
            PlanItem.competency_code,
            func.count(),
            func.sum(PlanItem.participants),
            func.sum(func.coalesce(PlanItem.jp, 0) * PlanItem.participants),
            func.sum(PlanItem.total_cost),
        )
        .where(PlanItem.revision_id == revision_id, PlanItem.status == ItemStatus.ACTIVE)
        .group_by(PlanItem.competency_code)
        .order_by(PlanItem.competency_code)
    )
    return [
        (
            code or "",
            labels.get(code or "", ("–", "", ""))[0],
            int(n),
            int(p or 0),
            float(j or 0),
            int(c or 0),
        )
        for code, n, p, j, c in rows
    ]
