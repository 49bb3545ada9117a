"""Queries of the notification outbox: queued rows, claiming due ones, outcomes."""

from __future__ import annotations

from sqlalchemy.orm import Session


class OutboxQueries:
    _session: Session
