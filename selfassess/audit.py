"""The only writer of audit events: services call ``record`` inside their own transaction."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_login import current_user

from .extensions import db
from .models import AuditEvent


def record(
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    alliance_id: int | None = None,
    trust_id: int | None = None,
    actor_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session; it commits (or rolls back) with the change it records."""
    if actor_id is None and has_request_context() and current_user.is_authenticated:
        actor_id = current_user.id
    event = AuditEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
        alliance_id=alliance_id,
        trust_id=trust_id,
        actor_id=actor_id,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    db.session.add(event)
    return event
