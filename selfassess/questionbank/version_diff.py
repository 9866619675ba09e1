"""What changed between a framework version and the version it continues, from the files.

A coordinator moving an alliance from one version to the next needs to know, in words, what its
members will be asked and how they will be scored: which standards are new, which were dropped,
which continue earlier ones (and with what new target, core flag or weight), whether the scoring
rule changed, which questions are now alliance facts answered once by the coordinator, and the
metrics with their definitions. Everything here is worked out from two loaded frameworks, the
same documents the checker and the importer read, so the page can never disagree with the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selfassess.questionbank.documents import (
    DomainDocument,
    FrameworkDocument,
    MetricQuestionDocument,
    QuestionDocument,
    StandardDocument,
)
from selfassess.questionbank.kinds import AnsweredBy, MetricScale, ScoringRule
from selfassess.questionbank.lineage import lineage, successors

#: How each scoring rule is described to a coordinator.
RULES = {
    ScoringRule.AVERAGED: "averaged: a standard's score is the weighted mean of its questions' "
    "levels, a yes/no answer counting as a level (a no as 1)",
    ScoringRule.GATED: "gated: yes/no criteria are the evidence for a maturity level, and an "
    "unmet criterion caps the standard below the level it belongs to",
}


@dataclass(frozen=True)
class Difference:
    """One field of a continued standard that changed: what it was and what it is."""

    field: str  # "target", "core", "weight", "domain", "statement"
    before: str
    after: str

    def __str__(self) -> str:
        if self.field == "statement":
            return "statement reworded"
        return f"{self.field} {self.before} → {self.after}"


@dataclass(frozen=True)
class StandardLine:
    """A standard of either version, as the changes page lists it."""

    id: str
    domain: str  # the domain's name
    statement: str
    core: bool
    target: int
    weight: float


@dataclass(frozen=True)
class Continued:
    """A standard of the new version and the earlier standards it continues."""

    standard: StandardLine
    continues: tuple[str, ...]
    differences: tuple[Difference, ...]

    @property
    def kind(self) -> str:
        """ "merges" several earlier standards, or "continues" one."""
        return "merges" if len(self.continues) > 1 else "continues"


@dataclass(frozen=True)
class Removed:
    """An earlier standard that no standard of the new version continues."""

    standard: StandardLine


@dataclass(frozen=True)
class AllianceFact:
    """A question of the new version answered once by the coordinator, not by every member."""

    id: str
    text: str
    #: The earlier version asked every member this question (same id): it is no longer scored.
    was_member_question: bool


@dataclass(frozen=True)
class MetricLine:
    """A metric of the new version with its definition and how it is scored."""

    id: str
    text: str
    unit: str
    better: str
    scored_by: str
    measure: str | None
    source: str | None
    period: str | None
    thresholds_basis: str | None
    new: bool  # no metric of the earlier version asks the same question

    @property
    def scoring(self) -> str:
        if self.scored_by == MetricScale.PEER_QUARTILES:
            return "relative to peers in the cycle (quartiles)"
        return "on fixed thresholds"


@dataclass(frozen=True)
class VersionChanges:
    """Everything that changed from ``old`` to ``new``, in the order the page shows it."""

    framework: str
    title: str
    old_version: str
    new_version: str
    rule_before: str
    rule_after: str
    domains_added: tuple[str, ...]
    domains_removed: tuple[str, ...]
    added: tuple[StandardLine, ...]
    removed: tuple[Removed, ...]
    continued: tuple[Continued, ...]
    facts: tuple[AllianceFact, ...]
    metrics: tuple[MetricLine, ...]
    metrics_dropped: tuple[str, ...] = field(default=())  # earlier metric questions, in words

    @property
    def rule_changed(self) -> bool:
        return self.rule_before != self.rule_after

    @property
    def changed(self) -> tuple[Continued, ...]:
        """Continued standards whose target, core flag, weight or domain changed."""
        return tuple(
            c for c in self.continued if any(d.field != "statement" for d in c.differences)
        )


def _line(domain: DomainDocument, standard: StandardDocument) -> StandardLine:
    return StandardLine(
        id=standard.id,
        domain=domain.name,
        statement=standard.statement,
        core=standard.core,
        target=standard.target,
        weight=standard.weight,
    )


def _number(value: float) -> str:
    return f"{value:g}"


def _differences(new: StandardLine, old: list[StandardLine]) -> tuple[Difference, ...]:
    """The fields of ``new`` that differ from its predecessors' (each named when several)."""
    found = []
    for name, shown in (
        ("target", lambda s: str(s.target)),
        ("core", lambda s: "core" if s.core else "not core"),
        ("weight", lambda s: _number(s.weight)),
        ("domain", lambda s: s.domain),
    ):
        before = {shown(s) for s in old}
        after = shown(new)
        if before != {after}:
            text = shown(old[0]) if len(old) == 1 else ", ".join(f"{s.id} {shown(s)}" for s in old)
            found.append(Difference(name, text, after))
    if len(old) == 1 and old[0].statement != new.statement:
        found.append(Difference("statement", old[0].statement, new.statement))
    return tuple(found)


def version_changes(old: FrameworkDocument, new: FrameworkDocument) -> VersionChanges:
    """Compare ``new`` with the earlier version ``old`` through ``new``'s lineage."""
    old_lines = {s.id: _line(d, s) for d, s in old.standards()}
    new_lines = {s.id: _line(d, s) for d, s in new.standards()}
    links = lineage(new)
    continued = tuple(
        Continued(
            new_lines[sid],
            links[sid],
            _differences(new_lines[sid], [old_lines[p] for p in links[sid] if p in old_lines]),
        )
        for sid in new_lines
        if links[sid]
    )
    old_domains = {d.id: d.name for d in old.domains}
    new_domains = {d.id: d.name for d in new.domains}
    return VersionChanges(
        framework=new.id,
        title=new.title,
        old_version=old.version,
        new_version=new.version,
        rule_before=RULES[ScoringRule(old.scoring)],
        rule_after=RULES[ScoringRule(new.scoring)],
        domains_added=tuple(n for i, n in new_domains.items() if i not in old_domains),
        domains_removed=tuple(n for i, n in old_domains.items() if i not in new_domains),
        added=tuple(line for sid, line in new_lines.items() if not links[sid]),
        removed=tuple(Removed(line) for sid, line in old_lines.items() if not successors(new, sid)),
        continued=continued,
        facts=_facts(old, new),
        metrics=_metrics(old, new),
        metrics_dropped=tuple(
            f"{q.id}: {q.text}"
            for q in _metric_questions(old)
            if q.text not in {m.text for m in _metric_questions(new)}
        ),
    )


def _facts(old: FrameworkDocument, new: FrameworkDocument) -> tuple[AllianceFact, ...]:
    asked: dict[str, QuestionDocument] = {q.id: q for q in old.questions()}
    facts = []
    for question in new.questions():
        if question.answered_by != AnsweredBy.ALLIANCE:
            continue
        before = asked.get(question.id)
        facts.append(
            AllianceFact(
                id=question.id,
                text=question.text,
                was_member_question=before is not None and before.answered_by == AnsweredBy.MEMBER,
            )
        )
    return tuple(facts)


def _metric_questions(framework: FrameworkDocument) -> list[MetricQuestionDocument]:
    return [q for q in framework.questions() if isinstance(q, MetricQuestionDocument)]


def _metrics(old: FrameworkDocument, new: FrameworkDocument) -> tuple[MetricLine, ...]:
    earlier = {q.text for q in _metric_questions(old)}
    return tuple(
        MetricLine(
            id=q.id,
            text=q.text,
            unit=q.unit,
            better=q.better,
            scored_by=q.scored_by,
            measure=q.definition.measure if q.definition else None,
            source=q.definition.source if q.definition else None,
            period=q.definition.period if q.definition else None,
            thresholds_basis=q.thresholds_basis,
            new=q.text not in earlier,
        )
        for q in _metric_questions(new)
    )
