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
# # Figure 3 — single pendulum with frequency f: errors vs train-set size
#
# Reproduces the paper's Fig. 3: $H = p^2/2 + (1 - \cos(f q))$ with $f = 10, 15, 20$ on
# $[-\pi,\pi]\times[-0.5,0.5]$, fixed width 1500, relative $L^2$ test error of H against the
# number of training points for ELM, U-SWIM, A-SWIM and SWIM. A larger f means steeper
# gradients; the paper's message is that data-driven sampling (A-SWIM, SWIM) then beats ELM by
# one to 1.5 orders of magnitude, and U-SWIM is worst. Lines are means over repeats, bands min
# to max; the paper's means are drawn faintly dashed behind ours.
#
# The paper's own means at 20 000 points (`data/paper/sweeps.csv`) bear the message out at
# f = 20 (ELM / A-SWIM = 8.70e-3 / 5.23e-4, about 17) but not quite at f = 15 (6.49e-5 /
# 1.45e-5, about 4.5: less than one order). The reproduction report checks claim 3 as
# ELM / A-SWIM >= 5 at the largest training set, so a run whose means match the paper's at
# f = 15 gets "partly reproduced" there: the gap is between the paper's prose and its own
# table, not ours.
#
# The parameters below are the smoke scale, so the notebook runs on its own; the pipeline
# injects the chosen preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the title
config_path: str = "config/smoke.yaml"  # preset file holding the sweep settings
runs_dir: str = "results/runs"  # folder of per-fit records (reused, resumable)
out_stem: str = "results/smoke/figures/fig03_pendulum_frequency"  # output path, no suffix
sweeps_dir: str = "results/smoke/sweeps"  # per-fit rows of each sweep, one CSV per sweep
paper_csv: str = "data/paper/sweeps.csv"  # the paper's appendix tables, one per sweep

# %% [markdown]
# Set-up (the repository root as working directory, the figures' style), then the per-fit
# records of the three sweeps (computing any that are missing), aggregated over repeats.

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from shnn.pipeline import aggregate, notebook, plotting

notebook.setup()
data = notebook.load(config_path, ["sp-f10", "sp-f15", "sp-f20"], sweeps_dir, runs_dir,
                     paper_csv)
summary, settings, sweeps = data.summary, data.settings, data.sweep_ids
print(data.describe(preset))

# %% [markdown]
# The figure: one panel per frequency, log10 error against the training-set size. Its CSV
# holds exactly the plotted numbers (means, mins and maxes over repeats).

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), layout="constrained")
for ax, letter, sweep_id in zip(axes, "abc", sweeps, strict=True):
    f = data.config["sweeps"][sweep_id]["params"]["f"]
    plotting.sweep_panel(ax, summary, data.paper, sweep_id, "err", "Train set size",
                         f"({letter}) H errors, f = {f}")
axes[0].legend(loc="upper right")
fig.suptitle(f"Single pendulum with frequency f (preset: {preset}, width {settings['width']}, "
             f"{settings['repeats']} repeats; dashed: paper, 10 repeats)")
notebook.save(fig, summary, out_stem, preset)
plt.show()

# %% [markdown]
# Key numbers, rounded to one decimal of log10 (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
print(aggregate.log10_means_text(summary, sweeps))

# %% [markdown]
# Comparison with the paper at every training-set size both have (the paper's appendix tables
# of sweeps sp-f10, sp-f15 and sp-f20, `data/paper/sweeps.csv`; the paper's key numbers are at
# 20000 points). In under-determined settings (N < M = 1500) single A-SWIM runs can differ
# from the original by a factor of about 2 because a slightly different U-SWIM fit changes
# which pairs are resampled (docs/method.md §15.3).

# %%
display(Markdown(aggregate.comparison_markdown(data.paper_comparison(), "N")))
