"""The questionnaire's small world (``qa``), for the core's tests of what an assessment is."""

from tests.questionnaire.conftest import qa  # noqa: F401  (a fixture, used by name)
