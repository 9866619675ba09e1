"""The forgotten-password page answers alike for every email, and caps reset emails per account.

Issue #13 (finding 10): the page answered in ~7.7 ms for a known email and ~5.3 ms for an
unknown one (the lookup, the email and the audit record ran before the answer), and an account
could be sent any number of reset emails.
"""

from __future__ import annotations

import time
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from selfassess.auth import database_limiter
from selfassess.extensions import db
from selfassess.models import AuditEvent, OutboxEmail, ThrottleHit
from tests.conftest import count_queries, csrf_token
from tests.stable_page import stable


def _ask(client: FlaskClient, email: str, **kwargs: Any) -> Any:
    token = csrf_token(client.get("/auth/forgot-password").text)
    return client.post(
        "/auth/forgot-password", data={"email": email, "csrf_token": token}, **kwargs
    )


def _emails_to(email: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxEmail).where(OutboxEmail.recipient == email)
    )


def _events(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_the_answer_goes_before_any_account_work_whatever_the_email(app, make_user):
    """Until the answer has been sent the request does the same for every email; the lookup
    and the email follow it."""
    known = make_user().email
    db.session.rollback()
    answers, statements = {}, {}
    for kind, email in (("known", known), ("unknown", "nobody@example.nhs.uk")):
        client = app.test_client()
        token = csrf_token(client.get("/auth/forgot-password").text)
        with count_queries() as seen:
            response = client.post(
                "/auth/forgot-password", buffered=False, data={"email": email, "csrf_token": token}
            )
            body = response.get_data(as_text=True)
        answers[kind], statements[kind] = stable(body.replace(email, "EMAIL")), seen
        assert _emails_to(email) == 0  # nothing written before the answer has gone
        response.close()  # as the server does once the answer is sent
    assert answers["known"] == answers["unknown"]
    assert statements["known"] == statements["unknown"] == []
    assert _emails_to(known) == 1
    assert _emails_to("nobody@example.nhs.uk") == 0


def test_an_account_gets_three_reset_emails_an_hour_and_the_same_answer_after(
    app, make_user, monkeypatch
):
    email, other = make_user().email, make_user().email
    answers = [_ask(app.test_client(), email) for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4
    assert len({stable(a.get_data()) for a in answers}) == 1  # the fourth answer tells nothing
    assert _emails_to(email) == 3
    assert _events("auth.reset_limited") == 1
    assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 3  # shared store

    _ask(app.test_client(), other)
    assert _emails_to(other) == 1  # per account, not for everyone

    later = time.time() + 61 * 60
    monkeypatch.setattr(database_limiter.time, "time", lambda: later)
    _ask(app.test_client(), email)
    assert _emails_to(email) == 4
