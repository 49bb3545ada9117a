"""A capability study as stored: what was asked, what was found, and which imports it rests on.

The figures are kept as computed (JSON), so a study reads the same later even after more
history arrives; the web UI lists studies without loading their (large) results.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer
from sqlalchemy.orm import Mapped, mapped_column

from slaforge.adapters.db.base import Base
from slaforge.adapters.db.models.types import UtcDateTime


class CapabilityStudy(Base):
    __tablename__ = "capability_studies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    tickets: Mapped[int] = mapped_column(Integer, default=0)  # tickets studied, for listings
    # Calendar, segments, period, level, month share, candidates: enough to run it again.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    results: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    # The import batches behind the tickets: file, sha256, rows read, rows rejected.
    provenance: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
