"""`flask needs …`: recompute the analysis from the command line (e.g. from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.needs import services
from app.org.models import Instansi

cli = AppGroup("needs", help="Competency needs analysis.")


@cli.command("recompute")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="Cycle year.")
@click.option("--instansi", "code", default=None, help="Instansi code (default: every instansi).")
def recompute_command(year: int, code: str | None) -> None:
    """Recompute gaps, priorities, JPM and needs of a cycle from the raw survey answers."""
    query = select(Instansi).order_by(Instansi.code)
    if code:
        query = query.where(Instansi.code == code)
    targets = list(db.session.scalars(query))
    if not targets:
        raise click.ClickException(f"No instansi with code '{code}'." if code else "No instansi.")
    for instansi in targets:
        summary = services.recompute(instansi.id, year)
        click.echo(
            f"{instansi.code} {year}: {summary.employees} employees, {summary.gaps} scores, "
            f"{summary.needs} needs, {summary.issues} skip notes, {summary.statements} statements, "
            f"{summary.duration_ms} ms"
        )
