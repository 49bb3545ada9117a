"""The mail drop: e-mails written as .eml files, the same message SMTP would send, one per delivery."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from pydantic import ValidationError

from slaforge.adapters.platform.notifiers import DeliveryFailed, Message
from slaforge.adapters.platform.notifiers.mail_drop import MailDropNotifier
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.bootstrap import settings_notifier
from slaforge.config import Settings
from slaforge.entrypoints.cli.main import settings_problem

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Ticking:
    """A clock that moves a second on every reading, so names would differ if they used it twice."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def _message(
    delivery_id: str = "slaforge-notification-42", body: str = "Open /agree/abc to sign."
) -> Message:
    return Message(
        delivery_id=delivery_id,
        channel="email",
        recipient="buyer@customer.test",
        event="agreement.offered",
        subject="For your review: SLA — Acme",
        body=body,
    )


def _read(path: Path):  # type: ignore[no-untyped-def]
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_an_email_lands_as_a_parseable_eml_file_with_its_headers_and_body(tmp_path: Path) -> None:
    drop = MailDropNotifier(tmp_path / "outbox", sender="sla@provider.test", clock=Ticking())
    drop.send(_message())
    [path] = (tmp_path / "outbox").iterdir()
    assert path.suffix == ".eml"
    mail = _read(path)
    assert mail["To"] == "buyer@customer.test"
    assert mail["From"] == "sla@provider.test"
    assert mail["Subject"] == "For your review: SLA — Acme"
    assert mail["X-Slaforge-Delivery"] == "slaforge-notification-42"
    assert mail["X-Slaforge-Event"] == "agreement.offered"
    assert mail.get_content().strip() == "Open /agree/abc to sign."
    assert b"\r\n" in path.read_bytes()  # RFC 5322 line ends


def test_the_drop_writes_the_same_message_the_smtp_notifier_sends(tmp_path: Path) -> None:
    drop = MailDropNotifier(tmp_path, sender="sla@provider.test", clock=lambda: T0)
    drop.send(_message())
    [path] = tmp_path.iterdir()
    dropped = _read(path)
    sent = SmtpNotifier(SmtpConfig(host="unused", sender="sla@provider.test")).build(_message())
    for header in ("From", "To", "Subject", "X-Slaforge-Delivery", "X-Slaforge-Event"):
        assert dropped[header] == sent[header]
    assert dropped.get_content().replace("\r\n", "\n") == sent.get_content()


def test_the_same_delivery_twice_overwrites_its_file(tmp_path: Path) -> None:
    drop = MailDropNotifier(tmp_path, sender="sla@provider.test", clock=Ticking())
    drop.send(_message(body="first try"))
    drop.send(_message(body="second try"))
    [path] = tmp_path.iterdir()
    assert _read(path).get_content().strip() == "second try"


def test_files_sort_by_the_time_of_their_delivery(tmp_path: Path) -> None:
    drop = MailDropNotifier(tmp_path, sender="sla@provider.test", clock=Ticking())
    for ident in ("slaforge-notification-9", "slaforge-notification-10", "slaforge-notification-2"):
        drop.send(_message(ident))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [n.split("-", 1)[1] for n in names] == [
        "slaforge-notification-9.eml",
        "slaforge-notification-10.eml",
        "slaforge-notification-2.eml",
    ]
    assert names[0].startswith("20260302T093001")


def test_an_unsafe_delivery_id_never_leaves_the_folder(tmp_path: Path) -> None:
    drop = MailDropNotifier(tmp_path / "outbox", sender="sla@provider.test", clock=Ticking())
    drop.send(_message("../../etc/n:1"))
    [path] = (tmp_path / "outbox").iterdir()
    assert path.name.endswith("-.._.._etc_n_1.eml")


def test_an_unwritable_folder_is_a_failed_delivery(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    drop = MailDropNotifier(blocker / "outbox", sender="sla@provider.test", clock=Ticking())
    with pytest.raises(DeliveryFailed, match="mail drop"):
        drop.send(_message())


def _settings(**values: object) -> Settings:
    return Settings(environment="test", secret_key="s" * 40, **values)  # type: ignore[arg-type]


def test_the_composition_root_drops_email_when_no_smtp_host_is_set(tmp_path: Path) -> None:
    channels = settings_notifier(_settings(mail_drop_dir=str(tmp_path / "outbox")), lambda: T0)
    with channels() as notifier:
        notifier.send(_message())
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_smtp_wins_over_the_drop_and_says_the_drop_is_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(mail_drop_dir=str(tmp_path / "outbox"), smtp_host="127.0.0.1", smtp_port=9)
    with caplog.at_level(logging.WARNING, logger="slaforge.bootstrap"):
        channels = settings_notifier(settings, lambda: T0)
    assert "SLAFORGE_MAIL_DROP_DIR is ignored" in caplog.text
    with channels() as notifier, pytest.raises(DeliveryFailed, match="SMTP"):
        notifier.send(_message())
    assert not (tmp_path / "outbox").exists()


def test_production_refuses_a_mail_drop_in_one_line_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(environment="production", secret_key="k" * 40, mail_drop_dir=str(tmp_path))
    assert settings_problem(caught.value).startswith("SLAFORGE_MAIL_DROP_DIR must be empty in production")
    copied = Settings(environment="production", secret_key="k" * 40).model_copy(
        update={"mail_drop_dir": str(tmp_path)}
    )
    with pytest.raises(ValueError, match="SLAFORGE_MAIL_DROP_DIR"):
        settings_notifier(copied, lambda: T0)
