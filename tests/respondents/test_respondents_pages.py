"""Several respondents through the pages: switch it on, answer independently, compare, settle,
and the reviewer's flag. Signed in through the real form with CSRF on, on both databases."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, RespondentAnswer
from tests.conftest import csrf_token, sign_in_as


def _url(qa, tail: str = "") -> str:
    return f"{qa.base}/respondents/{tail}"


def _switch_on(qa, client, lead) -> None:
    page = client.get(_url(qa, "settings"))
    assert page.status_code == 200
    response = client.post(
        _url(qa, "settings"),
        data={"csrf_token": csrf_token(page.text), "several": "on", "lead": str(lead.id)},
    )
    assert response.status_code == 302, response.text


def _answer(qa, client, answers: dict[str, str], section: str = "REL") -> None:
    data = qa.form_data(client.get(_url(qa, f"sections/{section}")).text)
    for code, value in answers.items():
        data[qa.a(qa.question(code))] = value
    response = client.post(_url(qa, f"sections/{section}"), data={**data, "action": "later"})
    assert response.status_code == 302, response.text


def test_the_task_list_offers_several_respondents_and_switching_it_on_is_audited(qa, client):
    qa.sign_in(client, qa.user)
    task_list = client.get(qa.url())
    assert "Let colleagues answer independently" in task_list.text
    page = BeautifulSoup(client.get(_url(qa, "settings")).text, "html.parser")
    leads = {
        i["value"]: i.has_attr("checked") for i in page.find_all("input", attrs={"name": "lead"})
    }
    assert leads == {str(qa.user.id): True, str(qa.colleague.id): False}  # default: oneself
    _switch_on(qa, client, qa.colleague)
    task_list = client.get(qa.url())
    assert "Bob Brown</strong> settles the answers" in task_list.text
    assert _url(qa, "sections/REL") in task_list.text
    assert _url(qa) + '"' not in task_list.text  # only the lead is offered the lead's page
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "respondents.switched_on")
    ).all()
    assert event.actor_id == qa.user.id and event.after["lead_id"] == qa.colleague.id


def test_a_bad_lead_is_refused_with_a_message_and_changes_nothing(qa, client):
    qa.sign_in(client, qa.user)
    page = client.get(_url(qa, "settings"))
    response = client.post(
        _url(qa, "settings"),
        data={"csrf_token": csrf_token(page.text), "several": "on", "lead": "987654"},
    )
    assert response.status_code == 400
    assert "Choose the lead from the list of your colleagues" in response.text
    assert "Traceback" not in response.text
    missing = client.post(_url(qa, "settings"), data={"csrf_token": csrf_token(page.text)})
    assert missing.status_code == 400
    assert "Choose whether colleagues answer independently" in missing.text
    assert client.get(_url(qa, "sections/REL")).status_code == 404  # still off


def test_respondents_answer_independently_and_see_others_only_once_answered(qa, client, login):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    _answer(qa, client, {"REL-1.1": "4", "REL-2.1": "3"})
    assert qa.stored() == {}  # own answers are not the assessment's answers

    sign_in_as(client, login, qa.colleague)
    page = client.get(_url(qa, "sections/REL"))
    assert page.status_code == 200
    assert "Alice Adams" not in page.text  # nothing of a colleague's before answering
    assert "once you have answered it" in page.text
    _answer(qa, client, {"REL-1.1": "2"})
    page = BeautifulSoup(client.get(_url(qa, "sections/REL")).text, "html.parser")
    seen = page.find("h4", string="What colleagues answered to REL-1.1").find_next("ul")
    assert "Alice Adams: Level 4" in seen.get_text()
    # REL-2.1 is still unanswered by Bob: Alice's level 3 stays hidden.
    assert page.find("h4", string="What colleagues answered to REL-2.1") is None
    rows = db.session.scalars(select(RespondentAnswer).order_by(RespondentAnswer.id)).all()
    assert [(r.user_id, r.value) for r in rows] == [
        (qa.user.id, "4"),
        (qa.user.id, "3"),
        (qa.colleague.id, "2"),
    ]


def test_bad_input_keeps_everything_typed(qa, client):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    data = qa.form_data(client.get(_url(qa, "sections/MET")).text)
    metric = qa.question("MET-1.1")
    data[qa.a(metric)] = "about ninety"
    data[qa.c(metric)] = "From the board report"
    response = client.post(_url(qa, "sections/MET"), data={**data, "action": "later"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Enter a number" in response.text
    kept = qa.form_data(response.text)
    assert kept[qa.a(metric)] == "about ninety"
    assert kept[qa.c(metric)] == "From the board report"
    assert db.session.scalar(select(RespondentAnswer.id)) is None


def test_the_lead_sees_the_spread_and_settles_one_answer(qa, client, login):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    _answer(qa, client, {"REL-1.1": "4", "REL-2.1": "3"})
    sign_in_as(client, login, qa.colleague)
    _answer(qa, client, {"REL-1.1": "2", "REL-2.1": "3"})
    assert client.get(_url(qa)).status_code == 403  # not the lead

    sign_in_as(client, login, qa.user)
    response = client.get(_url(qa))
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    first = page.find(id=f"q-{qa.question('REL-1.1').id}")
    assert "Spread: levels 2 to 4 (2 respondents)" in first.get_text()
    assert first.find(class_="app-tag--uncertain") is not None
    second = page.find(id=f"q-{qa.question('REL-2.1').id}")
    assert (
        "Spread: level 3" in second.get_text() and second.find(class_="app-tag--uncertain") is None
    )
    assert "1 question uncertain." in response.text

    token = csrf_token(response.text)
    settled = client.post(
        _url(qa), data={"csrf_token": token, "question": "REL-1.1", "choice": str(qa.colleague.id)}
    )
    assert settled.status_code == 302
    assert qa.stored()["REL-1.1"].value == "2"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.answer_settled")
    ).one()
    assert (event.actor_id, event.after["settled_from"]) == (qa.user.id, "Bob Brown")
    kept = client.post(
        _url(qa), data={"csrf_token": token, "question": "REL-2.1", "choice": "keep"}
    )
    assert kept.status_code == 302 and "REL-2.1" not in qa.stored()


def test_settling_refuses_what_is_not_on_the_page(qa, client):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    _answer(qa, client, {"REL-1.1": "4"})
    token = csrf_token(client.get(_url(qa)).text)
    for body, message in (
        ({"question": "NOPE-1.1", "choice": str(qa.user.id)}, "Choose a question of this"),
        ({"question": "REL-1.1", "choice": str(qa.colleague.id)}, "Choose one of the respondents"),
        ({"question": "REL-1.1", "choice": "x"}, "Choose one of the respondents"),
        ({"question": "REL-1.1"}, "Choose an answer, or keep the current one"),
    ):
        response = client.post(_url(qa), data={"csrf_token": token, **body})
        assert response.status_code == 400, body
        assert message in response.text
    assert qa.stored() == {}


def test_disagreement_is_flagged_for_the_reviewer(qa, client, login, make_user):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    _answer(qa, client, {"REL-1.1": "5"})
    sign_in_as(client, login, qa.colleague)
    _answer(qa, client, {"REL-1.1": "2"})
    for section in qa.SECTIONS:
        qa.answer_all(client, section)
    check = client.get(f"{qa.base}/check")
    submitted = client.post(f"{qa.base}/submit", data={"csrf_token": csrf_token(check.text)})
    assert submitted.status_code == 302
    coordinator = make_user(("coordinator", qa.alliance))
    sign_in_as(client, login, coordinator)
    review = client.get(f"/alliances/{qa.alliance.slug}/assessments/{qa.assessment.id}/")
    assert review.status_code == 200
    flags = BeautifulSoup(review.text, "html.parser").find(class_="confidence-flags")
    assert flags is not None
    assert "Respondents disagree" in flags.get_text()
    assert "REL-1.1 is uncertain: 2 respondents chose levels 2 to 5" in flags.get_text()


def test_no_flag_once_several_respondents_is_switched_off(qa, client, login):
    from selfassess.assessments.flags import flags_for
    from selfassess.assessments.scores import refresh_many

    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    _answer(qa, client, {"REL-1.1": "5"})
    sign_in_as(client, login, qa.colleague)
    _answer(qa, client, {"REL-1.1": "1"})
    for section in qa.SECTIONS:
        qa.answer_all(client, section)
    page = client.get(_url(qa, "settings"))
    client.post(_url(qa, "settings"), data={"csrf_token": csrf_token(page.text), "several": "off"})
    assessment = qa.fresh_assessment()
    assessment.state = "submitted"
    refresh_many([assessment])
    db.session.commit()
    assert not [
        f for f in flags_for([assessment])[assessment.id] if f.kind == "respondents disagree"
    ]
    assert client.get(_url(qa, "sections/REL")).status_code == 404


def test_submitted_assessment_refuses_respondents_changes(qa, client):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    data = qa.form_data(client.get(_url(qa, "sections/REL")).text)
    qa.assessment.state = "submitted"
    db.session.commit()
    page = client.get(_url(qa, "sections/REL"))
    assert page.status_code == 200 and 'class="section-form"' not in page.text
    refused = client.post(_url(qa, "sections/REL"), data={**data, "action": "later"})
    assert refused.status_code == 409
    settings = client.post(
        _url(qa, "settings"), data={"csrf_token": data["csrf_token"], "several": "off"}
    )
    assert settings.status_code == 409
    assert db.session.scalar(select(RespondentAnswer.id)) is None


def test_every_respondents_page_is_a_whole_page_that_works_without_javascript(qa, client, get_page):
    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    for tail, heading in (
        ("settings", "Several respondents"),
        ("sections/REL", "Relationships"),
        ("", "Respondents' answers"),
    ):
        page = get_page(_url(qa, tail))
        assert page.h1.get_text(strip=True) == heading
        inline = [s for s in page.find_all("script") if (s.string or "").strip()]
        # no inline JS but the design system's page template's own, under the page's nonce
        assert [s for s in inline if not s.get("nonce")] == []
        assert len(inline) <= 1
        for form in page.find_all("form", method="post"):
            assert form.find("input", attrs={"name": "csrf_token"}) is not None
            assert form.find("button", type="submit") is not None


def test_own_answers_typed_when_the_session_ended_are_shown_again_after_signing_in(qa, client):
    from sqlalchemy import delete

    from selfassess.models import UserSession

    qa.sign_in(client, qa.user)
    _switch_on(qa, client, qa.user)
    data = qa.form_data(client.get(_url(qa, "sections/REL")).text)
    maturity = qa.question("REL-1.1")
    data[qa.a(maturity)], data[qa.c(maturity)] = "4", "Typed for an hour"
    db.session.execute(delete(UserSession).where(UserSession.user_id == qa.user.id))
    db.session.commit()  # signed out elsewhere

    response = client.post(_url(qa, "sections/REL"), data={**data, "action": "later"})
    assert response.status_code == 401
    form = BeautifulSoup(response.text, "html.parser").find(
        "form", attrs={"method": "post"}, action=lambda a: a and "sign-in" in a
    )
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    fields.update(email=qa.user.email, password="correct horse battery staple")
    assert client.post(form["action"], data=fields).status_code == 302
    page = client.get(_url(qa, "sections/REL"))
    assert "We kept what you typed before your session ended" in page.text
    shown = qa.form_data(page.text)
    assert (shown[qa.a(maturity)], shown[qa.c(maturity)]) == ("4", "Typed for an hour")
    assert db.session.scalar(select(RespondentAnswer.id)) is None  # nothing saved until saved


def test_the_shared_section_page_points_to_ones_own_answers_while_it_is_on(qa, client):
    qa.sign_in(client, qa.user)
    assert "Several respondents is on" not in client.get(qa.url("REL")).text
    _switch_on(qa, client, qa.colleague)
    page = client.get(qa.url("REL"))
    assert "Several respondents is on" in page.text
    assert f'href="{_url(qa, "sections/REL")}"' in page.text
    assert "Bob Brown settles the answers" in page.text
