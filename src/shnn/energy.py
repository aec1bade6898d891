"""Energy conservation (fig08, docs/method.md §11): sampled MLP vs sampled HNN under symplectic
Euler.

Both models share one ELM hidden layer (same width, seed, data and bias range). Each is
integrated with the explicit symplectic Euler scheme from ``y0``; "truth" is the same
integrator on the exact gradient (the paper's reference), and ``reference`` is the exact
flow from a high-accuracy integrator (DOP853, tolerances 1e-12), added here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from shnn import systems
from shnn.data import Domain, make_dataset
from shnn.integrators import reference_trajectory, symplectic_euler
from shnn.models import SampledHNN, SampledMLP

#: Trajectories in the order they are stored and plotted.
TRAJECTORIES = ("reference", "truth", "smlp", "shnn")


@dataclass(frozen=True)
class EnergyResult:
    """``t: (n_states,)``; ``states[name]: (n_states, 2*dof)``; ``energy[name]``: true H."""

    t: np.ndarray
    states: dict[str, np.ndarray]
    energy: dict[str, np.ndarray]
    fit_seconds: dict[str, float]

    def trajectory_error(self, name: str, against: str = "truth") -> np.ndarray:
        """``|x_against(t) - x_name(t)|_2 / |x_against(t)|_2`` per time (docs/method.md §11 (b))."""
        ref = self.states[against]
        return np.linalg.norm(ref - self.states[name], axis=1) / np.linalg.norm(ref, axis=1)


def run_energy(settings: dict[str, Any]) -> EnergyResult:
    """Fit both models and integrate all trajectories for one ``energy`` config section."""
    system = systems.get(settings["system"], **settings.get("params", {}))
    domain = Domain.of(settings["q_lims"], settings["p_lims"])
    data = make_dataset(system, domain, settings["train_size"], settings["test_size"],
                        settings["data_seed"])
    bias = domain.elm_bias_range()
    width, seed, rcond = settings["width"], settings["model_seed"], settings["rcond"]
    shnn = SampledHNN(width, "elm", seed=seed, rcond=rcond, elm_bias=bias)
    shnn.fit(data.x_train, data.xdot_train, data.x0, data.H0)
    smlp = SampledMLP(width, seed=seed, rcond=rcond, elm_bias=bias).fit(data.x_train,
                                                                       data.xdot_train)
    n_states = settings["n_states"]
    h = settings["t_end"] / n_states
    y0 = np.asarray(settings["y0"], dtype=np.float64)
    t = h * np.arange(n_states)
    states = {
        "reference": reference_trajectory(system, y0, t),
        "truth": symplectic_euler(system.gradient, y0, h, n_states),
        "smlp": symplectic_euler(smlp.gradient, y0, h, n_states),
        "shnn": symplectic_euler(shnn.gradient, y0, h, n_states),
    }
    energy = {name: system.hamiltonian(x) for name, x in states.items()}
    return EnergyResult(t, states, energy, {"smlp": smlp.fit_seconds_, "shnn": shnn.fit_seconds_})


def save(result: EnergyResult, path: str | BinaryIO) -> None:
    """Store a result as ``.npz`` (a path, or an open binary file)."""
    arrays = {"t": result.t}
    for name in TRAJECTORIES:
        arrays[f"states_{name}"] = result.states[name]
        arrays[f"energy_{name}"] = result.energy[name]
    arrays["fit_seconds"] = np.array([result.fit_seconds["smlp"], result.fit_seconds["shnn"]])
    np.savez_compressed(path, **arrays)


def load(path: str) -> EnergyResult:
    """Read a result written by :func:`save`."""
    with np.load(path) as z:
        states = {n: z[f"states_{n}"] for n in TRAJECTORIES}
        energy = {n: z[f"energy_{n}"] for n in TRAJECTORIES}
        smlp_s, shnn_s = z["fit_seconds"]
        return EnergyResult(z["t"], states, energy, {"smlp": float(smlp_s),
                                                     "shnn": float(shnn_s)})
