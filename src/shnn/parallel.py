"""Threads for the elementwise work of a fit (tanh of the hidden layer).

LAPACK and BLAS already use every core; numpy's ufuncs (``tanh``) run on one. Large
elementwise passes are therefore split into independent blocks and mapped over a small
thread pool (numpy releases the GIL inside ufuncs). Every block does exactly the work it
would do alone, so results are bitwise the same for any number of threads.

The thread count follows the same environment variables as the BLAS
(``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``; the smallest one set
wins), so a Snakemake job with ``threads: 1`` stays on one core; otherwise the CPUs this
process may run on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

#: Below this many elements the blocks run in the calling thread (thread hand-off costs more).
MIN_PARALLEL_ELEMENTS = 1 << 18

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def elementwise_threads() -> int:
    """Threads for elementwise work: the smallest positive ``*_NUM_THREADS`` set, else the
    number of CPUs available to this process."""
    limits = []
    for name in _THREAD_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            limits.append(int(value))
    if limits:
        return min(limits)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_blocks(work: Callable[[int], None], blocks: Iterable[int], elements: int) -> None:
    """Run ``work(block)`` for every block, in threads when ``elements`` is large enough.

    ``work`` must write disjoint outputs; exceptions propagate to the caller.
    """
    blocks = list(blocks)
    threads = min(elementwise_threads(), len(blocks))
    if threads <= 1 or elements < MIN_PARALLEL_ELEMENTS:
        for block in blocks:
            work(block)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for _ in pool.map(work, blocks):
            pass
