"""Pure rules of meeting topics: which occurrences take them (planned, not cancelled, not started)
and what text is one topic; the agenda lists them in the order raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.domain.errors import InvalidInput
from slaforge.domain.relationship.agenda import AgendaTopic, assemble
from slaforge.domain.relationship.meetings import Change
from slaforge.domain.relationship.topics import MAX_TOPIC, check_topic, check_topic_text
from tests.unit.relationship.test_meeting_records import SERIES

MARCH = datetime(2027, 3, 1, 12, tzinfo=UTC)  # before the March meeting (2 March, 10:00 Berlin)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Renewal terms", "Renewal terms"),
        ("  Renewal \n\t terms  ", "Renewal terms"),  # the same words typed twice are one topic
        ("x" * MAX_TOPIC, "x" * MAX_TOPIC),
    ],
)
def test_a_topic_text_is_its_words(raw: str, text: str) -> None:
    assert check_topic_text(raw) == text


@pytest.mark.parametrize("raw", ["", "   ", "x" * (MAX_TOPIC + 1), "a\x00b", None, 7])
def test_a_bad_topic_text_is_refused_naming_text(raw: object) -> None:
    with pytest.raises(InvalidInput) as err:
        check_topic_text(raw)
    assert err.value.field == "text"


@pytest.mark.parametrize(
    ("start", "changes", "now", "why"),
    [
        ("2027-02-02T10:00", [], MARCH, "started"),  # held already
        ("2027-03-02T10:00", [], datetime(2027, 3, 2, 9, tzinfo=UTC), "started"),  # 10:00 Berlin is 09:00 UTC
        ("2027-03-03T10:00", [], MARCH, "not an occurrence"),
        ("2027-03-02T10:00", [Change(datetime(2027, 3, 2, 10), None, True)], MARCH, "cancelled"),
    ],
)
def test_only_a_coming_occurrence_takes_topics(
    start: str, changes: list[Change], now: datetime, why: str
) -> None:
    with pytest.raises(InvalidInput, match=why) as err:
        check_topic(SERIES, start, changes, now, text="Renewal terms")
    assert err.value.field == "original_start"


def test_a_coming_or_moved_later_occurrence_takes_topics() -> None:
    topic = check_topic(SERIES, "2027-03-02T10:00", [], MARCH, text=" Renewal  terms ")
    assert (topic.series_key, topic.original_start, topic.text) == (
        "monthly-review",
        datetime(2027, 3, 2, 10),
        "Renewal terms",
    )
    # Moved to a later day, the February meeting has not started yet on 1 March.
    moved = [Change(datetime(2027, 2, 2, 10), datetime(2027, 3, 4, 10), False)]
    assert check_topic(SERIES, "2027-02-02T10:00", moved, MARCH, text="x").original_start == datetime(
        2027, 2, 2, 10
    )


def test_the_agenda_lists_topics_in_the_order_raised() -> None:
    late = AgendaTopic(2, "Renewal", "provider", "ann@provider.test", datetime(2027, 3, 1, 9, tzinfo=UTC))
    early = AgendaTopic(5, "Outage", "customer", "bob@acme.test", datetime(2027, 2, 28, 9, tzinfo=UTC))
    found = assemble(
        series=SERIES, original_start="2027-03-02T10:00", start=MARCH, cancelled=False, now=MARCH,
        terms={}, study=None, no_study_reason="none", tasks=[], obligations=[], actions=[],
        topics=[late, early],
    )  # fmt: skip
    assert [t.text for t in found.topics] == ["Outage", "Renewal"]
