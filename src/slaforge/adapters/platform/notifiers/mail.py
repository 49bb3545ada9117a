"""The e-mail every e-mail channel sends (SMTP, the mail drop): one builder, so they never differ."""

from __future__ import annotations

import base64
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formatdate, make_msgid

from slaforge.adapters.platform.notifiers import Message


def build_email(message: Message, *, sender: str, at: datetime | None = None) -> EmailMessage:
    """An RFC 5322 message: From, To, Subject, Date (`at`, or now), Message-ID, plain-text body,
    and the payload's `attachments` (filename, media_type, content_base64), if any."""
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
    # Files the event carries for e-mail (a live report): attached as they were generated.
    for item in message.payload.get("attachments") or []:
        content = item.get("content_base64")
        if not content:
            continue  # delivered before: the stored copy of the file was dropped
        maintype, _, subtype = str(item["media_type"]).split(";")[0].strip().partition("/")
        mail.add_attachment(
            base64.b64decode(content), maintype=maintype, subtype=subtype, filename=str(item["filename"])
        )
    return mail
