"""E-mail through an SMTP server (smtplib), one connection per message; errors become DeliveryFailed."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from slaforge.adapters.platform.notifiers import DeliveryFailed, Message
from slaforge.adapters.platform.notifiers.mail import build_email


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 25
    sender: str = "slaforge@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


class SmtpNotifier:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    def build(self, message: Message) -> EmailMessage:
        return build_email(message, sender=self.config.sender)

    def send(self, message: Message) -> None:
        cfg = self.config
        try:
            with smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout) as client:
                if cfg.starttls:
                    client.starttls(context=ssl.create_default_context())
                if cfg.username:
                    client.login(cfg.username, cfg.password or "")
                client.send_message(self.build(message))
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP {cfg.host}:{cfg.port}: {exc}") from exc
