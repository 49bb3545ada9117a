"""Is this process ready to serve: database reachable and migrated to the newest revision? An
adapter check (it talks to the database itself), not a use case: the health probes call it with
the container's engine."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from slaforge.adapters.db.migrate import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    database: str  # "ok" or why not
    revision: str | None
    head: str | None


def check_readiness(engine: Engine) -> Readiness:
    url = engine.url.render_as_string(hide_password=False)
    head = head_revision(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        return Readiness(False, f"unreachable: {type(exc).__name__}", None, head)
    if revision != head:
        return Readiness(False, f"migrations not current (at {revision}, head {head})", revision, head)
    return Readiness(True, "ok", revision, head)
