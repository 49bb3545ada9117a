"""Queries of users and the sign-in throttle."""

from __future__ import annotations

from sqlalchemy.orm import Session


class AccountQueries:
    _session: Session
