"""Who is in the demo: alliances and trusts named in the source documents, demo accounts.

Trust names and alliance memberships come from the seeds (NHS England's acute care collaboration
report, NHS Providers' "learning from peers" briefing). Codes are the trusts' ODS codes. Every
answer loaded with them is synthetic and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The published password of every demo account (README); the demo holds no real data.
DEMO_PASSWORD = "demo-selfassess-2026"  # noqa: S105  # nosec B105
DEMO_EMAIL_DOMAIN = "demo.selfassess.example"
SYNTHETIC_LABEL = "[Synthetic demo answer]"


@dataclass(frozen=True)
class DemoTrust:
    code: str
    name: str
    trust_type: str
    region: str
    base: float  # typical maturity level of its answers in the first cycle
    trend: float  # change in that level per cycle: improving, steady or slipping


@dataclass(frozen=True)
class DemoAlliance:
    slug: str
    name: str
    collaboration_type: str
    named_benchmarking: bool
    max_pairs: int
    members: tuple[str, ...]


TRUSTS = (
    DemoTrust("RFF", "Barnsley Hospital NHS Foundation Trust", "Acute",
              "North East and Yorkshire", 2.6, 0.45),
    DemoTrust("RFS", "Chesterfield Royal Hospital NHS Foundation Trust", "Acute",
              "Midlands", 2.3, 0.0),
    DemoTrust("RP5", "Doncaster and Bassetlaw Teaching Hospitals NHS Foundation Trust",
              "Acute teaching", "North East and Yorkshire", 3.2, 0.2),
    DemoTrust("RXF", "Mid Yorkshire Hospitals NHS Trust", "Acute",
              "North East and Yorkshire", 2.9, -0.25),
    DemoTrust("RFR", "The Rotherham NHS Foundation Trust", "Acute",
              "North East and Yorkshire", 3.4, 0.1),
    DemoTrust("RCU", "Sheffield Children's NHS Foundation Trust", "Acute specialist",
              "North East and Yorkshire", 3.9, 0.1),
    DemoTrust("RHQ", "Sheffield Teaching Hospitals NHS Foundation Trust", "Acute teaching",
              "North East and Yorkshire", 4.1, 0.15),
    DemoTrust("RN3", "Great Western Hospitals NHS Foundation Trust", "Acute",
              "South West", 3.0, 0.35),
    DemoTrust("RNZ", "Salisbury NHS Foundation Trust", "Acute", "South West", 2.4, 0.05),
    DemoTrust("RD1", "Royal United Hospitals Bath NHS Foundation Trust", "Acute",
              "South West", 3.6, 0.1),
    DemoTrust("RL1", "The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS Foundation Trust",
              "Specialist orthopaedic", "Midlands", 4.2, 0.1),
    DemoTrust("RAN", "Royal National Orthopaedic Hospital NHS Trust", "Specialist orthopaedic",
              "London", 4.0, 0.15),
    DemoTrust("RRJ", "The Royal Orthopaedic Hospital NHS Foundation Trust",
              "Specialist orthopaedic", "Midlands", 3.5, 0.2),
    DemoTrust("RTH", "Oxford University Hospitals NHS Foundation Trust", "Acute teaching",
              "South East", 3.3, 0.0),
    DemoTrust("RRF", "Wrightington, Wigan and Leigh Teaching Hospitals NHS Foundation Trust",
              "Acute teaching", "North West", 2.5, -0.1),
)

ALLIANCES = (
    DemoAlliance("working-together-partnership", "Working Together Partnership",
                 "multi_service", True, 2,
                 ("RFF", "RFS", "RP5", "RXF", "RFR", "RCU", "RHQ")),
    DemoAlliance("syb-acute-federation", "South Yorkshire and Bassetlaw Acute Federation",
                 "multi_service", False, 2, ("RFF", "RCU", "RP5", "RFR", "RHQ")),
    DemoAlliance("acute-hospitals-alliance", "The Acute Hospitals Alliance",
                 "multi_service", False, 1, ("RN3", "RNZ", "RD1")),
    DemoAlliance("national-orthopaedic-alliance", "National Orthopaedic Alliance",
                 "single_service", False, 2, ("RL1", "RAN", "RRJ", "RTH", "RRF")),
)

#: (name, opens, closes, state); the last one is open now, the others closed.
CYCLES = (
    ("2024/25", date(2024, 9, 1), date(2024, 12, 20), "closed"),
    ("2025/26", date(2025, 9, 1), date(2025, 12, 19), "closed"),
    ("2026/27", date(2026, 10, 1), date(2026, 12, 18), "open"),
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
        users.append(DemoUser(f"coordinator.{short}@{DEMO_EMAIL_DOMAIN}",
                              f"Coordinator, {alliance.name}",
                              (("coordinator", alliance.slug),)))
        users.append(DemoUser(f"buddying.{short}@{DEMO_EMAIL_DOMAIN}",
                              f"Buddying lead, {alliance.name}",
                              (("buddying_lead", alliance.slug),)))
    for trust in TRUSTS:
        users.append(DemoUser(f"lead.{trust.code.lower()}@{DEMO_EMAIL_DOMAIN}",
                              f"Collaboration lead, {trust.code}",
                              (("trust_user", trust.code),)))
    return tuple(users)
