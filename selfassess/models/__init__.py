"""The data model, one module per aggregate; import models from here."""

from .alliance_profile import AllianceFactAnswer
from .api_tokens import ApiToken
from .assessments import (
    Answer,
    Assessment,
    AssessmentScore,
    AssessmentState,
    Cycle,
    CycleState,
    ScoreScope,
)
from .audit import AuditEvent
from .buddying import BuddyPair, BuddyPairNote, PairStatus
from .evidence import EvidenceBlob, EvidenceFile
from .framework import (
    AllianceStandardSetting,
    FrameworkDraft,
    FrameworkSnapshot,
    SnapshotDomain,
    SnapshotQuestion,
    SnapshotStandard,
)
from .instance import InstanceSetting
from .invitations import RoleInvitation
from .moderation import ModeratedLevel, ModerationPanelist
from .notifications import Category, DeadlineReminder, Notification, NotificationPreference
from .outbox import OutboxEmail, OutboxState
from .owners import SectionOwner
from .plans import ActionStatus, ImprovementAction
from .report_snapshots import ReportSnapshot
from .respondents import RespondentAnswer, RespondentsSetting
from .review import ReviewComment
from .summaries import PublishedSummary
from .targets import TrustTarget
from .tenancy import Alliance, CollaborationType, Membership, MembershipRequest, Trust
from .throttle import ThrottleHit
from .users import ALLIANCE_ROLES, Role, RoleGrant, User, UserSession

__all__ = [
    "ALLIANCE_ROLES",
    "ActionStatus",
    "Alliance",
    "AllianceFactAnswer",
    "AllianceStandardSetting",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentScore",
    "AssessmentState",
    "AuditEvent",
    "BuddyPair",
    "BuddyPairNote",
    "Category",
    "CollaborationType",
    "Cycle",
    "CycleState",
    "DeadlineReminder",
    "EvidenceBlob",
    "EvidenceFile",
    "FrameworkDraft",
    "FrameworkSnapshot",
    "ImprovementAction",
    "InstanceSetting",
    "Membership",
    "MembershipRequest",
    "ModeratedLevel",
    "ModerationPanelist",
    "Notification",
    "NotificationPreference",
    "OutboxEmail",
    "OutboxState",
    "PairStatus",
    "PublishedSummary",
    "ReportSnapshot",
    "RespondentAnswer",
    "RespondentsSetting",
    "ReviewComment",
    "Role",
    "RoleGrant",
    "RoleInvitation",
    "ScoreScope",
    "SectionOwner",
    "SnapshotDomain",
    "SnapshotQuestion",
    "SnapshotStandard",
    "ThrottleHit",
    "Trust",
    "TrustTarget",
    "User",
    "UserSession",
]
