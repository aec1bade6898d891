"""Re-time what is suspect, never recompute what is right (``make paper-retime MINUTES=N``).

A stored fit's time is suspect when

- it ran beside other work: its ``contention`` is above :data:`shnn.pipeline.machine.ALONE`
  (records made since the machine module; older ones do not say);
- it is an outlier in its sweep point: more than :data:`OUTLIER` times the median of the same
  method at the same point;
- its whole point is off its neighbours: the point's median is more than :data:`OFF_CURVE`
  away from the curve through the neighbouring points of the same method (a shard timed on a
  slower or faster machine than its neighbours).

Only points whose median is above :data:`MIN_SECONDS` are judged (below it, start-up noise
dominates). Re-timing fits the record again from its stored settings on this machine, checks
that every error equals the stored one (bitwise, or within the cross-CPU tolerance of
:mod:`shnn.pipeline.recompute`; anything else stops the run with an error and stores
nothing), and appends the record again to its shard's log with only its times and machine
replaced, plus ``retimed``: the replaced times, why, and the code that made the errors. The
append-only log keeps the old line; the last line of a fit is the one read.

A re-time is stored only when it ran quiet (contention at most
:data:`shnn.pipeline.machine.QUIET`): a fit is fitted up to :data:`ATTEMPTS` times, and the
first quiet run is stored, else the least contended one if it ran alone (at most
:data:`~shnn.pipeline.machine.ALONE`), else nothing. Runs are chosen by their contention,
never by their time. Within a sweep the fits are re-timed in interleaved order (repeat 0 of
every point, then repeat 1, ...), so that a slow stretch of the machine falls on many points a
little, not on one point whole. With ``--all-judged`` every point of the chosen sweeps that is
judged (median above :data:`MIN_SECONDS`) is re-timed, not only the suspect ones: a whole
time panel measured in one run, to one standard.

Where every fit of a sweep can be put on one machine's scale (:mod:`shnn.pipeline.scale`:
calibrations, and bridges for old shards; ``--bridge`` measures those), its times are judged
on that scale, so a shard that only ran on a slower machine is no longer off its neighbours.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from shnn.pipeline import machine
from shnn.pipeline.recompute import BITWISE, WITHIN, ErrorsDiffer, refit, verdict
from shnn.pipeline.records import FitSpec
from shnn.validation import plural

#: A fit more than this many times its point's median (same method) is an outlier.
OUTLIER = 1.5
#: A point whose median is further than this (relative) from its neighbours' curve is off it.
OFF_CURVE = 0.15
#: Points whose median fit time is below this many seconds are not judged.
MIN_SECONDS = 1.0
#: The fields a re-time replaces (and keeps, under ``retimed``, as they were).
TIME_FIELDS = ("fit_seconds", "wall_seconds", "cpu_seconds", "contention", "steal", "machine",
               "load_per_cpu", "created", "code")
#: Runs of one fit a re-time may take to find a quiet one.
ATTEMPTS = 3


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
    from shnn.pipeline.store import RecordLog, shard_log_path
    from shnn.pipeline.sweeps import shard_label, sweep_points

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
        for value, repeat, specs in sweep_points(sweep):
            log = RecordLog(shard_log_path(config["store_dir"], sweep_id, shard_label(value)))
            for spec in specs:
                record = log.get(spec)
                if record is not None:
                    stored.setdefault((value, spec.method), []).append((spec, record, repeat))
                    factor = 1.0 if factors is None else factors[value, repeat, spec.method][0]
                    seconds.setdefault((value, spec.method), []).append(
                        record["fit_seconds"] * factor)
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


def quietest(spec: FitSpec, stored: dict[str, Any], attempts: int = ATTEMPTS,
             deadline: float = math.inf) -> tuple[dict[str, Any], machine.Usage, float] | None:
    """Fit ``spec`` again up to ``attempts`` times (a further run only while its stored time
    ends before ``deadline``, a :func:`time.monotonic` reading) until one runs quiet:
    ``(results, usage, difference)`` of the first quiet run, else of the least contended run
    if it ran alone, else ``None``. :class:`ErrorsDiffer` if a run's errors differ from the
    stored ones beyond the cross-CPU tolerance."""
    from shnn.pipeline.store import record_seconds

    best = None
    for attempt in range(attempts):
        if attempt and time.monotonic() + record_seconds(stored) > deadline:
            break
        results, usage, difference = refit(spec, stored)
        if verdict(difference) not in (BITWISE, WITHIN):
            raise ErrorsDiffer(f"recomputed errors differ from the stored ones by "
                               f"{difference:.1e} (relative): nothing stored")
        if usage.contention is None or usage.quiet:
            return results, usage, difference
        if best is None or usage.contention < best[1].contention:
            best = (results, usage, difference)
    if best is not None and best[1].contention <= machine.ALONE:
        return best
    return None


def retime(suspect: Suspect, attempts: int = ATTEMPTS, deadline: float = math.inf
           ) -> dict[str, Any] | None:
    """Fit ``suspect`` again here (:func:`quietest`); the record to append (its errors the
    stored ones, its times and machine new), or ``None`` if no run of it ran alone.
    :class:`ErrorsDiffer` if an error differs beyond the cross-CPU tolerance."""
    try:
        found = quietest(suspect.spec, suspect.record, attempts, deadline)
    except ErrorsDiffer as exc:
        raise ErrorsDiffer(f"{suspect.name}: {exc}") from None
    if found is None:
        return None
    results, usage, difference = found
    from shnn.pipeline.store import new_record

    fresh = new_record(suspect.record["settings"], results, usage)
    kept = {k: v for k, v in suspect.record.items() if k not in TIME_FIELDS}
    return {**kept, **{k: fresh[k] for k in TIME_FIELDS if k in fresh},
            "retimed": {"reasons": list(suspect.reasons), "errors": verdict(difference),
                        **{k: suspect.record[k] for k in TIME_FIELDS if k in suspect.record}}}


def run(config_path: str, minutes: float, sweep_ids: Sequence[str] | None = None,
        dry_run: bool = False, uncalibrated: bool = False, bridge: bool = False,
        renew: bool = False, all_judged: bool = False) -> int:
    """Re-time the suspect fits (of ``sweep_ids``; ``uncalibrated``, ``all_judged``: of
    :func:`suspects`) within ``minutes``, after timing this machine's reference fit; with
    ``bridge``, instead measure the bridges of the shards that need one
    (:mod:`shnn.pipeline.scale`). Exit status."""
    from shnn.pipeline.config import load
    from shnn.pipeline.store import RecordLog, record_seconds, shard_log_path
    from shnn.pipeline.sweeps import shard_label

    config = load(config_path)
    if not config.get("store_dir"):
        raise ValueError(f"{config_path} has no store_dir: only committed fits are re-timed")
    unknown = [s for s in sweep_ids or () if s not in config["sweeps"]]
    if unknown:
        raise ValueError(f"--sweep: unknown sweep {unknown[0]!r}; choose from "
                         f"{', '.join(config['sweeps'])}")
    deadline = time.monotonic() + 60 * minutes
    if bridge:
        from shnn.pipeline import scale
        from shnn.pipeline.calibration import calibrate_store

        targets = scale.bridge_targets(config, sweep_ids, renew)
        print(f"{len(targets)} shard(s) to bridge: "
              + ", ".join(f"{t.sweep} {t.label}" for t in targets))
        if dry_run or not targets:
            return 0
        calibrate_store(config)  # the yardstick of the machine the bridges are measured on
        try:
            scale.run_bridges(config, targets, deadline)
        except ErrorsDiffer as exc:
            print(f"retime: error: {exc}", file=sys.stderr)
            return 1
        return 0
    found = suspects(config, sweep_ids, uncalibrated, all_judged)
    print(f"{len(found)} suspect time(s) in {config['store_dir']}"
          f"{' (sweeps ' + ', '.join(sweep_ids) + ')' if sweep_ids else ''}")
    for line in listing(found):
        print(f"  {line}")
    if dry_run or not found:
        return 0
    from shnn.pipeline.calibration import calibrate_store

    calibrate_store(config)  # the yardstick of the machine the new times are of
    done = skipped = 0
    for s in found:
        if time.monotonic() + record_seconds(s.record) > deadline:
            print(f"time is up: {done} re-timed, {len(found) - done - skipped} left")
            break
        try:
            record = retime(s, deadline=deadline)
        except ErrorsDiffer as exc:
            print(f"retime: error: {exc}", file=sys.stderr)
            return 1
        if record is None:
            skipped += 1
            print(f"  {s.name}: not stored, no run of it ran alone "
                  f"(contention above {machine.ALONE:g})", flush=True)
            continue
        RecordLog(shard_log_path(config["store_dir"], s.sweep, shard_label(s.value))).put(
            s.spec, record)
        done += 1
        print(f"  {s.name}: {s.record['fit_seconds']:.2f} s -> {record['fit_seconds']:.2f} s "
              f"(contention {record.get('contention', float('nan')):.2f}, errors "
              f"{record['retimed']['errors']})", flush=True)
    return 0


def _minutes(text: str) -> float:
    """A finite, non-negative number of minutes (0 with --dry-run)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"MINUTES must be a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"MINUTES must be a finite number >= 0, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    from shnn.validation import ArgumentParser

    parser = ArgumentParser(prog="python -m shnn.pipeline.retime",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default="config/paper.yaml")
    parser.add_argument("--minutes", type=_minutes, required=True, help="time box in minutes")
    parser.add_argument("--sweep", action="append", dest="sweeps", metavar="SWEEP",
                        help="only this sweep (repeatable; default: all)")
    parser.add_argument("--uncalibrated", action="store_true",
                        help="also re-time every fit whose machine has no calibration")
    parser.add_argument("--all-judged", action="store_true",
                        help="re-time every judged point (median above "
                        f"{MIN_SECONDS:g} s) of the chosen sweeps, not only the suspect ones")
    parser.add_argument("--bridge", action="store_true",
                        help="instead: measure the bridge of every shard made before records "
                        "named their machine (shnn.pipeline.scale)")
    parser.add_argument("--renew", action="store_true",
                        help="--bridge: also measure again the bridges made without the "
                        "reference fit timed beside them")
    parser.add_argument("--dry-run", action="store_true", help="list the suspects, fit nothing")
    args = parser.parse_args(argv)
    from shnn.pipeline.config import ConfigError

    try:
        return run(args.config, args.minutes, args.sweeps, args.dry_run, args.uncalibrated,
                   args.bridge, args.renew, args.all_judged)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"retime: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
