"""The pure model: a hand-solved instance, every rule held, infeasible rules named, time-outs."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.optimiser import greedy, solver
from app.optimiser.check import violations
from app.optimiser.model import (
    GREEDY,
    INFEASIBLE,
    OPTIMAL,
    TIME_LIMIT,
    Capacity,
    Employee,
    Instance,
    InvalidInstance,
    Line,
    Need,
    Option,
    Rules,
)

M = 1_000_000


def small(**rules: object) -> Instance:
    """Three needs, one 10 M line. Values (weight × gap × effect) and costs:

    A classical 1.6 for 6 M, A e-learning 0.8 for 1 M, B classical 1.6 for 5 M,
    B mentoring 1.0 for 2 M, C classical 0.8 for 4 M.
    Within 10 M the best is A e-learning + B classical + C (3.2 for 10 M); greedy by priority
    per rupiah takes A e-learning, B mentoring, C (2.6 for 7 M) and then nothing else fits."""
    needs = [
        Need("A", "e1", gap=2.0, weight=1.0, label="A"),
        Need("B", "e2", gap=1.0, weight=2.0, label="B"),
        Need("C", "e3", gap=1.0, weight=1.0, label="C"),
    ]
    options = [
        Option("A", "classical", 6 * M, 0.8, jp=40, line="L1", label="A classical"),
        Option("A", "e_learning", 1 * M, 0.4, jp=10, line="L1", non_classical=True),
        Option("B", "classical", 5 * M, 0.8, jp=40, line="L1"),
        Option("B", "mentoring", 2 * M, 0.5, jp=16, line="L1", non_classical=True),
        Option("C", "classical", 4 * M, 0.8, jp=24, line="L1", label="C classical"),
    ]
    base = {"min_jp": 0.0, "jp_ceiling": None, "time_limit": 10.0, "mip_gap": 0.0}
    base.update(rules)
    return Instance(
        needs=needs,
        options=options,
        lines=[Line("L1", "Dinas Kesehatan APBD", "apbd", 10 * M)],
        employees=[Employee("e1"), Employee("e2"), Employee("e3")],
        rules=Rules(**base),  # type: ignore[arg-type]
    )


def test_hand_solved_optimum_beats_greedy() -> None:
    instance = small()
    result = solver.solve(instance)
    assert result.status == OPTIMAL
    assert result.chosen == {"A": 1, "B": 2, "C": 4}
    assert result.gap_closed == pytest.approx(3.2)
    assert result.cost == 10 * M
    assert result.gap == pytest.approx(0.0, abs=1e-6)
    baseline = greedy.solve_greedy(instance)
    assert baseline.chosen == {"A": 1, "B": 3, "C": 4}
    assert baseline.gap_closed == pytest.approx(2.6)


def test_non_classical_share_and_jp_ceiling() -> None:
    shared = solver.solve(small(non_classical_share=0.5))
    assert shared.gap_closed == pytest.approx(2.6)
    assert not violations(small(non_classical_share=0.5), shared.chosen)
    # A ceiling of 30 JP rules out the 40 JP classical courses: B takes mentoring.
    ceiling = solver.solve(small(jp_ceiling=30.0))
    assert ceiling.chosen == {"A": 1, "B": 3, "C": 4}


def test_event_quota_and_reach_rule() -> None:
    instance = small(min_jp=20.0, reach_weight=5.0)
    instance.employees = [Employee("e1", jp_done=30), Employee("e2"), Employee("e3")]
    instance.events = [Capacity("ev", "Latsar batch 1", 1)]
    instance.options[2] = Option("B", "classical", 5 * M, 0.8, jp=40, line="L1", event="ev")
    instance.options[4] = Option("C", "classical", 4 * M, 0.8, jp=24, line="L1", event="ev")
    result = solver.solve(instance)
    assert not violations(instance, result.chosen)
    # One seat for B classical or C: both e2 and e3 are below 20 JP and must be reached, so
    # B mentoring (2 M) + C (4 M) + A classical (6 M) cannot all fit: A e-learning.
    assert result.chosen == {"A": 1, "B": 3, "C": 4}


def test_mandatory_costing_more_than_the_line_is_named() -> None:
    instance = small()
    instance.needs[2] = Need("C", "e3", 1.0, mandatory=True, label="C")
    instance.lines = [Line("L1", "Dinas Kesehatan APBD", "apbd", 3 * M)]
    result = solver.solve(instance)
    assert result.status == INFEASIBLE
    assert not result.chosen
    [conflict] = result.conflicts
    assert conflict.code == "mandatory_over_line"
    assert conflict.params["line"] == "Dinas Kesehatan APBD"
    assert conflict.params["cost"] == 4 * M


def test_conflict_between_mandatory_and_share_is_diagnosed() -> None:
    instance = small(non_classical_share=1.0)
    instance.needs[2] = Need("C", "e3", 1.0, mandatory=True, label="C")
    result = solver.solve(instance)
    assert result.status == INFEASIBLE
    assert result.conflicts[0].code == "rules_conflict"
    assert result.conflicts[0].params["rules"] == ["mandatory", "non_classical_share"]


@pytest.mark.parametrize(
    ("cost", "code"), [(-5, "negative_cost"), (None, "missing_cost")], ids=["negative", "missing"]
)
def test_bad_costs_are_refused_with_the_item_named(cost: int | None, code: str) -> None:
    instance = small()
    instance.options[0] = Option("A", "classical", cost, 0.8, line="L1", label="Latsar A")
    with pytest.raises(InvalidInstance) as refused:
        solver.solve(instance)
    [problem] = refused.value.problems
    assert problem.code == code and problem.params["item"] == "Latsar A"


def test_missing_solver_falls_back_to_labelled_greedy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "HIGHS_AVAILABLE", False)
    result = solver.solve(small())
    assert result.status == GREEDY and result.solver == "greedy"
    assert [n.code for n in result.notes] == ["solver_missing"]
    assert result.gap_closed == pytest.approx(2.6)


def hard(seed: int, needs: int = 600) -> Instance:
    """Strongly correlated knapsacks over coupled lines and events: slow to prove optimal."""
    rng = random.Random(seed)
    lines = [Line(f"L{i}", f"Line {i}", "apbd" if i % 2 else "apbn", 0) for i in range(6)]
    events = [Capacity(f"E{i}", f"Event {i}", rng.randint(20, 60)) for i in range(8)]
    need_rows, options = [], []
    for i in range(needs):
        need_rows.append(Need(f"n{i}", f"e{i % 300}", gap=rng.uniform(0.5, 3), weight=1.0))
        for form in ("classical", "e_learning", "mentoring"):
            cost = rng.randint(200, 5000) * 1000
            options.append(
                Option(
                    f"n{i}",
                    form,
                    cost,
                    min(1.0, cost / 5_000_000 + rng.uniform(0, 0.02)),
                    jp=rng.choice([8, 16, 24, 40]),
                    line=f"L{rng.randrange(6)}",
                    event=f"E{rng.randrange(8)}" if form == "classical" else None,
                    non_classical=form != "classical",
                )
            )
    total = sum(o.cost or 0 for o in options)
    lines = [Line(x.key, x.name, x.source, total // 30) for x in lines]
    return Instance(
        need_rows,
        options,
        lines,
        events=events,
        employees=[Employee(f"e{i}", jp_done=rng.choice([0, 10, 30])) for i in range(300)],
        rules=Rules(
            jp_ceiling=60.0,
            non_classical_share=0.3,
            source_caps={"apbd": total // 70},
            time_limit=0.3,
            mip_gap=0.0,
        ),
    )


def test_time_limit_returns_the_best_plan_with_its_gap() -> None:
    instance = hard(1)
    result = solver.solve(instance)
    assert result.status == TIME_LIMIT
    assert result.chosen and not violations(instance, result.chosen)
    assert result.gap is not None and result.gap > 0
    assert result.bound is not None and result.bound >= result.objective
    assert "time_limit" in [n.code for n in result.notes]


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_lines = draw(st.integers(1, 3))
    lines = [
        Line(
            f"L{i}",
            f"Line {i}",
            draw(st.sampled_from(["apbd", "partner"])),
            draw(st.integers(0, 20)) * M,
        )
        for i in range(n_lines)
    ]
    events = [Capacity(f"E{i}", f"Event {i}", draw(st.integers(0, 3))) for i in range(2)]
    providers = [Capacity("P0", "Provider", draw(st.integers(0, 5)))]
    n_emp = draw(st.integers(1, 4))
    employees = [
        Employee(f"e{i}", jp_done=draw(st.sampled_from([0.0, 10.0, 25.0]))) for i in range(n_emp)
    ]
    needs, options = [], []
    for i in range(draw(st.integers(1, 8))):
        needs.append(
            Need(
                f"n{i}",
                f"e{draw(st.integers(0, n_emp - 1))}",
                gap=draw(st.floats(0.1, 3.0)),
                weight=draw(st.floats(0.5, 2.0)),
                mandatory=draw(st.booleans()) and draw(st.booleans()),
            )
        )
        for _ in range(draw(st.integers(0, 3))):
            options.append(
                Option(
                    f"n{i}",
                    "form",
                    draw(st.integers(0, 8)) * M,
                    draw(st.floats(0.0, 1.0)),
                    jp=draw(st.sampled_from([0.0, 8.0, 24.0, 40.0])),
                    line=f"L{draw(st.integers(0, n_lines - 1))}",
                    event=draw(st.sampled_from([None, "E0", "E1"])),
                    provider=draw(st.sampled_from([None, "P0"])),
                    non_classical=draw(st.booleans()),
                )
            )
    rules = Rules(
        jp_ceiling=draw(st.sampled_from([None, 40.0, 60.0])),
        min_jp=20.0,
        non_classical_share=draw(st.sampled_from([0.0, 0.3, 0.5])),
        source_caps=draw(st.sampled_from([{}, {"apbd": 6 * M}])),
        time_limit=5.0,
        mip_gap=0.0,
    )
    return Instance(needs, options, lines, events, providers, employees, rules)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_every_solution_respects_every_rule(instance: Instance) -> None:
    result = solver.solve(instance)
    if result.status == INFEASIBLE:
        assert result.conflicts and not result.chosen
        return
    assert not violations(instance, result.chosen)
    baseline, complete = greedy.choose(instance)
    if complete and not violations(instance, baseline):
        # The solver never does worse than the greedy start it was given.
        assert result.objective >= greedy.solve_greedy(instance).objective - 1e-6
