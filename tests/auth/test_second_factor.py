"""The optional authenticator-app second factor: set-up, sign-in, replay, throttling, removal."""

from __future__ import annotations

import time

import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from selfassess.auth import two_factor
from selfassess.extensions import db
from selfassess.models import AuditEvent, User, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.test_fuzz_inputs import check_page, check_status, fuzz_settings, fuzz_text, send


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset_steps * two_factor.STEP_SECONDS)


def _enable(client, user) -> str:
    page = client.get("/auth/account/second-factor")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text, "the QR code is an inline data image"
    with client.session_transaction() as session:
        secret = session["new_totp_secret"]
    assert secret in page.text, "the key is shown for typing in"
    wrong = client.post(
        "/auth/account/second-factor", data={"csrf_token": csrf_token(page.text), "code": "000000"}
    )
    assert wrong.status_code == 400 and "The code is not right" in wrong.text
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    done = client.post(
        "/auth/account/second-factor",
        data={"csrf_token": csrf_token(page.text), "code": _code(secret)},
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret
    return secret


def _password_step(client, user, next_=None):
    page = client.get("/auth/sign-in")
    url = "/auth/sign-in" + (f"?next={next_}" if next_ else "")
    return client.post(
        url,
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )


def test_accepted_step_refuses_replays_and_junk():
    secret = two_factor.new_secret()
    now = time.time()
    step = two_factor.accepted_step(secret, _code(secret), None, now)
    assert step == int(now // 30)
    assert two_factor.accepted_step(secret, _code(secret), step, now) is None, "replayed"
    assert two_factor.accepted_step(secret, _code(secret, -1), None, now) == step - 1
    assert two_factor.accepted_step(secret, _code(secret, -3), None, now) is None, "too old"
    fullwidth = "\uff11\uff12\uff13\uff14\uff15\uff16"  # digits, but not ASCII ones
    for junk in ("", "12345", "1234567", "abcdef", fullwidth, "12 34 5"):
        assert two_factor.accepted_step(secret, junk, None, now) is None
    spaced = _code(secret)
    assert two_factor.accepted_step(secret, f"{spaced[:3]} {spaced[3:]}", None, now) == step


def test_sign_in_with_a_second_factor(app, client, login, make_alliance, make_user):
    alliance = make_alliance()
    user = make_user(("coordinator", alliance))
    login(user)
    secret = _enable(client, user)
    client.post(
        "/auth/sign-out",
        data={"csrf_token": csrf_token(client.get("/home", follow_redirects=True).text)},
    )

    asked = _password_step(client, user, next_=f"/alliances/{alliance.slug}/")
    assert asked.status_code == 200 and "Enter your security code" in asked.text
    assert client.get(f"/alliances/{alliance.slug}/").status_code == 302, "not signed in yet"
    sessions_before = db.session.scalar(select(db.func.count(UserSession.id)))

    wrong = client.post(
        f"/auth/second-factor?next=/alliances/{alliance.slug}/",
        data={"csrf_token": csrf_token(asked.text), "code": "123456"},
    )
    assert wrong.status_code == 400 and "The code is not right" in wrong.text
    assert db.session.scalar(select(db.func.count(UserSession.id))) == sessions_before

    code = _code(secret, 1)  # the enrolment used this step's code: the next one is fresh
    right = client.post(
        f"/auth/second-factor?next=/alliances/{alliance.slug}/",
        data={"csrf_token": csrf_token(asked.text), "code": code},
    )
    assert right.status_code == 302
    assert right.headers["Location"] == f"/alliances/{alliance.slug}/"
    assert client.get(f"/alliances/{alliance.slug}/").status_code == 200
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity_id == user.id, AuditEvent.entity_type == "user"
        )
    ).all()
    assert "auth.second_factor_enabled" in actions
    assert "auth.second_factor_failed" in actions
    assert actions[-1] == "auth.sign_in"

    # The same code cannot sign in a second browser (replay).
    other = app.test_client()
    asked_again = _password_step(other, user)
    replay = other.post(
        "/auth/second-factor", data={"csrf_token": csrf_token(asked_again.text), "code": code}
    )
    assert replay.status_code == 400


def test_the_code_step_needs_the_password_step_first(client, make_user):
    user = make_user()
    page = client.get("/auth/sign-in")
    response = client.post(
        "/auth/second-factor", data={"csrf_token": csrf_token(page.text), "code": "123456"}
    )
    assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    assert db.session.scalar(select(db.func.count(UserSession.id))) == 0
    assert user.totp_secret is None


def test_wrong_codes_are_throttled(app, client, login, make_user):
    user = make_user(("site_admin", None))
    login(user)
    secret = _enable(client, user)
    client.post(
        "/auth/sign-out",
        data={"csrf_token": csrf_token(client.get("/home", follow_redirects=True).text)},
    )
    asked = _password_step(client, user)
    token = csrf_token(asked.text)
    statuses = [
        client.post("/auth/second-factor", data={"csrf_token": token, "code": "000000"}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [400] * 5
    assert statuses[5] == 429
    locked = client.post(
        "/auth/second-factor", data={"csrf_token": token, "code": _code(secret, 1)}
    )
    assert locked.status_code == 429, "even the right code waits once locked"


def test_turning_off_needs_a_code_and_admin_can_remove(app, client, login, make_user):
    user = make_user()
    login(user)
    secret = _enable(client, user)
    page = client.get("/auth/account/second-factor")
    assert "Turn off the second factor" in page.text
    refused = client.post(
        "/auth/account/second-factor", data={"csrf_token": csrf_token(page.text), "code": "999999"}
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret == secret

    admin = make_user(("site_admin", None))
    admin_client = app.test_client()
    sign_in = admin_client.get("/auth/sign-in")
    admin_client.post(
        "/auth/sign-in",
        data={
            "email": admin.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(sign_in.text),
        },
    )
    home = admin_client.get("/admin/")
    assert "Remove second factor" in home.text
    removed = admin_client.post(
        f"/admin/users/{user.id}/second-factor", data={"csrf_token": csrf_token(home.text)}
    )
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_secret is None
    assert client.get("/home").status_code == 302, "the user's sessions were ended"


def test_a_reset_link_does_not_bypass_the_second_factor(client, login, make_user):
    from selfassess.auth import tokens

    user = make_user()
    login(user)
    _enable(client, user)
    with client.application.test_request_context():
        token = tokens.make_token(db.session.get(User, user.id), tokens.RESET)
    other = client.application.test_client()
    page = other.get(f"/auth/reset-password/{token}")
    response = other.post(
        f"/auth/reset-password/{token}",
        data={
            "csrf_token": csrf_token(page.text),
            "password": "a brand new passphrase 42",
            "confirm": "a brand new passphrase 42",
        },
    )
    assert response.status_code == 302
    assert other.get("/home").status_code == 302, "still signed out: a code is needed"


@pytest.fixture
def user_with_app(make_user):
    user = make_user()
    user.totp_secret = two_factor.new_secret()
    db.session.commit()
    return user


@fuzz_settings(60)
@given(code=fuzz_text, draft=st.one_of(st.just(""), fuzz_text))
def test_code_form_survives_anything(client, user_with_app, code, draft):
    """Arbitrary text in the code step: never a 5xx, nothing injected, no session from it."""
    asked = _password_step(client, user_with_app)
    assert asked.status_code == 200
    sessions = db.session.scalar(select(db.func.count(UserSession.id)))
    response = send(
        client.post,
        "/auth/second-factor",
        data={"csrf_token": csrf_token(asked.text), "code": code, "draft": draft},
    )
    check_status(response, {400, 429}, "second factor")
    check_page(response, code, draft)
    assert db.session.scalar(select(db.func.count(UserSession.id))) == sessions
