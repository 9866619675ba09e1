"""A section save that fails (bad input, expired page) keeps everything typed and saves nothing."""

from __future__ import annotations

from bs4 import BeautifulSoup

from selfassess.questionnaire.fields import MAX_TEXT


def _summary_links(html: str) -> list[tuple[str, str]]:
    page = BeautifulSoup(html, "html.parser")
    summary = page.find(class_="nhsuk-error-summary")
    assert summary is not None, "no error summary"
    return [(a["href"], a.get_text(" ", strip=True)) for a in summary.find_all("a")]


def _assert_links_resolve(html: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    for href, _ in _summary_links(html):
        assert href.startswith("#")
        target = page.find(id=href[1:])
        assert target is not None, f"error summary links to missing {href}"
        assert target.name in {"input", "textarea"}


def _typed_metric_page(qa):
    """Everything a person might type on the metrics page, with one bad number."""
    m11, m12, m13, m24 = (qa.question(c) for c in ("MET-1.1", "MET-1.2", "MET-1.3", "MET-2.4"))
    assert (m11.kind, m13.kind, m24.kind) == ("metric", "yes_no", "text")
    typed = {
        qa.a(m11): "abc",
        qa.c(m11): "From the SUS extract",
        qa.a(m12): "71.5",
        qa.c(m12): "Q2 figure",
        qa.a(m13): "no",
        qa.c(m13): "Not yet agreed",
        qa.a(m24): "Line one\nLine two \u2013 with \u201cquotes\u201d & <tags>",
    }
    return typed, (m11, m12, m13, m24)


def test_a_bad_number_keeps_everything_typed_and_saves_nothing(qa, client):
    qa.sign_in(client, qa.user)
    data = qa.load(client, "MET")
    typed, (m11, *_rest) = _typed_metric_page(qa)
    data.update(typed)
    response = qa.post(client, "MET", data)
    assert response.status_code == 400
    assert "<title>Error:" in response.text
    shown = qa.form_data(response.text)
    for name, value in typed.items():
        assert shown[name].replace("\r\n", "\n") == value, name
    links = _summary_links(response.text)
    assert links == [(f"#{qa.a(m11)}", "MET-1.1: Enter a number in %, like 92.5")]
    _assert_links_resolve(response.text)
    field = BeautifulSoup(response.text, "html.parser").find(id=qa.a(m11))
    assert f"{qa.a(m11)}-error" in field["aria-describedby"]
    assert "Nothing in this section has been saved yet" in response.text
    assert qa.answer_count() == 0
    assert qa.audit() == []
    assert qa.fresh_assessment().version == 1
    assert qa.fresh_assessment().state == "not_started"


def test_fixing_the_error_then_saves_everything_typed(qa, client):
    qa.sign_in(client, qa.user)
    data = qa.load(client, "MET")
    typed, (m11, _m12, _m13, m24) = _typed_metric_page(qa)
    data.update(typed)
    response = qa.post(client, "MET", data)
    again = qa.form_data(response.text)
    again[qa.a(m11)] = "88%"
    assert qa.post(client, "MET", again).status_code == 302
    stored = qa.stored()
    assert stored["MET-1.1"].value == "88"
    assert stored["MET-1.1"].comment == "From the SUS extract"
    assert stored["MET-1.2"].value == "71.5"
    assert stored["MET-1.3"].value == "no"
    assert stored["MET-2.4"].value.replace("\r\n", "\n") == typed[qa.a(m24)]
    assert len(qa.audit()) == 1


def test_out_of_range_and_invalid_choices_link_to_their_fields(qa, client):
    qa.sign_in(client, qa.user)
    maturity, yes_no, text = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "REL-3.3"))
    data = qa.load(client, "REL")
    data.update(
        {
            qa.a(maturity): "7",  # not a level
            qa.a(yes_no): "maybe",
            qa.a(text): "x" * (MAX_TEXT + 1),
            qa.c(maturity): "y" * (MAX_TEXT + 1),
            qa.c(yes_no): "a fine comment",
        }
    )
    response = qa.post(client, "REL", data)
    assert response.status_code == 400
    hrefs = [href for href, _ in _summary_links(response.text)]
    # Radios link to their first option; text boxes and comments to themselves.
    assert hrefs == [
        f"#{qa.a(maturity)}-0",
        f"#{qa.c(maturity)}",
        f"#{qa.a(yes_no)}-0",
        f"#{qa.a(text)}",
    ]
    _assert_links_resolve(response.text)
    messages = [message for _, message in _summary_links(response.text)]
    assert messages[1] == f"REL-1.1: Keep the evidence comment to {MAX_TEXT} characters"
    assert messages[3] == f"REL-3.3: Keep this answer to {MAX_TEXT} characters"
    shown = qa.form_data(response.text)
    assert shown[qa.a(text)] == "x" * (MAX_TEXT + 1)
    assert shown[qa.c(maturity)] == "y" * (MAX_TEXT + 1)
    assert shown[qa.c(yes_no)] == "a fine comment"
    assert qa.answer_count() == 0


def test_a_metric_out_of_range_is_refused(qa, client):
    qa.sign_in(client, qa.user)
    q = qa.question("MET-1.1")
    data = qa.load(client, "MET")
    data[qa.a(q)] = "100.5"
    response = qa.post(client, "MET", data)
    assert response.status_code == 400
    assert _summary_links(response.text) == [
        (f"#{qa.a(q)}", "MET-1.1: Enter a number between 0 and 100")
    ]
    assert qa.answer_count() == 0


def test_valid_radios_stay_checked_after_an_error(qa, client):
    qa.sign_in(client, qa.user)
    maturity, yes_no, text = (qa.question(c) for c in ("REL-1.1", "REL-1.2", "REL-3.3"))
    data = qa.load(client, "REL")
    data.update({qa.a(maturity): "4", qa.a(yes_no): "no", qa.a(text): "z" * (MAX_TEXT + 1)})
    response = qa.post(client, "REL", data)
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    checked = {
        i["name"]: i["value"]
        for i in page.find_all("input", checked=True)
        if i["name"].startswith("a_")
    }
    assert checked == {qa.a(maturity): "4", qa.a(yes_no): "no"}


def test_an_expired_page_keeps_the_input_then_saves_with_the_fresh_token(qa, client):
    qa.sign_in(client, qa.user)
    maturity = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    data.update({qa.a(maturity): "2", qa.c(maturity): "Minutes, 12 May"})
    data["csrf_token"] = "expired-or-forged"
    response = qa.post(client, "REL", data)
    assert response.status_code == 200
    assert "This page had expired, so nothing was saved yet" in response.text
    assert qa.answer_count() == 0
    assert qa.audit() == []
    shown = qa.form_data(response.text)
    assert shown[qa.a(maturity)] == "2"
    assert shown[qa.c(maturity)] == "Minutes, 12 May"
    assert shown["csrf_token"] != "expired-or-forged"
    response = qa.post(client, "REL", shown)
    assert response.status_code == 302
    answer = qa.stored()["REL-1.1"]
    assert (answer.value, answer.comment) == ("2", "Minutes, 12 May")


def test_a_missing_token_is_treated_as_expired(qa, client):
    qa.sign_in(client, qa.user)
    maturity = qa.question("REL-1.1")
    data = qa.load(client, "REL")
    del data["csrf_token"]
    data[qa.a(maturity)] = "5"
    response = qa.post(client, "REL", data)
    assert response.status_code == 200
    assert "This page had expired" in response.text
    assert qa.form_data(response.text)[qa.a(maturity)] == "5"
    assert qa.answer_count() == 0


def test_an_expired_page_with_a_bad_number_shows_both(qa, client):
    qa.sign_in(client, qa.user)
    q = qa.question("MET-1.1")
    data = qa.load(client, "MET")
    data.update({qa.a(q): "lots", "csrf_token": "nope"})
    response = qa.post(client, "MET", data)
    assert "This page had expired" in response.text
    assert _summary_links(response.text) == [
        (f"#{qa.a(q)}", "MET-1.1: Enter a number in %, like 92.5")
    ]
    assert qa.form_data(response.text)[qa.a(q)] == "lots"
    assert qa.answer_count() == 0


def test_a_stolen_token_from_another_session_does_not_save(qa, app, client):
    qa.sign_in(client, qa.user)
    other = app.test_client()
    qa.sign_in(other, qa.colleague)
    theirs = qa.load(other, "REL")["csrf_token"]
    data = qa.load(client, "REL")
    data.update({qa.a(qa.question("REL-1.1")): "1", "csrf_token": theirs})
    response = qa.post(client, "REL", data)
    assert response.status_code == 200
    assert "This page had expired" in response.text
    assert qa.answer_count() == 0
