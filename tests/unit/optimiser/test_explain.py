"""Explanations name the binding rule; shadow values match a re-solve with more money."""

from __future__ import annotations

import dataclasses

import pytest

from app.optimiser import solver
from app.optimiser.explain import explain
from app.optimiser.model import Capacity, Line, Option
from tests.unit.optimiser.test_model import M, small


def test_unfunded_needs_name_the_exhausted_line_and_the_full_event():
    instance = small()
    instance.lines = [Line("L1", "Dinas Kesehatan APBD", "apbd", 4 * M)]
    instance.events = [Capacity("ev", "Latsar angkatan 1", 0)]
    # C can only take a seat of the full event; B's options only fit a line that is spent.
    instance.options[4] = Option("C", "classical", 1 * M, 0.8, line="L1", event="ev")
    result = solver.solve(instance)
    notes = {key: note for key, (_j, note) in explain(instance, result).items()}
    assert notes["C"].code == "event_full"
    assert notes["C"].params["event"] == "Latsar angkatan 1"
    unfunded = [k for k in ("A", "B") if k not in result.chosen]
    for key in unfunded:
        assert notes[key].code == "line_full"
        assert notes[key].params["line"] == "Dinas Kesehatan APBD"
    for key in result.chosen:
        assert notes[key].code.startswith("funded_")


def test_shadow_value_is_the_gain_of_one_more_million():
    instance = small()
    instance.lines = [Line("L1", "Dinas Kesehatan APBD", "apbd", int(7.5 * M))]
    shadow = solver.shadow_values(instance)["L1"]
    assert shadow > 0

    def lp_value(amount: int) -> float:
        copy = dataclasses.replace(instance, lines=[Line("L1", "x", "apbd", amount)])
        program = solver.build(copy, bonus=0.0)
        h = solver._highs(program, copy.rules, relax=True)
        h.run()
        return float(h.getInfo().objective_function_value)

    gain = lp_value(int(7.6 * M)) - lp_value(int(7.5 * M))
    assert shadow == pytest.approx(gain / 0.1, rel=1e-6)
