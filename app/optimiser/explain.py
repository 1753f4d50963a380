"""Why each need was funded or not: priority per rupiah and the binding rule, as notes.

Pure like the model: it reads the instance and the solution. A funded need is explained by the
rule that forced it (mandatory, the minimum-JP rule) or its gap closed per million rupiah and
its rank; an unfunded need by the rule its best option would break if added to the plan (the
line exhausted, the event's seats taken, the provider's capacity, the employee's JP ceiling,
the non-classical share), or, when it would fit, by the solver's tolerance.
"""

from __future__ import annotations

from app.optimiser.check import Usage
from app.optimiser.greedy import ratio
from app.optimiser.model import Indexed, Instance, Need, Note, Solution

MILLION = 1_000_000


def per_million(value: float, cost: int | None) -> float:
    """Gap closed per million rupiah (infinite for a free option)."""
    return ratio(value, cost) * MILLION


def explain(instance: Instance, solution: Solution) -> dict[str, tuple[int | None, Note]]:
    """Need key → (option index shown: the chosen one, else the best per rupiah; its note)."""
    index = Indexed(instance)
    options = instance.options
    usage = Usage(index)
    for j in solution.chosen.values():
        usage.add(j)
    funded_ratios = sorted(
        (per_million(index.values[j], options[j].cost) for j in solution.chosen.values()),
        reverse=True,
    )
    rank = {value: position + 1 for position, value in reversed(list(enumerate(funded_ratios)))}
    below = set(index.below_min())
    per_employee: dict[str, int] = {}
    for key in solution.chosen:
        employee = index.needs[key].employee
        per_employee[employee] = per_employee.get(employee, 0) + 1
    found: dict[str, tuple[int | None, Note]] = {}
    for need in instance.needs:
        js = index.by_need[need.key]
        chosen = solution.chosen.get(need.key)
        if chosen is not None:
            found[need.key] = (chosen, _funded(index, need, chosen, rank, below, per_employee))
            continue
        if not js:
            found[need.key] = (None, Note("no_option"))
            continue
        best = max(js, key=lambda j: (per_million(index.values[j], options[j].cost), -j))
        if index.values[best] <= 0:
            found[need.key] = (best, Note("no_effect"))
            continue
        fitting = [j for j in js if usage.blocker(j) is None]
        if not fitting:
            found[need.key] = (best, usage.blocker(best) or Note("within_tolerance"))
            continue
        j = max(fitting, key=lambda j: (per_million(index.values[j], options[j].cost), -j))
        usage.add(j)
        share_ok = usage.share_ok()
        usage.add(j, -1)
        if not share_ok:
            found[need.key] = (j, Note("share_rule", {"share": instance.rules.non_classical_share}))
        else:
            found[need.key] = (j, Note("within_tolerance"))
    return found


def _funded(
    index: Indexed,
    need: Need,
    j: int,
    rank: dict[float, int],
    below: set[str],
    per_employee: dict[str, int],
) -> Note:
    if need.mandatory:
        return Note("funded_mandatory")
    option = index.instance.options[j]
    value = per_million(index.values[j], option.cost)
    params = {"ratio": value, "rank": rank.get(value, 0), "of": len(rank)}
    if need.employee in below and per_employee.get(need.employee) == 1:
        return Note("funded_reach", {**params, "min_jp": index.instance.rules.min_jp})
    return Note("funded_ratio", params)
