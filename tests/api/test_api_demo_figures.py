"""The API and the CSV export agree on every figure of the demo.

For every alliance and cycle of the demo, its coordinator downloads the scores export through
the page, and reads the same cycle through the API with a personal token, as JSON (every page,
following ``links.next``) and as CSV. Every cell must be the same figure.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from selfassess.api import tokens
from selfassess.demo.data import ALLIANCES, DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from selfassess.exports.services import SCORE_COLUMNS
from selfassess.extensions import db
from selfassess.models import Alliance, Cycle, User
from tests.conftest import csrf_token as page_token

NUMBERS = {
    "self_assessed",
    "weight",
    "score",
    "index",
    "target",
    "peer_min",
    "peer_q1",
    "peer_median",
    "peer_q3",
    "peer_max",
    "percentile",
}


def _same(column: str, cell: str, value: Any) -> bool:
    if cell == "":
        return value is None
    if column in NUMBERS:
        return value == float(cell)
    if column in ("peer_n", "quartile"):
        return value == int(cell)
    if column in ("met", "moderated"):
        return value is (cell == "true")
    return value == cell


def _api_rows(client: Any, url: str, headers: dict[str, str]) -> tuple[list[dict[str, Any]], Any]:
    items: list[dict[str, Any]] = []
    notice = None
    next_url: str | None = url
    while next_url:
        answer = client.get(next_url, headers=headers)
        assert answer.status_code == 200, next_url
        items += answer.json["items"]
        notice = answer.json["notice"]
        next_url = answer.json["links"]["next"]
    return items, notice


@pytest.mark.parametrize("slug", [a.slug for a in ALLIANCES])
def test_api_scores_match_the_csv_export_figure_for_figure(demo: Flask, slug: str) -> None:
    email = f"coordinator.{slug.split('-')[0]}@{DEMO_EMAIL_DOMAIN}"
    coordinator = db.session.scalars(select(User).where(User.email == email)).one()
    secret = tokens.create_token(coordinator, "agreement", None, 7).secret
    headers = {"Authorization": f"Bearer {secret}"}
    browser = demo.test_client()
    sign_in = browser.get("/auth/sign-in")
    browser.post(
        "/auth/sign-in",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": page_token(sign_in.text)},
    )
    alliance = db.session.scalars(select(Alliance).where(Alliance.slug == slug)).one()
    cycles = db.session.scalars(select(Cycle).where(Cycle.alliance_id == alliance.id)).all()
    assert len(cycles) == 3
    api = demo.test_client()
    compared = 0
    for cycle in cycles:
        export = browser.get(f"/alliances/{slug}/cycles/{cycle.id}/scores.csv")
        assert export.status_code == 200
        rows = list(csv.DictReader(io.StringIO(export.text)))
        base = f"/api/v1/alliances/{slug}/cycles/{cycle.id}/scores"
        # Small pages, so the comparison walks the pagination too.
        items, notice = _api_rows(api, f"{base}?per_page=97", headers)
        assert len(items) == len(rows) > 0
        for row, item in zip(rows, items, strict=True):
            assert notice == row["notice"] == "Demonstration data — not real results"
            for column in SCORE_COLUMNS:
                assert _same(column, row[column], item[column]), (cycle.name, column, row, item)
                compared += 1
        as_csv = api.get(f"{base}?per_page=1000", headers={**headers, "Accept": "text/csv"})
        assert as_csv.headers["Content-Type"].startswith("text/csv")
        assert as_csv.text == export.text
    assert compared > 1000


def test_the_readme_curl_example_works_on_the_demo(demo: Flask) -> None:
    """The README's curl lines, run with a coordinator's token against the demo."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Open data: the read-only API", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    urls = re.findall(r"http://127\.0\.0\.1:5000(/api/v1/[^\s\"]+)", block)
    assert len(urls) == 3
    email = f"coordinator.working@{DEMO_EMAIL_DOMAIN}"
    user = db.session.scalars(select(User).where(User.email == email)).one()
    headers = {"Authorization": f"Bearer {tokens.create_token(user, 'readme', None, 7).secret}"}
    client = demo.test_client()
    cycles = client.get(urls[1], headers=headers)
    assert cycles.status_code == 200
    for url in urls:
        answer = client.get(
            url.replace("$CYCLE", str(cycles.json["items"][-1]["id"])), headers=headers
        )
        assert answer.status_code == 200, url
