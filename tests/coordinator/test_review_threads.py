"""Per-question review threads: a reviewer comments on single questions when returning; the
trust replies while it is returned; the thread shows on the next submission's review page."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from selfassess.extensions import db
from selfassess.models import AuditEvent, ReviewComment
from tests.conftest import csrf_token, sign_in_as
from tests.coordinator.test_confidence_flags import _world


def test_comment_return_reply_and_the_thread_on_the_next_review(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, now, coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    member = make_user(("trust_user", now.membership))
    login(coordinator)
    review_url = f"/alliances/{alliance.slug}/assessments/{now.id}/"
    page = client.get(review_url)
    soup = BeautifulSoup(page.text, "html.parser")
    box = soup.find("textarea", id="qc-REL-1.1")
    assert box is not None and box["form"] == "return-form"
    response = client.post(
        f"/alliances/{alliance.slug}/assessments/{now.id}/return",
        data={
            "csrf_token": csrf_token(page.text),
            "comment": "Please add evidence for relationships.",
            "qc-REL-1.1": "What do the joint board minutes say?",
            "qc-NOPE-9.9": "ignored: not a question of this assessment",
            "qc-REL-1.2": "   ",
        },
    )
    assert response.status_code == 302, response.text
    [comment] = db.session.scalars(select(ReviewComment)).all()
    assert (comment.question_code, comment.author_role, comment.author_id) == (
        "REL-1.1",
        "reviewer",
        coordinator.id,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment.return"))
    assert event.after["question_comments"] == ["REL-1.1"]

    sign_in_as(client, login, member)
    base = f"/trusts/{now.membership.trust.code}/assessments/{now.id}"
    tasks = client.get(f"{base}/").text
    assert "Your reviewer commented on 1 question" in tasks
    thread_page = client.get(f"{base}/review-comments")
    assert "What do the joint board minutes say?" in thread_page.text
    # A blank reply is refused and says so; a reply to a question without a thread too.
    blank = client.post(
        f"{base}/review-comments",
        data={"csrf_token": csrf_token(thread_page.text), "question": "REL-1.1", "reply": " "},
    )
    assert blank.status_code == 400 and "Enter your reply" in blank.text
    stray = client.post(
        f"{base}/review-comments",
        data={"csrf_token": csrf_token(thread_page.text), "question": "REL-2.1", "reply": "Hi"},
    )
    assert stray.status_code == 400
    sent = client.post(
        f"{base}/review-comments",
        data={
            "csrf_token": csrf_token(thread_page.text),
            "question": "REL-1.1",
            "reply": "Minutes of 4 March attached as evidence.",
        },
    )
    assert sent.status_code == 302
    assert [c.author_role for c in db.session.scalars(select(ReviewComment))] == [
        "reviewer",
        "trust",
    ]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "review.replied"))

    # Submitted again, the coordinator sees the whole thread beside the question.
    now.state = "submitted"
    db.session.commit()
    sign_in_as(client, login, coordinator)
    soup = BeautifulSoup(client.get(review_url).text, "html.parser")
    items = [li.get_text(" ", strip=True) for li in soup.select("ol.review-thread li")]
    assert len(items) == 2
    assert items[0].startswith("Reviewer") and "joint board minutes" in items[0]
    assert items[1].startswith("Trust") and "Minutes of 4 March" in items[1]


def test_replies_only_while_returned_and_only_by_the_trust(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    alliance, now, _coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    db.session.add(
        ReviewComment(
            assessment_id=now.id, question_code="REL-1.1", author_role="reviewer", body="Why?"
        )
    )
    db.session.commit()
    other = make_user(("trust_user", make_membership(alliance, make_trust())))
    base = f"/trusts/{now.membership.trust.code}/assessments/{now.id}"
    login(other)
    assert client.get(f"{base}/review-comments").status_code == 403
    sign_in_as(client, login, make_user(("trust_user", now.membership)))
    page = client.get(f"{base}/review-comments")
    assert page.status_code == 200 and "Send reply" not in page.text  # submitted, not returned
    response = client.post(
        f"{base}/review-comments",
        data={"csrf_token": csrf_token(page.text), "question": "REL-1.1", "reply": "Because"},
    )
    assert response.status_code == 400
    assert [c.author_role for c in db.session.scalars(select(ReviewComment))] == ["reviewer"]


def test_the_review_page_shows_what_changed_since_the_return(
    client, login, make_alliance, make_trust, make_membership, make_user
):
    """Returned, revised through the real section form, submitted again: the reviewer sees each
    changed answer as it was and as it is, and the file added since."""
    from selfassess.models import EvidenceBlob, EvidenceFile

    alliance, now, coordinator = _world(make_alliance, make_trust, make_membership, make_user)
    member = make_user(("trust_user", now.membership))
    login(coordinator)
    page = client.get(f"/alliances/{alliance.slug}/assessments/{now.id}/")
    assert (
        client.post(
            f"/alliances/{alliance.slug}/assessments/{now.id}/return",
            data={"csrf_token": csrf_token(page.text), "comment": "Check relationships"},
        ).status_code
        == 302
    )
    sign_in_as(client, login, member)
    section_url = f"/trusts/{now.membership.trust.code}/assessments/{now.id}/sections/REL"
    form = BeautifulSoup(client.get(section_url).text, "html.parser").find(
        "form", class_="section-form"
    )
    data = {}
    for tag in form.find_all(["input", "textarea"]):
        name = tag.get("name")
        if not name:
            continue
        if tag.name == "textarea":
            data[name] = tag.get_text().lstrip("\n")
        elif tag.get("type") == "radio":
            if tag.has_attr("checked"):
                data[name] = tag["value"]
        else:
            data[name] = tag.get("value", "")
    answer = form.find("input", attrs={"type": "radio", "value": "3"})["name"]
    data[answer] = "3"
    data[answer.replace("a_", "c_", 1)] = "Joint board since April"
    assert client.post(section_url, data=data).status_code == 302
    db.session.add(
        EvidenceBlob(sha256="12" * 32, size=4, media_type="application/pdf", content=b"%PDF")
    )
    db.session.add(
        EvidenceFile(
            assessment_id=now.id,
            question_code="REL-1.1",
            blob_sha256="12" * 32,
            filename="terms.pdf",
        )
    )
    now.state = "submitted"
    db.session.commit()
    sign_in_as(client, login, coordinator)
    soup = BeautifulSoup(
        client.get(f"/alliances/{alliance.slug}/assessments/{now.id}/").text, "html.parser"
    )
    assert soup.find(id="since-returned") is not None
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in soup.select("table.revisions tbody tr")
    ]
    assert len(rows) == 1, rows
    code, then, later, files = rows[0]
    assert code.startswith("REL-1.1")
    assert then.startswith("5") and later.startswith("3") and "Joint board since April" in later
    assert files == "Added terms.pdf"
