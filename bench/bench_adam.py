"""Benchmark: Adam HNN training steps per second, closed-form gradients vs double backward.

Single pendulum on [-2pi, 2pi] x [-1, 1], N = 10000 training points (data seed 3943), width
1000, batch 2048, lr 5e-4, weight decay 1e-13, torch seed 992472 (docs/method.md §8.7), on 2 CPU
threads. Each case (``autograd``: the straightforward per-step copy + double backward;
``closed_form``: the default :class:`shnn.AdamHNN`) runs ``--steps`` steps in its own process;
the steps after ``--warmup`` are timed from the per-step log records. The cases are
interleaved over several rounds and the median rate is reported. Both cases run the same
algorithm, so their loss curves are compared as well. Writes JSON.

    python bench/bench_adam.py [--rounds 3] [--warmup 100] [--steps 600] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

from shnn.pipeline import machine

CASES = ("autograd", "closed_form")
THREADS = 2


class _StepClock(logging.Handler):
    """Records ``time.perf_counter()`` at each ``AdamHNN step k/n`` log record, by ``k``."""

    def __init__(self) -> None:
        super().__init__()
        self.times: dict[int, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("AdamHNN step"):
            self.times[int(record.args[0])] = time.perf_counter()  # type: ignore[index]


def run_case(case: str, warmup: int, steps: int, width: int, n: int, batch: int,
             compile_: bool) -> dict:
    """Train one case in this process; return its timed rate and its loss curve."""
    import torch

    import shnn
    from shnn.data import Domain, make_dataset

    torch.set_num_threads(THREADS)
    domain = Domain.of([(-2 * np.pi, 2 * np.pi)], [(-1.0, 1.0)])
    data = make_dataset(shnn.systems.get("single_pendulum"), domain, n, n, 3943)
    clock = _StepClock()
    logger = logging.getLogger("shnn.adam")
    logger.setLevel(logging.INFO)
    logger.addHandler(clock)
    # The log record after step index k carries k + 1; records fall on warmup and steps.
    model = shnn.AdamHNN(width, seed=992472, steps=steps + 1, lr=5e-4, batch_size=batch,
                         weight_decay=1e-13, log_every=math.gcd(warmup, steps), backend=case,
                         compile=compile_)
    model.fit(data.x_train, data.xdot_train, data.x0, data.H0)
    seconds = clock.times[steps + 1] - clock.times[warmup + 1]
    return {"case": case, "compile": compile_, "timed_steps": steps - warmup,
            "timed_seconds": seconds, "steps_per_second": (steps - warmup) / seconds,
            "fit_seconds": model.fit_seconds_, "threads": torch.get_num_threads(),
            "losses": model.loss_history_.tolist()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=2048)
    parser.add_argument("--compile", action="store_true",
                        help="also time the closed form under torch.compile")
    parser.add_argument("--out", default="bench/results/adam_speed.json")
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--child-compile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 0 <= args.warmup < args.steps:
        parser.error("need 0 <= --warmup < --steps")
    if args.case:
        print(json.dumps(run_case(args.case, args.warmup, args.steps, args.width, args.n,
                                  args.batch, args.child_compile)))
        return

    variants = [(c, False) for c in CASES] + ([("closed_form", True)] if args.compile else [])
    names = {v: v[0] + ("+compile" if v[1] else "") for v in variants}
    env = {**os.environ, **{k: str(THREADS) for k in
                            ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}
    runs: dict[str, list[dict]] = {names[v]: [] for v in variants}
    load_start = os.getloadavg()
    meter = machine.Meter()
    for r in range(args.rounds):
        for case, comp in variants:
            cmd = [sys.executable, __file__, "--case", case, "--warmup", str(args.warmup),
                   "--steps", str(args.steps), "--width", str(args.width), "--n", str(args.n),
                   "--batch", str(args.batch)] + (["--child-compile"] if comp else [])
            out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
            res = json.loads(out.stdout.strip().splitlines()[-1])
            runs[names[case, comp]].append(res)
            print(f"round {r + 1}: {names[case, comp]:>20s} {res['steps_per_second']:8.2f} "
                  "steps/s", flush=True)

    rates = {k: statistics.median(x["steps_per_second"] for x in v) for k, v in runs.items()}
    ref_losses = np.array(runs["autograd"][0]["losses"])
    loss_diff = {k: float(np.max(np.abs(np.array(v[0]["losses"]) / ref_losses - 1)))
                 for k, v in runs.items()}
    ratio = rates["closed_form"] / rates["autograd"]
    result = {
        "benchmark": "AdamHNN training steps per second (docs/method.md §8), median over rounds",
        "system": "single_pendulum [-2pi, 2pi] x [-1, 1]", "train_size": args.n,
        "width": args.width, "batch_size": args.batch, "threads": THREADS,
        "rounds": args.rounds, "timed_steps": [args.warmup, args.steps],
        "steps_per_second": rates,
        "ratio_closed_form_over_autograd": ratio,
        "target_ratio": 2.0, "target_met": ratio >= 2.0,
        "max_rel_loss_diff_vs_autograd": loss_diff,
        "per_round_steps_per_second": {k: [x["steps_per_second"] for x in v]
                                       for k, v in runs.items()},
        "fit_seconds": {k: [x["fit_seconds"] for x in v] for k, v in runs.items()},
        "loadavg_1_5_15min": {"start": load_start, "end": os.getloadavg()},
        "contention": meter.stop().contention,
        "python": platform.python_version(), "machine": machine.identity(),
        "cpu_count": os.cpu_count(),
    }
    if "closed_form+compile" in rates:
        result["ratio_compiled_over_autograd"] = rates["closed_form+compile"] / rates["autograd"]
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=2)
        fh.write("\n")
    for k, rate in rates.items():
        print(f"{k:>20s}: {rate:8.2f} steps/s (median of {args.rounds}), "
              f"max rel loss diff vs autograd over {args.steps + 1} steps {loss_diff[k]:.1e}")
    print(f"speed-up closed_form / autograd: {ratio:.2f}x (target >= 2x: "
          f"{'met' if ratio >= 2 else 'NOT met'}); wrote {args.out}")


if __name__ == "__main__":
    main()
