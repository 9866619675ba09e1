"""Issue #19 on the buddying pages: the cycle they start from, cautions on weak mentors, core
standards marked, and members who could help each other."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from selfassess.buddying import queries, services
from selfassess.extensions import db


def _text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def _base(s) -> str:  # type: ignore[no-untyped-def]
    return f"/alliances/{s.alliance.slug}/buddying"


def test_buddying_starts_from_the_latest_closed_cycle_with_results(scenario, app):
    s = scenario
    assert queries.default_cycle(s.alliance) == s.cycles[1]  # both closed: the newer
    s.cycles[1].state = "open"  # members are still submitting in 2025/26
    db.session.commit()
    assert queries.default_cycle(s.alliance) == s.cycles[0]
    s.cycles[0].state = "open"  # nothing closed yet: the newest cycle with results
    db.session.commit()
    assert queries.default_cycle(s.alliance) == s.cycles[1]


def test_home_opens_on_the_closed_cycle_and_says_an_open_one_can_change(scenario, login, get_page):
    s = scenario
    s.cycles[1].state = "open"
    db.session.commit()
    login(s.lead)
    page = _text(get_page(f"{_base(s)}/"))
    assert "Members in 2024/25" in page
    assert "B Hospitals NHS Trust has a standard below target" not in page
    chosen = _text(get_page(f"{_base(s)}/?cycle={s.cycles[1].id}"))
    assert "2025/26 is still open: statuses and scores can change" in chosen


def test_weak_mentors_are_flagged_on_suggestions_and_choices(scenario, login, get_page):
    s = scenario
    login(s.lead)
    mentee = f"{_base(s)}/cycles/{s.cycles[0].id}/members/{s.member_id('A')}/"
    page = get_page(mentee)
    cards = {
        card.h3.get_text(strip=True): " ".join(card.get_text(" ").split())
        for card in page.select("ol.buddy-suggestions > li")
    }
    # T covers GOV-2 (4.8, top quarter) but is itself at 2.9 on DATA-1, target 3.
    assert "Check first: itself below target on DATA-1." in cards["T Hospitals NHS Trust"]
    assert "Check first" not in cards["S Hospitals NHS Trust"]
    # The mentee's standards below target are marked core.
    assert [th.get_text(" ", strip=True).split()[:2] for th in page.select("tbody th")] == [
        ["GOV-2", "(core)"],
        ["DATA-1", "(core)"],
    ]
    assign = get_page(mentee + "pairs/new")
    labels = {o.get_text(strip=True) for o in assign.select("#mentor option")}
    assert (
        "T Hospitals NHS Trust: 0 of 2 places used (suggested) (itself below target on DATA-1)"
        in (labels)
    )
    assert "U Hospitals NHS Trust: 0 of 2 places used (itself below target on REL-1)" in labels
    focus = [label.get_text(strip=True) for label in assign.select("input[name=focus] + label")]
    assert focus == ["GOV-2 (core): Decision forums are agreed", "DATA-1 (core): Data are shared"]


def test_members_who_could_help_each_other(make_scenario, login, get_page):
    # GOV-2 values 4.5, 2, 3, 3: P is at percentile 87.5 (top quarter), Q below target 3;
    # DATA-1 the other way round. REL-1 all 4: nobody below target, nobody top quarter.
    level = {"REL-1": 4.0}
    s = make_scenario(
        {
            "P": ("North", "Acute", [{"GOV-2": 4.5, "DATA-1": 2.0, **level}, None]),
            "Q": ("North", "Acute", [{"GOV-2": 2.0, "DATA-1": 4.5, **level}, None]),
            "X": ("South", "Acute", [{"GOV-2": 3.0, "DATA-1": 3.0, **level}, None]),
            "Y": ("South", "Acute", [{"GOV-2": 3.0, "DATA-1": 3.0, **level}, None]),
        }
    )
    login(s.lead)
    page = get_page(f"{_base(s)}/")
    [item] = page.select(".mutual-pairs li")
    text = " ".join(item.get_text(" ").split())
    assert text.startswith(
        "P Hospitals NHS Trust and Q Hospitals NHS Trust: P Hospitals NHS Trust could help with "
        "GOV-2; Q Hospitals NHS Trust with DATA-1; same collaboration type; same region; "
        "same trust type."
    )
    links = [a["href"] for a in item.find_all("a")]
    cycle = s.cycles[0].id
    assert links == [
        f"{_base(s)}/cycles/{cycle}/members/{s.member_id('Q')}/pairs/new?mentor={s.member_id('P')}",
        f"{_base(s)}/cycles/{cycle}/members/{s.member_id('P')}/pairs/new?mentor={s.member_id('Q')}",
    ]
    # Following one prefills the mentor (it is among the mentee's suggestions).
    assign = get_page(links[0])
    assert assign.select_one("#mentor option[selected]")["value"] == str(s.member_id("P"))
    # Once they are paired (either way round), they are not suggested again.
    services.assign_pair(
        s.alliance,
        s.cycles[0],
        services.NewPair(s.member_id("Q"), s.member_id("P"), ("DATA-1",), date(2024, 7, 1)),
        s.lead,
    )
    assert get_page(f"{_base(s)}/").select(".mutual-pairs li") == []
