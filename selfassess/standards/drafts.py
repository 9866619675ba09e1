"""Use cases of an alliance's draft version: start it, add or change a standard, remove one,
check it, publish it, import or export a version as files.

A draft is a base version plus the standards the coordinator wrote. Every check goes through
``questionbank.drafting.draft_framework``, which writes the files and runs the one checker, so
the form shows the same messages ``flask questions check`` would print for the same files.
Publishing keeps the checked files as an immutable version owned by the alliance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .. import audit
from ..access import RecordMissing
from ..assessments.versions import (
    OWN,
    VersionChoice,
    VersionRefused,
    available_versions,
    document_of,
    files_of,
    import_files,
    snapshot_of,
)
from ..extensions import db
from ..models import Alliance, FrameworkDraft, FrameworkSnapshot, User
from ..questionbank import FrameworkDocument
from ..questionbank.drafting import draft_framework
from ..questionbank.fieldmap import FieldProblem
from ..questionbank.loader import domain_stems
from ..questionbank.problems import Problem
from .services import version_choice

#: The framework id every version the alliance writes or imports starts with.
SUFFIX = "standards"


def id_prefix(alliance: Alliance) -> str:
    """``<slug>-``: an alliance's framework ids live in its own namespace (see versions.py)."""
    return f"{alliance.slug[:48].rstrip('-')}-"


@dataclass
class DraftCheck:
    """A draft as the checker sees it: its files, the framework if clean, problems by field."""

    draft: FrameworkDraft
    base: VersionChoice
    base_document: FrameworkDocument
    files: dict[str, str]
    document: FrameworkDocument | None
    problems: list[FieldProblem] = field(default_factory=list)

    def for_standard(self, code: str) -> list[FieldProblem]:
        """The problems of one new standard, with paths relative to it."""
        prefix = f"standards[{code}]"
        return [p for p in self.problems if p.field and p.field.startswith(prefix)]

    @property
    def elsewhere(self) -> list[FieldProblem]:
        """Problems that are not about one of the draft's new standards."""
        return [p for p in self.problems if not (p.field or "").startswith("standards[")]


class DraftRefused(ValueError):
    """A draft that cannot be published or changed as asked."""


def current_draft(alliance: Alliance) -> FrameworkDraft | None:
    return db.session.scalar(
        select(FrameworkDraft).where(FrameworkDraft.alliance_id == alliance.id)
    )


def start_draft(
    alliance: Alliance, questions_dir: Path, base_key: str, version: str, title: str, user: User
) -> FrameworkDraft:
    """Start the alliance's next version from ``base_key``; refused while a draft exists."""
    if current_draft(alliance) is not None:
        raise DraftRefused("Your alliance already has a draft. Publish or discard it first.")
    base = version_choice(alliance, questions_dir, base_key)
    snapshot = snapshot_of(base, questions_dir)
    framework_id = base.framework_id if base.origin == OWN else f"{id_prefix(alliance)}{SUFFIX}"
    draft = FrameworkDraft(
        alliance_id=alliance.id,
        base_snapshot_id=snapshot.id,
        framework_id=framework_id,
        version=version.strip(),
        title=title.strip(),
        domains=[],
        standards=[],
        updated_by_id=user.id,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        "framework_draft.started",
        "alliance",
        alliance.id,
        after={"base": base.key, "framework": framework_id, "version": draft.version},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()
    return draft


def base_choice(alliance: Alliance, draft: FrameworkDraft, questions_dir: Path) -> VersionChoice:
    snapshot = db.session.get_one(FrameworkSnapshot, draft.base_snapshot_id)
    for choice in available_versions(alliance.id, questions_dir):
        if (choice.framework_id, choice.version) == (snapshot.framework_key, snapshot.version):
            return choice
    raise RecordMissing("the draft's base version is no longer available")


def check(
    alliance: Alliance,
    draft: FrameworkDraft,
    questions_dir: Path,
    standards: list[dict[str, Any]] | None = None,
    domains: list[dict[str, Any]] | None = None,
) -> DraftCheck:
    """Write and check the draft (with ``standards`` or ``domains`` in place of its own)."""
    base = base_choice(alliance, draft, questions_dir)
    document = document_of(base, alliance.id, questions_dir)
    files, framework, problems = draft_framework(
        document,
        [_typed(s) for s in (draft.standards if standards is None else standards)],
        draft.version,
        draft.framework_id,
        draft.title,
        stems=domain_stems(files_of(base, questions_dir)),
        new_domains=draft.domains if domains is None else domains,
    )
    return DraftCheck(draft, base, document, files, framework, [_plain(p) for p in problems])


def _typed(standard: Mapping[str, Any]) -> dict[str, Any]:
    """A stored draft standard with its level descriptors keyed by int again: JSON keeps object
    keys as strings, the files key levels by number."""
    questions = []
    for question in standard.get("questions") or []:
        levels = question.get("levels")
        if isinstance(levels, dict):
            question = {
                **question,
                "levels": {int(k) if str(k).isdigit() else k: v for k, v in levels.items()},
            }
        questions.append(question)
    return {**standard, "questions": questions}


def _plain(problem: FieldProblem) -> FieldProblem:
    """The checker's words, except where a person would say it differently."""
    field = problem.field or ""
    if field.startswith("new_domains[") and field.endswith("].standards"):
        code = field[len("new_domains[") : -len("].standards")]
        return FieldProblem(field, f"add a standard to the {code} domain", problem.problem)
    return problem


def save_standard(
    alliance: Alliance,
    draft: FrameworkDraft,
    questions_dir: Path,
    standard: dict[str, Any],
    user: User,
    *,
    replacing: str | None = None,
) -> list[FieldProblem]:
    """Add ``standard`` to the draft (or put it in place of ``replacing``) if the checker finds
    nothing wrong with it; otherwise save nothing and return its problems."""
    code = str(standard.get("id") or "")
    others = [s for s in draft.standards if s.get("id") not in {replacing, code}]
    if replacing is None and any(s.get("id") == code for s in draft.standards):
        return [FieldProblem(f"standards[{code}].id", f"the draft already has {code}")]
    checked = check(alliance, draft, questions_dir, [*others, standard])
    mine = checked.for_standard(code)
    if mine:
        return mine
    position = next((i for i, s in enumerate(draft.standards) if s.get("id") == replacing), None)
    updated = list(others)
    updated.insert(len(updated) if position is None else position, standard)
    before = next((s for s in draft.standards if s.get("id") == replacing), None)
    draft.standards = updated
    draft.updated_by_id = user.id
    audit.record(
        "framework_draft.standard_saved",
        "alliance",
        alliance.id,
        before={"standard": before},
        after={"standard": standard, "draft": draft.version},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()
    return []


def add_domain(
    alliance: Alliance,
    draft: FrameworkDraft,
    questions_dir: Path,
    domain: dict[str, Any],
    user: User,
) -> list[FieldProblem]:
    """Add a new domain if the checker finds nothing wrong with it; else return its problems."""
    code = str(domain.get("id") or "")
    if any(d.get("id") == code for d in draft.domains):
        return [FieldProblem(f"new_domains[{code}].id", f"the draft already has {code}")]
    candidate = {**domain, "weight": 1}
    checked = check(alliance, draft, questions_dir, domains=[*draft.domains, candidate])
    # Until a standard is written for it, a new domain is empty: that is for the draft page.
    mine = [
        p
        for p in checked.problems
        if (p.field or "").startswith(f"new_domains[{code}]")
        and p.field != f"new_domains[{code}].standards"
    ]
    if mine:
        return mine
    draft.domains = [*draft.domains, candidate]
    draft.updated_by_id = user.id
    audit.record(
        "framework_draft.domain_added",
        "alliance",
        alliance.id,
        after={"domain": candidate, "draft": draft.version},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()
    return []


def remove_standard(alliance: Alliance, draft: FrameworkDraft, code: str, user: User) -> None:
    removed = next((s for s in draft.standards if s.get("id") == code), None)
    if removed is None:
        raise RecordMissing("no such standard in the draft")
    draft.standards = [s for s in draft.standards if s.get("id") != code]
    draft.updated_by_id = user.id
    audit.record(
        "framework_draft.standard_removed",
        "alliance",
        alliance.id,
        before={"standard": removed},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.commit()


def discard(alliance: Alliance, draft: FrameworkDraft, user: User) -> None:
    audit.record(
        "framework_draft.discarded",
        "alliance",
        alliance.id,
        before={"version": draft.version, "standards": draft.standards},
        alliance_id=alliance.id,
        actor_id=user.id,
    )
    db.session.delete(draft)
    db.session.commit()


def publish(
    alliance: Alliance, draft: FrameworkDraft, questions_dir: Path, user: User
) -> FrameworkSnapshot:
    """Publish a clean draft as the alliance's own immutable version; the draft is removed."""
    checked = check(alliance, draft, questions_dir)
    if checked.document is None:
        raise DraftRefused("The draft has problems. Correct them before publishing.")
    try:
        snapshot = import_files(
            checked.files,
            alliance_id=alliance.id,
            id_prefix=id_prefix(alliance),
            questions_dir=questions_dir,
            action="framework.published",
        )
    except VersionRefused as refused:
        raise DraftRefused(str(refused)) from refused
    db.session.delete(draft)
    db.session.commit()
    return snapshot


def import_version(
    alliance: Alliance | None, files: Mapping[str, str], questions_dir: Path, user: User
) -> FrameworkSnapshot:
    """Keep uploaded files as a version: the alliance's own, or shared (``alliance`` None, a
    site administrator's). Raises VersionRefused with the checker's problems."""
    snapshot = import_files(
        files,
        alliance_id=alliance.id if alliance else None,
        id_prefix=id_prefix(alliance) if alliance else None,
        questions_dir=questions_dir,
        action="framework.uploaded",
    )
    db.session.commit()
    return snapshot


def problem_lines(problems: list[Problem]) -> list[str]:
    """Problems as ``file:line: field: message``, the way ``flask questions check`` prints."""
    return [str(p) for p in problems]
