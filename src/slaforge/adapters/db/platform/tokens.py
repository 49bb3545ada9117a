"""Queries of API tokens."""

from __future__ import annotations

from sqlalchemy.orm import Session


class TokenQueries:
    _session: Session
