"""Outgoing email: written to the outbox in the caller's transaction, delivered by a job.

The outbox row is the record. ``deliver_email(outbox_id)`` claims the row with a conditional
UPDATE (pending -> sending, with a fresh claim token) in its own committed transaction before it
talks to the mail server, so two jobs holding the same id never both send; it records the result
only while its token still holds. Refused for good (5xx) -> failed at once; anything else (server
down, timeout, 4xx) -> pending again with exponential backoff, until ``MAIL_MAX_ATTEMPTS``, then
failed, which site administrators see on their page.

The one window left: the server accepted the message and the job died before recording it. The
row stays ``sending``; once its claim is older than ``MAIL_CLAIM_SECONDS`` the sweep sends it
again with the same Message-ID, which receivers use to drop the copy. That is at-least-once
within that window, and exactly once everywhere else.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import cast

from flask import current_app
from huey import crontab
from sqlalchemy import CursorResult, and_, or_, select, update

from . import jobs
from .extensions import db
from .models import OutboxEmail, OutboxState
from .models._types import utcnow

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The mail server refused the message for good: retrying would not help."""


def send_email(recipient: str, subject: str, body: str) -> OutboxEmail:
    """Write an email to the outbox; a job delivers it once the caller's transaction commits."""
    message = OutboxEmail(
        recipient=recipient,
        subject=subject,
        body=body,
        state=OutboxState.PENDING,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    # The same on every attempt; the random part keeps ids of a rebuilt database from meeting
    # old ones at the receiver (which would drop a new email as a duplicate).
    domain = str(current_app.config["MAIL_FROM"]).rpartition("@")[2] or "localhost"
    message.message_id = f"<outbox-{message.id}.{secrets.token_hex(6)}@{domain}>"
    jobs.enqueue_after_commit(deliver_email, message.id)
    return message


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: base, 2 x base, 4 x base, ..."""
    return timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0))


def _claim(outbox_id: int) -> str | None:
    """Take the row for this job (committed at once); None if it is not ours to send."""
    token = secrets.token_hex(16)
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    claimed = cast(
        CursorResult[tuple[()]],
        db.session.execute(
            update(OutboxEmail)
            .where(
                OutboxEmail.id == outbox_id,
                or_(
                    OutboxEmail.state == OutboxState.PENDING,
                    and_(OutboxEmail.state == OutboxState.SENDING, OutboxEmail.claimed_at < stale),
                ),
            )
            .values(
                state=OutboxState.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=OutboxEmail.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    db.session.commit()
    return token if claimed == 1 else None


def _finish(outbox_id: int, token: str, **values: object) -> None:
    """Record the outcome, only if this job's claim still holds."""
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == outbox_id, OutboxEmail.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def record_sent(outbox_id: int, token: str) -> None:
    """Mark the email sent (the step a crash may separate from the sending)."""
    _finish(outbox_id, token, state=OutboxState.SENT, sent_at=utcnow(), last_error=None)


@jobs.task()
def deliver_email(outbox_id: int) -> None:
    """Send one outbox email, at most once per claim; retry later if the server is away."""
    token = _claim(outbox_id)
    if token is None:
        return
    message = db.session.get(OutboxEmail, outbox_id)
    if message is None:  # deleted since it was claimed
        return
    db.session.expunge(message)
    # End the read before talking to the mail server: on SQLite a transaction holds the write
    # lock, and nobody should wait for an SMTP conversation.
    db.session.commit()
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        if config["SELFASSESS_ENV"] != "production":
            log.info("Email to %s: %s\n%s", message.recipient, message.subject, message.body)
        _finish(outbox_id, token, state=OutboxState.LOGGED)
        return
    try:
        _deliver_smtp(message)
    except PermanentFailure as refused:
        _finish(outbox_id, token, state=OutboxState.FAILED, last_error=str(refused)[:500])
        return
    except (OSError, smtplib.SMTPException) as error:
        _retry_later(message, token, f"{type(error).__name__}: {error}")
        return
    record_sent(outbox_id, token)


def _retry_later(message: OutboxEmail, token: str, error: str) -> None:
    config = current_app.config
    outbox_id, attempts = message.id, message.attempts
    if attempts >= config["MAIL_MAX_ATTEMPTS"]:
        log.warning("Email %s failed after %s attempts: %s", outbox_id, attempts, error)
        _finish(outbox_id, token, state=OutboxState.FAILED, last_error=error[:500])
        return
    delay = retry_delay(attempts, config["MAIL_RETRY_BASE_SECONDS"])
    _finish(
        outbox_id,
        token,
        state=OutboxState.PENDING,
        last_error=error[:500],
        next_attempt_at=utcnow() + delay,
    )
    deliver_email.schedule(args=(outbox_id,), delay=delay.total_seconds())


def _deliver_smtp(message: OutboxEmail) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
    email["Message-ID"] = message.message_id or f"<outbox-{message.id}@localhost>"
    email.set_content(message.body)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_STARTTLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as refused:
        raise PermanentFailure(f"recipient refused: {refused.recipients}") from refused
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise


def due_for_delivery() -> list[int]:
    """Emails whose job may have been lost: pending past their time, or claimed by a job that
    stopped before recording (claim older than ``MAIL_CLAIM_SECONDS``)."""
    now = utcnow()
    stale = now - timedelta(seconds=current_app.config["MAIL_CLAIM_SECONDS"])
    # A grace minute, so the sweep does not race each fresh email's own job.
    late = now - timedelta(minutes=1)
    return list(
        db.session.scalars(
            select(OutboxEmail.id)
            .where(
                or_(
                    and_(
                        OutboxEmail.state == OutboxState.PENDING,
                        OutboxEmail.next_attempt_at <= late,
                    ),
                    and_(OutboxEmail.state == OutboxState.SENDING, OutboxEmail.claimed_at < stale),
                )
            )
            .order_by(OutboxEmail.id)
        )
    )


@jobs.periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Enqueue a delivery for every email due and not in hand (the claim makes extra jobs
    harmless, so every consumer may run this)."""
    due = due_for_delivery()
    db.session.commit()  # hold no transaction (on SQLite, the write lock) while enqueuing
    for outbox_id in due:
        jobs.enqueue(deliver_email, outbox_id)


def retry_failed(outbox_id: int) -> bool:
    """Put a failed email back in the queue for a fresh set of tries, once its transaction
    commits; False when it is not failed now (retried already, by a double click or another
    administrator). Only the conditional UPDATE moves it, and the delivery job still claims it
    before sending, so a retry never sends an email twice. The caller audits and commits."""
    moved = cast(
        CursorResult[tuple[()]],
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == outbox_id, OutboxEmail.state == OutboxState.FAILED)
            .values(
                state=OutboxState.PENDING,
                attempts=0,
                next_attempt_at=utcnow(),
                claim_token=None,
                claimed_at=None,
            )
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if moved != 1:
        return False
    jobs.enqueue_after_commit(deliver_email, outbox_id)
    return True


def failed_emails(limit: int = 50) -> list[OutboxEmail]:
    """Emails that could not be delivered, newest first, for site administrators."""
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.state == OutboxState.FAILED)
            .order_by(OutboxEmail.id.desc())
            .limit(limit)
        )
    )
