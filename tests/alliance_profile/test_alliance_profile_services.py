"""The alliance profile's use cases: copy forward, the loaders' ``answer_facts``, the table's
constraint, and facts never reaching a member's scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from selfassess.alliance_profile.services import (
    FactsRefused,
    ProfileClosed,
    answer_facts,
    copy_forward,
)
from selfassess.assessments import snapshots
from selfassess.assessments.scores import refresh_assessment
from selfassess.extensions import db
from selfassess.models import (
    AllianceFactAnswer,
    Answer,
    AssessmentScore,
    Cycle,
    CycleState,
    SnapshotQuestion,
)
from tests.alliance_profile.conftest import World


def _earlier_cycle(fw: World, snapshot_id: int | None = None) -> Cycle:
    earlier = Cycle(
        alliance_id=fw.x.alliance.id,
        name="2026/27",
        snapshot_id=snapshot_id or fw.snapshot.id,
        opens_on=date(2026, 4, 1),
        closes_on=date(2026, 9, 30),
        state=CycleState.CLOSED,
    )
    db.session.add(earlier)
    db.session.commit()
    return earlier


def test_answer_facts_stores_validates_and_audits(fw: World) -> None:
    changed = answer_facts(
        fw.x.cycle,
        {"GOV-1.4": "yes", "DATA-1.3": "no"},
        fw.x.coordinator,
        comments={"GOV-1.4": "Demonstration data"},
    )
    assert changed == 2
    stored = fw.stored(fw.x.cycle)
    assert (stored["GOV-1.4"].value, stored["GOV-1.4"].comment) == ("yes", "Demonstration data")
    assert answer_facts(fw.x.cycle, {"GOV-1.4": "yes"}, fw.x.coordinator) == 0  # unchanged
    # A comment alone keeps the stored value.
    assert answer_facts(fw.x.cycle, {}, fw.x.coordinator, comments={"DATA-1.3": "Later"}) == 1
    assert fw.stored(fw.x.cycle)["DATA-1.3"].value == "no"
    [first, second] = fw.audit()
    assert first.after["source"] == "answer_facts" and set(first.after["facts"]) == {
        "GOV-1.4",
        "DATA-1.3",
    }
    assert second.before["facts"]["DATA-1.3"] == {"value": "no", "comment": None}


def test_answer_facts_refuses_unknown_codes_and_bad_values_writing_nothing(fw: World) -> None:
    with pytest.raises(FactsRefused) as refused:
        answer_facts(
            fw.x.cycle,
            {"GOV-1.4": "perhaps", "GOV-1.2": "yes", "NOPE-1": "yes", "DATA-1.3": "yes"},
            fw.x.coordinator,
        )
    assert refused.value.problems == {
        "GOV-1.2": "not an alliance fact of this cycle's framework",
        "GOV-1.4": "Not a valid choice.",
        "NOPE-1": "not an alliance fact of this cycle's framework",
    }
    assert fw.stored(fw.x.cycle) == {}


def test_answer_facts_on_a_closed_cycle_only_when_asked(fw: World) -> None:
    earlier = _earlier_cycle(fw)
    with pytest.raises(ProfileClosed):
        answer_facts(earlier, {"GOV-1.4": "yes"}, fw.x.coordinator)
    assert answer_facts(earlier, {"GOV-1.4": "yes"}, fw.x.coordinator, even_if_closed=True) == 1


def test_copy_forward_fills_blanks_marked_until_the_profile_is_saved(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    earlier = _earlier_cycle(fw)
    answer_facts(
        earlier,
        {"GOV-1.4": "yes", "GOV-2.2": "yes", "DATA-1.3": "no"},
        fw.x.coordinator,
        comments={"GOV-1.4": "Signed 2026"},
        even_if_closed=True,
    )
    answer_facts(fw.x.cycle, {"GOV-2.2": "no"}, fw.x.coordinator)  # answered: never overwritten
    fw.sign_in(client, fw.x.coordinator)
    cycle_page = client.get(f"/alliances/{fw.x.alliance.slug}/cycles/{fw.x.cycle.id}/").text
    assert "The 2026/27 profile has 2 answers you can copy" in cycle_page
    page = client.get(fw.x.profile_url)
    assert "You can copy 2 answers from the 2026/27 profile" in page.text
    assert "Copy answers from 2026/27" in page.text
    data = fw.form_data(page.text)
    response = client.post(
        fw.x.profile_url + "/copy-forward", data={"csrf_token": data["csrf_token"]}
    )
    assert response.status_code == 302
    stored = fw.stored(fw.x.cycle)
    assert {c: (r.value, r.comment, r.carried_over) for c, r in stored.items()} == {
        "GOV-1.4": ("yes", "Signed 2026", True),
        "GOV-2.2": ("no", None, False),
        "DATA-1.3": ("no", None, True),
    }
    [event] = fw.audit("alliance_profile.copied_forward")
    assert event.after["from_cycle"] == "2026/27"
    assert sorted(event.after["facts"]) == ["DATA-1.3", "GOV-1.4"]
    page = client.get(fw.x.profile_url)
    assert "2 answers are carried over from the previous cycle" in page.text
    assert "Copy answers from" not in page.text  # nothing more it would fill
    tags = BeautifulSoup(page.text, "html.parser").select(".app-tag--carried")
    assert [t.get_text(strip=True) for t in tags] == ["Carried over from the previous cycle"] * 2
    # Saving the page as shown confirms what it showed.
    assert client.post(fw.x.profile_url, data=fw.form_data(page.text)).status_code == 302
    assert not any(r.carried_over for r in fw.stored(fw.x.cycle).values())
    confirm = fw.audit()[-1]
    assert confirm.after["facts"]["GOV-1.4"] == {"carried_over": False}
    # Nothing left to copy: the offer is gone, and copying again copies nothing.
    assert copy_forward(fw.x.cycle, fw.x.coordinator) == 0


def test_copy_forward_across_versions_matches_question_code_and_kind(fw: World, app) -> None:  # type: ignore[no-untyped-def]
    """A previous cycle on another framework version: a fact is copied only where the same code
    is a fact of the same kind here (1.0 has no facts, so nothing comes from a 1.0 cycle)."""
    old = snapshots.import_framework(Path(app.config["QUESTIONS_DIR"]) / "alliance-maturity-1.0")
    db.session.commit()
    earlier = _earlier_cycle(fw, old.id)
    # GOV-2.2 is a member's question in 1.0 and a fact in 2.0: a row for it (which no page
    # would write) is stored here only to prove that copy forward skips it.
    question = db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == old.id, SnapshotQuestion.code == "GOV-2.2"
        )
    ).one()
    db.session.add(AllianceFactAnswer(cycle_id=earlier.id, question_id=question.id, value="yes"))
    db.session.commit()
    assert copy_forward(fw.x.cycle, fw.x.coordinator) == 0
    assert fw.stored(fw.x.cycle) == {}


def test_a_fact_never_changes_a_members_stored_scores(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    """Facts live beside the cycle, not in the assessment: scoring reads none of them."""
    assessment = fw.x.assessment
    members = db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == fw.snapshot.id, SnapshotQuestion.answered_by == "member"
        )
    ).all()
    values = {"maturity": "3", "yes_no": "yes", "metric": "50", "text": "Evidence"}
    db.session.add_all(
        [
            Answer(assessment_id=assessment.id, question_id=q.id, value=values[q.kind])
            for q in members
        ]
    )
    assessment.state = "submitted"
    refresh_assessment(assessment)
    db.session.commit()

    def scores() -> list[tuple[str, str, float | None, float | None, bool | None]]:
        db.session.expire_all()
        return sorted(
            (s.scope, s.code, s.score, s.score_index, s.met)
            for s in db.session.scalars(
                select(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
            )
        )

    before, status = scores(), assessment.status
    assert before
    facts = {
        q.code: "no"
        for q in db.session.scalars(
            select(SnapshotQuestion).where(
                SnapshotQuestion.snapshot_id == fw.snapshot.id,
                SnapshotQuestion.answered_by == "alliance",
            )
        )
    }
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    for code in facts:
        data[f"a_{fw.fact(code).id}"] = "no"
    assert client.post(fw.x.profile_url, data=data).status_code == 302
    assert len(fw.stored(fw.x.cycle)) == len(facts)
    assert scores() == before
    refresh_assessment(db.session.get(type(assessment), assessment.id))
    db.session.commit()
    assert scores() == before and db.session.get(type(assessment), assessment.id).status == status
    assert (
        db.session.scalars(
            select(Answer)
            .join(SnapshotQuestion, Answer.question_id == SnapshotQuestion.id)
            .where(SnapshotQuestion.answered_by == "alliance")
        ).first()
        is None
    )


def test_one_answer_per_fact_and_cycle(fw: World) -> None:
    mou = fw.fact("GOV-1.4")
    db.session.add(AllianceFactAnswer(cycle_id=fw.x.cycle.id, question_id=mou.id, value="yes"))
    db.session.commit()
    db.session.add(AllianceFactAnswer(cycle_id=fw.x.cycle.id, question_id=mou.id, value="no"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
