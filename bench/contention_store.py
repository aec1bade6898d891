"""Benchmark: how much a committed time is off with the contention its record read.

Reads the committed paper store (nothing is fitted). For every stored sampled fit that has a
``contention`` (records made since records name their machine), its time relative to the
median time of its method at its sweep point (the same fit settings but for the seeds);
grouped by contention band: how many fits, and the median and 90th percentile of that ratio.
Only points whose median is at least ``--min-seconds`` and that hold at least 5 such fits
count (below, start-up noise dominates). Also, over the records that store ``steal`` (the
hypervisor's part), their summed steal over their summed ``contention``. Writes JSON
(``make readme`` puts its table in docs/records.md).

    python bench/contention_store.py [--config config/paper.yaml] [--out FILE]

It reads files only, so it can run beside anything.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import numpy as np

from shnn.pipeline import machine
from shnn.pipeline.config import load
from shnn.pipeline.sweeps import sweep_fits

ROOT = Path(__file__).resolve().parents[1]
#: Upper edges of the contention bands (the last one takes everything above).
EDGES = (0.02, machine.QUIET, 0.10, machine.ALONE, 1.0)


def relative_times(config: dict, min_seconds: float) -> list[tuple[float, float, float | None]]:
    """``(contention, time / point median, steal)`` of every stored fit with a contention."""
    out = []
    for sweep_id in config["sweeps"]:
        points: dict[tuple, list[dict]] = {}
        for fit in sweep_fits(config, sweep_id):
            if fit.record is not None and "contention" in fit.record:
                points.setdefault((fit.value, fit.spec.method), []).append(fit.record)
        for records in points.values():
            median = statistics.median(r["fit_seconds"] for r in records)
            if len(records) < 5 or median < min_seconds:
                continue
            out += [(r["contention"], r["fit_seconds"] / median, r.get("steal"))
                    for r in records]
    return out


def bands(rows: list[tuple[float, float, float | None]]) -> list[dict]:
    """Per contention band: its edges, the fits in it, and their time ratio's median and
    90th percentile."""
    out, low = [], 0.0
    for high in EDGES:
        ratios = [t for c, t, _ in rows if low <= c < high or (high == 1.0 and c == 1.0)]
        out.append({"contention_from": low, "contention_to": high, "fits": len(ratios),
                    "median_ratio": round(float(np.median(ratios)), 3) if ratios else None,
                    "p90_ratio": round(float(np.quantile(ratios, 0.9)), 3) if ratios else None})
        low = high
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "config" / "paper.yaml"))
    parser.add_argument("--min-seconds", type=float, default=0.5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" /
                                             "contention_store.json"))
    args = parser.parse_args()
    config = load(args.config)
    rows = relative_times(config, args.min_seconds)
    with_steal = [(c, s) for c, _, s in rows if s is not None]
    contention = sum(c for c, _ in with_steal)
    result = {
        "store": config["store_dir"], "min_seconds": args.min_seconds, "fits": len(rows),
        "quiet": machine.QUIET, "alone": machine.ALONE, "bands": bands(rows),
        "steal_over_contention": (
            round(sum(s for _, s in with_steal) / contention, 3) if contention else None),
        "fits_with_steal": len(with_steal)}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    print(f"wrote {args.out} (its table: docs/records.md, `make readme`)")

if __name__ == "__main__":
    main()
