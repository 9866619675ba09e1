"""Sub-records of framework 2.0's files: metric definitions and the basis of design choices.

Kept apart from models.py so the 2.0 fields read as one addition; every field here is optional
in the schema and required by the checker only where a framework's `scoring: gated` asks for it.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Annotated[str, Field(min_length=1)]
#: "source": the value is taken from the cited source; "alliance choice": a design choice.
Basis = Literal["source", "alliance choice"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class MetricDefinition(_Record):
    """What a metric measures, as NHS data defines it: a named measure, its source and period."""

    measure: Text
    source: Text
    period: Text


class StandardBasis(_Record):
    """Whether a standard's target and core flag come from a source or are the alliance's choice."""

    target: Basis
    core: Basis
    note: Text | None = None
