"""Recompute stored fits and compare them with what is stored: ``shnn verify --recompute N``.

A reviewer's spot-check of the committed results: draw ``N`` stored fits at random
(reproducible with a seed, spread over the sweeps and methods), recompute each from its stored
settings on this machine, and compare the errors and times.

OpenBLAS picks its kernels by CPU (e.g. SkylakeX with AVX-512, Haswell without it), so a fit
recomputed on another kind of CPU than the one that made it rounds differently: it is bitwise
the same on the same kind, and within :data:`CROSS_CPU_RTOL` across the kinds this project's
machines had (measured on an AMD EPYC against fits made on an Intel Xeon with AVX-512: at most
4.6e-7 on the two cheapest committed sampled fits, 3.0e-9 on the cheapest Adam baseline).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from shnn.pipeline.machine import Usage
from shnn.pipeline.records import FitSpec

#: The largest relative difference of a recomputed error that is not a real difference.
CROSS_CPU_RTOL = 1e-5
#: The errors of a fit record that a recompute must give again.
ERROR_KEYS = ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot")

BITWISE, WITHIN, DIFFERS = "bitwise", f"within {CROSS_CPU_RTOL:g}", "DIFFERS"


class ErrorsDiffer(RuntimeError):
    """A fit timed again did not give its stored errors (beyond :data:`CROSS_CPU_RTOL`): the
    store or the code is wrong, or the rounding of another kind of CPU is larger than measured
    so far. Defined here, not in :mod:`shnn.pipeline.retime`, which also runs as ``__main__``
    (``python -m``), where a class of its own would not be the one others raise."""


def relative_difference(ours: float, committed: float) -> float:
    """``|ours - committed| / |committed|``: 0 when both are equal (or both NaN), inf when
    only one is 0 or NaN."""
    if ours == committed or (math.isnan(ours) and math.isnan(committed)):
        return 0.0
    if math.isnan(ours) or math.isnan(committed):
        return math.inf
    return abs(ours - committed) / abs(committed) if committed else math.inf


def largest_difference(ours: Mapping[str, float], committed: Mapping[str, float],
                       keys: Iterable[str]) -> float:
    """The largest :func:`relative_difference` over ``keys`` of two results."""
    return max((relative_difference(float(ours[k]), float(committed[k])) for k in keys),
               default=0.0)


def verdict(difference: float) -> str:
    """:data:`BITWISE`, :data:`WITHIN` (the cross-CPU tolerance) or :data:`DIFFERS`."""
    return BITWISE if difference == 0 else WITHIN if difference <= CROSS_CPU_RTOL else DIFFERS


@dataclass(frozen=True)
class StoredFit:
    """One stored fit: its group (sweep and method, or ``hnn <case>``), a short name of its
    settings, its spec and its stored record."""

    group: str
    name: str
    spec: FitSpec
    record: dict[str, Any]


def stored_fits(config: dict[str, Any], runs_dir: str, baselines: Sequence[str] = ()
                ) -> list[StoredFit]:
    """Every fit of the preset's sweeps that is stored (the committed logs under its
    ``store_dir``, else the per-fit files under ``runs_dir``), and the named Adam
    ``baselines`` that are."""
    from shnn.pipeline.sweeps import baseline_spec, baseline_store, sweep_fits

    found = []
    for sweep_id, sweep in config["sweeps"].items():
        key = next(iter(sweep["vary"]))
        found += [StoredFit(f"{sweep_id} {f.spec.method}",
                            f"{sweep_id} {key}={f.value:g} r{f.repeat} {f.spec.method}",
                            f.spec, f.record)
                  for f in sweep_fits(config, sweep_id, runs_dir) if f.record is not None]
    for case in baselines:
        if case not in config["hnn"]:
            raise ValueError(f"--baseline: unknown Adam baseline {case!r}; choose from "
                             f"{', '.join(config['hnn'])}")
        spec = baseline_spec(config, case)
        record = baseline_store(config, case, runs_dir).get(spec)
        if record is not None:
            found.append(StoredFit(f"hnn {case}", f"hnn {case} ({spec.steps} steps)", spec,
                                   record))
    return found


def draw(fits: Sequence[StoredFit], n: int, seed: int) -> list[StoredFit]:
    """``n`` of ``fits`` at random, spread over their groups: the groups in a random order,
    one random fit of each in turn (a group gives a second fit only once every group gave one).
    The same ``fits``, ``n`` and ``seed`` give the same draw."""
    rng = np.random.default_rng(seed)
    groups: dict[str, list[StoredFit]] = {}
    for fit in fits:
        groups.setdefault(fit.group, []).append(fit)
    pools = [list(groups[g]) for g in sorted(groups)]
    for pool in pools:
        rng.shuffle(pool)  # type: ignore[arg-type]
    order = [pools[i] for i in rng.permutation(len(pools))]
    picked: list[StoredFit] = []
    while len(picked) < n and any(order):
        for pool in order:
            if pool and len(picked) < n:
                picked.append(pool.pop())
    return picked


@dataclass(frozen=True)
class Recomputed:
    """One stored fit recomputed: the stored and the new error and time, and the verdict."""

    fit: StoredFit
    error: float
    seconds: float
    contention: float | None
    difference: float

    @property
    def verdict(self) -> str:
        return verdict(self.difference)


def refit(spec: FitSpec, stored: dict[str, Any]) -> tuple[dict[str, Any], Usage, float]:
    """Fit ``spec`` again from its settings (its data made first, outside the timed part, as a
    sweep shares it): ``(results, usage, difference)``, the largest relative difference of
    its errors (and an Adam baseline's final loss) from the ``stored`` record's."""
    from shnn.pipeline.fitting import run_fit, spec_dataset
    from shnn.pipeline.machine import Meter

    data = spec_dataset(spec)
    meter = Meter()
    results = run_fit(spec, data)
    usage = meter.stop()
    keys = ERROR_KEYS + (("final_loss",) if spec.method == "hnn" else ())
    return results, usage, largest_difference(results, stored, keys)


def recompute(fit: StoredFit) -> Recomputed:
    """Fit ``fit`` again from its stored settings and compare every error (:func:`refit`)."""
    results, usage, difference = refit(fit.spec, fit.record)
    return Recomputed(fit, results["test_rel_l2_H"], results["fit_seconds"], usage.contention,
                      difference)


def run(config_path: str, n: int, seed: int, budget_minutes: float | None = None,
        baselines: Sequence[str] = (), runs_dir: str | None = None) -> int:
    """``shnn verify --recompute N``: draw, recompute and print one table row per fit; exit
    status 1 if any recomputed error differs beyond the cross-CPU tolerance. With a budget, a
    fit that its stored time says would end past it is not started (the run stops cleanly)."""
    from shnn.pipeline.config import load
    from shnn.pipeline.machine import identity, kind
    from shnn.pipeline.store import record_seconds

    config = load(config_path)
    fits = stored_fits(config, runs_dir or config["runs_dir"], baselines)
    if not fits:
        raise ValueError(f"{config_path}: no stored fit to recompute")
    picked = draw(fits, n, seed)
    print(f"{config_path}: {len(picked)} of {len(fits)} stored fits drawn (seed {seed}), "
          f"recomputed on {kind(identity())}")
    header = ("fit", "stored error", "recomputed", "rel. diff.", "stored s", "recomputed s",
              "contention", "verdict")
    print(" | ".join(header))
    start, done = time.monotonic(), []
    for fit in picked:
        elapsed = time.monotonic() - start
        expected = record_seconds(fit.record)  # what it took when stored
        if budget_minutes is not None and elapsed + expected > 60 * budget_minutes:
            print(f"budget of {budget_minutes:g} min reached: {fit.name} (about "
                  f"{expected:.0f} s) not started; {len(done)} of {len(picked)} recomputed")
            break
        done.append(recompute(fit))
        r = done[-1]
        contention = "-" if r.contention is None else f"{r.contention:.2f}"
        print(" | ".join([fit.name, f"{fit.record['test_rel_l2_H']:.6e}", f"{r.error:.6e}",
                          f"{r.difference:.1e}", f"{fit.record['fit_seconds']:.2f}",
                          f"{r.seconds:.2f}", contention, r.verdict]), flush=True)
    differ = sum(r.verdict == DIFFERS for r in done)
    print(f"{len(done)} recomputed in {time.monotonic() - start:.0f} s: "
          f"{sum(r.verdict == BITWISE for r in done)} bitwise, "
          f"{sum(r.verdict == WITHIN for r in done)} within the cross-CPU tolerance "
          f"{CROSS_CPU_RTOL:g}, {differ} differ. Times are this machine's; a stored time is "
          "the machine's that made it (see its record's machine and contention).")
    return 1 if differ else 0
