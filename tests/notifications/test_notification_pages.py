"""The notifications list, its unread count in the header, opening one, and email choices."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import Category, Notification, NotificationPreference, OutboxState, User
from selfassess.notifications import services
from selfassess.notifications.services import Message
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.notifications.conftest import emails_to


def _tell(user: User, title: str, category: Category = Category.CYCLE) -> Notification:
    note = services.notify(
        [user],
        Message(
            category=category,
            title=title,
            body=f"{title}.\n\nSecond paragraph.",
            endpoint="main.home",
            values={},
            reason="a test says so",
        ),
    )[0]
    db.session.commit()
    return note


def _sign_in(app: Any, user: User) -> Any:
    client = app.test_client()
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    return client


def test_the_list_shows_only_my_notifications_and_the_header_counts_unread(app, people, sink):
    me, other = people.users["user_a"], people.users["user_b"]
    _tell(me, "First news")
    _tell(me, "Second news")
    _tell(other, "Not yours")
    client = _sign_in(app, me)
    page = BeautifulSoup(client.get("/notifications/").text, "html.parser")
    titles = [h.text for h in page.select(".notification-list h2")]
    assert titles == ["Second news", "First news"]
    assert "Not yours" not in page.text
    header = page.find("header")
    assert "Notifications 2 unread" in " ".join(header.text.split())
    assert services.unread_count(me) == 2


def test_opening_marks_read_and_goes_to_the_page(app, people, sink):
    me = people.users["user_a"]
    note = _tell(me, "Open me")
    client = _sign_in(app, me)
    token = csrf_token(client.get("/notifications/").text)
    response = client.post(f"/notifications/{note.id}/open", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    db.session.refresh(note)
    assert note.read_at is not None
    assert services.unread_count(me) == 0
    header = BeautifulSoup(client.get("/notifications/").text, "html.parser").find(
        "nav", attrs={"aria-label": "Account"}
    )
    assert "unread" not in header.text


def test_another_users_notification_is_missing_and_stays_unread(app, people, sink):
    theirs = _tell(people.users["user_b"], "Theirs")
    client = _sign_in(app, people.users["user_a"])
    token = csrf_token(client.get("/notifications/").text)
    assert (
        client.post(f"/notifications/{theirs.id}/open", data={"csrf_token": token}).status_code
        == 404
    )
    assert client.post("/notifications/999999/open", data={"csrf_token": token}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_read_touches_only_mine(app, people, sink):
    me, other = people.users["user_a"], people.users["user_b"]
    _tell(me, "One")
    _tell(me, "Two")
    _tell(other, "Three")
    client = _sign_in(app, me)
    token = csrf_token(client.get("/notifications/").text)
    assert client.post("/notifications/read-all", data={"csrf_token": token}).status_code == 302
    assert services.unread_count(me) == 0
    assert services.unread_count(other) == 1


def test_a_category_turned_off_sends_no_email_but_still_lists_it(app, people, sink):
    me = people.users["user_a"]
    client = _sign_in(app, me)
    page = client.get("/notifications/preferences")
    assert page.status_code == 200
    boxes = BeautifulSoup(page.text, "html.parser").select("input[type=checkbox]")
    assert {b["value"] for b in boxes if b.has_attr("checked")} == {c.value for c in Category}
    keep = [c.value for c in Category if c != Category.CYCLE]
    response = client.post(
        "/notifications/preferences", data={"categories": keep, "csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    assert services.email_choices(me)[Category.CYCLE] is False
    _tell(me, "A cycle opened", Category.CYCLE)
    _tell(me, "A reminder", Category.REMINDER)
    assert [e.subject for e in emails_to(me)] == ["A reminder"]
    assert [m["Subject"] for m in sink.to(me.email)] == ["A reminder"]
    assert len(services.notifications_for(me)) == 2  # both still in the list


def test_security_mail_still_goes_with_every_category_off(app, people, sink, client):
    me = people.users["user_a"]
    services.set_email_choices(me, set())
    assert (
        db.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == me.id, NotificationPreference.email.is_(True)
            )
        )
        is None
    )
    page = client.get("/auth/forgot-password")
    client.post(
        "/auth/forgot-password", data={"email": me.email, "csrf_token": csrf_token(page.text)}
    )
    _tell(me, "Silenced", Category.ROLES)
    sent = emails_to(me)
    assert [e.subject for e in sent] == ["Reset your selfassess password"]
    assert sent[0].state == OutboxState.SENT
    assert [m["Subject"] for m in sink.to(me.email)] == ["Reset your selfassess password"]


def test_choices_are_the_users_own(app, people, sink):
    services.set_email_choices(people.users["user_a"], set())
    assert all(services.email_choices(people.users["user_b"]).values())
