"""Learning from snapshot pairs and first-order error correction (fig09, docs/method.md §12).

Only pairs ``(x, x')`` one observation step ``h`` apart are known. Treating each pair as
one symplectic-Euler step, the network is fitted at the points ``(q', p)`` to the finite
differences ``(x' - x) / h``; it then approximates the modified Hamiltonian of the scheme,
and ``H ~ H_hat + (h/2) sum_k dH_hat/dq_k dH_hat/dp_k`` corrects it to first order.
One degree of freedom only, as in the paper.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from shnn import systems
from shnn.data import Domain, make_dataset
from shnn.hamiltonian import System
from shnn.metrics import relative_l2
from shnn.models import SampledHNN


def flow_map(system: System, x: np.ndarray, h: float, dt: float = 1e-4,
             rtol: float = 1e-13, atol: float = 1e-6) -> np.ndarray:
    """Exact time-``h`` flow of every row of ``x: (n, 2)`` by RK45 (docs/method.md §12.2 step 2).

    Output is requested on the grid ``0, dt, 2 dt, ...`` ending at ``h`` (the original's grid)
    and the last grid point is kept. All points are integrated as one stacked ODE, so the
    adaptive step is shared; the result agrees with per-point integration to the tolerance.
    """
    n, dim = x.shape
    grid = np.arange(0.0, round(h + dt, 4), dt)

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        return system.vector_field(y.reshape(n, dim)).reshape(-1)

    sol = solve_ivp(rhs, (0.0, grid[-1]), x.reshape(-1), method="RK45", t_eval=grid[-1:],
                    rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"flow map integration failed: {sol.message}")
    return sol.y[:, -1].reshape(n, dim)


def corrected_hamiltonian(model: SampledHNN, x: np.ndarray, h: float) -> np.ndarray:
    """``H_hat(x) + (h/2) sum_k dH_hat/dq_k(x) dH_hat/dp_k(x)``: ``(n,)`` (docs/method.md §12.1)."""
    grad = model.gradient(x)
    dof = x.shape[1] // 2
    return model.hamiltonian(x) + 0.5 * h * np.sum(grad[:, :dof] * grad[:, dof:], axis=1)


def snapshot_training_data(x: np.ndarray, x_next: np.ndarray,
                           h: float) -> tuple[np.ndarray, np.ndarray]:
    """Symplectic-Euler evaluation points ``(q', p)`` and finite differences ``(x' - x)/h``."""
    dof = x.shape[1] // 2
    points = np.concatenate([x_next[:, :dof], x[:, dof:]], axis=1)
    return points, (x_next - x) / h


def run_correction(settings: dict[str, Any], h: float, repeat: int) -> dict[str, Any]:
    """One fit at observation step ``h`` with seeds ``data_seed + repeat``, ``model_seed + repeat``.

    Returns the uncorrected and corrected relative L2 test errors of H and the fit time.
    """
    system = systems.get(settings["system"], **settings.get("params", {}))
    if system.dof != 1:
        raise ValueError(f"error correction is defined for one degree of freedom, "
                         f"got system {system.name!r} with {system.dof}")
    domain = Domain.of(settings["q_lims"], settings["p_lims"])
    data = make_dataset(system, domain, settings["train_size"], settings["test_size"],
                        settings["data_seed"] + repeat)
    start = time.perf_counter()
    x_next = flow_map(system, data.x_train, h, dt=settings["dt_true"])
    flow_seconds = time.perf_counter() - start
    points, xdot = snapshot_training_data(data.x_train, x_next, h)
    model = SampledHNN(settings["width"], settings["method"],
                       seed=settings["model_seed"] + repeat, rcond=settings["rcond"],
                       elm_bias=domain.elm_bias_range())
    model.fit(points, xdot, data.x0, data.H0)
    return {
        "h": h, "repeat": repeat,
        "err_uncorrected": relative_l2(data.H_test, model.hamiltonian(data.x_test)),
        "err_corrected": relative_l2(data.H_test, corrected_hamiltonian(model, data.x_test, h)),
        "fit_seconds": model.fit_seconds_, "flow_seconds": flow_seconds,
    }
