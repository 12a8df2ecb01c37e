"""Work spread over the cores: documents are independent, so each can go to its own process.

Results come back in the order of the inputs, so the output never depends on
the pool.  Small batches stay in this process, where a pool would cost more
than it saves.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
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


def parallel_map(func: Callable[[Item], Result], items: Sequence[Item], *,
                 min_items: int = MIN_PARALLEL) -> list[Result]:
    """``[func(x) for x in items]``, spread over forked worker processes when that pays (``min_items``:
    from how many; fewer where each item is a lot of work)."""
    jobs = min(workers(), len(items))
    if jobs < 2 or len(items) < min_items:
        return [func(item) for item in items]
    chunk = max(1, len(items) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        return list(pool.map(func, items, chunksize=chunk))


def _die_with_parent(parent: int) -> None:
    """A worker never outlives a killed run: forked, it holds the project's lock too, and a next run
    would find the project busy.  Linux sends it SIGKILL when its parent dies (``PR_SET_PDEATHSIG``)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that was said
        os._exit(1)
