"""Background jobs: let expired offers lapse, fire the live clocks' due warnings, escalations and
breaches, send the due notifications and checkpoint the audit log, again and again.

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
import time
from dataclasses import dataclass, field
from pathlib import Path

from slaforge.adapters.platform.audit_anchor import append_checkpoint, post_checkpoint, read_checkpoints
from slaforge.bootstrap import Container
from slaforge.domain.platform.audit_checkpoint import Checkpoint
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.live import (
    availability_firing,
    burn_alerts,
    closing,
    firing,
    repair,
    reports,
    scheduled,
)
from slaforge.services.platform import audit, notifications
from slaforge.services.readiness import shadow_runs
from slaforge.services.relationship import task_reminders

log = logging.getLogger("slaforge.worker")


@dataclass(frozen=True, slots=True)
class PassReport:
    lapsed: int = 0
    fired: firing.FireReport = field(default_factory=firing.FireReport)
    delivery: notifications.DeliveryReport = field(default_factory=notifications.DeliveryReport)


def run_pass(container: Container, *, limit: int = 500) -> PassReport:
    """Lapse the offers past their expiry (their news is queued with them), remind about overdue
    tasks, then send what is due."""
    lapsed = acceptance.lapse_offers(uow=container.system_uow(), now=container.clock())
    # Overdue tasks' reminders are queued before delivery, so they leave in this same pass; a
    # failing scan is logged and must not hold back the delivery of everything else.
    try:
        task_reminders.remind_overdue(uow=container.system_uow(), now=container.clock())
    except Exception:
        log.exception("task reminder scan failed; retrying next pass")
    # Shadow runs a stopped server left queued; after the reminders, before delivery (seconds).
    try:
        shadow_runs.run_queued(units=container.system_uow, clock=container.clock)
    except Exception:
        log.exception("shadow run scan failed; retrying next pass")
    # The live clocks' ladder steps and breaches: their notifications are queued here and leave in
    # this same pass. Clocks are claimed with SKIP LOCKED, so several workers share them.
    fired = firing.FireReport()
    try:
        # Clocks computed before a holiday was added are recomputed first (their deadlines move).
        for done in repair.repair_after_holidays(units=container.system_uow, now=container.clock()):
            log.info(
                "live clocks of agreement %s repaired after a holiday: %s changed",
                done.agreement_id,
                done.changed,
            )
        # Open clocks of an agreement whose new version went live are carried over to it.
        for done in repair.carry_over_versions(units=container.system_uow, now=container.clock()):
            log.info(
                "live clocks of agreement %s carried over to its new version: %s changed",
                done.agreement_id,
                done.changed,
            )
        fired = firing.fire_due(units=container.system_uow, now=container.clock())
        # Availability objectives: each month's downtime against its allowance, from the outages.
        availability_firing.fire_availability(units=container.system_uow, now=container.clock())
        burn_alerts.evaluate_burn_alerts(units=container.system_uow, now=container.clock())
        # Periods that ended are closed after everything due in them has fired; late events
        # since make adjustments to the last ones, never rewrites.
        closing.close_periods(units=container.system_uow, now=container.clock())
    except Exception:
        log.exception("live clock scan failed; retrying next pass")
    # Reports whose delivery instant has come, from the periods just closed; their e-mails are
    # queued with them and leave in this same pass.
    try:
        reports.generate_due(
            units=container.system_uow, now=container.clock(), base_url=container.settings.public_url
        )
    except Exception:
        log.exception("live report scan failed; retrying next pass")
    with container.notifier() as notifier:
        report = notifications.deliver_due(
            uow=container.system_uow(),
            notifier=notifier,
            now=container.clock(),
            limit=limit,
            max_attempts=container.notify.max_attempts,
            backoff_seconds=container.notify.backoff_seconds,
        )
    return PassReport(lapsed, fired, report)


def write_checkpoint(
    container: Container, *, path: Path | None = None, url: str | None = None, only_if_grown: bool = False
) -> Checkpoint | None:
    """Sign the verified chain's end and keep it outside the database: appended to the checkpoint
    file, and POSTed to the checkpoint URL when one is set. `only_if_grown`: None, and nothing
    written, when the file's latest checkpoint already records this end. Raises Conflict when the
    chain does not verify, CheckpointPostFailed when the receiver refuses (after the file has it)."""
    path = path or container.settings.audit_checkpoint_path()
    url = container.settings.audit_checkpoint_url.strip() if url is None else url
    cp = audit.checkpoint(uow=container.system_uow(), now=container.clock())
    if only_if_grown:
        recorded = read_checkpoints(path).checkpoints
        if recorded and (recorded[-1][1].seq, recorded[-1][1].head_hash) == (cp.seq, cp.head_hash):
            return None
    append_checkpoint(path, cp)
    if url:
        post_checkpoint(url, cp)
    return cp


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
        self._checkpoint_every = container.settings.audit_checkpoint_interval
        self._next_checkpoint = 0.0  # monotonic time; the first pass writes one
        self._imports_every = container.settings.live_import_interval
        self._next_imports = 0.0  # monotonic time; the first pass runs them

    def _checkpoint_if_due(self) -> None:
        """An audit checkpoint every SLAFORGE_AUDIT_CHECKPOINT_INTERVAL seconds, when the log grew."""
        if self._checkpoint_every <= 0 or time.monotonic() < self._next_checkpoint:
            return
        self._next_checkpoint = time.monotonic() + self._checkpoint_every
        try:
            cp = write_checkpoint(self._container, only_if_grown=True)
        except Exception:  # a tampered log, a full disk or a receiver down: say so loudly, go on
            log.exception("audit checkpoint failed")
            return
        if cp is not None:
            log.info("audit checkpoint: %s entries ending in #%s", cp.entries, cp.seq)

    def _imports_if_due(self) -> None:
        """Live agreements' scheduled imports every SLAFORGE_LIVE_IMPORT_INTERVAL seconds: each new
        file of a configured path, then the clocks of its tickets (before this pass fires them)."""
        if self._imports_every <= 0 or time.monotonic() < self._next_imports:
            return
        self._next_imports = time.monotonic() + self._imports_every
        try:
            for done in scheduled.import_scheduled(
                units=self._container.system_uow, clock=self._container.clock
            ):
                if done.files:
                    log.info(
                        "scheduled import for agreement %s objective %s: %s file(s), %s ticket(s)",
                        done.agreement_id,
                        done.objective,
                        done.files,
                        done.tickets,
                    )
        except Exception:  # an unreadable folder or a bad file: say so, go on with the rest
            log.exception("scheduled import failed; retrying in %s s", self._imports_every)

    def run_once(self) -> PassReport | None:
        self._checkpoint_if_due()
        self._imports_if_due()
        try:
            report = run_pass(self._container, limit=self._limit)
        except Exception:  # a database or network hiccup: log it and try again next time
            log.exception("background pass failed; retrying in %s s", self._interval)
            return None
        finally:
            self.passes += 1
        if report.fired.clocks:
            log.info("live clocks: %s", report.fired)
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
