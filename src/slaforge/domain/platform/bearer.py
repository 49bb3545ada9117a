"""Secrets that are carried by their holder (API tokens, session ids, calendar-feed tokens) are
stored only as their SHA-256: whoever reads the database learns nothing it could present."""

from __future__ import annotations

import hashlib


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
