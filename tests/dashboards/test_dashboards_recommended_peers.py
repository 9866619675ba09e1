"""Recommended peers on the dashboards go through the same gate as any filter."""

from __future__ import annotations

from tests.dashboards.conftest import REGIONS

COMPARABLE = "cannot be compared with other views"


def _url(world, trust, query=""):
    return f"/trusts/{trust.code}/alliances/{world.alliance.slug}/dashboard{query}"


def test_recommended_peers_cannot_be_differenced_from_all_members(scored_alliance, sign_in_as):
    """Seven members: "all" shows the 6 others; the 5 most similar would leave one out, so a
    trust comparing the two views would get that member's figures. The page refuses."""
    world = scored_alliance(7)
    me = world.trusts[0]
    client = sign_in_as("trust_user", me)
    everyone = client.get(_url(world, me))
    assert everyone.status_code == 200
    assert "6 members, not counting" in everyone.text and COMPARABLE not in everyone.text
    recommended = client.get(_url(world, me, "?peers=recommended"))
    assert recommended.status_code == 200
    assert "Recommended peers (5 most similar members)" in recommended.text
    assert COMPARABLE in recommended.text
    assert "5 members, not counting" not in recommended.text  # its size is hidden too
    for other in world.trusts[1:]:
        assert other.name not in recommended.text


def test_recommended_peers_shown_unnamed_when_they_are_a_published_group(
    scored_alliance, sign_in_as
):
    world = scored_alliance(5)
    me = world.trusts[1]
    html = sign_in_as("trust_user", me).get(_url(world, me, "?peers=recommended")).text
    assert "4 members, not counting" in html and COMPARABLE not in html
    assert "Recommended peers, most similar first" not in html
    for other in world.trusts:
        if other is not me:
            assert other.name not in html


def test_small_recommended_set_suppressed_and_named_where_the_alliance_names(
    scored_alliance, sign_in_as
):
    world = scored_alliance(3, named=True)
    me = world.trusts[0]
    html = sign_in_as("trust_user", me).get(_url(world, me, "?peers=recommended")).text
    assert "fewer than 3 peers (2 in this group)" in html.lower()
    big = scored_alliance(6, named=True)
    coordinator = sign_in_as("coordinator", big.alliance)
    page = coordinator.get(
        f"/alliances/{big.alliance.slug}/members/{big.trusts[0].code}/dashboard?peers=recommended"
    )
    assert "Recommended peers, most similar first" in page.text
    # Trust 0 is Specialist in London; trust 3 shares both and comes first.
    assert page.text.index(big.trusts[3].name) < page.text.index(big.trusts[1].name)
    assert REGIONS[0] in page.text


def test_alliance_dashboard_does_not_offer_recommended(scored_alliance, sign_in_as):
    world = scored_alliance(5)
    html = (
        sign_in_as("coordinator", world.alliance)
        .get(f"/alliances/{world.alliance.slug}/dashboard?peers=recommended")
        .text
    )
    assert "Recommended peers (5 most similar members)" not in html
