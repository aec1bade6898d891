"""Scaling benchmark: time and peak memory of a sampled fit vs width, per solver.

Cases (each in its own process, interleaved over widths and rounds):
  gelsd      the bare dense LAPACK solve of A (A is built first, untimed)
  elm, uswim, swim, aswim   our CPU fit (structured QR solver), sampling included
  torch-cpu  the ELM fit with the torch solver on the CPU
  cuda       the ELM fit with the torch solver on a CUDA device (only when available)

Systems: single pendulum on [-2pi,2pi]x[-6,6] (1 dof), Henon-Heiles alpha = 1 on [-5,5]^4
and (optionally) the double pendulum on [-pi,pi]^2x[-1,1]^2 (2 dof), paper seeds.
Peak memory is the growth of the process's peak resident set over its baseline after data
generation. Writes JSON (one entry per run).

    python bench/bench_scaling.py --sp-n 10000 --sp-widths 500,1000,2000 \\
        --hh-n 20000 --hh-widths 500,1000 --rounds 1 --out bench/results/scaling.json
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_bytes, rss_bytes, warm_up

from shnn.pipeline import machine

CASES = ("gelsd", "elm", "uswim", "swim", "aswim", "torch-cpu", "cuda")
SYSTEMS = {"sp": ("single_pendulum", [(-2 * np.pi, 2 * np.pi)], [(-6.0, 6.0)]),
           "hh": ("henon_heiles", [(-5.0, 5.0)] * 2, [(-5.0, 5.0)] * 2),
           "dp": ("double_pendulum", [(-np.pi, np.pi)] * 2, [(-1.0, 1.0)] * 2)}


def run_case(case: str, system_key: str, n: int, width: int) -> dict:
    """One measurement in this process."""
    import scipy.linalg.lapack

    import shnn
    from shnn.data import Domain, make_dataset
    from shnn.lstsq import gradient_system
    from shnn.sampling import sample_elm

    name, q, p = SYSTEMS[system_key]
    domain = Domain.of(q, p)
    data = make_dataset(shnn.systems.get(name), domain, n, 1000, 3943)
    bias = domain.elm_bias_range()
    error = None
    warm_up(torch_too=case in ("torch-cpu", "cuda"))
    if case == "gelsd":
        layer = sample_elm(domain.dof * 2, width, bias, 992472)
        a, rhs = gradient_system(layer, data.x_train, data.xdot_train, data.x0, data.H0)
        work, iwork, _ = scipy.linalg.lapack.dgelsd_lwork(*a.shape, 1, 1e-13)
        baseline = rss_bytes() - a.nbytes
        start = time.perf_counter()
        scipy.linalg.lapack.dgelsd(a, rhs[:, None], int(work), int(iwork), 1e-13,
                                   overwrite_a=1, overwrite_b=1)
        seconds = time.perf_counter() - start
    else:
        method = {"torch-cpu": "elm", "cuda": "elm"}.get(case, case)
        device = {"torch-cpu": "cpu", "cuda": "cuda"}.get(case)
        model = shnn.SampledHNN(width, method, seed=992472, elm_bias=bias, device=device)
        baseline = rss_bytes()
        model.fit(data.x_train, data.xdot_train, data.x0, data.H0, H=data.H_train)
        seconds = model.fit_seconds_
        error = shnn.relative_l2(data.H_test, model.hamiltonian(data.x_test))
    peak = peak_bytes()
    dof = domain.dof
    return {"case": case, "system": system_key, "n": n, "width": width, "seconds": seconds,
            "peak_increase_bytes": peak - baseline, "test_rel_l2_H": error,
            "A_bytes": (2 * dof * n + 1) * (width + 1) * 8, "T_bytes": n * width * 8}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sp-n", type=int, default=10000)
    parser.add_argument("--sp-widths", default="500,1000,2000,3000,4000,5000")
    parser.add_argument("--hh-n", type=int, default=20000)
    parser.add_argument("--hh-widths", default="500,1000,1500,2000,3000")
    parser.add_argument("--dp-n", type=int, default=20000)
    parser.add_argument("--dp-widths", default="")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", default="bench/results/scaling.json")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--system", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--width", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.system, args.n, args.width)))
        return

    import torch

    cases = [c for c in args.cases.split(",") if c != "cuda" or torch.cuda.is_available()]
    plan = [("sp", args.sp_n, int(w)) for w in args.sp_widths.split(",") if w]
    plan += [("hh", args.hh_n, int(w)) for w in args.hh_widths.split(",") if w]
    plan += [("dp", args.dp_n, int(w)) for w in args.dp_widths.split(",") if w]
    runs = []
    meter = machine.Meter()
    for r in range(args.rounds):
        for system_key, n, width in plan:
            for case in cases:
                out = subprocess.run([sys.executable, __file__, "--case", case, "--system",
                                      system_key, "--n", str(n), "--width", str(width)],
                                     check=True, capture_output=True, text=True).stdout
                run = {**json.loads(out), "round": r}
                runs.append(run)
                print(f"{system_key} N={n} M={width:<5} {case:<9} {run['seconds']:8.2f} s  "
                      f"peak +{run['peak_increase_bytes'] / 2**20:8.1f} MiB", flush=True)
    result = {"setup": {"machine": machine.identity(), "contention": meter.stop().contention,
                        "python": platform.python_version(),
                        "numpy": np.__version__, "torch": torch.__version__,
                        "cuda": torch.cuda.is_available(), "date": time.strftime("%Y-%m-%d %H:%M"),
                        "threads": "default (all cores)"},
              "runs": runs}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
