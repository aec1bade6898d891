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
# # Figure 1 — the A-SWIM idea, drawn from a real fit
#
# The paper's Fig. 1 is a schematic: (1) data of a Hamiltonian system, (2) an
# initial approximation with U-SWIM, whose hidden weights are sampled without looking at H
# and whose last layer solves one least-squares problem built from Hamilton's equations,
# (3) resampling of the hidden layer with SWIM's data-driven pair probabilities, using the
# U-SWIM prediction Ĥ in place of the unknown H, and one more solve.
#
# Instead of a drawing, each panel here shows a real fit on the single pendulum
# $H = p^2/2 + (1 - \cos q)$: the training data and the vector field (1), and for U-SWIM (2)
# and A-SWIM (3) the sampled neurons and the learned Ĥ. Each tanh neuron is built from a
# pair of training points: it is -1/2 at the arrow's tail and +1/2 at its head. U-SWIM picks
# pairs uniformly; A-SWIM prefers pairs across which Ĥ changes fast. The width is tiny on
# purpose, so the individual neurons are visible; the errors are those of this tiny network,
# not of the paper's.
#
# There is no preset dependence beyond the output path; the parameters are the same at every
# preset.

# %% tags=["parameters"]
preset: str = "smoke"  # preset name, shown in the caption
out_stem: str = "results/smoke/figures/fig01_aswim_schematic"  # output path without suffix
width: int = 12  # hidden neurons (small, so that each one can be drawn)
train_size: int = 2000  # training points of the fit (a subset is drawn)
data_seed: int = 3943  # the paper's first data seed
model_seed: int = 992472  # the paper's first model seed

# %% [markdown]
# Imports, and the repository root as working directory.

# %%
import csv

import matplotlib.pyplot as plt
import numpy as np

from shnn import systems
from shnn.data import Domain, make_dataset
from shnn.metrics import relative_l2
from shnn.models import SampledHNN
from shnn.pipeline import notebook, plotting
from shnn.sampling import select_pairs

notebook.setup()

# %% [markdown]
# The data (the paper's small pendulum domain) and the two fits. A-SWIM's first stage is
# exactly the U-SWIM fit; its second stage resamples with Ĥ of that fit.

# %%
system = systems.get("single_pendulum")
domain = Domain.of([[-2 * np.pi, 2 * np.pi]], [[-1.0, 1.0]])
data = make_dataset(system, domain, train_size, train_size, data_seed)
uswim = SampledHNN(width, "uswim", seed=model_seed).fit(data.x_train, data.xdot_train,
                                                        data.x0, data.H0)
aswim = SampledHNN(width, "aswim", seed=model_seed).fit(data.x_train, data.xdot_train,
                                                        data.x0, data.H0)
pairs_u = select_pairs(data.x_train, width, model_seed)
pairs_a = select_pairs(data.x_train, width, model_seed, y=uswim.hamiltonian(data.x_train))
errors = {name: relative_l2(data.H_test, model.hamiltonian(data.x_test))
          for name, model in (("U-SWIM", uswim), ("A-SWIM", aswim))}
print(f"width {width}, {train_size} training points: test errors "
      + ", ".join(f"{k} {v:.2e}" for k, v in errors.items()))

# %% [markdown]
# The figure: three panels joined by arrows, as in the paper.

# %%
q = np.linspace(*domain.q_lims[0], 200)
p = np.linspace(*domain.p_lims[0], 120)
Q, P = np.meshgrid(q, p)
grid = np.column_stack([Q.ravel(), P.ravel()])
levels = np.linspace(system.hamiltonian(grid).min(), system.hamiltonian(grid).max(), 12)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.3), sharey=True, layout="constrained")
fig.get_layout_engine().set(wspace=0.08)


def draw_pairs(ax, pairs_sel, color):
    pairs, sel = pairs_sel
    start, end = data.x_train[pairs.i_from[sel]], data.x_train[pairs.i_to[sel]]
    for a, b in zip(start, end, strict=True):
        ax.annotate("", xy=b, xytext=a, arrowprops={"arrowstyle": "->", "color": color,
                                                    "lw": 1.2})
    ax.plot(start[:, 0], start[:, 1], "o", color=color, ms=3)


shown = data.x_train[:300]
vf = system.vector_field(shown)
axes[0].contour(Q, P, system.hamiltonian(grid).reshape(Q.shape), levels, colors="0.75",
                linewidths=0.7)
axes[0].quiver(shown[:, 0], shown[:, 1], vf[:, 0], vf[:, 1], color="0.2", width=0.003)
axes[0].set_title("1. Data: $\\{q_i, p_i, \\dot q_i, \\dot p_i\\}$,\n"
                  "$H(q,p) = p^2/2 + (1 - \\cos q)$ unknown")
for ax, model, pairs_sel, color, title in (
        (axes[1], uswim, pairs_u, "tab:blue",
         f"2. Initial approximation (U-SWIM)\nuniform pairs, error {errors['U-SWIM']:.1e}"),
        (axes[2], aswim, pairs_a, "m",
         f"3. Resample using $\\hat H$ (A-SWIM)\nweighted pairs, error {errors['A-SWIM']:.1e}")):
    ax.contour(Q, P, system.hamiltonian(grid).reshape(Q.shape), levels, colors="0.8",
               linewidths=0.7, linestyles="--")
    ax.contour(Q, P, model.hamiltonian(grid).reshape(Q.shape), levels, cmap="viridis",
               linewidths=1.0)
    draw_pairs(ax, pairs_sel, color)
    ax.set_title(title)
axes[0].set_ylabel("p")
for ax in axes:
    ax.set_xlabel("q")
    ax.set_xlim(*domain.q_lims[0])
    ax.set_ylim(*domain.p_lims[0])
for left, right in ((axes[0], axes[1]), (axes[1], axes[2])):
    fig.add_artist(plt.matplotlib.patches.ConnectionPatch(
        (1.03, 0.5), (-0.03, 0.5), "axes fraction", "axes fraction", axesA=left, axesB=right,
        arrowstyle="-|>", color="k", lw=1.5, mutation_scale=15))
fig.suptitle("A-SWIM: sample (U-SWIM), solve, resample with $\\hat H$, solve again "
             "(solid: learned $\\hat H$; dashed: true H; arrows: neuron pairs)")
plotting.save_figure(fig, out_stem)
plt.show()

# %% [markdown]
# Write the drawn neurons (pair end points) and the errors to CSV.

# %%
with open(f"{out_stem}.csv", "w", newline="") as fh:
    writer = csv.writer(fh)
    writer.writerow(["preset", "stage", "neuron", "q_from", "p_from", "q_to", "p_to",
                     "test_rel_l2_H"])
    for stage, (pairs, sel) in (("U-SWIM", pairs_u), ("A-SWIM", pairs_a)):
        for k, i in enumerate(sel):
            a, b = data.x_train[pairs.i_from[i]], data.x_train[pairs.i_to[i]]
            writer.writerow([preset, stage, k, *(f"{v:.6f}" for v in (*a, *b)),
                             f"{errors[stage]:.6e}"])
print(f"wrote {out_stem}.pdf, {out_stem}.png, {out_stem}.csv")

# %% [markdown]
# The neurons the figure draws are exactly the ones each model uses: rebuilding the hidden
# weights from the drawn pairs gives the fitted models' weights (nbval checks this cell).

# %%
# NBVAL_CHECK_OUTPUT
from shnn.sampling import sample_swim

layer_u = sample_swim(data.x_train, width, model_seed)
layer_a = sample_swim(data.x_train, width, model_seed, y=uswim.hamiltonian(data.x_train))
print("U-SWIM drawn neurons are the fitted ones:", np.array_equal(layer_u.W, uswim.layer_.W))
print("A-SWIM drawn neurons are the fitted ones:", np.array_equal(layer_a.W, aswim.layer_.W))
print("A-SWIM selects different pairs than U-SWIM:",
      not np.array_equal(np.sort(pairs_a[1]), np.sort(pairs_u[1])))
