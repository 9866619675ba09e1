"""The dashboards run the same, small number of SQL queries at 10 and at 200 members."""

from __future__ import annotations

import time

import pytest

from tests.conftest import count_queries

PAGES = {
    "trust": lambda w: f"/trusts/{w.trusts[2].code}/alliances/{w.alliance.slug}/dashboard",
    "member": lambda w: f"/alliances/{w.alliance.slug}/members/{w.trusts[2].code}/dashboard",
    "alliance": lambda w: f"/alliances/{w.alliance.slug}/dashboard",
    "alliance-filtered": lambda w: (
        f"/alliances/{w.alliance.slug}/dashboard?region=London&sort=-index"
    ),
    # A later page, narrowed by status and name: the listing adds no query.
    "alliance-paged": lambda w: (
        f"/alliances/{w.alliance.slug}/dashboard?page=3&status=Meets+standards&name=trust"
    ),
}
#: Sign-in and session checks (user, grants, session row, alliance or trust) plus the page's own,
#: and the header's unread-notifications count (issue #17).
MAX_QUERIES = 15
#: The trust's own dashboard also reads the trust's own targets (issue #19): one query.
EXTRA = {"trust": 1}


@pytest.mark.parametrize("crossing", [False, True], ids=["one-version", "crossing-versions"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_dashboard_query_count_does_not_grow_with_members(
    page, crossing, scored_alliance, sign_in_as, request
):
    """Also when the latest cycle is on a new framework version: the change since the last
    cycle then reads the earlier framework once, whatever the number of members."""
    counts, timings = [], []
    for size in (10, 200):
        world = scored_alliance(size, crossing=crossing)
        role, scope = (
            ("trust_user", world.trusts[2]) if page == "trust" else ("coordinator", world.alliance)
        )
        client = sign_in_as(role, scope)
        url = PAGES[page](world)
        client.get(url)  # warm: the Vega bundle is built once per process
        start = time.perf_counter()
        with count_queries() as queries:
            response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
        assert response.text.count("application/json") >= 2  # charts were built
        counts.append(len(queries))
    if crossing and page in ("trust", "member"):
        assert "compared through each standard" in response.text
    print(f"\n{page}: queries {counts}, seconds {[round(t, 3) for t in timings]}")
    assert counts[0] == counts[1], counts
    assert counts[0] <= MAX_QUERIES + EXTRA.get(page, 0), counts
