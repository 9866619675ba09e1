"""Who is in the demo: alliances and trusts named in the source documents, demo accounts, cycles.

Trust names and alliance memberships come from the seeds (NHS England's acute care collaboration
report, NHS Providers' "learning from peers" briefing). Codes are the trusts' ODS codes. Their
profiles below are invented: nothing here describes how mature or how well run any real trust
is, and every page, report and export of a demo instance says "Demonstration data".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The published password of every demo account (README); the demo holds no real data.
DEMO_PASSWORD = "demo-selfassess-2026"  # noqa: S105  # nosec B105
DEMO_EMAIL_DOMAIN = "demo.selfassess.example"
SYNTHETIC_LABEL = "[Synthetic demo answer]"


#: The maturity themes a trust's profile covers: 1.0's four domains and 2.0's two new ones.
THEMES = ("REL", "VIS", "GOV", "DATA", "IMP", "QUAL")


@dataclass(frozen=True)
class DemoTrust:
    """A trust and its made-up profile: how mature it is in each theme, and how that moves.

    ``strengths`` gives, per theme in ``THEMES`` order, the typical level of its answers in the
    first cycle; ``drift`` the change per cycle in the same order. Uneven on purpose: each trust
    is strong somewhere and weak somewhere else, so buddying can pair complementary members.
    """

    code: str
    name: str
    trust_type: str
    region: str
    strengths: tuple[float, float, float, float, float, float]
    drift: tuple[float, float, float, float, float, float]

    def level(self, theme: str, k: int) -> float:
        """The typical level of its answers in ``theme`` in the ``k``-th cycle (0 first)."""
        i = THEMES.index(theme)
        return self.strengths[i] + self.drift[i] * k


@dataclass(frozen=True)
class DemoAlliance:
    slug: str
    name: str
    collaboration_type: str
    named_benchmarking: bool
    max_pairs: int
    members: tuple[str, ...]
    #: The pathway it standardises (length of stay and mortality are measured on it).
    pathway: str
    #: The alliance's own settings for some standards (its coordinator's choices, with reasons).
    settings: tuple[DemoSetting, ...] = ()


@dataclass(frozen=True)
class DemoSetting:
    """A coordinator's setting for one standard of one framework version, as the settings page
    would store it."""

    framework: str  # the question-bank folder
    standard: str
    applies: bool
    target: float
    core: bool
    reason: str


NEYH = "North East and Yorkshire"
_STEADY = (0.0,) * 6
#          REL  VIS  GOV  DATA IMP  QUAL
TRUSTS = (
    DemoTrust(
        "RFF",
        "Barnsley Hospital NHS Foundation Trust",
        "Acute",
        NEYH,
        (3.9, 3.4, 2.9, 2.3, 3.1, 3.3),
        (0.0, 0.1, 0.2, 0.45, 0.1, 0.0),
    ),
    DemoTrust(
        "RFS",
        "Chesterfield Royal Hospital NHS Foundation Trust",
        "Acute",
        "Midlands",
        (2.8, 3.2, 3.9, 3.3, 2.5, 3.4),
        (0.1, 0.0, 0.0, 0.0, 0.1, 0.0),
    ),
    DemoTrust(
        "RP5",
        "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust",
        "Acute teaching",
        NEYH,
        (3.4, 3.3, 3.4, 4.3, 3.6, 2.9),
        (0.1, 0.1, 0.0, 0.0, 0.0, 0.2),
    ),
    DemoTrust(
        "RXF",
        "Mid Yorkshire Hospitals NHS Trust",
        "Acute",
        NEYH,
        (3.4, 2.9, 3.3, 3.6, 2.8, 3.2),
        (-0.3, -0.3, -0.2, -0.1, 0.0, -0.1),
    ),
    DemoTrust(
        "RFR",
        "The Rotherham NHS Foundation Trust",
        "Acute",
        NEYH,
        (4.2, 3.8, 3.4, 2.8, 3.3, 3.8),
        (0.0, 0.0, 0.0, 0.2, 0.1, 0.0),
    ),
    DemoTrust(
        "RCU",
        "Sheffield Children's NHS Foundation Trust",
        "Acute specialist",
        NEYH,
        (3.7, 4.2, 3.4, 3.0, 2.7, 4.3),
        (0.0, 0.0, 0.1, 0.1, 0.2, 0.0),
    ),
    DemoTrust(
        "RHQ",
        "Sheffield Teaching Hospitals NHS Foundation Trust",
        "Acute teaching",
        NEYH,
        (3.2, 3.5, 4.3, 4.4, 4.0, 3.5),
        (0.1, 0.1, 0.0, 0.0, 0.0, 0.1),
    ),
    DemoTrust(
        "RN3",
        "Great Western Hospitals NHS Foundation Trust",
        "Acute",
        "South West",
        (3.4, 2.6, 2.8, 3.8, 3.1, 2.8),
        (0.2, 0.35, 0.3, 0.0, 0.1, 0.2),
    ),
    DemoTrust(
        "RNZ",
        "Salisbury NHS Foundation Trust",
        "Acute",
        "South West",
        (3.8, 3.1, 2.4, 2.4, 2.7, 3.6),
        (0.0, 0.0, 0.05, 0.05, 0.0, 0.0),
    ),
    DemoTrust(
        "RD1",
        "Royal United Hospitals Bath NHS Foundation Trust",
        "Acute",
        "South West",
        (3.0, 4.0, 4.0, 3.3, 3.5, 3.1),
        _STEADY,
    ),
    DemoTrust(
        "RL1",
        "The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS Foundation Trust",
        "Specialist orthopaedic",
        "Midlands",
        (4.1, 3.6, 3.5, 3.9, 4.2, 4.3),
        (0.0, 0.1, 0.0, 0.0, 0.0, 0.0),
    ),
    DemoTrust(
        "RAN",
        "Royal National Orthopaedic Hospital NHS Trust",
        "Specialist orthopaedic",
        "London",
        (3.1, 4.0, 3.7, 2.8, 3.7, 4.0),
        (0.1, 0.0, 0.0, 0.2, 0.0, 0.0),
    ),
    DemoTrust(
        "RRJ",
        "The Royal Orthopaedic Hospital NHS Foundation Trust",
        "Specialist orthopaedic",
        "Midlands",
        (3.8, 3.1, 3.1, 3.6, 2.8, 3.3),
        (0.1, 0.2, 0.2, 0.1, 0.2, 0.1),
    ),
    DemoTrust(
        "RTH",
        "Oxford University Hospitals NHS Foundation Trust",
        "Acute teaching",
        "South East",
        (3.0, 3.3, 4.0, 4.2, 3.5, 3.8),
        (0.1, 0.0, 0.0, 0.0, 0.0, 0.0),
    ),
    DemoTrust(
        "RRF",
        "Wrightington, Wigan and Leigh Teaching Hospitals NHS Foundation Trust",
        "Acute teaching",
        "North West",
        (3.3, 2.8, 3.0, 2.7, 3.1, 2.7),
        (-0.1, -0.15, -0.1, 0.0, -0.1, -0.1),
    ),
)

HIP_FRACTURE = "hip fracture"
ELECTIVE_HIP = "elective hip replacement"
ALLIANCES = (
    DemoAlliance(
        "working-together-partnership",
        "Working Together Partnership",
        "multi_service",
        True,
        2,
        ("RFF", "RFS", "RP5", "RXF", "RFR", "RCU", "RHQ"),
        HIP_FRACTURE,
    ),
    DemoAlliance(
        "syb-acute-federation",
        "South Yorkshire and Bassetlaw Acute Federation",
        "multi_service",
        False,
        2,
        ("RFF", "RCU", "RP5", "RFR", "RHQ"),
        HIP_FRACTURE,
    ),
    DemoAlliance(
        "acute-hospitals-alliance",
        "The Acute Hospitals Alliance",
        "multi_service",
        False,
        1,
        ("RN3", "RNZ", "RD1"),
        HIP_FRACTURE,
    ),
    DemoAlliance(
        "national-orthopaedic-alliance",
        "National Orthopaedic Alliance",
        "single_service",
        False,
        2,
        ("RL1", "RAN", "RRJ", "RTH", "RRF"),
        ELECTIVE_HIP,
        (
            # Grounded in 003 §3.6 and §3.15: the NOA is a clinical network of single-specialty
            # providers across the country, with a focus on continuous quality improvement.
            DemoSetting(
                "alliance-maturity-2.0",
                "IMP-3",
                False,
                3,
                False,
                "The NOA is a collaborative clinical network of orthopaedic providers across the "
                "country sharing best practice (003 §3.6); members do not consolidate corporate "
                "services with each other.",
            ),
            DemoSetting(
                "alliance-maturity-2.0",
                "QUAL-2",
                True,
                4,
                False,
                "Members agree a focus on continuous quality and safety improvement (003 §3.15), "
                "so the alliance expects its improvement method to be established in every member.",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class DemoCycle:
    """One assessment cycle of every demo alliance; ``k`` counts from 0, the oldest."""

    k: int
    name: str
    framework: str  # the question-bank folder
    opens: date
    closes: date
    state: str


#: Oldest first: framework 1.0, then 2.0 (so trends cross a version change), the last one open.
CYCLE_FRAMEWORKS = ("alliance-maturity-1.0", "alliance-maturity-2.0", "alliance-maturity-2.0")
#: The open cycle opened this long before the day the demo is loaded, and closes this long after.
OPEN_FOR = timedelta(weeks=6)


def financial_year(day: date) -> int:
    """The calendar year an NHS financial year (1 April to 31 March) containing ``day`` starts."""
    return day.year if day.month >= 4 else day.year - 1


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def demo_cycles(today: date | None = None) -> tuple[DemoCycle, ...]:
    """The cycles, named and dated from the day the demo is loaded.

    The open cycle is the current NHS financial year's: it opened six weeks ago (not before
    1 April) and closes in six weeks. The two before it ran over the same weeks one and two
    years earlier, so both closed in the past and nothing open has a closing date gone by.
    """
    today = today or date.today()
    year = financial_year(today)
    opens = max(today - OPEN_FOR, date(year, 4, 1))
    closes = today + OPEN_FOR
    last = len(CYCLE_FRAMEWORKS) - 1
    return tuple(
        DemoCycle(
            k,
            f"{year - (last - k)}/{(year - (last - k) + 1) % 100:02d}",
            folder,
            _years_before(opens, last - k),
            _years_before(closes, last - k),
            "open" if k == last else "closed",
        )
        for k, folder in enumerate(CYCLE_FRAMEWORKS)
    )


#: Alliances where a buddying pair from the first cycle has been completed (outcomes to show).
PAST_PAIR_ALLIANCES = ("working-together-partnership", "syb-acute-federation")
#: That pair's notes: (days before it was marked completed, text).
PAST_PAIR_NOTES = (
    (240, "First call: agreed to share the mentor's data-sharing agreement and board paper."),
    (150, "Mentee's collaboration lead shadowed the mentor's partnership board."),
    (30, "Both leads agree the focus standards are in hand; pair to close at cycle end."),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    grants: tuple[tuple[str, str], ...]  # (role, alliance slug or trust code or "")


def demo_users() -> tuple[DemoUser, ...]:
    """Accounts for every role: admin, a coordinator and buddying lead per alliance, trust leads."""
    users = [DemoUser(f"admin@{DEMO_EMAIL_DOMAIN}", "Alex Admin", (("site_admin", ""),))]
    for alliance in ALLIANCES:
        short = alliance.slug.split("-")[0]
        users.append(
            DemoUser(
                f"coordinator.{short}@{DEMO_EMAIL_DOMAIN}",
                f"Coordinator, {alliance.name}",
                (("coordinator", alliance.slug),),
            )
        )
        users.append(
            DemoUser(
                f"buddying.{short}@{DEMO_EMAIL_DOMAIN}",
                f"Buddying lead, {alliance.name}",
                (("buddying_lead", alliance.slug),),
            )
        )
    for trust in TRUSTS:
        users.append(
            DemoUser(
                f"lead.{trust.code.lower()}@{DEMO_EMAIL_DOMAIN}",
                f"Collaboration lead, {trust.code}",
                (("trust_user", trust.code),),
            )
        )
    return tuple(users)
