""" "Where to improve": unmet standards, core first, with the answers behind them and guidance."""

from __future__ import annotations

from typing import Any

from ..assessments.scores import typed_value
from ..assessments.snapshot_options import spec_v2_fields
from ..questionbank.kinds import MetricScale, QuestionKind
from ..scoring import QuestionSpec, question_level
from ..scoring.formatting import fmt_quantity
from . import queries
from .figures import AnswerLine, Improvement, StandardLine
from .queries import QuestionRow


def improvements(
    snapshot_id: int, assessment_id: int, standards: list[StandardLine]
) -> list[Improvement]:
    """Unmet standards, core ones first, then by how far below target (one query)."""
    unmet = [s for s in standards if s.met is False or (s.standard.core and s.met is None)]
    unmet.sort(key=lambda s: (not s.standard.core, (s.score or 1.0) - s.standard.target))
    rows = queries.questions(snapshot_id, assessment_id, [s.standard.code for s in unmet])
    by_standard: dict[str, list[AnswerLine]] = {}
    for row in rows:
        by_standard.setdefault(row.standard_code, []).append(_answer_line(row))
    return [Improvement(line=s, answers=by_standard.get(s.standard.code, [])) for s in unmet]


def _spec(row: QuestionRow) -> QuestionSpec:
    """The scoring record of a question, as ``snapshots.framework_spec`` builds it."""
    kind = QuestionKind(row.kind)
    metric = kind is QuestionKind.METRIC
    options: dict[str, Any] = row.options or {}
    return QuestionSpec(
        id=row.code,
        kind=kind,
        weight=row.weight,
        required=row.required,
        yes_level=int(options.get("yes_level", 5)),
        better=options["better"] if metric else None,
        thresholds={int(k): float(v) for k, v in options["thresholds"].items()} if metric else None,
        **spec_v2_fields(options),
    )


def _answer_line(row: QuestionRow) -> AnswerLine:
    """One answer and the level it reaches on its own. A gated framework's criterion reaches no
    level (it caps the standard's claim instead), and a metric scored against the cycle's
    quartiles has no level of its own outside the stored score: both say so in words."""
    spec = _spec_or_none(row)
    level: int | None = None
    note = ""
    if spec is not None and spec.gates_level is not None:
        note = _criterion_note(spec.gates_level, row.value)
    elif spec is not None and spec.scored_by is MetricScale.PEER_QUARTILES:
        note = "scored against this cycle's quartiles"
    elif spec is not None and row.value not in (None, ""):
        try:
            level = question_level(spec, typed_value(row.kind, row.value))
        except (ValueError, KeyError, TypeError):
            level = None  # a stored value the rules refuse shows as "no level", never a 500
    answer = _answer_text(row)
    return AnswerLine(
        code=row.code,
        text=row.text,
        kind=row.kind,
        answer=f"{answer} ({note})" if note else answer,
        level=level,
        guidance=row.guidance,
        comment=row.comment,
    )


def _spec_or_none(row: QuestionRow) -> QuestionSpec | None:
    try:
        return _spec(row)
    except (ValueError, KeyError, TypeError):
        return None  # options the rules refuse: the answer is shown without a level


def _criterion_note(gates_level: int, value: str | None) -> str:
    met = (value or "").strip().lower() == "yes"
    if met:
        return f"criterion for level {gates_level}: met"
    return f"criterion for level {gates_level} not met: caps this standard at {gates_level - 1}"


def _answer_text(row: QuestionRow) -> str:
    """The answer in words: the level's descriptor, Yes/No, the number with its unit."""
    value = (row.value or "").strip()
    if not value:
        return "Not answered"
    options = row.options or {}
    kind = QuestionKind(row.kind)
    if kind is QuestionKind.MATURITY:
        descriptor = (options.get("levels") or {}).get(value)
        return f"Level {value}: {descriptor}" if descriptor else f"Level {value}"
    if kind is QuestionKind.YES_NO:
        return value.capitalize()
    if kind is QuestionKind.METRIC:
        try:
            return fmt_quantity(float(value), options.get("unit"))
        except ValueError:
            return f"{value} {options.get('unit') or ''}".strip()
    return value
