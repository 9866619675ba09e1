"""Moderation end to end through the pages: the setting, the panel, the panel's decisions,
the scores that count, the validation gate, the return that clears decisions; on each database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.assessments.scores import refresh_many
from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AuditEvent,
    Cycle,
    ModeratedLevel,
    ModerationPanelist,
    Notification,
    ScoreScope,
    SnapshotQuestion,
)
from tests.conftest import csrf_token, sign_in_as

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def _world(make_alliance, make_trust, make_membership, make_user):
    alliance = make_alliance(moderation=True)
    assessed, peer = make_trust(), make_trust()
    membership = make_membership(alliance, assessed)
    make_membership(alliance, peer)
    snapshot = import_framework(QUESTIONS / "alliance-maturity-1.0")
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2026/27",
        snapshot=snapshot,
        opens_on=date.today() - timedelta(days=10),
        closes_on=date.today() + timedelta(days=30),
        state="open",
    )
    db.session.add(cycle)
    db.session.flush()
    assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id, state="submitted")
    db.session.add(assessment)
    db.session.flush()
    for q in db.session.scalars(
        select(SnapshotQuestion).where(
            SnapshotQuestion.snapshot_id == snapshot.id, SnapshotQuestion.answered_by == "member"
        )
    ):
        value = {"maturity": "5", "yes_no": "yes", "text": "Text"}.get(
            q.kind, str(q.options.get("thresholds", {}).get("5", 1))
        )
        db.session.add(Answer(assessment_id=assessment.id, question_id=q.id, value=value))
    db.session.flush()
    refresh_many([assessment])
    db.session.commit()
    people = {
        "coordinator": make_user(("coordinator", alliance)),
        "member": make_user(("trust_user", assessed)),
        "peer": make_user(("trust_user", peer)),
        "both": make_user(("trust_user", assessed), ("trust_user", peer)),
    }
    return alliance, assessment, peer, people


def _stored(assessment: Assessment, code: str) -> AssessmentScore:
    return db.session.execute(
        select(AssessmentScore).where(
            AssessmentScore.assessment_id == assessment.id,
            AssessmentScore.scope == ScoreScope.STANDARD,
            AssessmentScore.code == code,
        )
    ).scalar_one()


def _post(client, url: str, data: dict[str, str]):
    token = csrf_token(client.get(url).text)
    return client.post(url, data={**data, "csrf_token": token})


def test_a_peer_reviewer_moderates_and_the_panel_level_counts(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, assessment, peer, people = _world(
        make_alliance, make_trust, make_membership, make_user
    )
    index_before = assessment.overall_index
    own_rel1, own_rel2 = _stored(assessment, "REL-1").score, _stored(assessment, "REL-2").score
    assert own_rel1 > 2.0
    login(people["coordinator"])
    panel_url = f"/alliances/{alliance.slug}/assessments/{assessment.id}/moderation"
    page = BeautifulSoup(client.get(panel_url).text, "html.parser")
    offered = {o.text for o in page.select("#user option")}
    assert any(people["peer"].name in o for o in offered)
    # Never anyone who works for the assessed trust, even one who also works for the peer.
    assert not any(people["member"].name in o or people["both"].name in o for o in offered)
    refused = _post(client, panel_url, {})  # a decisions form with nothing chosen
    assert refused.status_code == 400
    response = _post(client, f"{panel_url}/panel", {"user": str(people["both"].id)})
    assert response.status_code == 400
    assert "another member trust" in response.text
    assert _post(client, f"{panel_url}/panel", {"user": str(people["peer"].id)}).status_code == 302

    # The validation gate: nothing agreed yet.
    review = client.get(f"/alliances/{alliance.slug}/assessments/{assessment.id}/").text
    assert "Waiting for moderation" in review
    token = csrf_token(review)
    blocked = client.post(
        f"/alliances/{alliance.slug}/assessments/{assessment.id}/validate",
        data={"csrf_token": token},
    )
    assert blocked.status_code == 409 and "Moderation is not finished" in blocked.text

    # The peer reviewer is told, and finds it on their home page.
    told = db.session.scalars(
        select(Notification).where(Notification.user_id == people["peer"].id)
    ).one()
    assert told.title == f"Moderate {assessment.membership.trust.name}'s 2026/27 self-assessment"
    sign_in_as(client, login, people["peer"])
    home = client.get(f"/trusts/{peer.code}/").text
    mine = f"/trusts/{peer.code}/moderation/{assessment.id}"
    assert mine in home
    typed = "The minutes show no joint board yet"
    missing_reason = _post(client, mine, {"level-REL-1": "2", "reason-REL-2": typed})
    assert missing_reason.status_code == 400
    shown = BeautifulSoup(missing_reason.text, "html.parser")
    assert "Enter the panel's reason for changing the level of REL-1" in shown.get_text()
    assert "Choose whether the panel agrees with REL-2" in shown.get_text()
    assert shown.find("textarea", id="reason-REL-2").text == typed  # nothing typed is lost
    assert shown.find("select", id="level-REL-1").find("option", selected=True)["value"] == "2"
    assert db.session.scalars(select(ModeratedLevel)).all() == []
    done = _post(client, mine, {"level-REL-1": "2", "reason-REL-1": typed, "level-REL-2": "agree"})
    assert done.status_code == 302
    db.session.expire_all()
    rel1 = _stored(assessment, "REL-1")
    assert (rel1.score, rel1.self_assessed, rel1.met) == (2.0, own_rel1, False)
    assert _stored(assessment, "REL-2").score == own_rel2
    assert db.session.get(Assessment, assessment.id).overall_index < index_before
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.moderate")
    ).one()
    assert event.actor_id == people["peer"].id
    assert event.after["standards"]["REL-1"] == {
        "before": None,
        "after": 2.0,
        "self_assessed": own_rel1,
        "reason": typed,
    }

    # The coordinator agrees the rest and validates; the panel's levels stay.
    sign_in_as(client, login, people["coordinator"])
    page = BeautifulSoup(client.get(panel_url).text, "html.parser")
    rest = {
        s["name"]: "agree"
        for s in page.select("select[name^=level-]")
        if s["name"] not in ("level-REL-1", "level-REL-2")
        and s.find("option", attrs={"value": "agree"})
    }
    assert _post(client, panel_url, rest).status_code == 302
    confirm = client.get(f"/alliances/{alliance.slug}/assessments/{assessment.id}/validate/check")
    assert "Moderation is not finished" not in confirm.text
    validated = client.post(
        f"/alliances/{alliance.slug}/assessments/{assessment.id}/validate",
        data={"csrf_token": csrf_token(confirm.text)},
    )
    assert validated.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).state == "validated"
    assert _stored(assessment, "REL-1").score == 2.0
    # Reports and exports say "moderated" and keep the member's own score beside the panel's.
    trust = assessment.membership.trust
    report = BeautifulSoup(
        client.get(
            f"/alliances/{alliance.slug}/cycles/{assessment.cycle_id}/members/{trust.code}/report"
        ).text,
        "html.parser",
    )
    row = next(
        r
        for r in report.select("tr")
        if r.th
        and r.th.find(string=True, recursive=False).strip() == "REL-1"  # the code, its title below
    )
    assert row.th.select_one(".standard-statement").get_text(strip=True)
    assert "moderated; self-assessed" in row.get_text() and "(moderated)" in row.get_text()
    alliance_report = BeautifulSoup(
        client.get(f"/alliances/{alliance.slug}/cycles/{assessment.cycle_id}/report").text,
        "html.parser",
    ).get_text()
    assert "1 member's scores are moderated" in alliance_report
    assert f"{trust.name}" in alliance_report and "(moderated)" in alliance_report
    csv = client.get(
        f"/alliances/{alliance.slug}/cycles/{assessment.cycle_id}/scores.csv"
    ).text.splitlines()
    header = csv[1].split(",") if csv[0].startswith("#") else csv[0].split(",")
    rel1 = next(line.split(",") for line in csv if ",standard,REL-1," in line)
    assert rel1[header.index("moderated")] == "true"
    assert float(rel1[header.index("self_assessed")]) == own_rel1
    assert float(rel1[header.index("score")]) == 2.0
    # Once validated, the peer's page is gone (only submitted self-assessments are moderated).
    sign_in_as(client, login, people["peer"])
    assert client.get(mine).status_code == 404


def test_returning_clears_the_panel_decisions_and_the_scores_go_back(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, assessment, _, people = _world(make_alliance, make_trust, make_membership, make_user)
    login(people["coordinator"])
    panel_url = f"/alliances/{alliance.slug}/assessments/{assessment.id}/moderation"
    assert (
        _post(client, panel_url, {"level-REL-1": "1", "reason-REL-1": "No evidence"}).status_code
        == 302
    )
    review_url = f"/alliances/{alliance.slug}/assessments/{assessment.id}/"
    token = csrf_token(client.get(review_url).text)
    response = client.post(
        f"{review_url}return", data={"csrf_token": token, "comment": "Please add evidence"}
    )
    assert response.status_code == 302
    assert db.session.scalars(select(ModeratedLevel)).all() == []
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.return")
    ).one()
    assert event.after["moderation_cleared"] == 1
    # A returned assessment cannot be moderated.
    refused = _post(client, panel_url, {"level-REL-1": "agree"})
    assert refused.status_code == 400


def test_without_moderation_nothing_waits_and_decisions_are_refused(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, assessment, _, people = _world(make_alliance, make_trust, make_membership, make_user)
    alliance.moderation = False
    db.session.commit()
    login(people["coordinator"])
    review = client.get(f"/alliances/{alliance.slug}/assessments/{assessment.id}/").text
    assert "Waiting for moderation" not in review and "Moderate self-assessment" not in review
    panel_url = f"/alliances/{alliance.slug}/assessments/{assessment.id}/moderation"
    refused = _post(client, panel_url, {"level-REL-1": "agree"})
    assert refused.status_code == 400
    assert "does not moderate" in refused.text


def test_the_setting_is_switched_and_audited(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, _, _, people = _world(make_alliance, make_trust, make_membership, make_user)
    login(people["coordinator"])
    url = f"/alliances/{alliance.slug}/moderation"
    assert _post(client, url, {}).status_code == 400
    assert _post(client, url, {"moderation": "off"}).status_code == 302
    db.session.expire_all()
    assert alliance.moderation is False
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "alliance.moderation")
    ).one()
    assert (event.before, event.after) == ({"moderation": True}, {"moderation": False})


def test_a_peer_reviewer_reaches_only_the_assessment_they_were_nominated_for(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    """Attack: a peer reviewer changes the assessment id, or uses a trust code they were not
    nominated from, to read or moderate another member's self-assessment."""
    alliance, assessment, peer, people = _world(
        make_alliance, make_trust, make_membership, make_user
    )
    other = make_trust()
    other_membership = make_membership(alliance, other)
    second = Assessment(
        cycle_id=assessment.cycle_id, membership_id=other_membership.id, state="submitted"
    )
    db.session.add(second)
    db.session.add(
        ModerationPanelist(assessment_id=assessment.id, user_id=people["peer"].id, trust_id=peer.id)
    )
    db.session.commit()
    login(people["peer"])
    assert client.get(f"/trusts/{peer.code}/moderation/{assessment.id}").status_code == 200
    assert client.get(f"/trusts/{peer.code}/moderation/{second.id}").status_code == 404
    token = csrf_token(client.get(f"/trusts/{peer.code}/moderation/{assessment.id}").text)
    attack = client.post(
        f"/trusts/{peer.code}/moderation/{second.id}",
        data={"csrf_token": token, "level-REL-1": "1", "reason-REL-1": "x"},
    )
    assert attack.status_code == 404
    assert client.get(f"/trusts/{other.code}/moderation/{assessment.id}").status_code == 403
    assert db.session.scalars(select(ModeratedLevel)).all() == []
    # The assessed trust's own user cannot moderate itself, even with a nomination row.
    db.session.add(
        ModerationPanelist(assessment_id=assessment.id, user_id=people["both"].id, trust_id=peer.id)
    )
    db.session.commit()
    sign_in_as(client, login, people["both"])
    assert client.get(f"/trusts/{peer.code}/moderation/{assessment.id}").status_code == 404
    assert f"/moderation/{assessment.id}" not in client.get(f"/trusts/{peer.code}/").text
