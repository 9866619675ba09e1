"""Role home pages run a fixed number of SQL queries, whatever the number of members."""

from __future__ import annotations

import pytest

from tests.conftest import count_queries


def _world(make_alliance, make_trust, make_membership, members: int):  # type: ignore[no-untyped-def]
    alliance = make_alliance()
    trusts = [make_trust() for _ in range(members)]
    for trust in trusts:
        make_membership(alliance, trust)
    return alliance, trusts


@pytest.mark.parametrize("page", ["coordinator", "buddying", "trust"])
def test_home_pages_query_count_does_not_grow_with_members(
    page, app, client, login, make_user, make_alliance, make_trust, make_membership
):
    counts = []
    for size in (3, 30):
        alliance, trusts = _world(make_alliance, make_trust, make_membership, size)
        role, scope = {
            "coordinator": ("coordinator", alliance),
            "buddying": ("buddying_lead", alliance),
            "trust": ("trust_user", trusts[0]),
        }[page]
        user = make_user((role, scope))
        session_client = app.test_client()
        login_page = session_client.get("/auth/sign-in")
        from tests.conftest import csrf_token

        session_client.post(
            "/auth/sign-in",
            data={
                "email": user.email,
                "password": "correct horse battery staple",
                "csrf_token": csrf_token(login_page.text),
            },
        )
        url = {
            "coordinator": f"/alliances/{alliance.slug}/",
            "buddying": f"/alliances/{alliance.slug}/buddying/",
            "trust": f"/trusts/{trusts[0].code}/",
        }[page]
        with count_queries() as queries:
            response = session_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # 8, and one more for the header's unread-notifications count (issue #17); the
    # coordinator's home also reads its evidence storage and the submissions waiting for
    # review, whose points to check need no query when there are none (issue #18), and the
    # alliance's overdue improvement actions in one query (issue #19).
    assert counts[0] <= (11 if page == "coordinator" else 9), counts
