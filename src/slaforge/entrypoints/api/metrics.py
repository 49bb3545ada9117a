"""`GET /metrics`: the live SLA figures in Prometheus' text format, written by the official
`prometheus-client` from one read per scrape (no process-wide state: any number of servers give
the same answer). Off until `SLAFORGE_METRICS_TOKEN` is set; then the scraper sends it as a bearer
token (`authorization: {credentials: …}` in a Prometheus scrape config)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from slaforge.entrypoints.deps import ContainerDep
from slaforge.services.live.metrics import AvailabilityFigures, LiveMetrics, ObjectiveFigures, live_metrics

router = APIRouter(tags=["metrics"])
OBJECTIVE = ["agreement", "customer", "objective", "metric"]
AVAILABILITY = ["agreement", "customer", "objective", "service"]


class _Figures(Collector):
    def __init__(self, figures: LiveMetrics) -> None:
        self._m = figures

    def collect(self) -> Iterator[Metric]:
        m = self._m

        def gauge(name: str, text: str, labels: list[str]) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, text, labels=labels)

        per_objective: list[tuple[str, str, Callable[[ObjectiveFigures], float]]] = [
            ("slaforge_clocks_open", "Live clocks running or paused", lambda f: f.open),
            (
                "slaforge_clocks_at_risk",
                "Running clocks past three quarters of their target",
                lambda f: f.at_risk,
            ),
            ("slaforge_clocks_overdue", "Open clocks past their deadline", lambda f: f.overdue),
            ("slaforge_clocks_stopped_month", "Clocks stopped this UTC month", lambda f: f.stopped),
            (
                "slaforge_clocks_breached_month",
                "Clocks stopped this UTC month over their target",
                lambda f: f.breached,
            ),
        ]
        for name, text, value in per_objective:
            g = gauge(name, text, OBJECTIVE)
            for f in m.objectives:
                g.add_metric([str(f.agreement_id), str(f.customer_id), f.objective, f.metric], value(f))
            yield g
        attained = gauge(
            "slaforge_attainment_month",
            "Share of this UTC month's stopped clocks within their target (absent before any stopped)",
            OBJECTIVE,
        )
        for f in m.objectives:
            if f.attainment is not None:
                attained.add_metric(
                    [str(f.agreement_id), str(f.customer_id), f.objective, f.metric], f.attainment
                )
        yield attained
        per_service: list[tuple[str, str, Callable[[AvailabilityFigures], float]]] = [
            ("slaforge_availability_target_ratio", "Availability target", lambda a: a.target_percent / 100),
            (
                "slaforge_downtime_seconds_month",
                "Unplanned downtime this UTC month",
                lambda a: a.down_seconds,
            ),
            (
                "slaforge_downtime_allowed_seconds_month",
                "Downtime the target allows this month",
                lambda a: a.allowed_seconds,
            ),
            (
                "slaforge_error_budget_remaining_ratio",
                "Share of the month's allowed downtime left",
                lambda a: a.budget_remaining,
            ),
        ]
        for name, text, of in per_service:
            g = gauge(name, text, AVAILABILITY)
            for a in m.availability:
                g.add_metric([str(a.agreement_id), str(a.customer_id), a.objective, a.service], of(a))
            yield g
        sent = gauge(
            "slaforge_notifications", "Notifications in the outbox by channel and state", ["channel", "state"]
        )
        for (channel, state), count in sorted(m.notifications.items()):
            sent.add_metric([channel, state], count)
        yield sent


@router.get(
    "/metrics",
    include_in_schema=False,
    responses={401: {"description": "no or a wrong token"}, 404: {"description": "metrics are off"}},
)
def metrics(container: ContainerDep, authorization: Annotated[str | None, Header()] = None) -> Response:
    # Plain-text answers: a scraper is not a browser (the web pages' error handling would send it
    # an HTML page, or to the sign-in form).
    expected = container.settings.metrics_token
    if not expected:
        off = "the metrics endpoint is off: set SLAFORGE_METRICS_TOKEN to turn it on\n"
        return Response(off, status_code=404, media_type="text/plain")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        refused = "GET /metrics needs Authorization: Bearer <SLAFORGE_METRICS_TOKEN>\n"
        return Response(
            refused, status_code=401, media_type="text/plain", headers={"WWW-Authenticate": "Bearer"}
        )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Figures(live_metrics(uow=container.system_uow(), now=container.clock())))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
