"""Where signed audit checkpoints are kept outside the database: an append-only JSON-lines file
and, optionally, a webhook receiver that gets each one as a JSON POST."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from slaforge.domain.platform.audit_checkpoint import Checkpoint


@dataclass(slots=True)
class CheckpointLog:
    """What a checkpoint file holds: checkpoints named by file and line, and lines that are not
    checkpoints (each one a problem: the file was edited or damaged)."""

    checkpoints: list[tuple[str, Checkpoint]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """One line appended (O_APPEND: whole lines, even with two writers) and flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint.to_json(), sort_keys=True) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def read_checkpoints(path: Path) -> CheckpointLog:
    log = CheckpointLog()
    if not path.exists():
        return log
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                log.checkpoints.append((where, Checkpoint.from_json(json.loads(line))))
            except ValueError as exc:  # json.JSONDecodeError is a ValueError too
                log.unreadable.append(f"checkpoint {where} is not a checkpoint: {exc}")
    return log


class CheckpointPostFailed(Exception):
    pass


def post_checkpoint(url: str, checkpoint: Checkpoint, *, timeout: float = 10.0) -> None:
    """POST the checkpoint as JSON; anything but a 2xx answer is a failure naming the status."""
    try:
        response = httpx.post(url, json=checkpoint.to_json(), timeout=timeout)
    except httpx.HTTPError as exc:
        raise CheckpointPostFailed(f"the checkpoint could not be sent to {url}: {exc}") from exc
    if not response.is_success:
        raise CheckpointPostFailed(f"{url} answered {response.status_code} to the checkpoint")
