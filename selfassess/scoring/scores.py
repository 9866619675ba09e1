"""Score one assessment: question levels -> standard scores -> domain scores and indices -> overall.

Means are computed exactly (``fractions.Fraction`` over the floats given) and turned into a float
once per step. Two things follow that plain float sums would not guarantee: a weighted mean of
equal levels is exactly that level (so "every answer at level 3, target 3" is met), and raising one
answer never lowers any score. Nothing is rounded here; ``rounding`` is for display and export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from selfassess.questionbank.kinds import SCORED_KINDS, QuestionKind, ScoringRule
from selfassess.scoring.gated import Criterion, gated_score
from selfassess.scoring.quartiles import CycleValues, metric_level_in_cycle
from selfassess.scoring.rounding import format_index, format_level, format_score
from selfassess.scoring.rules import is_answered, is_yes, question_level
from selfassess.scoring.specs import (
    MIN_LEVEL,
    Answers,
    AnswerValue,
    DomainSpec,
    FrameworkSpec,
    StandardSpec,
)

NO_ANSWERS = "no answers"
NO_SCORED_QUESTIONS = "no scored questions"


@dataclass(frozen=True)
class QuestionLevel:
    """One question's answer as entered and the level it reached (None: text or unanswered)."""

    id: str
    kind: QuestionKind
    weight: float
    value: AnswerValue
    level: int | None


@dataclass(frozen=True)
class StandardScore:
    """A standard's score, whether it is met, and why.

    ``answered`` counts the scored questions that were answered, ``scored_questions`` all scored
    questions of the standard; ``met`` is None when there is no score to compare with the target.
    """

    id: str
    domain_id: str
    score: float | None
    target: float
    met: bool | None
    core: bool
    answered: int
    scored_questions: int
    reason: str
    weight: float
    questions: tuple[QuestionLevel, ...] = ()
    #: Whether a moderation panel set this standard's level (``moderation``): ``score`` is
    #: then the panel's level, the one that counts, and ``self_assessed`` the member's own.
    moderated: bool = False
    self_assessed: float | None = None


@dataclass(frozen=True)
class DomainScore:
    """A domain's score on the 1-5 scale and as an index 0-100 (None when no standard scored)."""

    id: str
    score: float | None
    index: float | None
    weight: float
    reason: str


@dataclass(frozen=True)
class AssessmentScore:
    """Every standard and domain score of one assessment, and the overall index."""

    standards: tuple[StandardScore, ...]
    domains: tuple[DomainScore, ...]
    index: float | None
    reason: str

    def standard(self, standard_id: str) -> StandardScore:
        """Return one standard's score by id (KeyError if the framework has no such standard)."""
        for standard in self.standards:
            if standard.id == standard_id:
                return standard
        raise KeyError(standard_id)

    def domain(self, domain_id: str) -> DomainScore:
        """Return one domain's score by id (KeyError if the framework has no such domain)."""
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    @property
    def not_met(self) -> tuple[str, ...]:
        """Standards scored below their target (the ones buddying can help with)."""
        return tuple(s.id for s in self.standards if s.met is False)

    @property
    def met_count(self) -> int:
        """How many standards are met (stored with the result: dashboards count members by it)."""
        return sum(1 for s in self.standards if s.met is True)

    @property
    def core_not_met(self) -> tuple[str, ...]:
        """Core standards not shown to be met: below target, or with no answers to score."""
        return tuple(s.id for s in self.standards if s.core and s.met is not True)


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Return the weighted mean of ``(value, weight)`` pairs, or None when there are none.

    Exact rational arithmetic, one rounding at the end: see the module docstring for why. Every
    float is an integer over a power of two, so the sums are kept as integers over a common
    power of two and divided once (``int / int`` rounds correctly, as ``float(Fraction)`` does):
    the same result as summing ``Fraction`` objects, several times faster, which matters when
    ``flask scores rebuild`` scores a national instance.
    """
    total, total_weight, scale = 0, 0, 1  # both sums are (integer / scale); scale = 2**k
    for value, weight in pairs:
        value_num, value_den = float(value).as_integer_ratio()
        weight_num, weight_den = float(weight).as_integer_ratio()
        den = value_den * weight_den
        if den > scale:  # powers of two: the larger is a multiple of the smaller
            factor = den // scale
            total, total_weight, scale = total * factor, total_weight * factor, den
        total += value_num * weight_num * (scale // den)
        total_weight += weight_num * (scale // weight_den)
    if total_weight == 0:
        return None
    return total / total_weight


def score_to_index(score: float) -> float:
    """Turn a 1-5 score into an index 0-100: (score - 1) / 4 x 100."""
    return float((Fraction(score) - MIN_LEVEL) / 4 * 100)


def missing_required(framework: FrameworkSpec, answers: Answers) -> list[str]:
    """List the required questions (free text included) left unanswered; these block submission."""
    return [q.id for q in framework.questions if q.required and not is_answered(answers.get(q.id))]


def invalid_answers(framework: FrameworkSpec, answers: Answers) -> dict[str, str]:
    """Map each question whose answer cannot be scored to why, so a form can show them all."""
    errors: dict[str, str] = {}
    for question in framework.questions:
        try:
            question_level(question, answers.get(question.id))
        except ValueError as error:
            errors[question.id] = str(error)
    return errors


def score_standard(
    standard: StandardSpec,
    answers: Answers,
    rule: ScoringRule = ScoringRule.AVERAGED,
    cycle_values: CycleValues | None = None,
) -> StandardScore:
    """Score one standard by its framework's rule (README "Scoring").

    Averaged (1.0), and gated standards made of metrics only: the weighted mean of the answered
    scored questions' levels. Gated with a maturity question: the claim capped by its criteria
    (``gated``). ``cycle_values`` holds the cycle's values of metrics scored by quartile.
    """
    levels = tuple(
        QuestionLevel(
            id=q.id,
            kind=q.kind,
            weight=q.weight,
            value=answers.get(q.id),
            level=metric_level_in_cycle(q, answers.get(q.id), cycle_values),
        )
        for q in standard.questions
    )
    scored = [q for q in levels if q.kind in SCORED_KINDS]
    answered = [q for q in scored if q.level is not None]
    score = weighted_mean((q.level, q.weight) for q in answered if q.level is not None)
    gated_reason = None
    if rule is ScoringRule.GATED and any(q.kind is QuestionKind.MATURITY for q in scored):
        score, gated_reason = _gated(standard, levels)
    met = None if score is None else score >= standard.target
    return StandardScore(
        id=standard.id,
        domain_id=standard.domain_id,
        score=score,
        target=standard.target,
        met=met,
        core=standard.core,
        answered=len(answered),
        scored_questions=len(scored),
        reason=_standard_reason(score, standard.target, len(answered), len(scored), gated_reason),
        weight=standard.weight,
        questions=levels,
    )


def _gated(standard: StandardSpec, levels: tuple[QuestionLevel, ...]) -> tuple[float | None, str]:
    """The gated score of a standard with a maturity question (None while no claim is made)."""
    claim = weighted_mean(
        (q.level, q.weight)
        for q in levels
        if q.kind is QuestionKind.MATURITY and q.level is not None
    )
    if claim is None:
        return None, NO_ANSWERS
    specs = {q.id: q for q in standard.questions}
    criteria = [
        Criterion(q.id, gates, met=is_answered(q.value) and is_yes(specs[q.id], q.value))
        for q in levels
        if (gates := specs[q.id].gates_level) is not None
    ]
    result = gated_score(claim, criteria)
    return result.score, result.reason


def _standard_reason(
    score: float | None, target: float, answered: int, scored: int, gated: str | None = None
) -> str:
    if scored == 0:
        return NO_SCORED_QUESTIONS
    if score is None:
        return NO_ANSWERS
    verdict = "at or above" if score >= target else "below"
    outcome = "met" if score >= target else "not met"
    basis = (
        f"{gated}; score {format_score(score)}"
        if gated is not None
        else f"score {format_score(score)} from {answered} of {scored} scored questions answered"
    )
    return f"{basis}; {verdict} target {format_level(target)}: {outcome}"


def score_domain(domain: DomainSpec, standards: Iterable[StandardScore]) -> DomainScore:
    """Score one domain: the weighted mean of its standards' scores, leaving out unscored ones."""
    members = [s for s in standards if s.domain_id == domain.id]
    scored = [s for s in members if s.score is not None]
    score = weighted_mean((s.score, s.weight) for s in scored if s.score is not None)
    index = None if score is None else score_to_index(score)
    if score is None:
        reason = "no standard in this domain has a score"
    else:
        left_out = [s.id for s in members if s.score is None]
        reason = (
            f"weighted mean of {len(scored)} of {len(members)} standard scores = "
            f"{format_score(score)}; index ({format_score(score)} - 1) / 4 x 100 = "
            f"{format_index(index)}"
        )
        if left_out:
            reason += f"; left out with no score: {', '.join(left_out)}"
    return DomainScore(id=domain.id, score=score, index=index, weight=domain.weight, reason=reason)


def overall_index(domains: Iterable[DomainScore]) -> tuple[float | None, str]:
    """Return the plain mean of the domain indices that exist, and how it was reached."""
    domains = list(domains)
    indices = [d.index for d in domains if d.index is not None]
    if not indices:
        return None, "no domain has a score"
    index = weighted_mean((i, 1) for i in indices)
    reason = f"mean of {len(indices)} of {len(domains)} domain indices = {format_index(index)}"
    left_out = [d.id for d in domains if d.index is None]
    if left_out:
        reason += f"; left out with no score: {', '.join(left_out)}"
    return index, reason


def score_assessment(
    framework: FrameworkSpec, answers: Answers, cycle_values: CycleValues | None = None
) -> AssessmentScore:
    """Score a whole assessment; raises ValueError naming the question if an answer is invalid.

    Answers to ids the framework does not have are ignored: they cannot change any score. The
    framework's own rule is used (a 1.0 snapshot is averaged, a 2.0 one gated).
    """
    standards = tuple(
        score_standard(s, answers, framework.scoring, cycle_values) for s in framework.standards
    )
    domains = tuple(score_domain(d, standards) for d in framework.domains)
    index, reason = overall_index(domains)
    return AssessmentScore(standards=standards, domains=domains, index=index, reason=reason)
