"""Benchmark: how a fit's time moves with the contention it reads, with nothing else running.

Times committed paper fits (one sweep, repeat 0, one method, a few sweep values) again, in
interleaved rounds (every value once per round, alternating direction), and records per run
the fit seconds, ``contention``, ``steal`` (the part of it the hypervisor took) and the CPU
seconds over wall seconds. Every run must give the stored errors (bitwise, or within the
cross-CPU tolerance) or the benchmark stops: it is the stored fit, timed again. Writes JSON with
every run, and per value the median seconds of its quiet runs (contention at most
``shnn.pipeline.machine.QUIET``) and of the others, plus the machine.

    python bench/steal.py [--sweep sp-large] [--method elm] [--values 1400 1500 1600]
                          [--rounds 5] [--out FILE]

Run it with nothing else busy on the machine: contention then is the hypervisor's.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from shnn.pipeline import machine
from shnn.pipeline.config import load
from shnn.pipeline.fitting import spec_dataset
from shnn.pipeline.recompute import (
    BITWISE,
    ERROR_KEYS,
    WITHIN,
    ErrorsDiffer,
    largest_difference,
    verdict,
)
from shnn.pipeline.sweeps import sweep_fits

ROOT = Path(__file__).resolve().parents[1]


def timed(fit, data) -> dict:
    """One run of a stored fit: its seconds, contention, steal and CPU over wall."""
    from shnn.pipeline.fitting import run_fit

    meter = machine.Meter()
    results = run_fit(fit.spec, data)
    usage = meter.stop()
    difference = largest_difference(results, fit.record, ERROR_KEYS)
    if verdict(difference) not in (BITWISE, WITHIN):
        raise ErrorsDiffer(f"{fit.spec.method} at {fit.value}: errors differ by {difference:.1e}")
    return {"seconds": round(results["fit_seconds"], 4), **usage.fields(),
            "cpu_over_wall": round(usage.cpu_seconds / usage.wall_seconds, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "config" / "paper.yaml"))
    parser.add_argument("--sweep", default="sp-large")
    parser.add_argument("--method", default="elm")
    parser.add_argument("--values", type=float, nargs="+", default=[1400, 1500, 1600])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "steal.json"))
    args = parser.parse_args()
    config = load(args.config)
    fits = {float(f.value): f for f in sweep_fits(config, args.sweep)
            if f.repeat == 0 and f.spec.method == args.method and float(f.value) in args.values
            and f.record is not None}
    values = [v for v in args.values if v in fits]
    data = {v: spec_dataset(fits[v].spec) for v in values}
    runs: dict[float, list[dict]] = {v: [] for v in values}
    for r in range(args.rounds):
        for v in values if r % 2 == 0 else values[::-1]:
            runs[v].append(timed(fits[v], data[v]))
            print(f"{args.sweep} {v:g} {args.method}: {runs[v][-1]}", flush=True)

    def median(items: list[dict]) -> float | None:
        return round(statistics.median(i["seconds"] for i in items), 4) if items else None

    summary = {f"{v:g}": {"quiet_median_seconds": median([x for x in runs[v]
                                                          if x["contention"] <= machine.QUIET]),
                          "other_median_seconds": median([x for x in runs[v]
                                                          if x["contention"] > machine.QUIET])}
               for v in values}
    result = {"sweep": args.sweep, "method": args.method, "rounds": args.rounds,
              "quiet": machine.QUIET, "machine": machine.identity(),
              "runs": {f"{v:g}": runs[v] for v in values}, "summary": summary}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
