"""Membership status over one and two cycles."""

import pytest

from selfassess.questionbank.kinds import QuestionKind
from selfassess.scoring import (
    DomainSpec,
    FrameworkSpec,
    MembershipStatus,
    QuestionSpec,
    StandardSpec,
    membership_status,
    score_assessment,
)


def _standard(standard_id: str, domain_id: str, core: bool) -> StandardSpec:
    return StandardSpec(
        standard_id,
        domain_id,
        core=core,
        target=3,
        weight=1,
        questions=(QuestionSpec(f"{standard_id}.1", QuestionKind.MATURITY, required=False),),
    )


# Two core standards (GOV-1, DATA-1) and one non-core (GOV-2), each one maturity question,
# every target 3: a level of 3 or more meets it.
FRAMEWORK = FrameworkSpec(
    (
        DomainSpec("GOV", 1, (_standard("GOV-1", "GOV", True), _standard("GOV-2", "GOV", False))),
        DomainSpec("DATA", 1, (_standard("DATA-1", "DATA", True),)),
    )
)


def assess(gov1=3, gov2=3, data1=3):
    return score_assessment(FRAMEWORK, {"GOV-1.1": gov1, "GOV-2.1": gov2, "DATA-1.1": data1})


def test_every_core_standard_met_meets_standards_even_with_a_non_core_gap():
    result = membership_status(assess(gov2=1), None, cycle_closed=False)
    assert result.status is MembershipStatus.MEETS_STANDARDS
    assert result.status == "Meets standards"
    assert result.reason == "all 2 core standards met this cycle"


def test_core_gap_with_no_history_is_improvement_required():
    result = membership_status(assess(gov1=2), None, cycle_closed=True)
    assert result.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert result.core_not_met == ("GOV-1",)
    assert result.reason == "core standards not met this cycle (GOV-1); no previous validated cycle"


def test_core_gap_after_a_clean_validated_cycle_is_improvement_required():
    result = membership_status(assess(data1=1), assess(), cycle_closed=True)
    assert result.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert "all core standards were met in the previous validated cycle" in result.reason


def test_same_core_standard_missed_two_cycles_running_is_at_risk():
    result = membership_status(assess(gov1=2), assess(gov1=1), cycle_closed=True)
    assert result.status is MembershipStatus.AT_RISK
    assert result.core_not_met == ("GOV-1",)
    assert result.previous_core_not_met == ("GOV-1",)
    assert result.reason == (
        "core standards not met this cycle (GOV-1) and in the previous validated cycle (GOV-1); "
        "not met in both: GOV-1"
    )


def test_different_core_standards_missed_two_cycles_running_is_still_at_risk():
    # Documented reading: any core gap now AND any core gap in the previous validated cycle.
    result = membership_status(assess(data1=2), assess(gov1=2), cycle_closed=False)
    assert result.status is MembershipStatus.AT_RISK
    assert "not met in both" not in result.reason


def test_missed_before_but_met_now_meets_standards():
    result = membership_status(assess(), assess(gov1=1, data1=1), cycle_closed=True)
    assert result.status is MembershipStatus.MEETS_STANDARDS


def test_non_core_gap_in_previous_cycle_does_not_make_at_risk():
    result = membership_status(assess(gov1=2), assess(gov2=1), cycle_closed=True)
    assert result.status is MembershipStatus.IMPROVEMENT_REQUIRED


def test_core_standard_left_unanswered_counts_as_not_met():
    unanswered = score_assessment(FRAMEWORK, {"GOV-1.1": 4, "GOV-2.1": 4})
    assert unanswered.standard("DATA-1").met is None
    result = membership_status(unanswered, None, cycle_closed=True)
    assert result.status is MembershipStatus.IMPROVEMENT_REQUIRED
    assert result.core_not_met == ("DATA-1",)


@pytest.mark.parametrize(
    ("cycle_closed", "status"),
    [(True, MembershipStatus.NOT_SUBMITTED), (False, MembershipStatus.AWAITING_SUBMISSION)],
)
def test_no_submission(cycle_closed, status):
    # A bad previous cycle does not turn "no submission" into "At risk": there is nothing to judge.
    result = membership_status(None, assess(gov1=1), cycle_closed=cycle_closed)
    assert result.status is status
    assert result.core_not_met == ()


def test_labels_are_the_words_people_read():
    assert [s.value for s in MembershipStatus] == [
        "Meets standards",
        "Improvement required",
        "At risk",
        "Not submitted",
        "Awaiting submission",
    ]


def test_framework_without_core_standards_meets_standards():
    framework = FrameworkSpec((DomainSpec("GOV", 1, (_standard("GOV-2", "GOV", False),)),))
    result = membership_status(score_assessment(framework, {"GOV-2.1": 1}), None, True)
    assert result.status is MembershipStatus.MEETS_STANDARDS
