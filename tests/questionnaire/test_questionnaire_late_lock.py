"""A section save takes its locks only to write (issue #21 goal 3, ``database.locks_late``).

A save reads the session, the assessment and the section and validates the form without
holding a lock, so other saves do not queue behind its form; whatever changes before it takes
the lock (a submission, a colleague's answer) is checked again under the lock and respected
(``answers.claim_for_answers``). On SQLite the lock is the database's one write lock; on
PostgreSQL the assessment's row.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from selfassess.extensions import db
from selfassess.questionnaire import routes


def _between_validation_and_save(
    monkeypatch: pytest.MonkeyPatch, act: Callable[[], Any]
) -> list[Any]:
    """Run ``act`` once a save's form has validated and before it writes; what it returned."""
    seen: list[Any] = []
    pending = [act]  # once: saves that ``act`` itself makes go through as usual
    real = routes.typed_entries

    def typed_entries(*args: Any, **kwargs: Any) -> Any:
        if pending:
            seen.append(pending.pop()())
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "typed_entries", typed_entries)
    return seen


def _write_at_once(statement: str, assessment_id: int) -> str:
    """Run ``statement`` on the assessment from a connection of its own that will not wait
    for a lock: "written", or "locked" if the save holds a lock it needs."""
    if db.engine.dialect.name == "sqlite":
        database = db.engine.url.database
        assert database
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute(statement.replace(":id", "?"), (assessment_id,))
            other.execute("COMMIT")
            return "written"
        except sqlite3.OperationalError:
            return "locked"
        finally:
            other.close()
    with db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '100ms'"))
        try:
            other.execute(text(statement), {"id": assessment_id})
        except OperationalError:
            other.rollback()
            return "locked"
        other.commit()
        return "written"


def _post(client, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post as a server would see it: the test's own transaction ended first (it would
    otherwise be the request's, and on SQLite may already hold the write lock)."""
    db.session.commit()
    return client.post(url, data={**data, "action": "later"})


def test_a_save_holds_no_lock_while_its_form_is_checked(qa, client, monkeypatch):
    """Failed before the change: on SQLite the post's first query (the session's user) began
    ``BEGIN IMMEDIATE``, and on PostgreSQL the assessment was read ``FOR UPDATE``, so no other
    writer could touch it until the save committed."""
    qa.sign_in(client, qa.user)
    question = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data[qa.a(question)] = "3"
    assessment_id, url = qa.assessment.id, qa.url("REL")
    seen = _between_validation_and_save(
        monkeypatch,
        lambda: _write_at_once(
            "UPDATE assessment SET version = version WHERE id = :id", assessment_id
        ),
    )
    response = _post(client, url, data)
    assert response.status_code == 302, response.text
    assert seen == ["written"]
    assert qa.stored()["REL-1.1"].value == "3"


def test_a_submission_between_the_check_and_the_lock_is_respected(qa, client, monkeypatch):
    """Someone submits the assessment after the save has read it but before it writes: the
    save checks again under the lock and refuses, writing nothing."""
    qa.sign_in(client, qa.user)
    question = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data[qa.a(question)] = "4"
    version = qa.fresh_assessment().version
    assessment_id, url = qa.assessment.id, qa.url("REL")
    seen = _between_validation_and_save(
        monkeypatch,
        lambda: _write_at_once(
            "UPDATE assessment SET state = 'submitted' WHERE id = :id", assessment_id
        ),
    )
    refused = _post(client, url, data)
    assert seen == ["written"]
    assert refused.status_code == 409
    assert "can no longer be changed" in refused.text
    db.session.expire_all()
    assert "REL-1.1" not in qa.stored()
    assessment = qa.fresh_assessment()
    assert (assessment.state, assessment.version) == ("submitted", version)
    assert qa.audit() == []


def test_a_colleagues_save_between_the_check_and_the_lock_is_never_overwritten(
    qa, app, client, monkeypatch
):
    """A colleague saves the same answer after this save has read and validated, before it
    writes. The colleague is not held up, and this save, merging with the answers read under
    the lock, is refused as a conflict: the colleague's answer stays."""
    qa.sign_in(client, qa.user)
    colleague = app.test_client()
    qa.sign_in(colleague, qa.colleague)
    question = qa.question("REL-1.1")
    mine, theirs = qa.load(client, "REL"), qa.load(colleague, "REL")
    mine[qa.a(question)], theirs[qa.a(question)] = "2", "5"
    url = qa.url("REL")
    outcome: list[int | BaseException] = []

    def post_theirs() -> None:
        try:
            with app.app_context():  # a request of its own, as on another server
                outcome.append(colleague.post(url, data={**theirs, "action": "later"}).status_code)
        except BaseException as error:  # reported below
            outcome.append(error)

    worker = threading.Thread(target=post_theirs)

    def colleague_saves() -> bool:
        worker.start()
        worker.join(timeout=5)
        return worker.is_alive()  # still waiting for a lock this save holds

    seen = _between_validation_and_save(monkeypatch, colleague_saves)
    mine_status = _post(client, url, mine).status_code
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert seen == [False] and outcome == [302]
    assert mine_status == 409
    db.session.expire_all()
    assert qa.stored()["REL-1.1"].value == "5"
    assert [event.actor_id for event in qa.audit()] == [qa.colleague.id]
