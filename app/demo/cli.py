"""`flask demo seed`: build the demo data set (refuses to touch a non-empty database unless told)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

cli = AppGroup("demo", help="Demo data.")


@cli.command("seed")
@click.option(
    "--employees",
    default=300,
    show_default=True,
    type=click.IntRange(min=40),
    help="Employees across both regional governments.",
)
@click.option("--reset", is_flag=True, help="Delete all existing data first.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
def seed(employees: int, reset: bool, if_empty: bool, random_seed: int) -> None:
    """Two regional governments with OPD trees, positions, employees and one login per role."""
    # Imported here: Faker takes time and memory that serving requests never needs; it is an
    # optional dependency (the "demo" extra), absent from a production install.
    try:
        from app.demo.seed import DEMO_PASSWORD, database_is_empty, reset_database, seed_demo
    except ModuleNotFoundError as error:
        raise click.ClickException(
            f"Demo data needs the demo extra ({error.name} is missing): pip install -e '.[demo]'"
        ) from None

    if not database_is_empty():
        if if_empty:
            click.echo("Database already has data; demo seed skipped.")
            return
        if not reset:
            raise click.ClickException(
                "The database is not empty; use --reset to replace its data."
            )
        reset_database()
    started = time.perf_counter()
    result = seed_demo(employees, random_seed)
    click.echo(
        f"Seeded {result.instansi} instansi, {result.units} units, {result.positions} positions, "
        f"{result.employees} employees in {time.perf_counter() - started:.1f} s."
    )
    click.echo(f"Demo logins (password '{DEMO_PASSWORD}'):")
    for email in result.logins:
        click.echo(f"  {email}")
