"""Run per-chunk work on a few threads and hand the results back in chunk order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

__all__ = ["DEFAULT_WORKERS", "ordered_map"]

_T = TypeVar("_T")

# One thread drawing the next chunk while the caller writes the last one. numpy and Arrow
# release the GIL in their kernels, but the many small steps per chunk do not, and more
# threads measured slower on a two-CPU machine; they also hold more chunks in memory.
DEFAULT_WORKERS = 1


def ordered_map(work: Callable[[int], _T], count: int, workers: int) -> Iterator[_T]:
    """`work(0)`, `work(1)`, ... `work(count - 1)`, computed ahead on `workers` threads.

    At most `workers` results wait besides the one being consumed, which bounds memory.
    `work` must depend on its index only; then the threads change nothing in the output.
    """
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="synth")
    pending: deque[Future[_T]] = deque()
    try:
        for index in range(count):
            pending.append(pool.submit(work, index))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # On an early stop (an error, Ctrl-C) drop the queued work instead of finishing it.
        pool.shutdown(wait=True, cancel_futures=True)
