"""The scenario as an XLSX (figures, budget lines with shadow values, every need explained),
and the sheets the optimiser adds to the plan's XLSX, through app.web.exports."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.optimiser import messages, services
from app.optimiser.models import Choice, Scenario
from app.planning import workbook_sheets
from app.planning.models import Revision
from app.web import exports


def figures(scenario: Scenario) -> list[tuple[str, object]]:
    per_gap = scenario.cost / scenario.gap_closed if scenario.gap_closed else None
    return [
        (_("Scenario"), scenario.name),
        (_("Budget (percent of the lines)"), round(100 * scenario.budget_scale, 1)),
        (_("Partner funding (Rp)"), scenario.partner_amount),
        (_("Status"), str(messages.STATUS.get(scenario.solver_status, scenario.status.value))),
        (_("Solver"), scenario.solver),
        (_("Optimality gap (%)"),
         round(100 * scenario.optimality_gap, 3) if scenario.optimality_gap is not None else ""),
        (_("Needs funded"), scenario.needs_funded),
        (_("Needs"), scenario.needs_total),
        (_("Items funded"), scenario.items_funded),
        (_("Employees reached"), scenario.employees_reached),
        (_("Share reaching %(jp)s JP (%%)", jp="20"),
         round(100 * scenario.employees_at_min / scenario.employees_total, 1)
         if scenario.employees_total else ""),
        (_("Gap closed"), round(scenario.gap_closed, 3)),
        (_("Gap closed by the greedy baseline"), round(scenario.greedy_gap_closed, 3)),
        (_("Cost (Rp)"), scenario.cost),
        (_("Cost per unit of gap closed (Rp)"), round(per_gap) if per_gap else ""),
    ]  # fmt: skip


def fill_scenario(book: exports.Workbook, scenario: Scenario, prefix: str = "") -> None:
    sheet = book.sheet(f"{prefix}{_('Scenario')}")
    sheet.header([_("Figure"), _("Value")])
    sheet.rows(figures(scenario))
    for note in services.load_notes(scenario.conflicts) + services.load_notes(scenario.notes):
        sheet.row([_("Note"), messages.text(note)])
    lines = book.sheet(f"{prefix}{_('Budget lines')}")
    lines.header(
        [_("Budget line"), _("Funding source"), _("Amount (Rp)"), _("Planned (Rp)"),
         _("Gap closed per extra million rupiah")]
    )  # fmt: skip
    for name, source, amount, spent, shadow in services.line_summary(scenario):
        lines.row([name, messages.source(source), amount, spent,
                   round(shadow, 4) if shadow is not None else ""])  # fmt: skip
    needs = book.sheet(f"{prefix}{_('Needs')}")
    needs.header(
        [_("Item"), _("Competency"), _("Form now"), _("Form chosen"), _("Funded"), _("Cost (Rp)"),
         _("Gap closed"), _("Gap per million rupiah"), _("Why")]
    )  # fmt: skip
    rows = db.session.execute(
        select(Choice)
        .where(Choice.scenario_id == scenario.id)
        .order_by(Choice.ratio.desc(), Choice.id)
    ).scalars()
    for c in rows:
        needs.row(
            [c.title, c.competency_code, c.current_form, c.form or "", _("yes") if c.funded else _("no"),
             c.cost, round(c.value, 4), round(min(c.ratio, 1e9), 4),
             messages.choice_text(c.reason, c.reason_params)],
            text_columns=(0, 1),
        )  # fmt: skip


def scenario_xlsx(scenario: Scenario, revision: Revision) -> Response:
    path = exports.write_xlsx(lambda book: fill_scenario(book, scenario))
    return exports.xlsx_response(f"optimiser-{revision.plan.year}-{scenario.id}", path)


def plan_sheets(book: exports.Workbook, revision: Revision) -> None:
    """The plan's XLSX gets the scenario applied last to the revision, explained."""
    applied = db.session.scalar(
        select(Scenario)
        .where(Scenario.revision_id == revision.id, Scenario.applied_at.is_not(None))
        .order_by(Scenario.applied_at.desc())
        .limit(1)
    )
    if applied is not None:
        fill_scenario(book, applied, prefix=_("Optimiser") + " ")


workbook_sheets.register("optimiser", plan_sheets)
