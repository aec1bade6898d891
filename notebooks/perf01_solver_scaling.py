# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Performance 1 — time and memory of a sampled fit vs width, per solver
#
# Not a paper figure: it measures this implementation. For a 1-dof system (single pendulum) and
# a 2-dof system (Hénon–Heiles), `bench/bench_scaling.py` times, each in its own process and
# interleaved over widths, (i) the bare dense LAPACK solve (gelsd) of the least-squares matrix A
# of docs/method.md §5.3, which is what the original implementation's fit costs at least; (ii)
# our fits with the structured QR solver (A is never formed) for every sampler; (iii) the torch
# implementation of the same solver on the CPU; and (iv) on a CUDA device when one is present.
# Left: seconds vs width with the fitted power law $t = a M^b$; right: peak memory growth
# relative to the size of $T = 1 - \tanh^2$ (N x M).
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the title
config_path: str = "config/smoke.yaml"  # preset file (unused here; sizes come with the JSON)
runs_dir: str = "results/runs"  # unused; kept so every notebook takes the same parameters
out_stem: str = "results/smoke/figures/perf01_solver_scaling"  # output path without suffix
bench_json: str = "results/smoke/bench/scaling.json"  # written by bench/bench_scaling.py
# committed measurements at other points per neuron (comma-separated, bench/bench_scaling.py)
reference_jsons: str = "bench/results/chaotic_scaling_2000.json,bench/results/small_n_over_m.json"

# %% [markdown]
# Imports, and the repository root as working directory.

# %%
import csv
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from shnn.pipeline import notebook, plotting

notebook.setup()

# %% [markdown]
# Load the runs and take the median over rounds per system, case and width.

# %%
def median_table(runs: list[dict]) -> list[dict]:
    """One row per system, case, width and N: median seconds over rounds, peak memory."""
    groups: dict[tuple, list[dict]] = {}
    for r in runs:
        groups.setdefault((r["system"], r["case"], r["width"], r["n"]), []).append(r)
    return [{"system": s, "case": c, "width": w, "n": n,
             "seconds": float(np.median([r["seconds"] for r in g])),
             "peak_over_T": float(max(r["peak_increase_bytes"] for r in g) / g[0]["T_bytes"]),
             "peak_over_A": float(max(r["peak_increase_bytes"] for r in g) / g[0]["A_bytes"]),
             "test_rel_l2_H": g[0]["test_rel_l2_H"]}
            for (s, c, w, n), g in sorted(groups.items())]


def gelsd_row(table: list[dict], row: dict) -> dict | None:
    """The bare gelsd solve of the same system, N and width as ``row``, if measured."""
    return next((g for g in table if g["case"] == "gelsd" and g["system"] == row["system"]
                 and g["n"] == row["n"] and g["width"] == row["width"]), None)


data = json.loads(Path(bench_json).read_text())
runs = data["runs"]
table = median_table(runs)
systems = sorted({r["system"] for r in table})
cases = [c for c in ("gelsd", "elm", "uswim", "swim", "aswim", "torch-cpu", "cuda")
         if any(r["case"] == c for r in table)]
print(f"preset {preset}: {len(runs)} runs, systems {systems}, cases {cases}; setup {data['setup']}")

# %% [markdown]
# Power laws $t = a M^b$ fitted on log-log axes per system and case (widths >= 1000 where
# available, since small solves are dominated by overheads).

# %%
fits = {}
for s in systems:
    for c in cases:
        pts = [(r["width"], r["seconds"]) for r in table if r["system"] == s and r["case"] == c]
        big = [p for p in pts if p[0] >= 1000]
        use = big if len(big) >= 2 else pts
        if len(use) >= 2:
            b, log_a = np.polyfit(np.log([p[0] for p in use]), np.log([p[1] for p in use]), 1)
            fits[(s, c)] = (float(np.exp(log_a)), float(b))
for (s, c), (a, b) in fits.items():
    print(f"{s} {c:<9} t = {a:.3g} * M^{b:.2f}")

# %% [markdown]
# The figure: time (log-log, with the fitted power laws dashed) and peak memory / size of T.

# %%
colors = {"gelsd": "k", "elm": "#05c9ff", "uswim": "#ff0000", "swim": "#d4c000",
          "aswim": "#28fa02", "torch-cpu": "tab:purple", "cuda": "tab:orange"}
fig, axes = plt.subplots(len(systems), 2, figsize=(10, 3.4 * len(systems)),
                         layout="constrained", squeeze=False)
for row, s in zip(axes, systems, strict=True):
    for c in cases:
        pts = [r for r in table if r["system"] == s and r["case"] == c]
        w = np.array([r["width"] for r in pts])
        row[0].plot(w, [r["seconds"] for r in pts], marker="o", color=colors[c], label=c)
        if (s, c) in fits:
            a, b = fits[(s, c)]
            row[0].plot(w, a * w**b, ls="--", lw=0.8, color=colors[c])
        row[1].plot(w, [r["peak_over_T"] for r in pts], marker="o", color=colors[c], label=c)
    n = next(r["n"] for r in table if r["system"] == s)
    row[0].set_xscale("log")
    row[0].set_yscale("log")
    plotting.finish_axes(row[0], "Network width M", "Fit time [s]",
                         f"{s.upper()}: time (N = {n})")
    plotting.finish_axes(row[1], "Network width M", "Peak memory / size of T",
                         f"{s.upper()}: peak memory (T = N x M doubles; A = 2 dof N x M)")
    row[0].legend(fontsize=7)
fig.suptitle(f"Solver scaling on this machine (preset: {preset})")
plotting.save_figure(fig, out_stem)
plt.show()

# %% [markdown]
# Write exactly the plotted numbers (medians over rounds) to CSV.

# %%
with open(f"{out_stem}.csv", "w", newline="") as fh:
    writer = csv.DictWriter(fh, fieldnames=["preset", *table[0]])
    writer.writeheader()
    for r in table:
        writer.writerow({"preset": preset, **r})
print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")

# %% [markdown]
# Ratios against the bare gelsd solve at each width (the targets of the performance issue:
# single-solve fits <= 0.7x gelsd for 1 dof and <= 0.5x for 2 dof, A-SWIM <= 2x those, peak
# memory <= 3x T). Timings are machine-dependent, so nbval checks only the settings.

# %%
# NBVAL_CHECK_OUTPUT
print("widths:", {s: sorted({r["width"] for r in table if r["system"] == s}) for s in systems})

# %%
for s in systems:
    for r in [r for r in table if r["system"] == s and r["case"] != "gelsd"]:
        ref = gelsd_row(table, r)
        ratio = f"{r['seconds'] / ref['seconds']:.2f}x gelsd" if ref else "no gelsd"
        print(f"{s} M={r['width']:<5} {r['case']:<9} {r['seconds']:8.2f} s  {ratio}  "
              f"peak {r['peak_over_T']:.2f}x T  err {r['test_rel_l2_H']:.2e}")

# %% [markdown]
# **Why the ratio depends on the number of points per neuron.** The structured solver never
# forms A. Its QR of T costs about 2 N M² flops, but the folding of the 2·dof triangles and
# the final SVD-based solve (gelsd) of an (M+1) x (M+1) matrix cost a multiple of M³ that
# does not shrink with N. The bare gelsd solve of A costs about 2 · 2·dof · N M² flops plus
# its own M³ terms. So the ratio to gelsd falls as N/M grows. The performance targets
# (single-solve fits <= 0.7x gelsd for 1 dof, <= 0.5x for 2 dof, A-SWIM <= 2x those) hold
# from about N/M = 5: with the paper's data sizes (N = 10000 for the 1-dof systems, 20000
# for the 2-dof ones) that is widths up to 2000 and 4000 (measured here up to 2000). They do
# not hold at very few points per neuron: the 2-dof fits at N/M = 2.5 are about 0.65x, and
# the paper's double-pendulum sweep goes to width 10000 (N/M = 2). The default preset's
# Hénon–Heiles run above uses N = 5000 to keep the pipeline short, so its width-2000 point
# is in that regime. The
# committed measurements below (several rounds each, medians) show both regimes.

# %%
for path in filter(None, reference_jsons.split(",")):
    ref_table = median_table(json.loads(Path(path).read_text())["runs"])
    for (s, n, w) in sorted({(r["system"], r["n"], r["width"]) for r in ref_table}):
        rows = [r for r in ref_table if (r["system"], r["n"], r["width"]) == (s, n, w)]
        shown = "  ".join(f"{r['case']} {r['seconds'] / g['seconds']:.2f}" for r in rows
                          if r["case"] != "gelsd" and (g := gelsd_row(ref_table, r)))
        print(f"{Path(path).name:<26} {s} N={n:<6} M={w:<5} N/M={n / w:<5.1f} x gelsd: {shown}")
