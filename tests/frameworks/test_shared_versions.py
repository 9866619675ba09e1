"""Site administrators share framework versions every alliance may adopt (issue #22 point 4)."""

from __future__ import annotations

import io
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, FrameworkSnapshot
from selfassess.questionbank import load_framework
from selfassess.questionbank.drafting import draft_framework
from selfassess.questionbank.loader import domain_stems, read_folder
from selfassess.questionbank.packing import pack
from tests.conftest import csrf_token

BANK = Path(__file__).resolve().parents[2] / "questions" / "alliance-maturity-2.0"


def _files(version: str = "3.0") -> dict[str, str]:
    """Version ``version`` of the alliance maturity framework, continuing 2.0 standard by
    standard, as the question bank's writer puts it in files."""
    files, document, problems = draft_framework(
        load_framework(BANK),
        [],
        version,
        "alliance-maturity",
        "Provider alliance maturity and membership standards",
        stems=domain_stems(read_folder(BANK)),
    )
    assert document is not None or version == "2.0", problems
    return files


def _upload(client, files):
    page = client.get("/frameworks/shared")
    assert page.status_code == 200
    return client.post(
        "/frameworks/shared",
        data={
            "csrf_token": csrf_token(page.text),
            "archive": (io.BytesIO(pack(files)), "shared.zip"),
        },
    )


def test_a_shared_version_is_offered_to_every_alliance(client, login, make_user, make_alliance):
    x, y = make_alliance(), make_alliance()
    login(make_user(("site_admin", None)))
    response = _upload(client, _files())
    assert response.status_code == 302, response.text
    snapshot = db.session.scalar(
        select(FrameworkSnapshot).where(FrameworkSnapshot.version == "3.0")
    )
    assert snapshot.alliance_id is None and snapshot.source_files == _files()
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.entity_type == "framework_snapshot", AuditEvent.entity_id == snapshot.id
            )
        )
        == "framework.shared"
    )
    assert "version 3.0" in client.get("/frameworks/shared").text
    for alliance in (x, y):
        page = client.get("/", follow_redirects=True)
        client.post("/auth/sign-out", data={"csrf_token": csrf_token(page.text)})
        login(make_user(("coordinator", alliance)))
        choices = client.get(f"/alliances/{alliance.slug}/cycles/new").text
        assert "alliance-maturity@3.0" in choices
        assert "shared by the site administrator" in choices


def test_a_version_the_question_bank_has_cannot_be_shared_again(client, login, make_user):
    login(make_user(("site_admin", None)))
    response = _upload(client, _files(version="2.0"))
    assert response.status_code == 400
    assert "already exists with other content" in response.text


def test_problems_are_listed_as_the_checker_prints_them(client, login, make_user):
    login(make_user(("site_admin", None)))
    files = _files()
    files["data.yaml"] = files["data.yaml"].replace("core: true", "core: maybe", 1)
    response = _upload(client, files)
    assert response.status_code == 400
    lines = [c.get_text() for c in BeautifulSoup(response.text, "html.parser").select("li code")]
    assert any(line.startswith("data.yaml:") and "core" in line for line in lines), lines
    assert db.session.scalar(select(FrameworkSnapshot)) is None
