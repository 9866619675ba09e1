"""Writes carrying another tenant's ids: every POST route, poisoned field by field.

The access matrix sends every route the ids of the signed-in user's own tenant. Here a
coordinator, buddying lead or trust user of alliance A signs in through the real form and sends
each form with one value swapped for alliance B's (or for another cycle or trust of A): in the
body, in an uploaded file, or in the URL under A's own slug or trust code. Every such request
must be refused with a 4xx and change nothing anywhere (every table is compared before and
after). A control request with the honest value goes through, so each refusal is known to come
from the poisoned value and nothing else.

``ATTACKS`` is the table. ``NO_BODY_IDS`` lists POST routes whose body names no record, with the
reason; ``test_every_post_route_is_attacked_or_has_no_ids`` fails for a POST route in neither.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from selfassess.alliance_profile.facts import fact_questions
from selfassess.alliance_profile.services import answer_facts
from selfassess.assessments.snapshots import import_framework
from selfassess.extensions import db
from selfassess.models import (
    ImprovementAction,
    ModerationPanelist,
    Notification,
    PublishedSummary,
    RespondentAnswer,
    RespondentsSetting,
)
from selfassess.workbook.services import workbook_download
from selfassess.workbook.writing import META_SHEET, sheet_title
from tests.conftest import build_app
from tests.cross_tenant.conftest import ANSWER_BY_KIND, FRAMEWORK, World, state

Body = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Attack:
    """As ``role`` (of alliance A), send ``body`` to ``url``: expect ``status``, no change."""

    endpoint: str
    name: str
    role: str
    url: Callable[[World], str]
    body: Body
    status: int
    prepare: Callable[[World], None] | None = None
    #: What of B the refusal may quote back: "nothing" but what was typed, or B's trust
    #: "codes" (written in an uploaded file).
    may_show: str = "nothing"
    #: The request becomes a membership request to a site administrator (a row of A's own),
    #: and changes nothing else.
    asks_admin: bool = False


# URLs: alliance A's own slug and trust code, with the id parts given ---------------------------


def _targets(trust: str, alliance: str) -> Callable[[World], str]:
    """The own-targets page of trust ``trust`` (a1, a2, b1…) in alliance ``alliance`` (a, b)."""

    def url(w: World) -> str:
        owner = (w.a if trust.startswith("a") else w.b).trusts[trust]
        return f"/trusts/{owner.code}/alliances/{getattr(w, alliance).alliance.slug}/targets"

    return url


def _targets_body(w: World) -> dict[str, str]:
    return {f"target-{w.unmet}": "4", f"seen-{w.unmet}": ""}


def _assign(cycle: str = "a.old", mentee: str = "a1") -> Callable[[World], str]:
    def url(w: World) -> str:
        tenant, when = (w.a, cycle[2:]) if cycle.startswith("a.") else (w.b, cycle[2:])
        membership = (w.a if mentee.startswith("a") else w.b).members[mentee]
        return (
            f"/alliances/{w.a.alliance.slug}/buddying/cycles/"
            f"{getattr(tenant, when).id}/members/{membership.id}/pairs/new"
        )

    return url


def _pair(action: str, side: str = "a") -> Callable[[World], str]:
    return lambda w: (
        f"/alliances/{w.a.alliance.slug}/buddying/pairs/{getattr(w, side).pair.id}/{action}"
    )


def _cycle(action: str, side: str = "a") -> Callable[[World], str]:
    return lambda w: f"/alliances/{w.a.alliance.slug}/cycles/{getattr(w, side).now.id}/{action}"


def _review(action: str, key: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        tenant = w.a if key.startswith("a") else w.b
        return f"/alliances/{w.a.alliance.slug}/assessments/{tenant.assessment(key).id}/{action}"

    return url


def _mine(tail: str, key: str = "a1", cycle: str = "now") -> Callable[[World], str]:
    """A path under trust A1's own code, naming the assessment of ``key`` in ``cycle``."""

    def url(w: World) -> str:
        tenant = w.a if key.startswith("a") else w.b
        return (
            f"/trusts/{w.a.trusts['a1'].code}/assessments/{tenant.assessment(key, cycle).id}/{tail}"
        )

    return url


def _notice(role: str) -> Callable[[World], None]:
    """Give ``role``'s user an unread notification (B's carry "Bravo", to catch a leak)."""

    def prepare(w: World) -> None:
        side = "Bravo" if role.endswith(("_b", "_b1", "_b2")) else "Alpha"
        db.session.add(
            Notification(
                user_id=w.user(role).id,
                category="cycle",
                title=f"{side} news",
                body=f"{side} only",
                link="/home",
            )
        )
        db.session.commit()

    return prepare


def _notification(role: str) -> Callable[[World], str]:
    """The open address of ``role``'s user's notification."""

    def url(w: World) -> str:
        note = db.session.scalar(
            select(Notification.id).where(Notification.user_id == w.user(role).id)
        )
        return f"/notifications/{note}/open"

    return url


def _plan_new(trust: str = "a1", alliance: str = "a", cycle: str = "a") -> Callable[[World], str]:
    """Start an action on the unmet standard, from ``cycle``'s old cycle (a or b)."""

    def url(w: World) -> str:
        owner = (w.a if trust.startswith("a") else w.b).trusts[trust]
        return (
            f"/trusts/{owner.code}/alliances/{getattr(w, alliance).alliance.slug}/plan/cycles/"
            f"{getattr(w, cycle).old.id}/standards/{w.unmet}/new"
        )

    return url


def _plan_action(whose: str) -> Callable[[World], str]:
    """Trust A1's own plan address, naming the action of ``whose`` (a1, a2, b1)."""

    def url(w: World) -> str:
        action = db.session.scalar(
            select(ImprovementAction.id).where(
                ImprovementAction.membership_id
                == (w.a if whose[0] == "a" else w.b).members[whose].id
            )
        )
        return (
            f"/trusts/{w.a.trusts['a1'].code}/alliances/{w.a.alliance.slug}/plan/actions/{action}"
        )

    return url


def _action_body(owner: str = "user_a1") -> Body:
    return lambda w: {
        "title": "Agree the data-sharing agreement",
        "description": "Board sign-off",
        "owner": str(w.user(owner).id),
        "due_on": "2027-03-31",
        "status": "in_progress",
    }


def _edit_body(owner: str = "user_a1") -> Body:
    """An edit of A1's action as its page would send it (loaded as it is now)."""

    def body(w: World) -> dict[str, Any]:
        action = db.session.scalars(
            select(ImprovementAction).where(ImprovementAction.membership_id == w.a.members["a1"].id)
        ).one()
        return {**_action_body(owner)(w), "seen": action.updated_at.isoformat()}

    return body


def _actions(w: World) -> None:
    """An action in the plans of A1, A2 and B1, each owned by the trust's own user."""
    for tenant, key in ((w.a, "a1"), (w.a, "a2"), (w.b, "b1")):
        db.session.add(
            ImprovementAction(
                membership_id=tenant.members[key].id,
                cycle_id=tenant.old.id,
                standard_code=w.unmet,
                title=f"{tenant.alliance.name} action",
                owner_id=tenant.users[f"user_{key}"].id,
                due_on=date(2027, 1, 31),
            )
        )
    db.session.commit()


# Bodies ----------------------------------------------------------------------------------------


def _pair_body(w: World, **poison: Any) -> dict[str, Any]:
    body = {
        "mentor": str(w.a.members["a2"].id),
        "focus": [w.unmet],
        "start_date": (date.today() + timedelta(days=7)).isoformat(),
        "note": "",
    }
    return {**body, **poison}


def _cycle_body(w: World, **poison: Any) -> dict[str, Any]:
    body = {
        "name": "Alpha 2027/28",
        "framework": FRAMEWORK,
        "closes_on": (date.today() + timedelta(days=90)).isoformat(),
    }
    return {**body, **poison}


def _section_body(w: World, section: str = "REL", **extra: str) -> dict[str, Any]:
    """Section REL as its page would send it, unchanged, plus ``extra`` fields."""
    body = {"seen": "{}", "action": "later"}
    for q in w.sections[section]:
        body[f"a_{q.id}"], body[f"c_{q.id}"] = "", ""
    return {**body, **extra}


def _foreign_fields(w: World) -> dict[str, Any]:
    other = w.question("VIS")
    return _section_body(
        w, **{f"a_{other.id}": ANSWER_BY_KIND[other.kind], f"c_{other.id}": "Poisoned evidence"}
    )


def _answered(w: World) -> dict[str, Any]:
    q = w.question("REL")
    return _section_body(w, **{f"a_{q.id}": ANSWER_BY_KIND[q.kind]})


def _respondents_on(w: World) -> None:
    """Several respondents on for A1's and B1's drafts and A1's closed assessment, each led by
    its own trust's user, with an own answer to the first REL question from each lead."""
    q = w.question("REL")
    for tenant, key, cycle, role in (
        (w.a, "a1", "now", "user_a1"),
        (w.b, "b1", "now", "user_b1"),
        (w.a, "a1", "old", "user_a1"),
    ):
        assessment = tenant.assessment(key, cycle)
        lead = w.user(role)
        db.session.add(RespondentsSetting(assessment_id=assessment.id, lead_id=lead.id))
        db.session.add(
            RespondentAnswer(
                assessment_id=assessment.id,
                question_id=q.id,
                user_id=lead.id,
                value=ANSWER_BY_KIND[q.kind],
                comment=f"{'Bravo' if key == 'b1' else 'Alpha'} respondent",
            )
        )
    db.session.commit()


def _settle(role: str) -> Body:
    """Settle the first REL question on the answer of ``role``'s user."""
    return lambda w: {"question": w.question("REL").code, "choice": str(w.user(role).id)}


def _respondents_setting(role: str) -> Body:
    return lambda w: {"several": "on", "lead": str(w.user(role).id)}


def _workbook(
    side: str,
    key: str,
    cycle: str = "now",
    *,
    answer: bool = False,
    forge_id_of: tuple[str, str] | None = None,
) -> Body:
    """An upload of ``key``'s workbook (as its own users would download it), optionally with an
    answer typed in or its hidden assessment id replaced by another assessment's."""

    def body(w: World) -> dict[str, Any]:
        tenant = getattr(w, side)
        data, _ = workbook_download(tenant.assessment(key, cycle))
        if answer or forge_id_of:
            book = load_workbook(io.BytesIO(data))
            if answer:
                q = w.question("REL")
                sheet = book[sheet_title("REL")]
                row = next(r for r in range(1, sheet.max_row + 1) if sheet[f"A{r}"].value == q.code)
                sheet[f"C{row}"] = ANSWER_BY_KIND[q.kind]
            if forge_id_of:
                other = getattr(w, forge_id_of[0]).assessment(forge_id_of[1])
                meta = book[META_SHEET]
                row = next(
                    r for r in range(1, meta.max_row + 1) if meta[f"A{r}"].value == "assessment_id"
                )
                meta[f"B{row}"] = str(other.id)
            buffer = io.BytesIO()
            book.save(buffer)
            data = buffer.getvalue()
        return {"workbook": (io.BytesIO(data), "answers.xlsx")}

    return body


def _csv(text: Callable[[World], str], field: str = "csv_text") -> Body:
    return lambda w: {field: text(w)}


def _upload_csv(text: Callable[[World], str]) -> Body:
    return lambda w: {"members": (io.BytesIO(text(w).encode()), "list.csv")}


def _users_csv(w: World) -> str:
    return (
        f"email,name,role,trust code\nnew.person@example.nhs.uk,New Person,trust user,"
        f"{w.b.trusts['b1'].code}\n"
    )


def _members_csv(w: World) -> str:
    b1 = w.b.trusts["b1"]
    return (
        "trust code,name,type,region,collaboration type\n"
        f"{b1.code},Renamed Trust,{b1.trust_type},Alpha Region,Multi-service network\n"
    )


# A members file naming another alliance's trust reads exactly as one naming an unknown code: it
# becomes a request to a site administrator and quotes nothing registered about the trust.


def _close_open_cycle(w: World) -> None:
    w.a.now.state = "closed"
    db.session.commit()


def _submit_a2(w: World) -> None:
    w.a.assessment("a2").state = "submitted"
    db.session.commit()


def _profile(side: str = "a", cycle: str = "now", tail: str = "") -> Callable[[World], str]:
    """Alliance A's profile URL naming the cycle ``cycle`` of ``side``."""
    return lambda w: (
        f"/alliances/{w.a.alliance.slug}/cycles/{getattr(getattr(w, side), cycle).id}/profile{tail}"
    )


def _facts_on_2_0(w: World) -> None:
    """Alliance A's cycles on framework 2.0, the old one with its facts answered."""
    snapshot = import_framework(Path(w.app.config["QUESTIONS_DIR"]) / "alliance-maturity-2.0")
    w.a.old.snapshot_id = w.a.now.snapshot_id = snapshot.id
    db.session.commit()
    answer_facts(w.a.old, {"GOV-1.4": "yes"}, w.a.users["coord_a"], even_if_closed=True)


def _fact_body(w: World) -> dict[str, Any]:
    fact = next(q for q in fact_questions(w.a.now.snapshot_id) if q.code == "GOV-1.4")
    return {"seen": "{}", f"a_{fact.id}": "yes"}


def _moderating(w: World) -> None:
    """Alliance A moderates, and A2's self-assessment is submitted (B1 sits on B2's panel)."""
    w.a.alliance.moderation = True
    w.b.alliance.moderation = True
    w.a.assessment("a2").state = "submitted"
    w.b.assessment("b2").state = "submitted"
    db.session.add(
        ModerationPanelist(
            assessment_id=w.b.assessment("b2").id,
            user_id=w.b.users["user_b1"].id,
            trust_id=w.b.trusts["b1"].id,
        )
    )
    db.session.commit()


def _moderation(key: str, tail: str = "") -> Callable[[World], str]:
    """Alliance A's moderation URL naming the "now" assessment of ``key``."""

    def url(w: World) -> str:
        tenant = w.a if key.startswith("a") else w.b
        return (
            f"/alliances/{w.a.alliance.slug}/assessments/{tenant.assessment(key).id}"
            f"/moderation{tail}"
        )

    return url


def _b_panelist(w: World) -> int:
    return db.session.scalars(select(ModerationPanelist.id)).one()


A = Attack


def _publish(side: str) -> Callable[[World], None]:
    def prepare(w: World) -> None:
        db.session.add(PublishedSummary(cycle_id=getattr(w, side).old.id))
        db.session.commit()

    return prepare


_publish_a_old = _publish("a")
_publish_b_old = _publish("b")


ATTACKS: list[Attack] = [
    # Buddying: mentor and focus standards come from the body; cycle and mentee from the URL.
    A(
        "buddying.assign_pair",
        "mentor of another alliance",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, mentor=str(w.b.members["b2"].id)),
        400,
    ),
    A(
        "buddying.assign_pair",
        "mentor who has left",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, mentor=str(w.a.members["a3"].id)),
        400,
    ),
    A(
        "buddying.assign_pair",
        "mentor is the mentee",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, mentor=str(w.a.members["a1"].id)),
        400,
    ),
    A(
        "buddying.assign_pair",
        "mentor id out of range",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, mentor="99999999999"),
        400,
    ),
    A(
        "buddying.assign_pair",
        "focus standard already met",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, focus=[w.met]),
        400,
    ),
    A(
        "buddying.assign_pair",
        "focus standard unknown",
        "lead_a",
        _assign(),
        lambda w: _pair_body(w, focus=[w.unmet, "ZZZ-9"]),
        400,
    ),
    A(
        "buddying.assign_pair",
        "cycle of another alliance",
        "lead_a",
        _assign(cycle="b.old"),
        _pair_body,
        404,
    ),
    A(
        "buddying.assign_pair",
        "mentee of another alliance",
        "lead_a",
        _assign(mentee="b1"),
        _pair_body,
        404,
    ),
    A(
        "buddying.assign_pair",
        "mentee who has left",
        "lead_a",
        _assign(mentee="a3"),
        _pair_body,
        404,
    ),
    A(
        "buddying.assign_pair",
        "cycle without results",
        "lead_a",
        _assign(cycle="a.now"),
        _pair_body,
        400,
    ),
    A(
        "buddying.change_pair_status",
        "pair of another alliance",
        "lead_a",
        _pair("status", "b"),
        lambda w: {"to": "active", "seen": "proposed"},
        404,
    ),
    A(
        "buddying.change_pair_status",
        "status not offered",
        "lead_a",
        _pair("status"),
        lambda w: {"to": "completed", "seen": "proposed"},
        400,
    ),
    A(
        "buddying.change_pair_status",
        "status unknown",
        "lead_a",
        _pair("status"),
        lambda w: {"to": "deleted", "seen": "proposed"},
        400,
    ),
    A(
        "buddying.add_pair_note",
        "pair of another alliance",
        "lead_a",
        _pair("notes", "b"),
        lambda w: {"body": "Poisoned note"},
        404,
    ),
    # Coordinator: the framework version is a choice from the body.
    A(
        "coordinator.open_cycle",
        "framework path outside the bank",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/new",
        lambda w: _cycle_body(w, framework="../" + FRAMEWORK),
        400,
        _close_open_cycle,
    ),
    A(
        "coordinator.open_cycle",
        "framework absolute path",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/new",
        lambda w: _cycle_body(w, framework="/etc"),
        400,
        _close_open_cycle,
    ),
    A(
        "coordinator.open_cycle",
        "framework not offered",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/new",
        lambda w: _cycle_body(w, framework="schema"),
        400,
        _close_open_cycle,
    ),
    A(
        "coordinator.close_cycle",
        "cycle of another alliance",
        "coord_a",
        _cycle("close", "b"),
        lambda w: {},
        404,
    ),
    A(
        "summaries.publish_summary",
        "publish another alliance's cycle",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/{w.b.old.id}/summary/publish",
        lambda w: {},
        404,
    ),
    A(
        "summaries.withdraw_summary",
        "withdraw another alliance's published summary",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/{w.b.old.id}/summary/withdraw",
        lambda w: {},
        404,
        _publish_b_old,
    ),
    A(
        "coordinator.extend_cycle",
        "deadline of another alliance's cycle",
        "coord_a",
        _cycle("deadline", "b"),
        lambda w: {"closes_on": "2099-12-31"},
        404,
    ),
    A(
        "coordinator.member_deadline",
        "deadline of another alliance's member",
        "coord_a",
        _review("deadline", "b2"),
        lambda w: {"extended_until": "2099-12-31", "reason": "Poisoned"},
        404,
    ),
    A(
        "coordinator.return_assessment",
        "assessment of another alliance",
        "coord_a",
        _review("return", "b2"),
        lambda w: {"comment": "Poisoned"},
        404,
    ),
    A(
        "coordinator.validate_assessment",
        "assessment of another alliance",
        "coord_a",
        _review("validate", "b2"),
        lambda w: {},
        404,
    ),
    # Alliance profile: the cycle is in the URL; the facts are field names of its own snapshot.
    A(
        "alliance_profile.save_profile",
        "cycle of another alliance",
        "coord_a",
        _profile("b"),
        lambda w: {"seen": "{}"},
        404,
    ),
    A(
        "alliance_profile.save_profile",
        "closed cycle",
        "coord_a",
        _profile("a", "old"),
        lambda w: {"seen": "{}"},
        409,
    ),
    A(
        "alliance_profile.copy_forward",
        "cycle of another alliance",
        "coord_a",
        _profile("b", tail="/copy-forward"),
        lambda w: {},
        404,
    ),
    A(
        "alliance_profile.copy_forward",
        "closed cycle",
        "coord_a",
        _profile("a", "old", "/copy-forward"),
        lambda w: {},
        409,
    ),
    # Questionnaire: field names carry question ids; the assessment is in the URL.
    A(
        "questionnaire.section",
        "assessment of another alliance",
        "user_a1",
        _mine("sections/REL", "b1"),
        _answered,
        404,
    ),
    A(
        "questionnaire.section",
        "assessment of another trust",
        "user_a1",
        _mine("sections/REL", "a2"),
        _answered,
        404,
    ),
    A(
        "questionnaire.section",
        "assessment of a closed cycle",
        "user_a1",
        _mine("sections/REL", "a1", "old"),
        _answered,
        409,
    ),
    A(
        "questionnaire.section_owner",
        "assessment of another trust",
        "user_a1",
        _mine("sections/REL/owner", "a2"),
        lambda w: {"owner": str(w.user("user_a2").id)},
        404,
    ),
    A(
        "questionnaire.section_owner",
        "owner from another trust of the alliance",
        "user_a1",
        _mine("sections/REL/owner"),
        lambda w: {"owner": str(w.user("user_a2").id)},
        400,
    ),
    A(
        "questionnaire.section_owner",
        "owner from another alliance",
        "user_a1",
        _mine("sections/REL/owner"),
        lambda w: {"owner": str(w.user("user_b1").id)},
        400,
    ),
    A(
        "questionnaire.section_owner",
        "owner that does not exist",
        "user_a1",
        _mine("sections/REL/owner"),
        lambda w: {"owner": "987654"},
        400,
    ),
    A(
        "questionnaire.submit",
        "assessment of another alliance",
        "user_a1",
        _mine("submit", "b1"),
        lambda w: {},
        404,
    ),
    A(
        "questionnaire.copy_forward",
        "assessment of another alliance",
        "user_a1",
        _mine("copy-forward", "b1"),
        lambda w: {},
        404,
    ),
    # Several respondents: the assessment is in the URL; a lead and a respondent in the body.
    A(
        "respondents.settings",
        "assessment of another alliance",
        "user_a1",
        _mine("respondents/settings", "b1"),
        _respondents_setting("user_a1"),
        404,
    ),
    A(
        "respondents.settings",
        "assessment of another trust",
        "user_a1",
        _mine("respondents/settings", "a2"),
        _respondents_setting("user_a1"),
        404,
    ),
    A(
        "respondents.settings",
        "lead from another alliance",
        "user_a1",
        _mine("respondents/settings"),
        _respondents_setting("user_b1"),
        400,
    ),
    A(
        "respondents.settings",
        "lead from another trust of the alliance",
        "user_a1",
        _mine("respondents/settings"),
        _respondents_setting("user_a2"),
        400,
    ),
    A(
        "respondents.section",
        "assessment of another alliance",
        "user_a1",
        _mine("respondents/sections/REL", "b1"),
        _answered,
        404,
        prepare=_respondents_on,
    ),
    A(
        "respondents.section",
        "assessment of another trust",
        "user_a1",
        _mine("respondents/sections/REL", "a2"),
        _answered,
        404,
        prepare=_respondents_on,
    ),
    A(
        "respondents.section",
        "assessment of a closed cycle",
        "user_a1",
        _mine("respondents/sections/REL", "a1", "old"),
        _answered,
        409,
        prepare=_respondents_on,
    ),
    A(
        "respondents.answers",
        "assessment of another alliance",
        "user_a1",
        _mine("respondents/", "b1"),
        _settle("user_b1"),
        404,
        prepare=_respondents_on,
    ),
    A(
        "respondents.answers",
        "respondent of another alliance",
        "user_a1",
        _mine("respondents/"),
        _settle("user_b1"),
        400,
        prepare=_respondents_on,
    ),
    A(
        "respondents.answers",
        "respondent of another trust, no answer here",
        "user_a1",
        _mine("respondents/"),
        _settle("user_a2"),
        400,
        prepare=_respondents_on,
    ),
    A(
        "respondents.answers",
        "assessment of a closed cycle",
        "user_a1",
        _mine("respondents/", "a1", "old"),
        _settle("user_a1"),
        409,
        prepare=_respondents_on,
    ),
    # Workbook upload: the identity travels inside the file.
    A(
        "workbook.upload_workbook",
        "workbook of another alliance",
        "user_a1",
        _mine("workbook"),
        _workbook("b", "b1", answer=True),
        400,
        may_show="codes",
    ),
    A(
        "workbook.upload_workbook",
        "workbook of another trust",
        "user_a1",
        _mine("workbook"),
        _workbook("a", "a2", answer=True),
        400,
    ),
    A(
        "workbook.upload_workbook",
        "workbook of another cycle",
        "user_a1",
        _mine("workbook"),
        _workbook("a", "a1", "old", answer=True),
        400,
    ),
    A(
        "workbook.upload_workbook",
        "own workbook naming another assessment",
        "user_a1",
        _mine("workbook"),
        _workbook("a", "a1", answer=True, forge_id_of=("b", "b1")),
        400,
    ),
    A(
        "workbook.upload_workbook",
        "assessment of another alliance",
        "user_a1",
        _mine("workbook", "b1"),
        _workbook("b", "b1", answer=True),
        404,
    ),
    # Imports: trust codes arrive in CSV files and in the confirm form's hidden text.
    A(
        "imports.preview_users",
        "trust of another alliance",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/users/import",
        _upload_csv(_users_csv),
        400,
    ),
    A(
        "imports.import_users",
        "trust of another alliance",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/users/import/confirm",
        _csv(_users_csv),
        400,
    ),
    A(
        "imports.preview_members",
        "known trust renamed",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/members/import",
        _upload_csv(_members_csv),
        200,
    ),
    A(
        "imports.import_members",
        "known trust renamed",
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/members/import/confirm",
        _csv(_members_csv),
        302,
        asks_admin=True,
    ),
    # A trust's own targets: the membership comes from the URL's trust code and alliance slug.
    A(
        "dashboards.set_targets",
        "alliance the trust is not in",
        "user_a1",
        _targets("a1", "b"),
        _targets_body,
        404,
    ),
    A(
        "dashboards.set_targets",
        "trust of another alliance",
        "user_a1",
        _targets("b1", "a"),
        _targets_body,
        403,
    ),
    A(
        "dashboards.set_targets",
        "trust of the same alliance",
        "user_a1",
        _targets("a2", "a"),
        _targets_body,
        403,
    ),
    # Improvement plans: the member comes from the URL's trust and alliance, the owner must be a
    # colleague of that trust in that alliance, and an action id must be of that member's plan.
    A(
        "plans.start_action",
        "owner from another trust of the alliance",
        "user_a1",
        _plan_new(),
        _action_body("user_a2"),
        400,
    ),
    A(
        "plans.start_action",
        "owner from another alliance",
        "user_a1",
        _plan_new(),
        _action_body("user_b1"),
        400,
    ),
    A(
        "plans.start_action",
        "cycle of another alliance",
        "user_a1",
        _plan_new(cycle="b"),
        _action_body(),
        404,
    ),
    A(
        "plans.start_action",
        "alliance the trust is not in",
        "user_a1",
        _plan_new(alliance="b", cycle="b"),
        _action_body(),
        404,
    ),
    A(
        "plans.start_action",
        "trust of another alliance",
        "user_a1",
        _plan_new(trust="b1", alliance="b", cycle="b"),
        _action_body(),
        403,
    ),
    A(
        "plans.edit_action",
        "action of another trust of the alliance",
        "user_a1",
        _plan_action("a2"),
        _action_body(),
        404,
        prepare=_actions,
    ),
    A(
        "plans.edit_action",
        "action of another alliance",
        "user_a1",
        _plan_action("b1"),
        _action_body(),
        404,
        prepare=_actions,
    ),
    A(
        "plans.edit_action",
        "owner from another alliance",
        "user_a1",
        _plan_action("a1"),
        _edit_body("user_b1"),
        400,
        prepare=_actions,
    ),
    # Notifications: only ever your own, whoever else's id the URL carries.
    A(
        "notifications.open_notification",
        "another alliance's user's",
        "user_a1",
        _notification("user_b1"),
        lambda w: {},
        404,
        prepare=_notice("user_b1"),
    ),
    A(
        "notifications.open_notification",
        "a colleague's in the same alliance",
        "coord_a",
        _notification("user_a1"),
        lambda w: {},
        404,
        prepare=_notice("user_a1"),
    ),
    A(
        "moderation.nominate",
        "peer reviewer from another alliance",
        "coord_a",
        _moderation("a2", "/panel"),
        lambda w: {"user": str(w.b.users["user_b1"].id)},
        400,
        prepare=_moderating,
    ),
    A(
        "moderation.nominate",
        "panel of another alliance's assessment",
        "coord_a",
        _moderation("b2", "/panel"),
        lambda w: {"user": str(w.a.users["user_a1"].id)},
        404,
        prepare=_moderating,
    ),
    A(
        "moderation.coordinator_page",
        "decisions on another alliance's assessment",
        "coord_a",
        _moderation("b2"),
        lambda w: {"level-REL-1": "1", "reason-REL-1": "Poisoned"},
        404,
        prepare=_moderating,
    ),
    A(
        "moderation.remove_panelist",
        "panelist of another alliance's assessment",
        "coord_a",
        lambda w: _moderation("a2", f"/panel/{_b_panelist(w)}/remove")(w),
        lambda w: {},
        404,
        prepare=_moderating,
    ),
    A(
        "moderation.panel_page",
        "decisions on an assessment the user is not on the panel of",
        "user_a1",
        lambda w: f"/trusts/{w.a.trusts['a1'].code}/moderation/{w.b.assessment('b2').id}",
        lambda w: {"level-REL-1": "1", "reason-REL-1": "Poisoned"},
        404,
        prepare=_moderating,
    ),
]

CONTROLS: dict[str, tuple[str, Callable[[World], str], Body, Callable[[World], None] | None]] = {
    "moderation.nominate": (
        "coord_a",
        _moderation("a2", "/panel"),
        lambda w: {"user": str(w.a.users["user_a1"].id)},
        _moderating,
    ),
    "moderation.coordinator_page": (
        "coord_a",
        _moderation("a2"),
        lambda w: {"level-REL-1": "3", "reason-REL-1": "Minutes seen at the panel"},
        _moderating,
    ),
    # Same route, same role, honest values: goes through and changes something.
    "buddying.assign_pair": ("lead_a", _assign(), _pair_body, None),
    "buddying.change_pair_status": (
        "lead_a",
        _pair("status"),
        lambda w: {"to": "active", "seen": "proposed"},
        None,
    ),
    "buddying.add_pair_note": ("lead_a", _pair("notes"), lambda w: {"body": "A note"}, None),
    "summaries.publish_summary": (
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/{w.a.old.id}/summary/publish",
        lambda w: {},
        None,
    ),
    "summaries.withdraw_summary": (
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/{w.a.old.id}/summary/withdraw",
        lambda w: {},
        _publish_a_old,
    ),
    "coordinator.open_cycle": (
        "coord_a",
        lambda w: f"/alliances/{w.a.alliance.slug}/cycles/new",
        _cycle_body,
        _close_open_cycle,
    ),
    "coordinator.return_assessment": (
        "coord_a",
        _review("return", "a2"),
        lambda w: {"comment": "Please revise"},
        _submit_a2,
    ),
    "coordinator.member_deadline": (
        "coord_a",
        _review("deadline", "a2"),
        lambda w: {"extended_until": "2099-12-31", "reason": "More time"},
        None,
    ),
    "coordinator.validate_assessment": (
        "coord_a",
        _review("validate", "a2"),
        lambda w: {},
        _submit_a2,
    ),
    "questionnaire.section": ("user_a1", _mine("sections/REL"), _answered, None),
    "respondents.settings": (
        "user_a1",
        _mine("respondents/settings"),
        _respondents_setting("user_a1"),
        None,
    ),
    "respondents.section": (
        "user_a1",
        _mine("respondents/sections/REL"),
        lambda w: _section_body(w, **{f"a_{w.question('REL').id}": "5"}),
        _respondents_on,
    ),
    "respondents.answers": ("user_a1", _mine("respondents/"), _settle("user_a1"), _respondents_on),
    "questionnaire.section_owner": (
        "user_a1",
        _mine("sections/REL/owner"),
        lambda w: {"owner": str(w.user("user_a1").id)},
        None,
    ),
    "notifications.open_notification": (
        "user_a1",
        _notification("user_a1"),
        lambda w: {},
        _notice("user_a1"),
    ),
    "alliance_profile.save_profile": ("coord_a", _profile(), _fact_body, _facts_on_2_0),
    "alliance_profile.copy_forward": (
        "coord_a",
        _profile(tail="/copy-forward"),
        lambda w: {},
        _facts_on_2_0,
    ),
    "workbook.upload_workbook": (
        "user_a1",
        _mine("workbook"),
        _workbook("a", "a1", answer=True),
        None,
    ),
    "dashboards.set_targets": ("user_a1", _targets("a1", "a"), _targets_body, None),
    "plans.start_action": ("user_a1", _plan_new(), _action_body(), None),
    "plans.edit_action": ("user_a1", _plan_action("a1"), _edit_body(), _actions),
}

#: POST routes whose body names no record of any tenant, and why that is so.
NO_BODY_IDS: dict[str, str] = {
    "moderation.settings": "on or off only; the alliance is the URL's, behind its guard",
    "auth.sign_in": "email and password only; `next` is a path checked by _safe_next "
    "(tests/test_fuzz_inputs.py) and leads to pages that check access again",
    "auth.second_factor": "a code for the pending sign-in held in the session",
    "auth.set_up_second_factor": "the signed-in user's own account only",
    "auth.sign_out": "the signed-in user's own session only",
    "auth.forgot_password": "an email address; the answer is the same for any address",
    "auth.reset_password": "the account comes from the signed token in the URL",
    "auth.accept_invitation": "the account comes from the signed token in the URL",
    "admin.invite_user": "site administrators act site-wide: every alliance and trust is a "
    "choice, validated against the lists the page offers",
    "admin.toggle_user": "site-wide; the user id is in the URL",
    "admin.remove_second_factor": "site-wide; the user id is in the URL",
    "admin.retry_email": "site-wide; the outbox email's id is in the URL",
    "admin.resend_invitation": "site-wide; the invitation's id is in the URL",
    "admin.answer_membership_request": "site-wide; the request id is in the URL",
    "notifications.mark_all_read": "the signed-in user's own notifications only",
    "notifications.preferences": "the signed-in user's own email choices, from a fixed list",
    "api_tokens.list_tokens": "the signed-in user's own token; its one alliance is a choice "
    "validated against the user's own grants (tests/api/test_api_tokens.py)",
    "api_tokens.revoke_token": "the signed-in user's own tokens only; the id is in the URL and "
    "another user's is 404 (tests/api/test_api_tokens.py)",
    "api.no_such_resource": "answers every method with 404 or 405 and reads nothing",
    "invitations.respond": "the offer comes from the signed token in the URL and is given only "
    "to the account of the address invited "
    "(tests/invitations/test_invitations.py)",
    "standards.change": "the URL's alliance's own settings; the version and standard are in the "
    "URL and looked up among the versions that alliance may use (tests/standards)",
    "standards.start_draft": "`base` is a version key looked up only among the URL alliance's "
    "versions: another alliance's own version is refused as unknown "
    "(tests/standards/test_own_versions.py)",
    "standards.add_domain": "the URL alliance's own draft; the body is new content, not ids",
    "standards.add_standard": "the URL alliance's own draft; the body is new content, not ids",
    "standards.edit_standard": "the URL alliance's own draft; the standard is in the URL",
    "standards.remove_standard": "the URL alliance's own draft; the standard is in the URL",
    "standards.publish_draft": "the URL alliance's own draft only",
    "standards.discard_draft": "the URL alliance's own draft only",
    "standards.import_version": "an uploaded file; its framework id must lie in the URL "
    "alliance's namespace (tests/standards/test_own_versions.py)",
    "frameworks.shared": "site administrators only, site-wide: an uploaded file",
    "evidence.question_files": "a file only; the assessment and question are in the URL and "
    "loaded through the assessment's guard (tests/evidence)",
    "evidence.remove_file": "the file id is in the URL and looked up within the URL's "
    "assessment only (tests/evidence)",
    "questionnaire.review_comments": "`question` is a question code looked up among the URL "
    "assessment's own threads (tests/coordinator/test_review_threads.py)",
}


def _post(client: Any, token: str, url: str, body: dict[str, Any]) -> Any:
    multipart = any(isinstance(v, tuple) for v in body.values())
    return client.post(
        url,
        data={**body, "csrf_token": token},
        content_type="multipart/form-data" if multipart else None,
    )


def _sent_text(body: dict[str, Any]) -> str:
    return " ".join(
        v[0].getvalue().decode("utf-8", "replace") if isinstance(v, tuple) else str(v)
        for v in body.values()
    )


def _b_text(w: World) -> list[str]:
    """Words that only alliance B's records carry."""
    return [
        "Bravo",
        *(t.code for t in w.b.trusts.values()),
    ]


@pytest.mark.parametrize("attack", ATTACKS, ids=[f"{a.endpoint}-{a.name}" for a in ATTACKS])
def test_another_tenants_value_is_refused_and_changes_nothing(client, tw, attack):
    if attack.prepare:
        attack.prepare(tw)
    url, body = attack.url(tw), attack.body(tw)
    sent = _sent_text(body)  # a value the attacker typed may be quoted back to them
    token = tw.sign_in(client, attack.role)
    before = state()
    response = _post(client, token, url, body)
    assert response.status_code == attack.status, (
        attack.name,
        response.status_code,
        response.headers.get("Location"),
    )
    after = state()
    if attack.asks_admin:
        asked = after.pop("membership_request")
        assert len(asked) == len(before.pop("membership_request")) + 1
        assert all(f"({tw.a.alliance.id}, " in row for row in asked), asked
        after.pop("audit_event"), before.pop("audit_event")
        after.pop("outbox_email", None), before.pop("outbox_email", None)
    assert after == before, f"{attack.endpoint}: {attack.name} changed the database"
    shown = response.get_data(as_text=True)
    allowed = sent + (
        " ".join(t.code for t in tw.b.trusts.values()) if attack.may_show == "codes" else ""
    )
    leaked = [word for word in _b_text(tw) if word in shown and word not in allowed]
    assert not leaked, f"{attack.endpoint}: {attack.name} shows {leaked}"


@pytest.mark.parametrize("endpoint", sorted(CONTROLS))
def test_the_honest_request_goes_through(client, tw, endpoint):
    role, url, body, prepare = CONTROLS[endpoint]
    if prepare:
        prepare(tw)
    token = tw.sign_in(client, role)
    before = state()
    response = _post(client, token, url(tw), body(tw))
    assert response.status_code == 302, (endpoint, response.status_code)
    assert state() != before, f"{endpoint}: the honest request changed nothing"


def test_fields_of_another_section_are_ignored(client, tw):
    """Answers named by question id for a question not on the page are never written."""
    token = tw.sign_in(client, "user_a1")
    before = state()
    response = _post(client, token, _mine("sections/REL")(tw), _foreign_fields(tw))
    assert response.status_code < 500
    assert state() == before


def test_fields_of_another_section_are_ignored_in_a_respondents_own_section(client, tw):
    """A respondent naming questions not on the page (another section's ids) writes nothing."""
    lead = tw.user("user_a1")
    db.session.add(RespondentsSetting(assessment_id=tw.a.assessment("a1").id, lead_id=lead.id))
    db.session.commit()
    token = tw.sign_in(client, "user_a1")
    before = state()
    response = _post(client, token, _mine("respondents/sections/REL")(tw), _foreign_fields(tw))
    assert response.status_code < 500
    assert state() == before


def test_every_post_route_is_attacked_or_has_no_ids():
    app = build_app("sqlite://")
    posts = {
        rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or set())
    }
    attacked = {a.endpoint for a in ATTACKS}
    missing = sorted(posts - attacked - NO_BODY_IDS.keys())
    assert not missing, f"add these POST routes to ATTACKS or NO_BODY_IDS: {missing}"
    stale = sorted((attacked | NO_BODY_IDS.keys() | CONTROLS.keys()) - posts)
    assert not stale, f"no such POST routes any more: {stale}"
    assert not attacked & NO_BODY_IDS.keys()
