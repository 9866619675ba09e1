"""Configuration from the environment: local defaults and production settings."""

from __future__ import annotations

import pytest

from selfassess.config import build_config


def test_local_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SELFASSESS_ENV", raising=False)
    first = build_config(tmp_path)
    second = build_config(tmp_path)
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(str(first["SECRET_KEY"])) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert build_config(tmp_path / "other")["SECRET_KEY"] != first["SECRET_KEY"]


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = build_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'selfassess.sqlite3'}"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/selfassess")
    assert build_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://u@db.example/selfassess"
    )


def test_production_requires_a_secret_and_secures_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFASSESS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("TRUSTED_HOSTS", "selfassess.nhs.example, www.selfassess.nhs.example")
    config = build_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert str(config["SESSION_COOKIE_NAME"]).startswith("__Host-")
    assert config["TRUSTED_HOSTS"] == ["selfassess.nhs.example", "www.selfassess.nhs.example"]
    assert not (tmp_path / "secret_key").exists()


def test_password_hash_meets_asvs(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    method = str(build_config(tmp_path)["PASSWORD_HASH_METHOD"])
    name, n, _r, p = method.split(":")
    assert name == "scrypt" and int(n) >= 2**17 and int(p) == 1


def test_sign_in_counts_are_shared_by_default_and_never_per_process_in_production(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SIGN_IN_LIMIT_STORAGE", raising=False)
    monkeypatch.setenv("SELFASSESS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    assert build_config(tmp_path)["SIGN_IN_LIMIT_STORAGE"] == "database"
    monkeypatch.setenv("SIGN_IN_LIMIT_STORAGE", "redis://127.0.0.1:6379")
    assert build_config(tmp_path)["SIGN_IN_LIMIT_STORAGE"] == "redis://127.0.0.1:6379"
    monkeypatch.setenv("SIGN_IN_LIMIT_STORAGE", "memory://")
    with pytest.raises(RuntimeError, match="per process"):
        build_config(tmp_path)
