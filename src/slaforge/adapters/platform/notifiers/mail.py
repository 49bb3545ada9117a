"""The e-mail every e-mail channel sends (SMTP, the mail drop): one builder, so they never differ."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid

from slaforge.adapters.platform.notifiers import Message


def build_email(message: Message, *, sender: str, at: datetime | None = None) -> EmailMessage:
    """An RFC 5322 message: From, To, Subject, Date (`at`, or now), Message-ID, plain-text body."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False) if at is None else format_datetime(at, usegmt=True)
    domain = sender.rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid(idstring=message.delivery_id.replace(":", "."), domain=domain)
    # The receiver can drop a second copy of a retried delivery by this header.
    mail["X-Slaforge-Delivery"] = message.delivery_id
    mail["X-Slaforge-Event"] = message.event
    mail.set_content(message.body)
    return mail
