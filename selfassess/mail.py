"""Outgoing email: recorded in the outbox table, logged in development, sent by SMTP when set up."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from .extensions import db
from .models import OutboxEmail
from .models._types import utcnow

log = logging.getLogger(__name__)


def send_email(recipient: str, subject: str, body: str) -> OutboxEmail:
    """Queue an email in the outbox and deliver it if an SMTP server is configured."""
    message = OutboxEmail(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _deliver_smtp(message)
        message.sent_at = utcnow()
    elif config["SELFASSESS_ENV"] != "production":
        log.info("Email to %s: %s\n%s", recipient, subject, body)
    return message


def _deliver_smtp(message: OutboxEmail) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
