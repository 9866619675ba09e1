"""The dashboards' scored alliance serves the plan's tests: member 2 misses core standard GOV-1
(2.0 in 2024/25, 2.25 in 2025/26, target 3)."""

from tests.dashboards.conftest import scored_alliance, sign_in_as

__all__ = ["scored_alliance", "sign_in_as"]
