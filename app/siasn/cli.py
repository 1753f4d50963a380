"""`flask siasn ...`: scheduled SIASN batches and certificate imports (cron-safe)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db
from app.org.models import Instansi
from app.siasn import export, files
from app.siasn.models import ExportFormat

cli = AppGroup("siasn", help="SIASN course records out, certificates and reference data in.")


def instansi_by_code(code: str) -> Instansi:
    instansi = db.session.scalar(select(Instansi).where(Instansi.code == code))
    if instansi is None:
        raise click.BadParameter(f"no instansi with code {code!r}", param_hint="--instansi")
    return instansi


def echo_refusals(plan: export.ExportPlan) -> None:
    for candidate in plan.refused:
        click.echo(
            f"refused {candidate.ref} NIP {candidate.nip} ({candidate.title}): "
            f"missing {', '.join(candidate.missing)}",
            err=True,
        )


@cli.command("export")
@click.option("--instansi", "code", required=True, help="Bangkom code of the instansi.")
@click.option("--year", required=True, type=click.IntRange(2000, 2100))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    default=ExportFormat.CSV.value,
    show_default=True,
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--all", "full", is_flag=True, help="Every record again, not only new or changed.")
def export_command(code: str, year: int, fmt: str, out: str, full: bool) -> None:
    """Write the records not yet sent to SIASN (new ones, and changed ones as updates)."""
    instansi = instansi_by_code(code)
    plan = export.plan_export(instansi.id, year, full)
    echo_refusals(plan)
    if not plan.due:
        click.echo(
            f"Nothing to export: {plan.unchanged} records already sent unchanged, "
            f"{len(plan.refused)} refused."
        )
        return
    try:
        batch = export.create_batch(plan, ExportFormat(fmt), None)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    files.write_batch(export.batch_lines(batch.id), ExportFormat(fmt), Path(out))
    click.echo(
        f"Batch {batch.id}: {batch.inserts} new, {batch.updates} updates, "
        f"{plan.unchanged} unchanged, {batch.refused} refused; written to {out}."
    )


@cli.command("push")
@click.argument("batch_id", type=int)
def push_command(batch_id: int) -> None:
    """Send a batch's lines not yet accepted to the SIASN web service (SIASN_* settings)."""
    from app.siasn.client import SiasnClient, SiasnNotConfigured, settings
    from app.siasn.push import push_batch

    try:
        client = SiasnClient(settings())
    except SiasnNotConfigured as error:
        raise click.ClickException(str(error)) from None
    report = push_batch(batch_id, client)
    for refusal in report.errors:
        click.echo(f"refused by SIASN: {refusal}", err=True)
    click.echo(f"Batch {batch_id}: {report.sent} sent, {report.refused} refused by SIASN.")
    if report.stopped:
        click.echo(f"Stopped: {report.stopped}; run again to send the rest.", err=True)
        raise SystemExit(1)


@cli.command("import-certificates")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--instansi", "code", default=None, help="Only employees of this instansi.")
@click.option("--confirm", is_flag=True, help="Write the valid rows (otherwise only check).")
def import_certificates_command(path: str, code: str | None, confirm: bool) -> None:
    """Check a certificate file from LMS ASN (or another platform); --confirm writes it."""
    import time

    from app.siasn import certificates

    instansi_id = instansi_by_code(code).id if code else None
    started = time.perf_counter()
    try:
        preview = certificates.build_preview(Path(path).name, Path(path).read_bytes(), instansi_id)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    for line in certificates.problems_text(preview.problems):
        click.echo(line, err=True)
    click.echo(
        f"{preview.total} rows: {preview.importable} valid, {len(preview.problems)} with problems "
        f"({preview.duplicates} duplicates); checked in {time.perf_counter() - started:.1f} s."
    )
    if not confirm:
        click.echo("Nothing written; run again with --confirm to import the valid rows.")
        return
    try:
        written = certificates.apply_import(preview, None)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(
        f"Imported {written} certificates as verified learning records "
        f"in {time.perf_counter() - started:.1f} s."
    )


@cli.command("import-reference")
@click.argument("kind", type=click.Choice(["unor", "jabatan", "jenis_diklat"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--instansi", "code", required=True, help="Bangkom code of the instansi.")
@click.option("--confirm", is_flag=True, help="Write the valid rows (otherwise only check).")
def import_reference_command(kind: str, path: str, code: str, confirm: bool) -> None:
    """Load a SIASN-style reference export: unor (units), jabatan (positions), jenis diklat."""
    from app.siasn import reference
    from app.siasn.models import ReferenceKind

    instansi = instansi_by_code(code)
    try:
        preview = reference.build_preview(
            instansi.id, ReferenceKind(kind), Path(path).name, Path(path).read_bytes()
        )
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    for problem in preview.problems:
        click.echo(f"line {problem.line} (id {problem.nip}): {problem.reason}", err=True)
    click.echo(
        f"{preview.total} rows: {preview.creates} new, {preview.updates} known (renamed if "
        f"changed), {len(preview.problems)} with problems."
    )
    if not confirm:
        click.echo("Nothing written; run again with --confirm.")
        return
    try:
        written = reference.apply_import(instansi.id, preview)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Imported {written} {kind} rows.")
