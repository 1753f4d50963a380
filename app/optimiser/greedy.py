"""The greedy baseline: fund options in order of priority per rupiah while they fit.

Mandatory needs first (their cheapest option that fits), then one activity for each employee
below the minimum JP (their best option per rupiah), then every other option by priority per
rupiah. If the non-classical share is not met, the classical options with the lowest priority
per rupiah are given up and non-classical ones added until it is. It is what HR would do by
hand, the benchmark's baseline, and the labelled fallback when the solver is not installed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from app.optimiser.check import Usage, totals
from app.optimiser.model import GREEDY, Indexed, Instance, Solution

INFINITE = float("inf")


def ratio(value: float, cost: int | None) -> float:
    return INFINITE if not cost else value / cost


def choose(
    instance: Instance,
    index: Indexed | None = None,
    start: dict[str, int] | None = None,
    lp: Sequence[float] | None = None,
) -> tuple[dict[str, int], bool]:
    """The greedy choice and whether every mandatory need got an option.

    With `start` (options already chosen, e.g. the integral part of the LP relaxation) and
    `lp` (the relaxation's values), it completes that choice, preferring options the LP
    relaxation leaned to; without, it is the plain priority-per-rupiah baseline."""
    index = index or Indexed(instance)
    options = instance.options
    usage = Usage(index)
    chosen: dict[str, int] = {}
    complete = True

    def take(j: int) -> None:
        chosen[options[j].need] = j
        usage.add(j)

    for j in (start or {}).values():
        if options[j].need not in chosen and usage.blocker(j) is None:
            take(j)

    def rank(j: int) -> tuple[float, float, int]:
        return (-(lp[j] if lp is not None else 0.0), -ratio(index.values[j], options[j].cost), j)

    for need in instance.needs:
        if not need.mandatory or need.key in chosen:
            continue
        fitting = [j for j in index.by_need[need.key] if usage.blocker(j) is None]
        if fitting and lp is not None:
            take(min(fitting, key=rank))
        elif fitting:
            take(min(fitting, key=lambda j: (options[j].cost or 0, -index.values[j])))
        else:
            complete = False

    order = sorted(range(len(options)), key=rank)
    reached = {index.needs[k].employee for k in chosen}
    for employee in index.below_min():
        if employee in reached:
            continue
        for j in sorted(index.by_employee[employee], key=rank):
            if options[j].need not in chosen and usage.blocker(j) is None:
                take(j)
                reached.add(employee)
                break
    for j in order:
        if options[j].need not in chosen and index.values[j] > 0 and usage.blocker(j) is None:
            take(j)
    if not usage.share_ok():
        _restore_share(index, usage, chosen, order)
    return chosen, complete


def _restore_share(index: Indexed, usage: Usage, chosen: dict[str, int], order: list[int]) -> None:
    """Add non-classical options that fit, then give up the weakest classical ones (trying a
    non-classical form for the same need instead) until the share holds; linear in the options."""
    options = index.instance.options

    def try_add(js: list[int]) -> None:
        for j in js:
            if options[j].need not in chosen and usage.blocker(j) is None:
                chosen[options[j].need] = j
                usage.add(j)

    spare = [j for j in order if options[j].non_classical and index.values[j] > 0]
    try_add(spare)
    classical = [
        j
        for j in reversed(order)
        if chosen.get(options[j].need) == j
        and not options[j].non_classical
        and not index.needs[options[j].need].mandatory
    ]
    for j in classical:
        if usage.share_ok():
            break
        del chosen[options[j].need]
        usage.add(j, -1)
        try_add([k for k in index.by_need[options[j].need] if options[k].non_classical])
    if usage.share_ok():
        try_add(spare)  # budget the removals freed; added options are non-classical


def solve_greedy(instance: Instance) -> Solution:
    started = time.perf_counter()
    chosen, _complete = choose(instance)
    gap, cost, reached = totals(instance, chosen)
    bonus = instance.reach_bonus()
    return Solution(
        status=GREEDY,
        solver="greedy",
        chosen=chosen,
        objective=gap + bonus * reached,
        gap_closed=gap,
        cost=cost,
        seconds=time.perf_counter() - started,
    )
