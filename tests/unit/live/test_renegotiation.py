"""The renegotiation signal from closed periods' attainment against the threshold."""

from __future__ import annotations

import pytest

from slaforge.domain.live.renegotiation import judge


@pytest.mark.parametrize(
    ("attainments", "kind"),
    [
        ([0.99, 1.0, 0.995], "tighten"),  # each at least 4 points above 95 %
        ([0.99, 0.98, 0.995], None),  # one only 3 points above: room to spare, no more
        ([0.97, 0.93, 0.94], "loosen"),  # two misses in three
        ([0.951, 0.955, 0.95], "loosen"),  # each passing by less than a point
        ([0.90, 0.99, 1.0, 1.0], "tighten"),  # the last three count
        ([1.0, 1.0], None),  # too few periods
        ([1.0, None, 1.0], None),  # a period without outcomes: not judged
    ],
)
def test_the_signal_reads_the_last_three_closed_periods(
    attainments: list[float | None], kind: str | None
) -> None:
    signal = judge(attainments, 0.95)
    assert signal.kind == kind
    assert signal.reason
    assert signal.attainments == tuple(attainments[-3:])
