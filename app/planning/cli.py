"""`flask plan ...`: list, draft and export development plans (for the scheduler and checks)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, true

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Instansi
from app.planning import documents, publishing, queries, services
from app.planning.audit import SYSTEM

cli = AppGroup("plan", help="Annual competency development plans (RPK).")


def _instansi(code: str) -> Instansi:
    instansi = db.session.scalar(select(Instansi).where(Instansi.code == code))
    if instansi is None:
        raise click.BadParameter(f"no instansi with code {code!r}", param_hint="--instansi")
    return instansi


@cli.command("list")
def list_command() -> None:
    """One line per plan: instansi code, year, status, items, total budget."""
    rows = queries.plan_list(true())
    if not rows:
        click.echo("No plan yet.")
    for row in rows:
        status = row.revision.status.value if row.revision else "-"
        number = f" rev {row.revision.number}" if row.revision and row.revision.number else ""
        click.echo(
            f"{row.instansi.code}\t{row.plan.year}\t{status}{number}\t"
            f"{row.items} items\t{services.rupiah(row.cost)}"
        )


@cli.command("draft")
@click.option("--instansi", "code", required=True, help="Bangkom code of the instansi.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
def draft_command(code: str, year: int) -> None:
    """Build or refresh the draft plan of an instansi from its accepted needs."""
    instansi = _instansi(code)
    try:
        result = services.draft_plan(instansi.id, year, SYSTEM)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    click.echo(
        f"{instansi.code} {year}: {result.needs} accepted needs, {result.items} items "
        f"({result.added} new, {result.updated} changed, {result.removed} removed)"
    )


@cli.command("export")
@click.option("--instansi", "code", required=True, help="Bangkom code of the instansi.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option("--format", "fmt", type=click.Choice(documents.FORMATS), default="pdf")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--revision", "number", type=int, default=None, help="Revision number (latest).")
def export_command(code: str, year: int, fmt: str, out: str, number: int | None) -> None:
    """Write the plan as PDF, DOCX or XLSX."""
    instansi = _instansi(code)
    plan = services.plan_for(instansi.id, year)
    if plan is None:
        raise click.ClickException(f"{instansi.code} has no plan for {year}")
    revisions = services.revisions_of(plan.id)
    chosen = (
        next((r for r in revisions if r.number == number), None)
        if number is not None
        else (revisions[-1] if revisions else None)
    )
    if chosen is None:
        raise click.ClickException(f"no revision {number} of the {year} plan")
    with current_app.test_request_context("/"):  # templates and labels as in a page
        size = publishing.write_file(chosen, fmt, Path(out))
    click.echo(f"{out}: {size} bytes")
