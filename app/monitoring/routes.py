"""The cycle cockpit for HR (an instansi) and heads of OPD (their subtree), and its exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.access.guards import current_principal, roles_required
from app.accounts.models import Role
from app.clock import local_today, utcnow
from app.evaluation.labels import LEVEL_LABELS
from app.extensions import db
from app.monitoring import exports
from app.monitoring.cockpit import CockpitScope, build_cockpit, oldest_age_days
from app.needs.figures import need_status_label
from app.needs.policy import analysis_instansi, scope_for
from app.org.models import Instansi, OrgUnit
from app.org.scopes import report_groups
from app.training.labels import label
from app.training.models import NominationState
from app.web import charts
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.params import ID, YEAR
from app.web.pdf import PDF_MIMETYPE, template_to_pdf

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

COCKPIT_ROLES = (Role.HR_ADMIN, Role.SYSADMIN, Role.UNIT_HEAD)
add_nav(NavEntry("monitoring.cockpit", _l("Cockpit"), COCKPIT_ROLES, order=15))
PDF_UNITS = 8  # the units furthest from 20 JP that fit on the one page


def _bounded_year(default: int) -> int:
    year = request.args.get("year", type=YEAR)
    return year if year is not None and 2000 <= year <= 2100 else default


def current_scope() -> tuple[CockpitScope, list[Instansi], Instansi, OrgUnit | None]:
    """?instansi=, ?year= and ?unit= within what the user may see; other units answer 404."""
    principal = current_principal()
    options = analysis_instansi(principal)
    if not options:
        abort(403)
    wanted = request.args.get("instansi", type=ID)
    instansi = next((i for i in options if i.id == wanted), None) if wanted else options[0]
    if instansi is None:
        abort(404)
    year = _bounded_year(local_today().year)
    allowed = scope_for(principal, instansi.id, year)
    if allowed is None:
        abort(403)
    unit = None
    unit_id = request.args.get("unit", type=ID)
    path = allowed.unit_path
    if unit_id:
        if not 0 < unit_id < 2**31:
            abort(404)
        unit = db.session.get(OrgUnit, unit_id)
        if unit is None or unit.instansi_id != instansi.id or not allowed.contains_path(unit.path):
            abort(404)
        path = unit.path
    return CockpitScope(instansi.id, year, path, unit.id if unit else None), options, instansi, unit


@bp.get("/")
@login_required
@roles_required(*COCKPIT_ROLES)
def cockpit() -> ResponseReturnValue:
    scope, options, instansi, unit = current_scope()
    figures = build_cockpit(scope, local_today())
    return render_page(
        "monitoring/cockpit.html",
        "cockpit",
        c=figures,
        charts=_charts(figures),
        scope=scope,
        options=options,
        instansi=instansi,
        unit=unit,
        units=report_groups(instansi.id, scope.unit_path if unit else _own_path(scope)),
        oldest_days=oldest_age_days(figures.pipeline.oldest_open, utcnow()),
        need_label=need_status_label,
        evaluation_levels=list(LEVEL_LABELS.items()),
        state_label=lambda code: label(NominationState(code)),
        decimal=lambda value: format_decimal(round(value, 1)),
    )


def _own_path(scope: CockpitScope) -> str | None:
    allowed = scope_for(current_principal(), scope.instansi_id, scope.year)
    return allowed.unit_path if allowed else None


@bp.get("/cockpit.pdf")
@login_required
@roles_required(*COCKPIT_ROLES)
def cockpit_pdf() -> ResponseReturnValue:
    """The cockpit on one A4 page for the leadership meeting (same scope parameters)."""
    scope, _options, instansi, unit = current_scope()
    figures = build_cockpit(scope, local_today())
    title = f"{unit.name if unit else instansi.name} {scope.year}"
    data = template_to_pdf(
        "monitoring/cockpit_pdf.html",
        c=figures,
        title=title,
        footer=f"Bangkom · {title}",
        printed=local_today(),
        oldest_days=oldest_age_days(figures.pipeline.oldest_open, utcnow()),
        need_label=need_status_label,
        evaluation_levels=list(LEVEL_LABELS.items()),
        state_label=lambda code: label(NominationState(code)),
        units=sorted(figures.jp_units, key=lambda u: u.summary.percent_met)[:PDF_UNITS],
    )
    name = f"kokpit-{scope.year}-{scope.instansi_id}{f'-{unit.id}' if unit else ''}.pdf"
    return Response(
        data,
        mimetype=PDF_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/export/<table>.xlsx")
@login_required
@roles_required(*COCKPIT_ROLES)
def export(table: str) -> ResponseReturnValue:
    """One cockpit table as a spreadsheet, written through the formula-safe writer."""
    if table not in exports.TABLES:
        abort(404)
    scope, _options, instansi, _unit = current_scope()
    figures = build_cockpit(scope, local_today())
    return exports.xlsx_response(table, figures, instansi)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _charts(c) -> dict[str, object]:
    """The cockpit's SVG charts, built from figures already computed (no extra queries)."""
    year = c.scope.year
    return {
        "participation": charts.bar_chart(
            str(_l("Survey participation by group")),
            [
                (row.label, (row.submitted, max(row.started - row.submitted, 0)))
                for row in c.participation
            ],
            (str(_l("Submitted")), str(_l("Started, not submitted"))),
        ),
        "jp_units": charts.bar_chart(
            str(_l("Share of employees at 20 JP or more, by unit")),
            [(row.unit, (row.summary.percent_met,)) for row in c.jp_units],
            unit="%",
            maximum=100,
        ),
        "jp_bins": charts.histogram(
            str(_l("Employees by JP this year")), c.jp_bins, highlight_from=5, unit=" JP"
        ),
        "jp_months": charts.line_chart(
            str(_l("JP credited per month")),
            MONTHS,
            [(str(year - 1), c.jp_months[year - 1]), (str(year), c.jp_months[year])],
        ),
        "sessions": charts.line_chart(
            str(_l("Mentoring sessions per month")),
            MONTHS,
            [
                (str(year - 1), c.mentoring.sessions_by_month[year - 1]),
                (str(year), c.mentoring.sessions_by_month[year]),
            ],
        ),
        "budget": charts.bar_chart(
            str(_l("Budget by funding source (million rupiah)")),
            [
                (
                    source.upper(),
                    (realised / 1e6, (committed - realised) / 1e6, (amount - committed) / 1e6),
                )
                for source, amount, committed, realised in c.budget_by_source
            ],
            (str(_l("Realised")), str(_l("Committed")), str(_l("Remaining"))),
        ),
    }
