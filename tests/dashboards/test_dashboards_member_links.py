"""The member drill-down leads somewhere (issue #19): answers and review, report, a buddy, the
improvement plan, each shown only to a viewer who may follow it."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.dashboards.conftest import STANDARDS, standard_score


def _links(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    nav = BeautifulSoup(response.text, "html.parser").select_one("nav.member-links")
    if nav is None:
        return {}
    return {" ".join(a.get_text(" ").split()): a["href"] for a in nav.find_all("a")}


def _weak_member(world) -> int:
    """A member below target on some standard in the latest cycle."""
    return next(
        i
        for i in range(len(world.trusts))
        if any(standard_score(i, code, 1) < target for code, _, target in STANDARDS)
    )


def test_coordinator_and_lead_each_get_the_links_they_may_follow(scored_alliance, sign_in_as):
    world = scored_alliance(4)
    i = _weak_member(world)
    trust, slug = world.trusts[i], world.alliance.slug
    url = f"/alliances/{slug}/members/{trust.code}/dashboard"
    latest = world.cycles[1]
    report = f"/alliances/{slug}/cycles/{latest.id}/members/{trust.code}/report"
    plan = f"/alliances/{slug}/members/{trust.code}/plan"
    coordinator = sign_in_as("coordinator", world.alliance)
    links = _links(coordinator, url)
    assert links == {
        f"Answers and review of {trust.name}'s self-assessment": (
            f"/alliances/{slug}/assessments/{world.assessments[(1, i)].id}/"
        ),
        f"Printable report for {trust.name}": report,
        f"Improvement plan of {trust.name}": plan,
    }
    lead = sign_in_as("buddying_lead", world.alliance)
    membership_id = world.assessments[(1, i)].membership_id
    links = _links(lead, url)
    assert links == {
        f"Printable report for {trust.name}": report,
        f"Find a buddy for {trust.name}": (
            f"/alliances/{slug}/buddying/cycles/{latest.id}/members/{membership_id}/"
        ),
        f"Improvement plan of {trust.name}": plan,
    }
    for href in links.values():  # every link shown can be followed
        assert lead.get(href).status_code == 200, href


def test_no_links_to_an_assessment_that_does_not_exist_and_none_on_a_trusts_own_page(
    scored_alliance, sign_in_as
):
    world = scored_alliance(4, scored=3)
    trust, slug = world.trusts[3], world.alliance.slug  # in progress: nothing scored
    lead = sign_in_as("buddying_lead", world.alliance)
    # Only its improvement plan, which a member keeps whether or not it has results.
    assert _links(lead, f"/alliances/{slug}/members/{trust.code}/dashboard") == {
        f"Improvement plan of {trust.name}": f"/alliances/{slug}/members/{trust.code}/plan"
    }
    own = sign_in_as("trust_user", world.trusts[0])
    assert _links(own, f"/trusts/{world.trusts[0].code}/alliances/{slug}/dashboard") == {}
