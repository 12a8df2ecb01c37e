"""Work spread over the cores: documents are independent, so each can go to its own process.

Results come back in the order of the inputs, so the output never depends on
the pool.  Small batches stay in this process, where a pool would cost more
than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
MIN_PARALLEL = 16  # fewer items than this run in this process


def workers() -> int:
    """The cores this process may use (``PIPELINE_JOBS`` overrides it, 1 turns parallelism off)."""
    wanted = os.environ.get("PIPELINE_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def parallel_map(func: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """``[func(x) for x in items]``, spread over forked worker processes when that pays."""
    jobs = min(workers(), len(items))
    if jobs < 2 or len(items) < MIN_PARALLEL:
        return [func(item) for item in items]
    chunk = max(1, len(items) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(func, items, chunksize=chunk))
