"""What the plan's documents say (PDF, DOCX, XLSX share it), and the PDF itself.

The seven contents of Pasal 207(3) are the columns of the item table: (a) the competency,
(b) the target employees, (c) the form and path, (d) the provider, (e) the schedule, (f) the
conformity with the curriculum and the position's competency standard, (g) the budget. Around
it: the summaries per OPD and per competency, the totals of JP and budget per funding source,
the participation section and the PPK's signature block. Built in a fixed number of queries.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.needs.planning_feed import competency_labels
from app.org.models import Position
from app.planning import services
from app.planning.labels import MONTHS, plan_label
from app.planning.models import (
    FORM_VALUES,
    SOURCE_VALUES,
    BudgetLine,
    FundingSource,
    ItemStatus,
    PlanItem,
    PlanSettings,
    PlanTarget,
    Provider,
    Revision,
)
from app.planning.participation import Participation, opd_of_units, participation
from app.training.labels import label as training_label
from app.training.models import TrainingForm, TrainingPath
from app.web import pdf

FORMATS = ("pdf", "docx", "xlsx")
PDF_ROWS_PER_PART = 250  # item rows laid out together: bounds the renderer's memory
TARGET_UNITS_SHOWN = 4  # OPDs named in an item's target cell; the rest are counted


@dataclass(frozen=True)
class DocItem:
    number: int
    title: str
    competency: str  # (a) "M.03 Pelayanan publik"
    targets: str  # (b) "3 orang: Dinas A (2), Dinas B (1)"
    participants: int
    form: str  # (c)
    path: str
    provider: str  # (d)
    schedule: str  # (e)
    conformity: str  # (f) "Ya — catatan"
    jp: float | None  # (g) with the cost
    unit_cost: int
    total_cost: int
    line: str
    source: str


@dataclass(frozen=True)
class SourceTotal:
    label: str
    jp_hours: float
    cost: int


@dataclass
class DocumentData:
    instansi_name: str
    instansi_code: str
    year: int
    revision_number: int
    status: str
    decree_number: str
    decree_date: date | None
    ppk_title: str
    signatory_name: str
    signatory_nip: str
    place: str
    sign_date: date
    items: list[DocItem]
    by_unit: list[tuple[str, int, int, int]]
    by_competency: list[tuple[str, str, int, int, float, int]]
    totals: services.Totals
    sources: list[SourceTotal]
    lines: list[services.LineUse]
    participation: Participation
    dropped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _(
            "Competency development plan %(year)d · %(instansi)s",
            year=self.year,
            instansi=self.instansi_name,
        )

    def item_parts(self, size: int = PDF_ROWS_PER_PART) -> Iterator[list[DocItem]]:
        for start in range(0, len(self.items), size):
            yield self.items[start : start + size]


def _month(month: int | None) -> str:
    return str(MONTHS[month - 1]) if month and 1 <= month <= 12 else ""


def _schedule(month: int | None, start: date | None, end: date | None, year: int) -> str:
    if start and end and end != start:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if start:
        return f"{start:%d/%m/%Y}"
    return f"{_month(month)} {year}" if month else ""


def _conformity(value: bool | None, note: str) -> str:
    if value is None:
        return ""
    text = _("Yes") if value else _("No")
    return f"{text} — {note}" if note else str(text)


def _target_texts(revision_id: int, opd_of: dict[int, str]) -> dict[int, str]:
    """Item id → "N employees: OPD (n), …" from its targets (one grouped query)."""
    per: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, unit_id, people in db.session.execute(
        select(PlanTarget.item_id, PlanTarget.org_unit_id, func.sum(PlanTarget.headcount))
        .join(PlanItem, PlanItem.id == PlanTarget.item_id)
        .where(PlanItem.revision_id == revision_id, PlanItem.status == ItemStatus.ACTIVE)
        .group_by(PlanTarget.item_id, PlanTarget.org_unit_id)
    ):
        per[int(item_id)][opd_of.get(int(unit_id), "?")] += int(people or 0)
    texts = {}
    for item_id, units in per.items():
        total = sum(units.values())
        ranked = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))
        named = ", ".join(f"{name} ({n})" for name, n in ranked[:TARGET_UNITS_SHOWN])
        more = len(ranked) - TARGET_UNITS_SHOWN
        suffix = " " + _("and %(n)d other units", n=more) if more > 0 else ""
        texts[item_id] = _("%(n)d employees: %(units)s", n=total, units=named) + suffix
    return texts


def _items(revision: Revision, labels: dict[str, tuple[str, str, str]]) -> list[DocItem]:
    """The active items in plan order, with their seven contents as text (two queries)."""
    year = revision.plan.year
    opds = opd_of_units(revision.plan.instansi_id)
    targets = _target_texts(revision.id, {uid: opd for uid, (opd, _name) in opds.items()})
    rows = db.session.execute(
        select(
            PlanItem.id,
            PlanItem.title,
            PlanItem.competency_code,
            PlanItem.form,
            PlanItem.path,
            Provider.name,
            PlanItem.schedule_month,
            PlanItem.start_date,
            PlanItem.end_date,
            PlanItem.curriculum_conform,
            PlanItem.curriculum_note,
            PlanItem.jp,
            PlanItem.unit_cost,
            PlanItem.participants,
            PlanItem.total_cost,
            BudgetLine.code,
            BudgetLine.name,
            BudgetLine.source,
        )
        .outerjoin(Provider, Provider.id == PlanItem.provider_id)
        .outerjoin(BudgetLine, BudgetLine.id == PlanItem.budget_line_id)
        .where(PlanItem.revision_id == revision.id, PlanItem.status == ItemStatus.ACTIVE)
        .order_by(
            PlanItem.competency_code.is_(None),
            PlanItem.competency_code,
            PlanItem.form,
            PlanItem.id,
        )
    )
    paths = {p.value: str(training_label(p)) for p in TrainingPath}
    forms = {f.value: str(training_label(f)) for f in TrainingForm}
    items = []
    for number, row in enumerate(rows, start=1):
        (item_id, title, code, form, path, provider, month, start, end, conform, note, jp,
         unit_cost, people, total, line_code, line_name, source) = row  # fmt: skip
        name = labels.get(code or "", ("", "", ""))[0]
        items.append(
            DocItem(
                number=number,
                title=services.display_title(title, code, form, labels),
                competency=f"{code} {name}".strip() if code else "",
                targets=targets.get(int(item_id), ""),
                participants=int(people or 0),
                form=forms.get(form or "", form or "") if form in FORM_VALUES else "",
                path=paths.get(path or "", ""),
                provider=provider or "",
                schedule=_schedule(month, start, end, year),
                conformity=_conformity(conform, note or ""),
                jp=float(jp) if jp is not None else None,
                unit_cost=int(unit_cost or 0),
                total_cost=int(total or 0),
                line=f"{line_code or ''} {line_name}".strip() if line_name else "",
                source=str(plan_label(source)) if source is not None else "",
            )
        )
    return items


def _source_label(key: str) -> str:
    return str(plan_label(FundingSource(key))) if key in SOURCE_VALUES else _("No budget line")


def document_data(revision: Revision) -> DocumentData:
    """Everything the documents print, for one revision."""
    plan = revision.plan
    instansi = plan.instansi
    labels = competency_labels(plan.instansi_id)
    settings = services.settings_for(plan.instansi_id)
    ppk_title = ""
    if settings.ppk_position_id:
        position = db.session.get(Position, settings.ppk_position_id)
        ppk_title = position.name if position else ""
    totals = services.totals(revision.id)
    sources = [
        SourceTotal(_source_label(key), totals.jp_by_source.get(key, 0.0), cost)
        for key, cost in sorted(totals.by_source.items())
    ]
    return DocumentData(
        instansi_name=instansi.name,
        instansi_code=instansi.code,
        year=plan.year,
        revision_number=revision.number,
        status=str(plan_label(revision.status)),
        decree_number=revision.decree_number,
        decree_date=revision.decree_date,
        ppk_title=ppk_title or _("Civil Service Supervisory Official (PPK)"),
        signatory_name=settings.signatory_name or revision.adopted_by_name,
        signatory_nip=settings.signatory_nip,
        place=settings.place,
        sign_date=revision.decree_date or local_today(),
        items=_items(revision, labels),
        by_unit=services.group_by_unit(revision.id),
        by_competency=services.group_by_competency(revision.id, plan.instansi_id),
        totals=totals,
        sources=sources,
        lines=services.budget_lines(revision.id),
        participation=participation(revision),
        dropped=totals.items - totals.active,
    )


def content_stamp(revision: Revision) -> str:
    """Changes whenever anything a document prints changes (two queries): a cache key."""
    items = db.session.execute(
        select(func.count(), func.sum(PlanItem.version), func.max(PlanItem.updated_at)).where(
            PlanItem.revision_id == revision.id
        )
    ).one()
    lines = db.session.execute(
        select(func.count(), func.sum(BudgetLine.amount)).where(
            BudgetLine.revision_id == revision.id
        )
    ).one()
    settings = db.session.scalar(
        select(PlanSettings).where(PlanSettings.instansi_id == revision.plan.instansi_id)
    )
    parts = [
        revision.id, revision.version, revision.refreshes, revision.status.value,
        *items, *lines,
        *(
            (settings.ppk_position_id, settings.signatory_name, settings.signatory_nip,
             settings.place)
            if settings else ()
        ),
    ]  # fmt: skip
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def file_name(data: DocumentData, fmt: str) -> str:
    suffix = f"-perubahan-{data.revision_number}" if data.revision_number else ""
    return f"rpk-{data.instansi_code}-{data.year}{suffix}.{fmt}"


def pdf_bytes(data: DocumentData) -> bytes:
    """The plan as PDF: portrait sections, the item table in landscape parts, the signature."""
    rupiah = services.rupiah
    common = {"doc": data, "rupiah": rupiah}
    parts: list[tuple[str, dict[str, object]]] = [
        ("planning/pdf/front.html", {**common, "orientation": "portrait"})
    ]
    chunks = list(data.item_parts())
    for index, chunk in enumerate(chunks or [[]]):
        parts.append(
            (
                "planning/pdf/items.html",
                {
                    **common,
                    "orientation": "landscape",
                    "rows": chunk,
                    "first_part": index == 0,
                },
            )
        )
    parts.append(("planning/pdf/back.html", {**common, "orientation": "portrait"}))
    return pdf.template_parts(parts)
