"""The R2P Focal Point Network application: ``create_app`` wires the parts together."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings
from r2p_network.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: str | dict[str, Any] | None = None, *, check: bool = True) -> Flask:
    """Build the application. *config* is a settings name or a dict of overrides.

    ``check=False`` skips production's start-up checks (for ``flask doctor``, which reports them).
    """
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    if isinstance(config, dict):
        app.config.from_object(settings.load(config.get("CONFIG_NAME"), validate=check))
        app.config.update(config)
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    else:
        app.config.from_object(settings.load(config, validate=check))

    register_logging(app)
    register_proxy(app)
    register_extensions(app)
    register_database(app)
    register_blueprints(app)
    register_security(app)
    register_errors(app)
    register_templates(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    if app.testing:
        return
    from r2p_network.operations.observability import logging_config

    logging.config.dictConfig(logging_config(app.config["LOG_FORMAT"]))


def register_proxy(app: Flask) -> None:
    hops = app.config["TRUST_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    from r2p_network.core import delivery, fragments

    fragments.init_app(app)
    delivery.init_app(app)
    from r2p_network.core.search import include_object

    migrate.init_app(app, db, render_as_batch=True, compare_type=True, include_object=include_object)
    csrf.init_app(app)
    # Imported here: ``r2p_network.mail`` (the package) would shadow a module-level name ``mail``.
    from r2p_network.extensions import mail as mailman

    mailman.init_app(app)
    from r2p_network.core.i18n import select_locale, select_timezone

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)


def register_database(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    if engine.url.database not in (None, "", ":memory:"):
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy manage transactions itself (pysqlite's own handling
        # breaks SAVEPOINT), and turn on foreign keys and write-ahead logging.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Any) -> None:
        # SQLite has one writer at a time: a request that may write takes the lock up front,
        # so two simultaneous form posts run one after the other instead of failing.
        writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def register_blueprints(app: Flask) -> None:
    from r2p_network.account import bp as account_bp
    from r2p_network.admin import bp as admin_bp
    from r2p_network.assessments import bp as assessments_bp
    from r2p_network.assistance import bp as assistance_bp
    from r2p_network.auth import bp as auth_bp
    from r2p_network.capacity import bp as capacity_bp
    from r2p_network.countries import bp as countries_bp
    from r2p_network.documents import bp as documents_bp
    from r2p_network.events import bp as events_bp
    from r2p_network.lessons import bp as lessons_bp
    from r2p_network.mail import bp as mail_bp
    from r2p_network.main import bp as main_bp
    from r2p_network.notifications import bp as notifications_bp
    from r2p_network.operations import bp as operations_bp
    from r2p_network.profiles import bp as profiles_bp
    from r2p_network.regions import bp as regions_bp
    from r2p_network.reports import bp as reports_bp
    from r2p_network.reviews import bp as reviews_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(profiles_bp)
    app.register_blueprint(countries_bp)
    app.register_blueprint(assessments_bp, url_prefix="/assessments")
    app.register_blueprint(capacity_bp, url_prefix="/capacity")
    app.register_blueprint(assistance_bp, url_prefix="/assistance")
    app.register_blueprint(lessons_bp, url_prefix="/lessons")
    app.register_blueprint(regions_bp, url_prefix="/regions")
    app.register_blueprint(reviews_bp, url_prefix="/reviews")
    app.register_blueprint(events_bp, url_prefix="/events")
    app.register_blueprint(documents_bp, url_prefix="/documents")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(operations_bp)
    app.register_blueprint(mail_bp)


def register_security(app: Flask) -> None:
    from r2p_network import permissions, security

    permissions.init_app(app)
    security.init_app(app)
    from r2p_network.operations import observability

    observability.init_app(app)


def register_errors(app: Flask) -> None:
    from r2p_network import errors

    errors.init_app(app)


def register_templates(app: Flask) -> None:
    from r2p_network import template_helpers

    template_helpers.init_app(app)


def register_commands(app: Flask) -> None:
    from r2p_network import cli

    cli.init_app(app)
