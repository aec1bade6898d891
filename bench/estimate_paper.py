"""Estimate the time and peak memory of the paper preset, per artifact, from measurements.

Sampled fits: a cost model ``t = a N M^2 + b M^3`` per method and number of degrees of
freedom (QR of the N x M matrix T, then the SVD-based solve of the (2 dof M + 1) x (M + 1)
matrix B), fitted by non-negative least squares to the fits of scaling benchmark JSONs
(``bench/bench_scaling.py``) measured on this machine, then summed over every fit of
``config/paper.yaml``. Peak memory: the largest measured ratio of peak growth to
``T + B`` bytes, times ``T + B`` of the preset's largest fit. Adam baselines: seconds per
step and width unit measured by the pipeline's own baselines (``results/<preset>/hnn/*.csv``),
times the paper's steps and width.

The 64-core estimate is not measured here: it scales the paper's own 64-core fit times
(the paper's appendix: total fit time per sweep; and Table 2's HNN times) by our measured
fit / gelsd time ratio.

    python bench/estimate_paper.py --scaling results/default/bench/scaling.json \\
        bench/results/chaotic_scaling_{2000,5000}.json --hnn-dir results/default/hnn \\
        --out bench/results/paper_estimate.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from shnn.pipeline.config import load
from shnn.pipeline.report import SWEEP_ARTIFACT
from shnn.pipeline.resources import CostModel, shard_peak_bytes, shard_seconds

METHODS = ("elm", "uswim", "aswim", "swim")
#: The paper's appendix (total fit time per sweep on the 64-core node) and Table 2's HNN
#: times (s).
PAPER_64CORE_SECONDS = {"fig02": 1.2 * 3600, "fig03": 2.7 * 3600, "fig04": 1.8 * 3600,
                        "fig06": 14.5 * 3600, "fig07": 6.7 * 3600,
                        "hnn_dp": 10485.4, "hnn_hh": 13140.6}
DOF = {"sp": 1, "hh": 2, "dp": 2}


def features(n: np.ndarray, m: np.ndarray) -> np.ndarray:
    return np.column_stack([n * m**2, m**3]).astype(float)


def fit_models(runs: list[dict]) -> dict[tuple[str, int], np.ndarray]:
    """``(method, dof) -> (a, b)`` of ``t = a N M^2 + b M^3``."""
    models = {}
    for method in METHODS:
        for dof in (1, 2):
            pts = [r for r in runs if r["case"] == method and DOF[r["system"]] == dof]
            if len(pts) < 2:
                continue
            x = features(np.array([r["n"] for r in pts]), np.array([r["width"] for r in pts]))
            y = np.array([r["seconds"] for r in pts])
            # Relative least squares: each point weighted by 1 / t.
            models[method, dof] = nnls(x / y[:, None], np.ones_like(y))[0]
    return models


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaling", nargs="+", required=True)
    parser.add_argument("--hnn-dir", required=True)
    parser.add_argument("--config", default="config/paper.yaml")
    parser.add_argument("--out", default="bench/results/paper_estimate.json")
    args = parser.parse_args()

    runs = [r for path in args.scaling for r in json.loads(Path(path).read_text())["runs"]]
    models = fit_models(runs)
    fits = [r for r in runs if r["case"] in METHODS]
    # Peak memory per byte of T and B (the ratio 1 model gives the bytes of T + B).
    t_plus_b = CostModel({}, 1.0, float("nan")).fit_peak_bytes
    mem_ratio = max(r["peak_increase_bytes"] / t_plus_b(DOF[r["system"]], r["n"], r["width"])
                    for r in fits)
    costs = CostModel({k: (float(a), float(b)) for k, (a, b) in models.items()}, mem_ratio,
                      float("nan"))
    qr_vs_gelsd = []
    for r in fits:
        ref = [g for g in runs if g["case"] == "gelsd" and g["system"] == r["system"]
               and g["n"] == r["n"] and g["width"] == r["width"]]
        if ref and r["case"] != "aswim" and r["width"] >= 1000:
            qr_vs_gelsd.append(r["seconds"] / ref[0]["seconds"])
    speed = float(np.median(qr_vs_gelsd))

    config = load(args.config)
    per_artifact: dict[str, dict] = {}
    for sweep_id, sweep in config["sweeps"].items():
        # a continuation (the paper's dp-wide) counts with the sweep it continues
        art = per_artifact.setdefault(SWEEP_ARTIFACT[sweep.get("continues", sweep_id)],
                                      {"seconds_2core": 0.0, "peak_bytes": 0.0, "fits": 0})
        for value in next(iter(sweep["vary"].values())):
            art["seconds_2core"] += shard_seconds(costs, sweep, value)
            art["fits"] += sweep["repeats"] * len(sweep["methods"])
            art["peak_bytes"] = max(art["peak_bytes"], shard_peak_bytes(costs, sweep, value))
    for case, hnn in config["hnn"].items():
        path = Path(args.hnn_dir) / f"{case}.csv"
        with path.open() as fh:
            row = next(csv.DictReader(fh))
        per_step_unit = float(row["fit_seconds"]) / int(row["steps"]) / int(row["width"])
        key = "tab02" if case in ("dp", "hh") else "tab01"
        art = per_artifact.setdefault(key, {"seconds_2core": 0.0, "peak_bytes": 0.0, "fits": 0})
        art["seconds_2core"] += per_step_unit * hnn["steps"] * hnn["width"]
        art["fits"] += 1
    for key, art in per_artifact.items():
        paper = PAPER_64CORE_SECONDS.get(key)
        if key == "tab02":
            paper = PAPER_64CORE_SECONDS["hnn_dp"] + PAPER_64CORE_SECONDS["hnn_hh"]
        art["seconds_64core"] = (paper * speed if key != "tab02" else paper) if paper else None
    total = sum(a["seconds_2core"] for a in per_artifact.values())
    result = {"model": "t = a N M^2 + b M^3 per (method, dof); HNN: s/step linear in width",
              "coefficients": {f"{m}-{d}dof": list(v) for (m, d), v in models.items()},
              "peak_over_T_plus_B": mem_ratio, "median_fit_over_gelsd": speed,
              "artifacts": per_artifact, "total_seconds_2core": total,
              "sources": {"scaling": args.scaling, "hnn_dir": args.hnn_dir}}
    Path(args.out).write_text(json.dumps(result, indent=1))
    for key, art in sorted(per_artifact.items()):
        c64 = art["seconds_64core"]
        print(f"{key:<6} {art['fits']:>6} fits  2 cores {art['seconds_2core'] / 3600:7.1f} h  "
              f"peak {art['peak_bytes'] / 2**30:5.1f} GiB  64 cores "
              f"{'-' if c64 is None else f'{c64 / 3600:.1f} h'}")
    print(f"total on 2 cores: {total / 3600:.1f} h")


if __name__ == "__main__":
    main()
