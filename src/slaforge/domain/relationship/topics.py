"""Topics either party raises for a coming meeting occurrence: what may be raised, and when.

A topic belongs to one occurrence (series key and ORIGINAL local start, as minutes do) that is in
the series, not cancelled and not started yet; after the meeting began the agenda is what it was.
The same text raised twice for one occurrence is one topic: the database's unique key decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.meetings import Change
from slaforge.domain.relationship.minutes import check_scheduled

MAX_TOPIC = 500


@dataclass(frozen=True, slots=True)
class Topic:
    series_key: str
    original_start: datetime  # naive local, the RECURRENCE-ID
    text: str


def check_topic_text(value: object) -> str:
    """Required, at most MAX_TOPIC characters; inner runs of blanks are one space, so that the
    same words typed twice are the same topic."""
    if not isinstance(value, str) or len(value) > MAX_TOPIC or "\x00" in value:
        raise InvalidInput(f"text of at most {MAX_TOPIC} characters", field="text", value=None)
    text = " ".join(value.split())
    if not text:
        raise InvalidInput("the topic needs some text", field="text", value="")
    return text


def check_occurrence_ahead(
    series: Mapping[str, Any], original_start: object, changes: Iterable[Change], now: datetime
) -> datetime:
    """The original local start of an occurrence that is planned and has not started by `now`."""
    original, start = check_scheduled(series, original_start, changes, cancelled="it takes no topics")
    if start <= now:
        raise InvalidInput(
            f"that meeting started {start:%Y-%m-%d %H:%M %Z}: topics are raised before it",
            field="original_start",
            value=original_start,
        )
    return original


def check_topic(
    series: Mapping[str, Any],
    original_start: object,
    changes: Iterable[Change],
    now: datetime,
    *,
    text: object,
) -> Topic:
    """A valid topic for a coming occurrence; every refusal names its field (the occurrence first)."""
    original = check_occurrence_ahead(series, original_start, list(changes), now)
    return Topic(str(series["key"]), original, check_topic_text(text))
