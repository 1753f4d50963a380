"""The mixed-integer program and its solution with HiGHS (`highspy`).

Variables: x_j ∈ {0, 1} for each option (fund need i by form f), and y_e ∈ [0, 1] for each
employee below the minimum JP (reached by at least one funded activity).

    maximise   Σ_j value_j x_j  +  B Σ_e y_e
    subject to Σ_{j ∈ need i} x_j ≤ 1            (= 1 for a mandatory need)
               Σ_{j on line l} cost_j x_j ≤ amount_l          (per budget line)
               Σ_{j of source s} cost_j x_j ≤ cap_s           (per funding source, if capped)
               Σ_{j at event v} x_j ≤ seats_v,  Σ_{j by provider p} x_j ≤ capacity_p
               Σ_{j of employee e} jp_j x_j ≤ ceiling − jp_done_e
               y_e − Σ_{j of employee e} x_j ≤ 0
               Σ_j (non_classical_j − share) x_j ≥ 0

value_j = weight × gap × effect; B is the soft policy weight (the "everyone below 20 JP gets
an activity where budget allows" rule). Costs enter in millions of rupiah for numerics.

Solving: HiGHS first solves the LP relaxation, which bounds the optimum; its integral part is
completed into a plan that satisfies every rule (options the relaxation leaned to first). When
that plan is within the accepted gap of the bound it is returned as optimal within the gap (the
bound proves it); otherwise HiGHS branches and bounds from it for the rest of the time limit and
returns the best plan found with its gap. A plan is always checked against every rule before
it is returned; an infeasible instance is diagnosed into the conflicting rules.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from app.optimiser import greedy
from app.optimiser.check import totals, violations
from app.optimiser.model import (
    INFEASIBLE,
    OPTIMAL,
    TIME_LIMIT,
    Indexed,
    Instance,
    Note,
    Rules,
    Solution,
    validate,
)

try:  # the fallback to greedy is for a missing solver only
    import highspy
    import numpy as np
except ImportError:  # pragma: no cover - exercised by monkeypatching HIGHS_AVAILABLE
    HIGHS_AVAILABLE = False  # highspy and np stay unbound: nothing reads them then
else:
    HIGHS_AVAILABLE = True
MILLION = 1_000_000.0

# Rule families, in the order the diagnosis relaxes them.
FAMILIES = ("lines", "sources", "events", "providers", "jp_ceiling", "non_classical_share")


def solver_name() -> str:
    if not HIGHS_AVAILABLE:
        return "greedy"
    h = highspy.Highs()
    return f"HiGHS {h.version()}"


@dataclass
class Program:
    """The MILP as arrays, with which row stands for which rule."""

    cost: list[float]
    lower: list[float]
    upper: list[float]
    integer: list[bool]
    columns: list[list[tuple[int, float]]]
    row_lower: list[float]
    row_upper: list[float]
    row_kind: list[tuple[str, str]] = field(default_factory=list)  # (family, key)
    reach_columns: list[str] = field(default_factory=list)  # employee of each y column


def build(
    instance: Instance,
    skip: frozenset[str] = frozenset(),
    bonus: float | None = None,
    index: Indexed | None = None,
) -> Program:
    """The program of `instance`; rule families in `skip` are left out (for the diagnosis)."""
    index = index or Indexed(instance)
    rules = instance.rules
    options = instance.options
    n = len(options)
    columns: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    row_lower: list[float] = []
    row_upper: list[float] = []
    kinds: list[tuple[str, str]] = []

    def row(kind: tuple[str, str], lo: float, hi: float) -> int:
        row_lower.append(lo)
        row_upper.append(hi)
        kinds.append(kind)
        return len(kinds) - 1

    for need in instance.needs:
        js = index.by_need[need.key]
        if not js and not need.mandatory:
            continue
        r = row(("need", need.key), 1.0 if need.mandatory else -highs_inf(), 1.0)
        for j in js:
            columns[j].append((r, 1.0))
    if "lines" not in skip:
        line_rows = {
            line.key: row(("line", line.key), -highs_inf(), line.amount / MILLION)
            for line in instance.lines
        }
        for j, option in enumerate(options):
            if option.cost and option.line in line_rows:
                columns[j].append((line_rows[option.line], option.cost / MILLION))
    if "sources" not in skip and rules.source_caps:
        source_rows = {
            source: row(("source", source), -highs_inf(), cap / MILLION)
            for source, cap in sorted(rules.source_caps.items())
        }
        for j, option in enumerate(options):
            source = index.source_of(option)
            if option.cost and source in source_rows:
                columns[j].append((source_rows[source], option.cost / MILLION))
    for family, attr, capacities in (
        ("events", "event", instance.events),
        ("providers", "provider", instance.providers),
    ):
        if family in skip:
            continue
        rows = {c.key: row((family, c.key), -highs_inf(), float(c.limit)) for c in capacities}
        for j, option in enumerate(options):
            key = getattr(option, attr)
            if key is not None:
                columns[j].append((rows[key], 1.0))
    if "jp_ceiling" not in skip and rules.jp_ceiling is not None:
        for employee, js in index.by_employee.items():
            room = index.jp_room(employee) or 0.0
            worst: dict[str, float] = {}
            for j in js:
                worst[options[j].need] = max(worst.get(options[j].need, 0.0), options[j].jp)
            if sum(worst.values()) <= room:
                continue  # the ceiling cannot bind: no row
            r = row(("jp_ceiling", employee), -highs_inf(), room)
            for j in js:
                if options[j].jp:
                    columns[j].append((r, options[j].jp))
    share = rules.non_classical_share
    if "non_classical_share" not in skip and share > 0:
        r = row(("non_classical_share", ""), 0.0, highs_inf())
        for j, option in enumerate(options):
            columns[j].append((r, (1.0 if option.non_classical else 0.0) - share))
    weight = instance.reach_bonus() if bonus is None else bonus
    program = Program(
        cost=list(index.values),
        lower=[0.0] * n,
        upper=[1.0] * n,
        integer=[True] * n,
        columns=columns,
        row_lower=row_lower,
        row_upper=row_upper,
        row_kind=kinds,
    )
    if weight > 0:
        for employee in index.below_min():
            r = row(("reach", employee), -highs_inf(), 0.0)
            program.columns.append([(r, 1.0)])
            program.cost.append(weight)
            program.lower.append(0.0)
            program.upper.append(1.0)
            program.integer.append(False)
            program.reach_columns.append(employee)
            for j in index.by_employee[employee]:
                columns[j].append((r, -1.0))
    return program


def highs_inf() -> float:
    return float(highspy.kHighsInf) if HIGHS_AVAILABLE else float("inf")


def _highs(
    program: Program, rules: Rules, relax: bool = False, time_limit: float | None = None
) -> Any:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue(
        "time_limit", float(time_limit if time_limit is not None else rules.time_limit)
    )
    h.setOptionValue("mip_rel_gap", float(rules.mip_gap))
    h.setOptionValue("random_seed", 7)
    lp = highspy.HighsLp()
    n = len(program.cost)
    lp.num_col_ = n
    lp.num_row_ = len(program.row_lower)
    lp.col_cost_ = np.asarray(program.cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(program.lower, dtype=np.float64)
    lp.col_upper_ = np.asarray(program.upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(program.row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(program.row_upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    starts = [0]
    indices: list[int] = []
    values: list[float] = []
    for column in program.columns:
        for r, v in column:
            indices.append(r)
            values.append(v)
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(values, dtype=np.float64)
    if not relax:
        integer, continuous = highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous
        lp.integrality_ = [integer if flag else continuous for flag in program.integer]
    h.passModel(lp)
    return h


def _start(
    h: Any, instance: Instance, program: Program, chosen: dict[str, int], index: Indexed
) -> None:
    """Give HiGHS a plan that satisfies every rule as its first incumbent."""
    values = [0.0] * len(program.cost)
    for j in chosen.values():
        values[j] = 1.0
    reached = {index.needs[k].employee for k in chosen}
    n = len(instance.options)
    for offset, employee in enumerate(program.reach_columns):
        values[n + offset] = 1.0 if employee in reached else 0.0
    start = highspy.HighsSolution()
    start.col_value = values
    start.value_valid = True
    h.setSolution(start)


def solve(instance: Instance) -> Solution:
    """The best plan under the rules: optimal, or the best found at the time limit with its gap;
    the greedy baseline (labelled) when HiGHS is not installed; conflicts when infeasible."""
    validate(instance)
    if not HIGHS_AVAILABLE:
        solution = greedy.solve_greedy(instance)
        solution.notes.append(Note("solver_missing"))
        conflicts = precheck(instance)
        if conflicts or violations(instance, solution.chosen):
            return Solution(INFEASIBLE, "greedy", conflicts=conflicts or [Note("greedy_failed")])
        return solution
    started = time.perf_counter()
    conflicts = precheck(instance)
    name = solver_name()
    if conflicts:
        return Solution(INFEASIBLE, name, conflicts=conflicts, seconds=_since(started))
    index = Indexed(instance)
    rules = instance.rules
    program = build(instance, index=index)
    # 1. The LP relaxation: a bound, and an integral part to complete into a plan.
    relaxed = _highs(program, rules, relax=True)
    relaxed.run()
    lp_status = relaxed.getModelStatus()
    if lp_status == highspy.HighsModelStatus.kInfeasible:
        return Solution(INFEASIBLE, name, conflicts=diagnose(instance), seconds=_since(started))
    bound: float | None = None
    incumbent: dict[str, int] | None = None
    if lp_status == highspy.HighsModelStatus.kOptimal:
        bound = float(relaxed.getInfo().objective_function_value)
        x = list(relaxed.getSolution().col_value)
        integral = {o.need: j for j, o in enumerate(instance.options) if x[j] > 1 - 1e-6}
        rounded, complete = greedy.choose(instance, index, start=integral, lp=x)
        if complete and not violations(instance, rounded, index):
            incumbent = rounded
    del relaxed
    if incumbent is None:
        plain, complete = greedy.choose(instance, index)
        if complete and not violations(instance, plain, index):
            incumbent = plain
    notes: list[Note] = []
    if incumbent is not None and bound is not None:
        objective = _objective(instance, incumbent, index)
        if bound - objective <= rules.mip_gap * max(abs(objective), 1e-9):
            notes.append(Note("lp_certified"))
            return _solution(OPTIMAL, name, instance, incumbent, index, bound, notes, started)
    # 2. Branch and bound from that plan, within what is left of the time limit.
    left = max(rules.time_limit - _since(started), 1.0)
    h = _highs(program, rules, time_limit=left)
    if incumbent is not None:
        _start(h, instance, program, incumbent, index)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        return Solution(INFEASIBLE, name, conflicts=diagnose(instance), seconds=_since(started))
    chosen: dict[str, int] | None = None
    if info.primal_solution_status == 2:
        x = h.getSolution().col_value
        found = {o.need: j for j, o in enumerate(instance.options) if x[j] > 0.5}
        if not violations(instance, found, index):  # else numerical trouble: keep the incumbent
            chosen = found
    if chosen is None or (
        incumbent is not None
        and _objective(instance, incumbent, index) > _objective(instance, chosen, index)
    ):
        chosen = incumbent
    if chosen is None:
        return Solution(INFEASIBLE, name, conflicts=[Note("no_plan_in_time")],
                        seconds=_since(started))  # fmt: skip
    if abs(info.mip_dual_bound) < 1e30:
        bound = float(info.mip_dual_bound) if bound is None else min(bound, info.mip_dual_bound)
    optimal = status == highspy.HighsModelStatus.kOptimal
    if not optimal:
        notes.append(Note("time_limit", {"seconds": rules.time_limit}))
    return _solution(OPTIMAL if optimal else TIME_LIMIT, name, instance, chosen, index, bound,
                     notes, started)  # fmt: skip


def _objective(instance: Instance, chosen: dict[str, int], index: Indexed) -> float:
    gap_closed, _cost, reached = totals(instance, chosen, index)
    return gap_closed + instance.reach_bonus() * reached


def _solution(
    status: str,
    name: str,
    instance: Instance,
    chosen: dict[str, int],
    index: Indexed,
    bound: float | None,
    notes: list[Note],
    started: float,
) -> Solution:
    gap_closed, cost, reached = totals(instance, chosen, index)
    objective = gap_closed + instance.reach_bonus() * reached
    gap = None
    if bound is not None:
        gap = max(bound - objective, 0.0) / max(abs(objective), 1e-9)
    elif status == OPTIMAL:
        gap = 0.0
    return Solution(
        status=status,
        solver=name,
        chosen=chosen,
        objective=objective,
        gap_closed=gap_closed,
        cost=cost,
        bound=bound,
        gap=gap,
        seconds=_since(started),
        notes=notes,
    )


def _since(started: float) -> float:
    return time.perf_counter() - started


# ---- infeasibility ----------------------------------------------------------------------------


def precheck(instance: Instance) -> list[Note]:
    """Conflicts visible without solving: what mandatory needs require against each rule."""
    index = Indexed(instance)
    options = instance.options
    found: list[Note] = []
    line_need: dict[str, int] = {}
    line_items: dict[str, int] = {}
    source_need: dict[str, int] = {}
    seats: dict[tuple[str, str], int] = {}
    jp_need: dict[str, float] = {}
    for need in instance.needs:
        if not need.mandatory:
            continue
        js = index.by_need[need.key]
        if not js:
            found.append(Note("mandatory_without_option", {"item": need.label or need.key}))
            continue
        cheapest = min(int(options[j].cost or 0) for j in js)
        lines = {options[j].line for j in js}
        if len(lines) == 1 and cheapest:
            line_key = next(iter(lines)) or ""
            line_need[line_key] = line_need.get(line_key, 0) + cheapest
            line_items[line_key] = line_items.get(line_key, 0) + 1
        sources = {index.source_of(options[j]) for j in js}
        if len(sources) == 1 and cheapest:
            source = next(iter(sources)) or ""
            source_need[source] = source_need.get(source, 0) + cheapest
        for attr in ("event", "provider"):
            keys = {getattr(options[j], attr) for j in js}
            if len(keys) == 1 and None not in keys:
                seat = (attr, str(next(iter(keys))))
                seats[seat] = seats.get(seat, 0) + 1
        employee = need.employee
        jp_need[employee] = jp_need.get(employee, 0.0) + min(options[j].jp for j in js)
    for key, needed in sorted(line_need.items()):
        line = index.lines.get(key)
        if line is not None and needed > line.amount:
            found.append(
                Note(
                    "mandatory_over_line",
                    {
                        "line": line.name,
                        "cost": needed,
                        "amount": line.amount,
                        "items": line_items[key],
                    },
                )
            )
    for source, needed in sorted(source_need.items()):
        cap = instance.rules.source_caps.get(source)
        if cap is not None and needed > cap:
            found.append(
                Note("mandatory_over_source", {"source": source, "cost": needed, "amount": cap})
            )
    for (attr, key), count in sorted(seats.items()):
        capacity = (index.events if attr == "event" else index.providers).get(key)
        if capacity is not None and count > capacity.limit:
            found.append(
                Note(
                    f"mandatory_over_{attr}",
                    {"name": capacity.name, "count": count, "limit": capacity.limit},
                )
            )
    for employee, jp in sorted(jp_need.items()):
        room = index.jp_room(employee)
        if room is not None and jp > room + 1e-6:
            found.append(Note("mandatory_over_jp", {"employee": employee, "jp": jp, "room": room}))
    return found


def diagnose(instance: Instance) -> list[Note]:
    """The rule families that, together with the mandatory items, admit no plan: each family
    whose removal alone makes the rules feasible is named."""
    found = precheck(instance)
    if found:
        return found
    culprits = []
    for family in FAMILIES:
        program = build(instance, skip=frozenset({family}), bonus=0.0)
        program.cost = [0.0] * len(program.cost)
        h = _highs(program, instance.rules, time_limit=min(instance.rules.time_limit, 10.0))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kInfeasible:
            culprits.append(family)
    return [Note("rules_conflict", {"rules": ["mandatory", *culprits]})]


# ---- shadow values ----------------------------------------------------------------------------


def shadow_values(instance: Instance) -> dict[str, float]:
    """Gap closed per extra million rupiah on each budget line, from the duals of the LP
    relaxation (without the policy bonus, so it is gap and nothing else)."""
    if not HIGHS_AVAILABLE:
        return {}
    program = build(instance, bonus=0.0)
    h = _highs(program, instance.rules, relax=True)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return {}
    duals = h.getSolution().row_dual
    return {
        key: abs(float(duals[r]))
        for r, (family, key) in enumerate(program.row_kind)
        if family == "line"
    }
