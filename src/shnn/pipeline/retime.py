"""Re-time what is suspect, never recompute what is right (``make paper-retime MINUTES=N``).

Which times are suspect: :mod:`shnn.pipeline.suspect`. Re-timing fits the record again from
its stored settings on this machine, checks that every error equals the stored one (bitwise,
or within the cross-CPU tolerance of :mod:`shnn.pipeline.recompute`; anything else stops the
run with an error and stores nothing), and appends the record again to its shard's log with
only its times and machine replaced, plus ``retimed``: the replaced times, why, and the code
that made the errors. The append-only log keeps the old line; the last line of a fit is the
one read.

A re-time keeps a quiet run where it gets one (contention at most
:data:`shnn.pipeline.machine.QUIET`): a fit is fitted up to :data:`ATTEMPTS` times, and the
first quiet run is stored, else the least contended one if it ran alone (at most
:data:`~shnn.pipeline.machine.ALONE`), else nothing. Runs are chosen by their contention,
never by their time. Within a sweep the fits are re-timed in interleaved order (repeat 0 of
every point, then repeat 1, ...), so that a slow stretch of the machine falls on many points a
little, not on one point whole. With ``--all-judged`` every judged point of the chosen sweeps
(and the neighbours it is judged against) is re-timed, not only the suspect ones: a whole
time panel measured in one run, to one standard. ``--unnamed`` keeps only the fits whose record
names no machine (made before records named theirs): it finishes a point whose re-time a time
box cut short, without timing its re-timed fits again. ``--bridge`` instead measures the bridges
that put old shards (:mod:`shnn.pipeline.scale`) and Adam baselines
(:mod:`shnn.pipeline.baseline_bridge`) on one machine's scale.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from typing import Any

from shnn.pipeline import machine
from shnn.pipeline.recompute import BITWISE, WITHIN, ErrorsDiffer, refit, verdict
from shnn.pipeline.records import FitSpec
from shnn.pipeline.suspect import MIN_SECONDS, Suspect, listing, suspects

#: The fields a re-time replaces (and keeps, under ``retimed``, as they were).
TIME_FIELDS = ("fit_seconds", "wall_seconds", "cpu_seconds", "contention", "steal", "machine",
               "load_per_cpu", "created", "code")
#: Runs of one fit a re-time may take to find a quiet one.
ATTEMPTS = 3


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
        if usage.quiet_or_unknown:
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
        renew: bool = False, all_judged: bool = False, baselines: Sequence[str] = (),
        values: Sequence[float] = (), unnamed: bool = False) -> int:
    """Re-time the suspect fits (of ``sweep_ids``; ``uncalibrated``, ``all_judged``: of
    :func:`suspects`) within ``minutes``, after timing this machine's reference fit; with
    ``bridge``, instead measure the bridges of the shards that need one
    (:mod:`shnn.pipeline.scale`), and of the Adam ``baselines``
    (:mod:`shnn.pipeline.baseline_bridge`). ``values``: only the points of these sweep values
    (each re-timed whole, as always); ``unnamed``: only their fits whose record names no
    machine. Exit status."""
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
    unknown = [c for c in baselines if c not in config.get("hnn", {})]
    if unknown:
        raise ValueError(f"--baseline: unknown Adam baseline {unknown[0]!r}; choose from "
                         f"{', '.join(config.get('hnn', {}))}")
    if baselines and not bridge:
        raise ValueError("--baseline goes with --bridge (an Adam baseline is bridged, not "
                         "re-timed)")
    deadline = time.monotonic() + 60 * minutes
    if bridge:
        from shnn.pipeline import scale
        from shnn.pipeline.calibration import calibrate_store

        targets = [] if baselines and not sweep_ids else \
            scale.bridge_targets(config, sweep_ids, renew)
        names = [f"{t.sweep} {t.label}" for t in targets] + \
            [f"Adam baseline {case}" for case in baselines]
        print(f"{len(names)} bridge(s) to measure: {', '.join(names)}")
        if dry_run or not (targets or baselines):
            return 0
        calibrate_store(config)  # the yardstick of the machine the bridges are measured on
        from shnn.pipeline import baseline_bridge

        try:
            scale.store_bridges(config, baseline_bridge.jobs(config, list(baselines))
                                + scale.shard_jobs(targets), deadline)
        except ErrorsDiffer as exc:
            print(f"retime: error: {exc}", file=sys.stderr)
            return 1
        return 0
    found = suspects(config, sweep_ids, uncalibrated, all_judged)
    if values:
        found = [s for s in found if float(s.value) in {float(v) for v in values}]
    if unnamed:
        found = [s for s in found if not s.record.get("machine")]
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
    parser.add_argument("--value", action="append", dest="values", type=float, default=[],
                        metavar="V", help="only the suspect points of this sweep value "
                        "(repeatable; each point is re-timed whole)")
    parser.add_argument("--all-judged", action="store_true",
                        help="re-time every judged point (median above "
                        f"{MIN_SECONDS:g} s) of the chosen sweeps, not only the suspect ones")
    parser.add_argument("--unnamed", action="store_true",
                        help="only the fits whose record names no machine (finishes a "
                        "re-time that a time box cut short)")
    parser.add_argument("--bridge", action="store_true",
                        help="instead: measure the bridge of every shard made before records "
                        "named their machine (shnn.pipeline.scale)")
    parser.add_argument("--baseline", action="append", dest="baselines", default=[],
                        metavar="CASE", help="--bridge: also (with no --sweep: only) measure "
                        "the bridge of this Adam baseline (repeatable)")
    parser.add_argument("--renew", action="store_true",
                        help="--bridge: also measure again the bridges made without the "
                        "reference fit timed beside them")
    parser.add_argument("--dry-run", action="store_true", help="list the suspects, fit nothing")
    args = parser.parse_args(argv)
    from shnn.pipeline.config import ConfigError

    try:
        return run(args.config, args.minutes, args.sweeps, args.dry_run, args.uncalibrated,
                   args.bridge, args.renew, args.all_judged, args.baselines, args.values,
                   args.unnamed)
    except (ConfigError, ValueError, OSError) as exc:
        print(f"retime: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
