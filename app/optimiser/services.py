"""Scenarios of the budget optimiser on a plan revision: build the instance from the plan,
run it as a job, store the result need by need, compare scenarios and apply one to the draft.

The instance: one need per target of the plan's items that came from a development need; its
options are the item's own form (its cost, JP, line, program's free seats, provider) and every
alternative form of the settings (e-learning, mentoring, coaching by default) at the form's
cost, charged to the same line. Lines hold their amount × the scenario's budget scale, less
what active items already spend on counted targets; partner funding adds one more line any
option may be paid from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select

from app import jobs
from app.clock import utcnow
from app.errors import ServiceError, ValidationFailed
from app.evaluation.feeds import review_flags
from app.extensions import db
from app.learning.planning_feed import jp_by_employee
from app.needs.planning_feed import competency_labels
from app.optimiser import settings, solver
from app.optimiser.explain import explain, per_million
from app.optimiser.model import (
    INFEASIBLE,
    Capacity,
    Employee,
    Instance,
    InvalidInstance,
    Line,
    Need,
    Note,
    Option,
    Rules,
    Solution,
)
from app.optimiser.models import Choice, Scenario, ScenarioStatus
from app.planning import candidates as plan_candidates
from app.planning import services as plan_services
from app.planning.audit import PlanActor
from app.planning.models import FundingSource, Revision
from app.training.planning_feed import events_in_year
from app.web.pagination import Page, paginate

PARTNER_LINE = "partner"
MAX_SCALE = 5.0
MAX_AMOUNT = 10**13


@dataclass
class Built:
    """An instance and what its keys stand for in the plan."""

    instance: Instance
    candidates: dict[str, plan_candidates.NeedCandidate]
    option_line: list[int | None] = field(default_factory=list)  # plan line id (None: partner)
    budget: int = 0
    flagged: set[str] = field(default_factory=set)  # need keys whose program is flagged
    flagged_factor: float = 1.0


def build_instance(revision: Revision, scale: float = 1.0, partner: int = 0) -> Built:
    """The optimisation instance of a revision (a fixed number of queries)."""
    plan = revision.plan
    instansi_id, year = plan.instansi_id, plan.year
    terms = settings.form_terms(instansi_id)
    rules = settings.rules_for(instansi_id)
    needs_in = plan_candidates.need_candidates(revision.id, instansi_id, year)
    committed = plan_candidates.committed_costs(revision.id)
    labels = competency_labels(instansi_id)
    lines = []
    for line in plan_services.lines_of(revision.id):
        amount = max(int(line.amount * scale) - committed.get(line.id, 0), 0)
        lines.append(Line(str(line.id), line.name, line.source.value, amount))
    if partner > 0:
        lines.append(Line(PARTNER_LINE, str(_l("Partner funding")), FundingSource.PARTNER, partner))
    seats: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    names: dict[int, str] = {}
    for event in events_in_year(instansi_id, year):
        seats[event.program_id][0] += max(event.quota - event.seats_taken, 0)
        names[event.program_id] = event.program_title
    limits = settings.provider_limits(instansi_id)
    jp_done = jp_by_employee(instansi_id, year)
    flags = review_flags(c.program_id for c in needs_in if c.program_id)
    flagged: set[str] = set()
    needs: list[Need] = []
    options: list[Option] = []
    option_line: list[int | None] = []
    employees: set[int] = set()
    by_key: dict[str, plan_candidates.NeedCandidate] = {}
    for c in needs_in:
        key = str(c.need_id)
        by_key[key] = c
        employees.add(c.employee_id)
        title = plan_services.display_title(c.item_title, c.competency_code, c.form, labels)
        weight = (c.priority / c.gap) if c.priority and c.gap > 0 else 1.0
        needs.append(
            Need(key, str(c.employee_id), c.gap, max(weight, 0.0),
                 c.item_key in rules.mandatory_keys, title)
        )  # fmt: skip
        own = terms.get(c.form) or settings.DEFAULT_FORMS["classical"]
        effect = own.effect
        if c.program_id in flags:  # the evaluation flagged the item's program for review
            effect = settings.flagged_effect(effect, rules.flagged_factor)
            flagged.add(key)
        line_key = str(c.budget_line_id) if c.budget_line_id is not None else None
        variants = [
            Option(key, c.form, c.unit_cost, effect, float(c.jp or 0), line_key,
                   f"p{c.program_id}" if c.program_id in seats else None,
                   f"v{c.provider_id}" if c.provider_id in limits else None,
                   own.non_classical, title)
        ]  # fmt: skip
        mandatory = c.item_key in rules.mandatory_keys
        for form, alt in terms.items():  # a mandatory item is funded as it is, no other form
            if (
                not mandatory
                and alt.alternative
                and form != c.form
                and (line_key is not None or not alt.unit_cost)
            ):
                variants.append(
                    Option(key, form, alt.unit_cost, alt.effect, alt.jp, line_key,
                           non_classical=alt.non_classical, label=title)
                )  # fmt: skip
        for option in variants:
            options.append(option)
            option_line.append(c.budget_line_id)
            if partner > 0 and option.cost:
                options.append(replace(option, line=PARTNER_LINE))
                option_line.append(None)
    instance = Instance(
        needs=needs,
        options=options,
        lines=lines,
        events=[Capacity(f"p{pid}", names[pid], s[0]) for pid, s in seats.items()],
        providers=[Capacity(f"v{pid}", name, n) for pid, (name, n) in limits.items()],
        employees=[Employee(str(e), "", jp_done.get(e, 0.0)) for e in sorted(employees)],
        rules=Rules(
            jp_ceiling=rules.jp_ceiling,
            min_jp=rules.min_jp,
            non_classical_share=rules.non_classical_share,
            time_limit=float(rules.time_limit),
            mip_gap=rules.mip_gap,
        ),
    )
    return Built(
        instance,
        by_key,
        option_line,
        sum(line.amount for line in lines),
        flagged,
        rules.flagged_factor,
    )


# ---- scenarios ------------------------------------------------------------------------------


def create_scenario(
    revision: Revision,
    name: str,
    budget_scale: float | None,
    partner_amount: int | None,
    actor: PlanActor,
) -> Scenario:
    """Store a scenario and queue its run (the job runs after the commit)."""
    plan_services.ensure_editable(revision)
    problems: list[tuple[str, str]] = []
    if not name.strip():
        problems.append(("name", str(_l("Name the scenario."))))
    if budget_scale is None or not 0 <= budget_scale <= MAX_SCALE:
        problems.append(("budget_scale", str(_l("Enter a budget share from 0 to 500 %."))))
    if partner_amount is None or not 0 <= partner_amount <= MAX_AMOUNT:
        problems.append(("partner_amount", str(_l("Enter an amount from 0."))))
    if problems:
        raise ValidationFailed(problems)
    scenario = Scenario(
        revision_id=revision.id,
        instansi_id=revision.plan.instansi_id,
        name=name.strip()[:120],
        budget_scale=float(budget_scale or 0),
        partner_amount=int(partner_amount or 0),
        created_by_name=actor.name[:200],
    )
    db.session.add(scenario)
    db.session.flush()
    job = jobs.enqueue(
        "optimiser.run",
        scenario_id=scenario.id,
        instansi_id=scenario.instansi_id,
        created_by_id=actor.user_id,
        key=f"optimiser:{scenario.id}",
    )
    scenario.job_id = job.id
    db.session.commit()
    return scenario


def _notes(notes: list[Note]) -> str:
    return json.dumps([{"code": n.code, "params": n.params} for n in notes], default=str)


def load_notes(text: str) -> list[Note]:
    return [Note(n["code"], n.get("params", {})) for n in json.loads(text)] if text else []


def run(scenario_id: int, progress: object = None) -> Scenario:
    """Solve a scenario and store its result and one explained row per need (idempotent)."""
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None:
        raise LookupError(scenario_id)
    if scenario.status not in (ScenarioStatus.QUEUED, ScenarioStatus.RUNNING):
        return scenario
    report = progress if callable(progress) else (lambda done, total: None)
    revision = db.session.get(Revision, scenario.revision_id)
    assert revision is not None
    scenario.status = ScenarioStatus.RUNNING
    db.session.execute(delete(Choice).where(Choice.scenario_id == scenario.id))
    report(1, 4)
    built = build_instance(revision, scenario.budget_scale, scenario.partner_amount)
    report(2, 4)
    try:
        solution = solver.solve(built.instance)
    except InvalidInstance as refused:
        scenario.status = ScenarioStatus.REFUSED
        scenario.conflicts = _notes(refused.problems)
        scenario.finished_at = utcnow()
        db.session.commit()
        return scenario
    report(3, 4)
    _store(scenario, built, solution)
    db.session.commit()
    return scenario


def _store(scenario: Scenario, built: Built, solution: Solution) -> None:
    instance = built.instance
    scenario.solver = solution.solver[:40]
    scenario.solver_status = solution.status
    scenario.seconds = solution.seconds
    scenario.notes = _notes(solution.notes)
    scenario.finished_at = utcnow()
    scenario.needs_total = len(instance.needs)
    scenario.budget = built.budget
    scenario.employees_total = len({n.employee for n in instance.needs})
    if solution.status == INFEASIBLE:
        scenario.status = ScenarioStatus.INFEASIBLE
        scenario.conflicts = _notes(solution.conflicts)
        return
    from app.optimiser import greedy

    scenario.status = ScenarioStatus.DONE
    scenario.objective = solution.objective
    scenario.gap_closed = solution.gap_closed
    scenario.greedy_gap_closed = greedy.solve_greedy(instance).gap_closed
    scenario.cost = solution.cost
    scenario.bound = solution.bound
    scenario.optimality_gap = solution.gap
    scenario.shadow = json.dumps(solver.shadow_values(instance))
    needs = instance.need_map()
    values = [instance.value(o, needs) for o in instance.options]
    best: dict[str, float] = defaultdict(float)
    for j, option in enumerate(instance.options):
        best[option.need] = max(best[option.need], values[j])
    scenario.gap_total = sum(best.values())
    planned: dict[str, float] = defaultdict(float)
    groups = set()
    for key, j in solution.chosen.items():
        option = instance.options[j]
        planned[needs[key].employee] += option.jp
        candidate = built.candidates[key]
        groups.add(
            candidate.item_id
            if option.form == candidate.form
            else (candidate.competency_code, option.form)
        )
    done = {e.key: e.jp_done for e in instance.employees}
    scenario.needs_funded = len(solution.chosen)
    scenario.items_funded = len(groups)
    scenario.employees_reached = len(planned)
    scenario.employees_at_min = sum(
        1 for e in done if done[e] + planned.get(e, 0.0) >= instance.rules.min_jp
    )
    rows = []
    for key, (picked, note) in explain(instance, solution).items():
        candidate = built.candidates[key]
        picked_option = instance.options[picked] if picked is not None else None
        funded = key in solution.chosen
        rows.append(
            {
                "scenario_id": scenario.id,
                "need_id": candidate.need_id,
                "employee_id": candidate.employee_id,
                "item_id": candidate.item_id,
                "title": needs[key].label[:300],
                "competency_code": candidate.competency_code[:30],
                "current_form": candidate.form[:30],
                "form": picked_option.form if funded and picked_option else None,
                "funded": funded,
                "mandatory": needs[key].mandatory,
                "line_id": built.option_line[picked] if picked is not None else None,
                "cost": int(picked_option.cost or 0) if picked_option else 0,
                "value": values[picked] if picked is not None else 0.0,
                "ratio": min(per_million(values[picked], picked_option.cost), 1e12)
                if picked_option and picked is not None
                else 0.0,
                "reason": note.code,
                "reason_params": json.dumps(_flag_params(built, key, note.params), default=str),
            }
        )
    if rows:
        db.session.execute(insert(Choice.__table__), rows)  # Core: one executemany


def _flag_params(built: Built, key: str, params: dict[str, object]) -> dict[str, object]:
    """The note's parameters, with the flagged-program rule when it reduced the item's form."""
    if key in built.flagged:
        return {**params, "flagged_factor": built.flagged_factor}
    return params


def scenarios_of(revision_id: int) -> list[Scenario]:
    return list(
        db.session.scalars(
            select(Scenario).where(Scenario.revision_id == revision_id).order_by(Scenario.id)
        )
    )


def choices_of(
    scenario_id: int, funded: bool | None, page: int = 1, per_page: int = 100
) -> Page[Choice]:
    """A page of a scenario's needs, highest priority per rupiah first (two queries)."""
    query = select(Choice).where(Choice.scenario_id == scenario_id)
    if funded is not None:
        query = query.where(Choice.funded.is_(funded))
    return paginate(query.order_by(Choice.ratio.desc(), Choice.id), page, per_page, scalars=True)


def line_summary(scenario: Scenario) -> list[tuple[str, str, int, int, float | None]]:
    """(line name, source, amount in the scenario, spent, shadow value per million) per line."""
    shadow = json.loads(scenario.shadow) if scenario.shadow else {}
    spent = {
        (int(line) if line is not None else None): int(total or 0)
        for line, total in db.session.execute(
            select(Choice.line_id, func.sum(Choice.cost))
            .where(Choice.scenario_id == scenario.id, Choice.funded.is_(True))
            .group_by(Choice.line_id)
        )
    }
    rows = []
    committed = plan_candidates.committed_costs(scenario.revision_id)
    for line in plan_services.lines_of(scenario.revision_id):
        amount = max(int(line.amount * scenario.budget_scale) - committed.get(line.id, 0), 0)
        rows.append(
            (line.name, line.source.value, amount, spent.get(line.id, 0), shadow.get(str(line.id)))
        )
    if scenario.partner_amount:
        rows.append((str(_l("Partner funding")), FundingSource.PARTNER.value,
                     scenario.partner_amount, spent.get(None, 0), shadow.get(PARTNER_LINE)))  # fmt: skip
    return rows


def apply(scenario: Scenario, actor: PlanActor) -> dict[str, int]:
    """Make a finished scenario the draft's items (ordinary items HR can still edit)."""
    revision = db.session.get(Revision, scenario.revision_id)
    assert revision is not None
    plan_services.ensure_editable(revision)
    if scenario.status != ScenarioStatus.DONE:
        raise ServiceError(_l("Only a scenario with a plan can be applied."), field="scenario")
    chosen = dict(
        db.session.execute(
            select(Choice.need_id, Choice.form).where(Choice.scenario_id == scenario.id)
        ).all()
    )
    partner_needs = set(
        db.session.scalars(
            select(Choice.need_id).where(
                Choice.scenario_id == scenario.id,
                Choice.funded.is_(True),
                Choice.line_id.is_(None),
                Choice.cost > 0,
            )
        )
    )
    partner_line = None
    if partner_needs:
        partner_line = plan_services.save_line(
            revision,
            plan_services.LineData(
                str(_l("Partner funding: %(name)s", name=scenario.name)), "", "partner",
                scenario.partner_amount,
            ),
            actor,
        ).id  # fmt: skip
    terms = {
        form: plan_candidates.FormTerms(t.jp, t.unit_cost)
        for form, t in settings.form_terms(scenario.instansi_id).items()
    }
    summary = plan_candidates.apply_assignment(
        revision,
        {int(k): v for k, v in chosen.items()},
        terms,
        str(_l("Budget optimiser, scenario %(name)s", name=scenario.name)),
        actor,
        partner_needs={int(n) for n in partner_needs},
        partner_line=partner_line,
    )
    scenario.applied_at = utcnow()
    scenario.applied_by_name = actor.name[:200]
    db.session.commit()
    return summary


def reload(scenario_id: int) -> Scenario:
    db.session.expire_all()
    scenario = db.session.get(Scenario, scenario_id)
    assert scenario is not None
    return scenario


def estimate_missing_costs(revision: Revision, actor: PlanActor) -> int:
    """Cost the items without a unit cost at their form's cost from the settings."""
    terms = settings.form_terms(revision.plan.instansi_id)
    return plan_candidates.fill_missing_costs(
        revision, {form: t.unit_cost for form, t in terms.items()}, actor
    )
