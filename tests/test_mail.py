"""Email through the outbox queue: mail server down then up, a crash between sending and
recording, refusals, and what site administrators see. A local SMTP sink (aiosmtpd) is the
mail server; retries scheduled on the queue are run by reading huey's schedule ahead of time
(no test waits for a clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from selfassess import jobs, mail
from selfassess.extensions import db
from selfassess.models import OutboxEmail, OutboxState
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.smtp_sink import SmtpSink, free_port


@pytest.fixture
def sink(app: Any) -> Iterator[SmtpSink]:
    """A mail server on a known port, not started: the test says when it comes up."""
    server = SmtpSink(free_port())
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_STARTTLS=False,
        MAIL_TIMEOUT=5,
        MAIL_RETRY_BASE_SECONDS=60,
        MAIL_CLAIM_SECONDS=300,
    )
    jobs.huey.flush()
    yield server
    server.stop()
    jobs.huey.flush()


def _write(*recipients: str) -> list[int]:
    ids = [mail.send_email(r, f"Hello {r}", f"Body for {r}").id for r in recipients]
    db.session.commit()  # the delivery jobs start now (inline in tests)
    return ids


def _idle() -> None:
    """End the test's own transaction, as a request does before its jobs run (on SQLite every
    transaction holds the write lock, and the job works in a session of its own)."""
    db.session.commit()


def _run_scheduled_retries() -> int:
    """Run every retry the queue holds, as the consumer will once their time comes."""
    _idle()
    ahead = jobs.huey._get_timestamp() + timedelta(days=1)
    due = jobs.huey.read_schedule(ahead)
    for task in due:
        jobs.huey.execute(task, timestamp=ahead)
    return len(due)


def _rows(ids: list[int]) -> list[OutboxEmail]:
    db.session.expire_all()
    rows = [db.session.get(OutboxEmail, i) for i in ids]
    for row in rows:
        db.session.expunge(row)  # a copy to read, not a transaction left open
    _idle()
    return rows


def test_server_down_then_up_delivers_every_email_exactly_once(app, sink):
    recipients = [f"person{n}@example.nhs.uk" for n in range(3)]
    ids = _write(*recipients)
    rows = _rows(ids)
    assert [r.state for r in rows] == [OutboxState.PENDING] * 3
    assert all(r.attempts == 1 and "ConnectionRefusedError" in r.last_error for r in rows)
    first_wait = [r.next_attempt_at - r.claimed_at for r in rows]

    assert _run_scheduled_retries() == 3  # still down: tried again, waiting longer each time
    rows = _rows(ids)
    assert all(r.state == OutboxState.PENDING and r.attempts == 2 for r in rows)
    assert all(
        (r.next_attempt_at - r.claimed_at) > 1.9 * w for r, w in zip(rows, first_wait, strict=True)
    )
    assert sink.messages == []

    sink.start()
    assert _run_scheduled_retries() == 3
    rows = _rows(ids)
    assert [r.state for r in rows] == [OutboxState.SENT] * 3
    assert sorted(m["To"] for m in sink.messages) == recipients
    assert sorted(m["Message-ID"] for m in sink.messages) == sorted(r.message_id for r in rows)

    # Every way the job could run again sends nothing more.
    _idle()
    for outbox_id in ids:
        jobs.enqueue(mail.deliver_email, outbox_id)
    mail.sweep_outbox.call_local()
    assert _run_scheduled_retries() == 0
    assert len(sink.messages) == 3


def test_a_crash_between_sending_and_recording_resends_once_with_the_same_message_id(
    app, sink, monkeypatch
):
    sink.start()

    def die(outbox_id: int, token: str) -> None:
        raise SystemExit("worker killed after the server accepted the message")

    with monkeypatch.context() as patch:
        patch.setattr(jobs, "enqueue_after_commit", lambda job, *args: None)
        (outbox_id,) = _write("crash@example.nhs.uk")  # written; its job is ours to run
    monkeypatch.setattr(mail, "record_sent", die)
    _idle()
    with pytest.raises(SystemExit):
        mail.deliver_email.call_local(outbox_id)  # the worker that dies
    (row,) = _rows([outbox_id])
    assert row.state == OutboxState.SENDING and len(sink.messages) == 1
    monkeypatch.undo()

    # While the dead job's claim is fresh, nothing sends it again: not a duplicate job, not
    # the sweep.
    _idle()
    jobs.enqueue(mail.deliver_email, row.id)
    mail.sweep_outbox.call_local()
    assert len(sink.messages) == 1
    assert _rows([row.id])[0].state == OutboxState.SENDING

    # Once the claim is older than MAIL_CLAIM_SECONDS the sweep takes the email as lost and
    # sends it once more, with the same Message-ID, so the receiver keeps one copy.
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == row.id)
        .values(claimed_at=row.claimed_at - timedelta(seconds=301))
    )
    db.session.commit()
    mail.sweep_outbox.call_local()
    (row,) = _rows([row.id])
    assert row.state == OutboxState.SENT and row.attempts == 2
    assert len(sink.messages) == 2
    assert {m["Message-ID"] for m in sink.messages} == {row.message_id}
    _idle()
    mail.sweep_outbox.call_local()
    jobs.enqueue(mail.deliver_email, row.id)
    assert len(sink.messages) == 2


def test_two_jobs_for_one_email_send_it_once(app, sink):
    sink.start()
    app.config["MAIL_SERVER"] = None  # written to the outbox only, as if the queue lost it
    (outbox_id,) = _write("twice@example.nhs.uk")
    db.session.execute(update(OutboxEmail).values(state=OutboxState.PENDING))
    db.session.commit()
    app.config["MAIL_SERVER"] = "127.0.0.1"
    _idle()
    for _ in range(3):
        jobs.enqueue(mail.deliver_email, outbox_id)
    assert len(sink.messages) == 1
    assert _rows([outbox_id])[0].attempts == 2  # the logged try, then one real send


def test_a_refused_recipient_fails_at_once_and_admins_see_it(app, sink, make_user):
    sink.start()
    sink.refuse = True
    (outbox_id,) = _write("nobody@example.nhs.uk")
    row = _rows([outbox_id])[0]
    assert row.state == OutboxState.FAILED and row.attempts == 1
    assert "recipient refused" in row.last_error
    assert _run_scheduled_retries() == 0

    admin = make_user(("site_admin", None))
    client = app.test_client()
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    text = client.get("/admin/").text
    assert "Emails that could not be delivered" in text
    assert "nobody@example.nhs.uk" in text and "recipient refused" in text


def test_out_of_retries_is_failed(app, sink):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    (outbox_id,) = _write("down@example.nhs.uk")
    while _run_scheduled_retries():
        pass
    row = _rows([outbox_id])[0]
    assert row.state == OutboxState.FAILED and row.attempts == 3
    assert mail.failed_emails()[0].id == outbox_id


def test_a_rolled_back_email_is_never_sent(app, sink):
    sink.start()
    mail.send_email("never@example.nhs.uk", "Never", "Rolled back")
    db.session.rollback()
    db.session.commit()
    assert sink.messages == []


def test_retry_waits_double():
    assert [mail.retry_delay(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
