"""Where a started shadow run executes: a daemon thread of the serving process, so the request
that started it answers at once (202, or a redirect to the run's page showing its progress). The
worker's pass also executes runs left queued (the server stopped first); claiming decides which
executor runs it."""

from __future__ import annotations

import threading

from slaforge.bootstrap import Container
from slaforge.services.readiness.shadow_runs import execute_shadow_run


def run_in_background(container: Container, run_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=execute_shadow_run,
        kwargs={"units": container.system_uow, "run_id": run_id, "clock": container.clock},
        name=f"shadow-run-{run_id}",
        daemon=True,
    )
    thread.start()
    return thread
