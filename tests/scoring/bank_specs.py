"""Turn a loaded question-bank Framework into scoring specs, as a snapshot would (no database).

Mirrors ``assessments.snapshots.framework_spec``: alliance facts are left out, 2.0 fields carried.
"""

from selfassess.questionbank import FrameworkDocument, MetricQuestionDocument, YesNoQuestionDocument
from selfassess.questionbank.kinds import AnsweredBy, MetricScale
from selfassess.scoring import DomainSpec, FrameworkSpec, QuestionSpec, StandardSpec


def spec_of(framework: FrameworkDocument) -> FrameworkSpec:
    domains = []
    for domain in framework.domains:
        standards = []
        for standard in domain.standards:
            questions = []
            for q in standard.questions:
                if q.answered_by != AnsweredBy.MEMBER:
                    continue
                extra: dict[str, object] = {}
                if isinstance(q, YesNoQuestionDocument):
                    extra = {"yes_level": q.yes_level, "gates_level": q.gates_level}
                if isinstance(q, MetricQuestionDocument):
                    extra = {
                        "better": q.better,
                        "thresholds": q.thresholds,
                        "scored_by": q.scored_by,
                    }
                    if q.scored_by == MetricScale.PEER_QUARTILES:
                        extra["target"] = q.target
                questions.append(
                    QuestionSpec(q.id, q.type, weight=q.weight, required=q.required, **extra)
                )  # type: ignore[arg-type]
            standards.append(
                StandardSpec(
                    standard.id,
                    domain.id,
                    standard.core,
                    standard.target,
                    standard.weight,
                    tuple(questions),
                )
            )
        domains.append(DomainSpec(domain.id, domain.weight, tuple(standards)))
    return FrameworkSpec(tuple(domains), scoring=framework.scoring)
