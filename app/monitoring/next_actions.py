"""What each role should do next, for the home page: counts with the page where to act."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_

from app.access.policy import Principal, employee_scope
from app.accounts.models import Role
from app.clock import utcnow
from app.evaluation.figures import open_for
from app.learning.services import JpSummary, jp_summary, jp_total
from app.mentoring.figures import pairing_todo
from app.monitoring.cockpit import Alert, CockpitScope, build_cockpit, oldest_age_days
from app.monitoring.stakeholder import StakeholderHome, stakeholder_home
from app.org.models import Employee
from app.org.scopes import employees_in
from app.surveys.figures import open_campaigns_for
from app.training.figures import nominations_of, waiting_for
from app.training.labels import label
from app.training.models import NominationState
from app.training.policy import acting_for


@dataclass(frozen=True)
class NextAction:
    """One thing to do (or to know), with how many and where."""

    message: str
    endpoint: str
    params: dict[str, object] = field(default_factory=dict)
    urgent: bool = True


@dataclass
class Home:
    actions: list[NextAction] = field(default_factory=list)
    my_jp: float | None = None
    team_jp: JpSummary | None = None
    unit_jp: JpSummary | None = None
    alerts: list[Alert] = field(default_factory=list)
    year: int = 0
    stakeholder: StakeholderHome | None = None


def _employee_actions(home: Home, employee_id: int, today: date) -> None:
    home.my_jp = jp_total(employee_id, today.year)
    evaluations = open_for(employee_id)
    if evaluations:
        home.actions.append(
            NextAction(
                _("%(n)d training evaluations to answer", n=evaluations), "surveys.my_surveys"
            )
        )
    surveys = open_campaigns_for(employee_id) - evaluations
    if surveys > 0:
        home.actions.append(
            NextAction(_("%(n)d surveys to answer", n=surveys), "surveys.my_surveys")
        )
    mentee = pairing_todo(today, mentee_id=employee_id)
    if mentee.unconfirmed:
        home.actions.append(
            NextAction(
                _("%(n)d mentoring sessions to confirm", n=mentee.unconfirmed),
                "mentoring.mentee_dashboard",
            )
        )
    for state, count in sorted(nominations_of(employee_id, today.year).items()):
        if state in (NominationState.PENDING, NominationState.RETURNED, NominationState.APPROVED):
            urgent = state == NominationState.RETURNED
            text = _("Nominations %(state)s: %(n)d", state=label(NominationState(state)), n=count)
            home.actions.append(NextAction(text, "training.nominations", urgent=urgent))


def _head_actions(home: Home, principal: Principal, today: date) -> None:
    count, oldest = waiting_for(acting_for(principal, today))
    if count:
        days = oldest_age_days(oldest, utcnow()) or 0
        home.actions.append(
            NextAction(
                _("%(n)d approvals waiting, the oldest for %(days)d days", n=count, days=days),
                "training.inbox",
            )
        )
    if principal.has(Role.UNIT_HEAD) and principal.headed_unit_path and principal.instansi_id:
        home.unit_jp = jp_summary(
            employees_in(principal.instansi_id, principal.headed_unit_path), today.year
        )


def _mentor_actions(home: Home, employee_id: int, today: date) -> None:
    mentor = pairing_todo(today, mentor_id=employee_id)
    if mentor.needing_session:
        home.actions.append(
            NextAction(
                _("%(n)d mentees without a recent session", n=mentor.needing_session),
                "mentoring.mentor_dashboard",
            )
        )
    if mentor.active:
        home.actions.append(
            NextAction(
                _("Log the sessions of your %(n)d active pairings", n=mentor.active),
                "mentoring.mentor_dashboard",
                urgent=False,
            )
        )


def _stakeholder_actions(home: Home, principal: Principal, email: str | None, today: date) -> None:
    home.stakeholder = stakeholder_home(principal.instansi_id, email, today)
    if home.stakeholder.invited:
        home.actions.append(
            NextAction(
                _("%(n)d consultations you are invited to", n=home.stakeholder.invited),
                "surveys.my_surveys",
            )
        )
    for title, token in home.stakeholder.public:
        home.actions.append(
            NextAction(
                _("Open consultation: %(title)s", title=title),
                "surveys.public_start",
                {"token": token},
            )
        )


def home_for(principal: Principal, today: date, email: str | None = None) -> Home:
    """The home page's next actions for every role the principal holds (constant queries)."""
    home = Home(year=today.year)
    if principal.has(Role.STAKEHOLDER):
        _stakeholder_actions(home, principal, email, today)
    if principal.employee_id is not None:
        _employee_actions(home, principal.employee_id, today)
    if principal.has(Role.SUPERVISOR, Role.UNIT_HEAD) and principal.employee_id is not None:
        team = and_(
            employee_scope(principal),
            Employee.id != principal.employee_id,
            Employee.active.is_(True),
        )
        home.team_jp = jp_summary(team, today.year)
    if principal.position_id is not None or principal.hr_instansi_ids:
        _head_actions(home, principal, today)
    if principal.has(Role.MENTOR) and principal.employee_id is not None:
        _mentor_actions(home, principal.employee_id, today)
    if principal.hr_instansi_ids:
        instansi_id = min(principal.hr_instansi_ids)
        home.alerts = build_cockpit(CockpitScope(instansi_id, today.year), today).alerts
    return home
