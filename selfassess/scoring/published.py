"""The published alliance summary: when a cycle may be published, and what each member shows.

After the Data Security and Protection Toolkit, which publishes each organisation's status and
nothing else. An alliance may publish, per cycle, each member's **membership status**, never a
score, index, answer or peer figure. Only a *settled* cycle may be published: closed, with no
submitted self-assessment awaiting review, so nothing on the page can change afterwards (a closed
cycle takes no submissions, only a submitted assessment can be returned, and validating changes
no score). Every member with an assessment in the cycle is listed: a validated one with its
status, any other as "Not submitted" (the status of a member with no validated submission).
"""

from __future__ import annotations

from selfassess.scoring.status import MembershipStatus

#: The statuses a published summary may show; anything else shows as "Not submitted".
PUBLIC_STATUSES = frozenset(
    {
        MembershipStatus.MEETS_STANDARDS.value,
        MembershipStatus.IMPROVEMENT_REQUIRED.value,
        MembershipStatus.AT_RISK.value,
    }
)


def publish_refusal(closed: bool, awaiting_review: int) -> str | None:
    """Why a cycle's summary cannot be published yet, or None when it can."""
    if not closed:
        return "Only a closed cycle can be published: statuses change until it closes."
    if awaiting_review:
        noun = "self-assessment is" if awaiting_review == 1 else "self-assessments are"
        return (
            f"{awaiting_review} submitted {noun} still waiting for review: validate or return "
            "every submission before publishing, so no published status can change."
        )
    return None


def public_status(validated: bool, status: str | None) -> str:
    """What the public page says of a member: its status when validated, else "Not submitted"."""
    if validated and status in PUBLIC_STATUSES:
        return str(status)
    return MembershipStatus.NOT_SUBMITTED.value
