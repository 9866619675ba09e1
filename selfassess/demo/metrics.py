"""The demo's outcome figures: made up per trust, spread like published national figures.

Each figure is drawn from the trust, the cycle and (for pathway measures) the pathway only, never
from the alliance, so a trust in two alliances reports the same figure to both in a cycle, as a
real trust would. A trust keeps its usual place in the spread from year to year (a persistent
draw) and moves a little each year (a yearly draw). Means follow the national figures below,
cycle by cycle (``k`` 0 is the oldest cycle; ``k`` -1 the year before it, for year-on-year
changes), and every value is clipped to a range real trusts report, so nothing impossible
(no 0% referral-to-treatment performance) appears.

Basis: approximate published figures for English NHS trusts, 2023/24 to 2025/26.

- Referral to treatment: NHS England's RTT statistics put incomplete pathways within 18 weeks
  at about 57-58% through 2023/24 and 59-60% by March 2025, rising towards the 65% interim
  target in 2025/26. Between trusts the figure ranges roughly 45-75%: mean 57.5 -> 61%,
  spread 7 points, range 38-85%.
- Friends and Family Test, inpatients: about 94-95% of responses good or very good nationally,
  most trusts within a few points: mean 94.2-94.6%, spread 1.6, range 87-99.5%.
- Staff leaving the organisation (NHS Workforce Statistics): about 12% a year in 2023, falling
  towards 10-11% since: mean 12.0 -> 10.8%, spread 1.4, range 7-18%.
- Sickness absence (NHS Sickness Absence Rates): about 5% of FTE days, down from 5.6% in 2022:
  mean 5.2 -> 4.9%, spread 0.5, range 3.5-7%.
- Agency staff spend: about 4-5% of the pay bill in 2022/23, falling to about 3% as agency
  spending fell: mean 4.1 -> 2.8%, spread 1.0, range 0.6-9%.
- Capped theatre utilisation (Model Health System, GIRFT): about 75-80% nationally against the
  85% ambition: mean 77.5 -> 79.5%, spread 3.5, range 65-90%.
- Vacancy rates: NHS England's vacancy statistics put nursing at about 8-10% and medical posts
  at about 6-7%: mean 8.5 -> 7.5%, spread 2.5, range 2-16%.
- Hip fracture: mean length of stay varies 9.9-30.6 days between trusts (ACC-2018 1.14), about
  17 days typically; 30-day mortality about 7% (National Hip Fracture Database). Elective
  primary hip replacement: a stay of about 3 days and 30-day mortality of about 0.25%.
- Cost per weighted activity unit: 100 = the national median; spread 5 points.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .data import ELECTIVE_HIP, HIP_FRACTURE


@dataclass(frozen=True)
class Measure:
    """A national distribution: the mean in each cycle (from k = -1), spread and range."""

    means: tuple[float, float, float, float]
    spread: float
    low: float
    high: float
    decimals: int = 1
    #: Measures that share a draw move together (long stays and stays beyond the expected one).
    draw: str = ""

    def mean(self, k: int) -> float:
        return self.means[max(-1, min(k, len(self.means) - 2)) + 1]


MEASURES: dict[str, Measure] = {
    "rtt_18_weeks": Measure((56.5, 57.5, 59.5, 61.0), 7.0, 38, 85),
    "fft_inpatient": Measure((94.0, 94.2, 94.4, 94.6), 1.6, 87, 99.5),
    "leaver_rate": Measure((12.6, 12.0, 11.3, 10.8), 1.4, 7, 18),
    "sickness_absence": Measure((5.4, 5.2, 5.0, 4.9), 0.5, 3.5, 7, decimals=2),
    "agency_share": Measure((4.8, 4.1, 3.4, 2.8), 1.0, 0.6, 9),
    "theatre_utilisation": Measure((76.5, 77.5, 78.5, 79.5), 3.5, 65, 90),
    "vacancy_rate": Measure((9.0, 8.5, 8.0, 7.5), 2.5, 2, 16),
    "cost_per_wau": Measure((100.0, 100.0, 100.0, 100.0), 5.0, 85, 118),
    f"mean_stay:{HIP_FRACTURE}": Measure((18.0, 17.5, 17.0, 16.5), 3.0, 10, 30, draw="stay"),
    f"mean_stay:{ELECTIVE_HIP}": Measure((3.6, 3.4, 3.2, 3.0), 0.5, 2, 5.5, draw="stay"),
    f"stays_beyond:{HIP_FRACTURE}": Measure((37.0, 35.0, 33.0, 31.0), 8.0, 10, 65, draw="stay"),
    f"stays_beyond:{ELECTIVE_HIP}": Measure((24.0, 22.0, 20.0, 19.0), 6.0, 5, 45, draw="stay"),
    f"mortality_30_day:{HIP_FRACTURE}": Measure((7.2, 7.0, 6.9, 6.8), 1.0, 4, 11),
    f"mortality_30_day:{ELECTIVE_HIP}": Measure(
        (0.3, 0.28, 0.26, 0.25), 0.08, 0.05, 0.7, decimals=2
    ),
}

#: Framework 2.0's metric questions and the measure each one reports (``:pathway`` appended
#: where the measure is on the alliance's chosen pathway).
MEASURE_OF_2_0 = {
    "MET-1.1": "rtt_18_weeks",
    "MET-2.1": "fft_inpatient",
    "MET-3.1": "stays_beyond",
    "MET-4.1": "leaver_rate",
    "MET-4.2": "sickness_absence",
    "MET-4.3": "agency_share",
    "MET-5.1": "theatre_utilisation",
    "MET-6.1": "mortality_30_day",
}
#: Framework 1.0's metric questions that report a trust-level figure (the others measure the
#: trust's part in the alliance's work, or compare it with the alliance's shortest stay).
MEASURE_OF_1_0 = {
    "MET-1.1": "fft_inpatient",
    "MET-1.2": "rtt_18_weeks",  # asked the other way round: waiting longer than 18 weeks
    "MET-3.1": "agency_share",
    "MET-3.2": "agency_share",  # asked as the change on the year before
    "MET-3.4": "vacancy_rate",
    "MET-4.1": "cost_per_wau",
}
PATHWAY_MEASURES = ("stays_beyond", "mortality_30_day", "mean_stay")
#: Pay bills grew about 5% a year, so a steady agency share is a 5% rise in agency spend.
PAY_BILL_GROWTH = 1.05


def figure(measure: str, trust_code: str, k: int, pathway: str | None = None) -> float:
    """The trust's figure for ``measure`` in cycle ``k`` (on ``pathway`` where it has one)."""
    key = f"{measure}:{pathway}" if measure in PATHWAY_MEASURES else measure
    spec = MEASURES[key]
    draw = spec.draw or key
    # Seeded so the demo is the same on every machine; not used for anything secret.
    usual = random.Random(f"{trust_code}|{draw}").gauss(0, 0.85)  # noqa: S311  # nosec B311
    yearly = random.Random(f"{trust_code}|{draw}|{k}").gauss(0, 0.4)  # noqa: S311  # nosec B311
    value = spec.mean(k) + spec.spread * (usual + yearly)
    return round(min(max(value, spec.low), spec.high), spec.decimals)


def trust_level_value(
    framework: str, code: str, trust_code: str, k: int, pathway: str
) -> float | None:
    """The answer a trust gives to a trust-level metric question, or None if it is not one."""
    if framework.endswith("2.0"):
        measure = MEASURE_OF_2_0.get(code)
        return None if measure is None else figure(measure, trust_code, k, pathway)
    measure = MEASURE_OF_1_0.get(code)
    if measure is None:
        return None
    value = figure(measure, trust_code, k, pathway)
    if code == "MET-1.2":
        return round(100 - value, 1)
    if code == "MET-3.2":
        before = figure(measure, trust_code, k - 1, pathway)
        return round((value * PAY_BILL_GROWTH / before - 1) * 100, 1)
    return value


def stay_above_shortest(stays: dict[str, float], trust_code: str) -> float:
    """1.0's MET-2.1: how much longer the trust's mean stay is than the alliance's shortest, %."""
    shortest = min(stays.values())
    return round((stays[trust_code] - shortest) / shortest * 100, 1)
