"""Who an API request acts as: the token's owner, with grants narrowed to the token's scope.

The API never re-implements who may see what. It hands the guards in ``access.py`` (and the
dashboards' visibility gate behind them) a user whose grants are the owner's current grants,
less those outside the token's alliance, so every page rule applies to the API unchanged.
"""

from __future__ import annotations

from ..models import ApiToken, RoleGrant, User


class TokenUser:
    """The token's owner as Flask-Login's ``current_user`` during one API request."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    # The grant checks are the User model's own, run over the narrowed grants below.
    has_role = User.has_role
    alliance_ids = User.alliance_ids
    trust_ids = User.trust_ids
    trust_alliance_ids = User.trust_alliance_ids
    is_site_admin = User.is_site_admin

    def __init__(self, user: User, token: ApiToken) -> None:
        self.user = user
        self.token = token
        self.id = user.id
        self.name = user.name
        self.email = user.email
        #: A site administrator's grant names no alliance, so a narrowed token drops it.
        self.grants: list[RoleGrant] = [
            g
            for g in user.grants
            if token.alliance_id is None or g.alliance_id == token.alliance_id
        ]

    def get_id(self) -> str:
        return str(self.id)
