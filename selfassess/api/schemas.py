"""The API's documents as pydantic models: what answers are built from and what the OpenAPI
document describes, so the two cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- Query parameters --------------------------------------------------------------------------


#: What a text parameter may hold: the app refuses NUL anywhere in a request (PostgreSQL cannot
#: store it), so the document says so and generated clients never send one.
NO_NUL = r"^[^\x00]*$"


class PageQuery(BaseModel):
    """Which page of a list: items keep one stable order, so pages never overlap. An unknown
    parameter is refused (a misspelt ``per-page`` would otherwise be silently ignored)."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    per_page: int = Field(100, ge=1, le=1000, description="Items per page (at most 1000).")


class FigureQuery(PageQuery):
    """A page of a member's figures, optionally against a narrower peer group (as the
    dashboard's filter form): values must be among the alliance's own."""

    collaboration_type: str | None = Field(None, max_length=60, pattern=NO_NUL)
    region: str | None = Field(None, max_length=60, pattern=NO_NUL)
    trust_type: str | None = Field(None, max_length=60, pattern=NO_NUL)


# -- Envelopes ---------------------------------------------------------------------------------


class Links(_Out):
    self: str
    next: str | None
    prev: str | None


class _Page(_Out):
    page: int
    per_page: int
    total: int = Field(description="Items in the whole list.")
    links: Links
    notice: str | None = Field(
        description="'Demonstration data — not real results' on a demo instance, else null."
    )


class Problem(_Out):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    request_id: str | None
    errors: list[dict[str, object]] | None = None


# -- Resources ---------------------------------------------------------------------------------


class TokenInfo(_Out):
    name: str
    prefix: str
    alliance: str | None = Field(description="The alliance the token is narrowed to, or null.")
    expires_at: datetime


class GrantOut(_Out):
    role: str
    alliance: str | None
    trust_code: str | None


class Me(_Out):
    """The token's owner and the grants the token reaches (already narrowed)."""

    name: str
    email: str
    token: TokenInfo
    grants: list[GrantOut]


class AllianceOut(_Out):
    slug: str
    name: str
    collaboration_type: str
    named_benchmarking: bool
    roles: list[str] = Field(description="The caller's roles in this alliance.")
    trust_codes: list[str] = Field(description="Trusts the caller works for in this alliance.")


class AlliancePage(_Page):
    items: list[AllianceOut]


class FrameworkRef(_Out):
    key: str
    version: str
    title: str
    scoring: str
    variant: str = Field(description="'' for the version as published; else the alliance's own.")
    alliance_settings: bool = Field(
        description="True when the alliance changed targets, core flags or standards for this "
        "cycle: compare targets across alliances only through 'target_set_by'."
    )


class CycleOut(_Out):
    id: int
    name: str
    state: str
    opens_on: date
    closes_on: date
    settled: bool = Field(description="Closed with nothing awaiting review: figures are final.")
    framework: FrameworkRef


class CyclePage(_Page):
    items: list[CycleOut]


class QuestionOut(_Out):
    code: str
    kind: str
    text: str
    required: bool
    weight: float
    answered_by: str


class StandardOut(_Out):
    domain_code: str
    domain_name: str
    code: str
    statement: str
    core: bool
    target: float
    framework_target: float = Field(description="The target as the framework published it.")
    target_set_by: str = Field(description="'alliance' or 'framework', as the scores export.")
    weight: float
    source: str | None
    continues: list[str] = Field(description="Lineage: the previous version's standards.")
    questions: list[QuestionOut]


class StandardPage(_Page):
    framework: FrameworkRef
    items: list[StandardOut]


class MemberOut(_Out):
    trust_code: str
    trust_name: str
    trust_type: str
    region: str
    collaboration_type: str
    active: bool


class MemberPage(_Page):
    items: list[MemberOut]


class StatusOut(_Out):
    trust_code: str
    state: str | None = Field(description="The assessment's state; null when it has none.")
    status: str | None
    overall_index: float | None


class StatusPage(_Page):
    items: list[StatusOut]


class ScoreOut(_Out):
    """One row of the coordinator's scores export, typed."""

    alliance: str
    cycle: str
    trust_code: str
    scope: str
    id: str
    weight: float | None
    score: float | None
    index: float | None
    target: float | None
    target_set_by: str | None
    met: bool | None
    peer_n: int | None
    peer_min: float | None
    peer_q1: float | None
    peer_median: float | None
    peer_q3: float | None
    peer_max: float | None
    percentile: float | None
    quartile: int | None
    status: str | None
    moderated: bool | None = Field(
        description="A standard's score is the level the alliance's moderation panel agreed."
    )
    self_assessed: float | None = Field(
        description="A moderated standard's own score, as the member assessed it."
    )
    standard_title: str | None = Field(
        default=None,
        description="A standard's wording in the cycle's framework version (standard rows).",
    )


class ScorePage(_Page):
    items: list[ScoreOut]


class FigureOut(_Out):
    """One figure of a member's dashboard: its own value and, when the page shows them, its
    peers' statistics (the member left out); else ``withheld`` says why."""

    scope: str
    id: str
    name: str
    value: float | None = Field(description="Index 0-100 (overall, domain) or score (standard).")
    met: bool | None
    target: float | None
    core: bool | None
    peer_n: int | None
    peer_min: float | None
    peer_q1: float | None
    peer_median: float | None
    peer_q3: float | None
    peer_max: float | None
    percentile: float | None
    quartile: int | None
    peers_met: int | None
    peers_scored: int | None
    withheld: str | None


class FigurePage(_Page):
    trust_code: str
    cycle_id: int
    status: str | None
    withheld: str | None = Field(description="Why no peer figure of this view is shown, or null.")
    items: list[FigureOut]


class PairOut(_Out):
    id: int
    mentor_trust_code: str
    mentee_trust_code: str
    cycle_id: int | None
    focus_standards: list[str]
    start_date: date
    status: str
    closed_at: datetime | None


class PairPage(_Page):
    items: list[PairOut]
