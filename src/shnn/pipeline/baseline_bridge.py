"""An Adam baseline on the store's scale: its first steps timed again on a calibrated machine.

A baseline of the paper preset trains for hours, in segments on the machines of several
sessions (``segments/<case>.tsv``), before records named their machine. Its stored time (the
sum of the segments' training seconds) cannot be put on another machine's scale by a
calibration. But every Adam step of a baseline does the same arithmetic on a batch of the same
size, so its time per step measures its machines. A **baseline bridge** trains the baseline's
first :data:`STEPS` steps again on a calibrated machine (same data, seed and settings; a step
does not depend on the total number of steps), checks that their losses come out as stored (the
stored loss history keeps every ``steps // 1000``-th step), and appends to the store's
``bridges.jsonl`` the ratio of the time per step now to the stored time per step, with the
reference fit timed just before and after (a line like a shard's bridge,
:func:`shnn.pipeline.scale.bridge_line`). :meth:`shnn.pipeline.scale.Scale.factor` then puts
the baseline's stored time on the scale like an old shard's (``sweep`` ``hnn``, ``value`` the
case). The stored time is never changed.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from shnn.pipeline import machine

if TYPE_CHECKING:
    from shnn.pipeline.scale import BridgeJob, Reference

#: Adam steps a baseline bridge trains (a multiple of the stored history's stride, 180 at the
#: paper's 180000 steps).
STEPS = 1800
#: The ``sweep`` of a baseline's bridge line (its ``value`` is the case).
SWEEP = "hnn"


def history_stride(steps: int) -> int:
    """Every how many steps a baseline's stored ``loss_history`` keeps one loss."""
    return max(1, steps // 1000)


def bridge_steps(total: int) -> int:
    """The steps a bridge of a baseline of ``total`` steps trains: :data:`STEPS`, or all of a
    shorter baseline's, cut to a multiple of :func:`history_stride`."""
    stride = history_stride(total)
    return max(stride, min(STEPS, total) // stride * stride)


def loss_difference(losses: np.ndarray, stored_history: list[float], stride: int) -> float:
    """The largest relative difference between the losses of a shorter run (every step) and
    the stored history (every ``stride``-th step) where both have the step; inf if none."""
    from shnn.pipeline.recompute import relative_difference

    ours = [float(v) for v in losses[::stride]]
    pairs = list(zip(ours, stored_history, strict=False))
    if not pairs:
        return float("inf")
    return max(relative_difference(a, float(b)) for a, b in pairs)


def measure(config: dict[str, Any], case: str, steps: int | None = None,
            reference: Reference | None = None) -> dict[str, Any]:
    """Train baseline ``case``'s first ``steps`` steps (default :func:`bridge_steps`) here
    and return its bridge line (:func:`shnn.pipeline.scale.bridge_line`): the seconds now and
    per step, the stored seconds per step, their ratio (now / stored), the largest relative
    difference of the losses from the stored history and its verdict, and the contention.
    :class:`shnn.pipeline.recompute.ErrorsDiffer` if the losses differ beyond the cross-CPU
    tolerance: then it is not the stored computation, and nothing is stored."""
    from shnn.pipeline.fitting import make_model, spec_dataset
    from shnn.pipeline.recompute import BITWISE, WITHIN, ErrorsDiffer, verdict
    from shnn.pipeline.scale import bridge_line
    from shnn.pipeline.store import record_seconds
    from shnn.pipeline.sweeps import baseline_spec, baseline_store

    if case not in config.get("hnn", {}):
        raise ValueError(f"--baseline: unknown Adam baseline {case!r}; choose from "
                         f"{', '.join(config.get('hnn', {}))}")
    spec = baseline_spec(config, case)
    record = baseline_store(config, case, "").get(spec)
    if record is None:
        raise ValueError(f"--baseline {case}: the baseline is not stored, nothing to bridge")
    stride = history_stride(spec.steps)
    steps = bridge_steps(spec.steps) if steps is None else steps
    if steps % stride or not 0 < steps <= spec.steps:
        raise ValueError(f"--baseline {case}: {steps} steps must be a multiple of {stride} "
                         f"and at most the baseline's {spec.steps}")
    data = spec_dataset(spec)

    def train() -> dict[str, Any]:
        model = make_model(dataclasses.replace(spec, steps=steps))
        meter = machine.Meter()
        model.fit(data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train)
        usage = meter.stop()
        difference = loss_difference(model.loss_history_, record["loss_history"], stride)
        if verdict(difference) not in (BITWISE, WITHIN):
            raise ErrorsDiffer(f"hnn {case}: the first {steps} steps' losses differ from the "
                               f"stored history by {difference:.1e} (relative): no bridge "
                               "stored")
        stored_per_step = record_seconds(record) / spec.steps
        now_per_step = model.fit_seconds_ / steps
        return {"steps": steps, "seconds": round(model.fit_seconds_, 4),
                "seconds_per_step": round(now_per_step, 9),
                "stored_seconds_per_step": round(stored_per_step, 9),
                "losses": verdict(difference), "loss_difference": difference,
                "ratio": round(now_per_step / stored_per_step, 5), **usage.fields()}

    return bridge_line(SWEEP, case, train, reference)


def jobs(config: dict[str, Any], cases: list[str]) -> list[BridgeJob]:
    """The bridge job (:func:`shnn.pipeline.scale.store_bridges`) of each baseline in
    ``cases``."""
    from shnn.pipeline.scale import BridgeJob

    def text(bridge: dict[str, Any]) -> str:
        return (f"{bridge['steps']} steps, {bridge['seconds_per_step']:.4f} s per step now "
                f"against {bridge['stored_seconds_per_step']:.4f} s stored: now / stored "
                f"{bridge['ratio']:.3f} (losses {bridge['losses']})")

    def job(case: str) -> BridgeJob:
        return BridgeJob(f"hnn {case}", 0.0,
                         lambda reference: measure(config, case, reference=reference), text)

    return [job(case) for case in cases]
