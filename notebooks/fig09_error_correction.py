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
# # Figure 9 — first-order error correction from snapshot pairs
#
# Reproduces the paper's Fig. 9 (docs/method.md §12). Only snapshot pairs $(x, x')$ one
# observation step $h$ apart are known (here from the exact flow, RK45 with rtol 1e-13). Each
# pair is treated as one symplectic-Euler step: an A-SWIM HNN is fitted at the points $(q', p)$
# to the finite differences $(x' - x)/h$, so it learns the scheme's modified Hamiltonian; the
# correction $H \approx \hat H + \tfrac h2 \hat H_q \hat H_p$ removes the first-order term.
# Expected: uncorrected error $O(h)$, corrected $O(h^2)$.
#
# **Repeats.** The original never advanced its seeds, so its ten repeats were identical (zero
# spread). Here repeat r uses data seed 3943 + r and model seed 992472 + r, so the band shows
# a real spread over data and hidden layers.
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the title
config_path: str = "config/smoke.yaml"  # preset file (its `error_correction` section)
runs_dir: str = "results/runs"  # folder of per-run records (reused, resumable)
out_stem: str = "results/smoke/figures/fig09_error_correction"  # output path, no suffix
paper_csv: str = "data/paper/error_correction.csv"  # the paper's mean errors per h

# %% [markdown]
# Imports, and the repository root as working directory.

# %%
import csv

import matplotlib.pyplot as plt
import numpy as np

from shnn.pipeline import notebook, plotting
from shnn.pipeline.config import load
from shnn.pipeline.experiments import run_correction_sweep

notebook.setup()

# %% [markdown]
# Run every observation step and repeat, or load the stored runs (the pipeline computes them
# in their own job, `shnn experiment --name error_correction`), and aggregate over repeats.

# %%
settings = load(config_path)["error_correction"]
rows = run_correction_sweep(settings, runs_dir)
steps = np.array(settings["steps"])
stats = {}
for kind in ("uncorrected", "corrected"):
    values = np.array([[r[f"err_{kind}"] for r in rows if r["h"] == h] for h in steps])
    stats[kind] = {"mean": values.mean(axis=1), "min": values.min(axis=1),
                   "max": values.max(axis=1)}
with open(paper_csv) as fh:
    paper = list(csv.DictReader(fh))
paper_h = np.array([float(r["h"]) for r in paper])
print(f"preset {preset}: {settings['method']}, width {settings['width']}, "
      f"N = {settings['train_size']}, {settings['repeats']} repeats, h = {settings['steps']}")

# %% [markdown]
# The figure: mean errors (min-max bands over repeats) against h on log-log axes, with the
# reference lines $y = h$ and $y = h^2$ and the paper's means dashed.

# %%
fig, ax = plt.subplots(figsize=(5, 3.8), layout="constrained")
for kind, color, label in (("uncorrected", "tab:blue", "symp. Euler"),
                           ("corrected", "tab:red", "corrected symp. Euler")):
    s = stats[kind]
    ax.plot(steps, s["mean"], color=color, marker="o", label=label)
    ax.fill_between(steps, s["min"], s["max"], color=color, alpha=0.2, linewidth=0)
    ax.plot(paper_h, [float(r[f"err_{kind}"]) for r in paper], color=color, ls="--",
            alpha=0.6, lw=1.0)
ax.plot(steps, steps, color="0.5", ls=":", label=r"$\varepsilon \in O(h)$")
ax.plot(steps, steps**2, color="0.5", ls="-.", label=r"$\varepsilon \in O(h^2)$")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xticks(steps, [f"{h:g}" for h in steps])
ax.minorticks_off()
plotting.finish_axes(ax, "Step size h", r"Rel. $L^2$ error", "Error correction")
ax.legend(loc="lower right", fontsize=7)
fig.suptitle(f"Preset: {preset}, {settings['repeats']} repeats (seeds advanced); "
             "dashed: paper", fontsize=9)
plotting.save_figure(fig, out_stem)
plt.show()

# %% [markdown]
# Write exactly the plotted numbers to CSV.

# %%
with open(f"{out_stem}.csv", "w", newline="") as fh:
    writer = csv.writer(fh)
    writer.writerow(["preset", "h", "repeats", *(f"{k}_{s}" for k in stats
                                                  for s in ("mean", "min", "max"))])
    for i, h in enumerate(steps):
        writer.writerow([preset, h, settings["repeats"],
                         *(f"{stats[k][s][i]:.6e}" for k in stats for s in ("mean", "min", "max"))])
print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")

# %% [markdown]
# Convergence orders: least-squares slopes of log(error) against log(h) (expected about 1 and
# 2), rounded to one decimal (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
for kind in stats:
    slope = np.polyfit(np.log(steps), np.log(stats[kind]["mean"]), 1)[0]
    print(f"{kind:<12} slope {slope:.1f}")

# %% [markdown]
# Comparison with the paper's means (its Fig. 9; `data/paper/error_correction.csv`).

# %%
for i, h in enumerate(steps):
    match = [r for r in paper if float(r["h"]) == h]
    if not match:
        continue
    for kind in stats:
        p = float(match[0][f"err_{kind}"])
        m = stats[kind]["mean"][i]
        print(f"h {h:<5g} {kind:<12} ours {m:.2e}  paper {p:.2e}  ratio {m / p:.2f}")
