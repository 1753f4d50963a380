"""Budget optimiser benchmark: the MILP against the greedy baseline on one generated plan.

    .venv/bin/python bench/optimiser_bench.py                       # 30,000 needs × 3 forms
    .venv/bin/python bench/optimiser_bench.py --needs 3000 --seed 2 --time-limit 20

The instance (issue 11): N candidate needs of ~N/2.5 employees in 50 units, each need with
3 forms (its item's classical form with an event's seats and a provider's capacity, e-learning
and mentoring at their own cost and expected effect), 10 budget lines over 4 funding sources
holding about a third of what funding every need classically would cost, a JP ceiling of 60 per
employee, the soft "everyone below 20 JP gets an activity" rule, 30 % non-classical forms.
Reports the solver's status, optimality gap, time and peak RSS, and the gap closed by the
solver and by the greedy priority-per-rupiah baseline for the same money, measured in the same
run. Targets: optimal or within 1 % in ≤ 60 s, peak RSS ≤ 1 GiB; exit code 1 when missed.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.optimiser import greedy, solver  # noqa: E402
from app.optimiser.check import violations  # noqa: E402
from app.optimiser.model import (  # noqa: E402
    OPTIMAL,
    TIME_LIMIT,
    Capacity,
    Employee,
    Instance,
    Line,
    Need,
    Option,
    Rules,
)

SECONDS = 60.0
GAP = 0.01
RSS_MIB = 1024


def generate(needs: int, seed: int, time_limit: float) -> Instance:
    rng = random.Random(seed)
    units = 50
    sources = ["apbd"] * 6 + ["apbn"] * 2 + ["dak", "partner"]
    line_of_unit = {u: u % 10 for u in range(units)}
    employees = max(needs * 2 // 5, 1)
    unit_of = [rng.randrange(units) for _ in range(employees)]
    events = [Capacity(f"E{i}", f"Event {i}", rng.randint(20, 80)) for i in range(400)]
    providers = [Capacity(f"P{i}", f"Provider {i}", rng.randint(300, 1500)) for i in range(30)]
    need_rows: list[Need] = []
    options: list[Option] = []
    classical_total = 0
    for i in range(needs):
        employee = rng.randrange(employees)
        line = f"L{line_of_unit[unit_of[employee]]}"
        gap = rng.uniform(0.5, 3.0)
        need_rows.append(
            Need(
                f"n{i}", f"e{employee}", gap, rng.uniform(0.5, 2.0), mandatory=rng.random() < 0.002
            )
        )
        cost = rng.randint(10, 60) * 100_000
        classical_total += cost
        options.append(
            Option(f"n{i}", "classical", cost, rng.uniform(0.7, 0.9), rng.choice([24, 32, 40]),
                   line, f"E{rng.randrange(400)}", f"P{rng.randrange(30)}")
        )  # fmt: skip
        options.append(
            Option(f"n{i}", "e_learning", rng.randint(2, 5) * 100_000, rng.uniform(0.35, 0.5),
                   20, line, non_classical=True)
        )  # fmt: skip
        options.append(
            Option(f"n{i}", "mentoring", rng.randint(1, 4) * 100_000, rng.uniform(0.45, 0.6),
                   16, line, provider=f"P{rng.randrange(30)}", non_classical=True)
        )  # fmt: skip
    weights = [rng.uniform(0.5, 1.5) for _ in range(10)]
    lines = [
        Line(f"L{k}", f"Line {k}", sources[k], int(classical_total / 3 * w / sum(weights)))
        for k, w in enumerate(weights)
    ]
    return Instance(
        need_rows,
        options,
        lines,
        events,
        providers,
        [Employee(f"e{e}", jp_done=rng.choice([0, 0, 8, 16, 24, 40])) for e in range(employees)],
        Rules(jp_ceiling=60.0, min_jp=20.0, non_classical_share=0.3, time_limit=time_limit,
              mip_gap=GAP),
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=55.0, help="solver limit (s)")
    args = parser.parse_args()

    started = time.perf_counter()
    instance = generate(args.needs, args.seed, args.time_limit)
    generated = time.perf_counter() - started
    print(f"instance: {len(instance.needs):,} needs, {len(instance.options):,} options, "
          f"{len(instance.employees):,} employees, {len(instance.lines)} lines, "
          f"budget Rp {sum(x.amount for x in instance.lines):,} ({generated:.1f} s to generate)")  # fmt: skip

    started = time.perf_counter()
    baseline = greedy.solve_greedy(instance)
    greedy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = solver.solve(instance)
    total = time.perf_counter() - started
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    bad = violations(instance, result.chosen)
    gap = result.gap if result.gap is not None else float("nan")
    print(f"solver: {result.solver}, status {result.status}, optimality gap {100 * gap:.3f} %, "
          f"{total:.1f} s (model build + solve + check), peak RSS {rss_mib:.0f} MiB")  # fmt: skip
    print(f"greedy: {greedy_seconds:.1f} s")
    print(f"gap closed: solver {result.gap_closed:,.1f} for Rp {result.cost:,}; "
          f"greedy {baseline.gap_closed:,.1f} for Rp {baseline.cost:,}")  # fmt: skip
    more = result.gap_closed / baseline.gap_closed if baseline.gap_closed else float("nan")
    print(f"ratio solver/greedy gap closed: {more:.3f} ({100 * (more - 1):+.1f} %); "
          f"needs funded {len(result.chosen):,} vs {len(baseline.chosen):,}")  # fmt: skip
    print(f"rule violations in the solver's plan: {len(bad)}")
    ok = (
        result.status in (OPTIMAL, TIME_LIMIT)
        and (result.status == OPTIMAL or gap <= GAP)
        and total <= SECONDS
        and rss_mib <= RSS_MIB
        and not bad
    )
    print("targets (≤ 1 % gap, ≤ 60 s, ≤ 1 GiB, no violation):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
