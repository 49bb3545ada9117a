"""Queries of the audit chain: its entries and the locked head row."""

from __future__ import annotations

from sqlalchemy.orm import Session


class AuditQueries:
    _session: Session
