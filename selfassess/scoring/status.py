"""Decide a member's membership status in a cycle from its scores (the NOA membership model).

The rule reads "At risk: a core standard not met in this and the previous validated cycle". It is
implemented as: at least one core standard is not met now, AND the previous validated assessment
also had at least one core standard not met (not necessarily the same one). Two reasons: a
framework version can change between cycles, so standard ids need not line up; and a member that
fixes one core gap while opening another has still failed the membership standards twice running.
The reason text names the standards both times, and which of them were missed in both cycles.

A core standard with no score (all its questions optional and unanswered) counts as not met: the
member has not shown that it meets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from selfassess.scoring.scores import AssessmentScore


class MembershipStatus(StrEnum):
    """The status shown for a member in a cycle; the value is the label people read."""

    MEETS_STANDARDS = "Meets standards"
    IMPROVEMENT_REQUIRED = "Improvement required"
    AT_RISK = "At risk"
    NOT_SUBMITTED = "Not submitted"
    #: Not in PRODUCT.md: the cycle is still open and nothing is submitted yet, so no verdict.
    AWAITING_SUBMISSION = "Awaiting submission"


@dataclass(frozen=True)
class StatusResult:
    """A membership status with the reason behind it and the core standards it rests on."""

    status: MembershipStatus
    reason: str
    core_not_met: tuple[str, ...] = ()
    previous_core_not_met: tuple[str, ...] = ()


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def membership_status(
    current: AssessmentScore | None,
    previous_validated: AssessmentScore | None,
    cycle_closed: bool,
) -> StatusResult:
    """Return the member's status for a cycle.

    ``current`` is the scored assessment submitted or validated in this cycle (None when there is
    none); ``previous_validated`` is the member's validated assessment in the most recent earlier
    cycle that has one (None when there is none). ``cycle_closed`` only matters without a
    submission: a closed cycle means "Not submitted", an open one "Awaiting submission".
    """
    if current is None:
        if cycle_closed:
            return StatusResult(
                MembershipStatus.NOT_SUBMITTED,
                "the cycle closed without a submitted assessment",
            )
        return StatusResult(
            MembershipStatus.AWAITING_SUBMISSION,
            "the cycle is open and no assessment has been submitted yet",
        )

    unmet_now = current.core_not_met
    if not unmet_now:
        core_count = sum(1 for s in current.standards if s.core)
        return StatusResult(
            MembershipStatus.MEETS_STANDARDS,
            f"all {core_count} core standards met this cycle",
        )

    unmet_before = () if previous_validated is None else previous_validated.core_not_met
    if unmet_before:
        both = tuple(s for s in unmet_now if s in unmet_before)
        reason = (
            f"core standards not met this cycle ({_ids(unmet_now)}) and in the previous "
            f"validated cycle ({_ids(unmet_before)})"
        )
        if both:
            reason += f"; not met in both: {_ids(both)}"
        return StatusResult(MembershipStatus.AT_RISK, reason, unmet_now, unmet_before)

    if previous_validated is None:
        history = "no previous validated cycle"
    else:
        history = "all core standards were met in the previous validated cycle"
    return StatusResult(
        MembershipStatus.IMPROVEMENT_REQUIRED,
        f"core standards not met this cycle ({_ids(unmet_now)}); {history}",
        unmet_now,
    )
