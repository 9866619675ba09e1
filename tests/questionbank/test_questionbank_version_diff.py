"""What changed between framework versions: on tiny hand-made frameworks and on 1.0 -> 2.0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from selfassess.questionbank import FrameworkDocument, load_framework
from selfassess.questionbank.version_diff import RULES, version_changes

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def _maturity(qid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "maturity",
        "text": f"How far is {qid}?",
        "guidance": "Evidence",
        "levels": {k: f"Level {k}" for k in range(1, 6)},
        **extra,
    }


def _standard(
    sid: str,
    *,
    core: bool = False,
    target: int = 3,
    weight: float = 1.0,
    continues: list[str] | None = None,
    statement: str | None = None,
    questions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": sid,
        "statement": statement or f"Statement of {sid}",
        "core": core,
        "target": target,
        "weight": weight,
        "guidance": "Guidance",
        "continues": continues,
        "questions": questions or [_maturity(f"{sid}.1")],
    }


def _framework(version: str, scoring: str, domains: list[dict[str, Any]]) -> FrameworkDocument:
    return FrameworkDocument.model_validate(
        {
            "id": "tiny",
            "version": version,
            "title": "Tiny framework",
            "description": "Tiny",
            "scale": [
                {"level": k, "label": f"L{k}", "descriptor": f"Level {k}"} for k in range(1, 6)
            ],
            "sources": [],
            "scoring": scoring,
            "domains": domains,
        },
        strict=False,
    )


def _domain(did: str, name: str, standards: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": did, "name": name, "description": name, "standards": standards}


OLD = _framework(
    "1.0",
    "averaged",
    [
        _domain(
            "GOV",
            "Governance",
            [
                _standard(
                    "GOV-1",
                    core=True,
                    target=3,
                    weight=2.0,
                    questions=[
                        _maturity("GOV-1.1"),
                        {
                            "id": "GOV-1.2",
                            "type": "yes_no",
                            "text": "Is there an MoU?",
                            "guidance": "The MoU",
                        },
                    ],
                ),
                _standard("GOV-2", target=4),
                _standard("GOV-3"),
            ],
        ),
        _domain(
            "MET",
            "Metrics",
            [
                _standard(
                    "MET-1",
                    questions=[
                        {
                            "id": "MET-1.1",
                            "type": "metric",
                            "text": "Old measure?",
                            "guidance": "g",
                            "unit": "%",
                            "better": "higher",
                            "target": 90.0,
                            "thresholds": {1: 0.0, 2: 80.0, 3: 85.0, 4: 90.0, 5: 95.0},
                        }
                    ],
                )
            ],
        ),
    ],
)

NEW = _framework(
    "2.0",
    "gated",
    [
        _domain(
            "GOV",
            "Governance",
            [
                # GOV-1 now merges GOV-1 and GOV-2, is no longer core, and its MoU is an
                # alliance fact.
                _standard(
                    "GOV-1",
                    core=False,
                    target=3,
                    weight=2.0,
                    continues=["GOV-1", "GOV-2"],
                    questions=[
                        _maturity("GOV-1.1"),
                        {
                            "id": "GOV-1.2",
                            "type": "yes_no",
                            "text": "Is there an MoU?",
                            "guidance": "The MoU",
                            "answered_by": "alliance",
                        },
                        {
                            "id": "GOV-1.3",
                            "type": "yes_no",
                            "text": "Signed by all?",
                            "guidance": "Signatures",
                            "answered_by": "alliance",
                        },
                    ],
                ),
                _standard("GOV-4", continues=[]),
            ],
        ),  # new; GOV-3 is continued by nothing
        _domain(
            "IMP",
            "Improvement",
            [
                _standard(
                    "IMP-1",
                    continues=["MET-1"],
                    statement="Reworded",
                    questions=[
                        {
                            "id": "IMP-1.1",
                            "type": "metric",
                            "text": "New measure?",
                            "guidance": "g",
                            "unit": "%",
                            "better": "lower",
                            "target": 5.0,
                            "scored_by": "peer_quartiles",
                            "thresholds": {1: 20.0, 2: 15.0, 3: 10.0, 4: 5.0, 5: 2.0},
                            "definition": {
                                "measure": "Leaver rate",
                                "source": "NHS Digital",
                                "period": "12 months",
                            },
                        }
                    ],
                )
            ],
        ),
    ],
)


def test_standards_added_removed_and_continued() -> None:
    changes = version_changes(OLD, NEW)
    assert (changes.old_version, changes.new_version) == ("1.0", "2.0")
    assert [s.id for s in changes.added] == ["GOV-4"]
    assert [r.standard.id for r in changes.removed] == ["GOV-3"]
    assert [(c.standard.id, c.continues, c.kind) for c in changes.continued] == [
        ("GOV-1", ("GOV-1", "GOV-2"), "merges"),
        ("IMP-1", ("MET-1",), "continues"),
    ]


def test_differences_name_each_predecessor_when_several() -> None:
    gov1, imp1 = version_changes(OLD, NEW).continued
    assert [str(d) for d in gov1.differences] == [
        "target GOV-1 3, GOV-2 4 → 3",
        "core GOV-1 core, GOV-2 not core → not core",
        "weight GOV-1 2, GOV-2 1 → 2",
    ]
    assert [str(d) for d in imp1.differences] == [
        "domain Metrics → Improvement",
        "statement reworded",
    ]
    assert [c.standard.id for c in version_changes(OLD, NEW).changed] == ["GOV-1", "IMP-1"]


def test_scoring_rule_domains_facts_and_metrics() -> None:
    changes = version_changes(OLD, NEW)
    assert changes.rule_changed
    assert (changes.rule_before, changes.rule_after) == (RULES["averaged"], RULES["gated"])
    assert (changes.domains_added, changes.domains_removed) == (("Improvement",), ("Metrics",))
    assert [(f.id, f.was_member_question) for f in changes.facts] == [
        ("GOV-1.2", True),
        ("GOV-1.3", False),
    ]
    (metric,) = changes.metrics
    assert (metric.id, metric.new, metric.measure, metric.source, metric.period) == (
        "IMP-1.1",
        True,
        "Leaver rate",
        "NHS Digital",
        "12 months",
    )
    assert metric.scoring == "relative to peers in the cycle (quartiles)"
    assert changes.metrics_dropped == ("MET-1.1: Old measure?",)


def test_a_version_compared_with_itself_has_nothing_new() -> None:
    same = _framework(
        "1.1", "averaged", [_domain("GOV", "Governance", [_standard("GOV-1", continues=["GOV-1"])])]
    )
    earlier = _framework("1.0", "averaged", [_domain("GOV", "Governance", [_standard("GOV-1")])])
    changes = version_changes(earlier, same)
    assert not changes.rule_changed
    assert (changes.added, changes.removed, changes.changed) == ((), (), ())
    assert changes.continued[0].differences == ()


@pytest.fixture(scope="module")
def real() -> Any:
    return version_changes(
        load_framework(QUESTIONS / "alliance-maturity-1.0"),
        load_framework(QUESTIONS / "alliance-maturity-2.0"),
    )


def test_the_real_1_0_to_2_0_changes(real: Any) -> None:
    assert real.rule_changed and "gated" in real.rule_after
    assert real.domains_added == ("Improvement strategies", "Quality, safety and equity")
    assert real.domains_removed == ()
    assert {s.id for s in real.added} == {
        "GOV-6",
        "GOV-7",
        "IMP-1",
        "IMP-2",
        "IMP-3",
        "IMP-4",
        "IMP-5",
        "IMP-6",
        "QUAL-1",
        "QUAL-2",
        "QUAL-3",
        "MET-6",
    }
    assert real.removed == ()  # every 1.0 standard lives on (VIS-2 inside 2.0's VIS-1)
    by_id = {c.standard.id: c for c in real.continued}
    assert by_id["VIS-1"].continues == ("VIS-1", "VIS-2")
    assert "target VIS-1 4, VIS-2 3 → 3" in [str(d) for d in by_id["VIS-1"].differences]
    assert "target 4 → 3" in [str(d) for d in by_id["DATA-2"].differences]
    assert "core not core → core" in [str(d) for d in by_id["MET-1"].differences]
    assert by_id["MET-2"].continues == ("MET-1",)  # 1.0's MET-1 split in two


def test_the_real_alliance_facts_and_metrics(real: Any) -> None:
    facts = {f.id: f for f in real.facts}
    assert facts["GOV-1.3"].was_member_question  # asked of every member in 1.0
    assert not facts["GOV-1.4"].was_member_question  # new in 2.0
    assert len(real.metrics) == 8 and all(m.new and m.measure for m in real.metrics)
    rtt = next(m for m in real.metrics if m.id == "MET-1.1")
    assert rtt.measure.startswith("Referral to treatment (RTT)")
    assert len(real.metrics_dropped) == 11
