"""A section save sent after the session ended: the sign-in page keeps what was typed, and the
section page shows it again after signing in, saving nothing until the person saves."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select

from selfassess import kept_input
from selfassess.extensions import db
from selfassess.models import UserSession

KEPT = "We kept what you typed before your session ended"


def _sign_in_form(html: str) -> tuple[str, dict[str, str]]:
    form = BeautifulSoup(html, "html.parser").find(
        "form", attrs={"method": "post"}, action=lambda a: a and "sign-in" in a
    )
    assert form is not None, "no sign-in form"
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    return form["action"], fields


def _end_by_sign_out(qa, client):
    # Signing out in another tab of the same browser.
    token = qa.load(client, "GOV")["csrf_token"]
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302


def _end_by_revocation(qa, client):
    db.session.execute(delete(UserSession).where(UserSession.user_id == qa.user.id))
    db.session.commit()


def _end_by_idle_timeout(qa, client):
    idle = qa.app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    with client.session_transaction() as session:
        session["seen"] = int(time.time() - idle - 5)


def _typed(qa, client):
    maturity, yes_no, text = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "REL-3.3"))
    data = qa.load(client, "REL")
    typed = {
        qa.a(maturity): "4",
        qa.c(maturity): "Coaching notes",
        qa.a(yes_no): "yes",
        qa.a(text): "Typed for an hour",
    }
    data.update(typed)
    return data, typed


@pytest.mark.parametrize(
    "end",
    [_end_by_sign_out, _end_by_revocation, _end_by_idle_timeout],
    ids=["sign-out", "revoked", "idle"],
)
def test_typed_input_survives_an_ended_session(qa, client, end):
    qa.sign_in(client, qa.user)
    data, typed = _typed(qa, client)
    end(qa, client)

    response = qa.post(client, "REL", data, action="continue")
    assert response.status_code == 401
    assert "Your session has ended" in response.text
    action, fields = _sign_in_form(response.text)
    assert urlsplit(action).path == "/auth/sign-in"
    assert "next=" in action and "REL" in action
    draft = json.loads(fields["draft"])
    assert draft["path"] == qa.url("REL")
    for name, value in typed.items():
        assert draft["fields"][name] == [value]
    assert "csrf_token" not in draft["fields"]
    assert qa.answer_count() == 0

    fields.update(email=qa.user.email, password="correct horse battery staple")
    signed_in = client.post(action, data=fields)
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == qa.url("REL")
    assert qa.answer_count() == 0

    page = client.get(qa.url("REL"))
    assert page.status_code == 200
    assert KEPT in page.text
    shown = qa.form_data(page.text)
    for name, value in typed.items():
        assert shown[name] == value
    assert qa.answer_count() == 0
    assert qa.audit() == []

    assert qa.post(client, "REL", shown).status_code == 302
    stored = qa.stored()
    assert stored["REL-1.1"].value == "4"
    assert stored["REL-1.1"].comment == "Coaching notes"
    assert stored["REL-1.2"].value == "yes"
    assert stored["REL-3.3"].value == "Typed for an hour"
    assert stored["REL-1.1"].updated_by_id == qa.user.id

    # The kept input is shown once: the next visit shows what is stored, without the notice.
    again = client.get(qa.url("REL"))
    assert KEPT not in again.text
    assert qa.form_data(again.text)[qa.a(qa.question("REL-1.1"))] == "4"


def test_get_after_the_session_ended_redirects_to_sign_in(qa, client):
    qa.sign_in(client, qa.user)
    _end_by_revocation(qa, client)
    response = client.get(qa.url("REL"))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/auth/sign-in"


def _kept_sign_in_page(qa, client):
    qa.sign_in(client, qa.user)
    data, typed = _typed(qa, client)
    _end_by_revocation(qa, client)
    response = qa.post(client, "REL", data)
    assert response.status_code == 401
    return _sign_in_form(response.text), typed


def test_a_kept_draft_is_shown_only_on_its_own_page(qa, client):
    (action, fields), _typed_fields = _kept_sign_in_page(qa, client)
    fields.update(email=qa.user.email, password="correct horse battery staple")
    assert client.post(action, data=fields).status_code == 302
    other = client.get(qa.url("VIS"))
    assert other.status_code == 200
    assert KEPT not in other.text
    task_list = client.get(qa.url())
    assert KEPT not in task_list.text
    page = client.get(qa.url("REL"))
    assert KEPT in page.text
    assert qa.form_data(page.text)[qa.a(qa.question("REL-1.1"))] == "4"


def test_a_draft_for_another_page_than_next_is_dropped(qa, client):
    (_action, fields), _typed_fields = _kept_sign_in_page(qa, client)
    fields.update(email=qa.user.email, password="correct horse battery staple")
    response = client.post(f"/auth/sign-in?next={qa.url('VIS')}", data=fields)
    assert response.headers["Location"] == qa.url("VIS")
    assert KEPT not in client.get(qa.url("VIS")).text
    page = client.get(qa.url("REL"))
    assert KEPT not in page.text
    assert qa.a(qa.question("REL-1.1")) not in qa.form_data(page.text)


def test_a_wrong_password_on_the_kept_page_keeps_the_draft(qa, client):
    (action, fields), typed = _kept_sign_in_page(qa, client)
    wrong = client.post(action, data={**fields, "email": qa.user.email, "password": "nope"})
    assert wrong.status_code == 200
    assert "Enter a correct email address and password" in wrong.text
    retry = BeautifulSoup(wrong.text, "html.parser").find("input", attrs={"name": "draft"})
    assert json.loads(retry["value"])["path"] == qa.url("REL")
    # The page posts back to the same address (with next=), as a browser would.
    fields["draft"] = retry["value"]
    fields["csrf_token"] = qa.csrf_of(wrong.text)
    right = client.post(
        action, data={**fields, "email": qa.user.email, "password": "correct horse battery staple"}
    )
    assert right.headers["Location"] == qa.url("REL")
    page = client.get(qa.url("REL"))
    assert KEPT in page.text
    for name, value in typed.items():
        assert qa.form_data(page.text)[name] == value


GARBAGE = [
    "not json",
    "[]",
    "null",
    "42",
    '"text"',
    "{}",
    '{"path": 5, "fields": {}}',
    '{"path": "https://evil.example/x", "fields": {}}',
    '{"path": "PATH", "fields": []}',
    '{"path": "PATH", "fields": {"a_1": "not a list"}}',
    '{"path": "PATH", "fields": {"a_1": [1, null, {"x": 2}], "c_1": [["nested"]]}}',
]


def test_garbage_drafts_are_ignored(qa, client):
    q = qa.question("REL-1.1")
    qa.sign_in(client, qa.user)
    data = qa.load(client, "REL")
    data[qa.a(q)] = "2"
    assert qa.post(client, "REL", data).status_code == 302
    for garbage in GARBAGE:
        _end_by_sign_out(qa, client)
        page = client.get(f"/auth/sign-in?next={qa.url('REL')}")
        response = client.post(
            f"/auth/sign-in?next={qa.url('REL')}",
            data={
                "email": qa.user.email,
                "password": "correct horse battery staple",
                "csrf_token": qa.csrf_of(page.text),
                "draft": garbage.replace("PATH", qa.url("REL")),
            },
        )
        assert response.status_code == 302, garbage
        assert response.headers["Location"] == qa.url("REL")
        section = client.get(qa.url("REL"))
        assert section.status_code == 200, garbage
        assert KEPT not in section.text, garbage
        shown = qa.form_data(section.text)
        assert shown[qa.a(q)] == "2", garbage
        assert json.loads(shown["seen"])[q.code]
    assert len(qa.stored()) == 1


def test_a_draft_with_fields_of_another_section_is_harmless(qa, client):
    rel = qa.question("REL-1.1")
    page = client.get(f"/auth/sign-in?next={qa.url('VIS')}")
    # Sealed by the app for this user, as only a page of their own session gets (issue #13).
    draft = kept_input.seal(
        qa.url("VIS"), {qa.a(rel): ["5"], "seen": ["{}"], "unknown": ["x"]}, qa.user.id
    )
    response = client.post(
        f"/auth/sign-in?next={qa.url('VIS')}",
        data={
            "email": qa.user.email,
            "password": "correct horse battery staple",
            "csrf_token": qa.csrf_of(page.text),
            "draft": draft,
        },
    )
    assert response.status_code == 302
    shown = client.get(qa.url("VIS"))
    assert shown.status_code == 200
    assert KEPT in shown.text
    assert qa.a(rel) not in qa.form_data(shown.text)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == qa.user.id))
    db.session.refresh(row)
    assert row.draft is None


def test_kept_input_still_gets_the_conflict_check(qa, app, client):
    """Someone else saves while this person is signed out: their kept input is checked against
    what was on the page when they loaded it, so neither version is silently lost."""
    qa.sign_in(client, qa.user)
    q = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data[qa.a(q)] = "4"
    _end_by_revocation(qa, client)
    bob = app.test_client()
    qa.sign_in(bob, qa.colleague)
    bobs = qa.load(bob, "REL")
    bobs[qa.a(q)] = "1"
    assert qa.post(bob, "REL", bobs).status_code == 302

    action, fields = _sign_in_form(qa.post(client, "REL", data).text)
    fields.update(email=qa.user.email, password="correct horse battery staple")
    client.post(action, data=fields)
    restored = qa.form_data(client.get(qa.url("REL")).text)
    assert restored[qa.a(q)] == "4"
    refused = qa.post(client, "REL", restored)
    assert refused.status_code == 409
    assert "Saved by Bob Brown" in refused.text
    assert qa.stored()["REL-1.1"].value == "1"
    assert qa.post(client, "REL", qa.form_data(refused.text)).status_code == 302
    assert qa.stored()["REL-1.1"].value == "4"
