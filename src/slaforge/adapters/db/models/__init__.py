"""All models, imported here so that `Base.metadata` knows every table."""

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.accounts import ApiToken, SignInThrottle, User
from slaforge.adapters.db.models.history import ImportBatch, ImportRejection, Outage, Ticket, TicketEvent
from slaforge.adapters.db.models.reference import Calendar, Customer, Service

__all__ = [
    "ApiToken",
    "Base",
    "Calendar",
    "Customer",
    "ImportBatch",
    "ImportRejection",
    "Outage",
    "Service",
    "SignInThrottle",
    "Ticket",
    "TicketEvent",
    "User",
]
