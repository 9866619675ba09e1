"""A section's structure for saving, read once per process (issue #21 goal 3).

Every save needs the section's questions (to build and validate its form, and to know which
answers to write) but none of what the page shows around them. Reading them as ORM objects
(the domain, its standards and questions, joined) was about a sixth of a save's CPU, and one of
its queries, on every save. A snapshot never changes once imported, and one that a cycle uses
cannot be deleted (its foreign keys restrict it), so the structure read for one save holds for
every later save of that snapshot's section: it is kept per app, keyed by snapshot and
section, as copies that belong to no session (column values only, never loaded or written
through it).

Only a save that succeeds uses the copy. A save that shows the form again (an error, a
conflict) reads the page afresh (``load_section``), so pages are always drawn from the
database.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import inspect

from ..models import Assessment, SnapshotDomain, SnapshotQuestion, SnapshotStandard
from .forms import SectionFormBase, section_form_class
from .sections import SectionPage, load_section

_KEY = "selfassess.section_cache"

M = TypeVar("M", SnapshotDomain, SnapshotStandard, SnapshotQuestion)


@dataclass(frozen=True)
class _Kept:
    """One section's structure as kept: everything a ``SectionPage`` holds but the answers."""

    domain: SnapshotDomain
    scale: list[tuple[str, str]]
    previous_code: str | None
    next_code: str | None
    adjustments: dict[str, dict[str, Any]]
    form_class: type[SectionFormBase]


def section_for_saving(
    assessment: Assessment, code: str
) -> tuple[SectionPage, type[SectionFormBase]] | None:
    """The section page for a save of domain ``code`` and its form's class (None if no such
    domain); its structure from this process's copy once read, the form class built once."""
    kept_by_key: dict[tuple[int, str], _Kept] = current_app.extensions.setdefault(_KEY, {})
    key = (assessment.cycle.snapshot_id, code)
    kept = kept_by_key.get(key)
    if kept is None:
        page = load_section(assessment, code, with_answers=False)
        if page is None:
            return None
        kept = _keep(page)
        kept_by_key[key] = kept
    page = SectionPage(
        assessment=assessment,
        domain=kept.domain,
        scale=kept.scale,
        stored={},
        previous_code=kept.previous_code,
        next_code=kept.next_code,
        adjustments=kept.adjustments,
    )
    return page, kept.form_class


def _keep(page: SectionPage) -> _Kept:
    domain = _copy(page.domain)
    for standard in page.domain.standards:
        kept = _copy(standard)
        kept.questions = [_copy(question) for question in standard.questions]
        domain.standards.append(kept)
    questions = [q for s in domain.standards for q in SectionPage.member_questions(s)]
    return _Kept(
        domain=domain,
        scale=list(page.scale),
        previous_code=page.previous_code,
        next_code=page.next_code,
        adjustments=copy.deepcopy(page.adjustments),
        form_class=section_form_class(questions, page.scale),
    )


def _copy(row: M) -> M:
    """A copy of ``row``'s column values in a new object that belongs to no session."""
    values = {
        attr.key: copy.deepcopy(getattr(row, attr.key)) for attr in inspect(type(row)).column_attrs
    }
    return type(row)(**values)
