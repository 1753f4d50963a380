"""The optimisation instance and its solution as plain dataclasses (no database, no Flask).

An instance lists needs (one employee, one competency gap), and for each need the options that
could serve it: a form with its cost, expected effect, JP, budget line, and optionally the event
whose seats it takes and the provider whose capacity it uses. Choosing option j of need i
closes `need.weight × need.gap × option.effect` of priority-weighted gap.

Messages are codes with parameters (`Note`), formatted for people by `app.optimiser.messages`,
so these modules stay testable without a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Statuses of a solution.
OPTIMAL = "optimal"  # proven optimal (within the requested gap)
TIME_LIMIT = "time_limit"  # stopped at the time limit: best plan found, with its gap
GREEDY = "greedy"  # the solver is not installed: the greedy baseline, labelled as such
INFEASIBLE = "infeasible"  # the rules cannot all hold; `conflicts` says which

STATUSES = (OPTIMAL, TIME_LIMIT, GREEDY, INFEASIBLE)


@dataclass(frozen=True)
class Need:
    key: str
    employee: str
    gap: float  # competency gap in levels (> 0)
    weight: float = 1.0  # stakeholder importance of the competency for the unit
    mandatory: bool = False  # always funded (e.g. leadership training of a new official)
    label: str = ""


@dataclass(frozen=True)
class Option:
    need: str
    form: str
    cost: int | None  # rupiah for this one participant; None = unknown (refused)
    effect: float  # share of the gap this form is expected to close, 0..1
    jp: float = 0.0
    line: str | None = None  # the budget line that pays; None only when the cost is 0
    event: str | None = None  # the event whose seats it takes
    provider: str | None = None  # the provider whose capacity it uses
    non_classical: bool = False
    label: str = ""  # item title, for messages


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    source: str  # funding source (apbd, apbn, dak, partner, other)
    amount: int


@dataclass(frozen=True)
class Capacity:
    """An event's free seats or a provider's capacity (participants in the year)."""

    key: str
    name: str
    limit: int


@dataclass(frozen=True)
class Employee:
    key: str
    name: str = ""
    jp_done: float = 0.0  # JP already recorded in the plan year


@dataclass(frozen=True)
class Rules:
    jp_ceiling: float | None = 80.0  # planned + recorded JP per employee per year
    min_jp: float = 20.0  # everyone below this gets at least one activity where budget allows
    reach_weight: float | None = None  # bonus per such employee reached; None: 10 × best value
    non_classical_share: float = 0.0  # minimum share of funded activities in non-classical forms
    source_caps: dict[str, int] = field(default_factory=dict)  # total per funding source
    time_limit: float = 60.0  # seconds
    mip_gap: float = 0.01  # relative optimality gap at which the solver may stop


@dataclass
class Instance:
    needs: list[Need]
    options: list[Option]
    lines: list[Line]
    events: list[Capacity] = field(default_factory=list)
    providers: list[Capacity] = field(default_factory=list)
    employees: list[Employee] = field(default_factory=list)
    rules: Rules = field(default_factory=Rules)

    def need_map(self) -> dict[str, Need]:
        return {n.key: n for n in self.needs}

    def value(self, option: Option, needs: dict[str, Need] | None = None) -> float:
        """Priority-weighted gap closed by choosing `option`."""
        need = (needs or self.need_map())[option.need]
        return need.weight * need.gap * option.effect

    def reach_bonus(self) -> float:
        if self.rules.reach_weight is not None:
            return self.rules.reach_weight
        needs = self.need_map()
        best = max((self.value(o, needs) for o in self.options), default=0.0)
        return 10.0 * best


@dataclass(frozen=True)
class Note:
    """A message as a code and its parameters (formatted by app.optimiser.messages)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


class InvalidInstance(ValueError):
    """Bad input (a negative or missing cost, an unknown line): each problem names the item."""

    def __init__(self, problems: list[Note]):
        super().__init__("; ".join(f"{p.code} {p.params}" for p in problems))
        self.problems = problems


@dataclass
class Solution:
    status: str
    solver: str  # "HiGHS 1.x" or "greedy"
    chosen: dict[str, int] = field(default_factory=dict)  # need key → option index
    objective: float = 0.0  # what the solver maximised (gap closed + reach bonus)
    gap_closed: float = 0.0  # priority-weighted gap closed
    cost: int = 0
    bound: float | None = None  # best bound on the objective, when the solver proved one
    gap: float | None = None  # relative optimality gap (0 when optimal)
    seconds: float = 0.0
    conflicts: list[Note] = field(default_factory=list)  # for an infeasible instance
    notes: list[Note] = field(default_factory=list)  # e.g. "time limit reached"

    @property
    def feasible(self) -> bool:
        return self.status != INFEASIBLE


def validate(instance: Instance) -> None:
    """Refuse negative or missing costs, effects outside 0..1 and unknown keys, naming the item."""
    problems: list[Note] = []
    needs = instance.need_map()
    lines = {line.key for line in instance.lines}
    events = {e.key for e in instance.events}
    providers = {p.key for p in instance.providers}
    for line in instance.lines:
        if line.amount is None or line.amount < 0:
            problems.append(Note("line_amount", {"line": line.name}))
    for option in instance.options:
        item = option.label or option.need
        if option.need not in needs:
            problems.append(Note("unknown_need", {"item": item}))
            continue
        if option.cost is None:
            problems.append(Note("missing_cost", {"item": item, "form": option.form}))
        elif option.cost < 0:
            problems.append(
                Note("negative_cost", {"item": item, "form": option.form, "cost": option.cost})
            )
        elif option.cost > 0 and option.line not in lines:
            problems.append(Note("no_line", {"item": item, "form": option.form}))
        if not 0.0 <= option.effect <= 1.0:
            problems.append(Note("effect_range", {"item": item, "form": option.form}))
        if option.jp < 0:
            problems.append(Note("negative_jp", {"item": item, "form": option.form}))
        if option.event is not None and option.event not in events:
            problems.append(Note("unknown_event", {"item": item}))
        if option.provider is not None and option.provider not in providers:
            problems.append(Note("unknown_provider", {"item": item}))
    for need in instance.needs:
        if need.gap < 0 or need.weight < 0:
            problems.append(Note("negative_gap", {"item": need.label or need.key}))
    share = instance.rules.non_classical_share
    if not 0.0 <= share <= 1.0:
        problems.append(Note("share_range", {"share": share}))
    if problems:
        unique = {(p.code, tuple(sorted(p.params.items()))): p for p in problems}
        raise InvalidInstance(list(unique.values())[:50])


class Indexed:
    """Lookups every algorithm needs: options per need and employee, lines by key, sources."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.needs = instance.need_map()
        self.lines = {line.key: line for line in instance.lines}
        self.events = {e.key: e for e in instance.events}
        self.providers = {p.key: p for p in instance.providers}
        self.employees = {e.key: e for e in instance.employees}
        self.by_need: dict[str, list[int]] = {n.key: [] for n in instance.needs}
        self.by_employee: dict[str, list[int]] = {}
        for j, option in enumerate(instance.options):
            self.by_need[option.need].append(j)
            employee = self.needs[option.need].employee
            self.by_employee.setdefault(employee, []).append(j)
        self.values = [instance.value(o, self.needs) for o in instance.options]

    def source_of(self, option: Option) -> str | None:
        line = self.lines.get(option.line or "")
        return line.source if line else None

    def jp_room(self, employee: str) -> float | None:
        """JP an employee may still take this year (None: no ceiling)."""
        ceiling = self.instance.rules.jp_ceiling
        if ceiling is None:
            return None
        done = self.employees[employee].jp_done if employee in self.employees else 0.0
        return ceiling - done

    def below_min(self) -> list[str]:
        """Employees below the minimum JP who have at least one option."""
        floor = self.instance.rules.min_jp
        if floor <= 0:
            return []
        return [
            e
            for e in self.by_employee
            if (self.employees[e].jp_done if e in self.employees else 0.0) < floor
        ]
