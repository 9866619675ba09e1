"""The site administrator's "what needs doing" (#17 point 4): failed emails with *Retry*, and
invitations nobody answered (expired or waiting) with *Send again*.

Retry goes back through the outbox's own delivery job, so an email is still sent once: a second
click, the sweep and a stray job send nothing more. Mail goes to a local SMTP sink (aiosmtpd).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, update

from selfassess import jobs, mail
from selfassess.extensions import db
from selfassess.invitations.services import offer_for_token
from selfassess.models import AuditEvent, Membership, OutboxEmail, OutboxState, RoleInvitation
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.smtp_sink import SmtpSink, free_port


@pytest.fixture
def sink(app: Any) -> Iterator[SmtpSink]:
    """A running mail server that refuses every recipient until the test says otherwise."""
    server = SmtpSink(free_port())
    server.start()
    server.refuse = True
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_STARTTLS=False, MAIL_TIMEOUT=5
    )
    jobs.huey.flush()
    yield server
    server.stop()
    jobs.huey.flush()


@pytest.fixture
def admin_client(app: Any, make_user: Any) -> Any:
    admin = make_user(("site_admin", None))
    client = app.test_client()
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    return client


def _needs_doing(client: Any) -> list[str]:
    page = BeautifulSoup(client.get("/admin/").text, "html.parser")
    return [li.get_text(" ", strip=True) for li in page.select(".needs-doing li")]


def _post(client: Any, url: str) -> Any:
    token = csrf_token(client.get("/admin/").text)
    return client.post(url, data={"csrf_token": token})


def _failed_email(sink: SmtpSink) -> int:
    outbox_id = mail.send_email("typo@example.nhs.uk", "Your 2026/27 assessment", "Body").id
    db.session.commit()  # delivered inline: the sink refuses the recipient, for good
    db.session.expire_all()
    assert db.session.get(OutboxEmail, outbox_id).state == OutboxState.FAILED
    return outbox_id


def test_retry_delivers_a_failed_email_once_and_is_audited(app, sink, admin_client):
    outbox_id = _failed_email(sink)
    assert _needs_doing(admin_client)[0].startswith("1 email could not be delivered")
    sink.refuse = False  # the administrator fixed the mail server's rule
    response = _post(admin_client, f"/admin/emails/{outbox_id}/retry")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/#failed-emails")
    assert [m["To"] for m in sink.messages] == ["typo@example.nhs.uk"]
    db.session.expire_all()
    row = db.session.get(OutboxEmail, outbox_id)
    assert row.state == OutboxState.SENT and row.attempts == 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "email.retried")).one()
    assert event.entity_id == outbox_id and event.before["state"] == "failed"
    assert "recipient refused" in event.before["last_error"]

    # A second click, a stray job and the sweep send nothing more.
    again = _post(admin_client, f"/admin/emails/{outbox_id}/retry")
    assert again.status_code == 302
    assert "no longer failed" in admin_client.get("/admin/").text
    db.session.commit()
    jobs.enqueue(mail.deliver_email, outbox_id)
    mail.sweep_outbox.call_local()
    assert len(sink.messages) == 1
    assert (
        len(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "email.retried")).all()
        )
        == 1
    )
    assert _needs_doing(admin_client) == ["Nothing needs doing now."]


def test_a_retry_that_fails_again_is_failed_again_and_offered_again(app, sink, admin_client):
    outbox_id = _failed_email(sink)
    assert _post(admin_client, f"/admin/emails/{outbox_id}/retry").status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxEmail, outbox_id).state == OutboxState.FAILED
    page = admin_client.get("/admin/").text
    assert f"/admin/emails/{outbox_id}/retry" in page and sink.messages == []


def test_two_retries_in_one_moment_queue_the_email_once(app, sink):
    outbox_id = _failed_email(sink)
    assert mail.retry_failed(outbox_id) is True
    assert mail.retry_failed(outbox_id) is False  # the same transaction: already pending
    db.session.rollback()


def test_retry_needs_the_form_token_and_a_real_email(app, sink, admin_client):
    outbox_id = _failed_email(sink)
    admin_client.get("/admin/")
    assert admin_client.post(f"/admin/emails/{outbox_id}/retry").status_code == 400
    assert _post(admin_client, "/admin/emails/999999/retry").status_code == 404
    db.session.expire_all()
    assert db.session.get(OutboxEmail, outbox_id).state == OutboxState.FAILED
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "email.retried")).all()
        == []
    )


def _offer(admin_client: Any, alliance: Any, trust: Any, email: str) -> RoleInvitation:
    page = admin_client.get("/admin/")
    response = admin_client.post(
        "/admin/users/invite",
        data={
            "email": email,
            "name": "New Lead",
            "role": "trust_user",
            "alliance": str(alliance.id),
            "trust": str(trust.id),
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    return db.session.scalars(select(RoleInvitation).where(RoleInvitation.email == email)).one()


def _age(offer: RoleInvitation, days: int) -> None:
    """Make the offer (and its sending) ``days`` old, as if sent then."""
    when = offer.created_at - timedelta(days=days)
    db.session.execute(
        update(RoleInvitation).where(RoleInvitation.id == offer.id).values(created_at=when)
    )
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.entity_type == "role_invitation", AuditEvent.entity_id == offer.id)
        .values(occurred_at=when)
    )
    db.session.commit()


def test_an_expired_invitation_is_listed_and_sent_again_with_a_fresh_link(
    app, sink, admin_client, make_alliance, make_trust, make_membership
):
    sink.refuse = False
    alliance, trust = make_alliance(), make_trust()
    make_membership(alliance, trust)
    offer = _offer(admin_client, alliance, trust, "new.lead@example.nhs.uk")
    assert _needs_doing(admin_client) == ["1 invitation is waiting for an answer"]
    _age(offer, 8)
    assert _needs_doing(admin_client)[0].startswith("1 invitation has expired without an answer")
    assert "Expired" in admin_client.get("/admin/").text
    response = _post(admin_client, f"/admin/invitations/{offer.id}/resend")
    assert response.status_code == 302
    assert len(sink.to("new.lead@example.nhs.uk")) == 2
    link = sink.to("new.lead@example.nhs.uk")[-1].get_content()
    token = link.split("/invitations/")[1].split()[0]
    assert offer_for_token(token).id == offer.id  # the new link works
    offered = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "role.offered", AuditEvent.entity_id == offer.id
        )
    ).all()
    assert len(offered) == 2
    assert _needs_doing(admin_client) == ["1 invitation is waiting for an answer"]


def test_an_invitation_to_a_trust_that_left_is_not_offered_again(
    app, sink, admin_client, make_alliance, make_trust, make_membership
):
    sink.refuse = False
    alliance, trust = make_alliance(), make_trust()
    membership = make_membership(alliance, trust)
    offer = _offer(admin_client, alliance, trust, "left@example.nhs.uk")
    db.session.execute(
        update(Membership).where(Membership.id == membership.id).values(active=False)
    )
    db.session.commit()
    page = admin_client.get("/admin/").text
    assert "no longer a member of the alliance" in page
    assert f"/admin/invitations/{offer.id}/resend" not in page
    response = _post(admin_client, f"/admin/invitations/{offer.id}/resend")  # sent anyway
    assert response.status_code == 302
    assert len(sink.to("left@example.nhs.uk")) == 1
    assert _post(admin_client, "/admin/invitations/999999/resend").status_code == 404
