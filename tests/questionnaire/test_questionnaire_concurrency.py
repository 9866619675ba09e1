"""Two people of one trust editing the same section: nobody's answer is silently lost."""

from __future__ import annotations

import threading

from bs4 import BeautifulSoup

from selfassess.extensions import db

CONFLICT = "Someone else changed"


def _two_signed_in(qa, app, client):
    alice, bob = client, app.test_client()
    qa.sign_in(alice, qa.user)
    qa.sign_in(bob, qa.colleague)
    return alice, bob


def test_second_save_of_the_same_answer_is_refused_and_loses_nothing(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    q = qa.question("REL-1.1")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")

    alice_page.update({qa.a(q): "4", qa.c(q): "Alice's evidence"})
    assert qa.post(alice, "REL", alice_page).status_code == 302

    bob_page.update({qa.a(q): "2", qa.c(q): "Bob's evidence"})
    refused = qa.post(bob, "REL", bob_page)
    assert refused.status_code == 409
    assert "<title>Error:" in refused.text
    assert "Nothing in this section has been saved" in refused.text
    # Both versions are shown: theirs with who saved it, and Bob's own.
    conflict = BeautifulSoup(refused.text, "html.parser").find(id=f"conflict-{q.id}")
    assert conflict is not None
    rows = conflict.find_all("dt")
    assert rows[0].get_text(" ", strip=True).startswith("Saved by Alice Adams at ")
    theirs, mine = (dd.get_text(" ", strip=True) for dd in conflict.find_all("dd"))
    assert theirs.startswith("Level 4:") and "Alice's evidence" in theirs
    assert mine.startswith("Level 2:") and "Bob's evidence" in mine
    assert rows[1].get_text(strip=True) == "Your version"
    assert conflict.find("a")["href"] == f"#q-{q.id}"
    # Bob's input stays in the form; Alice's value stays stored.
    kept = qa.form_data(refused.text)
    assert (kept[qa.a(q)], kept[qa.c(q)]) == ("2", "Bob's evidence")
    stored = qa.stored()["REL-1.1"]
    assert (stored.value, stored.comment, stored.updated_by_id) == (
        "4",
        "Alice's evidence",
        qa.user.id,
    )
    assert len(qa.audit()) == 1
    assert qa.fresh_assessment().version == 2

    # Having seen Alice's version, Bob saves again and his value is stored.
    assert qa.post(bob, "REL", kept).status_code == 302
    stored = qa.stored()["REL-1.1"]
    assert (stored.value, stored.comment, stored.updated_by_id) == (
        "2",
        "Bob's evidence",
        qa.colleague.id,
    )
    first, second = qa.audit()
    assert first.actor_id == qa.user.id and second.actor_id == qa.colleague.id
    assert first.after["answers"]["REL-1.1"] == {"value": "4", "comment": "Alice's evidence"}
    assert second.before["answers"]["REL-1.1"] == {"value": "4", "comment": "Alice's evidence"}
    assert second.after["answers"]["REL-1.1"] == {"value": "2", "comment": "Bob's evidence"}
    assert qa.fresh_assessment().version == 3


def test_a_conflict_saves_none_of_the_section(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    shared, bobs_own = qa.question("REL-1.1"), qa.question("REL-2.1")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
    alice_page[qa.a(shared)] = "4"
    qa.post(alice, "REL", alice_page)
    bob_page.update({qa.a(shared): "2", qa.a(bobs_own): "5"})
    refused = qa.post(bob, "REL", bob_page)
    assert refused.status_code == 409
    assert "REL-2.1" not in qa.stored()
    assert qa.form_data(refused.text)[qa.a(bobs_own)] == "5"
    assert qa.post(bob, "REL", qa.form_data(refused.text)).status_code == 302
    assert qa.stored()["REL-2.1"].value == "5"


def test_their_changes_to_answers_i_left_alone_are_kept(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    first, second = qa.question("REL-1.1"), qa.question("REL-1.2")
    start = qa.load(alice, "REL")
    start.update({qa.a(first): "1", qa.a(second): "no"})
    qa.post(alice, "REL", start)
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")

    alice_page[qa.a(first)] = "3"
    assert qa.post(alice, "REL", alice_page).status_code == 302
    bob_page[qa.a(second)] = "yes"  # Bob's page still shows REL-1.1 as "1"
    response = qa.post(bob, "REL", bob_page)
    assert response.status_code == 302
    stored = qa.stored()
    assert stored["REL-1.1"].value == "3"  # Alice's, not the "1" on Bob's old page
    assert stored["REL-1.2"].value == "yes"
    assert stored["REL-1.1"].updated_by_id == qa.user.id
    event = qa.audit()[-1]
    assert event.actor_id == qa.colleague.id
    assert set(event.after["answers"]) == {"REL-1.2"}
    message = bob.get(response.headers["Location"]).text
    assert "Someone else changed 1 other answers in this section meanwhile" in message


def test_a_conflict_shows_their_other_changes_and_the_resave_keeps_them(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    shared, alices_own = qa.question("REL-1.1"), qa.question("REL-1.2")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
    alice_page.update({qa.a(shared): "4", qa.a(alices_own): "yes"})
    qa.post(alice, "REL", alice_page)

    bob_page[qa.a(shared)] = "2"
    refused = qa.post(bob, "REL", bob_page)
    assert refused.status_code == 409
    assert "They also changed 1 answers you had not touched" in refused.text
    kept = qa.form_data(refused.text)
    assert kept[qa.a(shared)] == "2"
    assert kept[qa.a(alices_own)] == "yes"  # Alice's version now in Bob's form
    assert qa.post(bob, "REL", kept).status_code == 302
    stored = qa.stored()
    assert stored["REL-1.1"].value == "2"
    assert stored["REL-1.2"].value == "yes"
    assert stored["REL-1.2"].updated_by_id == qa.user.id
    assert set(qa.audit()[-1].after["answers"]) == {"REL-1.1"}


def test_the_same_change_by_both_is_no_conflict(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    q = qa.question("REL-1.1")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
    alice_page[qa.a(q)] = "3"
    bob_page[qa.a(q)] = "3"
    assert qa.post(alice, "REL", alice_page).status_code == 302
    assert qa.post(bob, "REL", bob_page).status_code == 302
    assert qa.stored()["REL-1.1"].updated_by_id == qa.user.id
    assert len(qa.audit()) == 1


def test_a_second_conflict_while_reconciling_is_caught_too(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    q = qa.question("REL-1.1")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
    alice_page[qa.a(q)] = "4"
    qa.post(alice, "REL", alice_page)
    bob_page[qa.a(q)] = "2"
    kept = qa.form_data(qa.post(bob, "REL", bob_page).text)
    alice_page = qa.load(alice, "REL")
    alice_page[qa.a(q)] = "5"
    qa.post(alice, "REL", alice_page)
    again = qa.post(bob, "REL", kept)
    assert again.status_code == 409
    assert qa.stored()["REL-1.1"].value == "5"


def _race(app, qa, clients_and_pages):
    """POST each page from its own thread (own app context, session and connection) at once.

    The threads touch no ORM object of the test's session (those belong to this thread)."""
    url = qa.url("REL")
    db.session.commit()  # nothing of the test's own transaction holds locks meanwhile
    barrier = threading.Barrier(len(clients_and_pages))
    results: list[int | BaseException] = [0] * len(clients_and_pages)

    def run(index, client, page):
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results[index] = client.post(url, data={**page, "action": "later"}).status_code
        except BaseException as error:  # reported by the test below
            results[index] = error

    threads = [
        threading.Thread(target=run, args=(i, c, p)) for i, (c, p) in enumerate(clients_and_pages)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert not any(isinstance(r, BaseException) for r in results), results
    return results


def test_simultaneous_conflicting_saves_exactly_one_wins(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    q = qa.question("REL-1.1")
    for round_number in range(3):
        alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
        alice_page.update({qa.a(q): "4", qa.c(q): f"Alice {round_number}"})
        bob_page.update({qa.a(q): "2", qa.c(q): f"Bob {round_number}"})
        results = _race(app, qa, [(alice, alice_page), (bob, bob_page)])
        assert sorted(results) == [302, 409], results
        winner = qa.user if results[0] == 302 else qa.colleague
        stored = qa.stored()["REL-1.1"]
        assert stored.updated_by_id == winner.id
        assert stored.comment == f"{'Alice' if winner is qa.user else 'Bob'} {round_number}"
        assert len(qa.audit()) == round_number + 1
        assert qa.fresh_assessment().version == round_number + 2


def test_simultaneous_saves_of_different_answers_both_succeed(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    first, second = qa.question("REL-1.1"), qa.question("REL-2.1")
    alice_page, bob_page = qa.load(alice, "REL"), qa.load(bob, "REL")
    alice_page[qa.a(first)] = "4"
    bob_page[qa.a(second)] = "2"
    assert _race(app, qa, [(alice, alice_page), (bob, bob_page)]) == [302, 302]
    stored = qa.stored()
    assert stored["REL-1.1"].value == "4" and stored["REL-1.1"].updated_by_id == qa.user.id
    assert stored["REL-2.1"].value == "2" and stored["REL-2.1"].updated_by_id == qa.colleague.id
    assessment = qa.fresh_assessment()
    assert assessment.version == 3
    assert assessment.state == "in_progress"
    events = qa.audit()
    assert len(events) == 2
    assert sorted(e.after["version"] for e in events) == [2, 3]
    assert sorted(e.before["state"] for e in events) == ["in_progress", "not_started"]


def test_a_page_without_its_seen_record_never_overwrites(qa, app, client):
    alice, bob = _two_signed_in(qa, app, client)
    q = qa.question("REL-1.1")
    alice_page = qa.load(alice, "REL")
    alice_page[qa.a(q)] = "4"
    qa.post(alice, "REL", alice_page)
    for seen in (None, "", "garbage", "[]"):
        forged = qa.load(bob, "REL")
        forged[qa.a(q)] = "1"
        if seen is None:
            del forged["seen"]
        else:
            forged["seen"] = seen
        assert qa.post(bob, "REL", forged).status_code == 409, seen
        assert qa.stored()["REL-1.1"].value == "4"
    assert len(qa.audit()) == 1
