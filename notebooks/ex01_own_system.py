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
# # Example — your own system through the whole pipeline
#
# Not a paper artifact: a worked example of a Hamiltonian that is **not** built in, defined
# once in a Python file and used by the same sweeps, records, CSVs and notebooks as the
# paper's systems (docs/own-system.md). Here the Duffing double well
# $H = p^2/2 + \alpha q^4/4 - \beta q^2/2$ ($\alpha = \beta = 1$) of `examples/duffing.py`:
#
# ```python
# def energy(x, alpha, beta):            # x: (n, 2) torch tensor, columns (q, p)
#     q, p = x[:, 0], x[:, 1]
#     return p**2 / 2 + alpha * q**4 / 4 - beta * q**2 / 2
#
# duffing = from_function(energy, dof=1, name="duffing", params={"alpha": 1.0, "beta": 1.0})
# ```
#
# The preset's sweep names it `system: examples/duffing.py:duffing`. The pipeline fits the
# four sampling schemes over the width as for the paper's figures. The figure shows the
# energy landscape (a), the relative $L^2$ test error of the learned H (b) and the fit times
# (c). Lines are means over repeats, bands span min to max.
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# (`snakemake`) injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the title
config_path: str = "config/smoke.yaml"  # preset file holding the sweep settings
runs_dir: str = "results/runs"  # folder of per-fit records (reused, resumable)
out_stem: str = "results/smoke/figures/ex01_own_system"  # output path without suffix
sweeps_dir: str = "results/smoke/sweeps"  # per-fit rows of each sweep, one CSV per sweep
sweep_id: str = "ex-duffing"  # the preset's sweep of the system of your own

# %% [markdown]
# Imports, and the repository root as working directory (so relative paths work both under
# the pipeline and in `jupyter lab`).

# %%

import matplotlib.pyplot as plt
import numpy as np

from shnn import systems
from shnn.pipeline import aggregate, notebook, plotting
from shnn.pipeline.config import load
from shnn.pipeline.sweeps import load_sweeps

notebook.setup()

# %% [markdown]
# The system, as the pipeline sees it: loaded from the file the sweep names. Its name in
# records and CSVs is the reference plus a hash of the file's source, so editing the file
# gives new records instead of reusing those of the former version.

# %%
config = load(config_path)
settings = config["sweeps"][sweep_id]
system = systems.get(settings["system"], **settings.get("params", {}))
print(f"{settings['system']} -> {system.name}")
print(f"dof {system.dof}, parameters {system.params}")
print("record folder:", systems.path_label(system.name))

# %% [markdown]
# Load the per-fit records of the sweep (computing any that are missing) and aggregate them
# over repeats: mean, min and max of the test error and of the fit time per width and method.

# %%
rows = load_sweeps(config, [sweep_id], sweeps_dir, runs_dir)
assert {r["system"] for r in rows} == {system.name}, "the sweep CSV names another system"
summary = aggregate.summarize(rows)
widths = sorted({r["value"] for r in summary})
n_repeats = settings["repeats"]
print(f"preset {preset}: {len(rows)} fits, widths {widths}, {n_repeats} repeats, "
      f"N = {settings['train_size']} train / {settings['test_size']} test")

# %% [markdown]
# The figure: the energy landscape over the sweep's domain with its two wells (a), the errors
# (b, log10) and the fit times on this machine (c).

# %%
(q_lo, q_hi), (p_lo, p_hi) = settings["q_lims"][0], settings["p_lims"][0]
q, p = np.meshgrid(np.linspace(q_lo, q_hi, 201), np.linspace(p_lo, p_hi, 201))
energy = system.hamiltonian(np.stack([q.ravel(), p.ravel()], axis=1)).reshape(q.shape)

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), layout="constrained")
filled = axes[0].contourf(q, p, energy, levels=20, cmap="viridis")
axes[0].contour(q, p, energy, levels=[0.0], colors="white", linewidths=1.0)
fig.colorbar(filled, ax=axes[0], label="H")
axes[0].set(xlabel="q", ylabel="p", title="(a) H, separatrix H = 0 in white")
plotting.sweep_panel(axes[1], summary, [], sweep_id, "err", "Network width",
                     "(b) H errors vs width")
plotting.sweep_panel(axes[2], summary, [], sweep_id, "time", "Network width",
                     "(c) train times vs width")
axes[1].legend(loc="upper right")
fig.suptitle(f"Your own system: {settings['system']} (preset: {preset}, {n_repeats} repeats, "
             f"N = {settings['train_size']})")
plotting.save_figure(fig, out_stem)
plt.show()

# %% [markdown]
# Write exactly the plotted numbers (our aggregated means, mins and maxes) to CSV, with the
# system's full name (reference and source hash) in every row.

# %%
aggregate.write_summary(summary, f"{out_stem}.csv", preset, extra={"system": system.name})
print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")

# %% [markdown]
# Key numbers, rounded to one decimal of log10 so that they are robust to BLAS and thread
# count (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
print(aggregate.log10_means_text(summary, [sweep_id]))
