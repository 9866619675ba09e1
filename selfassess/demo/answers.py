"""What a demo trust answers to one question: from its profile, seeded, so every load is the same.

A standard's answers come from one latent level: the trust's level in the standard's theme that
cycle, plus a lasting offset for that trust and standard, plus a little noise for the alliance and
cycle. The maturity claim is that level rounded, sometimes one higher (an over-claim); 2.0's
criteria are met up to the level the trust really reached, with now and then one missing, so some
claims are capped, as the gated rule intends. Outcome figures come from ``metrics``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..models import SnapshotQuestion
from ..questionbank.kinds import QuestionKind
from ..questionnaire.fields import format_number
from .data import THEMES, DemoTrust
from .metrics import stay_above_shortest, trust_level_value

SYNTHETIC_TEXT = "This text stands in for the trust's own account and evidence."
#: How often a trust claims one level above what its evidence shows, and how often a criterion
#: it has in fact reached is answered "no" (evidence not found in time).
OVERCLAIM = 0.15
MISSING_EVIDENCE = 0.03
#: 1.0's yes/no questions: "yes" once the latent level is this close to the question's yes level.
YES_MARGIN_1_0 = 1.2
#: 1.0's metrics that measure the trust's part in the alliance's work, and the theme they follow.
STAY_QUESTION_1_0 = "MET-2.1"
ACTIVITY_THEME_1_0 = {"MET-2.2": "IMP", "MET-2.3": "DATA", "MET-3.3": "IMP", "MET-4.2": "IMP"}


def _rng(*parts: object) -> random.Random:
    # Seeded so the demo is the same on every machine; not used for anything secret.
    return random.Random("|".join(str(p) for p in parts))  # noqa: S311  # nosec B311


@dataclass(frozen=True)
class Context:
    """Who is answering, where and when."""

    trust: DemoTrust
    slug: str
    k: int
    framework: str
    pathway: str
    label: str  # the "[Synthetic demo answer]" prefix of free text
    #: Mean stays on the pathway of every member of the alliance this cycle (1.0's MET-2.1
    #: compares the trust's with the alliance's shortest).
    stays: tuple[tuple[str, float], ...] = ()


def latent_level(context: Context, standard: str) -> float:
    """The level the trust really reached on ``standard`` in this alliance and cycle."""
    theme = standard.split("-")[0]
    base = context.trust.level(theme if theme in THEMES else "IMP", context.k)
    lasting = _rng(context.trust.code, standard).gauss(0, 0.2)
    noise = _rng(context.trust.code, context.slug, context.k, standard).gauss(0, 0.2)
    return base + lasting + noise


def _whole(level: float) -> int:
    return max(1, min(5, round(level)))


def answer(context: Context, question: SnapshotQuestion, standard: str) -> str | None:
    """The stored answer (as the section form stores it), or None to leave it blank."""
    kind = QuestionKind(question.kind)
    rng = _rng(context.trust.code, context.slug, context.k, question.code)
    if kind is QuestionKind.TEXT:
        return f"{context.label} {SYNTHETIC_TEXT}" if rng.random() < 0.6 else None
    if kind is QuestionKind.METRIC:
        return _metric(context, question, rng)
    level = latent_level(context, standard)
    reached = _whole(level)
    if kind is QuestionKind.MATURITY:
        over = _rng(context.trust.code, context.slug, context.k, standard, "claim").random()
        return str(_whole(reached + 1) if over < OVERCLAIM else reached)
    gate = question.options.get("gates_level")
    if gate is not None:  # a 2.0 criterion: met up to the level really reached
        met = int(gate) <= reached and rng.random() >= MISSING_EVIDENCE
    else:
        met = level >= int(question.options.get("yes_level", 5)) - YES_MARGIN_1_0
    return "yes" if met else "no"


def _metric(context: Context, question: SnapshotQuestion, rng: random.Random) -> str:
    value = trust_level_value(
        context.framework, question.code, context.trust.code, context.k, context.pathway
    )
    if value is None and question.code == STAY_QUESTION_1_0 and context.stays:
        value = stay_above_shortest(dict(context.stays), context.trust.code)
    if value is None:
        theme = ACTIVITY_THEME_1_0.get(question.code, "IMP")
        value = band_value(question.options, _whole(context.trust.level(theme, context.k)), rng)
    return format_number(value)


def band_value(options: dict[str, object], level: int, rng: random.Random) -> float:
    """A value inside the band of ``level`` on the metric's thresholds, within its range."""
    t = {int(k): float(v) for k, v in options["thresholds"].items()}  # type: ignore[attr-defined]
    step = (t[5] - t[2]) / 3 or 1.0
    edges = {
        1: (t[2] - step, t[2]),
        2: (t[2], t[3]),
        3: (t[3], t[4]),
        4: (t[4], t[5]),
        5: (t[5], t[5] + step),
    }
    low, high = edges[level]
    value = low + (high - low) * rng.uniform(0.15, 0.85)
    lowest, highest = options.get("min"), options.get("max")
    if lowest is not None:
        value = max(value, float(lowest))  # type: ignore[arg-type]
    if highest is not None:
        value = min(value, float(highest))  # type: ignore[arg-type]
    whole_units = options.get("unit") in ("specialties", "£000")
    return float(round(value)) if whole_units else round(value, 1)
