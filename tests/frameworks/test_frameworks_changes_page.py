"""The "what changed between versions" page, generated from the question bank's files."""

from __future__ import annotations

from typing import Any


def test_a_coordinator_reads_what_changed_from_1_0_to_2_0(
    app: Any, client: Any, login: Any, make_user: Any, make_alliance: Any
) -> None:
    login(make_user(("coordinator", make_alliance())))
    response = client.get("/frameworks/alliance-maturity/2.0/changes")
    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "What changed from framework 1.0 to 2.0" in text
    assert "Scoring rule changed." in text
    assert "VIS-1 and VIS-2" in text and "merged" in text
    assert "target VIS-1 4, VIS-2 3 → 3" in text
    assert "Improvement strategies" in text  # a new domain
    assert "Referral to treatment (RTT)" in text  # a metric's definition
    assert "Asked of every member in 1.0." in text  # a question now an alliance fact


def test_a_version_that_continues_nothing_says_so(
    app: Any, client: Any, login: Any, make_user: Any, make_alliance: Any
) -> None:
    login(make_user(("coordinator", make_alliance())))
    response = client.get("/frameworks/alliance-maturity/1.0/changes")
    assert response.status_code == 200
    assert "does not continue an earlier version" in response.text


def test_an_unknown_version_is_not_found(
    app: Any, client: Any, login: Any, make_user: Any, make_alliance: Any
) -> None:
    login(make_user(("coordinator", make_alliance())))
    assert client.get("/frameworks/alliance-maturity/9.9/changes").status_code == 404
    assert client.get("/frameworks/..%2F..%2Fetc/2.0/changes").status_code == 404
