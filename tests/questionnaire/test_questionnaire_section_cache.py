"""A save reads its section's structure once per process (``questionnaire.section_cache``)."""

from __future__ import annotations

from selfassess.extensions import db
from selfassess.models import SnapshotQuestion
from tests.conftest import count_queries
from tests.questionnaire.conftest import World
from tests.questionnaire.test_framework_2_0_sections import qa2  # noqa: F401


def _save(world: World, client, section: str, question: str, value: str) -> None:  # type: ignore[no-untyped-def]
    data = world.load(client, section)
    data[world.a(world.question(question))] = value
    response = world.post(client, section, data)
    assert response.status_code == 302, response.text


def test_a_later_save_does_not_read_the_sections_structure_again(qa: World, client) -> None:  # type: ignore[no-untyped-def]
    qa.sign_in(client, qa.user)
    _save(qa, client, "REL", "REL-1.1", "3")  # the first save of the section reads it
    data = qa.load(client, "REL")
    data[qa.a(qa.question("REL-1.1"))] = "4"
    db.session.expunge_all()  # nothing cached in the test's session either
    with count_queries() as queries:
        assert qa.post(client, "REL", data).status_code == 302
    assert not [q for q in queries if "snapshot_question" in q or "snapshot_domain" in q]
    assert qa.stored()["REL-1.1"].value == "4"


def test_sections_of_two_frameworks_with_the_same_code_are_kept_apart(
    qa: World,
    qa2: World,  # noqa: F811
    app,
    client,
) -> None:  # type: ignore[no-untyped-def]
    """Framework 1.0 and 2.0 both have a GOV section: after a 1.0 save, a 2.0 save of GOV still
    validates and stores against 2.0's questions (and the other way round)."""
    other = app.test_client()
    qa.sign_in(client, qa.user)
    qa2.sign_in(other, qa2.user)
    for round_number in range(2):  # the second round finds both structures kept
        _save(qa, client, "GOV", "GOV-1.1", str(2 + round_number))
        _save(qa2, other, "GOV", "GOV-1.2", "yes" if round_number else "no")
    first, second = qa.stored(), qa2.stored()
    assert first["GOV-1.1"].value == "3" and second["GOV-1.2"].value == "yes"
    owner = {
        a.question_id: db.session.get(SnapshotQuestion, a.question_id).snapshot_id
        for a in (*first.values(), *second.values())
    }
    assert {owner[a.question_id] for a in first.values()} == {qa.cycle.snapshot_id}
    assert {owner[a.question_id] for a in second.values()} == {qa2.cycle.snapshot_id}
    assert qa.cycle.snapshot_id != qa2.cycle.snapshot_id


def test_a_refused_save_shows_the_page_read_afresh(qa: World, app, client) -> None:  # type: ignore[no-untyped-def]
    """After a save kept the structure, a save with a mistake and a conflicting save still show
    the whole page (its standards, questions and stored answers)."""
    qa.sign_in(client, qa.user)
    _save(qa, client, "REL", "REL-1.1", "3")
    question = qa.question("REL-1.1")
    page = qa.load(client, "REL")
    bad = qa.post(client, "REL", {**page, qa.c(question): "x" * 100_000})
    assert bad.status_code == 400
    assert question.text in bad.text and "Evidence and comments" in bad.text
    colleague = app.test_client()
    qa.sign_in(colleague, qa.colleague)
    _save(qa, colleague, "REL", "REL-1.1", "5")
    clash = qa.post(client, "REL", {**page, qa.a(question): "1"})
    assert clash.status_code == 409
    assert question.text in clash.text and "Someone else changed" in clash.text
    assert "Bob Brown" in clash.text
