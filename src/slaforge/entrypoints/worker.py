"""Background jobs: let expired offers lapse and send the due notifications, again and again.

`run_pass` is one pass (what `slaforge notify deliver` and `slaforge worker --once` run);
`Scheduler` repeats it every SLAFORGE_SCHEDULER_INTERVAL seconds, in a daemon thread inside
`slaforge serve` (started and stopped by the app's lifespan) or in the foreground in
`slaforge worker`. Any number of processes may run it at once: deliver_due claims each row
(`FOR UPDATE SKIP LOCKED` on PostgreSQL) and lapse_offers takes a lock, so nothing is done twice.
A thread, not an asyncio task: sending is blocking I/O (SMTP, HTTP) that must not stall requests.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from slaforge.bootstrap import Container
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.platform import notifications

log = logging.getLogger("slaforge.worker")


@dataclass(frozen=True, slots=True)
class PassReport:
    lapsed: int = 0
    delivery: notifications.DeliveryReport = field(default_factory=notifications.DeliveryReport)


def run_pass(container: Container, *, limit: int = 500) -> PassReport:
    """Lapse the offers past their expiry (their news is queued with them), then send what is due."""
    lapsed = acceptance.lapse_offers(uow=container.system_uow(), now=container.clock())
    with container.notifier() as notifier:
        report = notifications.deliver_due(
            uow=container.system_uow(),
            notifier=notifier,
            now=container.clock(),
            limit=limit,
            max_attempts=container.notify.max_attempts,
            backoff_seconds=container.notify.backoff_seconds,
        )
    return PassReport(lapsed, report)


class Scheduler:
    """Runs `run_pass` every `interval` seconds until stopped; a failing pass is logged, never fatal."""

    def __init__(self, container: Container, interval: float, *, limit: int = 500) -> None:
        if interval <= 0:
            raise ValueError("the scheduler's interval must be positive")
        self._container = container
        self._interval = interval
        self._limit = limit
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0  # completed passes, for tests and logs

    def run_once(self) -> PassReport | None:
        try:
            report = run_pass(self._container, limit=self._limit)
        except Exception:  # a database or network hiccup: log it and try again next time
            log.exception("background pass failed; retrying in %s s", self._interval)
            return None
        finally:
            self.passes += 1
        if report.lapsed or report.delivery != notifications.DeliveryReport():
            log.info("%s offer(s) lapsed; notifications: %s", report.lapsed, report.delivery)
        return report

    def run_forever(self) -> None:
        """The loop, in the calling thread, until `stop()` (from another thread or a signal)."""
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._interval)

    def start(self) -> None:
        """Run the loop in a daemon thread (a crashed server never waits for it)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="slaforge-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the loop to end and wait for the pass in progress to finish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            self._thread = None
