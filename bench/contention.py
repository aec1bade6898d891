"""Benchmark: what the contention measure of a record reads when a fit runs alone, and beside
busy processes.

Recomputes committed paper fits (the double pendulum at one width, repeat 0, one fit per
method given) through the same path as the time box (:func:`shnn.pipeline.fitting.fit_record`,
into a temporary folder) three times each: alone, beside one busy process, beside two (each
a Python loop that never sleeps). Every recompute must give the committed error bitwise (same
kind of CPU) or the run stops: it is the stored fit, only timed again. Writes JSON with, per
case, the wall seconds, ``contention``, ``cpu_seconds`` over wall seconds and the old
``load_per_cpu``, plus the machine (:func:`shnn.pipeline.machine.identity`).

    python bench/contention.py [--width 1500] [--methods elm aswim] [--out FILE]

Run it with nothing else busy on the machine: the "alone" case must really be alone.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from pathlib import Path

from shnn.pipeline import machine
from shnn.pipeline.config import load
from shnn.pipeline.fitting import fit_record
from shnn.pipeline.store import RecordLog, shard_log_path
from shnn.pipeline.sweeps import shard_label, sweep_points

ROOT = Path(__file__).resolve().parents[1]


def _spin(stop_at: float) -> None:
    while time.monotonic() < stop_at:
        pass


def timed_fit(spec, busy: int) -> dict:
    """One recompute of ``spec`` beside ``busy`` spinning processes: its record's time fields."""
    procs = [multiprocessing.Process(target=_spin, args=(time.monotonic() + 3600,))
             for _ in range(busy)]
    for proc in procs:
        proc.start()
    time.sleep(1.0 if busy else 0.0)  # let the load settle into the measurement
    try:
        with tempfile.TemporaryDirectory() as tmp:
            record, computed = fit_record(spec, tmp)
    finally:
        for proc in procs:
            proc.terminate()
            proc.join()
    assert computed
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--methods", nargs="+", default=["elm", "aswim"])
    parser.add_argument("--out", default=str(ROOT / "bench/results/contention.json"))
    args = parser.parse_args()
    config = load(ROOT / "config/paper.yaml")
    sweep = config["sweeps"]["dp"]
    _, _, specs = sweep_points(sweep, [args.width])[0]
    stored = RecordLog(shard_log_path(ROOT / config["store_dir"], "dp", shard_label(args.width)))
    cases = []
    for spec in (s for s in specs if s.method in args.methods):
        committed = stored.get(spec)
        for busy in (0, 1, 2):
            record = timed_fit(spec, busy)
            if record["test_rel_l2_H"] != committed["test_rel_l2_H"]:
                raise SystemExit(f"{spec.method}: recomputed error {record['test_rel_l2_H']!r} "
                                 f"is not the committed {committed['test_rel_l2_H']!r}")
            cases.append({"method": spec.method, "busy_processes": busy,
                          "wall_seconds": round(record["wall_seconds"], 3),
                          "contention": record.get("contention"),
                          "cpu_per_wall": round(record["cpu_seconds"] / record["wall_seconds"], 3),
                          "load_per_cpu": record["load_per_cpu"],
                          "committed_wall_seconds": round(committed["wall_seconds"], 3)})
            print(json.dumps(cases[-1]))
    out = {"setup": {"sweep": "dp", "width": args.width, "repeat": 0,
                     "date": time.strftime("%Y-%m-%d %H:%M")},
           "machine": machine.identity(), "alone_threshold": machine.ALONE, "cases": cases}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
