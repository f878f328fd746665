"""Settings classes, read from the environment.

`create_app` picks one by name (``R2P_CONFIG`` or the argument it is given).
Development and testing have safe local defaults; production refuses to start
without an explicit ``SECRET_KEY`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """Raised when a required production setting is missing."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


# Development and tests only: a fixed key derived from a public phrase. Production requires its own.
DEVELOPMENT_TOTP_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"r2p development two-factor key").digest()
).decode()


def valid_fernet_key(key: str) -> bool:
    """True if *key* is a Fernet key (32 bytes, URL-safe base64)."""
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


def database_url(value: str) -> str:
    """Use the psycopg2 driver for plain ``postgresql://`` (and Heroku-style ``postgres://``) URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg2://" + value[len(prefix) :]
    return value


# Development and tests only; production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  # nosec B105


class BaseConfig:
    # Commands that only make sense outside production (seed-demo) check this.
    PRODUCTION = False
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'instance' / 'r2p.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # Costly page parts kept in each worker's memory until the data changes (0: off).
    FRAGMENT_CACHE_CHARS = _env_int("FRAGMENT_CACHE_CHARS", 16_000_000)

    # Sessions: a signed cookie that carries only a reference to a server-side
    # session row, so logging out anywhere really ends the session.
    SESSION_COOKIE_NAME = "r2p_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _env_int("SESSION_ABSOLUTE_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = 3600 * 12
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Failed sign-ins: this many per window lock the account (or address).
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_IP = _env_int("LOGIN_MAX_FAILURES_PER_IP", 20)
    LOGIN_FAILURE_WINDOW_MINUTES = _env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
    # Beyond the allowed failures an account is not locked: each further failure doubles the
    # wait before the next attempt, from LOGIN_DELAY_SECONDS up to LOGIN_DELAY_MAX_SECONDS.
    LOGIN_DELAY_SECONDS = _env_int("LOGIN_DELAY_SECONDS", 30)
    LOGIN_DELAY_MAX_SECONDS = _env_int("LOGIN_DELAY_MAX_SECONDS", 900)
    # Wrong two-factor codes per account in the window before the second step locks.
    SECOND_FACTOR_MAX_FAILURES = _env_int("SECOND_FACTOR_MAX_FAILURES", 5)
    # Actions that are cheap to abuse: (hits, seconds) per requester, shared by all workers.
    RATE_LIMITS = {
        "password_reset.address": (_env_int("RATE_LIMIT_RESET_PER_HOUR", 10), 3600),
        "password_reset.account": (3, 3600),  # emails to one address; beyond, silently none
        "access_request": (_env_int("RATE_LIMIT_ACCESS_REQUESTS_PER_HOUR", 5), 3600),
        "comment": (_env_int("RATE_LIMIT_COMMENTS_PER_HOUR", 30), 3600),
        "flag": (_env_int("RATE_LIMIT_FLAGS_PER_HOUR", 20), 3600),
        "search": (_env_int("RATE_LIMIT_SEARCHES_PER_MINUTE", 60), 60),
        "export": (_env_int("RATE_LIMIT_EXPORTS_PER_HOUR", 60), 3600),
    }
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 3600)
    PASSWORD_MIN_LENGTH = 12

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "r2p_network" / "translations")

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "console")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(PROJECT_ROOT / "instance" / "mail"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "R2P Network <no-reply@example.org>")
    # Mail goes to the outbox table; ``flask worker`` delivers it. In development the app can
    # also send what a request queued right after its commit, so the demo shows mail at once.
    MAIL_SEND_IN_APP = os.environ.get("MAIL_SEND_IN_APP", "1") == "1"
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 6)
    MAIL_RETRY_BASE_SECONDS = _env_int("MAIL_RETRY_BASE_SECONDS", 60)
    # ``flask doctor`` and /healthz/outbox call the outbox stuck when a message waits this long.
    MAIL_STUCK_MINUTES = _env_int("MAIL_STUCK_MINUTES", 30)
    WORKER_INTERVAL_SECONDS = _env_int("WORKER_INTERVAL_SECONDS", 30)

    # Fernet keys for two-factor secrets at rest; the first encrypts. Production must set them.
    TOTP_ENCRYPTION_KEYS = [
        key.strip() for key in os.environ.get("TOTP_ENCRYPTION_KEYS", "").split(",") if key.strip()
    ] or [DEVELOPMENT_TOTP_KEY]

    # Every link in an email starts with this address, never with the request's Host header.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    # Host names the site answers to (Flask's TRUSTED_HOSTS); unset or empty: any host.
    TRUSTED_HOSTS = [
        host.strip() for host in os.environ.get("TRUSTED_HOSTS", "").split(",") if host.strip()
    ] or None
    PREFERRED_URL_SCHEME = "http"
    TRUST_PROXY_HOPS = _env_int("TRUST_PROXY_HOPS", 0)
    HSTS_SECONDS = 0

    # Logs on stdout: one JSON object per line (``json``) or plain text (``plain``).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
    # /metrics answers these client addresses or networks (comma-separated), or a request that
    # carries ``Authorization: Bearer <METRICS_TOKEN>``; everyone else gets a 404.
    METRICS_ALLOWED_IPS = os.environ.get("METRICS_ALLOWED_IPS", "")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # Errors are reported to Sentry only when this is set (needs the sentry-sdk package).
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "")

    # Documents: the largest file accepted (in MB; uploads alone may exceed MAX_CONTENT_LENGTH, by this
    # much), the folder that keeps them (outside the web root), and clamd for virus scanning, as a
    # unix socket path or host:port (unset: no scanning).
    DOCUMENT_MAX_BYTES = _env_int("DOCUMENT_MAX_MB", 20) * 1024 * 1024
    DOCUMENT_STORAGE_PATH = os.environ.get(
        "DOCUMENT_STORAGE_PATH", str(PROJECT_ROOT / "instance" / "documents")
    )
    CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
    CLAMD_TIMEOUT = _env_int("CLAMD_TIMEOUT", 30)

    @classmethod
    def validate(cls) -> None:
        """Check settings that must be present; the base class needs none."""


class DevelopmentConfig(BaseConfig):
    DEBUG = False


class TestingConfig(BaseConfig):
    TESTING = True
    # A fixed key for tests only.
    SECRET_KEY = "test-secret-key"  # noqa: S105  # nosec B105
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    MAIL_BACKEND = "locmem"
    MAIL_SEND_IN_APP = True
    # Low cost keeps the suite fast; production uses argon2-cffi's defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    # Each test that stores files points this at its own temporary folder.
    DOCUMENT_STORAGE_PATH = str(PROJECT_ROOT / "instance" / "test-documents")


class ProductionConfig(BaseConfig):
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    HSTS_SECONDS = 63072000  # two years
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SEND_IN_APP = os.environ.get("MAIL_SEND_IN_APP", "0") == "1"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

    @classmethod
    def validate(cls) -> None:
        """Refuse to run production on development defaults."""
        required = ("SECRET_KEY", "DATABASE_URL", "BASE_URL", "TOTP_ENCRYPTION_KEYS")
        missing = [name for name in required if not os.environ.get(name, "").strip(" ,")]
        if missing:
            raise ConfigurationError("Production needs these environment variables: " + ", ".join(missing))
        if len(os.environ["SECRET_KEY"]) < 32:
            raise ConfigurationError("SECRET_KEY must be at least 32 characters long.")
        check_base_url(os.environ["BASE_URL"])
        keys = [key.strip() for key in os.environ["TOTP_ENCRYPTION_KEYS"].split(",") if key.strip()]
        if not all(valid_fernet_key(key) for key in keys) or DEVELOPMENT_TOTP_KEY in keys:
            raise ConfigurationError(
                "TOTP_ENCRYPTION_KEYS must be Fernet keys, separated by commas; make one with: "
                "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
            )


def check_base_url(value: str) -> None:
    """BASE_URL must be an absolute http(s) address such as https://r2p.example.org."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(f"BASE_URL must look like https://r2p.example.org, not {value!r}.")


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load(name: str | None = None, *, validate: bool = True) -> type[BaseConfig]:
    """Return the settings class for *name* (default: ``R2P_CONFIG`` or development)."""
    key = name or os.environ.get("R2P_CONFIG", "development")
    try:
        config = CONFIGS[key]
    except KeyError:
        raise ConfigurationError(f"Unknown configuration {key!r}") from None
    if validate:
        config.validate()
    return config
