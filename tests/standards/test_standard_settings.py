"""An alliance's own targets, core flags and standards switched off: set with a reason, audited,
snapshotted when a cycle opens, and never visible to or changeable by another alliance."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.assessments.snapshots import framework_spec, load_snapshot
from selfassess.extensions import db
from selfassess.models import (
    AllianceStandardSetting,
    AuditEvent,
    Cycle,
    FrameworkSnapshot,
    SnapshotStandard,
)
from tests.conftest import csrf_token, sign_in_as

FOLDER = "alliance-maturity-1.0"


@pytest.fixture
def world(app, make_alliance, make_trust, make_membership, make_user, login):
    x, y = make_alliance(), make_alliance()
    shared = make_trust()
    for alliance in (x, y):
        make_membership(alliance, shared)
    coordinator_x = make_user(("coordinator", x))
    coordinator_y = make_user(("coordinator", y))
    return x, y, shared, coordinator_x, coordinator_y


def _url(alliance, code=None):
    base = f"/alliances/{alliance.slug}/standards/{FOLDER}/"
    return base + code if code else base


def _change(client, alliance, code, **fields):
    page = client.get(_url(alliance, code))
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_token(page.text), **fields}
    return client.post(_url(alliance, code), data=data)


def _open(client, alliance, name="2027/28"):
    page = client.get(f"/alliances/{alliance.slug}/cycles/new")
    response = client.post(
        f"/alliances/{alliance.slug}/cycles/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": name,
            "framework": FOLDER,
            "closes_on": (date.today() + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302, response.text
    return db.session.scalar(
        select(Cycle).where(Cycle.alliance_id == alliance.id, Cycle.name == name)
    )


def _standard(snapshot_id: int, code: str) -> SnapshotStandard | None:
    return db.session.scalar(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == snapshot_id, SnapshotStandard.code == code
        )
    )


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_settings_are_snapshotted_when_a_cycle_opens_and_later_edits_leave_it(client, login, world):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    response = _change(
        client, x, "DATA-3", applies="yes", target="4", core="yes", reason="Board, 12 Nov 2026"
    )
    assert response.status_code == 302, response.text
    [setting] = db.session.scalars(select(AllianceStandardSetting)).all()
    assert (setting.target, setting.core, setting.applies) == (4.0, True, True)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "standard_setting.changed")
    ).all()
    assert event.alliance_id == x.id and event.after["reason"] == "Board, 12 Nov 2026"
    assert event.before == {"standard": "DATA-3", "version": "1.0", "defaults": True}
    page = _text(client.get(_url(x)).text)
    assert "1 of" in page and "Board, 12 Nov 2026" in page

    cycle = _open(client, x)
    snapshot = db.session.get(FrameworkSnapshot, cycle.snapshot_id)
    assert snapshot.alliance_id == x.id and snapshot.base_snapshot_id is not None
    published = _standard(snapshot.base_snapshot_id, "DATA-3")
    assert published.target == 3.0 and published.core is False
    assert _standard(snapshot.id, "DATA-3").target == 4.0
    assert _standard(snapshot.id, "DATA-3").core is True
    assert snapshot.adjustment("DATA-3") == {
        "target": [3.0, 4.0],
        "core": [False, True],
        "reason": "Board, 12 Nov 2026",
        "statement": published.statement,
    }
    spec = framework_spec(load_snapshot(snapshot.id))
    [data3] = [s for d in spec.domains for s in d.standards if s.id == "DATA-3"]
    assert (data3.target, data3.core) == (4.0, True)

    # A later change is the alliance's working copy: the open cycle keeps what it opened with.
    assert (
        _change(client, x, "DATA-3", applies="no", target="4", core="yes", reason="Dropped")
    ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).snapshot_id == snapshot.id
    assert _standard(snapshot.id, "DATA-3").target == 4.0
    assert "keeps the settings it opened with" in _text(client.get(_url(x)).text)


def test_a_standard_switched_off_is_not_asked_or_scored(client, login, world):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    response = _change(client, x, "REL-1", applies="no", target="4", core="yes", reason="N/A")
    assert response.status_code == 302, response.text
    cycle = _open(client, x)
    snapshot = load_snapshot(cycle.snapshot_id)
    codes = {s.code for d in snapshot.domains for s in d.standards}
    assert "REL-1" not in codes and "REL-2" in codes
    spec = framework_spec(snapshot)
    assert "REL-1" not in {s.id for d in spec.domains for s in d.standards}
    assert snapshot.adjustment("REL-1")["applies"] is False


def test_settings_back_at_the_defaults_use_the_published_snapshot(client, login, world):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    _change(client, x, "DATA-2", applies="yes", target="3", core="yes", reason="Lower")
    _change(client, x, "DATA-2", applies="yes", target="4", core="yes", reason="Back again")
    assert db.session.scalars(select(AllianceStandardSetting)).all() == []
    cycle = _open(client, x)
    assert db.session.get(FrameworkSnapshot, cycle.snapshot_id).variant == ""


def test_two_alliances_hold_the_shared_member_to_their_own_targets(client, login, world):
    x, y, _, coordinator_x, coordinator_y = world
    login(coordinator_x)
    _change(client, x, "DATA-2", applies="yes", target="2", core="no", reason="X's board")
    cycle_x = _open(client, x)
    sign_in_as(client, login, coordinator_y)
    cycle_y = _open(client, y)
    assert _standard(cycle_x.snapshot_id, "DATA-2").target == 2.0
    assert _standard(cycle_y.snapshot_id, "DATA-2").target == 4.0
    assert db.session.get(FrameworkSnapshot, cycle_y.snapshot_id).alliance_id is None


def test_another_alliances_coordinator_can_neither_see_nor_change_the_settings(
    client, login, world
):
    x, y, _, coordinator_x, coordinator_y = world
    login(coordinator_x)
    _change(client, x, "DATA-2", applies="yes", target="2", core="no", reason="Secret reason")
    sign_in_as(client, login, coordinator_y)
    for url in (f"/alliances/{x.slug}/standards/", _url(x), _url(x, "DATA-2")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Secret reason" not in response.text
    own = client.get(_url(y, "DATA-2"))
    response = client.post(
        _url(x, "DATA-2"),
        data={
            "csrf_token": csrf_token(own.text),
            "applies": "no",
            "target": "1",
            "core": "no",
            "reason": "Attack",
        },
    )
    assert response.status_code == 403
    db.session.expire_all()
    [setting] = db.session.scalars(select(AllianceStandardSetting)).all()
    assert (setting.alliance_id, setting.target, setting.reason) == (x.id, 2.0, "Secret reason")
    # Y's own page shows the defaults, not X's settings.
    assert "Secret reason" not in client.get(_url(y)).text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/alliances/{slug}/standards/no-such-version/", 404),
        ("/alliances/{slug}/standards/..%2Fsources/", 404),
        ("/alliances/{slug}/standards/alliance-maturity-1.0/NOPE-9", 404),
    ],
)
def test_unknown_versions_and_standards_are_not_found(client, login, world, url, status):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    assert client.get(url.format(slug=x.slug)).status_code == status


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"applies": "yes", "target": "9", "core": "no", "reason": "r"}, "Not a valid choice"),
        ({"applies": "yes", "target": "3", "core": "no", "reason": " "}, "Enter the reason"),
        ({"target": "3", "core": "no", "reason": "r"}, "Say whether this standard applies"),
        ({"applies": "maybe", "target": "3", "core": "no", "reason": "r"}, "Not a valid choice"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, login, world, fields, message):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    response = _change(client, x, "DATA-2", **fields)
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert message in page.get_text()
    assert page.title.text.startswith("Error:")
    if fields.get("reason", "").strip():
        assert page.find("textarea", attrs={"name": "reason"}).get_text().strip() == "r"
    assert db.session.scalars(select(AllianceStandardSetting)).all() == []


def test_switching_off_every_standard_is_refused(client, login, world, app):
    x, _, _, coordinator_x, _ = world
    login(coordinator_x)
    codes = [
        s.code for d in load_snapshot(_open_snapshot_id(client, x)).domains for s in d.standards
    ]
    for code in codes[:-1]:
        assert (
            _change(client, x, code, applies="no", target="4", core="no", reason="off").status_code
            == 302
        )
    last = _change(client, x, codes[-1], applies="no", target="4", core="no", reason="off")
    assert last.status_code == 400
    assert "At least one standard must apply" in last.text
    assert len(db.session.scalars(select(AllianceStandardSetting)).all()) == len(codes) - 1


def _open_snapshot_id(client, alliance) -> int:
    """The published snapshot's id, imported by visiting the version's page."""
    assert client.get(_url(alliance)).status_code == 200
    return db.session.scalar(
        select(FrameworkSnapshot.id).where(
            FrameworkSnapshot.version == "1.0", FrameworkSnapshot.variant == ""
        )
    )


def test_members_are_asked_scored_and_exported_against_their_alliances_settings(
    client, login, world, make_user
):
    """End to end: settings → cycle → a member's pages, stored scores and the scores CSV."""
    from selfassess.assessments.scores import refresh_many
    from selfassess.exports.services import scores_csv
    from selfassess.models import (
        Alliance,
        Answer,
        Assessment,
        AssessmentScore,
        AssessmentState,
        Membership,
        SnapshotQuestion,
    )

    x, _, shared, coordinator_x, _ = world
    login(coordinator_x)
    _change(client, x, "DATA-3", applies="yes", target="4", core="yes", reason="Board: data first")
    _change(client, x, "REL-1", applies="no", target="3", core="yes", reason="Covered elsewhere")
    cycle = _open(client, x)
    membership = db.session.scalar(
        select(Membership).where(Membership.alliance_id == x.id, Membership.trust_id == shared.id)
    )
    assessment = db.session.scalar(
        select(Assessment).where(
            Assessment.cycle_id == cycle.id, Assessment.membership_id == membership.id
        )
    )
    member = make_user(("trust_user", membership))
    sign_in_as(client, login, member)

    tasks = _text(client.get(f"/trusts/{shared.code}/assessments/{assessment.id}/").text)
    assert "Standards your alliance set for 2027/28" in tasks
    assert "your alliance's target is level 4 (the framework's is level 3)" in tasks
    assert "left out of this cycle" in tasks and "Covered elsewhere" in tasks
    section = client.get(f"/trusts/{shared.code}/assessments/{assessment.id}/sections/REL")
    assert section.status_code == 200
    assert "REL-2" in section.text and "REL-1 " not in _text(section.text)
    data = _text(
        client.get(f"/trusts/{shared.code}/assessments/{assessment.id}/sections/DATA").text
    )
    assert (
        "Your alliance's target: level 4 (set by your alliance; the framework's is level 3" in data
    )

    # Every member question answered at level 3, then scored by the real rules.
    questions = db.session.scalars(
        select(SnapshotQuestion).where(SnapshotQuestion.snapshot_id == cycle.snapshot_id)
    ).all()
    answers = {"maturity": "3", "yes_no": "yes", "text": "Evidence"}
    for q in questions:
        value = str(q.options["thresholds"]["3"]) if q.kind == "metric" else answers[q.kind]
        db.session.add(Answer(assessment_id=assessment.id, question_id=q.id, value=value))
    assessment.state = AssessmentState.SUBMITTED
    db.session.flush()
    refresh_many([assessment])
    db.session.commit()
    stored = {
        r.code: r
        for r in db.session.scalars(
            select(AssessmentScore).where(
                AssessmentScore.assessment_id == assessment.id, AssessmentScore.scope == "standard"
            )
        )
    }
    assert "REL-1" not in stored and "REL-2" in stored
    assert 3 <= stored["DATA-3"].score < 4 and stored["DATA-3"].met is False  # held to level 4
    assert stored["DATA-1"].met is True

    alliance = db.session.get(Alliance, x.id)
    rows = list(csv.DictReader(io.StringIO(scores_csv([(alliance, cycle)]))))
    by_code = {r["id"]: r for r in rows if r["scope"] == "standard"}
    assert (by_code["DATA-3"]["target"], by_code["DATA-3"]["target_set_by"]) == ("4", "alliance")
    assert (by_code["DATA-1"]["target"], by_code["DATA-1"]["target_set_by"]) == ("3", "framework")
    assert "REL-1" not in by_code


def test_the_site_administrator_sees_which_alliances_hold_members_to_their_own_targets(
    client, login, world, make_user
):
    x, y, _, coordinator_x, coordinator_y = world
    login(coordinator_x)
    _change(client, x, "DATA-3", applies="yes", target="4", core="no", reason="Board")
    _open(client, x, name="X 2027/28")
    sign_in_as(client, login, coordinator_y)
    _open(client, y, name="Y 2027/28")
    sign_in_as(client, login, make_user(("site_admin", None)))
    page = _text(client.get("/admin/").text)
    assert "X 2027/28: the alliance's own, 1 standard set differently from the framework" in page
    assert "Y 2027/28: the framework's" in page
