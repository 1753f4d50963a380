"""The cycle cockpit: every stage of one instansi's (or one OPD's) year in a fixed set of queries.

Figures come from the public `figures` functions of the layers below; this module only
assembles them, derives the alerts and keeps the statement count independent of the data size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _

from app.evaluation.figures import answered_by_level, reaction_overall
from app.learning.figures import UnitJp, jp_by_month, jp_by_unit, jp_distribution
from app.learning.services import JpRow, JpSummary, jp_progress_page, jp_summary
from app.mentoring.figures import MentoringFigures, mentoring_figures
from app.needs.figures import Coverage, coverage, need_status_counts
from app.org.scopes import employees_in, report_groups, structural_officials_in
from app.surveys.figures import GroupParticipation, participation, submissions_by_month
from app.training.figures import BudgetUse, Pipeline, budget_use, needs_realised, pipeline

DEFAULT_RESPONSE_TARGET = 0.6  # share of invitations answered that HR aims for
BELOW_TARGET_LIST = 25  # employees below 20 JP listed on the cockpit (the rest one click away)


@dataclass(frozen=True)
class CockpitScope:
    """One instansi and year; `unit_path` narrows to a head's subtree or a chosen unit."""

    instansi_id: int
    year: int
    unit_path: str | None = None
    unit_id: int | None = None


@dataclass(frozen=True)
class Alert:
    """Something that needs attention now, with the page where it is fixed."""

    level: str  # "warning" or "info"
    message: str
    endpoint: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class Cockpit:
    scope: CockpitScope
    participation: list[GroupParticipation]
    response_target: float
    coverage: Coverage
    needs: dict[str, int]
    needs_approved: int
    needs_completed: int
    pipeline: Pipeline
    jp: JpSummary
    jp_units: list[UnitJp]
    jp_bins: list[tuple[str, int]]
    jp_below: list[JpRow]
    jp_below_count: int
    leaders_jp: JpSummary
    jp_months: dict[int, list[float]]
    submissions_months: dict[int, list[int]]
    budget: list[BudgetUse]
    mentoring: MentoringFigures
    evaluation: dict[str, tuple[int, int]] = field(default_factory=dict)
    reaction: float | None = None
    alerts: list[Alert] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return sum(row.invited for row in self.participation)

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.participation)

    @property
    def submitted_invited(self) -> int:
        """Submissions that answer an invitation (those through the public link excluded)."""
        return sum(row.submitted_invited for row in self.participation)

    @property
    def response_rate(self) -> float | None:
        return self.submitted_invited / self.invited if self.invited else None

    @property
    def budget_by_source(self) -> list[tuple[str, int, int, int]]:
        """(source, allocated, committed, realised) summed over the lines."""
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for line in self.budget:
            total = sums[line.source]
            total[0] += line.amount
            total[1] += line.committed
            total[2] += line.realised
        return [(source, *values) for source, values in sorted(sums.items())]  # type: ignore[misc]

    @property
    def budget_totals(self) -> tuple[int, int, int]:
        return (
            sum(line.amount for line in self.budget),
            sum(line.committed for line in self.budget),
            sum(line.realised for line in self.budget),
        )


def build_cockpit(
    scope: CockpitScope, today: date, response_target: float = DEFAULT_RESPONSE_TARGET
) -> Cockpit:
    """All figures of the cockpit; the number of statements does not grow with the data."""
    instansi_id, year, path = scope.instansi_id, scope.year, scope.unit_path
    staff = employees_in(instansi_id, path)
    years = (year - 1, year)
    groups = report_groups(instansi_id, path)
    below, below_count = jp_progress_page(staff, year, below_target=True, limit=BELOW_TARGET_LIST)
    approved, completed = needs_realised(instansi_id, year, path)
    cockpit = Cockpit(
        scope=scope,
        participation=participation(instansi_id, year, path),
        response_target=response_target,
        coverage=coverage(instansi_id, year, path),
        needs=need_status_counts(instansi_id, year, path),
        needs_approved=approved,
        needs_completed=completed,
        pipeline=pipeline(instansi_id, year, path),
        jp=jp_summary(staff, year),
        jp_units=jp_by_unit(staff, groups, year),
        jp_bins=jp_distribution(staff, year),
        jp_below=below,
        jp_below_count=below_count,
        leaders_jp=jp_summary(structural_officials_in(instansi_id, path), year),
        jp_months=jp_by_month(staff, years),
        submissions_months=submissions_by_month(instansi_id, years),
        budget=budget_use(instansi_id, year, path),
        mentoring=mentoring_figures(instansi_id, staff, today, years),
        evaluation=answered_by_level(instansi_id, year, path),
        reaction=reaction_overall(instansi_id, year),
    )
    cockpit.alerts = alerts(cockpit)
    return cockpit


def alerts(cockpit: Cockpit) -> list[Alert]:
    """The cockpit's warnings, most urgent first; each names the page where to act."""
    found: list[Alert] = []
    scope = {"instansi": cockpit.scope.instansi_id, "year": cockpit.scope.year}
    if cockpit.pipeline.stalled:
        message = _(
            "%(count)d approval steps have waited more than a week.",
            count=cockpit.pipeline.stalled,
        )
        found.append(Alert("warning", message, "training.nominations", {"state": "pending"}))
    rate = cockpit.response_rate
    if rate is not None and rate < cockpit.response_target:
        message = _(
            "Survey response rate is %(rate)d%%, below the target of %(target)d%%.",
            rate=round(rate * 100),
            target=round(cockpit.response_target * 100),
        )
        found.append(Alert("warning", message, "surveys.campaigns"))
    exhausted = [line for line in cockpit.budget if line.amount and line.remaining <= 0]
    if exhausted:
        message = _(
            "%(count)d budget lines are fully committed (%(names)s).",
            count=len(exhausted),
            names=", ".join(line.unit for line in exhausted[:3]),
        )
        found.append(Alert("warning", message, "training.budget"))
    proposed = cockpit.needs.get("proposed", 0)
    if proposed:
        message = _("%(count)d development needs wait for a decision.", count=proposed)
        found.append(Alert("info", message, "needs.development", {**scope, "status": "proposed"}))
    if cockpit.mentoring.silent_count:
        message = _(
            "%(count)d mentoring pairings have had no session for 30 days.",
            count=cockpit.mentoring.silent_count,
        )
        found.append(Alert("info", message, "mentoring.hr_dashboard"))
    below = cockpit.jp.employees - cockpit.jp.met
    if below:
        message = _("%(count)d employees are below 20 JP this year.", count=below)
        found.append(Alert("info", message, "learning.team", {"below": "1"}))
    return found


def oldest_age_days(moment: datetime | None, now: datetime) -> int | None:
    """Whole days since `moment` (naive values are UTC, as SQLite returns them)."""
    if moment is None:
        return None
    if moment.tzinfo is None and now.tzinfo is not None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return max((now - moment).days, 0)
