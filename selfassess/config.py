"""Configuration read from the environment, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    """Return the local secret key kept in ``instance/``, creating it on first use.

    A generated key per machine means no key is ever committed and local sessions survive restarts.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'selfassess.sqlite3'}"
    # psycopg 3 is the driver we ship; accept the common bare scheme too.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def build_config(instance_path: Path) -> dict[str, object]:
    """Assemble the app configuration from the environment."""
    production = os.environ.get("SELFASSESS_ENV") == "production"
    secret = os.environ.get("SECRET_KEY")
    if production and not secret:
        raise RuntimeError("SECRET_KEY must be set when SELFASSESS_ENV=production")
    idle_minutes = int(os.environ.get("SESSION_IDLE_MINUTES", "60"))
    config: dict[str, object] = {
        "SECRET_KEY": secret or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SELFASSESS_ENV": "production" if production else "development",
        # Sessions: server-side rows end on sign-out or after this much idle time.
        "SESSION_IDLE_TIMEOUT": timedelta(minutes=idle_minutes),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        # No remember-me cookie is offered; keep its defaults safe anyway.
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=1),
        # CSRF tokens live as long as the session, so a long edit never loses its save.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,  # a 5 MB evidence file and its form
        # ASVS 5.0 appendix C: scrypt needs N >= 2^17 with p = 1.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt:131072:8:1"),
        "TOKEN_MAX_AGE_INVITE": 7 * 24 * 3600,
        # Seconds; bandit takes the key name for a password.
        "TOKEN_MAX_AGE_RESET": 3600,  # nosec B105
        # Failed sign-ins allowed before a wait (ASVS 6.1.1, 6.3.1), counted in the app's
        # database so every worker shares them ("database"), or in Redis ("redis://host:6379").
        # "memory://" counts per process: with n workers, n times the limit gets through.
        "SIGN_IN_LIMIT_STORAGE": os.environ.get("SIGN_IN_LIMIT_STORAGE", "database"),
        "SIGN_IN_LIMIT_PER_ACCOUNT": os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "5/15minutes"),
        "SIGN_IN_LIMIT_PER_ADDRESS": os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "30/15minutes"),
        # Reset emails one account may receive; beyond it the page answers alike, sending none.
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": os.environ.get(
            "PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3/hour"
        ),
        # Requests one API token may make, and requests with an unknown, expired or revoked
        # token one address may make, counted in the sign-in limit's storage (issue #20).
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "300/minute"),
        "API_BAD_TOKEN_LIMIT": os.environ.get("API_BAD_TOKEN_LIMIT", "20/15minutes"),
        # Reverse proxies in front of the app; only then is X-Forwarded-For believed.
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "selfassess@localhost"),
        "MAIL_STARTTLS": os.environ.get("MAIL_STARTTLS", "true").lower() != "false",
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        # Delivery tries before an email is marked failed, the first wait between them
        # (doubling each time: 1, 2, 4 ... 64 minutes, about two hours in all), and how long a
        # job's claim on an email lasts before the sweep takes it as lost (> MAIL_TIMEOUT).
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "8")),
        "MAIL_RETRY_BASE_SECONDS": float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60")),
        "MAIL_CLAIM_SECONDS": float(os.environ.get("MAIL_CLAIM_SECONDS", "300")),
        # Where background jobs queue: "sqlite" (instance/jobs.sqlite3), sqlite:///path,
        # postgresql://..., redis://..., or "immediate" (run inline; tests).
        "JOBS_URL": os.environ.get("JOBS_URL", "sqlite"),
        # Render and keep each submitted and validated assessment's member PDFs on the job
        # queue ("false" turns it off; the tests turn it on where they test it).
        "REPORT_SNAPSHOTS": os.environ.get("REPORT_SNAPSHOTS", "true").lower() != "false",
        # Compiled templates kept on disk and shared by every worker (Jinja's bytecode cache):
        # a freshly started worker loads them instead of compiling its pages' templates on
        # their first request (issue #21 goal 4). `flask templates compile` fills it after a
        # deployment; "" turns it off.
        "TEMPLATE_CACHE_DIR": os.environ.get(
            "TEMPLATE_CACHE_DIR", str(instance_path / "template-cache")
        ),
        # The address links in emails point at (emails are written outside any request).
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "QUESTIONS_DIR": os.environ.get(
            "QUESTIONS_DIR", str(Path(__file__).resolve().parent.parent / "questions")
        ),
        # The source documents that framework.yaml's `document:` fields name (questions check);
        # kept in the repository beside the question bank, so a clean clone can check citations.
        "SOURCES_DIR": os.environ.get(
            "SOURCES_DIR", str(Path(__file__).resolve().parents[1] / "questions" / "sources")
        ),
    }
    if production and str(config["SIGN_IN_LIMIT_STORAGE"]).startswith("memory://"):
        # Each worker would count alone and let its own full share of guesses through.
        raise RuntimeError(
            "SIGN_IN_LIMIT_STORAGE=memory:// is per process; in production "
            "use 'database' (the default) or a redis:// URL"
        )
    if production:
        hosts = os.environ.get("TRUSTED_HOSTS")
        if hosts:
            config["TRUSTED_HOSTS"] = [h.strip() for h in hosts.split(",") if h.strip()]
    return config
