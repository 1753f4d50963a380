"""Exports of more than a page as jobs: small ones download at once, larger ones are written by a
job into the instance folder (one file per job, removed after a day) and downloaded by the user
who asked for them.

A feature describes its export once, as a function of the request (`fmt` from the URL, filters
from the query string, scope from `current_principal()`), registered with `@builder(name)`:

    @exports.builder("needs.export")
    def needs_export(fmt: str) -> exports.Export: ...

and answers with `exports.respond("needs.export", fmt)`. The worker replays the same function in a
request context for the same path and user, so the file holds exactly what the page would send.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.jobs.models import Job
from app.jobs.queue import enqueue
from app.jobs.registry import periodic, task
from app.jobs.runner import JobContext, PermanentFailure
from app.web import exports as writer

KEEP_SECONDS = 24 * 3600


@dataclass
class Export:
    """One export: its file name (no extension), row count, and how to make either format."""

    name: str
    fmt: str
    count: Callable[[], int]
    header: Sequence[str] = ()
    batches: Callable[[], Iterable[Iterable[Any]]] | None = None
    xlsx: Callable[[], Path] | None = None
    instansi_id: int | None = None


BUILDERS: dict[str, Callable[[str], Export]] = {}


def builder(name: str) -> Callable[[Callable[[str], Export]], Callable[[str], Export]]:
    def register(function: Callable[[str], Export]) -> Callable[[str], Export]:
        BUILDERS[name] = function
        return function

    return register


def count_rows(query: Select[*tuple[Any, ...]]) -> int:
    """Rows a select returns (one COUNT statement)."""
    return int(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def select_export(
    name: str,
    fmt: str,
    query: Select[*tuple[Any, ...]],
    columns: tuple[Sequence[str], Callable[[Select[*tuple[Any, ...]]], Iterable[Iterable[Any]]]],
    write_xlsx: Callable[[Select[*tuple[Any, ...]]], Path],
    instansi_id: int | None,
) -> Export:
    """An export of one select: `columns` is (header, batches of the query), counted by SQL."""
    header, batches = columns
    return Export(
        name=name,
        fmt=fmt,
        count=lambda: count_rows(query),
        header=header,
        batches=lambda: batches(query),
        xlsx=lambda: write_xlsx(query),
        instansi_id=instansi_id,
    )


def inline_response(export: Export) -> ResponseReturnValue:
    if export.fmt == "csv":
        assert export.batches is not None
        return writer.csv_response(export.name, export.header, export.batches())
    assert export.xlsx is not None
    return writer.xlsx_response(export.name, export.xlsx())


def respond(name: str, fmt: str) -> ResponseReturnValue:
    """The download itself when small, else a queued job and a redirect to its progress page."""
    export = BUILDERS[name](fmt)
    if export.count() <= current_app.config["EXPORT_INLINE_MAX_ROWS"]:
        return inline_response(export)
    path = request.full_path.rstrip("?")
    minute = utcnow().strftime("%Y%m%d%H%M")
    digest = hashlib.sha256(f"{current_user.id}|{path}".encode()).hexdigest()[:32]
    job = enqueue(
        "jobs.export",
        key=f"export:{digest}:{minute}",
        instansi_id=export.instansi_id,
        builder=name,
        fmt=fmt,
        path=path,
        user_id=current_user.id,
    )
    db.session.commit()
    return redirect(url_for("jobs.detail", job_id=job.id), 303)


def export_folder() -> Path:
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_of(job: Job) -> Path | None:
    """The file a finished export job wrote, if it is still there."""
    stored = (job.result or {}).get("file")
    if job.task != "jobs.export" or not stored:
        return None
    path = export_folder() / Path(str(stored)).name
    return path if path.is_file() else None


@task("jobs.export", label=_l("Export"), max_attempts=3)
def run_export(ctx: JobContext, builder: str, fmt: str, path: str, user_id: int) -> None:
    """Replay the export of `path` for `user_id` and keep the file (idempotent: it is rewritten)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or builder not in BUILDERS:
        raise PermanentFailure("the export's user or builder is gone")
    ctx.progress(0, 1)
    with current_app.test_request_context(path):
        g._login_user = user  # flask_login's current user for this replayed request
        export = BUILDERS[builder](fmt)
        target = export_folder() / f"{ctx.job_id}-{export.name}.{fmt}"
        partial = target.with_suffix(".part")
        if fmt == "csv":
            assert export.batches is not None
            with partial.open("w", encoding="utf-8", newline="") as out:
                for chunk in writer.csv_chunks(export.header, export.batches()):
                    out.write(chunk)
        else:
            assert export.xlsx is not None
            shutil.move(export.xlsx(), partial)
        partial.replace(target)
        ctx.result = {
            "url": url_for("jobs.export_download", job_id=ctx.job_id),
            "label": _("Download %(name)s", name=target.name.split("-", 1)[1]),
            "summary": f"{target.stat().st_size // 1024} KiB",
            "file": target.name,
        }


@task("jobs.clean_exports", label=_l("Remove old export files"))
def clean_exports(ctx: JobContext) -> None:
    """Delete export files older than a day."""
    cutoff = time.time() - KEEP_SECONDS
    removed = 0
    for path in export_folder().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    ctx.result = {"summary": f"{removed}"}


periodic(
    "jobs.clean_exports", "jobs.clean_exports", "40 * * * *", _l("Remove export files after a day")
)
