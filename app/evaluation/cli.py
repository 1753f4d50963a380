"""`flask evaluations run-due`: the due scan from cron or by hand (the scheduler runs it daily)."""

from __future__ import annotations

import click

from app.evaluation.scan import run_due
from app.evaluation.sending import send_for
from app.extensions import db
from app.surveys.services.days import local_today


@click.group("evaluations")
def cli() -> None:
    """Training evaluations (Kirkpatrick levels 1–4)."""


@cli.command("run-due")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as if today were this day (YYYY-MM-DD).",
)
@click.option("--no-mail", is_flag=True, help="Issue the requests without mailing them.")
def run_due_command(day: object, no_mail: bool) -> None:
    """Issue every evaluation request that is due; running it twice issues nothing twice."""
    today = day.date() if day else local_today()  # type: ignore[attr-defined]
    result = run_due(today)
    db.session.commit()
    sent = 0 if no_mail else send_for(result.campaign_ids)
    issued = ", ".join(f"{level} {n}" for level, n in sorted(result.issued.items())) or "none"
    click.echo(
        f"{today.isoformat()}: issued {issued}; {result.planned_follow_ups} follow-ups planned; "
        f"{len(result.campaign_ids)} campaigns opened; {sent} invitations mailed"
    )
