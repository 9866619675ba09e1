"""The one rule for giving roles, checked as a table without an app."""

from __future__ import annotations

import pytest

from selfassess.invitations.rules import Scope, may_give

ADMIN = [Scope("site_admin")]
COORD_1 = [Scope("coordinator", 1)]
LEAD_1 = [Scope("buddying_lead", 1)]
TRUST_1 = [Scope("trust_user", 1, 7)]
OFFERS = {
    "admin": Scope("site_admin"),
    "coord in 1": Scope("coordinator", 1),
    "coord in 2": Scope("coordinator", 2),
    "lead in 1": Scope("buddying_lead", 1),
    "lead in 2": Scope("buddying_lead", 2),
    "trust user in 1": Scope("trust_user", 1, 7),
    "trust user in 2": Scope("trust_user", 2, 7),
}
# Which offers each giver may make: everything for an administrator; only alliance 1's roles
# for its coordinator; nothing for anyone else.
EXPECTED = {
    "admin": set(OFFERS),
    "coordinator of 1": {"coord in 1", "lead in 1", "trust user in 1"},
    "buddying lead of 1": set(),
    "trust user in 1": set(),
    "no role": set(),
}
GIVERS = {
    "admin": ADMIN,
    "coordinator of 1": COORD_1,
    "buddying lead of 1": LEAD_1,
    "trust user in 1": TRUST_1,
    "no role": [],
}


@pytest.mark.parametrize("giver", GIVERS)
@pytest.mark.parametrize("offer", OFFERS)
def test_a_giver_gives_only_what_they_hold(giver, offer):
    assert may_give(GIVERS[giver], OFFERS[offer]) == (offer in EXPECTED[giver])


@pytest.mark.parametrize(
    "scope",
    [
        Scope("trust_user", 1),  # a trust user's grant names a membership: alliance and trust
        Scope("trust_user", None, 7),
        Scope("coordinator"),
        Scope("coordinator", 1, 7),
        Scope("site_admin", 1),
        Scope("owner", 1),
    ],
)
def test_malformed_scopes_are_never_given(scope):
    assert not scope.well_formed()
    assert not may_give(ADMIN, scope)
