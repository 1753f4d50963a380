"""`flask jobs ...`: sweep due jobs, run one job here, list recent failures, run a schedule entry."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.runner import run_job, sweep
from app.jobs.schedule import run_entry, schedule_overview


@click.group("jobs")
def cli() -> None:
    """Background jobs and the scheduler."""


@cli.command("sweep")
def sweep_command() -> None:
    """Hand over every due job (retries, jobs the broker lost, jobs of killed workers)."""
    click.echo(f"{sweep()} jobs handed over")


@cli.command("run")
@click.argument("job_id", type=int)
def run_command(job_id: int) -> None:
    """Run one job in this process, if it is claimable."""
    state = run_job(job_id)
    click.echo(f"job {job_id}: {state.value if state else 'not claimable'}")


@cli.command("failed")
@click.option("--limit", default=20, show_default=True)
def failed_command(limit: int) -> None:
    """The latest failed jobs and why."""
    jobs = db.session.scalars(
        select(Job).where(Job.state == JobState.FAILED).order_by(Job.id.desc()).limit(limit)
    )
    for job in jobs:
        click.echo(f"#{job.id} {job.task} attempts={job.attempts}: {job.last_error[:200]}")


@cli.command("schedule")
@click.option("--run", "entry", default=None, help="Queue this entry's task now.")
def schedule_command(entry: str | None) -> None:
    """List scheduler entries with their last run, or queue one now."""
    if entry:
        job = run_entry(entry)
        click.echo(f"{entry}: job {job.id}" if job else f"{entry}: unknown or switched off")
        return
    for row in schedule_overview():
        last = f"#{row.last_run.id} {row.last_run.state.value}" if row.last_run else "never"
        click.echo(f"{row.name:32} {row.cron:16} {row.task:32} last: {last}")
