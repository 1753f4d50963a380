"""`flask plan optimise --instansi CODE --year YEAR [--budget-scale 0.8] [--partner 0]`."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.extensions import db
from app.optimiser import services
from app.org.models import Instansi
from app.planning import services as plan_services
from app.planning.audit import SYSTEM


@click.group("plan")
def cli() -> None:
    """Development plan tools."""


@cli.command("optimise")
@click.option("--instansi", "code", required=True, help="Code of the instansi.")
@click.option("--year", type=int, required=True)
@click.option("--budget-scale", type=float, default=1.0, show_default=True)
@click.option("--partner", type=int, default=0, show_default=True, help="Partner funding (Rp).")
@click.option("--name", default="", help="Scenario name (default from the figures).")
def optimise(code: str, year: int, budget_scale: float, partner: int, name: str) -> None:
    """Run a scenario of the budget optimiser on the latest revision and print its figures."""
    instansi = db.session.scalar(select(Instansi).where(Instansi.code == code))
    if instansi is None:
        raise click.ClickException(f"unknown instansi {code!r}")
    plan = plan_services.plan_for(instansi.id, year)
    revision = plan_services.latest_revision(plan.id) if plan else None
    if revision is None:
        raise click.ClickException(f"no plan for {code} {year}: draft it first")
    label = name or f"CLI ×{budget_scale:g}" + (f" +{partner:,}" if partner else "")
    scenario = services.create_scenario(revision, label, budget_scale, partner, SYSTEM)
    services.run(scenario.id)
    scenario = services.reload(scenario.id)
    click.echo(f"scenario {scenario.id} {scenario.name}: {scenario.status.value}")
    click.echo(f"solver {scenario.solver} ({scenario.solver_status}) in {scenario.seconds:.1f} s")
    if scenario.optimality_gap is not None:
        click.echo(f"optimality gap {100 * scenario.optimality_gap:.3f} %")
    click.echo(
        f"needs funded {scenario.needs_funded}/{scenario.needs_total}, items {scenario.items_funded}, "
        f"employees reached {scenario.employees_reached}/{scenario.employees_total}"
    )
    click.echo(
        f"gap closed {scenario.gap_closed:.2f} of {scenario.gap_total:.2f} "
        f"(greedy {scenario.greedy_gap_closed:.2f}), cost Rp {scenario.cost:,} of Rp {scenario.budget:,}"
    )
    for note in services.load_notes(scenario.conflicts):
        click.echo(f"conflict: {note.code} {note.params}")
