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
# # Figure 8 — energy conservation: sampled MLP vs sampled HNN
#
# Reproduces the paper's Fig. 8 (docs/method.md §11). On the single pendulum
# ($[-2\pi,2\pi]\times[-6,6]$) a sampled MLP (an ODE-Net that predicts $(\dot q, \dot p)$
# directly) and a sampled HNN, both with the same ELM hidden layer, are integrated with the
# explicit symplectic Euler scheme from $y_0 = (\pi/2, 0)$, where the true $H = 1$. "Truth" is
# the same integrator on the exact gradient (the paper's reference); we add the exact flow from
# a high-accuracy integrator (DOP853, tolerances 1e-12). Panels: (a) phase portraits, (b)
# relative trajectory error against the truth, (c) the true H along each trajectory. The paper's
# message: the HNN's energy stays bounded, the MLP's drifts.
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the title
config_path: str = "config/smoke.yaml"  # preset file (its `energy` section)
runs_dir: str = "results/runs"  # folder of stored results (reused, resumable)
out_stem: str = "results/smoke/figures/fig08_energy_conservation"  # output path, no suffix
paper_csv: str = "data/paper/energy_conservation.csv"  # values read off the paper's figure

# %% [markdown]
# Imports, and the repository root as working directory.

# %%
import csv

import matplotlib.pyplot as plt

from shnn.pipeline import experiments, notebook, plotting, report
from shnn.pipeline.config import load

notebook.setup()

# %% [markdown]
# Fit both models and integrate the four trajectories, or load the stored result (the
# pipeline computes it in its own job, `shnn experiment --name energy`).

# %%
settings = load(config_path)["energy"]
result, computed = experiments.load_or_run_energy(settings, runs_dir)
h = settings["t_end"] / settings["n_states"]
print(f"preset {preset}: width {settings['width']}, N = {settings['train_size']}, "
      f"{settings['n_states']} states, h = {h:g}, y0 = {settings['y0']}")

# %% [markdown]
# The figure (every `plot_every`-th state is drawn; the CSV holds exactly those points).

# %%
k = settings["plot_every"]
t = result.t[::k]
names = {"reference": ("exact flow (DOP853)", "0.6", 3.0),
         "truth": ("symp. Euler, true H", "k", 1.0),
         "smlp": ("S-MLP", "tab:blue", 1.0), "shnn": ("S-HNN", "tab:red", 1.0)}
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), layout="constrained")
for name, (label, color, lw) in names.items():
    x = result.states[name][::k]
    # the four orbits coincide at this scale: the S-MLP's is drawn dashed, on top, so that it
    # does not hide under the S-HNN's
    on_top = {"ls": "--", "zorder": 3} if name == "smlp" else {}
    axes[0].plot(x[:, 0], x[:, 1], color=color, lw=lw, label=label, **on_top)
    axes[2].plot(t, result.energy[name][::k], color=color, lw=lw, label=label)
for name in ("smlp", "shnn"):
    label, color, _ = names[name]
    axes[1].plot(t, result.trajectory_error(name)[::k], color=color, lw=0.8, label=label)
plotting.finish_axes(axes[0], "q", "p", "(a) Predictions")
plotting.finish_axes(axes[1], "Time", "Rel. error vs symp. Euler truth", "(b) Trajectory errors")
plotting.finish_axes(axes[2], "Time", "True H along the trajectory", "(c) Energy")
axes[0].legend(loc="center", fontsize=7)  # inside the orbit, where nothing is drawn
fig.suptitle(f"Energy conservation, single pendulum (preset: {preset}, width "
             f"{settings['width']}, N = {settings['train_size']}, h = {h:g}, "
             f"t in [0, {settings['t_end']:g}])")
plotting.save_figure(fig, out_stem)
plt.show()

# %% [markdown]
# Write exactly the plotted numbers to CSV: time, the states of each trajectory, the true H
# along each, and the two trajectory errors.

# %%
columns = {"t": t}
for name in names:
    columns[f"{name}_q"] = result.states[name][::k, 0]
    columns[f"{name}_p"] = result.states[name][::k, 1]
    columns[f"{name}_H"] = result.energy[name][::k]
for name in ("smlp", "shnn"):
    columns[f"{name}_traj_err"] = result.trajectory_error(name)[::k]
with open(f"{out_stem}.csv", "w", newline="") as fh:
    writer = csv.writer(fh)
    writer.writerow(["preset", *columns])
    for i in range(t.size):
        writer.writerow([preset, *(f"{v[i]:.10g}" for v in columns.values())])
print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")

# %% [markdown]
# Energy behaviour in numbers: the range of the true H along each trajectory, and the drift
# (mean H over the last tenth of the run minus the mean over the first tenth). Rounded to
# 2 significant digits (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
tenth = result.t.size // 10
summary = {}
for name in names:
    e = result.energy[name]
    summary[name] = {"min": e.min(), "max": e.max(), "drift": e[-tenth:].mean() - e[:tenth].mean()}
    print(f"{name:<9} H in [{e.min():.5f}, {e.max():.5f}]  drift {summary[name]['drift']:+.1e}")
for name in ("smlp", "shnn"):
    err = result.trajectory_error(name)
    print(f"{name:<9} trajectory error: peak {err.max():.1e}, end {err[-1]:.1e}")
print("S-HNN drift smaller than S-MLP drift:",
      abs(summary["shnn"]["drift"]) < abs(summary["smlp"]["drift"]))

# %% [markdown]
# Comparison with the values read off the paper's Fig. 8 (`data/paper/energy_conservation.csv`;
# approximate, and only meaningful at the paper's settings: width 500, 10000 points, t in
# [0, 100]). They are read from this figure's CSV (the plotted states) by
# `shnn.pipeline.report.energy_values`, exactly as the reproduction report reads them: peaks
# and ends of the trajectory errors, energy bounds, and the S-MLP energy at the plotted state
# nearest t = 95.

# %%
with open(paper_csv) as fh:
    paper = {r["quantity"]: float(r["value"]) for r in csv.DictReader(fh)}
ours = report.energy_values(report.read_rows(f"{out_stem}.csv"))
for key, value in paper.items():
    print(f"{key:<20} ours {ours[key]:.5g}   paper {value:.5g}   ratio {ours[key] / value:.3f}")
