"""The questionnaire's small world (``qa``): one trust, its open assessment, two of its users."""

from tests.questionnaire.conftest import qa  # noqa: F401  (a fixture, used by name)
