"""Signing in and out, sessions that really end, and no account enumeration."""

from __future__ import annotations

from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token


def test_sign_in_lands_on_the_single_role_home(client, login, make_user, make_alliance):
    alliance = make_alliance(slug="wtp")
    user = make_user(("coordinator", alliance))
    response = login(user)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    home = client.get("/home")
    assert home.status_code == 302
    assert home.headers["Location"].endswith("/alliances/wtp/")
    page = client.get("/alliances/wtp/")
    assert page.status_code == 200
    assert alliance.name in page.text


def test_user_with_several_roles_chooses(
    client, login, make_user, make_alliance, make_trust, make_membership
):
    alliance, trust = make_alliance(), make_trust()
    make_membership(alliance, trust)
    user = make_user(("coordinator", alliance), ("trust_user", trust))
    login(user)
    page = client.get("/home")
    assert page.status_code == 200
    assert f"Coordinate {alliance.name}" in page.text
    assert f"Self-assessments for {trust.name}" in page.text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, login, make_user):
    user = make_user()
    wrong = login(user, password="not the password")
    page = client.get("/auth/sign-in")
    unknown = client.post(
        "/auth/sign-in",
        data={
            "email": "nobody@example.nhs.uk",
            "password": "whatever it is",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "Enter a correct email address and password" in response.text
    assert client.get("/home").status_code == 302  # still signed out
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("auth.sign_in_failed") == 2


def test_email_is_case_insensitive(client, login, make_user):
    user = make_user(email="mixed@example.nhs.uk")
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={
            "email": "  Mixed@Example.NHS.uk ",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(UserSession.user_id)) == user.id


def test_deactivated_user_cannot_sign_in(client, login, make_user):
    user = make_user(active=False)
    response = login(user)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text


def test_sign_in_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/auth/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(select(UserSession.id)) is None


def test_sign_in_issues_a_new_session(client, login, make_user):
    user = make_user()
    client.get("/auth/sign-in")
    with client.session_transaction() as before:
        before["planted"] = "attacker"
    login(user)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["sid"]


def test_copied_cookie_stops_working_after_sign_out(app, client, login, make_user, make_alliance):
    alliance = make_alliance(slug="x")
    user = make_user(("coordinator", alliance))
    login(user)
    cookie = client.get_cookie("session")
    assert cookie is not None
    page = client.get("/alliances/x/")
    out = client.post("/auth/sign-out", data={"csrf_token": csrf_token(page.text)})
    assert out.status_code == 302, out.text
    assert db.session.scalar(select(UserSession.id)) is None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    response = thief.get("/alliances/x/")
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_idle_session_expires(app, client, login, make_user, make_alliance):
    alliance = make_alliance(slug="idle")
    login(make_user(("coordinator", alliance)))
    assert client.get("/alliances/idle/").status_code == 200
    with client.session_transaction() as session:
        session["seen"] -= int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds()) + 1
    assert client.get("/alliances/idle/").status_code == 302


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    user = make_user()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = client.get("/auth/sign-in")
        response = client.post(
            f"/auth/sign-in?next={target}",
            data={
                "email": user.email,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_token(page.text),
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/home"), target
        client.post("/auth/sign-out", data={"csrf_token": csrf_token(client.get("/home").text)})


def test_session_cookie_flags(client, login, make_user):
    response = login(make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
