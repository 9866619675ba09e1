"""A kept draft is offered back only to the person who typed it, from a page of their own session.

Issue #13 (finding 6): a cross-site form posted to a section page arrives without the session
cookie (SameSite=Lax), looks like a save sent after the session ended, and its fields came back
as "We kept what you typed" once the victim signed in on the page that answer showed. These
tests play that attack, and its variants, through the real pages.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from tests.questionnaire.test_questionnaire_session_ended import (
    KEPT,
    _end_by_revocation,
    _end_by_sign_out,
    _sign_in_form,
    _typed,
)

PASSWORD = "correct horse battery staple"
CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
ATTACKER_TEXT = "Planted by another site"


def _attacker_fields(qa) -> dict[str, str]:  # type: ignore[no-untyped-def]
    maturity, text = qa.question("REL-1.1"), qa.question("REL-3.3")
    return {qa.a(maturity): "5", qa.a(text): ATTACKER_TEXT, "action": "later"}


def _draft_of(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "draft"})
    return field.get("value", "") if field is not None else ""


def _sign_in_there(client, action: str, fields: dict[str, str], user) -> None:  # type: ignore[no-untyped-def]
    response = client.post(action, data={**fields, "email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def _nothing_planted(qa, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(qa.url("REL"))
    assert page.status_code == 200
    assert KEPT not in page.text
    assert ATTACKER_TEXT not in page.text
    assert qa.a(qa.question("REL-1.1")) not in qa.form_data(page.text)  # no choice made
    assert qa.answer_count() == 0


@pytest.mark.parametrize("headers", [CROSS_SITE, {}], ids=["fetch-metadata", "old-browser"])
def test_a_cross_site_post_without_the_cookie_plants_no_draft(qa, app, headers):
    """The attack as reported: the victim's browser sends the attacker's form without its
    cookie, then the victim signs in on the page that comes back."""
    victim = app.test_client()  # SameSite=Lax: the cookie stays behind on a cross-site POST
    response = victim.post(qa.url("REL"), data=_attacker_fields(qa), headers=headers)
    assert response.status_code == 401
    assert _draft_of(response.text) == ""
    assert "Your session has ended" not in response.text

    action, fields = _sign_in_form(response.text)
    _sign_in_there(victim, action, fields, qa.user)
    _nothing_planted(qa, victim)


def test_a_draft_from_another_users_session_is_not_restored_for_the_victim(qa, app):
    """The attacker's own ended session yields a draft sealed to the attacker; whoever signs in
    with it, it is only ever offered back to the attacker."""
    attacker = app.test_client()
    qa.sign_in(attacker, qa.colleague)
    data = qa.load(attacker, "REL")
    data.update(_attacker_fields(qa))
    _end_by_sign_out(qa, attacker)
    response = attacker.post(qa.url("REL"), data=data)
    assert response.status_code == 401
    assert json.loads(_draft_of(response.text))["fields"]  # kept, for the attacker only

    action, fields = _sign_in_form(response.text)
    _sign_in_there(attacker, action, fields, qa.user)  # the victim signs in on that page
    _nothing_planted(qa, attacker)


@pytest.mark.parametrize("forgery", ["no-token", "cross-site-headers", "other-origin"])
def test_a_post_from_another_site_with_the_cookie_keeps_no_draft(qa, client, forgery):
    """Should the cookie travel after all (a browser without SameSite, a sibling host), the
    form still has to prove it came from a page of the session that ended."""
    qa.sign_in(client, qa.user)
    data = qa.load(client, "REL")
    data.update(_attacker_fields(qa))
    headers: dict[str, str] = {}
    if forgery == "no-token":
        data.pop("csrf_token")
    elif forgery == "cross-site-headers":
        headers = CROSS_SITE
    else:
        headers = {"Origin": "https://evil.example"}
    _end_by_revocation(qa, client)
    response = client.post(qa.url("REL"), data=data, headers=headers)
    assert response.status_code == 401
    assert _draft_of(response.text) == ""

    action, fields = _sign_in_form(response.text)
    _sign_in_there(client, action, fields, qa.user)
    _nothing_planted(qa, client)


def test_a_draft_typed_into_the_sign_in_form_is_ignored(qa, client):
    """A draft not sealed by the app (or changed after sealing) is dropped at sign-in."""
    qa.sign_in(client, qa.user)
    data, _typed_fields = _typed(qa, client)
    _end_by_revocation(qa, client)
    kept = qa.post(client, "REL", data)
    action, fields = _sign_in_form(kept.text)
    envelope = json.loads(fields["draft"])
    maturity = qa.a(qa.question("REL-1.1"))
    forged = [
        json.dumps({"path": qa.url("REL"), "fields": {maturity: ["5"]}}),
        json.dumps({**envelope, "fields": {**envelope["fields"], maturity: ["5"]}}),
        json.dumps({**envelope, "path": qa.url("VIS")}),
    ]
    for draft in forged:
        page = client.get(f"/auth/sign-in?next={qa.url('REL')}")
        response = client.post(
            action,
            data={
                "email": qa.user.email,
                "password": PASSWORD,
                "draft": draft,
                "csrf_token": qa.csrf_of(page.text),
            },
        )
        assert response.status_code == 302, draft
        shown = client.get(qa.url("REL"))
        assert KEPT not in shown.text, draft
        assert maturity not in qa.form_data(shown.text), draft
        _end_by_sign_out(qa, client)


@pytest.mark.parametrize("origin", ["null", "http://localhost"])
def test_the_same_origin_headers_of_a_real_browser_keep_the_draft(qa, client, origin):
    """A current browser sends Sec-Fetch-Site and Origin with the real form: still kept.
    Chromium sends ``Origin: null`` for our own forms, because of ``Referrer-Policy:
    no-referrer`` (found by tests/browser/test_kept_drafts.py)."""
    qa.sign_in(client, qa.user)
    data, typed = _typed(qa, client)
    _end_by_revocation(qa, client)
    response = client.post(
        qa.url("REL"), data=data, headers={"Sec-Fetch-Site": "same-origin", "Origin": origin}
    )
    assert response.status_code == 401
    action, fields = _sign_in_form(response.text)
    _sign_in_there(client, action, fields, qa.user)
    page = client.get(qa.url("REL"))
    assert KEPT in page.text
    for name, value in typed.items():
        assert qa.form_data(page.text)[name] == value
