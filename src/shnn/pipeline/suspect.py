"""Which stored times are suspect: what ``make paper-retime`` re-times.

A stored fit's time is suspect when

- it ran beside other work: its ``contention`` is above :data:`shnn.pipeline.machine.ALONE`
  (records made since the machine module; older ones do not say);
- it is an outlier in its sweep point: more than :data:`OUTLIER` times the median of the same
  method at the same point;
- its whole point is off its neighbours: the point's median is more than :data:`OFF_CURVE`
  away from the curve through the neighbouring points of the same method (a shard timed on a
  slower or faster machine than its neighbours).

Only points whose median is above :data:`MIN_SECONDS` are judged (below it, start-up noise
dominates). A suspect point is re-timed whole (every method and repeat), never only its slow
fits, so that the re-timed times are not selected by their values. Where every fit of a sweep
can be put on one machine's scale (:mod:`shnn.pipeline.scale`), its times are judged on that
scale, so a shard that only ran on a slower machine is no longer off its neighbours.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from shnn.pipeline import machine
from shnn.pipeline.records import FitSpec
from shnn.validation import plural

#: A fit more than this many times its point's median (same method) is an outlier.
OUTLIER = 1.5
#: A point whose median is further than this (relative) from its neighbours' curve is off it.
OFF_CURVE = 0.15
#: Points whose median fit time is below this many seconds are not judged.
MIN_SECONDS = 1.0

@dataclass(frozen=True)
class Suspect:
    """A stored fit whose time is suspect, and why."""

    sweep: str
    value: Any
    spec: FitSpec
    record: dict[str, Any]
    reasons: tuple[str, ...]
    repeat: int = 0

    @property
    def name(self) -> str:
        return f"{self.sweep} {self.value:g} {self.spec.method} seeds {self.spec.data_seed}"


def _expected(values: list[float], medians: list[float], i: int) -> float | None:
    """The median at point ``i`` that its neighbours predict: the line through the two nearest
    other points (inner points: one on each side), in log time against the log of the sweep
    value (a power law is a line there), or against the value itself where a value is 0."""
    if len(values) < 3:
        return None
    x = np.log(values) if min(values) > 0 else np.asarray(values, dtype=float)
    a, b = _neighbours(i, len(values))
    la, lb = np.log(medians[a]), np.log(medians[b])
    return float(np.exp(la + (lb - la) / (x[b] - x[a]) * (x[i] - x[a])))


def point_reasons(times: dict[Any, list[float]]) -> dict[Any, str]:
    """Points (sweep values) of one method whose median time is off its neighbours' curve:
    ``{value: reason}``; ``times``: the fit seconds of each point."""
    values = sorted(times)
    medians = [statistics.median(times[v]) for v in values]
    out = {}
    for i, value in enumerate(values):
        expected = _expected([float(v) for v in values], medians, i)
        if expected is None or medians[i] < MIN_SECONDS:
            continue
        off = medians[i] / expected - 1
        if abs(off) > OFF_CURVE:
            out[value] = f"point median {medians[i]:.2f} s is {off:+.0%} off its neighbours"
    return out


def _neighbours(i: int, n: int) -> tuple[int, int]:
    """The two points whose line predicts point ``i`` of ``n`` (:func:`_expected`)."""
    return (i - 1, i + 1) if 0 < i < n - 1 else (1, 2) if i == 0 else (i - 2, i - 1)


def judged_points(times: dict[Any, list[float]]) -> dict[Any, str]:
    """Points (sweep values) of one method that are judged (median at least
    :data:`MIN_SECONDS`), and the neighbours each is judged against: ``{value: why}``."""
    values = sorted(times)
    medians = [statistics.median(times[v]) for v in values]
    out: dict[Any, str] = {}
    for i, median in enumerate(medians):
        if median < MIN_SECONDS or len(values) < 3:
            continue
        out[values[i]] = f"point median {median:.2f} s, judged"
        for j in _neighbours(i, len(values)):
            out.setdefault(values[j], f"neighbour of the judged point {values[i]:g}")
    return out


def fit_reasons(record: dict[str, Any], median: float) -> list[str]:
    """Why one fit's time is suspect on its own (contended, or an outlier of its point)."""
    reasons = []
    if record.get("contention", 0.0) > machine.ALONE:
        reasons.append(f"contention {record['contention']:.2f}")
    if median >= MIN_SECONDS and record["fit_seconds"] > OUTLIER * median:
        reasons.append(f"{record['fit_seconds']:.2f} s, {record['fit_seconds'] / median:.1f}x "
                       "its point's median")
    return reasons


def suspects(config: dict[str, Any], sweep_ids: Sequence[str] | None = None,
             uncalibrated: bool = False, all_judged: bool = False) -> list[Suspect]:
    """Every stored sampled fit of the preset's sweeps (or of ``sweep_ids``) whose time is
    suspect, in interleaved order (:func:`interleaved`); with ``uncalibrated``, also every fit
    made on a machine without a calibration in the store (:mod:`shnn.pipeline.calibration`),
    whose time cannot be put on another machine's scale; with ``all_judged``, every fit of a
    point whose median (of some method) is at least :data:`MIN_SECONDS`."""
    from shnn.pipeline.calibration import read_calibrations
    from shnn.pipeline.scale import store_scale, sweep_factors
    from shnn.pipeline.sweeps import sweep_fits

    calibrated = read_calibrations(config["store_dir"]) if uncalibrated else {}
    scale = store_scale(config["store_dir"])
    found = []
    for sweep_id, sweep in config["sweeps"].items():
        if sweep_ids is not None and sweep_id not in sweep_ids:
            continue
        # judged on one machine's scale where the whole sweep can be put on it
        factors = None if scale is None else sweep_factors(config, sweep_id, scale)
        stored: dict[tuple[Any, str], list[tuple[FitSpec, dict[str, Any], int]]] = {}
        seconds: dict[tuple[Any, str], list[float]] = {}
        for fit in sweep_fits(config, sweep_id):
            if fit.record is not None:
                point = (fit.value, fit.spec.method)
                stored.setdefault(point, []).append((fit.spec, fit.record, fit.repeat))
                factor = 1.0 if factors is None else factors[point[0], fit.repeat, point[1]][0]
                seconds.setdefault(point, []).append(fit.record["fit_seconds"] * factor)
        reasons: dict[Any, list[str]] = {}  # per point: why some fit of it is suspect
        for method in sweep["methods"]:
            times = {v: ts for (v, m), ts in seconds.items() if m == method}
            for value, why in point_reasons(times).items():
                reasons.setdefault(value, []).append(f"{method}: {why}")
            if all_judged:
                for value, why in judged_points(times).items():
                    reasons.setdefault(value, []).append(f"{method}: {why} (--all-judged)")
            for value in times:
                median = statistics.median(times[value])
                for (spec, record, _), t in zip(stored[value, method], times[value],
                                                strict=True):
                    why = fit_reasons({**record, "fit_seconds": t}, median)
                    if uncalibrated and factors is None and \
                            (record.get("machine") or {}).get("boot") not in calibrated:
                        why.append("its machine has no calibration")
                    reasons.setdefault(value, []).extend(
                        f"{method} seeds {spec.data_seed}: {w}" for w in why)
        # a point is re-timed whole (every method and repeat), never only its slow fits, so
        # that the re-timed times are not selected by their values
        for (value, _), fits in stored.items():
            if reasons.get(value):
                found += [Suspect(sweep_id, value, spec, record, tuple(reasons[value]), repeat)
                          for spec, record, repeat in fits]
    return interleaved(found)


def interleaved(found: Sequence[Suspect]) -> list[Suspect]:
    """``found`` ordered sweep by sweep (in their first appearance), and within a sweep by
    repeat, then point, then method: every point's repeat 0 first, then every point's repeat 1,
    and so on (a slow stretch of the machine is spread over the points)."""
    sweeps = list(dict.fromkeys(s.sweep for s in found))
    return sorted(found, key=lambda s: (sweeps.index(s.sweep), s.repeat))


def listing(found: Sequence[Suspect], most: int = 3) -> list[str]:
    """One line per suspect point: its fits, and why (the first ``most`` reasons and how many
    more; every fit of a point shares the point's reasons)."""
    points: dict[tuple[str, Any], list[Suspect]] = {}
    for suspect in found:
        points.setdefault((suspect.sweep, suspect.value), []).append(suspect)
    lines = []
    for (sweep, value), fits in points.items():
        reasons = fits[0].reasons
        more = f"; and {len(reasons) - most} more" if len(reasons) > most else ""
        lines.append(f"{sweep} {value:g}: {plural(len(fits), 'fit')}: "
                     f"{'; '.join(reasons[:most])}{more}")
    return lines
