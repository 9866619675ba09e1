"""How each question appears in the workbook: what to type, the descriptors, the drop-down.

Kept beside the form-field registry's rules: levels come from the question's own descriptors
and yes/no is the same pair the section page offers, so a drop-down never allows what the web
form would refuse.
"""

from __future__ import annotations

from ..models import SnapshotQuestion, SnapshotStandard
from ..questionbank.kinds import QuestionKind
from ..questionnaire.fields import MAX_TEXT
from .writing import QuestionRow


def _levels(question: SnapshotQuestion) -> list[tuple[str, str]]:
    levels: dict[str, str] = question.options.get("levels", {})
    return sorted((str(k), v) for k, v in levels.items())


def _how(question: SnapshotQuestion) -> tuple[str, tuple[str, ...], str]:
    """Instructions, allowed choices and descriptors for ``question``."""
    kind = QuestionKind(question.kind)
    if kind is QuestionKind.MATURITY:
        levels = _levels(question)
        codes = tuple(level for level, _ in levels)
        return (
            f"Choose a level from the list ({codes[0]} to {codes[-1]})"
            if codes
            else "Choose a level",
            codes,
            "\n".join(f"{k}: {v}" for k, v in levels),
        )
    if kind is QuestionKind.YES_NO:
        gates = question.options.get("gates_level")
        if gates is not None:  # a gated framework's criterion: it caps, it is not averaged
            return (
                "Choose yes or no from the list",
                ("yes", "no"),
                f"Evidence for level {gates}: no (or no answer) caps the standard at "
                f"level {int(gates) - 1}",
            )
        yes_level = question.options.get("yes_level", 5)
        return (
            "Choose yes or no from the list",
            ("yes", "no"),
            f"Yes counts as level {yes_level}, no as level 1",
        )
    if kind is QuestionKind.METRIC:
        options = question.options
        unit = options.get("unit")
        parts = [f"Type a number{f' in {unit}' if unit else ''}, like 92.5"]
        low, high = options.get("min"), options.get("max")
        if low is not None and high is not None:
            parts.append(f"between {low:g} and {high:g}")
        elif low is not None:
            parts.append(f"of {low:g} or more")
        elif high is not None:
            parts.append(f"of {high:g} or less")
        better = "higher" if options.get("better") == "higher" else "lower"
        thresholds = sorted((int(k), float(v)) for k, v in options.get("thresholds", {}).items())
        steps = "; ".join(f"level {level} at {value:g}" for level, value in thresholds)
        if options.get("scored_by") == "peer_quartiles":
            return (
                " ".join(parts),
                (),
                (
                    f"{better.capitalize()} is better: scored against the cycle's quartiles "
                    f"(these levels apply while fewer than 4 members report it: {steps})"
                ),
            )
        return " ".join(parts), (), f"{better.capitalize()} is better: {steps}" if steps else ""
    return f"Free text, up to {MAX_TEXT} characters (not scored)", (), ""


def _standard(standard: SnapshotStandard) -> str:
    core = "core, " if standard.core else ""
    return f"{standard.code} ({core}target {standard.target:g}): {standard.statement}"


def question_row(question: SnapshotQuestion, value: str | None, comment: str | None) -> QuestionRow:
    """The workbook row of ``question`` holding its stored answer."""
    how, choices, descriptors = _how(question)
    return QuestionRow(
        code=question.code,
        text=question.text,
        how=how,
        descriptors=descriptors,
        guidance=question.guidance,
        standard=_standard(question.standard),
        required=question.required,
        choices=choices,
        value=value,
        comment=comment,
    )
