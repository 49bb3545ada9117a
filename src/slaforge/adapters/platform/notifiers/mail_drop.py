"""E-mail written to a folder as .eml files instead of sent: for the demo and for development
without an SMTP server. Open the files in any mail client, or read them as text.

One file per delivery, `<UTC time of the first write>-<delivery id>.eml`, so a listing sorts by
time; a retried delivery (delivery is at least once) overwrites its own file, never adds a copy.
"""

from __future__ import annotations

import email.policy
import os
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from slaforge.adapters.platform.notifiers import DeliveryFailed, Message
from slaforge.adapters.platform.notifiers.mail import build_email

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class MailDropNotifier:
    """Writes each e-mail, exactly as SmtpNotifier would send it, to `folder` (created if missing)."""

    def __init__(self, folder: Path, *, sender: str, clock: Callable[[], datetime]) -> None:
        self.folder = folder
        self._sender = sender
        self._clock = clock

    def path_for(self, delivery_id: str, now: datetime) -> Path:
        """The file of this delivery: the existing one when it was written before, else a new name."""
        key = _UNSAFE.sub("_", delivery_id)
        existing = sorted(self.folder.glob(f"*-{key}.eml"))
        if existing:
            return existing[0]
        return self.folder / f"{now.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{key}.eml"

    def send(self, message: Message) -> None:
        now = self._clock()
        mail = build_email(message, sender=self._sender, at=now)
        # RFC 5322 lines end in CRLF; mail clients open such a file as one message.
        data = mail.as_bytes(policy=email.policy.SMTP)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(message.delivery_id, now)
            # Written aside and renamed, so a reader never sees half a message.
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise DeliveryFailed(f"mail drop {self.folder}: {exc}") from exc
