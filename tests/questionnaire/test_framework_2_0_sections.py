"""A member's questionnaire on framework 2.0: alliance facts are not shown, criteria are."""

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from selfassess.assessments import snapshots
from selfassess.extensions import db
from selfassess.models import Assessment, Cycle, CycleState
from tests.questionnaire.conftest import World


@pytest.fixture
def qa2(app, make_alliance, make_trust, make_membership, make_user) -> World:  # type: ignore[no-untyped-def]
    snapshot = snapshots.import_framework(
        Path(app.config["QUESTIONS_DIR"]) / "alliance-maturity-2.0"
    )
    db.session.commit()
    alliance = make_alliance()
    trust = make_trust()
    membership = make_membership(alliance, trust)
    cycle = Cycle(
        alliance_id=alliance.id,
        name="2027/28",
        snapshot_id=snapshot.id,
        opens_on=date(2027, 4, 1),
        closes_on=date(2027, 9, 30),
        state=CycleState.OPEN,
    )
    db.session.add(cycle)
    db.session.flush()
    assessment = Assessment(cycle_id=cycle.id, membership_id=membership.id)
    db.session.add(assessment)
    db.session.commit()
    user = make_user(("trust_user", trust), name="Alice Adams")
    colleague = make_user(("trust_user", trust), name="Bob Brown")
    return World(app, alliance, trust, membership, cycle, assessment, user, colleague)


def test_the_section_page_hides_alliance_facts(qa2: World, client) -> None:  # type: ignore[no-untyped-def]
    qa2.sign_in(client, qa2.user)
    page = client.get(qa2.url("GOV"))
    assert page.status_code == 200
    fact = qa2.question("GOV-1.4")
    criterion = qa2.question("GOV-1.2")
    text = BeautifulSoup(page.text, "html.parser").get_text(" ")
    assert fact.text not in text and qa2.a(fact) not in page.text
    assert criterion.text in text
    data = qa2.load(client, "GOV")
    # A posted value for an alliance fact is ignored: it is not a field of the member's form.
    response = qa2.post(client, "GOV", {**data, qa2.a(fact): "yes", qa2.a(criterion): "yes"})
    assert response.status_code == 302
    stored = qa2.stored()
    assert stored["GOV-1.2"].value == "yes" and "GOV-1.4" not in stored


def test_a_criterion_says_which_level_it_is_evidence_for(qa2: World, client) -> None:  # type: ignore[no-untyped-def]
    qa2.sign_in(client, qa2.user)
    criterion = qa2.question("GOV-1.2")
    level = criterion.options["gates_level"]
    text = BeautifulSoup(client.get(qa2.url("GOV")).text, "html.parser").get_text(" ")
    assert (
        f"Evidence for level {level} of this standard: without it the standard scores at "
        f"most level {level - 1}."
    ) in " ".join(text.split())
