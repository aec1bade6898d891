"""Benchmark: shnn fits vs a bare LAPACK gelsd solve of the same least-squares matrix.

Single pendulum on [-2pi, 2pi] x [-6, 6], N = 10000 training points, width 1000, paper
seeds. Every case runs in its own process (so peak memory is its own), the cases are
interleaved over several rounds, and the median time is reported. Writes JSON with the
times, the ratios fit / bare solve, and the peak resident-memory increase of each case
relative to the size of the least-squares matrix A.

    python bench/bench_fit.py [--rounds 3] [--width 1000] [--n 10000] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_bytes, rss_bytes, warm_up

from shnn.pipeline import machine

CASES = ("gelsd", "elm", "uswim", "swim", "aswim")


def run_case(case: str, width: int, n: int, solver: str) -> dict:
    """Time one case in this process; report seconds and peak RSS growth over the baseline."""
    import scipy.linalg.lapack

    import shnn
    from shnn.data import Domain, make_dataset
    from shnn.lstsq import gradient_system
    from shnn.sampling import sample_elm

    domain = Domain.of([(-2 * np.pi, 2 * np.pi)], [(-6.0, 6.0)])
    data = make_dataset(shnn.systems.get("single_pendulum"), domain, n, 10, 3943)
    warm_up()
    if case == "gelsd":
        layer = sample_elm(2, width, domain.elm_bias_range(), 992472)
        a, rhs = gradient_system(layer, data.x_train, data.xdot_train, data.x0, data.H0)
        m, k = a.shape
        work, iwork, _ = scipy.linalg.lapack.dgelsd_lwork(m, k, 1, 1e-13)
        baseline = rss_bytes() - a.nbytes  # A itself counts towards the peak, as in a fit
        start = time.perf_counter()
        b = rhs[:, None]
        _, _, _, info = scipy.linalg.lapack.dgelsd(a, b, int(work), int(iwork), 1e-13,
                                                   overwrite_a=1, overwrite_b=1)
        seconds = time.perf_counter() - start
        assert info == 0
    else:
        model = shnn.SampledHNN(width, case, seed=992472, elm_bias=domain.elm_bias_range(),
                                solver=solver)
        baseline = rss_bytes()
        model.fit(data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train)
        seconds = model.fit_seconds_
    peak = peak_bytes()
    return {"case": case, "seconds": seconds, "peak_increase_bytes": peak - baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--solver", choices=["qr", "dense"], default="dense",
                        help="least-squares solver of the fits (dense: gelsd on A, as issue 2)")
    parser.add_argument("--out", default=None,
                        help="JSON output (default bench/results/fit_vs_gelsd_<solver>.json)")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.width, args.n, args.solver)))
        return
    out_path = args.out or f"bench/results/fit_vs_gelsd_{args.solver}.json"

    runs: dict[str, list[dict]] = {c: [] for c in CASES}
    meter = machine.Meter()
    for _ in range(args.rounds):
        for case in CASES:
            out = subprocess.run([sys.executable, __file__, "--case", case, "--width",
                                  str(args.width), "--n", str(args.n), "--solver", args.solver],
                                 check=True,
                                 capture_output=True, text=True).stdout
            runs[case].append(json.loads(out))
    a_bytes = (2 * args.n + 1) * (args.width + 1) * 8
    median = {c: statistics.median(r["seconds"] for r in runs[c]) for c in CASES}
    peak = {c: max(r["peak_increase_bytes"] for r in runs[c]) for c in CASES}
    result = {
        "setup": {"system": "single_pendulum", "domain": "[-2pi,2pi]x[-6,6]", "n": args.n,
                  "width": args.width, "rounds": args.rounds, "solver": args.solver,
                  "machine": machine.identity(),
                  "python": platform.python_version(), "numpy": np.__version__,
                  "date": time.strftime("%Y-%m-%d %H:%M")},
        "contention": meter.stop().contention,
        "A_bytes": a_bytes,
        "median_seconds": median,
        "ratio_to_gelsd": {c: median[c] / median["gelsd"] for c in CASES},
        "peak_increase_bytes": peak,
        "peak_over_A": {c: peak[c] / a_bytes for c in CASES},
        "targets": {"ratio_elm_uswim_swim": 1.3, "ratio_aswim": 2.6, "peak_over_A": 2.0},
        "runs": runs,
    }
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(json.dumps(result, indent=1))
    for c in CASES:
        print(f"{c:<6} {median[c]:7.3f} s  x{result['ratio_to_gelsd'][c]:.2f} of gelsd  "
              f"peak +{peak[c] / 2**20:7.1f} MiB = {result['peak_over_A'][c]:.2f} x A")


if __name__ == "__main__":
    main()
