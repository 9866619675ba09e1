"""Password hashing and the password policy (length over complexity, common passwords refused)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 200

# The commonest passwords and patterns seen in breach corpora, read once from a shipped list;
# NCSC advises refusing these rather than forcing composition rules.
COMMON_PASSWORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).with_name("common_passwords.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt N=2^17 by default, per ASVS 5.0 appendix C)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; an account with no password yet never matches."""
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "This password is too common. Try three random words together"
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in lowered:
        return "Password must not contain your email address"
    # Only words long enough to matter: a short name ("Li") appears inside many good passwords.
    if any(len(word) >= 4 and word in lowered for word in name.lower().split()):
        return "Password must not contain your name"
    return None
