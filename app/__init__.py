"""Bangkom: competency development portal for Indonesian regional governments."""

from __future__ import annotations

from flask import Flask

from app.config import INSTANCE_DIR, load_config

# Feature blueprints, registered in this order; each feature's routes module exposes `bp`.
FEATURES = ("accounts", "home", "org", "admin")


def create_app(overrides: dict[str, object] | None = None) -> Flask:
    """Application factory: config → extensions → blueprints → web hooks → CLI."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    app.config.update(load_config(overrides))
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_web(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
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

    init_login(app)


def register_blueprints(app: Flask) -> None:
    import importlib

    for name in FEATURES:
        module = importlib.import_module(f"app.{name}.routes")
        app.register_blueprint(module.bp)


def register_web(app: Flask) -> None:
    from app.web import errors, hooks, navigation

    errors.init_errors(app)
    hooks.init_hooks(app)
    navigation.init_navigation(app)


def register_cli(app: Flask) -> None:
    from app.demo.cli import demo_cli

    app.cli.add_command(demo_cli)
