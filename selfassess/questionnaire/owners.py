"""Section owners (#17 point 7): a trust user gives each section of the trust's self-assessment
to a colleague, the task list shows who owns what and how far each owner has got, and deadline
reminders go to the owners of unfinished sections first.

A colleague is an active account holding a trust-user grant for the same membership (this trust
in this alliance), the same people who may open the assessment at all. The choice is checked
here against that list, whatever the form sent, so a section can never be given to a user of
another trust or alliance, or to an account id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import audit, events
from ..assessments.answers import editable
from ..assessments.colleagues import colleagues
from ..extensions import db
from ..models import Assessment, SectionOwner, User
from .services import Section, task_list


class OwnerRefused(ValueError):
    """The section cannot be given to that person now; the message says why."""


def section_owners(assessment: Assessment) -> dict[str, User]:
    """Each owned section's owner, by section code (one query)."""
    rows = db.session.execute(
        select(SectionOwner.section, User)
        .join(User, SectionOwner.user_id == User.id)
        .where(SectionOwner.assessment_id == assessment.id)
    ).all()
    return {section: user for section, user in rows}


def assign(assessment: Assessment, section: Section, owner_id: int | None, by: User) -> bool:
    """Make ``owner_id`` (None: nobody) the owner of ``section``; False if it already was.
    Audited with the owner before and after; the new owner is told unless they chose
    themselves."""
    if not editable(assessment):
        raise OwnerRefused("This self-assessment can no longer change, so neither can owners.")
    owner = None
    if owner_id is not None:
        owner = next((u for u in colleagues(assessment) if u.id == owner_id), None)
        if owner is None:
            raise OwnerRefused("Choose a colleague from the list, or nobody")
    row = db.session.scalar(
        select(SectionOwner).where(
            SectionOwner.assessment_id == assessment.id, SectionOwner.section == section.code
        )
    )
    before = row.user_id if row else None
    if before == owner_id:
        return False
    before_name = db.session.get(User, before).name if before else None  # type: ignore[union-attr]
    if owner is None:
        db.session.delete(row)
    elif row is None:
        db.session.add(
            SectionOwner(
                assessment_id=assessment.id,
                section=section.code,
                user_id=owner.id,
                assigned_by_id=by.id,
            )
        )
    else:
        row.user_id, row.assigned_by_id = owner.id, by.id
    membership = assessment.membership
    audit.record(
        "section.owner_changed",
        "assessment",
        assessment.id,
        before={"section": section.code, "owner_id": before, "owner": before_name},
        after={
            "section": section.code,
            "owner_id": owner_id,
            "owner": owner.name if owner else None,
        },
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=by.id,
    )
    if owner is not None and owner.id != by.id:
        events.publish(events.SectionAssigned(assessment.id, section.code, owner.id, by.id))
    db.session.commit()
    return True


@dataclass(frozen=True)
class OwnerProgress:
    """How far one owner's sections have got (``owner`` None: the sections nobody owns)."""

    owner: User | None
    completed: int
    total: int


def progress_by_owner(sections: list[Section], owners: dict[str, User]) -> list[OwnerProgress]:
    """Per owner, by name, then the unowned sections: the task list's "who has what left"."""
    tally: dict[int | None, list[int]] = {}
    people: dict[int | None, User | None] = {None: None}
    for s in sections:
        owner = owners.get(s.code)
        key = owner.id if owner else None
        people[key] = owner
        counts = tally.setdefault(key, [0, 0])
        counts[0] += s.status == "Completed"
        counts[1] += 1
    found = [OwnerProgress(people[k], done, total) for k, (done, total) in tally.items()]
    return sorted(found, key=lambda p: (p.owner is None, p.owner.name if p.owner else ""))


@dataclass(frozen=True)
class ReminderShare:
    """Who gets a deadline reminder, and what it says to them beyond the usual text."""

    users: list[User]
    #: The unfinished sections these users own, or (``owned`` False) that nobody owns; empty
    #: when owners play no part (the reminder reads as it did before owners existed).
    sections: list[str]
    owned: bool = False

    @property
    def note(self) -> str:
        if not self.sections:
            return ""
        names = ", ".join(self.sections)
        if self.owned:
            return f" Sections assigned to you still to finish: {names}."
        return f" Sections with no owner still to finish: {names}."


def reminder_shares(assessment: Assessment, trust_users: list[User]) -> list[ReminderShare]:
    """Owners first: each owner of an unfinished section is reminded of their own sections.
    The rest of the trust hears only when some unfinished section has no owner who could be
    told (or nothing is left but to check and submit); with no owners at all, everyone is
    reminded, as before owners existed."""
    allowed = {u.id: u for u in trust_users}  # still granted and active: may see the page
    owners = section_owners(assessment)
    unfinished = [s for s in task_list(assessment) if s.status != "Completed"]
    mine: dict[int, list[str]] = {}
    unowned = []
    for s in unfinished:
        owner = owners.get(s.code)
        if owner is not None and owner.id in allowed:
            mine.setdefault(owner.id, []).append(s.name)
        else:
            unowned.append(s.name)
    if not mine:
        return [ReminderShare(trust_users, [])]
    shares = [ReminderShare([allowed[uid]], names, owned=True) for uid, names in mine.items()]
    others = [u for u in trust_users if u.id not in mine]
    if unowned and others:
        shares.append(ReminderShare(others, unowned))
    return shares
