"""``flask mentoring complete-due``: the daily job that completes pairings past their end date."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.clock import local_today
from app.mentoring.services import complete_due_pairings

cli = AppGroup("mentoring", help="Mentoring jobs.")


@cli.command("complete-due")
def complete_due() -> None:
    """Mark active pairings whose planned end date has passed as completed (run daily)."""
    count = complete_due_pairings(local_today())
    click.echo(f"{count} pairing(s) completed.")
