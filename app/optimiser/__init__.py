"""Plan within the budget: choose which needs to fund, and by which form, with a MILP solver.

`model` holds the plain dataclasses of an instance and its solution, `solver` builds the
mixed-integer program and solves it with HiGHS, `greedy` is the priority-per-rupiah baseline
(and the labelled fallback when the solver is missing), `check` verifies a solution against
every rule. These four are pure: no database, no Flask.
"""
