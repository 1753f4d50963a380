"""Bangkom: competency development portal for Indonesian regional governments."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click
from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from app.config import INSTANCE_DIR, load_config

APP_DIR = Path(__file__).resolve().parent


class DatabaseIntConverter(IntegerConverter):
    """`<int:id>` that only matches ids a 32-bit INTEGER column can hold: larger ones are 404,
    not a database error."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def feature_modules(module: str) -> list[str]:
    """Dotted names of `app/<feature>/<module>.py` for every feature that has one, sorted."""
    return sorted(f"app.{path.parent.name}.{module}" for path in APP_DIR.glob(f"*/{module}.py"))


def create_app(overrides: dict[str, object] | None = None) -> Flask:
    """Application factory: config → extensions → blueprints → web hooks → CLI."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.update(load_config(overrides))
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_proxy(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    register_blueprints(app)
    register_web(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    for name in feature_modules("models"):  # every table known to create_all and Alembic
        importlib.import_module(name)
    from app.database import configure_engine
    from app.extensions import csrf, db, login_manager, migrate
    from app.i18n import init_i18n

    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)

    from app.accounts.login import init_login
    from app.accounts.throttle import check_store_choice

    init_login(app)
    check_store_choice(str(app.config["LOGIN_COUNTER_STORE"]), app.testing, app.debug)


def register_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS reverse proxies, take the client address and scheme from their
    X-Forwarded-For/-Proto headers (only that many hops: a client cannot forge its address)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config["TRUSTED_PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from app.jobs.queue import init_jobs

    init_jobs(app)


def register_blueprints(app: Flask) -> None:
    """Each feature's `routes.py` exposes `bp`; adding a feature needs no edit here."""
    for name in feature_modules("routes"):
        app.register_blueprint(importlib.import_module(name).bp)


def register_web(app: Flask) -> None:
    from app.web import errors, formats, hooks, navigation, requestlog

    requestlog.init_request_log(app)
    errors.init_errors(app)
    hooks.init_hooks(app)
    navigation.init_navigation(app)
    formats.init_formats(app)


def register_cli(app: Flask) -> None:
    """Each feature's `cli.py` exposes a click group named `cli` (`flask <feature> ...`)."""
    for name in feature_modules("cli"):
        group = importlib.import_module(name).cli
        existing = app.cli.commands.get(group.name)
        if isinstance(existing, click.Group) and isinstance(group, click.Group):
            for command in group.commands.values():  # two features extend one group
                existing.add_command(command)
        else:
            app.cli.add_command(group)
