"""The scheduler's pass (`slaforge serve`'s thread, `slaforge worker`) reminds about overdue tasks
and delivers the reminder in the same pass; the next pass sends nothing again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from slaforge.adapters.platform.notifiers import Notifier
from slaforge.adapters.platform.notifiers.fake import FakeNotifier
from slaforge.bootstrap import bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.worker import run_pass
from tests.integration.relationship.task_setup import onboarding

LATER = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_a_pass_reminds_about_overdue_tasks_once(database_url, engine, session_factory):
    fake = FakeNotifier()

    @contextmanager
    def channels() -> Iterator[Notifier]:
        yield fake

    settings = Settings(
        database_url=database_url,
        environment="test",
        secret_key="s" * 40,
        notify_provider_email="sla@provider.test",
    )
    container = bootstrap(
        settings, engine=engine, session_factory=session_factory, clock=lambda: LATER, notifier=channels
    )
    onboarding(container.system_uow())
    run_pass(container)
    reminders = [m for m in fake.sent if m.event == "task.overdue"]
    assert len(reminders) == 6  # four provider tasks to the provider address, two to the customer admin
    assert {m.recipient for m in reminders} == {"sla@provider.test", "admin@acme.test"}
    run_pass(container)
    assert len([m for m in fake.sent if m.event == "task.overdue"]) == 6
