"""Canonical JSON and content hashes: the same terms and text always give the same SHA-256."""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from typing import Any


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", str(k)): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("canonical JSON has no NaN or infinity")
        # 30.0 and 30 are the same number; write integral floats as integers.
        return int(value) if value.is_integer() else value
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, NFC strings, integral floats as integers."""
    return json.dumps(_normalise(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(terms: dict[str, Any], document: str) -> str:
    """SHA-256 (hex) over the canonical form of both the structured terms and the rendered text."""
    payload = canonical_json({"document": document.replace("\r\n", "\n"), "terms": terms})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
