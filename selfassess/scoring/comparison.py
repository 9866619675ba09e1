"""Compare a member's results with an earlier cycle's, through lineage when the framework changed.

Within one framework version a standard is compared with itself and a domain with itself. When
the earlier cycle used another version, a standard is compared with the earlier standards it
``continues`` (framework 2.0 names them, e.g. VIS-1 continues 1.0's VIS-1 and VIS-2): its earlier
score is the mean of theirs, and it was met only if every one of them with a result was met. A
domain is compared with the earlier domains that held those standards. A standard or domain that
continues nothing has no earlier figure, rather than a made-up one.

The overall index has no lineage: a comparison across versions is still shown, but always
flagged (``crosses``), because the versions score differently (1.0 averages yes/no answers in as
levels, 2.0 gates levels by their criteria) and count different domains.

Pure: the dashboards and reports pass in the cycles' stored frameworks and scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CycleFramework:
    """What a comparison needs to know about one cycle's framework snapshot."""

    cycle: str  # the cycle's name, e.g. "2024/25"
    version: str  # the framework version, e.g. "1.0"
    #: Standard id -> its domain code, in framework order.
    standards: Mapping[str, str]
    #: Standard id -> the previous version's standard ids it continues (absent or () if none).
    continues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def domains(self) -> tuple[str, ...]:
        """The domain codes, in framework order."""
        return tuple(dict.fromkeys(self.standards.values()))


def crosses(now: CycleFramework, then: CycleFramework) -> bool:
    """True when the two cycles were assessed on different framework versions."""
    return now.version != then.version


def standard_counterparts(now: CycleFramework, then: CycleFramework) -> dict[str, tuple[str, ...]]:
    """Map each of ``now``'s standards to the ``then`` standards it is compared with.

    The same id within a version; across versions, the ids it continues that ``then`` has.
    """
    if not crosses(now, then):
        return {s: (s,) if s in then.standards else () for s in now.standards}
    return {
        s: tuple(p for p in now.continues.get(s, ()) if p in then.standards) for s in now.standards
    }


def domain_counterparts(now: CycleFramework, then: CycleFramework) -> dict[str, tuple[str, ...]]:
    """Map each of ``now``'s domains to the ``then`` domains it is compared with.

    The same code within a version; across versions, the domains holding the standards its
    standards continue, in ``then``'s order.
    """
    if not crosses(now, then):
        return {d: (d,) if d in then.domains else () for d in now.domains}
    standards = standard_counterparts(now, then)
    held: dict[str, set[str]] = {d: set() for d in now.domains}
    for standard, domain in now.standards.items():
        held[domain].update(then.standards[p] for p in standards[standard])
    return {d: tuple(e for e in then.domains if e in held[d]) for d in now.domains}


@dataclass(frozen=True)
class Comparison:
    """One standard's or domain's figure now and in the earlier cycle it is compared with."""

    code: str
    earlier: tuple[str, ...]  # the earlier cycle's codes compared with (empty: nothing to compare)
    now: float | None
    then: float | None
    crosses: bool
    met_now: bool | None = None
    met_then: bool | None = None

    @property
    def change(self) -> float | None:
        if self.now is None or self.then is None:
            return None
        return self.now - self.then

    @property
    def through_lineage(self) -> bool:
        """True when compared with something other than the same code in the same version."""
        return self.crosses or self.earlier != (self.code,)


def compare(
    now: Mapping[str, float | None],
    then: Mapping[str, float | None],
    counterparts: Mapping[str, tuple[str, ...]],
    *,
    crossing: bool,
    met_now: Mapping[str, bool | None] | None = None,
    met_then: Mapping[str, bool | None] | None = None,
) -> list[Comparison]:
    """Compare each code of ``counterparts`` (in its order) with its earlier counterparts.

    The earlier value is the mean of the counterparts' values that exist (None if none does);
    given ``met_then``, the earlier result is met only if every counterpart with a result was.
    """
    rows = []
    for code, earlier in counterparts.items():
        values = [v for v in (then.get(e) for e in earlier) if v is not None]
        rows.append(
            Comparison(
                code=code,
                earlier=earlier,
                now=now.get(code),
                then=sum(values) / len(values) if values else None,
                crosses=crossing,
                met_now=None if met_now is None else met_now.get(code),
                met_then=None if met_then is None else _all_met(met_then, earlier),
            )
        )
    return rows


def _all_met(met: Mapping[str, bool | None], codes: tuple[str, ...]) -> bool | None:
    results = [m for m in (met.get(c) for c in codes) if m is not None]
    return all(results) if results else None


def crossing_sentence(now: CycleFramework, then: CycleFramework) -> str | None:
    """Say, for the page, that a comparison crosses framework versions (None when it does not)."""
    if not crosses(now, then):
        return None
    return (
        f"{then.cycle} was assessed on framework {then.version} and {now.cycle} on framework "
        f"{now.version}; standards and domains are compared through each standard's "
        f"lineage (the {then.version} standards it continues), and the overall index is "
        "compared across versions, which score differently: read its change with care."
    )
