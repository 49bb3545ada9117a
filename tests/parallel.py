"""Run one call many times at once, for the race tests: every worker waits at a barrier, so the
calls reach the server (or the database) together rather than one after the other."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def at_once(call: Callable[[T], R], arguments: Sequence[T]) -> list[R]:
    """`call(a)` for each argument, all released together; results in the arguments' order."""
    barrier = threading.Barrier(len(arguments))

    def run(argument: T) -> R:
        barrier.wait(timeout=60)
        return call(argument)

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))
