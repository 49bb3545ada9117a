"""What going live freezes: the configuration in canonical JSON (sorted keys, NFC, integral
floats as integers) with its SHA-256, beside the version's own content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from slaforge.domain.platform.canonical import canonical_json


def frozen_form(*, config: Mapping[str, Any], version_hash: str | None) -> tuple[str, str]:
    """(canonical JSON, SHA-256 hex) of the configuration the clocks will use, bound to the
    version's content hash so that the pair names exactly one agreed text and one set-up."""
    text = canonical_json({"config": dict(config), "version_hash": version_hash or ""})
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


FROZEN_MESSAGE = (
    "the readiness configuration of a live version is frozen: changing it needs a new agreement version"
)
