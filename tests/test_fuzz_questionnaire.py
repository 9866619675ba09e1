"""Fuzzing the questionnaire's and the coordinator's forms with arbitrary text.

Every field of a real section form (the real framework's Governance and Metrics questions),
the hidden conflict fingerprint, the open-cycle form and the return comment get anything at
all. Properties: never a 5xx; nothing injected into the page; a refused save stores nothing;
an accepted save stores exactly what the registry makes of the typed text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from selfassess.assessments.drafts import Entry
from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Alliance,
    Answer,
    Assessment,
    AssessmentState,
    Cycle,
    Membership,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
    Trust,
)
from selfassess.questionnaire.fields import kind_field
from tests.conftest import csrf_token
from tests.test_fuzz_inputs import (
    check_page,
    check_status,
    fuzz_settings,
    fuzz_text,
    send,
    short_fuzz,
)


@pytest.fixture
def section_world(app, make_user, client) -> dict[str, Any]:
    snapshot = import_framework(Path(app.config["QUESTIONS_DIR"]) / "alliance-maturity-1.0")
    alliance = Alliance(slug="fuzz", name="Fuzz", collaboration_type="multi_service")
    trust = Trust(code="FZ1", name="Fuzz Trust", trust_type="Acute", region="London")
    db.session.add_all([alliance, trust])
    db.session.flush()
    membership = Membership(
        alliance_id=alliance.id,
        trust_id=trust.id,
        collaboration_type="multi_service",
        joined_on=date(2024, 4, 1),
    )
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2026/27",
        snapshot=snapshot,
        state="open",
        opens_on=date(2026, 4, 1),
        closes_on=date(2099, 3, 31),
    )
    db.session.add_all([membership, cycle])
    db.session.flush()
    assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id)
    db.session.add(assessment)
    db.session.commit()
    user = make_user(("trust_user", trust), ("coordinator", alliance))
    page = client.get("/auth/sign-in")
    client.post(
        "/auth/sign-in",
        data={
            "email": user.email,
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(page.text),
        },
    )
    questions = db.session.scalars(
        select(SnapshotQuestion)
        .join(SnapshotStandard)
        .join(SnapshotDomain)
        .where(SnapshotDomain.snapshot_id == snapshot.id, SnapshotDomain.code.in_(["GOV", "MET"]))
        .order_by(SnapshotQuestion.id)
    ).all()
    return {
        "assessment": assessment,
        "trust": trust,
        "alliance": alliance,
        "client": client,
        "questions": questions,
    }


def _answer_values(question: SnapshotQuestion) -> st.SearchStrategy[str]:
    if question.kind == "maturity":
        good = st.sampled_from(["1", "2", "3", "4", "5"])
    elif question.kind == "yes_no":
        good = st.sampled_from(["yes", "no"])
    elif question.kind == "metric":
        good = st.floats(-1000, 1000, allow_nan=False).map(lambda n: f"{n:g}")
    else:
        good = short_fuzz
    return st.one_of(good, st.just(""), fuzz_text)


@fuzz_settings(60)
@given(data=st.data())
def test_section_form_survives_anything(section_world, data):
    client = section_world["client"]
    assessment = section_world["assessment"]
    section = data.draw(st.sampled_from(["GOV", "MET"]), label="section")
    url = f"/trusts/FZ1/assessments/{assessment.id}/sections/{section}"
    page = client.get(url)
    assert page.status_code == 200
    questions = [q for q in section_world["questions"] if q.code.startswith(section)]
    chosen = data.draw(
        st.lists(st.sampled_from(questions), max_size=4, unique_by=lambda q: q.id),
        label="questions",
    )
    form: dict[str, str] = {"csrf_token": csrf_token(page.text), "action": "later"}
    seen = data.draw(st.one_of(st.none(), fuzz_text), label="seen")
    if seen is not None:
        form["seen"] = seen
    else:  # the page's own fingerprint
        form["seen"] = _hidden(page.text, "seen")
    for q in chosen:
        form[f"a_{q.id}"] = data.draw(_answer_values(q), label=f"a {q.code}")
        form[f"c_{q.id}"] = data.draw(st.one_of(st.just(""), fuzz_text), label=f"c {q.code}")
    before = _answers(assessment)
    response = send(client.post, url, data=form)
    check_status(response, {302, 400, 409}, f"save {section}")
    check_page(response, *form.values())
    db.session.expire_all()
    after = _answers(assessment)
    if response.status_code != 302:
        assert after == before, "a refused save changed answers"
        return
    for q in chosen:
        raw = form[f"a_{q.id}"]
        # What is stored is what was typed, as an ``Entry`` keeps it (control characters gone).
        entry = Entry.of(kind_field(q).store(q, raw) if raw.strip() else None, form[f"c_{q.id}"])
        typed = (entry.value, entry.comment)
        stored = after.get(q.code, (None, None))
        if seen is None:  # the page's own fingerprint: what was typed is what is stored
            assert stored == typed, (q.code, raw, stored)
        else:  # a forged fingerprint: the merge may keep the stored answer, never mix the two
            assert stored in (typed, before.get(q.code, (None, None))), (q.code, raw, stored)


def _hidden(html: str, name: str) -> str:
    from bs4 import BeautifulSoup

    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": name})
    assert field is not None
    return str(field["value"])


def _answers(assessment: Assessment) -> dict[str, tuple[str | None, str | None]]:
    return {
        code: (value, comment)
        for code, value, comment in db.session.execute(
            select(SnapshotQuestion.code, Answer.value, Answer.comment)
            .join(Answer, Answer.question_id == SnapshotQuestion.id)
            .where(Answer.assessment_id == assessment.id)
        )
    }


@fuzz_settings(40)
@given(
    name=fuzz_text,
    framework=st.one_of(st.just("alliance-maturity-1.0"), short_fuzz),
    closes_on=st.one_of(st.just("2099-03-31"), short_fuzz),
)
def test_open_cycle_form_survives_anything(section_world, name, framework, closes_on):
    client = section_world["client"]
    slug = section_world["alliance"].slug
    page = client.get(f"/alliances/{slug}/cycles/new")
    assert page.status_code == 200
    cycles = db.session.scalar(select(func.count(Cycle.id)))
    response = send(
        client.post,
        f"/alliances/{slug}/cycles/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": name,
            "framework": framework,
            "closes_on": closes_on,
        },
    )
    check_status(response, {302, 400}, "open cycle")
    check_page(response, name, framework, closes_on)
    db.session.expire_all()
    # The fixture's cycle is open, so no second one may ever open.
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Cycle.id))) == cycles


@fuzz_settings(40)
@given(comment=fuzz_text)
def test_return_comment_survives_anything(section_world, comment):
    client = section_world["client"]
    assessment = section_world["assessment"]
    assessment.state = AssessmentState.SUBMITTED
    db.session.commit()
    slug = section_world["alliance"].slug
    page = client.get(f"/alliances/{slug}/assessments/{assessment.id}/")
    response = send(
        client.post,
        f"/alliances/{slug}/assessments/{assessment.id}/return",
        data={"csrf_token": csrf_token(page.text), "comment": comment},
    )
    check_status(response, {302, 400}, "return")
    check_page(response, comment)
    db.session.expire_all()
    state = db.session.get(Assessment, assessment.id).state
    assert (state == AssessmentState.RETURNED) == (response.status_code == 302)
    if response.status_code == 302:
        assert db.session.get(Assessment, assessment.id).return_comment == comment.strip()
