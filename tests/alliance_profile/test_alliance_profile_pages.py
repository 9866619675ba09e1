"""The alliance profile pages: the coordinator answers, members and leads read, others are
refused, a closed cycle is a record, bad input loses nothing."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from selfassess.alliance_profile.services import answer_facts
from selfassess.assessments import snapshots
from selfassess.extensions import db
from selfassess.models import AllianceFactAnswer, AuditEvent, CycleState
from tests.alliance_profile.conftest import World

FACTS = 16  # framework 2.0's questions marked answered_by: alliance


def _text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(AllianceFactAnswer.id))) or 0


def test_the_coordinator_saves_the_profile_and_sees_it(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    mou, forum = fw.fact("GOV-1.4"), fw.fact("GOV-2.2")
    response = client.post(
        fw.x.profile_url,
        data={
            **data,
            f"a_{mou.id}": "yes",
            f"c_{mou.id}": "Signed by all 5 partners, March 2027",
            f"a_{forum.id}": "no",
        },
    )
    assert response.status_code == 302, response.text
    stored = fw.stored(fw.x.cycle)
    assert {code: (r.value, r.comment) for code, r in stored.items()} == {
        "GOV-1.4": ("yes", "Signed by all 5 partners, March 2027"),
        "GOV-2.2": ("no", None),
    }
    assert stored["GOV-1.4"].updated_by_id == fw.x.coordinator.id
    [event] = fw.audit()
    assert event.entity_type == "cycle" and event.entity_id == fw.x.cycle.id
    assert event.alliance_id == fw.x.alliance.id and event.actor_id == fw.x.coordinator.id
    assert event.before["facts"]["GOV-1.4"] == {"value": None, "comment": None}
    assert event.after["facts"]["GOV-1.4"] == {
        "value": "yes",
        "comment": "Signed by all 5 partners, March 2027",
    }
    page = client.get(fw.x.profile_url)
    assert f"2 of {FACTS} facts answered" in _text(page.text)
    assert fw.form_data(page.text)[f"a_{mou.id}"] == "yes"
    # Saving again unchanged writes and audits nothing more.
    assert client.post(fw.x.profile_url, data=fw.form_data(page.text)).status_code == 302
    assert len(fw.audit()) == 1
    # The cycle page links to the profile with the count.
    cycle_page = _text(client.get(f"/alliances/{fw.x.alliance.slug}/cycles/{fw.x.cycle.id}/").text)
    assert f"2 of {FACTS} alliance-level facts answered" in cycle_page


def test_bad_input_is_shown_with_a_message_and_nothing_typed_is_lost(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    mou, forum = fw.fact("GOV-1.4"), fw.fact("GOV-2.2")
    response = client.post(
        fw.x.profile_url,
        data={
            **data,
            f"a_{mou.id}": "maybe",
            f"c_{mou.id}": "Partly signed",
            f"a_{forum.id}": "yes",
            f"c_{forum.id}": "x" * 5001,
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    summary = page.find(class_="nhsuk-error-summary").get_text(" ")
    assert "GOV-1.4: Not a valid choice" in summary
    assert "GOV-2.2: Keep the evidence comment to 5000 characters" in summary
    kept = fw.form_data(response.text)
    assert kept[f"c_{mou.id}"] == "Partly signed" and kept[f"a_{forum.id}"] == "yes"
    assert kept[f"c_{forum.id}"] == "x" * 5001
    assert _count() == 0 and fw.audit() == []


def test_an_expired_form_keeps_what_was_typed(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    mou = fw.fact("GOV-1.4")
    response = client.post(
        fw.x.profile_url,
        data={**data, "csrf_token": "stale", f"a_{mou.id}": "yes", f"c_{mou.id}": "Typed"},
    )
    assert response.status_code == 200
    assert "This page had expired" in response.text
    assert fw.form_data(response.text)[f"c_{mou.id}"] == "Typed"
    assert _count() == 0


def test_two_coordinators_changing_one_fact_are_told(fw: World, app, client) -> None:  # type: ignore[no-untyped-def]
    other = fw.make_user(("coordinator", fw.x.alliance), name="Second Coordinator")
    second = app.test_client()
    fw.sign_in(client, fw.x.coordinator)
    fw.sign_in(second, other)
    mine, theirs = fw.load(client), fw.load(second)
    mou = fw.fact("GOV-1.4")
    assert second.post(fw.x.profile_url, data={**theirs, f"a_{mou.id}": "no"}).status_code == 302
    response = client.post(fw.x.profile_url, data={**mine, f"a_{mou.id}": "yes"})
    assert response.status_code == 409
    assert "Someone else changed 1 of the same answers" in _text(response.text)
    assert fw.stored(fw.x.cycle)["GOV-1.4"].value == "no"
    # The form now carries what is stored, so saving the reconciled page goes through.
    again = fw.form_data(response.text)
    assert again[f"a_{mou.id}"] == "yes"
    assert client.post(fw.x.profile_url, data=again).status_code == 302
    assert fw.stored(fw.x.cycle)["GOV-1.4"].value == "yes"


def test_a_member_reads_the_profile_and_cannot_change_it(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    answer_facts(
        fw.x.cycle, {"GOV-1.4": "yes"}, fw.x.coordinator, comments={"GOV-1.4": "Signed March 2027"}
    )
    fw.sign_in(client, fw.x.trust_user)
    home = client.get(f"/trusts/{fw.x.trust.code}/assessments/{fw.x.assessment.id}/")
    assert fw.x.member_url in home.text
    page = client.get(fw.x.member_url)
    assert page.status_code == 200
    text = _text(page.text)
    assert "Your alliance's profile" in text and fw.fact("GOV-1.4").text in text
    assert "Signed March 2027" in text and f"1 of {FACTS} facts answered" in text
    assert BeautifulSoup(page.text, "html.parser").find("form", class_="section-form") is None
    before = _count()
    mou = fw.fact("GOV-1.4")
    assert client.post(fw.x.member_url, data={f"a_{mou.id}": "no"}).status_code == 405
    assert client.get(fw.x.profile_url).status_code == 403
    assert client.post(fw.x.profile_url, data={f"a_{mou.id}": "no"}).status_code == 403
    assert _count() == before and fw.stored(fw.x.cycle)["GOV-1.4"].value == "yes"


def test_another_alliances_profile_is_refused(fw: World, app, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    token = fw.load(client)["csrf_token"]
    assert client.get(fw.y.profile_url).status_code == 403  # not their alliance
    assert client.post(fw.y.profile_url, data={"csrf_token": token}).status_code == 403
    under_own = f"/alliances/{fw.x.alliance.slug}/cycles/{fw.y.cycle.id}/profile"
    assert client.get(under_own).status_code == 404  # another alliance's cycle: missing
    assert client.post(under_own, data={"csrf_token": token}).status_code == 404
    assert client.post(f"{under_own}/copy-forward", data={"csrf_token": token}).status_code == 404
    member = app.test_client()
    fw.sign_in(member, fw.x.trust_user)
    assert member.get(fw.y.member_url).status_code == 403  # another trust
    own_code = f"/trusts/{fw.x.trust.code}/assessments/{fw.y.assessment.id}/alliance-profile"
    assert member.get(own_code).status_code == 404  # another alliance's assessment
    assert _count() == 0


def test_a_buddying_lead_reads_the_profile_only(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.lead_x)
    page = client.get(fw.x.profile_url)
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").find("form", class_="section-form") is None
    assert fw.fact("GOV-1.4").text in _text(page.text)
    assert client.post(fw.x.profile_url, data={}).status_code == 403


def test_a_closed_cycles_profile_is_read_only(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    fw.x.cycle.state = CycleState.CLOSED
    db.session.commit()
    page = client.get(fw.x.profile_url)
    assert page.status_code == 200
    assert "can no longer be changed" in _text(page.text)
    assert BeautifulSoup(page.text, "html.parser").find("form", class_="section-form") is None
    mou = fw.fact("GOV-1.4")
    response = client.post(fw.x.profile_url, data={**data, f"a_{mou.id}": "yes"})
    assert response.status_code == 409
    copy = client.post(fw.x.profile_url + "/copy-forward", data={"csrf_token": data["csrf_token"]})
    assert copy.status_code == 409
    assert _count() == 0


def test_a_member_question_posted_to_the_profile_is_ignored(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    criterion = fw.fact("GOV-1.2")  # answered by each member, not a fact
    response = client.post(fw.x.profile_url, data={**data, f"a_{criterion.id}": "yes"})
    assert response.status_code == 302
    assert _count() == 0
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "alliance_profile.saved")
        )
        == 0
    )


def test_a_framework_without_facts_links_to_no_profile(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    """A 1.0 cycle: the task list offers no profile; the page itself says there is nothing."""
    old = snapshots.import_framework(Path(fw.app.config["QUESTIONS_DIR"]) / "alliance-maturity-1.0")
    fw.x.cycle.snapshot_id = old.id
    db.session.commit()
    fw.sign_in(client, fw.x.trust_user)
    home = client.get(f"/trusts/{fw.x.trust.code}/assessments/{fw.x.assessment.id}/")
    assert fw.x.member_url not in home.text
    assert "has no alliance-level facts" in _text(client.get(fw.x.member_url).text)


def test_typed_facts_survive_an_ended_session(fw: World, client) -> None:  # type: ignore[no-untyped-def]
    fw.sign_in(client, fw.x.coordinator)
    data = fw.load(client)
    mou = fw.fact("GOV-1.4")
    assert client.post("/auth/sign-out", data={"csrf_token": data["csrf_token"]}).status_code == 302
    response = client.post(
        fw.x.profile_url,
        data={**data, f"a_{mou.id}": "yes", f"c_{mou.id}": "Typed before the session ended"},
    )
    assert response.status_code == 401
    form = BeautifulSoup(response.text, "html.parser").find(
        "form", action=lambda a: a and "sign-in" in a
    )
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    fields.update(email=fw.x.coordinator.email, password="correct horse battery staple")
    signed_in = client.post(form["action"], data=fields)
    assert signed_in.headers["Location"] == fw.x.profile_url
    assert _count() == 0
    page = client.get(fw.x.profile_url)
    assert "We kept what you typed before your session ended" in page.text
    shown = fw.form_data(page.text)
    assert shown[f"a_{mou.id}"] == "yes"
    assert shown[f"c_{mou.id}"] == "Typed before the session ended"
    assert client.post(fw.x.profile_url, data=shown).status_code == 302
    assert fw.stored(fw.x.cycle)["GOV-1.4"].comment == "Typed before the session ended"


def test_the_profile_pages_are_well_formed(fw: World, client, get_page) -> None:  # type: ignore[no-untyped-def]
    answer_facts(fw.x.cycle, {"GOV-1.4": "yes"}, fw.x.coordinator)
    fw.sign_in(client, fw.x.coordinator)
    page = get_page(fw.x.profile_url)
    assert page.find("h1").get_text(strip=True) == "Alliance profile"
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302
    fw.sign_in(client, fw.x.trust_user)
    page = get_page(fw.x.member_url)
    assert page.find("h1").get_text(strip=True) == "Your alliance's profile"
