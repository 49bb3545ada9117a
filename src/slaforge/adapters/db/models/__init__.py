"""All models, imported here so that `Base.metadata` knows every table."""

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.agreement.acceptance import Notification, Order, SignatureLink, WebhookEvent
from slaforge.adapters.db.models.agreement.agreements import (
    Acceptance,
    Agreement,
    AgreementVersion,
    ClauseTemplate,
)
from slaforge.adapters.db.models.background.expectations import Expectation, ExpectationInvite
from slaforge.adapters.db.models.background.history import (
    ImportBatch,
    ImportRejection,
    Outage,
    Ticket,
    TicketEvent,
)
from slaforge.adapters.db.models.background.study import CapabilityStudy
from slaforge.adapters.db.models.live.availability import (
    AgreementService,
    LiveAvailabilityFiring,
    LiveBurnAlert,
)
from slaforge.adapters.db.models.live.clocks import LiveClock, LiveFiring
from slaforge.adapters.db.models.live.periods import LiveClaim, LivePeriod, LivePeriodAdjustment, Satisfaction
from slaforge.adapters.db.models.live.reports import LiveReport
from slaforge.adapters.db.models.platform.accounts import ApiToken, SignInThrottle, User, WebSession
from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.adapters.db.models.platform.reference import Calendar, Customer, Service
from slaforge.adapters.db.models.readiness.holidays import ReadinessHoliday
from slaforge.adapters.db.models.readiness.ingestion import IngestionArrival, IngestionToken
from slaforge.adapters.db.models.readiness.records import ReadinessConfig, ReadinessProof, ReadinessWaiver
from slaforge.adapters.db.models.readiness.shadow_runs import ShadowRun
from slaforge.adapters.db.models.relationship.acknowledgements import ResponsibilityAcknowledgement
from slaforge.adapters.db.models.relationship.contracts import ObjectiveUnderpinning, UnderpinningContract
from slaforge.adapters.db.models.relationship.meetings import MeetingException
from slaforge.adapters.db.models.relationship.minutes import CalendarFeed, MeetingAction, MeetingMinutes
from slaforge.adapters.db.models.relationship.tasks import Task, TaskDependency, TaskReminder
from slaforge.adapters.db.models.relationship.topics import MeetingTopic

__all__ = [
    "Acceptance",
    "Agreement",
    "AgreementService",
    "AgreementVersion",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Calendar",
    "CalendarFeed",
    "CapabilityStudy",
    "ClauseTemplate",
    "Customer",
    "Expectation",
    "ExpectationInvite",
    "ImportBatch",
    "ImportRejection",
    "IngestionArrival",
    "IngestionToken",
    "LiveAvailabilityFiring",
    "LiveBurnAlert",
    "LiveClaim",
    "LiveClock",
    "LiveFiring",
    "LivePeriod",
    "LivePeriodAdjustment",
    "LiveReport",
    "MeetingAction",
    "MeetingException",
    "MeetingMinutes",
    "MeetingTopic",
    "Notification",
    "ObjectiveUnderpinning",
    "Order",
    "Outage",
    "ReadinessConfig",
    "ReadinessHoliday",
    "ReadinessProof",
    "ReadinessWaiver",
    "ResponsibilityAcknowledgement",
    "Satisfaction",
    "Service",
    "ShadowRun",
    "SignInThrottle",
    "SignatureLink",
    "Task",
    "TaskDependency",
    "TaskReminder",
    "Ticket",
    "TicketEvent",
    "UnderpinningContract",
    "User",
    "WebSession",
    "WebhookEvent",
]
