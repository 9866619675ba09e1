"""The buddying pages through the real app: lists, suggestions, assigning, lifecycle, notes."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.buddying import services
from selfassess.extensions import db
from selfassess.models import AuditEvent, BuddyPair
from tests.buddying.conftest import STANDARD_MEMBERS
from tests.conftest import csrf_token
from tests.stable_page import cell_text


def _text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ").split())


def _rows(page: BeautifulSoup, caption: str) -> list[list[str]]:
    table = next(t for t in page.find_all("table") if caption in t.caption.get_text())
    return [[cell_text(c) for c in tr.find_all(["td", "th"])] for tr in table.tbody.find_all("tr")]


def _base(s) -> str:  # type: ignore[no-untyped-def]
    return f"/alliances/{s.alliance.slug}/buddying"


def _assign_url(s, cycle=0, mentee="A") -> str:  # type: ignore[no-untyped-def]
    return f"{_base(s)}/cycles/{s.cycles[cycle].id}/members/{s.member_id(mentee)}/pairs/new"


def _pair(s, mentor="S", mentee="A", focus=("GOV-2", "DATA-1"), status=None):  # type: ignore[no-untyped-def]
    pair = services.assign_pair(
        s.alliance,
        s.cycles[0],
        services.NewPair(s.member_id(mentor), s.member_id(mentee), focus, date(2024, 7, 1)),
        s.lead,
    )
    if status in ("active", "completed"):
        services.change_status(pair, "active", "proposed", s.lead)
    if status == "completed":
        services.change_status(pair, "completed", "active", s.lead, outcome="Agreed actions done")
    return pair


def test_home_lists_members_needing_support_in_the_chosen_cycle(scenario, login, get_page):
    s = scenario
    login(s.lead)
    latest = _rows(get_page(f"{_base(s)}/"), "Members and their membership status")
    by_name = {r[0]: r for r in latest}
    assert by_name["A Hospitals NHS Trust"][1:3] == ["Improvement required", "DATA-1 (core)"]
    assert by_name["A Hospitals NHS Trust"][4] == "Find a buddy for A Hospitals NHS Trust"
    assert by_name["B Hospitals NHS Trust"][1:3] == ["No results yet", "\N{EN DASH}"]
    assert by_name["S Hospitals NHS Trust"][2] == "None"
    first = _rows(
        get_page(f"{_base(s)}/?cycle={s.cycles[0].id}"), "Members and their membership status"
    )
    # Every standard of this framework is core: each is marked so, in words.
    assert {r[0]: r[2] for r in first}["A Hospitals NHS Trust"] == "GOV-2 (core), DATA-1 (core)"
    # A cycle of no alliance, or nonsense, falls back to the default cycle.
    page = get_page(f"{_base(s)}/?cycle=999999")
    assert "Members in 2025/26" in _text(page)
    assert "Members in 2025/26" in _text(get_page(f"{_base(s)}/?cycle=%3Cb%3E"))


def test_suggestions_explain_themselves_best_first(scenario, login, get_page):
    s = scenario
    login(s.lead)
    page = get_page(f"{_base(s)}/cycles/{s.cycles[0].id}/members/{s.member_id('A')}/")
    cards = [" ".join(li.get_text(" ").split()) for li in page.select("ol.buddy-suggestions > li")]
    assert cards[0].startswith(
        "S Hospitals NHS Trust Covers GOV-2 and DATA-1; same collaboration type; 0 of 2 places used"
    )
    assert cards[1].startswith(
        "T Hospitals NHS Trust Covers GOV-2; same collaboration type; "
        "same region; same trust type; 0 of 2 places used"
    )
    assert len(cards) == 2  # U is at target but not top quartile; B is weak itself


def test_no_candidate_at_all_says_so_and_offers_a_free_choice(make_scenario, login, get_page):
    s = make_scenario(
        {code: spec for code, spec in STANDARD_MEMBERS.items() if code != "S"}, max_pairs=0
    )
    login(s.lead)
    page = get_page(f"{_base(s)}/cycles/{s.cycles[0].id}/members/{s.member_id('A')}/")
    assert page.select("ol.buddy-suggestions") == []
    assert "No suggested buddy" in _text(page)
    assert any("Choose a mentor yourself" in a.text for a in page.find_all("a"))


def test_assign_journey_prefills_from_the_suggestion_and_audits(scenario, client, login, get_page):
    s = scenario
    login(s.lead)
    form = get_page(_assign_url(s) + f"?mentor={s.member_id('T')}")
    assert form.find("option", selected=True)["value"] == str(s.member_id("T"))
    checked = [i["value"] for i in form.select("input[name=focus]") if i.has_attr("checked")]
    assert checked == ["GOV-2"]  # what T covers
    assert "(suggested)" in form.find("option", value=str(s.member_id("S"))).text
    response = client.post(
        _assign_url(s),
        data={
            "mentor": str(s.member_id("S")),
            "focus": ["GOV-2", "DATA-1"],
            "start_date": "2024-07-01",
            "note": "Kick-off in July",
            "csrf_token": csrf_token(form.decode()),
        },
    )
    assert response.status_code == 302
    pair = db.session.scalars(select(BuddyPair)).one()
    assert response.headers["Location"].endswith(f"/buddying/pairs/{pair.id}/")
    page = get_page(response.headers["Location"])
    assert "S Hospitals NHS Trust buddying A Hospitals NHS Trust" in page.h1.text
    assert "Pair proposed" in _text(page) and "Kick-off in July" in _text(page)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "buddy_pair.assign")
    ).one()
    assert event.actor_id == s.lead.id and event.request_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mentor": ""}, "Select a mentor"),
        ({"mentor": "999999"}, "Select a mentor from the list"),
        ({"focus": []}, "Select at least one focus standard"),
        ({"focus": ["REL-1"]}, "Select focus standards from the list"),
        ({"start_date": "31/02/2025"}, "Start date must be a real date"),
        (
            {"start_date-day": "31", "start_date-month": "2", "start_date-year": "2025"},
            "Start date must be a real date",
        ),
        (
            {"start_date-day": "", "start_date-month": "", "start_date-year": ""},
            "Enter the start date",
        ),
        ({"start_date": "2999-01-01"}, "within a year from today"),
        ({"note": "n" * 5001}, "5000 characters or fewer"),
    ],
)
def test_bad_assignments_show_errors_and_keep_what_was_typed(
    scenario, client, login, data, message
):
    s = scenario
    login(s.lead)
    token = csrf_token(client.get(_assign_url(s)).text)
    sent = {
        "mentor": str(s.member_id("S")),
        "focus": ["GOV-2"],
        "start_date": "2024-07-01",
        "note": "Typed <b>note</b> kept",
        **data,
    }
    response = client.post(_assign_url(s), data={**sent, "csrf_token": token})
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert message in page.select_one(".nhsuk-error-summary").get_text()
    assert page.title.text.startswith("Error:")
    if "n" * 10 not in sent["note"]:
        kept = page.find("textarea", id="note").text.removeprefix("\r\n")
        assert kept == "Typed <b>note</b> kept"
    shown = [
        page.find("input", id=f"start_date-{part}")["value"] for part in ("day", "month", "year")
    ]
    if "start_date-day" in sent:  # typed in the three boxes: each kept as typed
        assert shown == [sent[f"start_date-{part}"] for part in ("day", "month", "year")]
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", sent["start_date"]):  # one ISO value: split
        year, month, day = sent["start_date"].split("-")
        assert shown == [str(int(day)), str(int(month)), year]
    assert db.session.scalars(select(BuddyPair)).all() == []


def test_a_full_mentor_is_refused_with_the_reason_and_the_form_kept(make_scenario, client, login):
    s = make_scenario(STANDARD_MEMBERS, max_pairs=1)
    _pair(s, mentee="B", focus=("GOV-2",))
    login(s.lead)
    token = csrf_token(client.get(_assign_url(s)).text)
    response = client.post(
        _assign_url(s),
        data={
            "mentor": str(s.member_id("S")),
            "focus": ["GOV-2"],
            "start_date": "2024-07-01",
            "note": "Please keep me",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert (
        "has no place left: 1 of 1 places are used" in page.select_one(".nhsuk-error-summary").text
    )
    assert page.find("textarea", id="note").text.removeprefix("\r\n") == "Please keep me"


def test_lifecycle_buttons_and_a_stale_page(scenario, client, login, get_page):
    s = scenario
    pair = _pair(s)
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/"
    page = get_page(url)
    actions = [
        b.get_text(strip=True)
        for b in page.select(".buddy-actions button, .buddy-actions a.nhsuk-button")
    ]
    assert actions == ["Start the pair", "Withdraw the proposal"]
    token = csrf_token(page.decode())
    response = client.post(
        url + "status", data={"to": "active", "seen": "proposed", "csrf_token": token}
    )
    assert response.status_code == 302
    page = get_page(url)
    assert "The pair is now active." in _text(page)
    assert [
        b.get_text(strip=True)
        for b in page.select(".buddy-actions button, .buddy-actions a.nhsuk-button")
    ] == [
        "Mark as completed",
        "End the pair early",
    ]
    # A second lead still looking at the "proposed" page tries to withdraw it.
    stale = client.post(
        url + "status",
        data={
            "to": "ended",
            "seen": "proposed",
            "outcome": "No longer needed",
            "csrf_token": token,
        },
    )
    assert stale.status_code == 409
    assert "it is now active" in stale.text
    db.session.expire_all()
    assert db.session.get(BuddyPair, pair.id).status == "active"
    bad = client.post(
        url + "status", data={"to": "proposed", "seen": "active", "csrf_token": token}
    )
    assert bad.status_code == 400 and "cannot become proposed" in bad.text


def test_notes_history_newest_first_and_an_empty_note_refused(scenario, client, login, get_page):
    s = scenario
    pair = _pair(s)
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/"
    token = csrf_token(client.get(url).text)
    for body in ("First call held", "Second call <script>x</script>"):
        assert (
            client.post(url + "notes", data={"body": body, "csrf_token": token}).status_code == 302
        )
    page = get_page(url)
    notes = [li.select_one(".buddy-note-body").text for li in page.select(".buddy-notes li")]
    assert notes == ["Second call <script>x</script>", "First call held"]
    assert s.lead.name in page.select_one(".buddy-notes li").text
    empty = client.post(url + "notes", data={"body": "   ", "csrf_token": token})
    assert empty.status_code == 400
    assert (
        "Enter a note"
        in BeautifulSoup(empty.text, "html.parser").select_one(".nhsuk-error-summary").text
    )


def test_coordinator_sees_pairs_read_only(scenario, client, login, get_page):
    s = scenario
    pair = _pair(s)
    login(s.coordinator)
    page = get_page(f"{_base(s)}/pairs/{pair.id}/")
    assert page.select(".buddy-actions") == [] and page.find("textarea") is None
    assert len(_rows(get_page(f"{_base(s)}/pairs/"), "Buddying pairs")) == 1
    response = client.post(
        f"{_base(s)}/pairs/{pair.id}/status",
        data={"to": "active", "seen": "proposed", "csrf_token": csrf_token(page.decode())},
    )
    assert response.status_code == 403


def test_filters(scenario, login, get_page):
    s = scenario
    _pair(s, status="active")
    _pair(s, mentor="T", mentee="B", focus=("GOV-2",))
    login(s.lead)
    base = f"{_base(s)}/pairs/"
    assert len(_rows(get_page(base), "Buddying pairs")) == 2
    active = _rows(get_page(base + "?status=active"), "Buddying pairs")
    assert [r[1] for r in active] == ["A Hospitals NHS Trust"]
    by_trust = _rows(get_page(f"{base}?trust={s.trusts['T'].id}"), "Buddying pairs")
    assert [r[0] for r in by_trust] == ["T Hospitals NHS Trust buddying B Hospitals NHS Trust"]
    none = _rows(get_page(base + "?status=completed"), "Buddying pairs")
    assert none == [["No pairs match these filters."]]
    page = get_page(base + "?status=paused&trust=abc")
    assert "Not a valid choice" in page.select_one(".nhsuk-error-summary").text
    assert "Select a member from the list" in page.select_one(".nhsuk-error-summary").text
    assert len(_rows(page, "Buddying pairs")) == 2


def test_outcome_compares_the_pair_cycle_with_the_latest_validated_one(scenario, login, get_page):
    s = scenario
    pair = _pair(s, status="active")
    login(s.lead)
    rows = _rows(get_page(f"{_base(s)}/pairs/{pair.id}/"), "Change on the focus standards")
    assert rows == [
        ["GOV-2", "3", "2.00", "3.50", "Up 1.50, now meets target 3"],
        ["DATA-1", "3", "2.00", "2.50", "Up 0.50, still below target 3"],
    ]
    page = get_page(f"{_base(s)}/outcomes/")
    across = _rows(page, "by pair")
    assert [r[1] for r in across] == ["GOV-2", "DATA-1"]
    spec = json.loads(page.select_one("script#buddy-outcomes-spec").string)
    assert [r["label"] for r in spec["datasets"]["outcomes"]] == [
        "GOV-2: up 1.50, now meets target 3 \N{MIDDLE DOT} A Hospitals NHS Trust (from 2024/25)",
        "DATA-1: up 0.50, still below target 3 \N{MIDDLE DOT} A Hospitals NHS Trust (from 2024/25)",
    ]
    assert page.select("script[src$='charts.js']")


def test_outcome_waits_for_a_validated_cycle(make_scenario, login, get_page):
    s = make_scenario(STANDARD_MEMBERS, states={("A", 1): "submitted"})
    pair = _pair(s)
    login(s.lead)
    page = get_page(f"{_base(s)}/pairs/{pair.id}/")
    assert "No validated cycle after 2024/25 yet." in _text(page)
    assert page.select("figure.chart") == [] and page.select("script[src$='charts.js']") == []
    outcomes = get_page(f"{_base(s)}/outcomes/")
    assert outcomes.select("figure.chart") == []
    assert "no change to chart" in _text(outcomes)


def test_trust_users_see_their_own_pairs_without_notes(scenario, login, get_page, app):
    s = scenario
    pair = _pair(s, status="active")
    services.add_note(pair, "Private note for leads", s.lead)
    _pair(s, mentor="T", mentee="B", focus=("GOV-2",))
    for code, heading in (
        ("A", "Mentored by S Hospitals NHS Trust"),
        ("S", "Mentoring A Hospitals NHS Trust"),
    ):
        client = app.test_client()
        page_html = client.get("/auth/sign-in").text
        client.post(
            "/auth/sign-in",
            data={
                "email": s.users[code].email,
                "password": "correct horse battery staple",
                "csrf_token": csrf_token(page_html),
            },
        )
        response = client.get(f"/trusts/{s.trusts[code].code}/buddying/")
        assert response.status_code == 200
        page = BeautifulSoup(response.text, "html.parser")
        assert [h.text for h in page.select(".nhsuk-card h2")] == [heading]
        assert "GOV-2, DATA-1" in _text(page)
        assert "Up 1.50, now meets target 3" in _text(page)
        assert "Private note" not in response.text
    login(s.users["U"])
    page = get_page(f"/trusts/{s.trusts['U'].code}/buddying/")
    assert "is not in any buddying pair" in _text(page)


def test_other_alliances_objects_are_not_found(scenario, make_scenario, client, login):
    s = scenario
    other = make_scenario(STANDARD_MEMBERS)
    theirs = _pair(other)
    login(s.lead)
    base = _base(s)
    for path in (
        f"{base}/pairs/{theirs.id}/",
        f"{base}/pairs/999999/",
        f"{base}/cycles/{other.cycles[0].id}/members/{s.member_id('A')}/",
        f"{base}/cycles/{s.cycles[0].id}/members/{other.member_id('A')}/",
        f"{base}/cycles/{s.cycles[0].id}/members/{other.member_id('A')}/pairs/new",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get(f"{_base(other)}/pairs/{theirs.id}/").status_code == 403
    token = csrf_token(client.get(f"{base}/pairs/").text)
    response = client.post(
        f"{base}/pairs/{theirs.id}/status",
        data={"to": "active", "seen": "proposed", "csrf_token": token},
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(BuddyPair, theirs.id).status == "proposed"


def test_a_pair_cannot_start_before_its_date_unless_the_lead_moves_it(
    scenario, client, login, get_page
):
    s = scenario
    later = date.today() + timedelta(days=30)
    pair = services.assign_pair(
        s.alliance,
        s.cycles[0],
        services.NewPair(s.member_id("S"), s.member_id("A"), ("GOV-2",), later),
        s.lead,
    )
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/"
    page = get_page(url)
    assert [b.get_text(strip=True) for b in page.select(".buddy-actions button")] == [
        "Start today instead"
    ]
    assert f"Planned to start on {later:%-d %B %Y}" in _text(page)
    token = csrf_token(page.decode())
    early = client.post(
        url + "status", data={"to": "active", "seen": "proposed", "csrf_token": token}
    )
    assert early.status_code == 400 and "cannot start yet" in early.text
    db.session.expire_all()
    assert db.session.get(BuddyPair, pair.id).status == "proposed"
    moved = client.post(
        url + "status",
        data={"to": "active", "seen": "proposed", "start_today": "yes", "csrf_token": token},
    )
    assert moved.status_code == 302
    db.session.expire_all()
    started = db.session.get(BuddyPair, pair.id)
    assert (started.status, started.start_date) == ("active", date.today())
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "buddy_pair.active")
    ).one()
    assert event.before["start_date"] == later.isoformat()
    assert event.after["start_date"] == date.today().isoformat()


def test_completing_asks_for_the_outcome_on_a_check_page_and_keeps_it(
    scenario, client, login, get_page
):
    s = scenario
    pair = _pair(s, status="active")
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/"
    check = get_page(url + "status/completed")
    assert "Mark this pair as completed" in _text(check)
    assert "This cannot be undone" in _text(check)
    token = csrf_token(check.decode())
    blank = client.post(
        url + "status",
        data={"to": "completed", "seen": "active", "outcome": "  ", "csrf_token": token},
    )
    assert blank.status_code == 400 and "Enter the outcome" in blank.text
    db.session.expire_all()
    assert db.session.get(BuddyPair, pair.id).status == "active"
    done = client.post(
        url + "status",
        data={
            "to": "completed",
            "seen": "active",
            "csrf_token": token,
            "outcome": "Data sharing agreement signed; GOV-2 now met",
        },
    )
    assert done.status_code == 302
    page = get_page(url)
    assert "Completed: Data sharing agreement signed; GOV-2 now met" in _text(page)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "buddy_pair.completed")
    ).one()
    assert event.after["outcome"] == "Data sharing agreement signed; GOV-2 now met"


def test_an_outcome_too_long_is_refused_and_kept_on_the_check_page(
    scenario, client, login, get_page
):
    s = scenario
    pair = _pair(s, status="active")
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/"
    token = csrf_token(get_page(url + "status/ended").decode())
    typed = "x" * (services.NOTE_MAX + 1)
    response = client.post(
        url + "status",
        data={"to": "ended", "seen": "active", "outcome": typed, "csrf_token": token},
    )
    assert response.status_code == 400
    assert "characters or fewer" in response.text and typed in response.text


def test_no_check_page_for_a_step_the_pair_cannot_take(scenario, client, login):
    s = scenario
    pair = _pair(s)  # proposed: it can be withdrawn, not completed
    login(s.lead)
    url = f"{_base(s)}/pairs/{pair.id}/status/"
    assert client.get(url + "completed").status_code == 404
    assert client.get(url + "active").status_code == 404
    assert client.get(url + "ended").status_code == 200


def test_home_says_what_needs_doing(scenario, login, get_page):
    s = scenario
    login(s.lead)
    needs = [
        li.get_text(" ", strip=True) for li in get_page(f"{_base(s)}/").select(".needs-doing li")
    ]
    assert any("no buddy" in n and "A Hospitals NHS Trust" in n for n in needs), needs
    pair = _pair(s)  # proposed, planned to start on 1 July 2024: overdue to start
    needs = [
        li.get_text(" ", strip=True) for li in get_page(f"{_base(s)}/").select(".needs-doing li")
    ]
    assert not any("no buddy" in n and "A Hospitals NHS Trust" in n for n in needs), needs
    assert any("was planned to start on 1 July 2024 and is still proposed" in n for n in needs), (
        needs
    )
    services.change_status(pair, "active", "proposed", s.lead)
    needs = [
        li.get_text(" ", strip=True) for li in get_page(f"{_base(s)}/").select(".needs-doing li")
    ]
    assert not any("still proposed" in n for n in needs)
