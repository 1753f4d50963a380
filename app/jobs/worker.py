"""Celery entry point: `celery -A app.jobs.worker worker --beat` (see `make worker`)."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_process_init

from app import create_app
from app.extensions import db

flask_app = create_app()
celery = flask_app.extensions["celery"]


@worker_process_init.connect
def fresh_connections(**_kwargs: Any) -> None:
    """A forked pool process must not reuse the parent's database connections."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
