"""Landing page for visitors, a role dashboard for signed-in users, and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.access.guards import current_principal, roles_required
from app.accounts.models import Role
from app.clock import local_today
from app.home import services
from app.monitoring.next_actions import home_for
from app.org.hierarchy import employee_context
from app.web.htmx import render_page
from app.web.navigation import NavEntry, add_nav
from app.web.pagination import Page
from app.web.params import YEAR, page_arg

bp = Blueprint("home", __name__)

TEAM_ROLES = (Role.SUPERVISOR, Role.UNIT_HEAD)
TEAM_PAGE = 50

add_nav(NavEntry("home.team", _l("My team"), TEAM_ROLES, order=20, group="needs"))


@bp.get("/")
def index() -> ResponseReturnValue:
    """Visitors see the landing page; users the dashboard of their first role."""
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    principal = current_principal()
    role = services.primary_role(principal)
    context: dict[str, object] = {"role": role}
    if role == Role.SYSADMIN:
        context["summaries"] = services.instansi_summaries(None)
        context["user_count"] = services.user_count()
    elif role == Role.HR_ADMIN:
        context["summaries"] = services.instansi_summaries(set(principal.hr_instansi_ids))
        context["statuses"] = services.status_breakdown(principal)
    elif role == Role.UNIT_HEAD:
        context["statuses"] = services.status_breakdown(principal)
        context["golongan"] = services.golongan_breakdown(principal)
        context["reports"] = services.direct_reports(principal)
    elif role == Role.SUPERVISOR:
        context["reports"] = services.direct_reports(principal)
    context["home"] = home_for(principal, local_today(), current_user.email)
    if current_user.employee is not None:
        context["me"] = employee_context(current_user.employee)
    return render_template("home/dashboard.html", **context)


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Liveness: the process answers. It touches nothing else, so a database or Redis outage
    never makes a supervisor restart every web process (that is what readiness reports)."""
    return {"status": "ok"}


@bp.get("/healthz/ready")
def ready() -> ResponseReturnValue:
    """Readiness: database (503 when down), Redis and the job queue ("degraded" when down)."""
    from app.jobs.health import readiness

    body, status = readiness()
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/ping")
def ping() -> ResponseReturnValue:
    """The bare endpoint: no database, no template; benchmarks report ratios against it."""
    return "pong", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/team")
@login_required
@roles_required(*TEAM_ROLES)
def team() -> ResponseReturnValue:
    """A supervisor's direct and indirect reports: JP this year, largest gaps and open
    development needs, each linked to the report's gap profile and learning record."""
    year = request.args.get("year", type=YEAR) or local_today().year
    page = page_arg()
    rows, count = services.team_overview(current_principal(), year, TEAM_PAGE, page)
    return render_page(
        "home/team.html",
        "team_table",
        rows=rows,
        count=count,
        year=year,
        page=page,
        listing=Page([], count, page, TEAM_PAGE),
    )
