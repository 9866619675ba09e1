"""The exports' tests use the workbook tests' world: one alliance, one cycle, the real framework."""

from tests.workbook.conftest import xw  # noqa: F401  (a fixture, found by name)
