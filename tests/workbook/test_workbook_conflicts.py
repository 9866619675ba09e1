"""Answers changed online after the download: never silently overwritten by the workbook."""

from __future__ import annotations

import pytest
import werkzeug.formparser
import werkzeug.wrappers.request
from sqlalchemy import select

from selfassess.assessments.answers import NotEditable
from selfassess.extensions import db
from selfassess.models import Answer, Assessment
from selfassess.workbook import services


def _saved_online(xw, code: str, value: str, comment: str | None = None) -> None:
    """Bob saves an answer through the section page after Alice downloaded her workbook."""
    from tests.conftest import TEST_PASSWORD, csrf_token

    bob = xw.app.test_client()
    page = bob.get("/auth/sign-in")
    bob.post(
        "/auth/sign-in",
        data={
            "email": xw.colleague.email,
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(page.text),
        },
    )
    section = code.split("-")[0]
    url = f"{xw.base}/sections/{section}"
    from bs4 import BeautifulSoup

    form = BeautifulSoup(bob.get(url).text, "html.parser").find("form", class_="section-form")
    data = {
        tag["name"]: tag.get("value", "")
        for tag in form.find_all("input")
        if tag.get("name") and tag.get("type") not in ("radio", "submit")
    }
    question = xw.question(code)
    data[f"a_{question.id}"] = value
    if comment is not None:
        data[f"c_{question.id}"] = comment
    response = bob.post(url, data={**data, "action": "later"})
    assert response.status_code == 302, response.text


def test_an_answer_changed_online_and_in_the_workbook_is_a_conflict(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    _saved_online(xw, "REL-1.1", "4", "Bob's evidence")
    xw.set_answer(book, "REL-1.1", 2, "Alice's evidence")
    xw.set_answer(book, "REL-2.1", 5)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 409
    (conflict,) = xw.messages(response, ".workbook-conflicts")
    assert conflict.startswith("REL-1.1 (sheet REL): Bob Brown changed this answer online at ")
    assert "Nothing has been saved" in response.text
    stored = xw.stored()
    assert stored["REL-1.1"] == ("4", "Bob's evidence")
    assert "REL-2.1" not in stored
    assert xw.audit() == []


def test_an_answer_changed_only_online_keeps_the_online_version(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    _saved_online(xw, "REL-1.1", "4")
    xw.set_answer(book, "REL-2.1", 5)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302
    stored = xw.stored()
    assert stored["REL-1.1"][0] == "4" and stored["REL-2.1"][0] == "5"
    (event,) = xw.audit()
    assert set(event.after["answers"]) == {"REL-2.1"}
    assert "theirs are kept (REL-1.1)" in client.get(f"{xw.base}/").text


def test_the_same_change_online_and_offline_is_no_conflict(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    _saved_online(xw, "REL-1.1", "4")
    xw.set_answer(book, "REL-1.1", 4)
    assert xw.upload(client, xw.to_bytes(book)).status_code == 302
    assert xw.stored()["REL-1.1"][0] == "4"
    assert xw.audit() == []


def test_the_upload_never_touches_the_disk(xw, client, monkeypatch):
    def no_disk(*args, **kwargs):
        raise AssertionError("the upload was spooled to a temporary file")

    monkeypatch.setattr(werkzeug.wrappers.request, "default_stream_factory", no_disk)
    monkeypatch.setattr(werkzeug.formparser, "default_stream_factory", no_disk)
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.1", 3)
    response = xw.upload(client, xw.to_bytes(book))
    assert response.status_code == 302, response.text
    assert xw.stored()["REL-1.1"][0] == "3"


def test_the_service_checks_editability_under_the_lock(xw, client):
    xw.sign_in(client, xw.user)
    book = xw.download(client)
    xw.set_answer(book, "REL-1.1", 3)
    db.session.get(Assessment, xw.assessment.id).state = "submitted"
    db.session.commit()
    with xw.app.test_request_context(), pytest.raises(NotEditable):
        services.upload(xw.assessment, xw.to_bytes(book), xw.user)
    assert db.session.scalars(select(Answer)).all() == []
