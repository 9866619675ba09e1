"""An alliance's own framework versions: written in the app (a new domain and standard checked
by the question bank's one checker, messages beside the fields), published as an immutable
version, chosen for a cycle and answered by members; exported and imported as the repository's
YAML files, exactly; invisible to every other alliance."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import (
    Assessment,
    AuditEvent,
    Cycle,
    FrameworkDraft,
    FrameworkSnapshot,
    SnapshotStandard,
)
from selfassess.questionbank.packing import pack, unpack
from selfassess.questionbank.report import check_paths
from tests.conftest import csrf_token, sign_in_as

BASE = "alliance-maturity-2.0"
QUESTIONS = Path(__file__).resolve().parents[2] / "questions"

ORTH_1 = {
    "domain": "ORTH",
    "id": "ORTH-1",
    "statement": "Your trust meets the alliance's clinical quality standards for elective hip "
    "replacement.",
    "core": "yes",
    "target": "3",
    "guidance": "Members agree to adhere to a codified set of standards, protocols and processes.",
    "source": "ACC-2018 3.15",
    "basis_target": "alliance choice",
    "basis_core": "source",
    "questions-0-type": "maturity",
    "questions-0-id": "ORTH-1.1",
    "questions-0-text": "How far does your trust meet the alliance's hip replacement standards?",
    "questions-0-guidance": "Your latest audit against the standards.",
    "questions-0-required": "yes",
    **{f"questions-0-level_{n}": f"Level {n} of meeting the standards" for n in range(1, 6)},
    "questions-1-type": "yes_no",
    "questions-1-id": "ORTH-1.2",
    "questions-1-text": "Has your trust audited itself against the standards this year?",
    "questions-1-guidance": "The audit report.",
    "questions-1-required": "yes",
    "questions-1-gates_level": "3",
}


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def _post(client, url, data, *, form_url=None):
    page = client.get(form_url or url)
    assert page.status_code == 200, (url, page.status_code)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


@pytest.fixture
def world(app, make_alliance, make_trust, make_membership, make_user, login):
    x, y = make_alliance(), make_alliance()
    trust = make_trust()
    membership = make_membership(x, trust)
    make_membership(y, make_trust())
    return {
        "x": x,
        "y": y,
        "trust": trust,
        "membership": membership,
        "coord_x": make_user(("coordinator", x)),
        "coord_y": make_user(("coordinator", y)),
        "member": make_user(("trust_user", membership)),
    }


def _draft(client, alliance):
    base = f"/alliances/{alliance.slug}/standards"
    response = _post(
        client,
        f"{base}/draft/new",
        {"base": BASE, "version": "2.1", "title": "Our membership standards"},
    )
    assert response.status_code == 302, response.text
    response = _post(
        client,
        f"{base}/draft/domains/new",
        {
            "id": "ORTH",
            "name": "Orthopaedic clinical standards",
            "description": "The alliance's specialty standards for orthopaedic care.",
        },
    )
    assert response.status_code == 302, response.text
    return base


def _publish(client, alliance) -> FrameworkSnapshot:
    base = _draft(client, alliance)
    response = _post(client, f"{base}/draft/standards/new", ORTH_1)
    assert response.status_code == 302, _text(response.text)
    draft_page = _text(client.get(f"{base}/draft/").text)
    assert "passes every check" in draft_page, draft_page[draft_page.find("problem") :][:1500]
    response = _post(client, f"{base}/draft/publish", {}, form_url=f"{base}/draft/")
    assert response.status_code == 302, response.text
    return db.session.scalar(
        select(FrameworkSnapshot).where(
            FrameworkSnapshot.alliance_id == alliance.id, FrameworkSnapshot.variant == ""
        )
    )


def test_a_coordinator_writes_publishes_and_runs_a_cycle_on_their_own_standards(
    client, login, world
):
    x = world["x"]
    login(world["coord_x"])
    snapshot = _publish(client, x)
    assert snapshot.framework_key == f"{x.slug}-standards" and snapshot.version == "2.1"
    assert "orth.yaml" in snapshot.source_files
    assert db.session.scalar(select(FrameworkDraft)) is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "framework_draft.started",
        "framework_draft.standard_saved",
        "framework.published",
    } <= actions
    key = f"{snapshot.framework_key}@2.1"
    page = _text(client.get(f"/alliances/{x.slug}/standards/{key}/").text)
    assert "ORTH-1" in page and "Your alliance's own" in page

    # Opened as a cycle, the member answers the new standard in its own section.
    page = client.get(f"/alliances/{x.slug}/cycles/new")
    assert key in page.text
    response = client.post(
        f"/alliances/{x.slug}/cycles/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "2027/28",
            "framework": key,
            "closes_on": (date.today() + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302, _text(response.text)
    cycle = db.session.scalar(select(Cycle).where(Cycle.alliance_id == x.id))
    assert cycle.snapshot_id == snapshot.id
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.membership_id == world["membership"].id)
    )
    sign_in_as(client, login, world["member"])
    section = client.get(f"/trusts/{world['trust'].code}/assessments/{assessment.id}/sections/ORTH")
    assert section.status_code == 200
    text = _text(section.text)
    assert "ORTH-1" in text and "hip replacement standards" in text
    assert "Your alliance's target: level 3" in text
    # The framework's own standards are carried over and continue themselves.
    continued = db.session.scalar(
        select(SnapshotStandard).where(
            SnapshotStandard.snapshot_id == snapshot.id, SnapshotStandard.code == "GOV-1"
        )
    )
    assert continued.continues == ["GOV-1"]


def test_the_checkers_messages_sit_beside_the_fields_and_nothing_typed_is_lost(
    client, login, world
):
    x = world["x"]
    login(world["coord_x"])
    base = _draft(client, x)
    broken = {**ORTH_1, **{f"questions-0-level_{n}": "" for n in (2, 3, 4, 5)}}
    response = _post(client, f"{base}/draft/standards/new", broken)
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.title.text.startswith("Error:")
    level_error = page.find(id="questions-0-level_2-error")
    assert level_error is not None and "Level 2 has no descriptor" in level_error.get_text()
    summary = page.find(class_="nhsuk-error-summary").get_text()
    assert "Level 5 has no descriptor" in summary
    assert (
        page.find("textarea", attrs={"name": "statement"}).get_text().strip()
        == (ORTH_1["statement"])
    )
    assert page.find("input", attrs={"name": "questions-1-id"})["value"] == "ORTH-1.2"
    assert db.session.scalar(select(FrameworkDraft)).standards == []
    # Rules across the framework (citations) come once each file is well formed, as in the CLI.
    response = _post(client, f"{base}/draft/standards/new", {**ORTH_1, "source": "NOPE 1.2"})
    assert response.status_code == 400
    source_error = BeautifulSoup(response.text, "html.parser").find(id="source-error")
    assert "Cites 'NOPE', which is not a source key" in source_error.get_text()


def test_a_standard_outside_its_domains_namespace_is_refused_with_the_checkers_words(
    client, login, world
):
    x = world["x"]
    login(world["coord_x"])
    base = _draft(client, x)
    response = _post(client, f"{base}/draft/standards/new", {**ORTH_1, "domain": "QUAL"})
    assert response.status_code == 400
    error = BeautifulSoup(response.text, "html.parser").find(id="id-error")
    assert "does not start with the domain id QUAL-" in error.get_text()


def test_export_then_import_round_trips_the_files_exactly(client, login, world):
    x = world["x"]
    login(world["coord_x"])
    snapshot = _publish(client, x)
    key = f"{snapshot.framework_key}@2.1"
    exported = client.get(f"/alliances/{x.slug}/standards/{key}/files.zip")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    files = unpack(exported.data)
    assert files == snapshot.source_files

    # Importing the same files again is the same version; a new version number is a new one.
    files["framework.yaml"] = files["framework.yaml"].replace('version: "2.1"', 'version: "2.2"')
    assert 'version: "2.2"' in files["framework.yaml"]
    upload = _post(
        client,
        f"/alliances/{x.slug}/standards/import",
        {"archive": (io.BytesIO(pack(files)), "ours.zip")},
    )
    assert upload.status_code == 302, _text(upload.text)
    again = client.get(f"/alliances/{x.slug}/standards/{snapshot.framework_key}@2.2/files.zip")
    assert unpack(again.data) == files  # byte for byte, as uploaded


def test_an_uploads_problems_are_the_ones_questions_check_prints(client, login, world, tmp_path):
    x = world["x"]
    login(world["coord_x"])
    folder = tmp_path / "ours"
    shutil.copytree(QUESTIONS / BASE, folder)
    head = (folder / "framework.yaml").read_text()
    head = head.replace("id: alliance-maturity\n", f"id: {x.slug}-standards\n")
    head = head.replace("continues: alliance-maturity-1.0\n", "")
    (folder / "framework.yaml").write_text(head)
    quality = (folder / "quality.yaml").read_text().replace("target: 3", "target: 8", 1)
    (folder / "quality.yaml").write_text(quality)
    files = {p.name: p.read_text() for p in folder.glob("*.yaml")}
    response = _post(
        client,
        f"/alliances/{x.slug}/standards/import",
        {"archive": (io.BytesIO(pack(files)), "ours.zip")},
    )
    assert response.status_code == 400
    shown = [c.get_text() for c in BeautifulSoup(response.text, "html.parser").select("li code")]
    printed = [
        line.removeprefix(f"{folder.as_posix()}/")
        for line in check_paths([folder], documents_dir=None)
    ]
    assert shown and shown == printed
    assert "target 8 is not a level on the scale" in " ".join(shown)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a zip", "zip"),
        (None, "path"),
    ],
)
def test_unsafe_uploads_are_refused_with_a_clear_message(client, login, world, payload, message):
    x = world["x"]
    login(world["coord_x"])
    if payload is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("../framework.yaml", "id: x\n")
        payload = buffer.getvalue()
    response = _post(
        client,
        f"/alliances/{x.slug}/standards/import",
        {"archive": (io.BytesIO(payload), "ours.zip")},
    )
    assert response.status_code == 400
    assert message in _text(response.text).lower()
    assert (
        db.session.scalar(select(FrameworkSnapshot).where(FrameworkSnapshot.alliance_id == x.id))
        is None
    )


def test_another_alliance_can_neither_see_nor_use_nor_infer_an_alliances_own_version(
    client, login, world
):
    x, y = world["x"], world["y"]
    login(world["coord_x"])
    snapshot = _publish(client, x)
    key = f"{snapshot.framework_key}@2.1"
    sign_in_as(client, login, world["coord_y"])
    assert client.get(f"/alliances/{y.slug}/standards/{key}/").status_code == 404
    assert client.get(f"/alliances/{y.slug}/standards/{key}/files.zip").status_code == 404
    for url in (
        f"/alliances/{x.slug}/standards/{key}/",
        f"/alliances/{x.slug}/standards/{key}/files.zip",
        f"/alliances/{x.slug}/standards/draft/new",
    ):
        assert client.get(url).status_code == 403, url
    assert key not in client.get(f"/alliances/{y.slug}/standards/").text
    page = client.get(f"/alliances/{y.slug}/cycles/new")
    assert key not in page.text
    response = client.post(
        f"/alliances/{y.slug}/cycles/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "2027/28",
            "framework": key,
            "closes_on": (date.today() + timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(Cycle).where(Cycle.alliance_id == y.id)) is None
    # Y importing X's files is refused for the namespace, the same words whether or not X has
    # a version of that id: nothing about X can be learnt from it.
    files = unpack(client.get(f"/alliances/{y.slug}/standards/{BASE}/files.zip").data)
    files["framework.yaml"] = files["framework.yaml"].replace(
        "id: alliance-maturity\n", f"id: {x.slug}-standards\n"
    )
    refused = _post(
        client,
        f"/alliances/{y.slug}/standards/import",
        {"archive": (io.BytesIO(pack(files)), "theirs.zip")},
    )
    assert refused.status_code == 400
    assert f"start with '{y.slug}-'" in _text(refused.text)


def test_what_changed_in_an_own_version_is_shown_only_inside_the_alliance(client, login, world):
    x = world["x"]
    login(world["coord_x"])
    snapshot = _publish(client, x)
    url = f"/frameworks/{snapshot.framework_key}/2.1/changes"
    page = client.get(url)
    assert page.status_code == 200
    text = _text(page.text)
    assert "What changed from framework 2.0 to 2.1" in text and "ORTH-1" in text
    sign_in_as(client, login, world["member"])
    assert client.get(url).status_code == 200  # a member of the alliance
    sign_in_as(client, login, world["coord_y"])
    missing = client.get(url)
    assert missing.status_code == 404
    assert client.get(f"/frameworks/{snapshot.framework_key}/9.9/changes").status_code == 404


def test_a_draft_cannot_start_from_another_alliances_own_version(client, login, world):
    x, y = world["x"], world["y"]
    login(world["coord_x"])
    snapshot = _publish(client, x)
    sign_in_as(client, login, world["coord_y"])
    response = _post(
        client,
        f"/alliances/{y.slug}/standards/draft/new",
        {"base": f"{snapshot.framework_key}@2.1", "version": "9.9", "title": "Borrowed"},
    )
    assert response.status_code == 400
    assert "Choose a version from the list" in _text(response.text) or "Not a valid choice" in (
        _text(response.text)
    )
    assert db.session.scalar(select(FrameworkDraft)) is None


def test_a_measure_can_be_written_with_its_figures_and_definition(client, login, world):
    """A metric question, as the shipped 2.0 measures are written: unit, direction, target,
    thresholds per level, the published definition and where the figures come from."""
    x = world["x"]
    login(world["coord_x"])
    base = _draft(client, x)
    metric = {
        **{k: v for k, v in ORTH_1.items() if not k.startswith("questions-")},
        "questions-0-type": "metric",
        "questions-0-id": "ORTH-1.1",
        "questions-0-text": "What percentage of hip replacement patients went home within 3 days?",
        "questions-0-guidance": "The National Joint Registry's figure for your trust.",
        "questions-0-required": "yes",
        "questions-0-unit": "%",
        "questions-0-better": "higher",
        "questions-0-metric_target": "80",
        "questions-0-threshold_2": "40",
        "questions-0-threshold_3": "55",
        "questions-0-threshold_4": "70",
        "questions-0-threshold_5": "80.5",
        "questions-0-measure": "Elective primary hip replacements discharged within 3 days",
        "questions-0-measure_source": "National Joint Registry",
        "questions-0-measure_period": "Latest 12 months",
        "questions-0-thresholds_basis": "Alliance choice, agreed by its clinical board.",
    }
    response = _post(client, f"{base}/draft/standards/new", metric)
    assert response.status_code == 302, _text(response.text)[:2000]
    [standard] = db.session.scalar(select(FrameworkDraft)).standards
    measure = standard["questions"][0]
    assert measure["thresholds"] == {"2": 40, "3": 55, "4": 70, "5": 80.5}  # JSON keys
    assert measure["definition"]["source"] == "National Joint Registry"
    # The same form shows it again to change, figures included.
    page = BeautifulSoup(client.get(f"{base}/draft/standards/ORTH-1").text, "html.parser")
    assert page.find("input", attrs={"name": "questions-0-threshold_5"})["value"] == "80.5"
    # A threshold missing is the checker's message beside that figure.
    broken = {**metric, "id": "ORTH-2", "questions-0-id": "ORTH-2.1"}
    broken["questions-0-threshold_3"] = ""
    response = _post(client, f"{base}/draft/standards/new", broken)
    assert response.status_code == 400
    errors = BeautifulSoup(response.text, "html.parser").select(".nhsuk-error-message")
    assert errors, "the checker's words are shown"
