"""Which machine measured a time, and whether the run had that machine to itself.

A time is a measurement of one machine at one moment. Every timed result of the pipeline (a
fit record, an Adam segment, an experiment's result, a benchmark) stores

- :func:`identity`: the CPU model, the vector instruction sets numpy's own loops, its BLAS and
  PyTorch use there, the cores this process may run on and the BLAS threads;
- a :class:`Usage` of the timed work: its wall seconds, the CPU seconds of this process, and
  ``contention``: the share of the machine's CPU time that *other* processes used meanwhile.

``contention`` is the trust signal of a time. It is about 0 when the work ran alone
(the kernel and a polling parent use a little), and about 0.5 on 2 cores when one other busy
process shared the machine. ``docs/performance.md`` gives the measured values and the threshold
(:data:`ALONE`) the figures and the re-time mode use. The older ``load_per_cpu`` of a record
(the 1-minute load average over the CPU count) counts the run's own threads too, so it cannot
tell "alone" from "shared" and is kept only as history.
"""

from __future__ import annotations

import copy
import functools
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

#: Above this ``contention`` a time is not trusted as a measurement of the machine alone.
ALONE = 0.15
#: At most this ``contention`` a time is *quiet*: within a few percent of the same fit's
#: quietest time. Measured on the committed store (fits of 0.5 s and more, each against its
#: point's median): 0.98x below 0.02, 1.00x at 0.02-0.05, 1.01x at 0.05-0.10 (90th percentile
#: 1.14x) and 1.11x at 0.10-0.15 (1.27x). On the 2-core virtual machines of this project the
#: contention of a fit with nothing else running is mostly :attr:`Usage.steal`, and one stolen
#: CPU stalls both BLAS threads. Re-times and calibrations keep only quiet times where they can.
QUIET = 0.05


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), else what :mod:`platform` says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def cpu_capability() -> str:
    """The vector instruction set PyTorch's CPU kernels use here (``AVX2``, ``AVX512``...)."""
    import torch

    return str(torch.backends.cpu.get_cpu_capability())


def numpy_simd() -> str:
    """The most capable SIMD target numpy's own loops dispatch to here (``X86_V4``,
    ``AVX512_SKX``, ``ASIMD``...); ``baseline`` where none beyond the build's baseline is."""
    from numpy._core import _multiarray_umath as umath

    found = [name for name in umath.__cpu_dispatch__ if umath.__cpu_features__.get(name)]
    return found[-1] if found else "baseline"


def blas() -> dict[str, Any]:
    """numpy's BLAS here: ``{"library", "kernels", "threads"}`` (``kernels``: the CPU
    architecture whose kernels it runs, e.g. OpenBLAS's ``Haswell`` or ``SkylakeX``)."""
    from threadpoolctl import threadpool_info

    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return {"library": pool.get("internal_api", "unknown"),
                    "kernels": pool.get("architecture") or "unknown",
                    "threads": int(pool.get("num_threads", 0))}
    return {"library": "unknown", "kernels": "unknown", "threads": 0}


def boot_id() -> str:
    """This machine's boot id (Linux: new at every boot, so one per machine a session or CI
    run had), ``unknown`` elsewhere. The key of the machine's calibration
    (:mod:`shnn.pipeline.calibration`)."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


def cores() -> int:
    """The CPUs this process may run on (all of the machine's where the platform does not
    say)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1


@functools.cache
def _identity() -> dict[str, Any]:
    import torch

    return {"cpu": cpu_model(), "boot": boot_id(), "cores": cores(),
            "numpy_simd": numpy_simd(), "blas": blas(), "torch_simd": cpu_capability(),
            "torch_threads": torch.get_num_threads()}


def identity() -> dict[str, Any]:
    """The machine of this process, as a JSON-ready dict (a fresh copy; read once per
    process): ``cpu`` (model name), ``boot`` (:func:`boot_id`), ``cores`` (:func:`cores`),
    ``numpy_simd``, ``blas`` (:func:`blas`), ``torch_simd`` (:func:`cpu_capability`) and
    ``torch_threads``."""
    return copy.deepcopy(_identity())


def kind(machine: dict[str, Any] | None) -> str:
    """A short name of the machine kind whose times compare directly: the CPU model, its BLAS
    kernels and cores (``unknown`` for a result stored before machines were recorded)."""
    if not machine:
        return "unknown"
    return f"{machine['cpu']}, {machine['blas']['kernels']} BLAS, {machine['cores']} cores"


@dataclass(frozen=True)
class Usage:
    """What one timed piece of work used: wall seconds, this process's CPU seconds, and the
    share of the machine's CPU time other processes took meanwhile (``None`` where the
    platform does not say), and the part of it that was ``steal``: time the hypervisor gave
    to other virtual machines while this one's CPUs had work (``None`` where the platform
    does not count it)."""

    wall_seconds: float
    cpu_seconds: float
    contention: float | None
    steal: float | None = None

    def fields(self) -> dict[str, float]:
        """``cpu_seconds``, ``contention`` and ``steal`` (when known), rounded, for a
        record."""
        out = {"cpu_seconds": round(self.cpu_seconds, 3)}
        if self.contention is not None:
            out["contention"] = round(self.contention, 3)
        if self.steal is not None:
            out["steal"] = round(self.steal, 3)
        return out

    @property
    def quiet(self) -> bool:
        """Whether the time is quiet (contention known and at most :data:`QUIET`)."""
        return self.contention is not None and self.contention <= QUIET

    @property
    def quiet_or_unknown(self) -> bool:
        """Whether a run that wants a quiet time may stop looking: it was quiet, or the
        platform cannot say (then every run is as good as another)."""
        return self.contention is None or self.quiet


def _own_cpu() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def _steal_cpu() -> float | None:
    """CPU seconds the hypervisor gave to other virtual machines since boot (``None`` where
    the platform does not count it)."""
    try:
        return getattr(psutil.cpu_times(), "steal", None)
    except (OSError, AttributeError):
        return None


def _busy_cpu() -> float | None:
    """CPU seconds every CPU of the machine spent busy since boot (steal counted as busy: a
    virtual CPU's time that another guest took)."""
    try:
        times = psutil.cpu_times()
    except (OSError, AttributeError):
        return None
    idle = times.idle + getattr(times, "iowait", 0.0)
    return sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)


class Meter:
    """Measures one piece of work: ``meter = Meter()`` just before it, ``meter.stop()`` just
    after it (a :class:`Usage`)."""

    def __init__(self) -> None:
        self._wall = time.perf_counter()
        self._own = _own_cpu()
        self._busy = _busy_cpu()
        self._steal = _steal_cpu()

    def stop(self) -> Usage:
        wall = time.perf_counter() - self._wall
        own = _own_cpu() - self._own
        busy, steal = _busy_cpu(), _steal_cpu()
        contention = stolen = None
        cpus = psutil.cpu_count() or 0
        if self._busy is not None and busy is not None and wall > 0 and cpus:
            others = (busy - self._busy) - own
            contention = min(1.0, max(0.0, others / (wall * cpus)))
        if self._steal is not None and steal is not None and wall > 0 and cpus:
            stolen = min(1.0, max(0.0, (steal - self._steal) / (wall * cpus)))
        return Usage(wall, own, contention, stolen)
