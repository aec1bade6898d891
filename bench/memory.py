"""Peak-memory helpers shared by the benchmarks (Linux: /proc/self)."""

from __future__ import annotations

import resource

import numpy as np


def warm_up(torch_too: bool = False) -> None:
    """Touch BLAS, LAPACK (and torch) once so that their one-off buffers (OpenBLAS allocates
    per-thread buffers on first use) are not counted as the fit's memory."""
    import scipy.linalg

    a = np.random.default_rng(0).random((300, 200))
    scipy.linalg.lstsq(a @ a.T @ a, a[:, 0], lapack_driver="gelsd")
    scipy.linalg.qr(a, mode="economic")
    if torch_too:
        import torch

        t = torch.as_tensor(a)
        torch.linalg.svd(torch.geqrf(t)[0])


def rss_bytes() -> int:
    """Current resident set; also resets the peak (VmHWM) to it, so that :func:`peak_bytes`
    measures only what follows (Linux ``clear_refs`` 5)."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


def peak_bytes() -> int:
    """Peak resident set (VmHWM) since the last :func:`rss_bytes` call."""
    with open("/proc/self/status") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
