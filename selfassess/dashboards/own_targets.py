"""A trust's own targets: read them, save them (audited), and measure progress towards them.

The trust sets a desired level per standard for its membership of one alliance. Its dashboard
and report show, for each, the score now, percent to target and progress since the last cycle,
computed by ``scoring.targets`` from the member's own figures already on the page (so no peer
figure is involved, and no extra query beyond reading the targets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from .. import audit
from ..extensions import db
from ..models import Membership, TrustTarget, User
from ..scoring.specs import MAX_LEVEL, MIN_LEVEL
from ..scoring.targets import TargetProgress, overall_percent_to_target, target_progress
from .figures import MemberView
from .queries import StandardRow

#: Field-name prefixes: the level chosen, and the level the page was loaded with.
LEVEL, SEEN = "target-", "seen-"
#: The levels offered: whole and half levels on the scale.
LEVELS = tuple(MIN_LEVEL + k / 2 for k in range((MAX_LEVEL - MIN_LEVEL) * 2 + 1))


class TargetsChanged(Exception):
    """Someone else saved some of these targets after the page was loaded."""

    def __init__(self, conflicts: dict[str, tuple[float | None, float | None]]) -> None:
        self.conflicts = conflicts  # code -> (theirs, yours)
        super().__init__(
            "Someone else changed these targets after you opened the page: "
            + "; ".join(
                f"{code} is now {_words(theirs)} (you chose {_words(yours)})"
                for code, (theirs, yours) in conflicts.items()
            )
            + ". Check them and save again."
        )


def _words(level: float | None) -> str:
    return "no target" if level is None else f"{level:g}"


def membership_of(trust_id: int, alliance_id: int) -> Membership:
    """The trust's membership of the alliance (the caller has checked the user works for both)."""
    return db.session.execute(
        select(Membership).where(
            Membership.trust_id == trust_id, Membership.alliance_id == alliance_id
        )
    ).scalar_one()


def targets_of(membership_id: int) -> dict[str, float]:
    """The member's own targets by standard code (one query)."""
    return dict(
        db.session.execute(
            select(TrustTarget.standard_code, TrustTarget.level).where(
                TrustTarget.membership_id == membership_id
            )
        ).all()
    )


def parse_targets(
    form: MultiDict[str, str], codes: list[str]
) -> tuple[dict[str, float | None], dict[str, float | None], dict[str, str]]:
    """The levels chosen, the levels the page showed, and errors, for the offered standards.

    Fields for any other standard are ignored: a trust can only target its alliance's standards.
    """
    chosen: dict[str, float | None] = {}
    seen: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for code in codes:
        for prefix, into in ((LEVEL, chosen), (SEEN, seen)):
            typed = form.get(prefix + code, "").strip()
            level = _level(typed)
            if typed and level is None:
                if prefix == LEVEL:
                    errors[code] = f"Choose a target for {code} from the list, or no target"
                level = None
            into[code] = level
    return chosen, seen, errors


def _level(typed: str) -> float | None:
    try:
        value = float(typed)
    except ValueError:
        return None
    return value if value in LEVELS else None


def save_targets(
    membership: Membership,
    chosen: Mapping[str, float | None],
    seen: Mapping[str, float | None],
    user: User,
) -> int:
    """Save the chosen targets (None removes one), audit the change and commit; return how
    many changed.

    A standard whose stored target differs from the one the page was loaded with, and that the
    user is changing to something else again, is a conflict: nothing is saved and
    ``TargetsChanged`` says what each side chose. The member's rows are locked while checking
    (PostgreSQL); two first targets for one standard at once meet the unique constraint, and the
    second is told the same way.
    """
    rows = {
        row.standard_code: row
        for row in db.session.scalars(
            select(TrustTarget).where(TrustTarget.membership_id == membership.id).with_for_update()
        )
    }
    stored = {code: row.level for code, row in rows.items()}
    conflicts = {
        code: (stored.get(code), level)
        for code, level in chosen.items()
        if stored.get(code) != seen.get(code) and stored.get(code) != level
    }
    if conflicts:
        db.session.rollback()
        raise TargetsChanged(conflicts)
    before: dict[str, float | None] = {}
    after: dict[str, float | None] = {}
    for code, level in chosen.items():
        if stored.get(code) == level:
            continue
        before[code], after[code] = stored.get(code), level
        row = rows.get(code)
        if level is None and row is not None:
            db.session.delete(row)
        elif row is not None and level is not None:
            row.level, row.updated_by_id = level, user.id
        elif level is not None:
            db.session.add(
                TrustTarget(
                    membership_id=membership.id,
                    standard_code=code,
                    level=level,
                    updated_by_id=user.id,
                )
            )
    if after:
        audit.record(
            "trust_targets.changed",
            "membership",
            membership.id,
            before=before,
            after=after,
            alliance_id=membership.alliance_id,
            trust_id=membership.trust_id,
        )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        now = targets_of(membership.id)
        raise TargetsChanged({code: (now.get(code), after[code]) for code in after}) from None
    return len(after)


@dataclass(frozen=True)
class TargetsState:
    """The own-targets form's state: what each select shows, what the page was loaded with,
    and what went wrong (``status`` is the HTTP status to answer with)."""

    chosen: Mapping[str, float | None]
    seen: Mapping[str, float | None]
    errors: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None
    status: int = 200
    changed: int | None = None  # set once saved

    @classmethod
    def loaded(cls, membership_id: int) -> TargetsState:
        """The form as stored: each select on the trust's current target."""
        stored = targets_of(membership_id)
        return cls(chosen=stored, seen=stored)


def submit_targets(
    membership: Membership, codes: list[str], form: MultiDict[str, str], user: User
) -> TargetsState:
    """Check and save a sent form: saved (``changed`` set), or why not with what was typed."""
    chosen, seen, errors = parse_targets(form, codes)
    if errors:
        return TargetsState(chosen, seen, errors, status=400)
    try:
        changed = save_targets(membership, chosen, seen, user)
    except TargetsChanged as refusal:
        # Keep the user's choices; the page now shows the colleague's as seen, so saving again
        # is a deliberate overwrite.
        return TargetsState(chosen, targets_of(membership.id), problem=str(refusal), status=409)
    return TargetsState(chosen, seen, changed=changed)


@dataclass(frozen=True)
class TargetsView:
    """The member's own targets on the page's cycle: per standard, and in total."""

    items: tuple[TargetProgress, ...]
    statements: dict[str, str]
    previous_cycle: str | None
    overall: float | None
    overall_before: float | None
    elsewhere: int  # targets for standards not in this cycle's framework


def targets_view(view: MemberView, targets: Mapping[str, float]) -> TargetsView | None:
    """Progress towards the member's own targets from the figures on its dashboard.

    The previous cycle's scores are those of the dashboard's change since the last cycle
    (followed through lineage when the framework changed); None when no target is set.
    """
    if not targets:
        return None
    standards: list[StandardRow] = [line.standard for line in view.standards]
    codes = [s.code for s in standards]
    scores = {line.standard.code: line.score for line in view.standards}
    change = view.change
    previous = None
    if change is not None and change.missing is None:
        previous = {line.code: line.comparison.then for line in change.standards}
    items = target_progress(
        {c: level for c, level in targets.items() if c in scores}, scores, previous, codes
    )
    return TargetsView(
        items=items,
        statements={s.code: s.statement for s in standards},
        previous_cycle=change.previous.name if previous is not None and change else None,
        overall=overall_percent_to_target(items),
        overall_before=overall_percent_to_target(items, previous=True),
        elsewhere=sum(1 for c in targets if c not in scores),
    )
