"""Time-based one-time passwords (RFC 6238) as an optional second factor at sign-in.

Built on pyotp. A code is accepted for the current 30-second step or the one either side (clock
drift), and never twice: the step of the last accepted code is stored, so a code seen over a
shoulder or replayed from a log is useless. The QR code for enrolment is drawn by segno as an SVG
``data:`` image (no request, nothing leaves the page).
"""

from __future__ import annotations

import time

import pyotp
import segno

ISSUER = "selfassess"
STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random 160-bit base32 secret, as authenticator apps expect."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The link as an SVG QR code in a ``data:`` URI for an ``<img>`` (the CSP allows data:
    images), sized for a phone camera."""
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def accepted_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step ``code`` belongs to if it is valid and newer than ``last_step``, else None.

    Spaces are ignored ("123 456"); anything but six digits is refused without checking.
    """
    code = code.replace(" ", "").strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and pyotp.utils.strings_equal(
            totp.at(step * STEP_SECONDS), code
        ):
            return step
    return None
