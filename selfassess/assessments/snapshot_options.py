"""Framework 2.0's question fields in a snapshot's ``options`` JSON, and back into scoring specs.

Kept in ``options`` because only some kinds have them; a field at its default is left out, so the
options of 1.0 snapshots are exactly what they were. Who answers a question is a column
(``SnapshotQuestion.answered_by``) because the questionnaire's queries filter on it.
"""

from __future__ import annotations

from typing import Any

from ..models import SnapshotQuestion
from ..questionbank.kinds import AnsweredBy, MetricScale


def framework_v2_options(question: Any) -> dict[str, Any]:
    """The 2.0 fields a loaded question sets away from their defaults, as JSON."""
    options: dict[str, Any] = {}
    if getattr(question, "gates_level", None) is not None:
        options["gates_level"] = question.gates_level
    if getattr(question, "scored_by", MetricScale.THRESHOLDS) != MetricScale.THRESHOLDS:
        options["scored_by"] = str(question.scored_by)
    definition = getattr(question, "definition", None)
    if definition is not None:
        options["definition"] = definition.model_dump()
    if getattr(question, "thresholds_basis", None) is not None:
        options["thresholds_basis"] = question.thresholds_basis
    return options


def is_member_question(question: SnapshotQuestion) -> bool:
    """Whether members answer this question; alliance facts are answered once per cycle."""
    return question.answered_by == AnsweredBy.MEMBER


def spec_v2_fields(options: dict[str, Any]) -> dict[str, Any]:
    """The QuestionSpec keyword arguments that come from a snapshot question's 2.0 options."""
    fields: dict[str, Any] = {}
    if "gates_level" in options:
        fields["gates_level"] = int(options["gates_level"])
    if options.get("scored_by") == MetricScale.PEER_QUARTILES:
        fields["scored_by"] = MetricScale.PEER_QUARTILES
        fields["target"] = float(options["target"])
    return fields
