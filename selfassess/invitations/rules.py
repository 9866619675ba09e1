"""Who may give which role: the one rule every way of giving a role goes through.

Pure: it reads the giver's grants as plain values, so the rule is tested without an app.
A giver can give only what they hold the power to give, and only where they hold it:
- a site administrator may offer any role anywhere;
- a coordinator may offer coordinator, buddying lead or trust user (of a member trust) in
  their own alliance, and nothing in any other alliance;
- buddying leads and trust users give nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SITE_ADMIN = "site_admin"
COORDINATOR = "coordinator"
BUDDYING_LEAD = "buddying_lead"
TRUST_USER = "trust_user"


@dataclass(frozen=True)
class Scope:
    """A role and where it applies (the shape of a grant)."""

    role: str
    alliance_id: int | None = None
    trust_id: int | None = None

    def well_formed(self) -> bool:
        """Whether the scope fits the role, as the database's check constraint says."""
        if self.role == SITE_ADMIN:
            return self.alliance_id is None and self.trust_id is None
        if self.role in (COORDINATOR, BUDDYING_LEAD):
            return self.alliance_id is not None and self.trust_id is None
        if self.role == TRUST_USER:
            return self.alliance_id is not None and self.trust_id is not None
        return False


def may_give(held: Iterable[Scope], offered: Scope) -> bool:
    """Whether someone holding ``held`` may offer ``offered``."""
    if not offered.well_formed():
        return False
    held = list(held)
    if any(g.role == SITE_ADMIN for g in held):
        return True
    if offered.role == SITE_ADMIN:
        return False
    return any(g.role == COORDINATOR and g.alliance_id == offered.alliance_id for g in held)
