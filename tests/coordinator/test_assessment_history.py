"""The coordinator's history of one self-assessment names every change in words and shows what
each one did: evidence files, replies, the moderation panel and its decisions (found by the
browser walk of #18, whose history read "evidence.attached", "assessment.moderate"...)."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from bs4 import BeautifulSoup

from selfassess.coordinator.services import HISTORY_TITLES
from tests.conftest import csrf_token, sign_in_as
from tests.moderation.test_moderation_flow import _post, _world

PACKAGE = Path(__file__).resolve().parents[2] / "selfassess"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ACTION_CODE = re.compile(r"^[a-z_]+\.[a-z_]+")


def test_the_history_shows_evidence_replies_and_the_panel_in_words(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, assessment, peer, people = _world(
        make_alliance, make_trust, make_membership, make_user
    )
    base = f"/alliances/{alliance.slug}/assessments/{assessment.id}/"
    panel_url = f"{base}moderation"
    login(people["coordinator"])
    assert _post(client, f"{panel_url}/panel", {"user": str(people["peer"].id)}).status_code == 302
    decided = {"level-REL-1": "1", "reason-REL-1": "No joint board minutes yet"}
    assert _post(client, panel_url, decided).status_code == 302
    # Taken off and nominated again: both are history.
    page = BeautifulSoup(client.get(panel_url).text, "html.parser")
    remove = page.find("form", action=re.compile(r"/panel/\d+/remove$"))
    assert (
        client.post(remove["action"], data={"csrf_token": csrf_token(str(page))}).status_code == 302
    )
    review = client.get(base).text
    returned = client.post(
        f"{base}return",
        data={
            "csrf_token": csrf_token(review),
            "comment": "Please add the minutes.",
            "qc-REL-1.1": "Which minutes show this?",
        },
    )
    assert returned.status_code == 302

    sign_in_as(client, login, people["member"])
    trust_base = f"/trusts/{assessment.membership.trust.code}/assessments/{assessment.id}"
    thread_page = client.get(f"{trust_base}/review-comments").text
    replied = client.post(
        f"{trust_base}/review-comments",
        data={"csrf_token": csrf_token(thread_page), "question": "REL-1.1", "reply": "March's."},
    )
    assert replied.status_code == 302
    evidence_url = f"{trust_base}/evidence/REL-1.1"
    uploaded = client.post(
        evidence_url,
        data={
            "csrf_token": csrf_token(client.get(evidence_url).text),
            "evidence": (io.BytesIO(PDF), "minutes.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302

    sign_in_as(client, login, people["coordinator"])
    history = BeautifulSoup(client.get(f"{base}history").text, "html.parser")
    titles = [h.get_text(strip=True) for h in history.select(".history-title")]
    assert titles == [
        "Evidence file attached",
        "The trust replied to a reviewer's comment",
        "Returned for revision",
        "Peer reviewer taken off the moderation panel",
        "The moderation panel decided",
        "Peer reviewer nominated to the moderation panel",
    ]
    entries = {
        e.select_one(".history-title").get_text(strip=True): e
        for e in history.select(".history-entry")
    }
    text = {title: " ".join(e.get_text(" ").split()) for title, e in entries.items()}
    assert "REL-1.1: minutes.pdf" in text["Evidence file attached"]
    assert "Reply on REL-1.1: March's." in text["The trust replied to a reviewer's comment"]
    assert "Comment:" not in text["The trust replied to a reviewer's comment"]  # not its id
    returned_text = text["Returned for revision"]
    assert "Comment: Please add the minutes." in returned_text
    assert "Comments on REL-1.1" in returned_text
    assert "decisions on 1 standard were cleared" in returned_text
    peer_email = people["peer"].email
    assert f"{peer_email} ({peer.code})" in text["Peer reviewer nominated to the moderation panel"]
    assert f"{peer_email} ({peer.code})" in text["Peer reviewer taken off the moderation panel"]
    [row] = entries["The moderation panel decided"].select("table.moderation-decisions tbody tr")
    cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
    assert cells[0] == "REL-1" and cells[2] == "1.00"
    assert cells[1] == "\N{EN DASH}" and float(cells[3]) > 1  # nothing before; the trust's own
    assert cells[4] == "No joint board minutes yet"


def test_every_action_recorded_on_an_assessment_has_a_title():
    """Each ``audit.record(<literal action>, "assessment", ...)`` in the package is named on the
    history page (actions passed through a variable are covered by the page tests)."""
    actions = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func) == "audit.record"
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "assessment"
            ):
                actions.add(node.args[0].value)
    assert len(actions) >= 7
    assert actions <= HISTORY_TITLES.keys()
    assert not [t for t in HISTORY_TITLES.values() if ACTION_CODE.match(t)]
