"""Scheduler resources of the pipeline's jobs (memory, run time), from measured costs.

A cluster scheduler packs jobs by what they declare. The sweep shards and the Adam
baselines declare ``mem_mb`` and ``runtime`` (minutes) computed here from benchmark files
committed under ``bench/results/``, measured on the 2-core reference machine:

- a sampled fit of N points and width M costs ``t = a N M^2 + b M^3`` seconds, with ``(a, b)``
  per method and number of degrees of freedom (``paper_estimate.json``, fitted by
  ``bench/estimate_paper.py`` to the scaling benchmarks), and its peak memory is
  ``peak_over_T_plus_B`` times the bytes of T (``N x M``) and B (``(2 dof M + 1) x (M + 1)``);
- an Adam step of the baseline costs ``width / 1000 / steps_per_second`` seconds
  (``adam_speed.json``, width 1000, batch 2048, 2 threads).

The declared values are the estimate times :data:`TIME_MARGIN` (a slower or busier node)
plus :data:`BASE_SECONDS` (interpreter start, data, test errors), and the memory estimate
times :data:`MEMORY_MARGIN` plus :data:`BASE_MEM_MB` (the interpreter with numpy, scipy and
torch loaded). They are upper bounds for a 2-core job; more threads only make jobs faster.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shnn import systems

TIME_MARGIN = 3.0
BASE_SECONDS = 120.0
MEMORY_MARGIN = 1.5
BASE_MEM_MB = 1024

#: The committed measurements of the cost model (paths from the repository root): the fit-time
#: coefficients (``bench/estimate_paper.py``) and the Adam speed (``bench/bench_adam.py``).
ESTIMATE_FILE = "bench/results/paper_estimate.json"
ADAM_SPEED_FILE = "bench/results/adam_speed.json"
COST_FILES = (ESTIMATE_FILE, ADAM_SPEED_FILE)


@dataclass(frozen=True)
class CostModel:
    """Measured costs: fit-time coefficients, fit memory ratio, Adam steps per second."""

    fit_coefficients: dict[tuple[str, int], tuple[float, float]]
    peak_over_t_plus_b: float
    adam_steps_per_second: float

    @classmethod
    def from_files(cls, estimate: str | Path, adam: str | Path) -> CostModel:
        """Read ``paper_estimate.json`` and ``adam_speed.json`` (``bench/results/``)."""
        est = json.loads(Path(estimate).read_text())
        coefficients = {}
        for key, (a, b) in est["coefficients"].items():
            method, dof = key.rsplit("-", 1)
            coefficients[method, int(dof.removesuffix("dof"))] = (float(a), float(b))
        speed = json.loads(Path(adam).read_text())["steps_per_second"]["closed_form"]
        return cls(coefficients, float(est["peak_over_T_plus_B"]), float(speed))

    @classmethod
    def committed(cls) -> CostModel:
        """The cost model of the committed measurements (:data:`COST_FILES`)."""
        return cls.from_files(*COST_FILES)

    def fit_seconds(self, method: str, dof: int, n: int, m: int) -> float:
        """Estimated seconds of one sampled fit on the 2-core reference machine."""
        a, b = self.fit_coefficients[method, dof]
        return a * n * m**2 + b * m**3

    def fit_peak_bytes(self, dof: int, n: int, m: int) -> float:
        """Estimated peak memory growth of one sampled fit."""
        return self.peak_over_t_plus_b * 8 * (n * m + (2 * dof * m + 1) * (m + 1))

    def adam_seconds(self, steps: int, width: int) -> float:
        """Estimated seconds of an Adam baseline (linear in width, from width 1000)."""
        return steps * max(width, 1000) / 1000 / self.adam_steps_per_second


def declared(seconds: float, peak_bytes: float) -> dict[str, int]:
    """``{"runtime": minutes, "mem_mb": MB}`` to declare for a job with these estimates."""
    runtime = math.ceil((TIME_MARGIN * seconds + BASE_SECONDS) / 60)
    mem_mb = math.ceil(MEMORY_MARGIN * peak_bytes / 2**20) + BASE_MEM_MB
    return {"runtime": runtime, "mem_mb": mem_mb}


def fit_size(sweep: dict[str, Any], value: Any) -> tuple[int, int]:
    """``(N, M)``: training points and width of every fit of ``sweep`` at one value."""
    key = next(iter(sweep["vary"]))
    n = int(value) if key == "train_size" else int(sweep["train_size"])
    m = int(value) if key == "width" else int(sweep["width"])
    return n, m


def sweep_dof(sweep: dict[str, Any]) -> int:
    """Degrees of freedom of the sweep's system."""
    return systems.get(sweep["system"], **sweep.get("params", {})).dof


def shard_seconds(costs: CostModel, sweep: dict[str, Any], value: Any) -> float:
    """Estimated seconds of every method and repeat of ``sweep`` at one value (2 cores)."""
    n, m = fit_size(sweep, value)
    dof = sweep_dof(sweep)
    return sweep["repeats"] * sum(costs.fit_seconds(method, dof, n, m)
                                  for method in sweep["methods"])


def shard_peak_bytes(costs: CostModel, sweep: dict[str, Any], value: Any) -> float:
    """Estimated peak memory growth of the largest fit of ``sweep`` at one value."""
    return costs.fit_peak_bytes(sweep_dof(sweep), *fit_size(sweep, value))


def shard_resources(costs: CostModel, sweep: dict[str, Any], value: Any) -> dict[str, int]:
    """Resources of one sweep shard: every method and repeat at one sweep value."""
    return declared(shard_seconds(costs, sweep, value), shard_peak_bytes(costs, sweep, value))


def baseline_resources(costs: CostModel, hnn: dict[str, Any]) -> dict[str, int]:
    """Resources of one Adam baseline (its memory is that of the data and a small network)."""
    return declared(costs.adam_seconds(hnn["steps"], hnn["width"]), 0.0)
