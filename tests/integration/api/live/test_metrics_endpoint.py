"""`GET /metrics` on a real server: off (404) until a token is configured; then 401 without it or
with a wrong one, and with it the live figures in Prometheus' text format, as the official parser
reads them: clocks open and overdue per objective, this month's downtime and error budget, the
outbox by channel and state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.services.live import availability
from tests.integration.api.live_server import LiveServer
from tests.live_setup import live, open_ticket

TOKEN = "scrape-" + "k" * 32


def _served(database_url: str, engine: Engine, factory: sessionmaker[Session], token: str) -> Container:
    settings = Settings(
        database_url=database_url, environment="test", secret_key="t" * 40, metrics_token=token
    )
    return bootstrap(settings, engine=engine, session_factory=factory)


@pytest.fixture
def served(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[str, Container]]:
    container = _served(database_url, engine, session_factory, TOKEN)
    with LiveServer(build_app(container)) as server:
        yield server.url, container


def test_metrics_are_off_without_a_token(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    with LiveServer(build_app(_served(database_url, engine, session_factory, ""))) as server:
        answer = httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert answer.status_code == 404
    assert "SLAFORGE_METRICS_TOKEN" in answer.text


def test_the_scrape_reads_the_live_figures(served: tuple[str, Container]) -> None:
    url, container = served
    lv = live(container.system_uow())
    ticket_at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    open_ticket(container.system_uow(), lv, "INC-M", ticket_at)
    now = container.clock()
    month = datetime(now.year, now.month, 1, 1, 0, tzinfo=UTC)
    outage = {"external_id": "MON-M", "service": "Managed e-mail", "started_at": month,
              "ended_at": month.replace(hour=1, minute=30)}  # fmt: skip
    availability.deliver_outage(
        uow=container.system_uow(), secret=lv.secret, outage=outage, system="api", now=now
    )

    assert httpx.get(f"{url}/metrics", timeout=30).status_code == 401
    wrong = httpx.get(f"{url}/metrics", headers={"Authorization": "Bearer nope"}, timeout=30)
    assert wrong.status_code == 401
    answer = httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }

    def value(name: str, **labels: str) -> float:
        found = [v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items()]
        assert len(found) == 1, (name, labels, found)
        return found[0]

    agreement = str(lv.agreement_id)
    # The ticket opened on 2 November and is still unanswered: both clocks open and past due.
    assert value("slaforge_clocks_open", agreement=agreement, metric="first_response") == 1
    assert value("slaforge_clocks_overdue", agreement=agreement, metric="resolution") == 1
    assert value("slaforge_downtime_seconds_month", agreement=agreement, service="Managed e-mail") == 1800.0
    allowed = value("slaforge_downtime_allowed_seconds_month", agreement=agreement)
    assert value("slaforge_error_budget_remaining_ratio", agreement=agreement) == pytest.approx(
        1 - 1800 / allowed
    )
    assert value("slaforge_availability_target_ratio", agreement=agreement) == pytest.approx(0.999)
