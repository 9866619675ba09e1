"""``make loadtest``'s simulated people read section pages with regular expressions
(``bench/loadtest.py``): they must still find every field the page really has, or the rush would
post text into number boxes and count the refusals as the app's errors."""

from __future__ import annotations

from bs4 import BeautifulSoup

from bench.loadtest import _questions, _read_forms


def test_the_load_generator_reads_a_section_page_as_a_browser_would(qa, client):
    qa.sign_in(client, qa.user)
    for section in ("REL", "MET"):
        html = client.get(qa.url(section)).text
        page = BeautifulSoup(html, "html.parser")
        state = _read_forms(html)
        answers = [
            field["name"]
            for field in page.find_all(["input", "textarea"])
            if field.get("name", "").startswith("a_")
        ]
        assert [name for name, _, _ in _questions(state)] == list(dict.fromkeys(answers))
        numbers = {
            field["name"]
            for field in page.find_all("input", attrs={"inputmode": "decimal"})
            if field["name"].startswith("a_")
        }
        assert state.numbers == numbers
        assert {"csrf_token", "seen"} <= set(state.hidden)
    assert state.numbers  # MET, read last, asks for figures
