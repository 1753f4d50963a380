"""`flask approvals remind`: reminders and escalation for waiting approvals (cron-safe)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.training.reminders import send_reminders

cli = AppGroup("approvals", help="Training nomination approvals.")


@cli.command("remind")
@click.option(
    "--days",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Remind approvers of steps waiting this many days (again every N days).",
)
@click.option(
    "--escalate-after",
    default=7,
    show_default=True,
    type=click.IntRange(min=1),
    help="Escalate steps waiting this many days to the approver's supervisor and HR (once).",
)
@click.option("--dry-run", is_flag=True, help="Only say what would be sent.")
def remind(days: int, escalate_after: int, dry_run: bool) -> None:
    """Email approvers whose items have waited; safe to run repeatedly (each mail goes once)."""
    if escalate_after < days:
        raise click.BadParameter("must not be shorter than --days", param_hint="--escalate-after")
    report = send_reminders(days, escalate_after, dry_run=dry_run)
    for line in report.planned:
        click.echo(f"would {line}")
    click.echo(
        f"Reminders: {report.reminders} messages for {report.steps_reminded} waiting steps; "
        f"escalations: {report.escalations} messages for {report.steps_escalated} steps."
    )
    for failure in report.failures:
        click.echo(f"not sent (will retry on the next run): {failure}", err=True)
    if report.failures:
        raise SystemExit(1)
