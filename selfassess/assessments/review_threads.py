"""Per-question review threads: the reviewer's comments written as a self-assessment is
returned (by ``transitions.return_assessment``, in its transaction), and the trust's replies
while it is returned. Read back per question for the section, thread and review pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Assessment, AssessmentState, ReviewComment, SnapshotQuestion, User
from .answers import NotEditable, editable
from .locking import lock_assessment

#: Long enough for a paragraph; the same limit as an answer's evidence comment.
MAX_COMMENT = 5000


def add_reviewer_comments(
    assessment: Assessment, comments: Mapping[str, str], reviewer_id: int | None
) -> list[str]:
    """Add the reviewer's non-blank comments (the caller's transaction commits them with the
    return). Returns the question codes commented on."""
    codes = []
    for code, body in comments.items():
        text = body.strip()
        if text:
            db.session.add(
                ReviewComment(
                    assessment_id=assessment.id,
                    question_code=code,
                    author_role="reviewer",
                    author_id=reviewer_id,
                    body=text[:MAX_COMMENT],
                )
            )
            codes.append(code)
    return codes


def member_question_codes(assessment: Assessment) -> list[str]:
    """The codes of the questions members answer in the assessment's framework (one query)."""
    return list(
        db.session.scalars(
            select(SnapshotQuestion.code).where(
                SnapshotQuestion.snapshot_id == assessment.cycle.snapshot_id,
                SnapshotQuestion.answered_by == "member",
            )
        )
    )


def threads(assessment_id: int) -> dict[str, list[ReviewComment]]:
    """Every thread of the assessment, by question code, oldest message first (one query)."""
    found: dict[str, list[ReviewComment]] = defaultdict(list)
    for comment in db.session.scalars(
        select(ReviewComment)
        .where(ReviewComment.assessment_id == assessment_id)
        .order_by(ReviewComment.id)
    ):
        found[comment.question_code].append(comment)
    return dict(found)


def reply(assessment: Assessment, code: str, body: str, user: User) -> ReviewComment:
    """The trust's reply on a question the reviewer commented on, while the self-assessment is
    returned to it; audited, committed."""
    locked = lock_assessment(assessment.id)
    if locked.state != AssessmentState.RETURNED or not editable(locked):
        raise NotEditable("Replies can be written while the self-assessment is returned to you.")
    if code not in threads(locked.id):
        raise LookupError("no reviewer comment on that question")
    text = body.strip()
    if not text:
        raise ValueError("Enter your reply")
    comment = ReviewComment(
        assessment_id=locked.id,
        question_code=code,
        author_role="trust",
        author_id=user.id,
        body=text[:MAX_COMMENT],
    )
    db.session.add(comment)
    db.session.flush()
    membership = locked.membership
    audit.record(
        "review.replied",
        "assessment",
        locked.id,
        after={"question": code, "comment": comment.id, "body": comment.body},
        alliance_id=membership.alliance_id,
        trust_id=membership.trust_id,
        actor_id=user.id,
    )
    db.session.commit()
    return comment
