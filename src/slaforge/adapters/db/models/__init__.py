"""All models, imported here so that `Base.metadata` knows every table."""

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.acceptance import Notification, Order, SignatureLink, WebhookEvent
from slaforge.adapters.db.models.accounts import ApiToken, SignInThrottle, User
from slaforge.adapters.db.models.agreements import Acceptance, Agreement, AgreementVersion, ClauseTemplate
from slaforge.adapters.db.models.audit import AuditEntry, AuditHead
from slaforge.adapters.db.models.expectations import Expectation, ExpectationInvite
from slaforge.adapters.db.models.history import ImportBatch, ImportRejection, Outage, Ticket, TicketEvent
from slaforge.adapters.db.models.reference import Calendar, Customer, Service
from slaforge.adapters.db.models.study import CapabilityStudy

__all__ = [
    "Acceptance",
    "Agreement",
    "AgreementVersion",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Calendar",
    "CapabilityStudy",
    "ClauseTemplate",
    "Customer",
    "Expectation",
    "ExpectationInvite",
    "ImportBatch",
    "ImportRejection",
    "Notification",
    "Order",
    "Outage",
    "Service",
    "SignInThrottle",
    "SignatureLink",
    "Ticket",
    "TicketEvent",
    "User",
    "WebhookEvent",
]
