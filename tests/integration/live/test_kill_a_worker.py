"""Done when (issue 14): three `slaforge worker` processes share over a thousand due clocks through
PostgreSQL, one is killed with SIGKILL in the middle of the run, and every notification is still
delivered exactly once — per delivery id, the idempotency key a receiver drops copies by; a copy
can arise only for the one message the killed worker had sent and not yet recorded — and every
ladder step and breach is recorded once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from slaforge.adapters.db.models import LiveFiring, Notification
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.services.live import ingest
from tests.agreement_setup import NOW
from tests.live_setup import live, ticket
from tests.notify_receivers import http_receiver
from tests.readiness_setup import config

# Each ticket: two clocks due (first response, resolution), two ladder steps by webhook (first
# response) and two breaches: 1,200 clocks, 1,200 notifications and 2,400 firings in all.
TICKETS = 600


def _count(uow: SqlAlchemyUnitOfWork, stmt: Any) -> int:
    with uow:
        return int(uow.session.scalar(stmt) or 0)


def _worker(database_url: str, secret: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SLAFORGE_DATABASE_URL": database_url,
        "SLAFORGE_NOTIFY_WEBHOOK_SECRET": secret,
        "SLAFORGE_LOG_LEVEL": "WARNING",
    }
    code = "from slaforge.entrypoints.cli.main import run; run()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "worker", "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(
    uow: SqlAlchemyUnitOfWork, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("workers on several processes share the work through PostgreSQL (SQLite has one writer)")
    with http_receiver([200]) as hook:
        raw = config()
        # No report definition: the workers run on the real clock, by which this agreement's
        # November report is due; this test counts the ladder's notifications only.
        raw["reports"] = []
        step = {"notify": hook.url, "channel": "webhook", "action": "look at it", "within": 600}
        raw["objectives"][0]["procedure"]["ladder"] = [{**step, "at": 0.5}, {**step, "at": 0.9}]
        raw["objectives"][1]["procedure"]["ladder"] = []
        lv = live(uow, raw=raw)
        items = [
            {
                "ticket": ticket(f"INC-{i:05d}", NOW),
                "event": {
                    "at": NOW,
                    "kind": "created",
                    "status": "new",
                    "priority": "P1",
                    "dedupe_key": f"created:INC-{i:05d}",
                },
            }
            for i in range(TICKETS)
        ]
        ingest.deliver_batch(uow=uow, secret=lv.secret, items=items, system="api", now=NOW)
        # By the workers' clock (now) every first-response clock is long past its steps and breach.
        expected = 2 * TICKETS
        workers = [_worker(database_url, "k" * 32) for _ in range(3)]
        try:
            deadline = time.monotonic() + 240
            while len(hook.requests) < expected // 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(workers[0].pid, signal.SIGKILL)  # mid-run: a quarter of the messages are out
            at_kill = len(hook.requests)
            workers[0].wait(timeout=30)
            while time.monotonic() < deadline:
                pending = _count(
                    uow, select(func.count()).select_from(Notification).where(Notification.status != "sent")
                )
                fired = _count(uow, select(func.count()).select_from(LiveFiring))
                if fired == 4 * TICKETS and pending == 0:
                    break
                time.sleep(0.5)
        finally:
            for w in workers[1:]:
                w.send_signal(signal.SIGTERM)
            for w in workers[1:]:
                try:
                    w.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    w.kill()
        errors = b""
        for w in workers:
            if w.stderr is not None:
                errors += w.stderr.read()
                w.stderr.close()
        assert b"Traceback" not in errors, errors.decode(errors="replace")[-2000:]

        steps = Counter(row[0] for row in _rows(uow, select(LiveFiring.kind)))
        assert steps == {"step": 2 * TICKETS, "breach": 2 * TICKETS}
        assert _count(uow, select(func.count()).select_from(Notification)) == expected
        assert (
            _count(uow, select(func.count()).select_from(Notification).where(Notification.status == "sent"))
            == expected
        )
        assert 0 < at_kill < expected  # the kill came in the middle of the run
        keys = Counter(r.headers["Idempotency-Key"] for r in hook.requests)
        assert len(keys) == expected  # every notification arrived
        copies = sum(n - 1 for n in keys.values())
        assert copies <= 1  # at most the killed worker's one message in flight, with the same key


def _rows(uow: SqlAlchemyUnitOfWork, stmt: Any) -> list[Any]:
    with uow:
        return list(uow.session.execute(stmt))
