"""`slaforge notify …` and `slaforge order …`, run in process against a migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from slaforge.config import get_settings
from slaforge.entrypoints.cli.main import app
from slaforge.services.agreement import reading
from tests.agreement_setup import draft
from tests.notify_receivers import smtp_server


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setenv("SLAFORGE_DATABASE_URL", database_url)
    monkeypatch.setenv("SLAFORGE_PUBLIC_URL", "https://sla.provider.test")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_link_is_sent_by_mail_and_an_order_attached_from_the_command_line(env, uow, monkeypatch):
    d = draft(uow)
    runner = CliRunner()
    sent = runner.invoke(
        app, ["notify", "link", str(d.version_id), "--to", "jane@acme.test", "--expires-days", "30"]
    )
    assert sent.exit_code == 0, sent.output
    assert "offered version 1" in sent.output
    assert "https://sla.provider.test/agree/" in sent.output
    assert reading.get_version(uow=uow, version_id=d.version_id).state == "offered"

    with smtp_server() as sink:
        monkeypatch.setenv("SLAFORGE_SMTP_HOST", sink.host)
        monkeypatch.setenv("SLAFORGE_SMTP_PORT", str(sink.port))
        get_settings.cache_clear()
        delivered = runner.invoke(app, ["notify", "deliver"])
    assert delivered.exit_code == 0, delivered.output
    assert delivered.output.startswith("1 sent")
    assert [m["To"] for m in sink.messages] == ["jane@acme.test"]

    listed = runner.invoke(app, ["notify", "list"])
    assert "sent" in listed.output
    assert "agreement.offered" in listed.output

    attached = runner.invoke(
        app,
        [
            "order",
            "attach",
            "ORD-7",
            "--customer",
            str(d.customer_id),
            "--version",
            str(d.version_id),
            "--amount",
            "99000",
            "--currency",
            "EUR",
        ],
    )
    assert attached.exit_code == 0, attached.output
    orders = runner.invoke(app, ["order", "list"])
    assert "ORD-7" in orders.output
    assert "990.00 EUR" in orders.output
    assert runner.invoke(app, ["order", "list", "--flagged"]).output == ""
