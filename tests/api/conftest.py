"""Fixtures for the API: tokens made through the real service, requests with a bearer token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from selfassess.api import tokens
from selfassess.models import Alliance, User


@pytest.fixture
def make_token(app: Any) -> Callable[..., str]:
    """Make a token for ``user`` (optionally narrowed to ``alliance``) and return its secret."""

    def make(user: User, alliance: Alliance | None = None, days: int = 30) -> str:
        made = tokens.create_token(user, "test token", alliance.id if alliance else None, days)
        return made.secret

    return make


@pytest.fixture
def api_get(client: Any) -> Callable[..., Any]:
    """GET an API URL with a bearer token (or none)."""

    def get(url: str, secret: str | None = None, **headers: str) -> Any:
        if secret is not None:
            headers["Authorization"] = f"Bearer {secret}"
        return client.get(url, headers=headers)

    return get
