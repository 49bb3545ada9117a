"""Queries of the provider's catalog: customers, services and calendars as resources."""

from __future__ import annotations

from sqlalchemy.orm import Session


class CatalogQueries:
    _session: Session
