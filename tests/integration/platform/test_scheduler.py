"""The background jobs: `slaforge serve` lapses offers and sends queued notifications by itself, on
a timer, to a real SMTP server; `slaforge worker` runs the same pass; a failing pass never stops it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import AgreementVersion, Notification
from slaforge.adapters.platform.notifiers import Notifier
from slaforge.adapters.platform.notifiers.fake import FakeNotifier
from slaforge.bootstrap import Container, bootstrap
from slaforge.config import Settings
from slaforge.entrypoints.asgi import build_app
from slaforge.entrypoints.worker import Scheduler, run_pass
from slaforge.services.agreement import link_offers as acceptance
from tests.agreement_setup import MANAGER, NOW, draft, offer
from tests.integration.api.live_server import LiveServer
from tests.notify_receivers import smtp_server


def _settings(database_url: str, **extra: object) -> Settings:
    return Settings(database_url=database_url, environment="test", secret_key="s" * 40, **extra)  # type: ignore[arg-type]


def _link_offer(container: Container) -> int:
    d = draft(container.system_uow())
    acceptance.offer_and_send(
        uow=container.system_uow(),
        version_id=d.version_id,
        recipients=["buyer@customer.test"],
        actor=MANAGER.email,
        now=NOW,
        expires_at=datetime.now(UTC) + timedelta(days=14),
        base_url="https://sla.provider.test",
    )
    return d.version_id


def _wait_for(condition, seconds: float = 20) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_server_sends_a_queued_email_by_itself_without_notify_deliver(
    database_url, engine, session_factory
):
    with smtp_server() as sink:
        settings = _settings(database_url, smtp_host=sink.host, smtp_port=sink.port, scheduler_interval=1)
        container = bootstrap(settings, engine=engine, session_factory=session_factory)
        _link_offer(container)
        with LiveServer(build_app(container), lifespan="on"):
            assert _wait_for(lambda: len(sink.messages) >= 1), "the scheduler sent nothing"
        assert [m["To"] for m in sink.messages] == ["buyer@customer.test"]
    with container.system_uow() as uow:
        assert [n.status for n in uow.session.scalars(select(Notification))] == ["sent"]
    # The server stopped its scheduler on shutdown.
    assert not any(t.name == "slaforge-scheduler" for t in threading.enumerate())


def test_a_scheduler_interval_of_zero_starts_no_scheduler(database_url, engine, session_factory):
    container = bootstrap(
        _settings(database_url, scheduler_interval=0), engine=engine, session_factory=session_factory
    )
    with LiveServer(build_app(container), lifespan="on"):
        assert not any(t.name == "slaforge-scheduler" for t in threading.enumerate())


def test_one_pass_lapses_expired_offers_and_sends_their_news(database_url, engine, session_factory):
    fake = FakeNotifier()

    @contextmanager
    def channels() -> Iterator[Notifier]:
        yield fake

    settings = _settings(database_url, notify_provider_email="sla@provider.test")
    later = NOW + timedelta(days=15)
    container = bootstrap(
        settings, engine=engine, session_factory=session_factory, clock=lambda: later, notifier=channels
    )
    d = draft(container.system_uow())
    offer(container.system_uow(), d.version_id)
    report = run_pass(container)
    assert report.lapsed == 1
    assert report.delivery.sent == 2  # the offer's news, and its lapse's
    assert [(m.event, m.recipient) for m in fake.sent] == [
        ("agreement.offered", "sla@provider.test"),
        ("agreement.expired", "sla@provider.test"),
    ]
    with container.system_uow() as uow:
        assert uow.session.get(AgreementVersion, d.version_id).state == "expired"
    # Idempotent: a second pass (another worker, or the next tick) finds nothing to do.
    again = run_pass(container)
    assert (again.lapsed, again.delivery.sent) == (0, 0)


def test_a_failing_pass_is_logged_and_the_scheduler_keeps_going(
    database_url, engine, session_factory, caplog
):
    @contextmanager
    def broken() -> Iterator[Notifier]:
        raise ConnectionError("the mail relay is down")
        yield  # pragma: no cover

    container = bootstrap(
        _settings(database_url), engine=engine, session_factory=session_factory, notifier=broken
    )
    scheduler = Scheduler(container, 0.05)
    with caplog.at_level(logging.ERROR, logger="slaforge.worker"):
        scheduler.start()
        assert _wait_for(lambda: scheduler.passes >= 3, seconds=10)
        scheduler.stop()
    assert "background pass failed" in caplog.text
    assert not any(t.name == "slaforge-scheduler" for t in threading.enumerate())


def test_the_worker_command_runs_one_pass(database_url, engine, session_factory, monkeypatch):
    from typer.testing import CliRunner

    from slaforge.config import get_settings
    from slaforge.entrypoints.cli.main import app

    container = bootstrap(_settings(database_url), engine=engine, session_factory=session_factory)
    _link_offer(container)
    with smtp_server() as sink:
        monkeypatch.setenv("SLAFORGE_DATABASE_URL", database_url)
        monkeypatch.setenv("SLAFORGE_SMTP_HOST", sink.host)
        monkeypatch.setenv("SLAFORGE_SMTP_PORT", str(sink.port))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["worker", "--once"])
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    assert [m["To"] for m in sink.messages] == ["buyer@customer.test"]


def test_the_scheduler_refuses_a_zero_interval(database_url, engine, session_factory):
    container = bootstrap(_settings(database_url), engine=engine, session_factory=session_factory)
    with pytest.raises(ValueError, match="positive"):
        Scheduler(container, 0)


def test_without_an_smtp_host_a_pass_drops_the_queued_email_as_an_eml_file(
    database_url, engine, session_factory, tmp_path
):
    from email import policy
    from email.parser import BytesParser

    outbox = tmp_path / "outbox"
    container = bootstrap(
        _settings(database_url, mail_drop_dir=str(outbox)), engine=engine, session_factory=session_factory
    )
    _link_offer(container)
    report = run_pass(container)
    assert (report.delivery.sent, report.delivery.failed, report.delivery.retrying) == (1, 0, 0)
    [path] = outbox.glob("*.eml")
    mail = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert mail["To"] == "buyer@customer.test"
    assert mail["Subject"].startswith("For your review:")
    assert "https://sla.provider.test/agree/" in mail.get_content()
    with container.system_uow() as uow:
        assert [n.status for n in uow.session.scalars(select(Notification))] == ["sent"]
    # The next pass finds nothing more to write.
    assert run_pass(container).delivery.sent == 0
    assert len(list(outbox.glob("*.eml"))) == 1
