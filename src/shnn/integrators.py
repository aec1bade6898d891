"""Time integration: symplectic Euler (docs/method.md §10), reference ODE solutions, modified H
(§12.1).

States are ``x: (K, 2*dof)`` ordered ``(q..., p...)``; a gradient callable maps ``(K, 2*dof)``
to ``(dH/dq..., dH/dp...)`` of the same shape, a vector field maps it to ``(q', p')``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.integrate

from shnn.hamiltonian import System
from shnn.validation import check_finite_float, check_positive_int, check_states

Array = np.ndarray
StateMap = Callable[[Array], Array]

#: Fixed-point tolerance (relative to ``1 + |q|``) of the implicit symplectic-Euler step.
IMPLICIT_TOL = 1e-14
#: Maximum fixed-point iterations per implicit step.
IMPLICIT_MAX_ITER = 100


def _as_states(x0: object) -> tuple[Array, bool]:
    """``x0`` as ``(K, 2*dof)`` float64, and whether it was given as one state ``(2*dof,)``."""
    arr = np.asarray(x0, dtype=np.float64)
    single = arr.ndim == 1
    if single:
        arr = arr[None, :]
    dim = arr.shape[-1] if arr.ndim == 2 else -1
    if dim < 2 or dim % 2:
        raise ValueError(f"x0 must have shape (K, 2*dof) or (2*dof,), got {np.shape(x0)}")
    return check_states(arr, dim, "x0"), single


def _evaluate(func: StateMap, x: Array, name: str) -> Array:
    out = np.asarray(func(x), dtype=np.float64)
    if out.shape != x.shape:
        raise ValueError(f"{name} must return shape {x.shape}, got {out.shape}")
    return out


def _implicit_position(gradient: StateMap, q: Array, p: Array, h: float, step: int,
                       tol: float, max_iter: int) -> Array:
    """Solve ``q' = q + h dH/dp(q', p)`` by fixed-point iteration from the explicit guess.

    Each state stops iterating once its own update is below tolerance, so a batch of states
    gets exactly the iterates each state would get alone.
    """
    dof = q.shape[1]
    q_new = q + h * _evaluate(gradient, np.hstack([q, p]), "gradient")[:, dof:]
    active = np.arange(q.shape[0])
    for _ in range(max_iter):
        qa, pa = q[active], p[active]
        q_next = qa + h * _evaluate(gradient, np.hstack([q_new[active], pa]), "gradient")[:, dof:]
        done = np.all(np.abs(q_next - q_new[active]) <= tol * (1.0 + np.abs(q_next)), axis=1)
        q_new[active] = q_next
        active = active[~done]
        if active.size == 0:
            return q_new
    raise RuntimeError(f"implicit symplectic Euler did not converge at step {step} for "
                       f"{active.size} state(s) after {max_iter} iterations; reduce h={h!r}")


def symplectic_euler(gradient: StateMap, x0: Array, h: float, n_states: int,
                     implicit: bool = False, tol: float = IMPLICIT_TOL,
                     max_iter: int = IMPLICIT_MAX_ITER) -> Array:
    """Symplectic-Euler trajectory of ``n_states`` states (``n_states - 1`` steps of size ``h``).

    Explicit form (default, the paper's; docs/method.md §10.1), all K states in two batched calls:
    ``q' = q + h dH/dp(q, p)``, then ``p' = p - h dH/dq(q', p)`` with each state's new position
    paired with its own old momentum. ``implicit=True`` instead solves
    ``q' = q + h dH/dp(q', p)`` by fixed-point iteration (``|dq| <= tol (1 + |q'|)`` within
    ``max_iter`` iterations, else ``RuntimeError``): the exactly symplectic scheme for
    non-separable H. Both coincide when ``dH/dp`` does not depend on q.

    Args:
        gradient: ``(K, 2*dof) -> (dH/dq..., dH/dp...)``, shape ``(K, 2*dof)``.
        x0: initial states ``(K, 2*dof)`` or one state ``(2*dof,)``.
        h: step size (nonzero; negative integrates backwards).
        n_states: number of returned states including ``x0``.

    Returns:
        ``(n_states, K, 2*dof)``, or ``(n_states, 2*dof)`` if ``x0`` was 1-D; index 0 is ``x0``.
    """
    x, single = _as_states(x0)
    h = check_finite_float(h, "h")
    if h == 0:
        raise ValueError("h must be nonzero, got 0.0")
    n_states = check_positive_int(n_states, "n_states")
    tol = check_finite_float(tol, "tol", positive=True)
    max_iter = check_positive_int(max_iter, "max_iter")
    dof = x.shape[1] // 2
    out = np.empty((n_states,) + x.shape)
    out[0] = x
    q, p = x[:, :dof].copy(), x[:, dof:].copy()
    for step in range(1, n_states):
        if implicit:
            q = _implicit_position(gradient, q, p, h, step, tol, max_iter)
        else:
            q = q + h * _evaluate(gradient, np.hstack([q, p]), "gradient")[:, dof:]
        p = p - h * _evaluate(gradient, np.hstack([q, p]), "gradient")[:, :dof]
        out[step, :, :dof] = q
        out[step, :, dof:] = p
    return out[:, 0] if single else out


def reference_trajectory(system_or_vector_field: System | StateMap, x0: Array, t_eval: Array,
                         rtol: float = 1e-12, atol: float = 1e-12,
                         method: str = "DOP853") -> Array:
    """Accurate solution of ``x' = f(x)`` at times ``t_eval`` by ``scipy.integrate.solve_ivp``.

    ``system_or_vector_field`` is a :class:`~shnn.hamiltonian.System` (its ``vector_field``) or a
    callable ``(K, 2*dof) -> (K, 2*dof)``. All K states are integrated together as one ODE
    of size ``K*2*dof`` (the adaptive step is shared; the error norm spans all states).
    ``t_eval: (T,)`` must be monotonic and starts the integration at ``t_eval[0]``.

    Returns:
        ``(T, K, 2*dof)``, or ``(T, 2*dof)`` if ``x0`` was 1-D.
    """
    if not (isinstance(system_or_vector_field, System) or callable(system_or_vector_field)):
        raise TypeError(f"expected a System or a vector-field callable, "
                        f"got {system_or_vector_field!r}")
    vector_field: StateMap = (system_or_vector_field.vector_field
                              if isinstance(system_or_vector_field, System)
                              else system_or_vector_field)
    x, single = _as_states(x0)
    t = np.asarray(t_eval, dtype=np.float64)
    if t.ndim != 1 or t.size < 1 or not np.all(np.isfinite(t)):
        raise ValueError(f"t_eval must be a non-empty finite 1-D array, got shape {t.shape}")
    steps = np.diff(t)
    if not (np.all(steps > 0) or np.all(steps < 0)):
        raise ValueError("t_eval must be strictly increasing or strictly decreasing")
    rtol = check_finite_float(rtol, "rtol", positive=True)
    atol = check_finite_float(atol, "atol", positive=True)
    shape = x.shape

    def rhs(_t: float, y: Array) -> Array:
        return _evaluate(vector_field, y.reshape(shape), "vector field").ravel()

    if t.size == 1:
        out = x[None].copy()
    else:
        sol = scipy.integrate.solve_ivp(rhs, (t[0], t[-1]), x.ravel(), method=method,
                                        t_eval=t, rtol=rtol, atol=atol)
        if not sol.success:
            raise RuntimeError(f"solve_ivp failed: {sol.message}")
        out = sol.y.T.reshape((t.size,) + shape)
    return out[:, 0] if single else out


def modified_hamiltonian(H: Callable[[Array], Array], grad: StateMap, x: Array,
                         h: float) -> Array:
    """First-order modified Hamiltonian ``H + (h/2) sum_k dH/dq_k dH/dp_k`` (docs/method.md §12.1).

    The symplectic-Euler map of §10.1 applied to H is, to first order in ``h``, the exact
    time-``h`` flow of this function. ``H: (n, 2*dof) -> (n,)``, ``grad: (n, 2*dof) ->
    (n, 2*dof)``, ``x: (n, 2*dof)``; returns ``(n,)``.
    """
    arr = np.asarray(x, dtype=np.float64)
    dim = arr.shape[-1] if arr.ndim == 2 else -1
    if dim < 2 or dim % 2:
        raise ValueError(f"x must have shape (n, 2*dof), got {arr.shape}")
    arr = check_states(arr, dim, "x")
    h = check_finite_float(h, "h")
    dof = dim // 2
    energy = np.asarray(H(arr), dtype=np.float64).reshape(-1)
    if energy.shape != (arr.shape[0],):
        raise ValueError(f"H must return shape ({arr.shape[0]},), got {energy.shape}")
    g = _evaluate(grad, arr, "grad")
    return energy + 0.5 * h * np.sum(g[:, :dof] * g[:, dof:], axis=1)
