"""Tasks and periodic entries that features register when their `jobs.py` is imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TaskFunction = Callable[..., Any]


@dataclass(frozen=True)
class TaskSpec:
    name: str
    function: TaskFunction
    max_attempts: int = 5
    label: object = ""  # shown on the job pages: a lazy string, `_l("Survey export")`


@dataclass(frozen=True)
class PeriodicEntry:
    """Run `task` at `cron` (five fields, local time of JOBS_TIMEZONE); config can override it."""

    name: str
    task: str
    cron: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    description: object = ""  # a lazy string


TASKS: dict[str, TaskSpec] = {}
SCHEDULE: dict[str, PeriodicEntry] = {}


def task(
    name: str, *, max_attempts: int = 5, label: object = ""
) -> Callable[[TaskFunction], TaskFunction]:
    """Register `function(ctx: JobContext, **kwargs)` as the task `name`.

    The function must be idempotent: it may run again after a worker was killed mid-way. It
    reports progress (and commits its work so far) with `ctx.progress(done, total)`.
    """

    def decorator(function: TaskFunction) -> TaskFunction:
        TASKS[name] = TaskSpec(name, function, max_attempts, label or name)
        return function

    return decorator


def periodic(
    name: str, task_name: str, cron: str, description: object = "", **kwargs: Any
) -> PeriodicEntry:
    """Add a scheduler entry; JOBS_SCHEDULE in the configuration may move or switch it off."""
    entry = PeriodicEntry(name, task_name, cron, dict(kwargs), description)
    SCHEDULE[name] = entry
    return entry


def spec_for(name: str) -> TaskSpec:
    try:
        return TASKS[name]
    except KeyError:
        raise LookupError(f"no job task named {name!r} is registered") from None
